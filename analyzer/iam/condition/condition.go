// Package condition compiles and evaluates the Condition element of IAM
// policy statements (AWS "IAM JSON policy elements: Condition" and
// "…: Condition operators"). It sits below the policy engine (package iam)
// and above package pattern, which it uses for string and ARN matching and
// policy variables; it knows nothing of statements or decisions.
//
// A Block is one Condition element: its clauses (operator, key, values) are
// ANDed and the values of one clause are ORed. Literals (numbers, dates, IP
// ranges, base64, booleans) are parsed once at Compile; Eval parses request
// values without allocating.
//
// Evaluation is three-valued. A key marked unknown in the Context is taken to
// be present with a value static analysis cannot know, so a clause on it is
// Unknown, except for Null, whose answer depends only on presence. Explain
// turns each clause into a sentence ("aws:SourceIp must be in 10.0.0.0/8") so
// that a conditional decision can say what it hinges on.
//
// Rules followed, with their AWS source:
//   - A key missing from the request makes a clause false, and a negated
//     operator (StringNotEquals, NotIpAddress, ArnNotLike, …) true
//     ("Condition operators": the note on missing keys).
//   - …IfExists makes a clause true when the key is missing; it is not
//     allowed on Null ("…IfExists condition operators").
//   - ForAllValues is true when the key is missing or has no values;
//     ForAnyValue is false then ("Single-valued vs. multivalued context
//     keys"). A single-valued key is a set of one for them.
//   - A negated operator with several policy values is true only when the
//     request value matches none of them ("Creating a condition with multiple
//     context keys or values").
//   - A plain operator (no set operator) on a multivalued key is false, even
//     when negated: "Multivalued context keys require a condition set
//     operator", and IAM evaluates the bare operator as a non-match (observed
//     behaviour, reported e.g. for aws:CalledVia).
//   - Operator names are case-sensitive (IAM rejects "stringEquals" as an
//     "Invalid Condition type"); key names are not; values are, except for
//     the IgnoreCase operators and Bool.
//   - Policy variables are substituted in String, ARN and Bool values only
//     ("Where you can use policy variables"); elsewhere "${…}" is literal
//     text and so a malformed literal.
package condition

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/lambdacheck/lambdacheck/analyzer/iam/pattern"
)

// Clause is one operator/key/values triple as written in a policy.
type Clause struct {
	Operator string
	Key      string
	// Values holds the JSON strings, numbers and booleans as text.
	Values []string
	// Path locates the clause for errors, e.g.
	// `Statement[2].Condition.StringLike["s3:prefix"]`.
	Path string
}

// Error is a Compile error; Path names the clause or, when the clause has
// several values, the offending value (Path + "[i]").
type Error struct {
	Path string
	Msg  string
}

func (e *Error) Error() string {
	if e.Path == "" {
		return e.Msg
	}
	return e.Path + ": " + e.Msg
}

// Block is a compiled Condition element.
type Block struct {
	clauses []clause
}

// A block of one or two clauses, which most are, is allocated with its
// clauses: batches compile the conditions of every policy they have not
// seen.
type (
	block1 struct {
		b Block
		c [1]clause
	}
	block2 struct {
		b Block
		c [2]clause
	}
)

type clause struct {
	src      Clause
	key      string // lower-case
	info     opInfo
	set      setOp
	ifExists bool

	strs  []pattern.Template // String and Bool operators
	arns  []pattern.ARN
	nums  []decimal
	dates []instant
	ips   []netip.Prefix
	bins  []binaryValue
	nulls []bool // Null: true means the key must be absent
	// vars: some policy value holds a policy variable.
	vars bool
}

// Compile checks and compiles clauses. opt.Variables says whether "${…}" is
// a policy variable (Version 2012-10-17) or literal text; opt.Wildcards is
// ignored, since each operator decides whether '*' and '?' are wildcards.
func Compile(clauses []Clause, opt pattern.Options) (*Block, error) {
	var b *Block
	switch len(clauses) {
	case 1:
		x := new(block1)
		b = &x.b
		b.clauses = x.c[:0]
	case 2:
		x := new(block2)
		b = &x.b
		b.clauses = x.c[:0]
	default:
		b = &Block{clauses: make([]clause, 0, len(clauses))}
	}
	lowered := lowerASCII(clauses)
	for i, c := range clauses {
		b.clauses = append(b.clauses, clause{})
		cc := &b.clauses[i]
		key := c.Key
		switch ascii, upper := keyCase(key); {
		case !ascii:
			key = strings.ToLower(key)
		case upper:
			key, lowered = lowered[:len(key)], lowered[len(key):]
		}
		if err := compileClause(cc, c, key, opt); err != nil {
			return nil, err
		}
		for _, t := range cc.strs {
			cc.vars = cc.vars || t.HasVariables()
		}
		for _, a := range cc.arns {
			cc.vars = cc.vars || a.Template().HasVariables()
		}
	}
	return b, nil
}

// lowerASCII returns the lower-case forms of the ASCII keys of clauses
// that hold upper-case letters, back to back: keys are nearly always ASCII,
// and so their lower-case forms share one allocation.
func lowerASCII(clauses []Clause) string {
	n := 0
	for _, c := range clauses {
		if ascii, upper := keyCase(c.Key); ascii && upper {
			n += len(c.Key)
		}
	}
	if n == 0 {
		return ""
	}
	var b strings.Builder
	b.Grow(n)
	for _, c := range clauses {
		if ascii, upper := keyCase(c.Key); !ascii || !upper {
			continue
		}
		for i := 0; i < len(c.Key); i++ {
			ch := c.Key[i]
			if 'A' <= ch && ch <= 'Z' {
				ch += 'a' - 'A'
			}
			b.WriteByte(ch)
		}
	}
	return b.String()
}

// keyCase reports whether s is ASCII and whether it holds upper-case
// letters.
func keyCase(s string) (ascii, upper bool) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			return false, false
		}
		upper = upper || 'A' <= c && c <= 'Z'
	}
	return true, upper
}

// compileClause compiles c into cc; key is c.Key in lower case.
func compileClause(cc *clause, c Clause, key string, opt pattern.Options) error {
	fail := func(format string, args ...any) error {
		return &Error{Path: c.Path, Msg: fmt.Sprintf(format, args...)}
	}
	info, set, ifExists, err := parseOperator(c.Operator)
	if err != nil {
		return fail("%v", err)
	}
	if strings.TrimSpace(c.Key) == "" {
		return fail("%s: empty condition key", c.Operator)
	}
	if len(c.Values) == 0 {
		return fail("%s %q: condition values must not be an empty list", c.Operator, c.Key)
	}
	*cc = clause{src: c, key: key, info: info, set: set, ifExists: ifExists}
	// Each value list is allocated once, at its size.
	n := len(c.Values)
	switch info.fam {
	case famString, famBool:
		cc.strs = make([]pattern.Template, 0, n)
	case famARN:
		cc.arns = make([]pattern.ARN, 0, n)
	case famNumeric:
		cc.nums = make([]decimal, 0, n)
	case famDate:
		cc.dates = make([]instant, 0, n)
	case famIP:
		cc.ips = make([]netip.Prefix, 0, n)
	case famBinary:
		cc.bins = make([]binaryValue, 0, n)
	case famNull:
		cc.nulls = make([]bool, 0, n)
	}
	for i, v := range c.Values {
		valueErr := func(format string, args ...any) error {
			path := c.Path
			if len(c.Values) > 1 {
				path = fmt.Sprintf("%s[%d]", c.Path, i)
			}
			return &Error{Path: path, Msg: fmt.Sprintf(format, args...)}
		}
		switch info.fam {
		case famString:
			t, err := pattern.Compile(v, pattern.Options{Wildcards: info.like, Variables: opt.Variables})
			if err != nil {
				return valueErr("%s value %q: %v", c.Operator, v, err)
			}
			cc.strs = append(cc.strs, t)
		case famBool:
			t, err := pattern.Compile(v, pattern.Options{Variables: opt.Variables})
			if err != nil {
				return valueErr("%s value %q: %v", c.Operator, v, err)
			}
			if _, ok := parseBool(v); !ok && !t.HasVariables() {
				return valueErr("%s value %q must be \"true\" or \"false\"", c.Operator, v)
			}
			cc.strs = append(cc.strs, t)
		case famARN:
			a, err := pattern.CompileARN(v, opt)
			if err != nil {
				return valueErr("%s value %q: %v", c.Operator, v, err)
			}
			cc.arns = append(cc.arns, a)
		case famNumeric:
			d, ok := parseDecimal(v)
			if !ok {
				return valueErr("%s value %q is not a number (want an integer or decimal such as 10 or 2.5)", c.Operator, v)
			}
			cc.nums = append(cc.nums, d)
		case famDate:
			t, ok := parseDate(v)
			if !ok {
				return valueErr("%s value %q is not a date (want ISO 8601 such as 2026-01-02T15:04:05Z, or epoch seconds)", c.Operator, v)
			}
			cc.dates = append(cc.dates, t)
		case famIP:
			p, ok := parsePrefix(v)
			if !ok {
				return valueErr("%s value %q is not an IP address or CIDR range", c.Operator, v)
			}
			cc.ips = append(cc.ips, p)
		case famBinary:
			raw, ok := parseBase64(v)
			if !ok {
				return valueErr("%s value %q is not base64", c.Operator, v)
			}
			cc.bins = append(cc.bins, newBinaryValue(raw))
		case famNull:
			want, ok := parseBool(v)
			if !ok {
				return valueErr("Null value %q must be \"true\" (key absent) or \"false\" (key present)", v)
			}
			cc.nulls = append(cc.nulls, want)
		}
	}
	return nil
}

// Keys returns the sorted lower-case condition keys the block tests and the
// keys its policy variables reference.
func (b *Block) Keys() []string {
	if b == nil {
		return nil
	}
	// Derived when asked, off the hot path: compiling is on it.
	var keys []string
	for i := range b.clauses {
		cc := &b.clauses[i]
		keys = append(keys, cc.key)
		for _, t := range cc.strs {
			keys = append(keys, t.Keys()...)
		}
		for _, a := range cc.arns {
			keys = append(keys, a.Template().Keys()...)
		}
	}
	slices.Sort(keys)
	return slices.Compact(keys)
}

// Len returns the number of clauses.
func (b *Block) Len() int {
	if b == nil {
		return 0
	}
	return len(b.clauses)
}

// Eval evaluates the block against ctx: True when every clause holds, False
// when one fails, Unknown otherwise. A nil Block (no Condition) is True.
//
// Eval reads a policy variable that cannot be resolved as a value that
// equals nothing, and a request value of the wrong type (not a number, date,
// address, ARN or boolean) as one that matches no policy value, so that a
// negated operator holds on either. That is the reading for Deny statements:
// of the readings AWS's documentation allows, it is the one that denies
// most. Allow statements use EvalAllow.
func (b *Block) Eval(ctx *Context) pattern.Tri { return b.eval(ctx, false) }

// EvalAllow is Eval for an Allow statement. AWS documents that a policy
// variable it cannot resolve may make the whole statement invalid
// ("IAM policy elements: Variables and tags"); for an Allow statement that
// is the reading that grants least, so a clause that reaches such a
// variable is False, whatever its operator. A negated operator on a request
// value that does not parse as the operator's type is False too: no page
// says that it holds, and holding would grant on a value AWS cannot compare.
func (b *Block) EvalAllow(ctx *Context) pattern.Tri { return b.eval(ctx, true) }

func (b *Block) eval(ctx *Context, allow bool) pattern.Tri {
	if b == nil {
		return pattern.True
	}
	res := pattern.True
	for i := range b.clauses {
		switch b.clauses[i].eval(ctx, allow) {
		case pattern.False:
			return pattern.False
		case pattern.Unknown:
			res = pattern.Unknown
		}
	}
	return res
}

// eval evaluates one clause.
func (c *clause) eval(ctx *Context, allow bool) pattern.Tri {
	vals, state, multi := ctx.lookup(c.key)
	if c.info.fam == famNull {
		// Null true: the key is absent; false: it is present. An unknown key
		// is present.
		absent := state == pattern.Missing
		for _, want := range c.nulls {
			if want == absent {
				return pattern.True
			}
		}
		return pattern.False
	}
	switch state {
	case pattern.Missing:
		switch {
		case c.set == setForAny:
			// ForAnyValue needs a value that matches; …IfExists does not
			// supply one ("Single-valued vs. multivalued context keys":
			// ForAnyValue returns false when the key is missing).
			return pattern.False
		case c.ifExists:
			return pattern.True
		case c.set == setForAll:
			return pattern.True
		}
		return pattern.TriOf(c.info.neg)
	case pattern.KeyUnknown:
		if allow && c.unresolvable(ctx) {
			return pattern.False
		}
		return pattern.Unknown
	}
	if allow && c.unresolvable(ctx) {
		return pattern.False
	}
	switch c.set {
	case setForAll:
		res := pattern.True
		for _, v := range vals {
			if res = res.And(c.value(v, ctx, allow)); res == pattern.False {
				return res
			}
		}
		return res
	case setForAny:
		res := pattern.False
		for _, v := range vals {
			if res = res.Or(c.value(v, ctx, allow)); res == pattern.True {
				return res
			}
		}
		return res
	}
	if multi {
		return pattern.False // a set operator is required for a multivalued key
	}
	return c.value(vals[0], ctx, allow)
}

// Unresolvable reports whether some policy value of the block holds a policy
// variable that ctx cannot resolve, whether or not evaluation would reach it.
func (b *Block) Unresolvable(ctx *Context) bool {
	if b == nil {
		return false
	}
	for i := range b.clauses {
		if b.clauses[i].unresolvable(ctx) {
			return true
		}
	}
	return false
}

// unresolvable reports whether a policy value of the clause holds a policy
// variable that ctx cannot resolve.
func (c *clause) unresolvable(ctx *Context) bool {
	if !c.vars {
		return false
	}
	for i := range c.strs {
		if c.strs[i].Unresolvable(ctx) {
			return true
		}
	}
	for i := range c.arns {
		t := c.arns[i].Template()
		if t.Unresolvable(ctx) {
			return true
		}
	}
	return false
}

// value is the clause's verdict on one request value: whether it matches one
// of the policy values, negated for the negated operators. For an Allow
// statement a negated operator does not hold on a value of the wrong type.
func (c *clause) value(v string, ctx *Context, allow bool) pattern.Tri {
	r, typed := c.match(v, ctx)
	if c.info.neg {
		if allow && !typed {
			return pattern.False
		}
		return r.Not()
	}
	return r
}

// match reports whether request value v matches any policy value, and
// whether v is of the operator's type. A value that is not (not a number,
// date, address, ARN, or boolean) matches none.
func (c *clause) match(v string, ctx *Context) (pattern.Tri, bool) {
	res := pattern.False
	switch c.info.fam {
	case famString:
		for i := range c.strs {
			var t pattern.Tri
			if c.info.like {
				t = c.strs[i].Match(v, false, ctx)
			} else {
				t = c.strs[i].Equal(v, c.info.fold, ctx)
			}
			if t == pattern.True {
				return t, true
			}
			if t == pattern.Unknown {
				res = t
			}
		}
	case famBool:
		if _, ok := parseBool(v); !ok {
			return pattern.False, false
		}
		for i := range c.strs {
			t := c.strs[i].Equal(v, true, ctx)
			if t == pattern.True {
				return t, true
			}
			if t == pattern.Unknown {
				res = t
			}
		}
	case famARN:
		if !looksLikeARN(v) {
			return pattern.False, false
		}
		for i := range c.arns {
			t := c.arns[i].Match(v, ctx)
			if t == pattern.True {
				return t, true
			}
			if t == pattern.Unknown {
				res = t
			}
		}
	case famNumeric:
		d, ok := parseDecimal(v)
		if !ok {
			return pattern.False, false
		}
		for _, n := range c.nums {
			if holds(c.info.cmp, d.compare(n)) {
				return pattern.True, true
			}
		}
	case famDate:
		t, ok := parseDate(v)
		if !ok {
			return pattern.False, false
		}
		for _, d := range c.dates {
			if holds(c.info.cmp, t.compare(d)) {
				return pattern.True, true
			}
		}
	case famIP:
		for _, p := range c.ips {
			in, ok := inPrefix(p, v)
			if !ok {
				return pattern.False, false
			}
			if in {
				return pattern.True, true
			}
		}
	case famBinary:
		for _, b := range c.bins {
			if b.equal(v) {
				return pattern.True, true
			}
		}
	}
	return res, true
}

// looksLikeARN reports whether v has the six fields of an ARN, or holds a
// symbol (a value unknown before apply, which may be one).
func looksLikeARN(v string) bool {
	if strings.IndexByte(v, '<') >= 0 {
		return true
	}
	return len(v) > 4 && strings.EqualFold(v[:4], "arn:") && strings.Count(v, ":") >= 5
}

// holds reports whether a comparison result (request value against policy
// value) satisfies the operator's relation.
func holds(op cmp, c int) bool {
	switch op {
	case cmpEq:
		return c == 0
	case cmpLt:
		return c < 0
	case cmpLe:
		return c <= 0
	case cmpGt:
		return c > 0
	}
	return c >= 0
}

package eventmatch

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode"
)

// LogPattern is a compiled CloudWatch Logs filter pattern, the language of
// subscription and metric filters. It has three forms:
//
//   - terms: words or "quoted phrases" that must all occur in the message;
//     a term written ?term makes the ?-terms alternatives (one of them must
//     occur), -term excludes messages that hold it, and %regex% is a
//     regular expression;
//   - JSON: { $.selector OP value && … || … } on messages that are JSON;
//   - space-delimited: [name, name OP value, ..., name] on messages split
//     into fields at spaces ("quoted" and [bracketed] runs are one field).
//
// An empty pattern matches every message.
type LogPattern struct {
	src   string
	terms *termPattern
	json  logExpr
	delim *delimPattern
}

// maxLogPattern is the longest filter pattern CloudWatch Logs accepts.
const maxLogPattern = 1024

// ParseLogPattern compiles a filter pattern; errors say where it is wrong.
func ParseLogPattern(src string) (*LogPattern, error) {
	if len(src) > maxLogPattern {
		return nil, fmt.Errorf("filter pattern longer than %d characters", maxLogPattern)
	}
	p := &LogPattern{src: src}
	s := strings.TrimSpace(src)
	var err error
	switch {
	case s == "":
	case strings.HasPrefix(s, "{"):
		if !strings.HasSuffix(s, "}") {
			return nil, fmt.Errorf("JSON filter pattern: missing closing }")
		}
		lx := &logLexer{s: s[1 : len(s)-1], regexes: new(int)}
		p.json, err = lx.parseOr(0)
		if err == nil && !lx.done() {
			err = lx.errorf("unexpected %q", lx.rest())
		}
		if err != nil {
			return nil, fmt.Errorf("JSON filter pattern: %w", err)
		}
	case strings.HasPrefix(s, "["):
		if !strings.HasSuffix(s, "]") {
			return nil, fmt.Errorf("space-delimited filter pattern: missing closing ]")
		}
		if p.delim, err = parseDelim(s[1 : len(s)-1]); err != nil {
			return nil, fmt.Errorf("space-delimited filter pattern: %w", err)
		}
	default:
		if p.terms, err = parseTerms(s); err != nil {
			return nil, fmt.Errorf("filter pattern: %w", err)
		}
	}
	return p, nil
}

// String is the pattern as written.
func (p *LogPattern) String() string { return p.src }

// Match decides one log event's message.
func (p *LogPattern) Match(message string) Result {
	switch {
	case p.terms != nil:
		return p.terms.match(message)
	case p.json != nil:
		doc, ok := decodeLogJSON(message)
		if !ok {
			return Result{Verdict: NoMatch, Field: "message", Reason: "the message is not a JSON object, and the pattern is a JSON pattern"}
		}
		if !p.json.eval(func(sel []selStep) []any { return selectJSON(doc, sel) }) {
			return Result{Verdict: NoMatch, Field: "message", Reason: "the message does not satisfy " + strings.TrimSpace(p.src)}
		}
	case p.delim != nil:
		return p.delim.match(message)
	}
	return Result{Verdict: Match}
}

func decodeLogJSON(message string) (any, bool) {
	dec := json.NewDecoder(strings.NewReader(message))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, false
	}
	if _, err := dec.Token(); err == nil {
		return nil, false // trailing content
	}
	_, ok := v.(map[string]any)
	return v, ok
}

// ---- terms ----

type logTerm struct {
	text string
	re   *regexp.Regexp
}

func (t logTerm) in(msg string) bool {
	if t.re != nil {
		return t.re.MatchString(msg)
	}
	return strings.Contains(msg, t.text)
}

func (t logTerm) String() string {
	if t.re != nil {
		return "%" + t.re.String() + "%"
	}
	return strconv.Quote(t.text)
}

type termPattern struct {
	all, any, none []logTerm
}

func parseTerms(s string) (*termPattern, error) {
	tp := &termPattern{}
	for i := 0; i < len(s); {
		if s[i] == ' ' || s[i] == '\t' {
			i++
			continue
		}
		kind := byte(0)
		if s[i] == '?' || s[i] == '-' {
			kind = s[i]
			i++
		}
		var t logTerm
		switch {
		case i < len(s) && s[i] == '"':
			text, n, err := quoted(s[i:])
			if err != nil {
				return nil, fmt.Errorf("at column %d: %w", i+1, err)
			}
			i += n
			t.text = text
			// A quoted blank matches every message: it adds no term.
			if strings.TrimSpace(text) == "" && kind == 0 {
				continue
			}
		case i < len(s) && s[i] == '%':
			j := strings.IndexByte(s[i+1:], '%')
			if j < 0 {
				return nil, fmt.Errorf("at column %d: regular expression without closing %%", i+1)
			}
			re, err := compileLogRegex(s[i+1 : i+1+j])
			if err != nil {
				return nil, fmt.Errorf("at column %d: %w", i+1, err)
			}
			t.re = re
			i += j + 2
		default:
			j := i
			for j < len(s) && s[j] != ' ' && s[j] != '\t' {
				j++
			}
			if j == i {
				return nil, fmt.Errorf("at column %d: %q without a term", i, string(kind))
			}
			t.text = s[i:j]
			i = j
		}
		switch kind {
		case '?':
			tp.any = append(tp.any, t)
		case '-':
			tp.none = append(tp.none, t)
		default:
			tp.all = append(tp.all, t)
		}
	}
	return tp, nil
}

func (tp *termPattern) match(msg string) Result {
	for _, t := range tp.all {
		if !t.in(msg) {
			return Result{Verdict: NoMatch, Field: "message", Reason: fmt.Sprintf("the message does not contain %s", t)}
		}
	}
	for _, t := range tp.none {
		if t.in(msg) {
			return Result{Verdict: NoMatch, Field: "message", Reason: fmt.Sprintf("the message contains the excluded term %s", t)}
		}
	}
	if len(tp.any) > 0 {
		for _, t := range tp.any {
			if t.in(msg) {
				return Result{Verdict: Match}
			}
		}
		var names []string
		for _, t := range tp.any {
			names = append(names, t.String())
		}
		return Result{Verdict: NoMatch, Field: "message", Reason: "the message contains none of " + strings.Join(names, ", ")}
	}
	return Result{Verdict: Match}
}

// quoted reads a double-quoted string (backslash escapes the next
// character) and returns its text and length in s.
func quoted(s string) (string, int, error) {
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			if i+1 < len(s) {
				i++
				b.WriteByte(s[i])
			}
		case '"':
			return b.String(), i + 1, nil
		default:
			b.WriteByte(s[i])
		}
	}
	return "", 0, fmt.Errorf("unterminated quoted string")
}

// logRegexChars are the characters a filter pattern regular expression
// may hold besides letters and digits: CloudWatch Logs rejects others
// (parentheses, spaces, "!", multi-byte characters).
const logRegexChars = ":_#=@/;,-^$?[]{}|\\*+."

// compileLogRegex compiles a filter pattern regular expression.
func compileLogRegex(s string) (*regexp.Regexp, error) {
	if s == "" {
		return nil, fmt.Errorf("empty regular expression")
	}
	for _, c := range s {
		if !(c < 128 && (unicode.IsLetter(c) || unicode.IsDigit(c)) || strings.ContainsRune(logRegexChars, c)) {
			return nil, fmt.Errorf("regular expression %%%s%%: %q is not supported", s, c)
		}
	}
	re, err := regexp.Compile(s)
	if err != nil {
		return nil, fmt.Errorf("regular expression %%%s%%: %v", s, err)
	}
	return re, nil
}

// ---- values shared by JSON and space-delimited patterns ----

// logValue is the right-hand side of a comparison.
type logValue struct {
	text    string
	num     float64
	isNum   bool // written as a number
	quoted  bool
	re      *regexp.Regexp
	literal string // TRUE, FALSE, NULL after IS
}

func (v logValue) String() string {
	switch {
	case v.re != nil:
		return "%" + v.re.String() + "%"
	case v.quoted:
		return strconv.Quote(v.text)
	}
	return v.text
}

// logCompare applies op to a field's value: a JSON value (string, json.Number,
// bool, nil) or a space-delimited field (string).
func logCompare(op string, field any, v logValue) bool {
	var s string
	var n float64
	hasNum := false
	switch f := field.(type) {
	case string:
		s = f
		if x, err := strconv.ParseFloat(f, 64); err == nil && !math.IsNaN(x) {
			n, hasNum = x, true
		}
	case json.Number:
		s = f.String()
		if x, err := f.Float64(); err == nil {
			n, hasNum = x, true
		}
	default:
		return false // objects, arrays, booleans and null compare only with IS
	}
	switch op {
	case "=", "!=":
		var eq bool
		switch {
		case v.re != nil:
			eq = v.re.MatchString(s)
		case v.isNum && hasNum:
			eq = n == v.num
		default:
			eq = logGlob(v.text, s)
		}
		return eq == (op == "=")
	}
	if !v.isNum || !hasNum {
		return false
	}
	switch op {
	case "<":
		return n < v.num
	case "<=":
		return n <= v.num
	case ">":
		return n > v.num
	case ">=":
		return n >= v.num
	}
	return false
}

// logGlob matches s against a value where '*' stands for any run of
// characters.
func logGlob(pat, s string) bool {
	if !strings.Contains(pat, "*") {
		return pat == s
	}
	parts := strings.Split(pat, "*")
	if !strings.HasPrefix(s, parts[0]) {
		return false
	}
	s = s[len(parts[0]):]
	last := parts[len(parts)-1]
	for _, mid := range parts[1 : len(parts)-1] {
		i := strings.Index(s, mid)
		if i < 0 {
			return false
		}
		s = s[i+len(mid):]
	}
	return strings.HasSuffix(s, last)
}

// ---- JSON patterns ----

type logExpr interface {
	eval(lookup func([]selStep) []any) bool
}

type logAnd struct{ l, r logExpr }
type logOr struct{ l, r logExpr }

func (e logAnd) eval(f func([]selStep) []any) bool { return e.l.eval(f) && e.r.eval(f) }
func (e logOr) eval(f func([]selStep) []any) bool  { return e.l.eval(f) || e.r.eval(f) }

// selStep is one step of a selector: a key, an index, or '*' (any member).
type selStep struct {
	key   string
	index int
	isIdx bool
	any   bool
}

type logCond struct {
	sel []selStep
	op  string // = != < <= > >= IS NOT_EXISTS
	val logValue
}

func (c logCond) eval(f func([]selStep) []any) bool {
	vals := f(c.sel)
	if c.op == "NOT_EXISTS" {
		return len(vals) == 0
	}
	for _, v := range vals {
		if c.op == "IS" {
			switch c.val.literal {
			case "TRUE", "FALSE":
				if b, ok := v.(bool); ok && b == (c.val.literal == "TRUE") {
					return true
				}
			case "NULL":
				if v == nil {
					return true
				}
			}
			continue
		}
		if logCompare(c.op, v, c.val) {
			return true
		}
	}
	return false
}

// selectJSON returns the values a selector reaches (several through '*').
func selectJSON(doc any, sel []selStep) []any {
	cur := []any{doc}
	for _, st := range sel {
		var next []any
		for _, v := range cur {
			switch x := v.(type) {
			case map[string]any:
				if st.any {
					for _, m := range x {
						next = append(next, m)
					}
				} else if m, ok := x[st.key]; ok && !st.isIdx {
					next = append(next, m)
				}
			case []any:
				if st.any {
					next = append(next, x...)
				} else if st.isIdx && st.index < len(x) {
					next = append(next, x[st.index])
				}
			}
		}
		cur = next
		if len(cur) == 0 {
			break
		}
	}
	return cur
}

// logLexer reads the inside of a JSON pattern.
type logLexer struct {
	s   string
	pos int
	// regexes counts the regular-expression values read, shared by the
	// lexers of one pattern.
	regexes *int
}

// maxPatternRegexes is how many regular expressions a JSON or
// space-delimited pattern may hold.
const maxPatternRegexes = 2

func (l *logLexer) skip() {
	for l.pos < len(l.s) && unicode.IsSpace(rune(l.s[l.pos])) {
		l.pos++
	}
}

func (l *logLexer) done() bool { l.skip(); return l.pos >= len(l.s) }

func (l *logLexer) rest() string {
	r := l.s[l.pos:]
	if len(r) > 20 {
		r = r[:20] + "…"
	}
	return r
}

func (l *logLexer) errorf(format string, args ...any) error {
	return fmt.Errorf("at column %d: %s", l.pos+2, fmt.Sprintf(format, args...))
}

func (l *logLexer) eat(tok string) bool {
	l.skip()
	if strings.HasPrefix(l.s[l.pos:], tok) {
		l.pos += len(tok)
		return true
	}
	return false
}

// eatWord consumes a keyword followed by a non-word character.
func (l *logLexer) eatWord(w string) bool {
	l.skip()
	r := l.s[l.pos:]
	if len(r) >= len(w) && strings.EqualFold(r[:len(w)], w) && (len(r) == len(w) || !isWordByte(r[len(w)])) {
		l.pos += len(w)
		return true
	}
	return false
}

func isWordByte(c byte) bool {
	return c == '_' || c == '-' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// maxLogDepth bounds parenthesis nesting.
const maxLogDepth = 50

func (l *logLexer) parseOr(depth int) (logExpr, error) {
	return l.chain("||", func() (logExpr, error) { return l.parseAnd(depth) }, func(a, b logExpr) logExpr { return logOr{a, b} })
}

func (l *logLexer) parseAnd(depth int) (logExpr, error) {
	return l.chain("&&", func() (logExpr, error) { return l.parseUnary(depth) }, func(a, b logExpr) logExpr { return logAnd{a, b} })
}

// chain parses operands joined by op, left-associative.
func (l *logLexer) chain(op string, operand func() (logExpr, error), join func(a, b logExpr) logExpr) (logExpr, error) {
	left, err := operand()
	if err != nil {
		return nil, err
	}
	for l.eat(op) {
		right, err := operand()
		if err != nil {
			return nil, err
		}
		left = join(left, right)
	}
	return left, nil
}

func (l *logLexer) parseUnary(depth int) (logExpr, error) {
	if depth > maxLogDepth {
		return nil, l.errorf("parentheses nested deeper than %d", maxLogDepth)
	}
	if l.eat("(") {
		e, err := l.parseOr(depth + 1)
		if err != nil {
			return nil, err
		}
		if !l.eat(")") {
			return nil, l.errorf("missing )")
		}
		return e, nil
	}
	return l.parseCond()
}

func (l *logLexer) parseCond() (logExpr, error) {
	sel, err := l.parseSelector()
	if err != nil {
		return nil, err
	}
	if l.eatWord("IS") {
		for _, lit := range []string{"TRUE", "FALSE", "NULL"} {
			if l.eatWord(lit) {
				return logCond{sel: sel, op: "IS", val: logValue{literal: lit}}, nil
			}
		}
		return nil, l.errorf("IS takes TRUE, FALSE or NULL")
	}
	if l.eatWord("NOT") {
		if !l.eatWord("EXISTS") {
			return nil, l.errorf("NOT takes EXISTS")
		}
		return logCond{sel: sel, op: "NOT_EXISTS"}, nil
	}
	op := ""
	for _, o := range []string{"!=", "<=", ">=", "=", "<", ">"} {
		if l.eat(o) {
			op = o
			break
		}
	}
	if op == "" {
		return nil, l.errorf("expected a comparison (=, !=, <, <=, >, >=), IS or NOT EXISTS")
	}
	v, err := l.parseValue(op)
	if err != nil {
		return nil, err
	}
	return logCond{sel: sel, op: op, val: v}, nil
}

func (l *logLexer) parseSelector() ([]selStep, error) {
	if !l.eat("$") {
		return nil, l.errorf("a condition starts with a selector ($.field)")
	}
	var sel []selStep
	for l.pos < len(l.s) {
		switch c := l.s[l.pos]; {
		case c == '.' && l.pos+1 < len(l.s) && l.s[l.pos+1] == '[':
			l.pos++ // $.['key']: the dot before a bracket is optional
		case c == '.':
			l.pos++
			if l.pos < len(l.s) && l.s[l.pos] == '*' {
				l.pos++
				sel = append(sel, selStep{any: true})
				continue
			}
			j := l.pos
			for j < len(l.s) && (isWordByte(l.s[j]) || l.s[j] == '@' || l.s[j] == ':' || l.s[j] > 127) {
				j++
			}
			if j == l.pos {
				return nil, l.errorf("a field name after '.'")
			}
			sel = append(sel, selStep{key: l.s[l.pos:j]})
			l.pos = j
		case c == '[':
			end := strings.IndexByte(l.s[l.pos:], ']')
			if end < 0 {
				return nil, l.errorf("missing ]")
			}
			in := strings.TrimSpace(l.s[l.pos+1 : l.pos+end])
			switch {
			case in == "*":
				sel = append(sel, selStep{any: true})
			case len(in) >= 2 && (in[0] == '\'' || in[0] == '"') && in[len(in)-1] == in[0]:
				sel = append(sel, selStep{key: in[1 : len(in)-1]})
			default:
				n, err := strconv.Atoi(in)
				if err != nil || n < 0 {
					return nil, l.errorf("an array index, '*' or a quoted key inside [ ]")
				}
				sel = append(sel, selStep{index: n, isIdx: true})
			}
			l.pos += end + 1
		default:
			if len(sel) == 0 {
				return nil, l.errorf("a selector names a field ($.field)")
			}
			return sel, nil
		}
	}
	if len(sel) == 0 {
		return nil, l.errorf("a selector names a field ($.field)")
	}
	return sel, nil
}

// parseValue reads a quoted string, a %regex% or a bare value (up to a
// space, ')' or the next operator).
func (l *logLexer) parseValue(op string) (logValue, error) {
	l.skip()
	if l.pos >= len(l.s) {
		return logValue{}, l.errorf("a value after %s", op)
	}
	switch l.s[l.pos] {
	case '"':
		text, n, err := quoted(l.s[l.pos:])
		if err != nil {
			return logValue{}, l.errorf("%v", err)
		}
		l.pos += n
		return checkOp(op, logValue{text: text, quoted: true}, l)
	case '%':
		j := strings.IndexByte(l.s[l.pos+1:], '%')
		if j < 0 {
			return logValue{}, l.errorf("regular expression without closing %%")
		}
		re, err := compileLogRegex(l.s[l.pos+1 : l.pos+1+j])
		if err != nil {
			return logValue{}, l.errorf("%v", err)
		}
		if l.regexes != nil {
			if *l.regexes++; *l.regexes > maxPatternRegexes {
				return logValue{}, l.errorf("more than %d regular expressions in one pattern", maxPatternRegexes)
			}
		}
		l.pos += j + 2
		return checkOp(op, logValue{re: re}, l)
	}
	j := l.pos
	for j < len(l.s) && !unicode.IsSpace(rune(l.s[j])) && l.s[j] != ')' && !strings.HasPrefix(l.s[j:], "&&") && !strings.HasPrefix(l.s[j:], "||") {
		j++
	}
	v := logValue{text: l.s[l.pos:j]}
	l.pos = j
	if n, err := strconv.ParseFloat(v.text, 64); err == nil && !math.IsNaN(n) && !math.IsInf(n, 0) {
		v.num, v.isNum = n, true
	}
	return checkOp(op, v, l)
}

func checkOp(op string, v logValue, l *logLexer) (logValue, error) {
	if op != "=" && op != "!=" && !v.isNum {
		return logValue{}, l.errorf("%s compares numbers, not %s", op, v)
	}
	return v, nil
}

// ---- space-delimited patterns ----

type delimSlot struct {
	name     string
	ellipsis bool
	cond     logExpr // conditions on this field, or nil
}

type delimPattern struct {
	slots []delimSlot
}

// maxDelimFields bounds the fields of a space-delimited pattern and of a
// message split into fields.
const maxDelimFields = 256

func parseDelim(s string) (*delimPattern, error) {
	dp := &delimPattern{}
	regexes := new(int)
	parts, err := splitSlots(s)
	if err != nil {
		return nil, err
	}
	if len(parts) > maxDelimFields {
		return nil, fmt.Errorf("more than %d fields", maxDelimFields)
	}
	for k, part := range parts {
		part = strings.TrimSpace(part)
		if part == "..." {
			dp.slots = append(dp.slots, delimSlot{ellipsis: true})
			continue
		}
		if part == "" {
			return nil, fmt.Errorf("field %d is empty", k+1)
		}
		j := 0
		for j < len(part) && (isWordByte(part[j]) || part[j] == '.') {
			j++
		}
		if j == 0 {
			return nil, fmt.Errorf("field %d: a field starts with its name", k+1)
		}
		slot := delimSlot{name: part[:j]}
		if strings.TrimSpace(part[j:]) != "" {
			// Each condition names the field ("status = 4* || status
			// = 5*") and speaks of it only.
			lx := &logLexer{s: part, regexes: regexes}
			cond, err := lx.parseDelimOr(slot.name)
			if err == nil && !lx.done() {
				err = lx.errorf("unexpected %q", lx.rest())
			}
			if err != nil {
				return nil, fmt.Errorf("field %d (%s): %w", k+1, slot.name, err)
			}
			slot.cond = cond
		}
		dp.slots = append(dp.slots, slot)
	}
	return dp, nil
}

// splitSlots splits at commas outside quotes.
func splitSlots(s string) ([]string, error) {
	var parts []string
	start, inQuote := 0, false
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '"':
			inQuote = !inQuote
		case ',':
			if !inQuote {
				parts = append(parts, s[start:i])
				start = i + 1
			}
		}
	}
	if inQuote {
		return nil, fmt.Errorf("unterminated quoted string")
	}
	return append(parts, s[start:]), nil
}

func (l *logLexer) parseDelimOr(name string) (logExpr, error) {
	return l.chain("||", func() (logExpr, error) { return l.parseDelimAnd(name) }, func(a, b logExpr) logExpr { return logOr{a, b} })
}

func (l *logLexer) parseDelimAnd(name string) (logExpr, error) {
	return l.chain("&&", func() (logExpr, error) { return l.parseDelimCond(name) }, func(a, b logExpr) logExpr { return logAnd{a, b} })
}

func (l *logLexer) parseDelimCond(name string) (logExpr, error) {
	if !l.eatWord(name) {
		return nil, l.errorf("a condition of field %s names it", name)
	}
	op := ""
	for _, o := range []string{"!=", "<=", ">=", "=", "<", ">"} {
		if l.eat(o) {
			op = o
			break
		}
	}
	if op == "" {
		return nil, l.errorf("expected a comparison (=, !=, <, <=, >, >=)")
	}
	v, err := l.parseValue(op)
	if err != nil {
		return nil, err
	}
	return logCond{op: op, val: v}, nil
}

// splitFields splits a message at spaces; a "quoted" or [bracketed] run is
// one field, compared without its quotes or brackets.
func splitFields(msg string) ([]string, bool) {
	var out []string
	for i := 0; i < len(msg); {
		c := msg[i]
		if c == ' ' || c == '\t' {
			i++
			continue
		}
		if len(out) == maxDelimFields {
			return nil, false
		}
		if c == '"' || c == '[' {
			end := byte('"')
			if c == '[' {
				end = ']'
			}
			if j := strings.IndexByte(msg[i+1:], end); j >= 0 {
				out = append(out, msg[i+1:i+1+j])
				i += j + 2
				continue
			}
		}
		j := i
		for j < len(msg) && msg[j] != ' ' && msg[j] != '\t' {
			j++
		}
		out = append(out, msg[i:j])
		i = j
	}
	return out, true
}

func (dp *delimPattern) match(msg string) Result {
	fields, ok := splitFields(msg)
	if !ok {
		return Result{Verdict: NoMatch, Field: "message", Reason: fmt.Sprintf("the message has more than %d fields", maxDelimFields)}
	}
	// memo[i][j]: slots from i on cannot take fields from j on.
	failed := make([][]bool, len(dp.slots)+1)
	for i := range failed {
		failed[i] = make([]bool, len(fields)+1)
	}
	var first string
	var walk func(i, j int) bool
	walk = func(i, j int) bool {
		if i == len(dp.slots) {
			return j == len(fields)
		}
		if failed[i][j] {
			return false
		}
		s := dp.slots[i]
		ok := false
		switch {
		case s.ellipsis:
			for k := j; k <= len(fields) && !ok; k++ {
				ok = walk(i+1, k)
			}
		case j < len(fields):
			if s.cond == nil || s.cond.eval(func([]selStep) []any { return []any{fields[j]} }) {
				ok = walk(i+1, j+1)
			} else if first == "" {
				first = fmt.Sprintf("field %s is %q", s.name, fields[j])
			}
		}
		if !ok {
			failed[i][j] = true
		}
		return ok
	}
	if walk(0, 0) {
		return Result{Verdict: Match}
	}
	named := 0
	for _, s := range dp.slots {
		if !s.ellipsis {
			named++
		}
	}
	if first == "" {
		return Result{Verdict: NoMatch, Field: "message", Reason: fmt.Sprintf("the message has %d fields, the pattern names %d", len(fields), named)}
	}
	return Result{Verdict: NoMatch, Field: "message", Reason: "no split of the message into the pattern's fields satisfies it (" + first + ")"}
}

// MatchLogEvents decides each log event message of a CloudWatch Logs
// record: a subscription delivers only the events its pattern matches.
// It returns the indexes of the matching messages, and the result of the
// first message that did not match.
func (p *LogPattern) MatchLogEvents(messages []string) ([]int, Result) {
	var hit []int
	var miss Result
	for i, m := range messages {
		r := p.Match(m)
		if r.Verdict == Match {
			hit = append(hit, i)
		} else if miss.Verdict == "" {
			miss = r
		}
	}
	return hit, miss
}

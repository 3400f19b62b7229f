// Package eventmatch decides whether one concrete event is delivered by one
// trigger configuration, the way AWS routes it: EventBridge event patterns,
// SNS subscription filter policies, Lambda event source mapping filter
// criteria, S3 notification event names and key filters, IoT rule topic
// filters and WHERE clauses, API Gateway route keys and ALB listener rule
// conditions. Every "no" comes with the first condition that failed.
//
// Pipeline place: a library below the simulator's event trace (it imports
// nothing of the simulator or the inventory); the trace asks it, per
// trigger, whether the event gets through.
package eventmatch

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/netip"
	"sort"
	"strconv"
	"strings"
)

// Dialect is the pattern language variant: the three services share one
// grammar but differ in the operators they accept.
type Dialect int

const (
	// EventBridge event patterns: every operator.
	EventBridge Dialect = iota
	// SNS subscription filter policies: no wildcard; nesting only in the
	// MessageBody scope (checked by the SNS helpers).
	SNS
	// ESM is Lambda event source mapping filter criteria: no wildcard, no
	// cidr.
	ESM
)

func (d Dialect) String() string {
	switch d {
	case SNS:
		return "SNS filter policy"
	case ESM:
		return "event source mapping filter"
	default:
		return "EventBridge event pattern"
	}
}

// Verdict is a matcher's answer. Unknown is for derived events whose
// fields the simulation cannot know (the key a function writes).
type Verdict string

const (
	Match   Verdict = "match"
	NoMatch Verdict = "no-match"
	Unknown Verdict = "unknown"
)

// Result is a verdict with the first failing field and why it failed.
type Result struct {
	Verdict Verdict `json:"verdict"`
	Field   string  `json:"field,omitempty"`
	Reason  string  `json:"reason,omitempty"`
}

// Matched is true only for a certain match.
func (r Result) Matched() bool { return r.Verdict == Match }

// UnknownValue stands in an event for a value the simulation cannot know;
// any condition on it answers Unknown.
type UnknownValue struct{ Why string }

// Pattern is a compiled event pattern, filter policy or filter criterion.
type Pattern struct {
	dialect Dialect
	root    *object
}

// object is one level of a pattern: fields that must all match, and $or
// groups of which one branch must match.
type object struct {
	keys     []string // sorted, for a deterministic first failure
	leaves   map[string]*leaf
	children map[string]*object
	ors      [][]*object
}

// leaf is the list of conditions on one field: any one matching suffices.
type leaf struct {
	conds []cond
	text  string // the pattern's own JSON, for explanations
}

type condKind int

const (
	cExact condKind = iota
	cPrefix
	cSuffix
	cEqualsIgnoreCase
	cWildcard
	cAnythingBut
	cNumeric
	cExists
	cCIDR
)

// cond is one condition on a leaf value.
type cond struct {
	kind  condKind
	value any // cExact: string, float64, bool or nil
	// numText is set on an EventBridge exact number: EventBridge compares
	// a number's text, so 300, 300.0 and 3.0e2 differ.
	numText    string
	textual    bool
	str        string
	ignoreCase bool
	exists     bool
	// cAnythingBut: a value list or one inner condition.
	butValues []any
	butInner  []cond
	ranges    numericRange
	prefix    netip.Prefix
}

type numericRange struct {
	lower, upper       float64
	lowerSet, upperSet bool
	lowerInc, upperInc bool
}

// maxDepth bounds nesting of patterns and events (hostile input).
const maxDepth = 64

// Compile parses a pattern document in a dialect. Errors name the field
// and the rule broken, never the document's values.
func Compile(doc []byte, d Dialect) (*Pattern, error) {
	v, err := decode(doc)
	if err != nil {
		return nil, err
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%s: must be a JSON object", d)
	}
	root, err := compileObject(m, d, "", 0)
	if err != nil {
		return nil, err
	}
	return &Pattern{dialect: d, root: root}, nil
}

// decode reads one JSON value with numbers kept exact.
func decode(doc []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("not valid JSON: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("not valid JSON: text after the value")
	}
	return v, nil
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func compileObject(m map[string]any, d Dialect, path string, depth int) (*object, error) {
	if depth > maxDepth {
		return nil, fmt.Errorf("%s: nested deeper than %d levels", path, maxDepth)
	}
	if len(m) == 0 {
		return nil, fmt.Errorf("%s: empty object", orRoot(path))
	}
	o := &object{leaves: map[string]*leaf{}, children: map[string]*object{}}
	for k, v := range m {
		p := join(path, k)
		if k == "$or" {
			arr, ok := v.([]any)
			if !ok || len(arr) < 2 {
				return nil, fmt.Errorf("%s: $or needs an array of at least two objects", p)
			}
			var group []*object
			for i, b := range arr {
				bm, ok := b.(map[string]any)
				if !ok {
					return nil, fmt.Errorf("%s[%d]: must be an object", p, i)
				}
				sub, err := compileObject(bm, d, path, depth+1)
				if err != nil {
					return nil, err
				}
				group = append(group, sub)
			}
			o.ors = append(o.ors, group)
			continue
		}
		o.keys = append(o.keys, k)
		switch t := v.(type) {
		case map[string]any:
			sub, err := compileObject(t, d, p, depth+1)
			if err != nil {
				return nil, err
			}
			o.children[k] = sub
		case []any:
			l, err := compileLeaf(t, d, p)
			if err != nil {
				return nil, err
			}
			o.leaves[k] = l
		default:
			return nil, fmt.Errorf("%s: match values must be in an array", p)
		}
	}
	sort.Strings(o.keys)
	return o, nil
}

func orRoot(p string) string {
	if p == "" {
		return "pattern"
	}
	return p
}

func compileLeaf(arr []any, d Dialect, path string) (*leaf, error) {
	if len(arr) == 0 {
		return nil, fmt.Errorf("%s: empty array", path)
	}
	l := &leaf{}
	for _, v := range arr {
		c, err := compileCond(v, d, path)
		if err != nil {
			return nil, err
		}
		l.conds = append(l.conds, c)
	}
	b, _ := json.Marshal(arr)
	l.text = string(b)
	return l, nil
}

// scalar converts a decoded JSON scalar for comparison; ok is false for
// arrays and objects.
func scalar(v any) (any, bool) {
	switch t := v.(type) {
	case nil, string, bool:
		return t, true
	case json.Number:
		f, err := strconv.ParseFloat(string(t), 64)
		if err != nil || math.IsInf(f, 0) {
			return string(t), true
		}
		return f, true
	case float64:
		return t, true
	}
	return nil, false
}

func compileCond(v any, d Dialect, path string) (cond, error) {
	if m, ok := v.(map[string]any); ok {
		return compileOperator(m, d, path)
	}
	s, ok := scalar(v)
	if !ok {
		return cond{}, fmt.Errorf("%s: an array may hold values and operator objects only", path)
	}
	if n, isNum := v.(json.Number); isNum && d == EventBridge {
		return cond{kind: cExact, value: s, numText: string(n), textual: true}, nil
	}
	return cond{kind: cExact, value: s}, nil
}

func stringArg(v any, path, op string) (string, error) {
	s, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("%s: %s takes a string", path, op)
	}
	return s, nil
}

func compileOperator(m map[string]any, d Dialect, path string) (cond, error) {
	if len(m) != 1 {
		return cond{}, fmt.Errorf("%s: an operator object holds exactly one operator", path)
	}
	for op, arg := range m {
		switch op {
		case "prefix", "suffix":
			kind := cPrefix
			if op == "suffix" {
				kind = cSuffix
			}
			if inner, ok := arg.(map[string]any); ok {
				// {"prefix": {"equals-ignore-case": "x"}}
				a, ok := inner["equals-ignore-case"]
				if len(inner) != 1 || !ok || d == ESM {
					return cond{}, fmt.Errorf("%s: %s takes a string or {\"equals-ignore-case\": string}", path, op)
				}
				s, err := stringArg(a, path, op)
				if err != nil {
					return cond{}, err
				}
				return cond{kind: kind, str: s, ignoreCase: true}, nil
			}
			s, err := stringArg(arg, path, op)
			if err != nil {
				return cond{}, err
			}
			return cond{kind: kind, str: s}, nil
		case "equals-ignore-case":
			s, err := stringArg(arg, path, op)
			if err != nil {
				return cond{}, err
			}
			return cond{kind: cEqualsIgnoreCase, str: s}, nil
		case "wildcard":
			if d != EventBridge {
				return cond{}, fmt.Errorf("%s: %s does not support wildcard", path, d)
			}
			s, err := stringArg(arg, path, op)
			if err != nil {
				return cond{}, err
			}
			if err := checkWildcard(s); err != nil {
				return cond{}, fmt.Errorf("%s: %w", path, err)
			}
			return cond{kind: cWildcard, str: s}, nil
		case "exists":
			b, ok := arg.(bool)
			if !ok {
				return cond{}, fmt.Errorf("%s: exists takes true or false", path)
			}
			return cond{kind: cExists, exists: b}, nil
		case "cidr":
			if d == ESM {
				return cond{}, fmt.Errorf("%s: %s does not support cidr", path, d)
			}
			s, err := stringArg(arg, path, op)
			if err != nil {
				return cond{}, err
			}
			p, err := netip.ParsePrefix(s)
			if err != nil {
				return cond{}, fmt.Errorf("%s: cidr is not an IP prefix", path)
			}
			return cond{kind: cCIDR, prefix: p.Masked()}, nil
		case "numeric":
			r, err := compileNumeric(arg, path)
			if err != nil {
				return cond{}, err
			}
			return cond{kind: cNumeric, ranges: r}, nil
		case "anything-but":
			return compileAnythingBut(arg, d, path)
		default:
			return cond{}, fmt.Errorf("%s: unknown operator %q", path, safeName(op))
		}
	}
	return cond{}, fmt.Errorf("%s: empty operator object", path)
}

// safeName keeps an operator name short and printable in an error.
func safeName(s string) string {
	if len(s) > 32 {
		s = s[:32]
	}
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return '?'
		}
		return r
	}, s)
}

func compileAnythingBut(arg any, d Dialect, path string) (cond, error) {
	c := cond{kind: cAnythingBut}
	switch t := arg.(type) {
	case []any:
		if len(t) == 0 {
			return cond{}, fmt.Errorf("%s: anything-but needs at least one value", path)
		}
		for _, v := range t {
			s, ok := scalar(v)
			if !ok {
				return cond{}, fmt.Errorf("%s: anything-but list holds strings and numbers only", path)
			}
			c.butValues = append(c.butValues, s)
		}
	case map[string]any:
		if len(t) != 1 {
			return cond{}, fmt.Errorf("%s: anything-but takes one operator", path)
		}
		for op, a := range t {
			if op != "prefix" && op != "suffix" && op != "wildcard" && op != "equals-ignore-case" {
				return cond{}, fmt.Errorf("%s: anything-but does not combine with %q", path, safeName(op))
			}
			// The inner argument may be a string or (wildcard,
			// equals-ignore-case) a list of strings.
			args := []any{a}
			if list, ok := a.([]any); ok {
				if op == "prefix" || op == "suffix" || len(list) == 0 {
					return cond{}, fmt.Errorf("%s: anything-but %s takes a string", path, op)
				}
				args = list
			}
			for _, one := range args {
				inner, err := compileOperator(map[string]any{op: one}, d, path)
				if err != nil {
					return cond{}, err
				}
				c.butInner = append(c.butInner, inner)
			}
		}
	default:
		s, ok := scalar(arg)
		if !ok {
			return cond{}, fmt.Errorf("%s: anything-but takes a value, a list or an operator", path)
		}
		c.butValues = []any{s}
	}
	return c, nil
}

func compileNumeric(arg any, path string) (numericRange, error) {
	var r numericRange
	arr, ok := arg.([]any)
	if !ok || len(arr) == 0 || len(arr)%2 != 0 || len(arr) > 4 {
		return r, fmt.Errorf("%s: numeric takes [op, number] or [op, number, op, number]", path)
	}
	for i := 0; i < len(arr); i += 2 {
		op, ok := arr[i].(string)
		n, nok := scalar(arr[i+1])
		f, fok := n.(float64)
		if !ok || !nok || !fok {
			return r, fmt.Errorf("%s: numeric takes [op, number] pairs", path)
		}
		switch op {
		case "=":
			if len(arr) != 2 {
				return r, fmt.Errorf("%s: numeric = stands alone", path)
			}
			r = numericRange{lower: f, upper: f, lowerSet: true, upperSet: true, lowerInc: true, upperInc: true}
		case ">", ">=":
			if r.lowerSet {
				return r, fmt.Errorf("%s: numeric has two lower bounds", path)
			}
			r.lower, r.lowerSet, r.lowerInc = f, true, op == ">="
		case "<", "<=":
			if r.upperSet {
				return r, fmt.Errorf("%s: numeric has two upper bounds", path)
			}
			r.upper, r.upperSet, r.upperInc = f, true, op == "<="
		default:
			return r, fmt.Errorf("%s: numeric operator must be =, <, <=, > or >=", path)
		}
	}
	if r.lowerSet && r.upperSet && (r.lower > r.upper) {
		return r, fmt.Errorf("%s: numeric range is empty", path)
	}
	return r, nil
}

// checkWildcard rejects what EventBridge rejects: consecutive '*', and a
// backslash escaping anything but '*' or a backslash.
func checkWildcard(s string) error {
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' {
			if i+1 >= len(s) || s[i+1] != '*' && s[i+1] != '\\' {
				return fmt.Errorf("wildcard escapes a character other than '*' or '\\'")
			}
			i++
			continue
		}
		if s[i] == '*' && i+1 < len(s) && s[i+1] == '*' {
			return fmt.Errorf("wildcard has consecutive '*'")
		}
	}
	return nil
}

// Match decides a decoded JSON event (as from encoding/json with UseNumber,
// or plain float64 numbers).
func (p *Pattern) Match(event any) Result {
	return matchObject(p.root, event, "", 0)
}

// MatchJSON decodes and decides an event document.
func (p *Pattern) MatchJSON(doc []byte) (Result, error) {
	v, err := decode(doc)
	if err != nil {
		return Result{}, err
	}
	return p.Match(v), nil
}

func matchObject(o *object, v any, path string, depth int) Result {
	if depth > maxDepth {
		return Result{Verdict: NoMatch, Field: path, Reason: "event nested too deep"}
	}
	if u, ok := v.(UnknownValue); ok {
		f := path
		if f == "" {
			f = "event"
		}
		return Result{Verdict: Unknown, Field: f, Reason: u.Why}
	}
	// An array of objects matches when one element does.
	if arr, ok := v.([]any); ok {
		best := Result{Verdict: NoMatch, Field: orRoot(path), Reason: "no element of the array matches"}
		for _, e := range arr {
			switch e.(type) {
			case map[string]any, []any:
				// Arrays of arrays are crushed the same way.
			default:
				continue
			}
			r := matchObject(o, e, path, depth+1)
			if r.Verdict == Match {
				return r
			}
			if r.Verdict == Unknown || best.Reason == "no element of the array matches" {
				best = r
			}
		}
		return best
	}
	m, _ := v.(map[string]any) // nil: every field is missing
	unknown := Result{}
	for _, k := range o.keys {
		p := join(path, k)
		var r Result
		if l, ok := o.leaves[k]; ok {
			fv, present := m[k]
			r = matchLeaf(l, fv, present, p)
		} else {
			r = matchObject(o.children[k], m[k], p, depth+1)
		}
		switch r.Verdict {
		case NoMatch:
			return r
		case Unknown:
			if unknown.Verdict == "" {
				unknown = r
			}
		}
	}
	for _, group := range o.ors {
		var firstFail, firstUnknown Result
		matched := false
		for _, b := range group {
			r := matchObject(b, v, path, depth+1)
			if r.Verdict == Match {
				matched = true
				break
			}
			if r.Verdict == Unknown && firstUnknown.Verdict == "" {
				firstUnknown = r
			}
			if r.Verdict == NoMatch && firstFail.Verdict == "" {
				firstFail = r
			}
		}
		if matched {
			continue
		}
		if firstUnknown.Verdict != "" {
			if unknown.Verdict == "" {
				unknown = firstUnknown
			}
			continue
		}
		return Result{Verdict: NoMatch, Field: firstFail.Field, Reason: "no $or branch matches; first: " + firstFail.Reason}
	}
	if unknown.Verdict != "" {
		return unknown
	}
	return Result{Verdict: Match}
}

// leaves flattens an event value into the scalars a leaf condition sees:
// arrays contribute each element (recursively), objects contribute none.
func leafValues(v any, out []any, depth int) ([]any, bool) {
	if depth > maxDepth {
		return out, false
	}
	switch t := v.(type) {
	case []any:
		for _, e := range t {
			var ok bool
			if out, ok = leafValues(e, out, depth+1); !ok {
				return out, false
			}
		}
	case map[string]any:
	case UnknownValue:
		return out, false
	default:
		// Numbers keep their text (json.Number) for exact matching.
		out = append(out, t)
	}
	return out, true
}

func matchLeaf(l *leaf, v any, present bool, path string) Result {
	if u, ok := v.(UnknownValue); ok {
		return Result{Verdict: Unknown, Field: path, Reason: u.Why}
	}
	var vals []any
	if present {
		vals, _ = leafValues(v, nil, 0)
	}
	exists := len(vals) > 0
	for _, c := range l.conds {
		if c.kind == cExists {
			if c.exists == exists {
				return Result{Verdict: Match}
			}
			continue
		}
		for _, val := range vals {
			if c.match(val) {
				return Result{Verdict: Match}
			}
		}
	}
	if !exists {
		return Result{Verdict: NoMatch, Field: path, Reason: "field is absent; pattern wants " + l.text}
	}
	return Result{Verdict: NoMatch, Field: path, Reason: "value " + describe(v) + " does not match " + l.text}
}

// describe prints an event value briefly for a trace.
func describe(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return "?"
	}
	if len(b) > 80 {
		return string(b[:77]) + "..."
	}
	return string(b)
}

func (c cond) match(raw any) bool {
	if c.kind == cExact && c.textual {
		switch n := raw.(type) {
		case json.Number:
			return string(n) == c.numText
		case float64:
			return strconv.FormatFloat(n, 'g', -1, 64) == c.numText
		}
		return false
	}
	v, _ := scalar(raw)
	switch c.kind {
	case cExact:
		return equalScalar(c.value, v)
	case cPrefix:
		s, ok := v.(string)
		if !ok {
			return false
		}
		if c.ignoreCase {
			return len(s) >= len(c.str) && strings.EqualFold(s[:len(c.str)], c.str)
		}
		return strings.HasPrefix(s, c.str)
	case cSuffix:
		s, ok := v.(string)
		if !ok {
			return false
		}
		if c.ignoreCase {
			return len(s) >= len(c.str) && strings.EqualFold(s[len(s)-len(c.str):], c.str)
		}
		return strings.HasSuffix(s, c.str)
	case cEqualsIgnoreCase:
		s, ok := v.(string)
		return ok && strings.EqualFold(s, c.str)
	case cWildcard:
		s, ok := v.(string)
		return ok && wildcardMatch(c.str, s)
	case cNumeric:
		f, ok := v.(float64)
		return ok && c.ranges.contains(f)
	case cCIDR:
		s, ok := v.(string)
		if !ok {
			return false
		}
		a, err := netip.ParseAddr(s)
		return err == nil && c.prefix.Contains(a.Unmap())
	case cAnythingBut:
		if v == nil {
			// null is no value to be "anything but" of.
			return false
		}
		for _, b := range c.butValues {
			if equalScalar(b, v) {
				return false
			}
		}
		for _, in := range c.butInner {
			s, ok := v.(string)
			if !ok || in.match(s) {
				return false
			}
		}
		return true
	}
	return false
}

func equalScalar(a, b any) bool {
	switch x := a.(type) {
	case nil:
		return b == nil
	case string:
		y, ok := b.(string)
		return ok && x == y
	case float64:
		y, ok := b.(float64)
		return ok && x == y
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	}
	return false
}

func (r numericRange) contains(f float64) bool {
	if r.lowerSet && (f < r.lower || (f == r.lower && !r.lowerInc)) {
		return false
	}
	if r.upperSet && (f > r.upper || (f == r.upper && !r.upperInc)) {
		return false
	}
	return true
}

// wildcardMatch matches s against a pattern where '*' stands for any run of
// characters and "\*" and "\\" are literal.
func wildcardMatch(pat, s string) bool {
	// Tokens: literal bytes, or star.
	type tok struct {
		star bool
		b    byte
	}
	toks := make([]tok, 0, len(pat))
	for i := 0; i < len(pat); i++ {
		switch {
		case pat[i] == '\\' && i+1 < len(pat):
			i++
			toks = append(toks, tok{b: pat[i]})
		case pat[i] == '*':
			toks = append(toks, tok{star: true})
		default:
			toks = append(toks, tok{b: pat[i]})
		}
	}
	// Classic linear backtracking over the last star.
	ti, si, starT, starS := 0, 0, -1, 0
	for si < len(s) {
		switch {
		case ti < len(toks) && !toks[ti].star && toks[ti].b == s[si]:
			ti++
			si++
		case ti < len(toks) && toks[ti].star:
			starT, starS = ti, si
			ti++
		case starT >= 0:
			starS++
			si = starS
			ti = starT + 1
		default:
			return false
		}
	}
	for ti < len(toks) && toks[ti].star {
		ti++
	}
	return ti == len(toks)
}

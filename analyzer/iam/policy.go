package iam

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/lambdacheck/lambdacheck/analyzer/iam/condition"
	"github.com/lambdacheck/lambdacheck/analyzer/iam/pattern"
)

// Kind is the part a policy plays in an authorization decision. It decides
// which elements a statement must or must not carry (AWS "IAM JSON policy
// element reference": identity policies have no Principal, resource-based
// policies must name one, SCPs have no Principal, RCPs name "*").
type Kind uint8

const (
	IdentityPolicy Kind = iota
	ResourcePolicy
	BoundaryPolicy
	SessionPolicy
	ServiceControlPolicy
	ResourceControlPolicy
)

func (k Kind) String() string {
	switch k {
	case IdentityPolicy:
		return "identity policy"
	case ResourcePolicy:
		return "resource-based policy"
	case BoundaryPolicy:
		return "permissions boundary"
	case SessionPolicy:
		return "session policy"
	case ServiceControlPolicy:
		return "service control policy"
	default:
		return "resource control policy"
	}
}

// Effect is a statement's Effect element.
type Effect uint8

const (
	Allow Effect = iota
	Deny
)

func (e Effect) String() string {
	if e == Deny {
		return "Deny"
	}
	return "Allow"
}

// Source says where a policy document came from, for errors and explanations.
type Source struct {
	Name string // policy name or Terraform address
	File string // file holding the document, when known
	Line int    // line in File at which the JSON document starts (1 when it is the whole file)
}

// Policy is a parsed, validated and compiled policy document.
type Policy struct {
	Source
	Kind       Kind
	Version    string
	ID         string
	Statements []*Statement
	// Notices: what the policy says that AWS accepts but does not act on as
	// written, in statement order. They do not stop the policy from being
	// used.
	Notices []Notice

	data  []byte
	lines *lineIndex
	// lenient: accept what AWS refuses when a policy is written (see
	// ParseOptions) and decide it as AWS would if it existed.
	lenient bool
	// byService indexes statements by the lower-case service prefix of their
	// Action patterns; anyService holds the statements that may match any
	// service (NotAction, "*", or a wildcard inside the prefix).
	byService  map[string][]int32
	anyService []int32
}

// Notice is a finding on a policy that is not an error.
type Notice struct {
	Statement int // index in the Statement list
	Line      int
	Msg       string
}

// Statement is one compiled statement of a policy.
type Statement struct {
	Policy *Policy
	Index  int // position in the Statement list, from 0
	Sid    string
	Effect Effect
	Line   int // line of the statement in Source.File (or in the document)
	// Written, when set, is where the statement was written apart from
	// the document it was compiled in: a Lambda permission block that
	// added it to a function's resource policy.
	Written *Source

	Actions      []string // as written
	NotAction    bool
	Resources    []string // as written; nil when the element is absent
	NotResource  bool
	Principal    *PrincipalSet // nil when neither Principal nor NotPrincipal is present
	NotPrincipal bool

	actions   []actionPattern
	resources []pattern.Template
	// resVars: some Resource pattern holds a policy variable;
	// resPrefixVar: one holds it in the region or account field.
	resVars, resPrefixVar bool
	cond                  *condition.Block
	sidOff                int // byte offset of the Sid value, for duplicate-Sid errors
}

// Condition returns the compiled Condition element, or nil.
func (s *Statement) Condition() *condition.Block { return s.cond }

// Ref renders "name: statement 2 (Sid "x")" for messages.
func (s *Statement) Ref() string {
	var b strings.Builder
	if s.Policy != nil && s.Policy.Name != "" {
		b.WriteString(s.Policy.Name)
		b.WriteString(": ")
	}
	fmt.Fprintf(&b, "Statement[%d]", s.Index)
	if s.Sid != "" {
		fmt.Fprintf(&b, " (Sid %q)", s.Sid)
	}
	return b.String()
}

// Location renders "file:line" when the file is known, else "line N".
func (s *Statement) Location() string {
	if s.Policy != nil && s.Policy.File != "" {
		return fmt.Sprintf("%s:%d", s.Policy.File, s.Line)
	}
	return fmt.Sprintf("line %d", s.Line)
}

type actionPattern struct {
	service string // lower-case prefix, may hold wildcards; "*" for the bare "*"
	full    string // the whole pattern, matched case-insensitively
	literal bool   // no wildcard anywhere
	// prefix: full is ASCII text and one '*' at its end ("s3:Get*"), the
	// commonest wildcard action, which matches an ASCII action by
	// comparing its start.
	prefix bool
}

// PolicyError is a validation or syntax error in a policy document. It names
// the policy, the JSON path of the offending element and its position.
type PolicyError struct {
	Policy string
	File   string
	Line   int
	Col    int
	Path   string // e.g. Statement[2].Condition.StringLike
	Msg    string
}

func (e *PolicyError) Error() string {
	var b strings.Builder
	b.WriteString("policy ")
	if e.Policy != "" {
		fmt.Fprintf(&b, "%q ", e.Policy)
	}
	switch {
	case e.File != "":
		fmt.Fprintf(&b, "(%s:%d:%d)", e.File, e.Line, e.Col)
	default:
		fmt.Fprintf(&b, "(line %d, column %d)", e.Line, e.Col)
	}
	if e.Path != "" {
		fmt.Fprintf(&b, " %s", e.Path)
	}
	b.WriteString(": ")
	b.WriteString(e.Msg)
	return b.String()
}

// ParseOptions changes how Parse reads a document.
type ParseOptions struct {
	// Lenient accepts documents that AWS refuses when they are written, and
	// decides them as AWS would if they existed, for comparing the engine
	// with others on such documents: any Version (variables stay off unless
	// it is 2012-10-17), duplicate Sids, an RCP without "Principal": "*",
	// a Principal element where the kind of policy has none (ignored), an
	// identity statement without Resource (it matches no resource), empty
	// value lists and malformed actions (they match nothing), and principals
	// that are not account ids, ARNs or service names, or that hold partial
	// wildcards (principals are compared literally, so they name no one).
	// Documents whose meaning is not defined (bad JSON, no Effect or Action,
	// unknown elements, malformed conditions) are still refused.
	Lenient bool
}

// Parse parses and validates a policy document for the given kind.
func Parse(data []byte, kind Kind, src Source) (*Policy, error) {
	return ParseWith(data, kind, src, ParseOptions{})
}

// ParseWith is Parse with options.
func ParseWith(data []byte, kind Kind, src Source, opt ParseOptions) (*Policy, error) {
	if src.Line < 1 {
		src.Line = 1
	}
	lines := newLineIndex(data)
	arena := arenaPool.Get().(*jsonArena)
	defer arena.release()
	root, err := parseJSONIn(arena, data)
	if err != nil {
		p := &Policy{Source: src, Kind: kind, data: data, lines: lines}
		return nil, p.syntaxError(err)
	}
	return parseValue(data, lines, &root, kind, src, opt)
}

// CheckJSON reports whether data is JSON as Parse reads it: strict, and
// without duplicate keys. The error is a *PolicyError whose line counts
// from src.Line. Loaders use it to refuse a document early, at the place
// it is written, whatever kind of policy it turns out to be.
func CheckJSON(data []byte, src Source) error {
	if src.Line < 1 {
		src.Line = 1
	}
	arena := arenaPool.Get().(*jsonArena)
	defer arena.release()
	if _, err := parseJSONIn(arena, data); err != nil {
		p := &Policy{Source: src, data: data, lines: newLineIndex(data)}
		return p.syntaxError(err)
	}
	return nil
}

func (p *Policy) syntaxError(err error) *PolicyError {
	var se *jsonSyntaxError
	if !errors.As(err, &se) {
		return p.errAt(0, "", err.Error())
	}
	if se.first >= 0 {
		return p.errAt(se.off, "", fmt.Sprintf("%s (first at line %d); IAM refuses documents with duplicate keys", se.msg, p.lineOf(se.first)))
	}
	return p.errAt(se.off, "", "invalid JSON: "+se.msg)
}

// parseValue builds a policy from an already parsed JSON value inside data
// (a whole file, or one line of a batch input that holds several policies).
func parseValue(data []byte, lines *lineIndex, v *jsonValue, kind Kind, src Source, opt ParseOptions) (*Policy, error) {
	if src.Line < 1 {
		src.Line = 1
	}
	p := &Policy{Source: src, Kind: kind, data: data, lines: lines, lenient: opt.Lenient}
	if err := p.build(v); err != nil {
		return nil, err
	}
	p.index()
	return p, nil
}

func (p *Policy) errAt(off int, path, msg string) *PolicyError {
	line, col := p.lines.lineCol(off)
	return &PolicyError{Policy: p.Name, File: p.File, Line: line + p.Line - 1, Col: col, Path: path, Msg: msg}
}

func (p *Policy) errf(v *jsonValue, path, format string, args ...any) *PolicyError {
	off := 0
	if v != nil {
		off = int(v.off)
	}
	return p.errAt(off, path, fmt.Sprintf(format, args...))
}

func (p *Policy) lineOf(off int) int {
	line, _ := p.lines.lineCol(off)
	return line + p.Line - 1
}

func (p *Policy) build(root *jsonValue) error {
	if root.kind != jsonObject {
		return p.errf(root, "", "a policy must be a JSON object, got %s", root.kind)
	}
	var stmts *jsonValue
	for i := range root.elems {
		k := root.elems[i].key
		v := &root.elems[i]
		switch k {
		case "Version":
			if v.kind != jsonString {
				return p.errf(v, "Version", "must be a string, got %s", v.kind)
			}
			if v.text != "2012-10-17" && v.text != "2008-10-17" && !p.lenient {
				return p.errf(v, "Version", "must be \"2012-10-17\" or \"2008-10-17\", got %q", v.text)
			}
			p.Version = v.text
		case "Id":
			if v.kind != jsonString {
				return p.errf(v, "Id", "must be a string, got %s", v.kind)
			}
			p.ID = v.text
		case "Statement":
			stmts = v
		default:
			return p.errf(v, k, "unknown policy element %q (elements are case-sensitive: Version, Id, Statement)", k)
		}
	}
	if stmts == nil {
		return p.errf(root, "Statement", "missing the Statement element")
	}
	// Policy variables are only substituted under Version 2012-10-17; in
	// older or version-less documents "${...}" is literal text.
	opt := pattern.Options{Wildcards: true, Variables: p.Version == "2012-10-17"}
	switch stmts.kind {
	case jsonObject:
		s, err := p.statement(new(Statement), stmts, 0, "Statement", opt)
		if err != nil {
			return err
		}
		p.Statements = []*Statement{s}
	case jsonArray:
		// One allocation for all statements: parsing is most of a batch
		// line's cost when its policies are new.
		backing := make([]Statement, len(stmts.elems))
		p.Statements = make([]*Statement, 0, len(stmts.elems))
		for i := range stmts.elems {
			s, err := p.statement(&backing[i], &stmts.elems[i], i, statementPath(i), opt)
			if err != nil {
				return err
			}
			p.Statements = append(p.Statements, s)
		}
	default:
		return p.errf(stmts, "Statement", "must be an object or an array of objects, got %s", stmts.kind)
	}
	if p.Kind != IdentityPolicy && !p.lenient {
		// AWS rejects duplicate Sids in resource-based policies and SCPs.
		seen := map[string]int{}
		for _, s := range p.Statements {
			if s.Sid == "" {
				continue
			}
			if j, dup := seen[s.Sid]; dup {
				return p.errAt(s.sidOff, fmt.Sprintf("Statement[%d].Sid", s.Index), fmt.Sprintf("duplicate Sid %q (also Statement[%d])", s.Sid, j))
			}
			seen[s.Sid] = s.Index
		}
	}
	return nil
}

// statement compiles v into s.
func (p *Policy) statement(s *Statement, v *jsonValue, idx int, path string, opt pattern.Options) (*Statement, error) {
	if v.kind != jsonObject {
		return nil, p.errf(v, path, "a statement must be an object, got %s", v.kind)
	}
	*s = Statement{Policy: p, Index: idx, Line: p.lineOf(int(v.off))}
	var haveEffect, haveAction, haveResource bool
	var condVal *jsonValue
	for i := range v.elems {
		k := v.elems[i].key
		e := &v.elems[i]
		ep := jpath{path, k}
		switch k {
		case "Sid":
			if e.kind != jsonString {
				return nil, p.errf(e, ep.String(), "must be a string, got %s", e.kind)
			}
			s.Sid = e.text
			s.sidOff = int(e.off)
		case "Effect":
			if e.kind != jsonString || (e.text != "Allow" && e.text != "Deny") {
				return nil, p.errf(e, ep.String(), "must be \"Allow\" or \"Deny\", got %s", describeValue(e))
			}
			if e.text == "Deny" {
				s.Effect = Deny
			}
			haveEffect = true
		case "Action", "NotAction":
			if haveAction {
				return nil, p.errf(e, ep.String(), "%s", twice(v, i, "Action", "NotAction"))
			}
			haveAction = true
			s.NotAction = k == "NotAction"
			list, err := p.stringList(e, ep)
			if err != nil {
				return nil, err
			}
			for j, a := range list {
				ap, err := compileAction(a)
				if err != nil && p.lenient {
					// Matches no request action, which always has a prefix.
					ap, err = actionPattern{service: strings.ToLower(a), full: a, literal: true}, nil
				}
				if err != nil {
					return nil, p.errf(elemAt(e, j), listPath(ep.String(), e, j), "%v", err)
				}
				if s.actions == nil {
					s.actions = make([]actionPattern, 0, len(list))
				}
				s.actions = append(s.actions, ap)
			}
			s.Actions = list
		case "Resource", "NotResource":
			if haveResource {
				return nil, p.errf(e, ep.String(), "%s", twice(v, i, "Resource", "NotResource"))
			}
			haveResource = true
			s.NotResource = k == "NotResource"
			list, err := p.stringList(e, ep)
			if err != nil {
				return nil, err
			}
			for j, r := range list {
				t, err := pattern.Compile(r, opt)
				if err != nil {
					return nil, p.errf(elemAt(e, j), listPath(ep.String(), e, j), "%v", err)
				}
				if s.resources == nil {
					s.resources = make([]pattern.Template, 0, len(list))
				}
				s.resources = append(s.resources, t)
				s.resVars = s.resVars || t.HasVariables()
				s.resPrefixVar = s.resPrefixVar || t.VarInARNPrefix()
			}
			s.Resources = list
		case "Principal", "NotPrincipal":
			if s.Principal != nil {
				return nil, p.errf(e, ep.String(), "%s", twice(v, i, "Principal", "NotPrincipal"))
			}
			ps, err := p.principalSet(e, ep.String())
			if err != nil {
				return nil, err
			}
			s.Principal = ps
			s.NotPrincipal = k == "NotPrincipal"
		case "Condition":
			condVal = e
		default:
			return nil, p.errf(e, ep.String(), "unknown statement element %q (elements are case-sensitive: Sid, Effect, Principal, NotPrincipal, Action, NotAction, Resource, NotResource, Condition)", k)
		}
	}
	if !haveEffect {
		return nil, p.errf(v, path, "missing the Effect element")
	}
	if !haveAction {
		return nil, p.errf(v, path, "missing the Action or NotAction element")
	}
	if p.lenient {
		p.relax(s, haveResource)
		haveResource = true
	}
	switch p.Kind {
	case IdentityPolicy, BoundaryPolicy, SessionPolicy:
		if s.Principal != nil {
			return nil, p.errf(v, path, "%s statements cannot have a Principal or NotPrincipal element", p.Kind)
		}
		if !haveResource {
			return nil, p.errf(v, path, "missing the Resource or NotResource element")
		}
	case ServiceControlPolicy:
		if s.Principal != nil {
			return nil, p.errf(v, path, "service control policy statements cannot have a Principal or NotPrincipal element")
		}
	case ResourcePolicy:
		if s.Principal == nil {
			return nil, p.errf(v, path, "resource-based policy statements need a Principal or NotPrincipal element")
		}
	case ResourceControlPolicy:
		if s.Principal == nil || !s.Principal.Any || s.NotPrincipal {
			return nil, p.errf(v, path, "resource control policy statements must have \"Principal\": \"*\"")
		}
	}
	if s.NotPrincipal && s.Effect == Allow {
		p.Notices = append(p.Notices, Notice{Statement: idx, Line: s.Line,
			Msg: path + ": NotPrincipal with \"Effect\": \"Allow\" is not supported by AWS and grants nothing; name the principals in Principal, or use Deny with NotPrincipal or an aws:PrincipalArn condition"})
	}
	if condVal != nil {
		clauses, err := p.conditionClauses(condVal, path+".Condition", false)
		if err != nil {
			return nil, err
		}
		blk, err := condition.Compile(clauses, opt)
		if err != nil {
			// Compile again with JSON paths (built only now, on the error
			// path) so that the error names the offending clause.
			clauses, _ = p.conditionClauses(condVal, path+".Condition", true)
			_, err = condition.Compile(clauses, opt)
			var ce *condition.Error
			if errors.As(err, &ce) {
				return nil, p.errf(findPath(condVal, path+".Condition", ce.Path), ce.Path, "%s", ce.Msg)
			}
			return nil, p.errf(condVal, path+".Condition", "%v", err)
		}
		s.cond = blk
	}
	return s, nil
}

// relax makes a statement that AWS would refuse at write time into the
// statement it would be if it existed (ParseOptions.Lenient).
func (p *Policy) relax(s *Statement, haveResource bool) {
	switch p.Kind {
	case IdentityPolicy, BoundaryPolicy, SessionPolicy, ServiceControlPolicy:
		// These policies take their principal from where they are attached.
		s.Principal, s.NotPrincipal = nil, false
	case ResourceControlPolicy:
		if s.Principal == nil || !s.Principal.Any || s.NotPrincipal {
			s.Principal, s.NotPrincipal = &PrincipalSet{Any: true}, false
		}
	}
	if !haveResource && p.Kind != ResourcePolicy && p.Kind != ServiceControlPolicy {
		s.Resources = []string{} // matches no resource
	}
}

// statementPaths are the JSON paths of the first statements, built once:
// every statement of every parsed policy needs one.
var statementPaths = func() (out [32]string) {
	for i := range out {
		out[i] = fmt.Sprintf("Statement[%d]", i)
	}
	return out
}()

func statementPath(i int) string {
	if i < len(statementPaths) {
		return statementPaths[i]
	}
	return indexed("Statement", i)
}

// twice explains why member i of statement v is one too many of an element
// pair: a repeated element is not the same mistake as using both forms.
// (The JSON reader already refuses repeated keys; this keeps the message
// right for any tree built otherwise.)
func twice(v *jsonValue, i int, elem, notElem string) string {
	k := v.elems[i].key
	for j := 0; j < i; j++ {
		if v.elems[j].key == k {
			return fmt.Sprintf("duplicate %s element: a statement takes one %s (list several values in one array)", k, k)
		}
	}
	return fmt.Sprintf("a statement takes %s or %s, not both", elem, notElem)
}

func describeValue(v *jsonValue) string {
	if v.kind == jsonString {
		return fmt.Sprintf("%q", v.text)
	}
	return v.kind.String()
}

func elemAt(v *jsonValue, j int) *jsonValue {
	if v.kind == jsonArray && j < len(v.elems) {
		return &v.elems[j]
	}
	return v
}

func listPath(path string, v *jsonValue, j int) string {
	if v.kind == jsonArray {
		return fmt.Sprintf("%s[%d]", path, j)
	}
	return path
}

// jpath is a JSON path built only when an error needs it.
type jpath struct{ base, key string }

func (j jpath) String() string { return j.base + "." + j.key }

// stringList reads an element that may be a string or a non-empty list of strings.
func (p *Policy) stringList(v *jsonValue, jp jpath) ([]string, error) {
	switch v.kind {
	case jsonString:
		return []string{v.text}, nil
	case jsonArray:
		if len(v.elems) == 0 {
			if p.lenient {
				return []string{}, nil // a list of nothing matches nothing
			}
			return nil, p.errf(v, jp.String(), "must not be an empty list")
		}
		out := make([]string, len(v.elems))
		for i := range v.elems {
			e := &v.elems[i]
			if e.kind != jsonString {
				return nil, p.errf(e, fmt.Sprintf("%s[%d]", jp, i), "must be a string, got %s", e.kind)
			}
			out[i] = e.text
		}
		return out, nil
	default:
		return nil, p.errf(v, jp.String(), "must be a string or a list of strings, got %s", v.kind)
	}
}

func compileAction(a string) (actionPattern, error) {
	if a == "*" {
		return actionPattern{service: "*", full: "*"}, nil
	}
	colon := strings.IndexByte(a, ':')
	if colon <= 0 || colon == len(a)-1 {
		return actionPattern{}, fmt.Errorf("action %q must be \"*\" or \"service:action\"", a)
	}
	svc := strings.ToLower(a[:colon])
	for i := 0; i < len(svc); i++ {
		c := svc[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '*' || c == '?' || c == '.') {
			return actionPattern{}, fmt.Errorf("action %q has an invalid service prefix %q", a, a[:colon])
		}
	}
	return actionPattern{
		service: svc,
		full:    a,
		literal: !pattern.HasWildcard(a),
		prefix:  isPrefixPattern(a),
	}, nil
}

// isPrefixPattern reports whether a is ASCII with its only wildcard a '*'
// at its end.
func isPrefixPattern(a string) bool {
	for i := 0; i < len(a); i++ {
		if c := a[i]; c >= utf8.RuneSelf || c == '?' || c == '*' && i != len(a)-1 {
			return false
		}
	}
	return len(a) > 1 && a[len(a)-1] == '*'
}

// conditionClauses flattens a Condition element into operator/key/values
// clauses; value lists hold JSON strings, numbers and booleans as text.
func (p *Policy) conditionClauses(v *jsonValue, path string, withPaths bool) ([]condition.Clause, error) {
	if v.kind != jsonObject {
		return nil, p.errf(v, path, "must be an object of operators, got %s", v.kind)
	}
	var out []condition.Clause
	for i := range v.elems {
		op := v.elems[i].key
		ov := &v.elems[i]
		opPath := jpath{path, op}
		if ov.kind != jsonObject {
			return nil, p.errf(ov, opPath.String(), "must be an object of condition keys, got %s", ov.kind)
		}
		if len(ov.elems) == 0 {
			return nil, p.errf(ov, opPath.String(), "must name at least one condition key")
		}
		for j := range ov.elems {
			key := ov.elems[j].key
			kv := &ov.elems[j]
			kPath := ""
			if withPaths {
				kPath = fmt.Sprintf("%s[%q]", opPath, key)
			}
			keyPath := func() string { return fmt.Sprintf("%s[%q]", opPath, key) }
			var vals []string
			switch kv.kind {
			case jsonString, jsonNumber, jsonBool:
				vals = []string{kv.text}
			case jsonArray:
				if len(kv.elems) == 0 {
					return nil, p.errf(kv, keyPath(), "must not be an empty list")
				}
				vals = make([]string, len(kv.elems))
				for n := range kv.elems {
					e := &kv.elems[n]
					if e.kind != jsonString && e.kind != jsonNumber && e.kind != jsonBool {
						return nil, p.errf(e, fmt.Sprintf("%s[%d]", keyPath(), n), "condition values must be strings, numbers or booleans, got %s", e.kind)
					}
					vals[n] = e.text
				}
			default:
				return nil, p.errf(kv, keyPath(), "condition values must be a string, number, boolean or a list of them, got %s", kv.kind)
			}
			out = append(out, condition.Clause{Operator: op, Key: key, Values: vals, Path: kPath})
		}
	}
	return out, nil
}

// findPath returns the JSON value under cond whose path (as built by
// conditionClauses) equals want, so that a condition error points at it.
func findPath(cond *jsonValue, base, want string) *jsonValue {
	for i := range cond.elems {
		op := cond.elems[i].key
		ov := &cond.elems[i]
		opPath := base + "." + op
		if opPath == want {
			return ov
		}
		for j := range ov.elems {
			key := ov.elems[j].key
			kPath := fmt.Sprintf("%s[%q]", opPath, key)
			if strings.HasPrefix(want, kPath) {
				return &ov.elems[j]
			}
		}
	}
	return cond
}

// indexThreshold: below this many statements a linear scan beats a map.
const indexThreshold = 8

// index builds the per-service statement index used by Authorize. Small
// policies are scanned whole (all their statements go to anyService).
func (p *Policy) index() {
	if len(p.Statements) < indexThreshold {
		p.anyService = make([]int32, len(p.Statements))
		for i := range p.Statements {
			p.anyService[i] = int32(i)
		}
		return
	}
	p.byService = map[string][]int32{}
	for i, s := range p.Statements {
		if s.NotAction {
			p.anyService = append(p.anyService, int32(i))
			continue
		}
		wild := false
		var added []string
		for _, a := range s.actions {
			if strings.ContainsAny(a.service, "*?") {
				wild = true
				break
			}
		}
		if wild {
			p.anyService = append(p.anyService, int32(i))
			continue
		}
		for _, a := range s.actions {
			dup := false
			for _, x := range added {
				if x == a.service {
					dup = true
				}
			}
			if !dup {
				added = append(added, a.service)
				p.byService[a.service] = append(p.byService[a.service], int32(i))
			}
		}
	}
}

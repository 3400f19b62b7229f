package iam

import (
	"bytes"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/lambdacheck/lambdacheck/analyzer/iam/condition"
	"github.com/lambdacheck/lambdacheck/analyzer/iam/jsonstr"
	"github.com/lambdacheck/lambdacheck/analyzer/iam/pattern"
)

// policyReader builds a policy straight from its JSON text in one pass,
// without the intermediate tree of parseJSON: on the batch path most of a
// line's cost is building the policies that are new to it.
//
// It reads only documents written plainly (strings without escapes, each
// element where Parse expects it, nothing that Parse would refuse) and
// answers false on anything else, so that the caller parses the text the
// general way, which accepts the same documents and words the errors. Where
// it answers true the policy is the one ParseWith builds from the same text
// (FuzzPolicyReader checks both on arbitrary input).
//
// A reader keeps scratch memory between documents; it is not safe for
// concurrent use.
type policyReader struct {
	data []byte
	pos  int
	p    *Policy
	opt  pattern.Options
	// vars: the text holds "${", so how policy variables read depends on
	// the Version, which must then come before the statements.
	vars        bool
	haveVersion bool

	stmts   []*Statement
	clauses []condition.Clause
	list    []string

	// transient: the policy being read lives only until the next line, so
	// its memory comes from arena, which the next line reuses.
	transient bool
	arena     policyArena

	// conds holds the compiled Condition elements read before, by text:
	// policies new to a batch line often carry the conditions of others
	// (aws:SecureTransport, aws:PrincipalOrgID …). A Block is never
	// modified once compiled, so statements share it.
	conds map[condText]*condition.Block

	// lastPrincipal is the last role session a request named, and
	// sessionPrefix the length of its ARN up to the session name.
	lastPrincipal Principal
	sessionPrefix int

	// holes, when set, receives where the request's values sit (linePlan).
	holes *[]planHole
	// ctxKeys are the keys of the request context being read.
	ctxKeys []string
}

// maxContextKeys is the most keys a request context the reader reads may
// have; larger ones go to the general parser.
const maxContextKeys = 64

// condText is a Condition element's text and whether policy variables
// are read in it (they are under Version 2012-10-17 only).
type condText struct {
	text string
	vars bool
}

// maxConds bounds the conditions a reader keeps; past it they are
// forgotten, so that a batch of all-different conditions cannot grow it
// forever.
const maxConds = 1 << 12

// policyArena is the memory of the policies of one batch line that are
// not cached: most lines hold a few policies of their own, and allocating
// each of their parts anew was most of the garbage of a batch run.
type policyArena struct {
	policies   slab[Policy]
	statements slab[Statement]
	ptrs       slab[*Statement]
	strs       slab[string]
	actions    slab[actionPattern]
	templates  slab[pattern.Template]
	principals slab[PrincipalSet]
	indexes    slab[int32]
	lists      slab[*Policy]
	levels     slab[[]*Policy]
}

// reset makes the arena's memory reusable: every policy taken from it
// before is invalid afterwards.
func (a *policyArena) reset() {
	a.policies.reset()
	a.statements.reset()
	a.ptrs.reset()
	a.strs.reset()
	a.actions.reset()
	a.templates.reset()
	a.principals.reset()
	a.indexes.reset()
	a.lists.reset()
	a.levels.reset()
}

// slab hands out zeroed slices of one buffer until it is reset. When the
// buffer is full a larger one replaces it; what was handed out stays valid.
type slab[T any] struct{ buf []T }

// maxSlab keeps a slab that one huge line grew from pinning its memory.
const maxSlab = 1 << 14

func (s *slab[T]) take(n int) []T {
	out := s.takeDirty(n)
	clear(out)
	return out
}

// takeDirty is take for a caller that sets every element: they may hold
// what an earlier line left there.
func (s *slab[T]) takeDirty(n int) []T {
	if cap(s.buf)-len(s.buf) < n {
		s.buf = make([]T, 0, max(2*cap(s.buf), n, 16))
	}
	l := len(s.buf)
	s.buf = s.buf[:l+n]
	return s.buf[l : l+n : l+n]
}

func (s *slab[T]) reset() {
	if cap(s.buf) > maxSlab {
		s.buf = nil
	}
	s.buf = s.buf[:0]
}

// newStrings returns n strings, from the arena when the policy is transient.
func (r *policyReader) newStrings(n int) []string {
	if r.transient {
		return r.arena.strs.takeDirty(n) // callers set every string
	}
	return make([]string, n)
}

// oneLine is the line index of a document without line breaks: every
// offset is on its first line. It is shared and never modified.
var oneLine = &lineIndex{starts: []int{0}}

// read returns the policy of text, or false when text is not a plainly
// written valid policy of the kind.
//
// With transient set the policy's memory comes from the reader's arena,
// valid until the arena is reset.
func (r *policyReader) read(text []byte, kind Kind, src Source, opt ParseOptions, transient bool) (*Policy, bool) {
	if len(text) == 0 || text[0] != '{' || bytes.IndexByte(text, '\n') >= 0 || len(text) > maxJSONSize {
		return nil, false
	}
	if src.Line < 1 {
		src.Line = 1
	}
	r.transient = transient
	var p *Policy
	if transient {
		p = &r.arena.policies.takeDirty(1)[0]
	} else {
		p = new(Policy)
	}
	*p = Policy{Source: src, Kind: kind, data: text, lines: oneLine, lenient: opt.Lenient}
	r.data, r.pos, r.p = text, 0, p
	r.vars = bytes.Contains(text, []byte("${"))
	r.haveVersion = false
	r.stmts = r.stmts[:0]
	ok := r.policy()
	r.data, r.p = nil, nil
	if !ok {
		return nil, false
	}
	r.space()
	if r.pos != len(text) {
		return nil, false
	}
	if transient && len(p.Statements) < indexThreshold {
		// As Policy.index does for small policies.
		p.anyService = r.arena.indexes.take(len(p.Statements))
		for i := range p.anyService {
			p.anyService[i] = int32(i)
		}
	} else {
		p.index()
	}
	return p, true
}

const (
	pVersion = 1 << iota
	pID
	pStatement
)

func (r *policyReader) policy() bool {
	p := r.p
	seen := 0
	haveStatements := false
	ok := r.members(func(key string) bool {
		var bit int
		switch key {
		case "Version":
			bit = pVersion
		case "Id":
			bit = pID
		case "Statement":
			bit = pStatement
		default:
			return false
		}
		if seen&bit != 0 {
			return false
		}
		seen |= bit
		switch bit {
		case pVersion:
			v, ok := r.str()
			if !ok || (v != "2012-10-17" && v != "2008-10-17" && !p.lenient) {
				return false
			}
			p.Version = v
			r.haveVersion = true
			return true
		case pID:
			v, ok := r.str()
			p.ID = v
			return ok
		}
		if r.vars && !r.haveVersion {
			return false
		}
		r.opt = pattern.Options{Wildcards: true, Variables: p.Version == "2012-10-17"}
		haveStatements = true
		return r.statements()
	})
	if !ok || !haveStatements {
		return false
	}
	if p.Kind != IdentityPolicy && !p.lenient {
		// Duplicate Sids are refused there (Policy.build words the error).
		for i, s := range p.Statements {
			if s.Sid == "" {
				continue
			}
			for _, t := range p.Statements[:i] {
				if t.Sid == s.Sid {
					return false
				}
			}
		}
	}
	return true
}

func (r *policyReader) statements() bool {
	p := r.p
	if r.peek() == '{' {
		var s *Statement
		if r.transient {
			s = &r.arena.statements.takeDirty(1)[0]
			p.Statements = r.arena.ptrs.takeDirty(1)
		} else {
			s = new(Statement)
			p.Statements = make([]*Statement, 1)
		}
		p.Statements[0] = s
		return r.statement(s, 0, "Statement")
	}
	r.stmts = r.stmts[:0]
	ok := r.elements(func() bool {
		if r.peek() != '{' {
			return false
		}
		// Statements are built where they stay: copying them would cost
		// a write barrier per pointer while the collector runs.
		var s *Statement
		if r.transient {
			s = &r.arena.statements.takeDirty(1)[0]
		} else {
			s = new(Statement)
		}
		i := len(r.stmts)
		r.stmts = append(r.stmts, s)
		return r.statement(s, i, statementPath(i))
	})
	if !ok {
		return false
	}
	if r.transient {
		p.Statements = r.arena.ptrs.takeDirty(len(r.stmts))
	} else {
		p.Statements = make([]*Statement, len(r.stmts))
	}
	copy(p.Statements, r.stmts)
	clear(r.stmts)
	r.stmts = r.stmts[:0]
	return true
}

const (
	sSid = 1 << iota
	sEffect
	sAction
	sNotAction
	sResource
	sNotResource
	sPrincipal
	sNotPrincipal
	sCondition
)

// statement reads one statement into s, as Policy.statement does.
func (r *policyReader) statement(s *Statement, idx int, path string) bool {
	p := r.p
	*s = Statement{Policy: p, Index: idx, Line: p.Line}
	seen := 0
	ok := r.members(func(key string) bool {
		var bit int
		switch key {
		case "Sid":
			bit = sSid
		case "Effect":
			bit = sEffect
		case "Action":
			bit = sAction
		case "NotAction":
			bit = sNotAction
		case "Resource":
			bit = sResource
		case "NotResource":
			bit = sNotResource
		case "Principal":
			bit = sPrincipal
		case "NotPrincipal":
			bit = sNotPrincipal
		case "Condition":
			bit = sCondition
		default:
			return false
		}
		if seen&bit != 0 {
			return false
		}
		seen |= bit
		switch bit {
		case sSid:
			s.sidOff = r.pos
			v, ok := r.str()
			s.Sid = v
			return ok
		case sEffect:
			v, ok := r.str()
			switch {
			case !ok:
				return false
			case v == "Deny":
				s.Effect = Deny
			case v != "Allow":
				return false
			}
			return true
		case sAction, sNotAction:
			if seen&(sAction|sNotAction) == sAction|sNotAction {
				return false
			}
			s.NotAction = bit == sNotAction
			list, ok := r.strList()
			if !ok {
				return false
			}
			if len(list) > 0 {
				if r.transient {
					s.actions = r.arena.actions.takeDirty(len(list))
				} else {
					s.actions = make([]actionPattern, len(list))
				}
			}
			for j, a := range list {
				ap, err := compileAction(a)
				if err != nil {
					if !p.lenient {
						return false
					}
					ap = actionPattern{service: strings.ToLower(a), full: a, literal: true}
				}
				s.actions[j] = ap
			}
			s.Actions = list
			return true
		case sResource, sNotResource:
			if seen&(sResource|sNotResource) == sResource|sNotResource {
				return false
			}
			s.NotResource = bit == sNotResource
			list, ok := r.strList()
			if !ok {
				return false
			}
			if len(list) > 0 {
				if r.transient {
					s.resources = r.arena.templates.takeDirty(len(list))
				} else {
					s.resources = make([]pattern.Template, len(list))
				}
			}
			for j, res := range list {
				t, err := pattern.Compile(res, r.opt)
				if err != nil {
					return false
				}
				s.resources[j] = t
				s.resVars = s.resVars || t.HasVariables()
				s.resPrefixVar = s.resPrefixVar || t.VarInARNPrefix()
			}
			s.Resources = list
			return true
		case sPrincipal, sNotPrincipal:
			if seen&(sPrincipal|sNotPrincipal) == sPrincipal|sNotPrincipal {
				return false
			}
			ps, ok := r.principalSet()
			s.Principal = ps
			s.NotPrincipal = bit == sNotPrincipal
			return ok
		}
		blk, ok := r.sharedCondition()
		s.cond = blk
		return ok
	})
	if !ok || seen&sEffect == 0 || seen&(sAction|sNotAction) == 0 {
		return false
	}
	haveResource := seen&(sResource|sNotResource) != 0
	if p.lenient {
		p.relax(s, haveResource)
		haveResource = true
	}
	switch p.Kind {
	case IdentityPolicy, BoundaryPolicy, SessionPolicy:
		if s.Principal != nil || !haveResource {
			return false
		}
	case ServiceControlPolicy:
		if s.Principal != nil {
			return false
		}
	case ResourcePolicy:
		if s.Principal == nil {
			return false
		}
	case ResourceControlPolicy:
		if s.Principal == nil || !s.Principal.Any || s.NotPrincipal {
			return false
		}
	}
	if s.NotPrincipal && s.Effect == Allow {
		p.Notices = append(p.Notices, Notice{Statement: idx, Line: s.Line,
			Msg: path + ": NotPrincipal with \"Effect\": \"Allow\" is not supported by AWS and grants nothing; name the principals in Principal, or use Deny with NotPrincipal or an aws:PrincipalArn condition"})
	}
	return true
}

// principalSet reads a Principal or NotPrincipal element, as
// Policy.principalSet does.
func (r *policyReader) principalSet() (*PrincipalSet, bool) {
	p := r.p
	var ps *PrincipalSet
	if r.transient {
		ps = &r.arena.principals.take(1)[0]
	} else {
		ps = new(PrincipalSet)
	}
	if r.peek() == '"' {
		v, ok := r.str()
		ps.Any = true
		return ps, ok && v == "*"
	}
	const (
		kAWS = 1 << iota
		kService
		kFederated
		kCanonical
	)
	seen := 0
	ok := r.members(func(key string) bool {
		var bit int
		switch key {
		case "AWS":
			bit = kAWS
		case "Service":
			bit = kService
		case "Federated":
			bit = kFederated
		case "CanonicalUser":
			bit = kCanonical
		default:
			return false
		}
		if seen&bit != 0 {
			return false
		}
		seen |= bit
		list, ok := r.strListTemp()
		if !ok {
			return false
		}
		if bit == kAWS && r.transient && len(ps.ARNs) == 0 {
			// Room for addAWS to append to without allocating.
			ps.ARNs = r.arena.strs.take(len(list))[:0]
			ps.Accounts = r.arena.strs.take(len(list))[:0]
		}
		for _, s := range list {
			switch bit {
			case kAWS:
				if err := ps.addAWS(s); err != nil && !p.lenient {
					return false
				}
			case kService:
				if s == "*" {
					ps.Any = true
					continue
				}
				if s == "" || strings.ContainsAny(s, " *?") {
					if p.lenient {
						continue
					}
					return false
				}
				ps.Services = append(ps.Services, strings.ToLower(s))
			case kFederated:
				ps.Federated = append(ps.Federated, s)
			case kCanonical:
				ps.Canonical = append(ps.Canonical, s)
			}
		}
		return true
	})
	if !ok || seen == 0 {
		return nil, false
	}
	// An empty list is nil, as Policy.principalSet leaves it.
	if len(ps.ARNs) == 0 {
		ps.ARNs = nil
	}
	if len(ps.Accounts) == 0 {
		ps.Accounts = nil
	}
	for _, list := range [][]string{ps.Accounts, ps.ARNs, ps.Services, ps.Federated} {
		for _, x := range list {
			ps.sym = ps.sym || strings.IndexByte(x, '<') >= 0
		}
	}
	return ps, true
}

// sharedCondition reads a Condition element, compiled once per text.
func (r *policyReader) sharedCondition() (*condition.Block, bool) {
	start := r.pos
	// A Condition nests three levels (operators, keys, value lists); what
	// nests deeper is not a valid one.
	end, ok := skipValue(r.data, start, 3)
	if !ok {
		return nil, false
	}
	if blk, ok := r.conds[condText{alias(r.data[start:end]), r.opt.Variables}]; ok {
		r.pos = end
		return blk, true
	}
	// The block outlives the line: it is compiled from its own copy of
	// the text (its strings alias what they are read from), into memory
	// of its own.
	own := bytes.Clone(r.data[start:end])
	data, transient := r.data, r.transient
	r.data, r.pos, r.transient = own, 0, false
	blk, ok := r.condition()
	ok = ok && r.pos == len(own)
	r.data, r.pos, r.transient = data, end, transient
	if !ok {
		return nil, false
	}
	if r.conds == nil || len(r.conds) >= maxConds {
		r.conds = map[condText]*condition.Block{}
	}
	r.conds[condText{alias(own), r.opt.Variables}] = blk
	return blk, true
}

// condition reads and compiles a Condition element, as
// Policy.conditionClauses and condition.Compile do.
func (r *policyReader) condition() (*condition.Block, bool) {
	r.clauses = r.clauses[:0]
	ok := r.members(func(op string) bool {
		for _, c := range r.clauses {
			if c.Operator == op {
				return false // a duplicate key
			}
		}
		first := len(r.clauses)
		ok := r.members(func(key string) bool {
			for _, c := range r.clauses[first:] {
				if c.Key == key {
					return false
				}
			}
			var vals []string
			if r.peek() == '[' {
				r.list = r.list[:0]
				ok := r.elements(func() bool {
					v, ok := r.scalar()
					r.list = append(r.list, v)
					return ok
				})
				if !ok || len(r.list) == 0 {
					return false
				}
				vals = r.newStrings(len(r.list))
				copy(vals, r.list)
			} else {
				v, ok := r.scalar()
				if !ok {
					return false
				}
				vals = r.newStrings(1)
				vals[0] = v
			}
			r.clauses = append(r.clauses, condition.Clause{Operator: op, Key: key, Values: vals})
			return true
		})
		return ok && len(r.clauses) > first // an operator names at least one key
	})
	if !ok {
		return nil, false
	}
	blk, err := condition.Compile(r.clauses, r.opt)
	clear(r.clauses)
	r.clauses = r.clauses[:0]
	return blk, err == nil
}

// strList reads a string or a non-empty list of strings (empty when the
// policy is read leniently) into a new slice.
func (r *policyReader) strList() ([]string, bool) {
	if r.peek() == '"' {
		v, ok := r.str()
		out := r.newStrings(1)
		out[0] = v
		return out, ok
	}
	list, ok := r.strListTemp()
	if !ok {
		return nil, false
	}
	if len(list) == 0 {
		return []string{}, true
	}
	out := r.newStrings(len(list))
	copy(out, list)
	return out, true
}

// strListTemp is strList into scratch memory that the next read reuses.
func (r *policyReader) strListTemp() ([]string, bool) {
	if r.peek() == '"' {
		v, ok := r.str()
		r.list = append(r.list[:0], v)
		return r.list, ok
	}
	r.list = r.list[:0]
	ok := r.elements(func() bool {
		v, ok := r.str()
		r.list = append(r.list, v)
		return ok
	})
	if !ok || (len(r.list) == 0 && !r.p.lenient) {
		return nil, false
	}
	return r.list, true
}

// members reads an object, calling each with every member name once the
// reader stands on its value; each reads the value.
func (r *policyReader) members(each func(key string) bool) bool {
	r.space()
	if !r.eat('{') {
		return false
	}
	r.space()
	if r.eat('}') {
		return true
	}
	for {
		r.space()
		key, ok := r.str()
		if !ok {
			return false
		}
		r.space()
		if !r.eat(':') {
			return false
		}
		r.space()
		if !each(key) {
			return false
		}
		r.space()
		if r.eat(',') {
			continue
		}
		return r.eat('}')
	}
}

// elements reads an array, calling each once the reader stands on every
// element; each reads it.
func (r *policyReader) elements(each func() bool) bool {
	r.space()
	if !r.eat('[') {
		return false
	}
	r.space()
	if r.eat(']') {
		return true
	}
	for {
		r.space()
		if !each() {
			return false
		}
		r.space()
		if r.eat(',') {
			continue
		}
		return r.eat(']')
	}
}

func (r *policyReader) space() {
	for r.pos < len(r.data) {
		switch r.data[r.pos] {
		case ' ', '\t', '\r':
			r.pos++
		default:
			return
		}
	}
}

func (r *policyReader) peek() byte {
	if r.pos < len(r.data) {
		return r.data[r.pos]
	}
	return 0
}

func (r *policyReader) eat(c byte) bool {
	if r.pos < len(r.data) && r.data[r.pos] == c {
		r.pos++
		return true
	}
	return false
}

// str reads a string without escapes; it aliases the text.
func (r *policyReader) str() (string, bool) {
	if !r.eat('"') {
		return "", false
	}
	end, ok := plainStringEnd(r.data, r.pos)
	if !ok {
		return "", false
	}
	s := alias(r.data[r.pos:end])
	r.pos = end + 1
	return s, true
}

// plainStringEnd returns where the JSON string whose content starts at
// from in data ends (its closing quote), when it is written plainly: valid
// UTF-8 without escapes or control characters.
func plainStringEnd(data []byte, from int) (int, bool) {
	i := from + jsonstr.PlainPrefix(data[from:])
	if i < len(data) && data[i] == '"' {
		return i, true
	}
	var high byte
	for ; i < len(data); i++ {
		c := data[i]
		switch {
		case c == '"':
			if high >= utf8.RuneSelf && !utf8.Valid(data[from:i]) {
				return 0, false
			}
			return i, true
		case c == '\\' || c < 0x20:
			return 0, false
		}
		high |= c
	}
	return 0, false
}

// scalar reads a string, number or boolean as the text of a condition
// value.
func (r *policyReader) scalar() (string, bool) {
	switch c := r.peek(); {
	case c == '"':
		return r.str()
	case c == 't':
		return r.word("true")
	case c == 'f':
		return r.word("false")
	case c == '-' || c >= '0' && c <= '9':
		return r.number()
	}
	return "", false
}

func (r *policyReader) word(w string) (string, bool) {
	if len(r.data)-r.pos < len(w) || string(r.data[r.pos:r.pos+len(w)]) != w {
		return "", false
	}
	r.pos += len(w)
	return w, true
}

// number reads a JSON number as jsonParser.number does.
func (r *policyReader) number() (string, bool) {
	start := r.pos
	r.eat('-')
	digits := func() int {
		n := 0
		for r.pos < len(r.data) && r.data[r.pos] >= '0' && r.data[r.pos] <= '9' {
			r.pos++
			n++
		}
		return n
	}
	if !r.eat('0') && digits() == 0 {
		return "", false
	}
	if r.eat('.') && digits() == 0 {
		return "", false
	}
	if r.eat('e') || r.eat('E') {
		if !r.eat('+') {
			r.eat('-')
		}
		if digits() == 0 {
			return "", false
		}
	}
	return alias(r.data[start:r.pos]), true
}

const (
	rPrincipal = 1 << iota
	rAction
	rResource
	rResourceAccount
	rContext
)

// request reads the request object of a case at pos in line into c and
// ctx, as Case.decodeRequest does, and returns where it ends. Context
// values go to vals, scratch memory that lives as long as ctx keeps them;
// lower holds the lower-case forms of context keys seen before.
func (r *policyReader) request(line []byte, pos int, c *Case, ctx *condition.Context, vals *[]string, lower map[string]string) (int, bool) {
	r.data, r.pos = line, pos
	defer func() { r.data = nil }()
	seen := 0
	ok := r.members(func(key string) bool {
		var bit int
		switch key {
		case "principal":
			bit = rPrincipal
		case "action":
			bit = rAction
		case "resource":
			bit = rResource
		case "resourceAccount":
			bit = rResourceAccount
		case "context":
			bit = rContext
		default:
			return false
		}
		if seen&bit != 0 {
			return false
		}
		seen |= bit
		if bit == rContext {
			return r.context(ctx, vals, lower)
		}
		start := r.pos
		v, ok := r.str()
		r.requestString(c, bit, v)
		if r.holes != nil {
			*r.holes = recordHole(*r.holes, planHole{start: start, end: r.pos, kind: holeRequest, bit: bit})
		}
		return ok
	})
	if !ok || seen&(rPrincipal|rAction|rResource) != rPrincipal|rAction|rResource || !r.finishRequest(c, ctx) {
		return 0, false
	}
	return r.pos, true
}

// requestString sets the request member that bit names to v.
func (r *policyReader) requestString(c *Case, bit int, v string) {
	switch bit {
	case rPrincipal:
		c.Request.Principal.ARN = v
	case rAction:
		c.Request.Action = v
	case rResource:
		c.Request.Resource = v
	case rResourceAccount:
		c.Request.ResourceAccount = v
	}
}

// finishRequest checks and completes a request whose members are read:
// the principal ARN is parsed, the context attached, and what the request
// decides about the case's resource policy set.
func (r *policyReader) finishRequest(c *Case, ctx *condition.Context) bool {
	var err error
	if c.Request.Principal, err = r.principal(c.Request.Principal.ARN); err != nil {
		return false
	}
	if strings.IndexByte(c.Request.Action, ':') <= 0 {
		return false
	}
	c.Request.Context = ctx
	c.Policies.ResourceMustAllow, c.Policies.RoleTrust = resourcePolicyRules(c.Request.Action, c.Request.Resource)
	return true
}

// principal parses a request principal as ParsePrincipal does. Batch lines
// often come from sessions of one role that differ only in their names: a
// session ARN that has the text of the last one up to its session name is
// that session's principal with another name.
func (r *policyReader) principal(s string) (Principal, error) {
	if n := r.sessionPrefix; n > 0 && len(s) > n && s[:n] == r.lastPrincipal.SessionARN[:n] {
		// ParsePrincipal cuts the role name at the first '/' after
		// "assumed-role/", which the common text ends with, and needs a
		// session name after it, which s has.
		p := r.lastPrincipal
		p.ARN, p.SessionARN = s, s
		return p, nil
	}
	const marker = ":assumed-role/"
	if !strings.Contains(s, marker) {
		return ParsePrincipal(s)
	}
	// A session, kept for the lines after it: read from its own copy,
	// since s aliases the line.
	own := strings.Clone(s)
	p, err := ParsePrincipal(own)
	if err == nil && p.SessionARN != "" {
		// The first marker starts the resource: the fields before it hold
		// no ':' other than their separators.
		r.lastPrincipal = p
		r.sessionPrefix = strings.Index(own, marker) + len(marker) + len(p.RoleName) + 1
	}
	return p, err
}

// context reads a request context object into ctx.
func (r *policyReader) context(ctx *condition.Context, vals *[]string, lower map[string]string) bool {
	if r.peek() == 'n' {
		_, ok := r.word("null")
		return ok
	}
	r.ctxKeys = r.ctxKeys[:0]
	return r.members(func(key string) bool {
		// A key twice is an error of the general parser, which words it;
		// so are contexts too large to check this way.
		if len(r.ctxKeys) >= maxContextKeys || slices.Contains(r.ctxKeys, key) {
			return false
		}
		r.ctxKeys = append(r.ctxKeys, key)
		k, ok := lower[key]
		if !ok {
			if len(lower) >= maxLowerKeys {
				clear(lower)
			}
			k = strings.ToLower(key)
			if k == key {
				k = strings.Clone(key) // key aliases the line
			}
			lower[strings.Clone(key)] = k
		}
		at := r.pos
		if !r.contextValue(ctx, vals, k) {
			return false
		}
		if r.holes != nil {
			*r.holes = recordHole(*r.holes, planHole{start: at, end: r.pos, kind: holeContext, key: k})
		}
		return true
	})
}

// contextValue reads the value of context key k (lower case), a scalar or
// an array of scalars, into ctx; the values go to vals.
func (r *policyReader) contextValue(ctx *condition.Context, vals *[]string, k string) bool {
	start := len(*vals)
	multi := false
	ok := true
	if r.peek() == '[' {
		multi = true
		ok = r.elements(func() bool {
			v, ok := r.scalar()
			*vals = append(*vals, v)
			return ok
		})
	} else {
		var v string
		v, ok = r.scalar()
		*vals = append(*vals, v)
	}
	if !ok {
		return false
	}
	ctx.SetLowerShared(k, (*vals)[start:len(*vals):len(*vals)], multi)
	return true
}

// maxLowerKeys bounds the context keys a decoder remembers the lower-case
// form of, so that a batch of ever new keys cannot grow it forever.
const maxLowerKeys = 1 << 12

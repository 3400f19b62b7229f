package iam

import (
	"strings"
	"unicode/utf8"

	"github.com/lambdacheck/lambdacheck/analyzer/iam/condition"
	"github.com/lambdacheck/lambdacheck/analyzer/iam/pattern"
)

// Request is one authorization question: may Principal perform Action on
// Resource, given Context?
type Request struct {
	Principal Principal
	Action    string // "service:Action"
	// Resource is a concrete ARN, or "*" for actions without resource-level
	// permissions (then only a policy Resource of exactly "*" matches).
	Resource string
	// ResourceAccount is the account that owns the resource. Empty means the
	// ARN's account field, or the principal's account when that is empty too
	// (S3 bucket ARNs carry no account).
	ResourceAccount string
	// Context holds the request context keys, used verbatim. Nil is empty.
	Context *condition.Context
	// InManagementAccount exempts the principal from SCPs: they never
	// restrict principals of the organization's management account.
	InManagementAccount bool
}

// Policies are the documents that take part in one decision.
type Policies struct {
	Identity []*Policy // inline and managed identity policies of the principal
	Resource *Policy   // the resource's policy (bucket, function, queue, key, role trust …), or nil
	// ResourceMustAllow marks resources whose policy must grant access before
	// identity policies count: KMS key policies and role trust policies. An
	// account-root principal in such a policy delegates to identity policies.
	ResourceMustAllow bool
	// RoleTrust marks the trust policy of a role being assumed: a user named
	// there directly still needs a boundary that allows the sts action
	// ("Update a role trust policy").
	RoleTrust bool
	Boundary  []*Policy   // permissions boundary documents; empty: no boundary
	Session   []*Policy   // session policies; empty: none
	SCP       [][]*Policy // per organization level, root first; empty: SCPs do not apply
	RCP       [][]*Policy // per level for the resource's account; RCPFullAWSAccess is implied at every level
}

// Decision is the outcome of Authorize.
type Decision uint8

const (
	ImplicitlyDenied Decision = iota
	Allowed
	ExplicitlyDenied
	// Conditional: the outcome depends on context keys whose values are
	// unknown; Result.Matches lists the statements whose conditions decide.
	Conditional
)

func (d Decision) String() string {
	switch d {
	case Allowed:
		return "Allowed"
	case ExplicitlyDenied:
		return "ExplicitlyDenied"
	case Conditional:
		return "Conditional"
	default:
		return "ImplicitlyDenied"
	}
}

// Layer names the kind of policy a deciding statement came from.
type Layer uint8

const (
	LayerIdentity Layer = iota
	LayerResource
	LayerBoundary
	LayerSession
	LayerSCP
	LayerRCP
)

func (l Layer) String() string {
	switch l {
	case LayerIdentity:
		return "identity"
	case LayerResource:
		return "resource"
	case LayerBoundary:
		return "boundary"
	case LayerSession:
		return "session"
	case LayerSCP:
		return "scp"
	default:
		return "rcp"
	}
}

// Match is a statement that applied to the request (or, with Certain false,
// may apply depending on unknown context).
type Match struct {
	Statement *Statement
	Layer     Layer
	Level     int // organization level for SCPs and RCPs, from 0 (root)
	Certain   bool
}

// Result is the decision with the statements that made it.
type Result struct {
	Decision Decision
	// Reason is a one-line explanation naming the deciding layer.
	Reason string
	// Matches: for Allowed, the Allow statements that applied; for
	// ExplicitlyDenied, the Deny statements; for ImplicitlyDenied, any Allow
	// statements that applied in layers that did not suffice; for
	// Conditional, also the statements whose applicability is unknown.
	Matches     []Match
	SameAccount bool
	// Symbols lists, sorted, the symbols ("<EXPR>": values unknown before
	// `terraform apply`, docs/snapshot.md "Placeholders") whose values would
	// decide a Conditional result; empty for the other decisions.
	Symbols []string
	// SymbolsOnly: a Conditional result waits for Symbols alone, not for
	// any unknown request context key.
	SymbolsOnly bool
}

// Reasons, as constants so that the hot path does not format strings.
const (
	reasonExplicitDeny      = "an applicable Deny statement overrides every Allow"
	reasonSCP               = "no service control policy at some organization level allows the action"
	reasonAllowedIdentity   = "an identity policy allows the action (and boundary/session policies, where present, allow it too)"
	reasonAllowedResource   = "the resource-based policy grants the principal directly"
	reasonAllowedCross      = "cross-account: both the resource-based policy and the principal's identity policies allow"
	reasonAllowedRoot       = "the account root user has full access within its account"
	reasonAllowedService    = "the resource-based policy grants the service principal"
	reasonNoIdentity        = "no identity policy allows the action and the resource-based policy does not grant the principal"
	reasonNoBoundary        = "the permissions boundary does not allow the action"
	reasonNoSession         = "the session policy does not allow the action"
	reasonResourceMust      = "the resource's policy (key policy or trust policy) does not grant the principal or its account"
	reasonCrossNoResource   = "cross-account: the resource-based policy does not grant the principal or its account"
	reasonCrossNoIdentity   = "cross-account: the principal's identity policies do not allow the action"
	reasonServiceNoResource = "the resource-based policy does not grant the service principal"
	reasonAnonymous         = "anonymous access needs a resource-based policy that grants \"*\""
	reasonConditional       = "the decision depends on context keys whose values are unknown"
)

type tri = pattern.Tri

const (
	tFalse   = pattern.False
	tTrue    = pattern.True
	tUnknown = pattern.Unknown
)

func and3(a, b tri) tri {
	if a == tFalse || b == tFalse {
		return tFalse
	}
	if a == tTrue && b == tTrue {
		return tTrue
	}
	return tUnknown
}

func or3(a, b tri) tri {
	if a == tTrue || b == tTrue {
		return tTrue
	}
	if a == tFalse && b == tFalse {
		return tFalse
	}
	return tUnknown
}

func not3(a tri) tri {
	switch a {
	case tTrue:
		return tFalse
	case tFalse:
		return tTrue
	}
	return tUnknown
}

// evaluation carries one request through the layers.
type evaluation struct {
	req    *Request
	ctx    *condition.Context
	svcLen int // length of the lower-case service prefix in svcBuf
	svcBuf [48]byte
	res    Result // kept here so that the result stays off the heap
	psym   bool   // the principal's texts may hold a symbol
	rsym   bool   // the resource may hold a symbol
	// actionASCII: the action is ASCII text.
	actionASCII bool
	// prefixVar: a Resource pattern with a variable in its region or
	// account field matched, and the match was made Unknown.
	prefixVar bool
}

var emptyContext = condition.NewContext()

// Authorize decides req against pols following AWS's documented policy
// evaluation logic ("Policy evaluation logic", "Cross-account policy
// evaluation logic", and the resource-based policy rules for users, roles
// and role sessions within one account).
func Authorize(req *Request, pols *Policies) Result {
	return authorize(req, pols, make([]Match, 0, 4))
}

// authorize is Authorize with the result's Matches appended to matches.
func authorize(req *Request, pols *Policies, matches []Match) Result {
	if r, ok := builtin(req); ok {
		return r
	}
	e := evaluation{req: req, ctx: req.Context, res: Result{Matches: matches}, psym: req.Principal.symbolic()}
	e.rsym = strings.IndexByte(req.Resource, '<') >= 0
	e.actionASCII = isASCII(req.Action)
	if e.ctx == nil {
		e.ctx = emptyContext
	}
	e.setService()
	p := &req.Principal

	resAcct := req.ResourceAccount
	if resAcct == "" {
		resAcct = arnAccount(req.Resource)
		if resAcct == "" {
			resAcct = p.Account
		}
	}
	e.res.SameAccount = p.Account != "" && resAcct == p.Account

	// 1. Explicit deny anywhere, and the Allow statements of each layer.
	var deny tri = tFalse
	idAllow, idDeny := e.scan(pols.Identity, LayerIdentity, 0)
	deny = or3(deny, idDeny)
	var rg resourceGrants
	if pols.Resource != nil {
		var rDeny tri
		rg, rDeny = e.scanResource(pols.Resource, len(pols.Boundary) > 0)
		deny = or3(deny, rDeny)
	}
	boundaryAllow := tTrue
	if len(pols.Boundary) > 0 {
		var bDeny tri
		boundaryAllow, bDeny = e.scan(pols.Boundary, LayerBoundary, 0)
		deny = or3(deny, bDeny)
	}
	sessionAllow := tTrue
	if len(pols.Session) > 0 {
		var sDeny tri
		sessionAllow, sDeny = e.scan(pols.Session, LayerSession, 0)
		deny = or3(deny, sDeny)
	} else if p.Kind == PrincipalFederatedUser {
		// A GetFederationToken session's permissions are the intersection of
		// the user's policies and the session policy; without one it has none.
		sessionAllow = tFalse
	}
	scpAllow := tTrue
	if len(pols.SCP) > 0 && scpApplies(p, req.InManagementAccount) {
		for lvl, docs := range pols.SCP {
			a, d := e.scan(docs, LayerSCP, lvl)
			deny = or3(deny, d)
			scpAllow = and3(scpAllow, a)
		}
	}
	rcps := pols.RCP
	if p.ServiceLinked {
		rcps = nil // "Resources and entities not restricted by RCPs": service-linked roles
	}
	for lvl, docs := range rcps {
		// RCPFullAWSAccess sits at every level, so only Deny statements bite.
		_, d := e.scan(docs, LayerRCP, lvl)
		deny = or3(deny, d)
	}

	// 2. The allow path for this principal and account relation.
	allowed, why := e.allowPath(p, e.res.SameAccount, pols, idAllow, rg, boundaryAllow, sessionAllow)

	final := and3(and3(not3(deny), scpAllow), allowed)
	switch final {
	case tTrue:
		e.res.Decision = Allowed
		e.res.Reason = why
		e.res.keep(func(m Match) bool { return m.Certain && m.Statement.Effect == Allow })
	case tFalse:
		switch {
		case deny == tTrue:
			e.res.Decision = ExplicitlyDenied
			e.res.Reason = reasonExplicitDeny
			e.res.keep(func(m Match) bool { return m.Certain && m.Statement.Effect == Deny })
		case scpAllow == tFalse:
			e.res.Decision = ImplicitlyDenied
			e.res.Reason = reasonSCP
			e.res.keep(func(m Match) bool { return m.Certain && m.Statement.Effect == Allow })
		default:
			e.res.Decision = ImplicitlyDenied
			e.res.Reason = why
			e.res.keep(func(m Match) bool { return m.Certain && m.Statement.Effect == Allow })
		}
	default:
		e.res.Decision = Conditional
		e.res.Reason = reasonConditional
		if e.prefixVar {
			e.res.Reason = reasonVarInARNPrefix
		}
		e.res.Symbols, e.res.SymbolsOnly = e.symbols()
	}
	return e.res
}

// symbols collects what the uncertain statements of a Conditional result
// wait for: the symbols in the elements that came out Unknown, and whether
// an unknown context key counts too. It re-evaluates those elements, which
// is fine off the hot path.
func (e *evaluation) symbols() ([]string, bool) {
	var syms []string
	keys := false
	req := e.req
	for _, m := range e.res.Matches {
		if m.Certain {
			continue
		}
		s := m.Statement
		n := len(syms)
		if s.Resources != nil && req.Resource != "*" {
			for i := range s.resources {
				t := &s.resources[i]
				if t.Match(req.Resource, false, e.ctx) != tUnknown {
					continue
				}
				syms = pattern.AppendSymbols(syms, req.Resource)
				syms = pattern.AppendSymbols(syms, t.String())
				for _, k := range t.Keys() {
					vals, st := e.ctx.Lookup(k)
					keys = keys || st == pattern.KeyUnknown
					for _, v := range vals {
						syms = pattern.AppendSymbols(syms, v)
					}
				}
			}
		}
		if m.Layer == LayerResource && s.Principal != nil && e.principalUnknown(s) {
			p := &req.Principal
			for _, v := range []string{p.ARN, p.SessionARN, p.RoleARN, p.Account} {
				syms = pattern.AppendSymbols(syms, v)
			}
			ps := s.Principal
			for _, list := range [][]string{ps.ARNs, ps.Accounts, ps.Services, ps.Federated} {
				for _, v := range list {
					syms = pattern.AppendSymbols(syms, v)
				}
			}
		}
		if s.cond != nil {
			cs, ck := s.cond.Symbols(e.ctx)
			syms = append(syms, cs...)
			keys = keys || ck
		}
		if len(syms) == n {
			keys = true // uncertain for a reason other than a symbol
		}
	}
	syms = pattern.SortSymbols(syms)
	return syms, len(syms) > 0 && !keys
}

// principalUnknown reports whether naming the principal in a resource policy statement
// depends on symbols.
func (e *evaluation) principalUnknown(s *Statement) bool {
	p := &e.req.Principal
	if s.NotPrincipal {
		return s.Principal.excludes(p, e.psym) == tUnknown
	}
	_, maybe := s.Principal.match(p, e.psym)
	return maybe != grantNone
}

// arnAccount returns the account field of an ARN without allocating.
func arnAccount(arn string) string {
	field, start := 0, 0
	for i := 0; i < len(arn); i++ {
		if arn[i] != ':' {
			continue
		}
		if field == 4 {
			return arn[start:i]
		}
		field++
		start = i + 1
	}
	return ""
}

// keep filters Matches in place.
func (r *Result) keep(f func(Match) bool) {
	out := r.Matches[:0]
	for _, m := range r.Matches {
		if f(m) {
			out = append(out, m)
		}
	}
	r.Matches = out
}

func scpApplies(p *Principal, mgmt bool) bool {
	if mgmt || p.ServiceLinked {
		// SCPs never restrict the management account or service-linked roles.
		return false
	}
	switch p.Kind {
	case PrincipalService, PrincipalAnonymous, PrincipalFederatedIdP:
		// SCPs restrict IAM principals of member accounts only.
		return false
	}
	return true
}

// resourceGrants are the resource policy's Allow outcomes by how the
// statement named the principal.
type resourceGrants struct {
	direct, role, wildcard, account tri
}

func (g resourceGrants) any() tri {
	return or3(or3(g.direct, g.role), or3(g.wildcard, g.account))
}

func (e *evaluation) allowPath(p *Principal, same bool, pols *Policies, idAllow tri, rg resourceGrants, boundary, session tri) (tri, string) {
	switch p.Kind {
	case PrincipalService:
		if rg.any() == tFalse {
			return tFalse, reasonServiceNoResource
		}
		return rg.any(), reasonAllowedService
	case PrincipalAnonymous:
		if rg.wildcard == tFalse {
			return tFalse, reasonAnonymous
		}
		return rg.wildcard, reasonAllowedResource
	}
	if p.Kind == PrincipalRoot {
		// The root user needs no identity policy; boundaries do not apply.
		idAllow, boundary, session = tTrue, tTrue, tTrue
	}
	identityPath := and3(and3(idAllow, boundary), session)

	if !same {
		r := rg.any()
		allowed := and3(r, identityPath)
		switch {
		case r == tFalse:
			return allowed, reasonCrossNoResource
		case idAllow == tFalse:
			return allowed, reasonCrossNoIdentity
		case boundary == tFalse:
			return allowed, reasonNoBoundary
		case session == tFalse:
			return allowed, reasonNoSession
		}
		return allowed, reasonAllowedCross
	}

	// Same account. How a resource-based policy grant combines with the
	// other layers depends on what it names ("Policy evaluation logic":
	// grants to a user ARN or a session ARN are not limited by implicit
	// denies in identity policies or boundaries; grants to a role ARN are
	// limited by boundaries and session policies; an account grant only
	// delegates to identity policies).
	var resourcePath tri
	switch p.Kind {
	case PrincipalUser, PrincipalRoot:
		// A grant to "*" names no one in particular: no page says it escapes
		// the boundary as a grant to the user's ARN does, so it is limited
		// like a grant to a role ARN, the reading that cannot grant more.
		resourcePath = or3(rg.direct, and3(rg.wildcard, boundary))
		resourcePath = or3(resourcePath, and3(rg.role, identityPath))
		if pols.RoleTrust {
			resourcePath = and3(resourcePath, boundary)
		}
	case PrincipalRoleSession, PrincipalFederatedUser:
		resourcePath = or3(rg.direct, and3(or3(rg.role, rg.wildcard), and3(boundary, session)))
	default:
		resourcePath = or3(rg.direct, rg.wildcard)
	}
	resourcePath = or3(resourcePath, and3(rg.account, identityPath))

	if pols.ResourceMustAllow {
		if resourcePath == tFalse {
			if rg.any() == tFalse {
				return tFalse, reasonResourceMust
			}
			return tFalse, e.identityReason(idAllow, boundary, session)
		}
		return resourcePath, e.allowReason(p, rg, identityPath)
	}
	allowed := or3(resourcePath, identityPath)
	if allowed == tFalse {
		return tFalse, e.identityReason(idAllow, boundary, session)
	}
	return allowed, e.allowReason(p, rg, identityPath)
}

func (e *evaluation) identityReason(idAllow, boundary, session tri) string {
	switch {
	case idAllow == tFalse:
		return reasonNoIdentity
	case boundary == tFalse:
		return reasonNoBoundary
	case session == tFalse:
		return reasonNoSession
	}
	return reasonNoIdentity
}

func (e *evaluation) allowReason(p *Principal, rg resourceGrants, identityPath tri) string {
	if p.Kind == PrincipalRoot {
		return reasonAllowedRoot
	}
	if identityPath == tTrue {
		return reasonAllowedIdentity
	}
	return reasonAllowedResource
}

// setService lower-cases the action's service prefix without allocating.
func (e *evaluation) setService() {
	a := e.req.Action
	n := 0
	for i := 0; i < len(a) && a[i] != ':'; i++ {
		if n == len(e.svcBuf) {
			n = 0 // absurdly long prefix: no index hit, the anyService list still applies
			break
		}
		e.svcBuf[n] = lower(a[i])
		n++
	}
	e.svcLen = n
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// scan evaluates the statements of pols that may match the action and
// returns whether some Allow and some Deny statement applies.
func (e *evaluation) scan(pols []*Policy, layer Layer, level int) (allow, deny tri) {
	allow, deny = tFalse, tFalse
	for _, pol := range pols {
		it := e.candidates(pol)
		for s := it.next(); s != nil; s = it.next() {
			t := e.applies(s)
			if t == tFalse {
				continue
			}
			e.res.Matches = append(e.res.Matches, Match{Statement: s, Layer: layer, Level: level, Certain: t == tTrue})
			if s.Effect == Deny {
				deny = or3(deny, t)
			} else {
				allow = or3(allow, t)
			}
		}
	}
	return allow, deny
}

// hasBoundary matters for NotPrincipal: AWS documents that a Deny with
// NotPrincipal always denies a principal that has a permissions boundary,
// whatever NotPrincipal lists ("AWS JSON policy elements: NotPrincipal").
func (e *evaluation) scanResource(pol *Policy, hasBoundary bool) (g resourceGrants, deny tri) {
	g = resourceGrants{tFalse, tFalse, tFalse, tFalse}
	deny = tFalse
	p := &e.req.Principal
	it := e.candidates(pol)
	for s := it.next(); s != nil; s = it.next() {
		// kind names p for sure (when the statement applies); maybe names it
		// only if symbols (values unknown before apply) turn out so.
		kind, maybe := grantDirect, grantNone
		named := tTrue
		if s.Principal != nil {
			if s.NotPrincipal && s.Effect == Allow {
				// "AWS JSON policy elements: NotPrincipal": NotPrincipal must
				// be used with Deny; with Allow it is not supported, so the
				// statement grants nothing (the policy carries a Notice).
				continue
			}
			if s.NotPrincipal {
				ex := s.Principal.excludes(p, e.psym)
				if hasBoundary && s.Effect == Deny && p.Kind != PrincipalService && p.Kind != PrincipalAnonymous {
					ex = tFalse
				}
				if ex == tTrue {
					continue
				}
				kind, named = grantWildcard, not3(ex)
			} else {
				kind, maybe = s.Principal.match(p, e.psym)
				if kind == grantNone && maybe == grantNone {
					continue
				}
			}
		}
		t := e.applies(s)
		if t == tFalse {
			continue
		}
		sure := and3(t, named)
		if kind == grantNone {
			sure = tFalse
		}
		e.res.Matches = append(e.res.Matches, Match{Statement: s, Layer: LayerResource, Certain: sure == tTrue})
		if maybe != grantNone {
			sure = or3(sure, and3(t, tUnknown))
		}
		if s.Effect == Deny {
			deny = or3(deny, sure)
			continue
		}
		g.add(kind, and3(t, named))
		g.add(maybe, and3(t, tUnknown))
	}
	return g, deny
}

func (g *resourceGrants) add(k grantKind, t tri) {
	switch k {
	case grantDirect:
		g.direct = or3(g.direct, t)
	case grantRole:
		g.role = or3(g.role, t)
	case grantWildcard:
		g.wildcard = or3(g.wildcard, t)
	case grantAccount:
		g.account = or3(g.account, t)
	}
}

// stmtIter walks, in statement order, the statements of a policy that may
// match the action: those indexed under its service and those that may
// match any service.
type stmtIter struct {
	pol      *Policy
	idx, any []int32
}

func (e *evaluation) candidates(pol *Policy) stmtIter {
	return stmtIter{pol: pol, idx: pol.byService[string(e.svcBuf[:e.svcLen])], any: pol.anyService}
}

func (it *stmtIter) next() *Statement {
	var k int32
	switch {
	case len(it.idx) == 0 && len(it.any) == 0:
		return nil
	case len(it.any) == 0 || (len(it.idx) > 0 && it.idx[0] < it.any[0]):
		k, it.idx = it.idx[0], it.idx[1:]
	default:
		k, it.any = it.any[0], it.any[1:]
	}
	return it.pol.Statements[k]
}

// applies evaluates a statement's Action, Resource and Condition elements
// (the Principal element is handled by the caller for resource policies).
//
// A policy variable that cannot be resolved "may make the entire statement
// invalid" ("IAM policy elements: Variables and tags"). Each statement takes
// the reading that cannot grant more than AWS would: an Allow statement
// holding such a variable anywhere (Resource, NotResource, a condition
// value, whether or not evaluation would reach it) does not apply; a Deny
// statement reads it as a value that equals nothing (a Resource holding it
// matches nothing, so a NotResource holding it applies; a negated condition
// operator holds).
func (e *evaluation) applies(s *Statement) tri {
	if !s.matchAction(e.req.Action, e.actionASCII) {
		return tFalse
	}
	allow := s.Effect == Allow
	if allow {
		if s.resVars {
			for i := range s.resources {
				if s.resources[i].Unresolvable(e.ctx) {
					return tFalse
				}
			}
		}
		if s.cond.Unresolvable(e.ctx) {
			return tFalse
		}
	}
	r, prefixVar := s.matchResource(e.req.Resource, e.rsym, e.ctx)
	if r == tFalse {
		return tFalse
	}
	if s.cond != nil {
		if allow {
			r = and3(r, s.cond.EvalAllow(e.ctx))
		} else {
			r = and3(r, s.cond.Eval(e.ctx))
		}
	}
	if prefixVar && r == tUnknown {
		e.prefixVar = true
	}
	return r
}

// matchAction reports whether the statement's Action (or NotAction)
// covers action; ascii says that action is ASCII.
func (s *Statement) matchAction(action string, ascii bool) bool {
	hit := false
	for i := range s.actions {
		a := &s.actions[i]
		if a.prefix && ascii {
			// Both ASCII: case folding is ASCII's, byte for byte.
			if n := len(a.full) - 1; len(action) >= n && equalFold(a.full[:n], action[:n]) {
				hit = true
				break
			}
			continue
		}
		if a.full == "*" || (a.literal && equalFold(a.full, action)) || (!a.literal && pattern.MatchFold(a.full, action)) {
			hit = true
			break
		}
	}
	return hit != s.NotAction
}

// rsym says whether resource holds '<' (a symbol, maybe). prefixVar says
// that a pattern with a variable in its region or account field matched:
// no AWS page documents substitution there, so such a match is Unknown.
func (s *Statement) matchResource(resource string, rsym bool, ctx *condition.Context) (res tri, prefixVar bool) {
	if s.Resources == nil {
		return tTrue, false // resource-based policies may omit Resource: the policy's own resource
	}
	hit := tFalse
	for i := range s.resources {
		t := &s.resources[i]
		var m tri
		if resource == "*" {
			// A request for "*" (no resource-level permissions) matches only a
			// Resource of exactly "*".
			if t.String() == "*" {
				m = tTrue
			} else {
				m = tFalse
			}
		} else {
			m = t.MatchKnown(resource, rsym, false, ctx)
			if m == tTrue && s.resPrefixVar && t.VarInARNPrefix() {
				m, prefixVar = tUnknown, true
			}
		}
		hit = or3(hit, m)
		if hit == tTrue {
			break
		}
	}
	if s.NotResource {
		return not3(hit), prefixVar
	}
	return hit, prefixVar
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func equalFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		if a[i] != b[i] && lower(a[i]) != lower(b[i]) {
			return false
		}
	}
	return true
}

package iam

import (
	"fmt"
	"strings"

	"github.com/lambdacheck/lambdacheck/analyzer/iam/pattern"
)

// PrincipalSet is a compiled Principal or NotPrincipal element.
type PrincipalSet struct {
	Any       bool     // "*" or {"AWS": "*"}
	Accounts  []string // 12-digit ids, from "123456789012" or "arn:…:iam::123456789012:root"
	ARNs      []string // IAM users, roles, assumed-role sessions, federated users; or a lone symbol ("<var.role_arn>") that may name any principal
	Services  []string // lower-case service principal names
	Federated []string
	Canonical []string
	// sym: some entry holds '<' (a symbol, maybe), set when the element is
	// compiled, so that plain sets compare plainly.
	sym bool
}

// texts compares principal texts: plainly when neither the set nor the
// request principal holds '<', else aware of symbols.
type texts struct{ sym bool }

// symbolic reports whether the principal's texts may hold a symbol; the
// evaluation asks once per request.
func (p *Principal) symbolic() bool {
	has := func(s string) bool { return strings.IndexByte(s, '<') >= 0 }
	return has(p.ARN) || has(p.SessionARN) || has(p.RoleARN) || has(p.Account) || has(p.RoleName) || has(p.Partition)
}

func (c texts) eq(a, b string) tri {
	if a == b {
		return tTrue
	}
	if !c.sym {
		return tFalse
	}
	return pattern.EqualText(a, b, false)
}

func (p *Policy) principalSet(v *jsonValue, path string) (*PrincipalSet, error) {
	ps := &PrincipalSet{}
	if v.kind == jsonString {
		if v.text != "*" {
			return nil, p.errf(v, path, "a string principal must be \"*\"; name others as {\"AWS\": …}, {\"Service\": …}, {\"Federated\": …} or {\"CanonicalUser\": …}")
		}
		ps.Any = true
		return ps, nil
	}
	if v.kind != jsonObject {
		return nil, p.errf(v, path, "must be \"*\" or an object, got %s", v.kind)
	}
	if len(v.elems) == 0 {
		return nil, p.errf(v, path, "must name at least one principal")
	}
	for i := range v.elems {
		k := v.elems[i].key
		e := &v.elems[i]
		ep := jpath{path, k}
		list, err := p.stringList(e, ep)
		if err != nil {
			return nil, err
		}
		for j, s := range list {
			at := elemAt(e, j)
			lp := listPath(ep.String(), e, j)
			switch k {
			case "AWS":
				if err := ps.addAWS(s); err != nil && !p.lenient {
					return nil, p.errf(at, lp, "%v", err)
				}
			case "Service":
				if s == "*" {
					ps.Any = true // {"Service": "*"} is rejected by some services; treated as everyone
					continue
				}
				if s == "" || strings.ContainsAny(s, " *?") {
					if p.lenient {
						continue // compared literally: names no one
					}
					return nil, p.errf(at, lp, "invalid service principal %q", s)
				}
				ps.Services = append(ps.Services, strings.ToLower(s))
			case "Federated":
				ps.Federated = append(ps.Federated, s)
			case "CanonicalUser":
				ps.Canonical = append(ps.Canonical, s)
			default:
				return nil, p.errf(e, ep.String(), "unknown principal type %q (AWS, Service, Federated, CanonicalUser)", k)
			}
		}
	}
	for _, list := range [][]string{ps.Accounts, ps.ARNs, ps.Services, ps.Federated} {
		for _, x := range list {
			ps.sym = ps.sym || strings.IndexByte(x, '<') >= 0
		}
	}
	return ps, nil
}

func (ps *PrincipalSet) addAWS(s string) error {
	if s == "*" {
		ps.Any = true
		return nil
	}
	if isAccountID(s) {
		ps.Accounts = append(ps.Accounts, s)
		return nil
	}
	a, ok := parseARN(s)
	if !ok {
		if pattern.HasSymbol(s) {
			// A value unknown before apply: it may name any principal.
			ps.ARNs = append(ps.ARNs, s)
			return nil
		}
		return fmt.Errorf("AWS principal %q is neither an account id nor an ARN", s)
	}
	if pattern.HasWildcard(s) {
		// AWS rejects partial wildcards in principals: only "*" alone is allowed.
		return fmt.Errorf("AWS principal %q: wildcards are only allowed as the whole principal \"*\"", s)
	}
	if a.service == "iam" && a.resource == "root" {
		if !isAccountID(a.account) && !pattern.HasSymbol(a.account) {
			return fmt.Errorf("AWS principal %q has an invalid account id", s)
		}
		ps.Accounts = append(ps.Accounts, a.account)
		return nil
	}
	ps.ARNs = append(ps.ARNs, s)
	return nil
}

func isAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for i := 0; i < 12; i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

type arnParts struct {
	partition, service, region, account, resource string
}

// parseARN splits "arn:partition:service:region:account:resource"; the
// resource part keeps any further colons.
func parseARN(s string) (arnParts, bool) {
	if !strings.HasPrefix(s, "arn:") {
		return arnParts{}, false
	}
	// Cut at the first five colons without allocating: this runs for every
	// principal ARN a resource policy names, on every request.
	var f [5]string
	rest := s[len("arn:"):]
	for i := 0; i < 4; i++ {
		j := strings.IndexByte(rest, ':')
		if j < 0 {
			return arnParts{}, false
		}
		f[i], rest = rest[:j], rest[j+1:]
	}
	f[4] = rest
	return arnParts{f[0], f[1], f[2], f[3], f[4]}, true
}

// PrincipalKind classifies the principal that makes a request.
type PrincipalKind uint8

const (
	PrincipalUnknown PrincipalKind = iota
	PrincipalUser
	PrincipalRoleSession // a role ARN (an unnamed session of it) or an assumed-role session ARN
	PrincipalFederatedUser
	PrincipalRoot
	PrincipalService
	PrincipalAnonymous
	PrincipalFederatedIdP // a web identity or SAML provider acting through AssumeRoleWith*
)

// Principal is the parsed principal of a request.
type Principal struct {
	ARN       string
	Kind      PrincipalKind
	Partition string
	Account   string
	// For role sessions: the role name and, when the request named the
	// session, its ARN (arn:…:sts::ACCT:assumed-role/ROLE/SESSION).
	RoleName   string
	SessionARN string
	// RoleARN is the role's ARN as given (it may carry a path), or built from
	// the session ARN without a path.
	RoleARN string
	// ServiceLinked marks service-linked roles (path aws-service-role/, names
	// AWSServiceRoleFor…): SCPs and RCPs do not restrict them.
	ServiceLinked bool
}

// ParsePrincipal classifies a request principal: an IAM user or role ARN, an
// assumed-role session ARN, a federated-user ARN, an account root (ARN or
// 12-digit id), a service principal name, or "" / "anonymous".
func ParsePrincipal(s string) (Principal, error) {
	p := Principal{ARN: s}
	switch {
	case s == "" || s == "anonymous" || s == "*":
		p.Kind = PrincipalAnonymous
		return p, nil
	case isAccountID(s):
		p.Kind = PrincipalRoot
		p.Account = s
		p.Partition = "aws"
		p.ARN = "arn:aws:iam::" + s + ":root"
		return p, nil
	case !strings.HasPrefix(s, "arn:"):
		if strings.Contains(s, ".") && !strings.ContainsAny(s, " /:") {
			p.Kind = PrincipalService
			return p, nil
		}
		return p, fmt.Errorf("principal %q is not an ARN, an account id or a service principal", s)
	}
	a, ok := parseARN(s)
	if !ok {
		return p, fmt.Errorf("principal %q is not a valid ARN", s)
	}
	p.Partition, p.Account = a.partition, a.account
	switch {
	case a.service == "iam" && a.resource == "root":
		p.Kind = PrincipalRoot
	case a.service == "iam" && strings.HasPrefix(a.resource, "user/"):
		p.Kind = PrincipalUser
	case a.service == "iam" && strings.HasPrefix(a.resource, "role/"):
		p.Kind = PrincipalRoleSession
		p.RoleARN = s
		p.RoleName = a.resource[strings.LastIndexByte(a.resource, '/')+1:]
	case a.service == "sts" && strings.HasPrefix(a.resource, "assumed-role/"):
		rest := strings.TrimPrefix(a.resource, "assumed-role/")
		slash := strings.IndexByte(rest, '/')
		if slash <= 0 || slash == len(rest)-1 {
			return p, fmt.Errorf("assumed-role ARN %q must be …:assumed-role/ROLE/SESSION", s)
		}
		p.Kind = PrincipalRoleSession
		p.RoleName = rest[:slash]
		p.SessionARN = s
		p.RoleARN = "arn:" + a.partition + ":iam::" + a.account + ":role/" + p.RoleName
	case a.service == "sts" && strings.HasPrefix(a.resource, "federated-user/"):
		p.Kind = PrincipalFederatedUser
	case a.service == "iam" && (strings.HasPrefix(a.resource, "saml-provider/") || strings.HasPrefix(a.resource, "oidc-provider/")):
		p.Kind = PrincipalFederatedIdP
	default:
		return p, fmt.Errorf("principal %q is not an IAM user, role, session, federated user or account root", s)
	}
	if !isAccountID(p.Account) {
		return p, fmt.Errorf("principal %q has an invalid account id %q", s, p.Account)
	}
	if p.Kind == PrincipalRoleSession {
		p.ServiceLinked = strings.HasPrefix(a.resource, "role/aws-service-role/") || strings.HasPrefix(p.RoleName, "AWSServiceRoleFor")
	}
	return p, nil
}

// grantKind is how a resource-based policy statement names the principal;
// AWS treats the kinds differently within one account.
type grantKind uint8

const (
	grantNone     grantKind = iota
	grantAccount            // the principal's account (id or :root): delegates to identity policies
	grantWildcard           // "*"
	grantRole               // the role ARN of a role session
	grantDirect             // the exact user, session, federated user, service or identity provider
)

// match reports how the set names p: certain is the best kind that names p
// for sure, maybe a better kind that may name it, depending on symbols
// (values unknown before apply), or grantNone.
// psym is p.symbolic().
func (ps *PrincipalSet) match(p *Principal, psym bool) (certain, maybe grantKind) {
	c := texts{ps.sym || psym}
	if ps.Any {
		certain = grantWildcard
	}
	note := func(k grantKind, t tri) {
		switch {
		case t == tTrue && k > certain:
			certain = k
		case t == tUnknown && k > maybe:
			maybe = k
		}
	}
	done := func() (grantKind, grantKind) {
		if maybe <= certain {
			maybe = grantNone
		}
		return certain, maybe
	}
	switch p.Kind {
	case PrincipalService:
		for _, s := range ps.Services {
			note(grantDirect, pattern.EqualText(s, p.ARN, true))
		}
		return done()
	case PrincipalAnonymous:
		return done()
	case PrincipalFederatedIdP:
		for _, f := range ps.Federated {
			note(grantDirect, c.eq(f, p.ARN))
		}
	}
	for _, a := range ps.ARNs {
		if p.Kind == PrincipalRoleSession {
			r := roleARNNames(a, p, c)
			note(grantRole, r)
			if r == tTrue {
				continue // a role grant, even where the text equals p.ARN
			}
		}
		note(grantDirect, c.eq(a, p.ARN))
		if p.SessionARN != "" {
			note(grantDirect, c.eq(a, p.SessionARN))
		}
	}
	if p.Account != "" {
		k := grantAccount
		if p.Kind == PrincipalRoot {
			k = grantDirect
		}
		for _, acct := range ps.Accounts {
			note(k, c.eq(acct, p.Account))
		}
		for _, a := range ps.ARNs {
			if c.sym && !strings.HasPrefix(a, "arn:") {
				note(k, c.eq(a, p.Account)) // a lone symbol may be the account
			}
		}
	}
	return done()
}

// roleARNNames reports whether the policy ARN a names the role of session p.
// A session ARN carries no role path, so the role is matched by account and
// name; role ARNs in policies may carry a path.
func roleARNNames(a string, p *Principal, c texts) tri {
	if !c.sym && p.RoleARN != "" && a == p.RoleARN {
		// The role's own ARN, as given or as built from the session ARN.
		return tTrue
	}
	pa, ok := parseARN(a)
	if !ok {
		if c.sym && pattern.HasSymbol(a) {
			return tUnknown
		}
		return tFalse
	}
	t := and3(c.eq("iam", pa.service), and3(c.eq(pa.account, p.Account), c.eq(pa.partition, p.Partition)))
	if !c.sym {
		t = and3(t, pattern.TriOf(strings.HasPrefix(pa.resource, "role/")))
	} else {
		t = and3(t, pattern.MatchText("role/*", pa.resource, false))
	}
	if t == tFalse {
		return tFalse
	}
	if p.RoleARN != "" && p.SessionARN == "" {
		return and3(t, c.eq(a, p.RoleARN))
	}
	cut := strings.LastIndexByte(pa.resource, '/')
	if c.sym {
		cut = pattern.LastIndexOutsideSymbols(pa.resource, '/')
	}
	return and3(t, c.eq(pa.resource[cut+1:], p.RoleName))
}

// excludes reports whether a NotPrincipal set exempts p. AWS evaluates a
// request at each identity level of the principal (session, role, account),
// so NotPrincipal exempts a principal only when every level is listed
// (AWS "IAM JSON policy elements: NotPrincipal", the example that lists the
// session, the role and the account together).
func (ps *PrincipalSet) excludes(p *Principal, psym bool) tri {
	if ps.Any {
		return tTrue
	}
	c := texts{ps.sym || psym}
	anyOf := func(list []string, v string, fold bool) tri {
		r := tFalse
		for _, x := range list {
			t := c.eq(x, v)
			if fold {
				t = pattern.EqualText(x, v, true)
			}
			if r = or3(r, t); r == tTrue {
				break
			}
		}
		return r
	}
	switch p.Kind {
	case PrincipalService:
		return anyOf(ps.Services, p.ARN, true)
	case PrincipalAnonymous:
		return tFalse
	case PrincipalFederatedIdP:
		return anyOf(ps.Federated, p.ARN, false)
	}
	hasAccount := anyOf(ps.Accounts, p.Account, false)
	for _, a := range ps.ARNs {
		if c.sym && !strings.HasPrefix(a, "arn:") {
			hasAccount = or3(hasAccount, c.eq(a, p.Account))
		}
	}
	if hasAccount == tFalse || p.Kind == PrincipalRoot {
		return hasAccount
	}
	hasARN, hasRole := anyOf(ps.ARNs, p.ARN, false), tFalse
	if p.SessionARN != "" {
		hasARN = or3(hasARN, anyOf(ps.ARNs, p.SessionARN, false))
	}
	if p.Kind == PrincipalRoleSession {
		for _, a := range ps.ARNs {
			hasRole = or3(hasRole, roleARNNames(a, p, c))
		}
		if p.SessionARN == "" {
			return and3(hasAccount, hasRole)
		}
		return and3(hasAccount, and3(hasRole, hasARN))
	}
	return and3(hasAccount, hasARN)
}

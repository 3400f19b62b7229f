package simulator

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/lambdacheck/lambdacheck/analyzer/iam"
	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
	"github.com/lambdacheck/lambdacheck/analyzer/loc"
	"github.com/lambdacheck/lambdacheck/simulator/flow"
)

// outsideAccount stands for "some account that is neither this one nor
// named anywhere": a probe for grants to "*" guarded only by conditions.
const outsideAccount = "000000000000"

// orgMemberAccount stands for "some account of the application's
// organization that no policy names": the organization probe's account.
const orgMemberAccount = "000000000001"

// anyIdentity is the identity side of a probe principal from another
// account: its owner writes its own identity policies, so they allow all.
var anyIdentity = func() []*iam.Policy {
	p, err := iam.Parse([]byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`), iam.IdentityPolicy, iam.Source{Name: "caller's own identity policy (assumed to allow)"})
	if err != nil {
		return nil
	}
	return []*iam.Policy{p}
}()

// reachFlows: who outside can invoke each function — the public, other
// accounts, services without a source condition (confused deputy) — and
// who can assume each execution role.
func (w *world) reachFlows() []flow.Flow {
	var out []flow.Flow
	for i := range w.inv.Functions {
		fn := &w.inv.Functions[i]
		if fn.External {
			continue
		}
		for j := range fn.ResourcePolicies {
			qp := &fn.ResourcePolicies[j]
			// Statements the source left out make only the probes they
			// could concern unknown (decideFn); the rest still decide.
			fp := w.functionPolicy(fn, qp.Qualifier)
			if fp.pol == nil {
				continue
			}
			out = append(out, w.invokeReach(fn, qp.Qualifier, fp)...)
		}
	}
	// Function URLs with AuthType NONE: unauthenticated callers.
	for i := range w.inv.Functions {
		fn := &w.inv.Functions[i]
		for j := range fn.URLs {
			u := &fn.URLs[j]
			if fn.External || u.AuthType != "NONE" {
				continue
			}
			uf := w.urlFlow(fn, u)
			var steps []flow.Step
			for _, s := range uf.Steps {
				if s.Principal != "" || s.Action != "" {
					steps = append(steps, s)
				}
			}
			d := flow.Combine(stepDecisions(steps)...)
			if d == flow.Denied {
				continue
			}
			out = append(out, flow.Flow{
				ID:        "reach/public-url/*/" + fn.Address + ":" + qualifierOrDefault(u.Qualifier),
				Kind:      flow.KindReach,
				Decision:  d,
				Target:    &flow.Ref{Address: fn.Address, ARN: qualifiedARN(fn.ARN, u.Qualifier), Span: loc.At(u.File, u.Line)},
				Principal: "*",
				Reach:     "public-url",
				Actions:   []string{"lambda:InvokeFunctionUrl", "lambda:InvokeFunction"},
				Steps:     steps,
				Title:     fmt.Sprintf("anyone on the internet can call the function URL of %s (AuthType NONE)", fn.Address),
			})
		}
	}
	seen := map[string]bool{}
	for i := range w.inv.Functions {
		fn := &w.inv.Functions[i]
		role := w.roles[fn.Role]
		if fn.External || role == nil || role.trust == nil || seen[role.role.ARN] {
			continue
		}
		seen[role.role.ARN] = true
		out = append(out, w.assumeReach(role)...)
	}
	return out
}

type probe struct {
	reach     string // public, account, service
	principal string // "*"-probe account, account id, or service
	// arn is the IAM principal a statement names (a role, user or role
	// session of another account); "" for a probe of a whole account.
	arn string
	ctx func() *iamContext
}

// iamContext aliases the condition context type for probe builders.
type iamContext = condCtx

func (w *world) invokeReach(fn *inventory.Function, qualifier string, fp funcPolicy) []flow.Flow {
	pol := fp.pol
	target := qualifiedARN(fn.ARN, qualifier)
	// Lambda's Invoke API needs a signed request, so "everyone" means any
	// principal of any AWS account; unauthenticated callers come only
	// through a function URL with AuthType NONE (the URL's invoke flow).
	var probes []probe
	probes = append(probes, probe{"public", outsideAccount, "", func() *iamContext {
		c := roleContext("arn:aws:iam::"+outsideAccount+":role/caller", outsideAccount, "")
		c.Set("aws:PrincipalOrgID", "o-outside0000")
		return c
	}})
	if org := w.opts.OrgID; org != "" {
		// Any account of the application's organization that the policy
		// does not name: what a grant on "*" limited by
		// aws:PrincipalOrgID (or PrincipalOrgPaths, then conditional)
		// opens.
		probes = append(probes, probe{"organization", org, "", func() *iamContext {
			return roleContext("arn:aws:iam::"+orgMemberAccount+":role/caller", orgMemberAccount, org)
		}})
	}
	accounts := map[string]bool{}
	arns := map[string]bool{}
	services := map[string]bool{}
	for _, s := range pol.Statements {
		if s.Effect != iam.Allow || s.Principal == nil {
			continue
		}
		for _, a := range s.Principal.Accounts {
			if a != fn.Account {
				accounts[a] = true
			}
		}
		// A role, user or session of another account is probed as itself:
		// an arbitrary principal of its account is not what it names.
		for _, arn := range s.Principal.ARNs {
			if acct := accountOf(arn, ""); acct != "" && acct != fn.Account {
				arns[arn] = true
			}
		}
		for _, svc := range s.Principal.Services {
			services[svc] = true
		}
	}
	for _, a := range slices.Sorted(maps.Keys(accounts)) {
		acct := a
		probes = append(probes, probe{"account", acct, "", func() *iamContext {
			c := roleContext("arn:aws:iam::"+acct+":role/caller", acct, "")
			c.Set("aws:PrincipalOrgID", "o-outside0000")
			return c
		}})
	}
	for _, a := range slices.Sorted(maps.Keys(arns)) {
		arn, acct := a, accountOf(a, "")
		probes = append(probes, probe{"account", acct, arn, func() *iamContext {
			c := roleContext(principalARNOf(arn), acct, "")
			if strings.Contains(arn, ":user/") {
				c.Set("aws:PrincipalType", "User")
			}
			c.Set("aws:PrincipalOrgID", "o-outside0000")
			return c
		}})
	}
	for _, s := range slices.Sorted(maps.Keys(services)) {
		svc := s
		// The service acting for someone else's resource: a source ARN and
		// account that are not this application's.
		probes = append(probes, probe{"service", svc, "", func() *iamContext {
			return serviceContext(svc, "arn:aws:s3:::someone-elses-bucket", outsideAccount)
		}})
	}
	var out []flow.Flow
	for _, pr := range probes {
		var p iam.Principal
		pols := &iam.Policies{Resource: pol}
		switch {
		case pr.arn != "":
			p = probePrincipal(pr.arn)
			pols.Identity = anyIdentity
		case pr.reach == "public" || pr.reach == "account":
			p, _ = iam.ParsePrincipal("arn:aws:sts::" + pr.principal + ":assumed-role/caller/probe")
			pols.Identity = anyIdentity
		case pr.reach == "organization":
			p, _ = iam.ParsePrincipal("arn:aws:sts::" + orgMemberAccount + ":assumed-role/caller/probe")
			pols.Identity = anyIdentity
		default:
			p, _ = iam.ParsePrincipal(pr.principal)
		}
		for _, action := range []string{"lambda:InvokeFunction", "lambda:InvokeFunctionUrl"} {
			what := describeProbe(pr) + " may " + action
			var st flow.Step
			if action == "lambda:InvokeFunctionUrl" {
				// A URL call by a principal is a signed (AWS_IAM) call, and
				// only reaches a function that has such a URL.
				if !hasURL(fn, qualifier, "AWS_IAM") || pr.reach == "service" {
					continue
				}
				ctx := pr.ctx()
				ctx.Set("lambda:FunctionUrlAuthType", "AWS_IAM")
				req := &iam.Request{Principal: p, Action: action, Resource: target, ResourceAccount: fn.Account, Context: ctx}
				st = decideFn(what, req, pols, fp, "")
			} else {
				// A direct call: lambda:InvokedViaFunctionUrl is absent or
				// false, so a grant limited to calls through the function's
				// URL (Bool lambda:InvokedViaFunctionUrl true) does not
				// open the function; that path is the URL's own flow.
				for i, via := range []string{"", "false"} {
					ctx := pr.ctx()
					if via == "" {
						ctx.SetMissing("lambda:InvokedViaFunctionUrl")
					} else {
						ctx.Set("lambda:InvokedViaFunctionUrl", via)
					}
					req := &iam.Request{Principal: p, Action: action, Resource: target, ResourceAccount: fn.Account, Context: ctx}
					if d := decideFn(what, req, pols, fp, ""); i == 0 || d.Decision.Rank() < st.Decision.Rank() {
						st = d
					}
				}
			}
			if st.Decision == flow.Denied {
				continue
			}
			who := pr.principal
			if pr.arn != "" {
				who = pr.arn
			}
			fl := flow.Flow{
				ID:        fmt.Sprintf("reach/%s/%s/%s:%s", pr.reach, who, fn.Address, qualifierOrDefault(qualifier)),
				Kind:      flow.KindReach,
				Decision:  st.Decision,
				Target:    &flow.Ref{Address: fn.Address, ARN: target, Span: loc.At(fn.File, fn.Line)},
				Principal: pr.principal,
				Reach:     pr.reach,
				Actions:   []string{action},
				Steps:     []flow.Step{st},
			}
			if action == "lambda:InvokeFunctionUrl" {
				fl.ID += "/url"
			}
			fl.Title = fmt.Sprintf("%s can %s %s", describeProbe(pr), action, nonEmpty(fn.Address, target))
			out = append(out, fl)
		}
	}
	return out
}

func hasURL(fn *inventory.Function, qualifier, auth string) bool {
	for _, u := range fn.URLs {
		if u.Qualifier == qualifier && u.AuthType == auth {
			return true
		}
	}
	return false
}

// principalARNOf is the aws:PrincipalArn of a request by the principal a
// statement names: a role session's is its role's ARN.
func principalARNOf(arn string) string {
	if p, err := iam.ParsePrincipal(arn); err == nil && p.Kind == iam.PrincipalRoleSession && p.RoleARN != "" {
		return p.RoleARN
	}
	return arn
}

// probePrincipal is the request principal for a statement that names arn:
// a session of a named role, else the named user or session itself.
func probePrincipal(arn string) iam.Principal {
	if s, ok := sessionPrincipal(arn, "probe"); ok && !strings.Contains(arn, ":assumed-role/") {
		return s
	}
	p, _ := iam.ParsePrincipal(arn)
	return p
}

func describeProbe(pr probe) string {
	if pr.arn != "" {
		return pr.arn + " (account " + pr.principal + ")"
	}
	switch pr.reach {
	case "public":
		return "any AWS account"
	case "account":
		return "account " + pr.principal
	case "organization":
		return "any account of organization " + pr.principal
	}
	return pr.principal + " acting for another account's resource"
}

func qualifierOrDefault(q string) string {
	if q == "" {
		return "$unqualified"
	}
	return q
}

// assumeReach: principals other than Lambda that the execution role's trust
// policy admits.
func (w *world) assumeReach(role *roleInfo) []flow.Flow {
	type who struct{ reach, principal string }
	var probes []who
	accounts := map[string]bool{outsideAccount: true}
	services := map[string]bool{}
	for _, s := range role.trust.Statements {
		if s.Effect != iam.Allow || s.Principal == nil {
			continue
		}
		for _, a := range s.Principal.Accounts {
			accounts[a] = true
		}
		for _, arn := range s.Principal.ARNs {
			if acct := accountOf(arn, ""); acct != "" {
				accounts[acct] = true
			}
		}
		for _, svc := range s.Principal.Services {
			if svc != "lambda.amazonaws.com" {
				services[svc] = true
			}
		}
	}
	for _, a := range slices.Sorted(maps.Keys(accounts)) {
		probes = append(probes, who{"account", a})
	}
	for _, s := range slices.Sorted(maps.Keys(services)) {
		probes = append(probes, who{"service", s})
	}
	var out []flow.Flow
	for _, pr := range probes {
		var p iam.Principal
		var ctx *iamContext
		pols := &iam.Policies{Resource: role.trust, ResourceMustAllow: true, RoleTrust: true}
		if pr.reach == "service" {
			p, _ = iam.ParsePrincipal(pr.principal)
			ctx = serviceContext(pr.principal, "", "")
		} else {
			p, _ = iam.ParsePrincipal("arn:aws:sts::" + pr.principal + ":assumed-role/caller/probe")
			ctx = roleContext("arn:aws:iam::"+pr.principal+":role/caller", pr.principal, "")
			pols.Identity = anyIdentity
		}
		req := &iam.Request{Principal: p, Action: "sts:AssumeRole", Resource: role.role.ARN, ResourceAccount: role.role.Account, Context: ctx}
		label := pr.principal
		if pr.principal == outsideAccount {
			label = "any other AWS account"
		} else if pr.reach == "account" {
			label = "account " + pr.principal
		}
		if pr.reach == "account" && pr.principal == role.role.Account {
			label = "principals of the role's own account"
		}
		st := decide(label+" may assume "+role.role.Name, req, pols, "")
		if st.Decision == flow.Denied {
			continue
		}
		fl := flow.Flow{
			ID:        fmt.Sprintf("reach/assume-role/%s/%s", pr.principal, role.role.Address),
			Kind:      flow.KindReach,
			Decision:  st.Decision,
			Target:    &flow.Ref{Address: role.role.Address, ARN: role.role.ARN, Span: loc.At(role.role.File, role.role.Line)},
			Principal: pr.principal,
			Reach:     "assume-role",
			Actions:   []string{"sts:AssumeRole"},
			Steps:     []flow.Step{st},
			Title:     fmt.Sprintf("%s can assume execution role %s", label, role.role.Name),
		}
		out = append(out, fl)
	}
	return out
}

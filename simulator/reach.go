package simulator

import (
	"fmt"
	"sort"

	"github.com/lambdacheck/lambdacheck/analyzer/iam"
	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
	"github.com/lambdacheck/lambdacheck/simulator/flow"
)

// outsideAccount stands for "some account that is neither this one nor
// named anywhere": a probe for grants to "*" guarded only by conditions.
const outsideAccount = "000000000000"

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
// who can assume each execution role (SPEC §6.3).
func (w *world) reachFlows() []flow.Flow {
	var out []flow.Flow
	for i := range w.inv.Functions {
		fn := &w.inv.Functions[i]
		if fn.External {
			continue
		}
		for j := range fn.ResourcePolicies {
			qp := &fn.ResourcePolicies[j]
			pol, why := w.compile(&qp.Policy, iam.ResourcePolicy, fn.Address)
			if pol == nil {
				continue
			}
			out = append(out, w.invokeReach(fn, qp.Qualifier, pol, why)...)
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
				Target:    &flow.Ref{Address: fn.Address, ARN: qualifiedARN(fn.ARN, u.Qualifier), File: u.File, Line: u.Line},
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
	principal string
	ctx       func() *iamContext
}

// iamContext aliases the condition context type for probe builders.
type iamContext = condCtx

func (w *world) invokeReach(fn *inventory.Function, qualifier string, pol *iam.Policy, why string) []flow.Flow {
	target := qualifiedARN(fn.ARN, qualifier)
	// Lambda's Invoke API needs a signed request, so "everyone" means any
	// principal of any AWS account; unauthenticated callers come only
	// through a function URL with AuthType NONE (the URL's invoke flow).
	var probes []probe
	probes = append(probes, probe{"public", outsideAccount, func() *iamContext {
		c := roleContext("arn:aws:iam::"+outsideAccount+":role/caller", outsideAccount, "")
		c.Set("aws:PrincipalOrgID", "o-outside0000")
		return c
	}})
	accounts := map[string]bool{}
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
		for _, arn := range s.Principal.ARNs {
			if acct := accountOf(arn, ""); acct != "" && acct != fn.Account {
				accounts[acct] = true
			}
		}
		for _, svc := range s.Principal.Services {
			services[svc] = true
		}
	}
	for _, a := range sortedKeys(accounts) {
		acct := a
		probes = append(probes, probe{"account", acct, func() *iamContext {
			c := roleContext("arn:aws:iam::"+acct+":role/caller", acct, "")
			c.Set("aws:PrincipalOrgID", "o-outside0000")
			return c
		}})
	}
	for _, s := range sortedKeys(services) {
		svc := s
		// The service acting for someone else's resource: a source ARN and
		// account that are not this application's.
		probes = append(probes, probe{"service", svc, func() *iamContext {
			return serviceContext(svc, "arn:aws:s3:::someone-elses-bucket", outsideAccount)
		}})
	}
	var out []flow.Flow
	for _, pr := range probes {
		var p iam.Principal
		pols := &iam.Policies{Resource: pol}
		switch pr.reach {
		case "public", "account":
			p, _ = iam.ParsePrincipal("arn:aws:sts::" + pr.principal + ":assumed-role/caller/probe")
			pols.Identity = anyIdentity
		default:
			p, _ = iam.ParsePrincipal(pr.principal)
		}
		for _, action := range []string{"lambda:InvokeFunction", "lambda:InvokeFunctionUrl"} {
			ctx := pr.ctx()
			if action == "lambda:InvokeFunctionUrl" {
				// A URL call by a principal is a signed (AWS_IAM) call, and
				// only reaches a function that has such a URL.
				if !hasURL(fn, qualifier, "AWS_IAM") || pr.reach == "service" {
					continue
				}
				ctx.Set("lambda:FunctionUrlAuthType", "AWS_IAM")
			} else {
				ctx.SetMissing("lambda:InvokedViaFunctionUrl")
			}
			req := &iam.Request{Principal: p, Action: action, Resource: target, ResourceAccount: fn.Account, Context: ctx}
			st := decide(describeProbe(pr)+" may "+action, req, pols, why)
			if st.Decision == flow.Denied {
				continue
			}
			fl := flow.Flow{
				ID:        fmt.Sprintf("reach/%s/%s/%s:%s", pr.reach, pr.principal, fn.Address, qualifierOrDefault(qualifier)),
				Kind:      flow.KindReach,
				Decision:  st.Decision,
				Target:    &flow.Ref{Address: fn.Address, ARN: target, File: fn.File, Line: fn.Line},
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

func describeProbe(pr probe) string {
	switch pr.reach {
	case "public":
		return "any AWS account"
	case "account":
		return "account " + pr.principal
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
	for _, a := range sortedKeys(accounts) {
		probes = append(probes, who{"account", a})
	}
	for _, s := range sortedKeys(services) {
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
			Target:    &flow.Ref{Address: role.role.Address, ARN: role.role.ARN, File: role.role.File, Line: role.role.Line},
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

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

package simulator

import (
	"slices"

	"github.com/lambdacheck/lambdacheck/analyzer/awsref"
	"github.com/lambdacheck/lambdacheck/analyzer/iam"
	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
	"github.com/lambdacheck/lambdacheck/analyzer/loc"
	"github.com/lambdacheck/lambdacheck/simulator/flow"
)

// EscalationActions are the actions that let code holding them on every
// resource gain privileges its role does not have: pass a role to new
// code, take over another function, rewrite permissions, mint credentials,
// become another role (docs/flows.md, "facts").
var EscalationActions = []string{
	"iam:PassRole",
	"lambda:CreateFunction",
	"lambda:UpdateFunctionCode",
	"lambda:UpdateFunctionConfiguration",
	"iam:PutRolePolicy",
	"iam:PutUserPolicy",
	"iam:PutGroupPolicy",
	"iam:AttachRolePolicy",
	"iam:AttachUserPolicy",
	"iam:AttachGroupPolicy",
	"iam:CreatePolicyVersion",
	"iam:SetDefaultPolicyVersion",
	"iam:UpdateAssumeRolePolicy",
	"iam:CreateAccessKey",
	"iam:CreateLoginProfile",
	"iam:UpdateLoginProfile",
	"sts:AssumeRole",
}

// facts computes what the engine says about the policies themselves, for
// the rules: the grants of every role's identity policies and the unpinned
// service grants of every function resource policy.
func (w *world) facts() *flow.Facts {
	out := &flow.Facts{Roles: []flow.RoleFacts{}, ResourcePolicies: []flow.ResourcePolicyFacts{}}
	for i := range w.inv.Roles {
		r := &w.inv.Roles[i]
		info := w.roles[r.ARN]
		if r.ARN == "" || info == nil || info.role != r {
			continue // an unknown or repeated ARN: rules cannot look it up
		}
		if rf := roleFacts(info); len(rf.Policies) > 0 {
			out.Roles = append(out.Roles, rf)
		}
	}
	for i := range w.inv.Functions {
		f := &w.inv.Functions[i]
		for j := range f.ResourcePolicies {
			qp := &f.ResourcePolicies[j]
			pol, _ := w.compile(&qp.Policy, iam.ResourcePolicy, f.Address)
			if pol == nil {
				continue
			}
			pointAtPermissions(pol, f, qp)
			if un := unpinnedServiceGrants(pol); len(un) > 0 {
				out.ResourcePolicies = append(out.ResourcePolicies, flow.ResourcePolicyFacts{
					Function: f.Address, Index: j, Address: qp.Address, Qualifier: qp.Qualifier, Unpinned: un,
				})
			}
		}
	}
	return out
}

// roleFacts are the facts of one role's compiled identity policies.
func roleFacts(info *roleInfo) flow.RoleFacts {
	rf := flow.RoleFacts{ARN: info.role.ARN, Address: info.role.Address, Policies: []flow.PolicyFacts{}}
	own := accountOf(info.role.ARN, "")
	for k, pol := range info.identity {
		pf := policyFacts(pol, own)
		if len(pf.Wildcards)+len(pf.Escalations)+len(pf.ForeignResources) == 0 {
			continue
		}
		pf.Index = info.identityAt[k]
		if p := identityPolicyAt(info.role, pf.Index); p != nil {
			pf.Name, pf.Address = p.Name, p.Address
		}
		rf.Policies = append(rf.Policies, pf)
	}
	return rf
}

func identityPolicyAt(r *inventory.Role, i int) *inventory.Policy {
	if i < len(r.InlinePolicies) {
		return &r.InlinePolicies[i]
	}
	if i -= len(r.InlinePolicies); i < len(r.AttachedPolicies) {
		return &r.AttachedPolicies[i]
	}
	return nil
}

// policyFacts reads one identity policy's Allow statements: wildcard
// grants and escalation actions on every resource, and resources named in
// an account other than own.
func policyFacts(pol *iam.Policy, own string) flow.PolicyFacts {
	var pf flow.PolicyFacts
	granted := map[string]bool{}
	for _, st := range pol.Statements {
		if st.Effect != iam.Allow {
			continue
		}
		ref := statementRef(st)
		if st.AppliesToEveryResource() {
			if wg, ok := wildcardGrant(st, ref); ok {
				pf.Wildcards = append(pf.Wildcards, wg)
			}
			for _, a := range escalationsGranted(st) {
				if !granted[a] {
					granted[a] = true
					pf.Escalations = append(pf.Escalations, flow.ActionGrant{Action: a, Statement: ref})
				}
			}
		}
		if st.NotResource {
			continue
		}
		for _, res := range st.Resources {
			if acct := accountOf(res, ""); awsref.IsAccountID(acct) && acct != own {
				rg := flow.ResourceGrant{Statement: ref, Resource: res, Account: acct}
				if !st.NotAction {
					rg.Actions = slices.Clone(st.Actions)
				}
				pf.ForeignResources = append(pf.ForeignResources, rg)
			}
		}
	}
	return pf
}

// wildcardGrant is the statement's grant of every action or whole
// services, if it makes one; the caller has checked that it applies to
// every resource.
func wildcardGrant(st *iam.Statement, ref flow.StatementRef) (flow.WildcardGrant, bool) {
	wg := flow.WildcardGrant{Statement: ref}
	if st.NotAction {
		wg.NotAction = slices.Clone(st.Actions)
		return wg, true
	}
	for i, a := range st.Actions {
		if st.ActionScope(i) != iam.SomeActions {
			wg.Actions = append(wg.Actions, a)
		}
	}
	return wg, len(wg.Actions) > 0
}

// escalationsGranted are the escalation actions the statement's Action
// patterns match by name or by a partial wildcard: a whole-service or
// every-action pattern is a wildcard grant, not an escalation fact.
func escalationsGranted(st *iam.Statement) []string {
	if st.NotAction {
		return nil
	}
	var out []string
	for _, a := range EscalationActions {
		for i := range st.Actions {
			if st.ActionScope(i) == iam.SomeActions && st.PatternMatches(i, a) {
				out = append(out, a)
				break
			}
		}
	}
	return out
}

// unpinnedServiceGrants are the Allow statements of a resource policy that
// name a service principal without testing both aws:SourceArn and
// aws:SourceAccount, one per statement and service.
func unpinnedServiceGrants(pol *iam.Policy) []flow.ServiceGrant {
	var out []flow.ServiceGrant
	for _, st := range pol.Statements {
		if st.Effect != iam.Allow || st.Principal == nil || st.NotPrincipal || len(st.Principal.Services) == 0 {
			continue
		}
		keys := st.ConditionKeys()
		arn, acct := slices.Contains(keys, "aws:sourcearn"), slices.Contains(keys, "aws:sourceaccount")
		if arn && acct {
			continue
		}
		ref := statementRef(st)
		for _, svc := range st.Principal.Services {
			out = append(out, flow.ServiceGrant{Statement: ref, Service: svc, SourceArn: arn, SourceAccount: acct})
		}
	}
	return out
}

// statementRef locates a statement where it is written: the block that
// wrote it into a policy the source assembled, else its policy's file.
func statementRef(st *iam.Statement) flow.StatementRef {
	ref := flow.StatementRef{Index: st.Index, Sid: st.Sid, Span: loc.At(st.Policy.File, st.Line)}
	if w := st.Written; w != nil {
		ref.Span = loc.At(w.File, w.Line)
	}
	return ref
}

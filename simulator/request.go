package simulator

import (
	"strings"

	"github.com/lambdacheck/lambdacheck/analyzer/iam"
	"github.com/lambdacheck/lambdacheck/analyzer/iam/condition"
	"github.com/lambdacheck/lambdacheck/analyzer/iam/pattern"
	"github.com/lambdacheck/lambdacheck/analyzer/loc"
	"github.com/lambdacheck/lambdacheck/simulator/flow"
)

// Static analysis knows few request context keys. Every key is unknown
// unless set here, except the principal keys that a kind of principal is
// known not to carry; so a decision that hinges on anything else comes out
// conditional rather than falsely certain.

// serviceContext is the context of a push source invoking as its service principal.
func serviceContext(service, sourceARN, sourceAccount string) *condition.Context {
	c := condition.NewContext()
	c.SetUnknownPrefix("")
	for _, k := range []string{"aws:PrincipalArn", "aws:PrincipalAccount", "aws:PrincipalOrgID", "aws:PrincipalOrgPaths", "aws:userid", "aws:username", "aws:SourceIdentity", "lambda:FunctionUrlAuthType", "lambda:InvokedViaFunctionUrl", "lambda:EventSourceToken", "aws:CalledVia", "aws:CalledViaFirst", "aws:CalledViaLast"} {
		c.SetMissing(k)
	}
	c.SetMissingPrefix("aws:PrincipalTag/")
	c.Set("aws:PrincipalServiceName", service)
	c.Set("aws:PrincipalIsAWSService", "true")
	c.Set("aws:SecureTransport", "true")
	setOrUnknown(c, "aws:SourceArn", sourceARN)
	setOrUnknown(c, "aws:SourceAccount", sourceAccount)
	return c
}

// roleContext is the context of a request signed by a role session.
func roleContext(roleARN, account, orgID string) *condition.Context {
	c := condition.NewContext()
	c.SetUnknownPrefix("")
	for _, k := range []string{"aws:PrincipalServiceName", "aws:username", "aws:SourceArn", "aws:SourceAccount", "aws:SourceOwner", "aws:SourceOrgID", "aws:SourceOrgPaths", "lambda:FunctionUrlAuthType", "lambda:InvokedViaFunctionUrl", "lambda:EventSourceToken"} {
		c.SetMissing(k)
	}
	c.Set("aws:PrincipalArn", roleARN)
	c.Set("aws:PrincipalAccount", account)
	c.Set("aws:PrincipalType", "AssumedRole")
	c.Set("aws:PrincipalIsAWSService", "false")
	c.Set("aws:SecureTransport", "true")
	if orgID != "" {
		c.Set("aws:PrincipalOrgID", orgID)
	}
	return c
}

// anonymousContext is the context of an unauthenticated caller (a public
// function URL request): no principal keys, everything else unknown.
func anonymousContext() *condition.Context {
	c := condition.NewContext()
	c.SetUnknownPrefix("")
	for _, k := range []string{"aws:PrincipalArn", "aws:PrincipalAccount", "aws:PrincipalOrgID", "aws:PrincipalOrgPaths", "aws:PrincipalServiceName", "aws:PrincipalType", "aws:userid", "aws:username", "aws:SourceArn", "aws:SourceAccount", "aws:SourceOwner", "aws:SourceOrgID", "lambda:EventSourceToken"} {
		c.SetMissing(k)
	}
	c.SetMissingPrefix("aws:PrincipalTag/")
	c.Set("aws:PrincipalIsAWSService", "false")
	return c
}

func setOrUnknown(c *condition.Context, key, value string) {
	// A placeholder or symbol ("<EXPR>") stands for one fixed value, the same
	// in the permission and in the source, so it is set as it is: the
	// condition engine matches it by identity, and where a policy value could
	// or could not match it, the clause is unknown and names the symbol.
	if value == "" {
		c.SetUnknown(key)
		return
	}
	c.Set(key, value)
}

// sessionPrincipal is the role session a function (or a service) runs as.
func sessionPrincipal(roleARN, session string) (iam.Principal, bool) {
	p, err := iam.ParsePrincipal(roleARN)
	if err != nil || p.Kind != iam.PrincipalRoleSession {
		return iam.Principal{}, false
	}
	if session == "" {
		session = "lambdacheck"
	}
	s, err := iam.ParsePrincipal("arn:" + p.Partition + ":sts::" + p.Account + ":assumed-role/" + p.RoleName + "/" + session)
	if err != nil {
		return p, true
	}
	s.RoleARN = roleARN // keep the path, which session ARNs drop
	return s, true
}

// decide asks the engine and turns its answer into a step. incomplete names
// a policy the source could not resolve: then only an explicit deny by the
// known statements stays certain.
func decide(what string, req *iam.Request, pols *iam.Policies, incomplete string) flow.Step {
	res := iam.Authorize(req, pols)
	st := flow.Step{
		What:      what,
		Principal: req.Principal.ARN,
		Action:    req.Action,
		Resource:  req.Resource,
		Reason:    res.Reason,
	}
	switch res.Decision {
	case iam.Allowed:
		st.Decision = flow.Allowed
	case iam.ExplicitlyDenied, iam.ImplicitlyDenied:
		st.Decision = flow.Denied
	default:
		st.Decision = flow.Conditional
		if res.SymbolsOnly && len(res.Symbols) > 0 {
			// No context key decides, only values Terraform knows after
			// apply: the step is unknown, not conditional on the request.
			st.Decision = flow.Unknown
			st.Reason = symbolsReason(res.Symbols)
		}
	}
	if incomplete != "" && res.Decision != iam.ExplicitlyDenied {
		st.Decision = flow.Unknown
		st.Reason = incomplete
	}
	st.Statements = statements(res, req.Context)
	return st
}

// symbolsReason names the symbols a decision waits for, without their angle
// brackets: "depends on var.prefix, which is unknown before apply". syms is
// sorted (iam.Result.Symbols).
func symbolsReason(syms []string) string {
	names := make([]string, len(syms))
	for i, s := range syms {
		names[i] = strings.TrimSuffix(strings.TrimPrefix(s, "<"), ">")
	}
	if len(names) == 1 {
		return "depends on " + names[0] + ", which is unknown before apply"
	}
	return "depends on " + strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1] + ", which are unknown before apply"
}

func statements(res iam.Result, ctx *condition.Context) []flow.Statement {
	out := make([]flow.Statement, 0, len(res.Matches))
	for _, m := range res.Matches {
		s := m.Statement
		fs := flow.Statement{
			Policy: s.Policy.Name, Layer: m.Layer.String(), Index: s.Index, Sid: s.Sid,
			Effect: s.Effect.String(), Span: loc.At(s.Policy.File, s.Line), Certain: m.Certain,
		}
		if w := s.Written; w != nil {
			fs.Policy, fs.Span = w.Name, loc.At(w.File, w.Line)
		}
		if s.Condition() != nil {
			var parts []string
			for _, cr := range s.Condition().Explain(ctx) {
				if cr.Result == pattern.Unknown {
					parts = append(parts, cr.Sentence)
				}
				if s.Effect == iam.Allow {
					fs.Conditions = append(fs.Conditions, cr.Sentence)
				}
			}
			if !m.Certain {
				fs.Condition = strings.Join(parts, "; ")
			}
		}
		out = append(out, fs)
	}
	return out
}

// note is a step decided without the engine (configuration facts).
func note(what string, d flow.Decision, reason string) flow.Step {
	return flow.Step{What: what, Decision: d, Reason: reason, Statements: []flow.Statement{}}
}

// condCtx is the engine's request context type.
type condCtx = condition.Context

// decideOn decides req on a resource whose own policy may be unknown
// (unknownPolicy says why; "" when it is known, or absent for sure). When
// that policy must grant — a KMS key, or any resource of another account
// than the principal's — the step is unknown, except that across accounts
// a denial by the principal's side alone is certain.
func decideOn(what string, req *iam.Request, pols *iam.Policies, why, unknownPolicy, principalAccount string) flow.Step {
	if unknownPolicy == "" || why != "" || pols.Resource != nil {
		return decide(what, req, pols, why)
	}
	if pols.ResourceMustAllow {
		return decide(what, req, pols, unknownPolicy)
	}
	if req.ResourceAccount == "" || principalAccount == "" || req.ResourceAccount == principalAccount {
		return decide(what, req, pols, why)
	}
	own := *req
	own.ResourceAccount = principalAccount
	st := decide(what, &own, pols, "")
	st.Resource = req.Resource
	if st.Decision != flow.Denied {
		st.Decision = flow.Unknown
		st.Reason = unknownPolicy + ", and access from another account needs it to grant"
	}
	return st
}

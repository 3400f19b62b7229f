package simulator

import (
	"fmt"
	"slices"
	"strings"

	"github.com/lambdacheck/lambdacheck/analyzer/awsref"
	"github.com/lambdacheck/lambdacheck/analyzer/iam"
	"github.com/lambdacheck/lambdacheck/analyzer/iam/pattern"
	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
	"github.com/lambdacheck/lambdacheck/analyzer/loc"
	"github.com/lambdacheck/lambdacheck/simulator/eventsource"
	"github.com/lambdacheck/lambdacheck/simulator/flow"
)

// invokeFlows simulates every trigger: its configuration, the invoke
// permission (resource policy, invoker role, or the execution role's reads
// on a polled source), and Lambda assuming the execution role.
func (w *world) invokeFlows() []flow.Flow {
	var out []flow.Flow
	for i := range w.inv.Triggers {
		t := &w.inv.Triggers[i]
		if t.Service == "function_url" {
			continue // simulated from the function's URL configuration below
		}
		if t.FunctionARN == "" && t.Target != "" && serviceOf(t.Target) != "lambda" {
			continue // delivers to a topic, queue or state machine, not to a function
		}
		if t.Service == "rds" && t.FunctionARN == "" {
			out = append(out, w.rdsFlows(t)...) // the function is chosen in SQL
			continue
		}
		out = append(out, w.invokeFlow(t))
	}
	for i := range w.inv.Functions {
		f := &w.inv.Functions[i]
		for j := range f.URLs {
			out = append(out, w.urlFlow(f, &f.URLs[j]))
		}
	}
	return out
}

func qualifiedARN(fnARN, qualifier string) string {
	if qualifier == "" || qualifier == "$LATEST" {
		return fnARN
	}
	return fnARN + ":" + qualifier
}

// sourceResource is the inventory resource a trigger's source ARN names.
// CloudWatch Logs invokes with the log group's ARN ending in ":*", which
// the group's own ARN lacks.
func (w *world) sourceResource(t *inventory.Trigger) (*resourceInfo, bool) {
	if src, ok := w.res[t.SourceARN]; ok {
		return src, true
	}
	if t.Service == "logs" {
		if group, ok := strings.CutSuffix(t.SourceARN, ":*"); ok {
			src, ok := w.res[group]
			return src, ok
		}
	}
	return nil, false
}

func (w *world) invokeFlow(t *inventory.Trigger) flow.Flow {
	fn := w.funcs[t.FunctionARN]
	fl := flow.Flow{
		ID:   "invoke/" + t.Address + "->" + functionAddress(fn, t),
		Kind: flow.KindInvoke,
		Trigger: &flow.Trigger{
			Type: t.Service, Kind: t.Kind, Address: t.Address,
			Source:   flow.Ref{Address: t.SourceAddress, ARN: t.SourceARN},
			Function: flow.FunctionRef{Ref: flow.Ref{Address: functionAddress(fn, t), ARN: t.FunctionARN}, Qualifier: t.Qualifier},
			Enabled:  t.Enabled, Events: t.Events, Filter: filterText(t.Filter),
		},
	}
	if fn != nil {
		fl.Trigger.Function.File, fl.Trigger.Function.Line = fn.File, fn.Line
	}
	if src, ok := w.sourceResource(t); ok {
		// Sources are joined by value: name the resource that has the ARN.
		if fl.Trigger.Source.Address == "" {
			fl.Trigger.Source.Address = src.res.Address
		}
		fl.Trigger.Source.File, fl.Trigger.Source.Line = src.res.File, src.res.Line
	}
	fl.Title = fmt.Sprintf("%s %s → %s", t.Service, nonEmpty(fl.Trigger.Source.Address, t.SourceARN), fl.Trigger.Function.Address)
	for _, u := range t.Unknown {
		w.addUnknown(t.Address, u.Field, u.Reason, u.File, u.Line)
	}

	// 1. The trigger's own configuration.
	switch {
	case !t.Enabled:
		fl.Steps = append(fl.Steps, note("trigger enabled", flow.Denied, "the trigger is disabled"))
	case hasUnknown(t.Unknown, "enabled"):
		why := "whether the trigger is enabled is unknown"
		if r := unknownReason(t.Unknown, "enabled"); r != "" {
			why += ": " + r
		}
		fl.Steps = append(fl.Steps, note("trigger enabled", flow.Unknown, why))
	default:
		fl.Steps = append(fl.Steps, note("trigger enabled", flow.Allowed, describeTrigger(t)))
	}
	if t.FunctionARN == "" {
		why := "the trigger's target function could not be resolved"
		// Name what it waits for: the loader's reasons name the expression.
		var waits []string
		for _, u := range t.Unknown {
			waits = append(waits, u.Field+": "+u.Reason)
		}
		if len(waits) > 0 {
			why += " (" + strings.Join(waits, "; ") + ")"
		}
		fl.Steps = append(fl.Steps, note("target function", flow.Unknown, why))
		fl.Decision = flow.Combine(stepDecisions(fl.Steps)...)
		return fl
	}
	if fn == nil {
		fl.Steps = append(fl.Steps, note("target function", flow.Unknown, "the target function "+t.FunctionARN+" is not in the inventory"))
		fl.Decision = flow.Combine(stepDecisions(fl.Steps)...)
		return fl
	}
	if t.Qualifier != "" && t.Qualifier != "$LATEST" && !hasQualifier(fn, t.Qualifier) {
		// A live inventory may not have read the aliases or versions: then
		// whether the qualifier exists is unknown, not false.
		field, kind := "aliases", "alias"
		if awsref.IsDigits(t.Qualifier) {
			field, kind = "versions", "version"
		}
		if why := unknownReason(fn.Unknown, field); why != "" {
			fl.Steps = append(fl.Steps, note("target qualifier exists", flow.Unknown, fmt.Sprintf("whether the function has %s %q is unknown: %s", kind, t.Qualifier, why)))
		} else {
			fl.Steps = append(fl.Steps, note("target qualifier exists", flow.Denied, fmt.Sprintf("the function has no alias or version %q", t.Qualifier)))
		}
	}

	// 2. The invoke permission.
	ref := eventsource.Default()
	target := qualifiedARN(t.FunctionARN, t.Qualifier)
	switch {
	case t.Service == unmodelledService:
		fl.Steps = append(fl.Steps, unmodelledStep(t))
	case t.Kind == "poll":
		fl.Steps = append(fl.Steps, w.pollSteps(t, fn)...)
	case specialInvoker(t):
		fl.Steps = append(fl.Steps, w.specialInvokeSteps(t, fn, target)...)
	case t.InvokeRole != "":
		fl.Steps = append(fl.Steps, w.roleInvokeSteps(t, fn, target)...)
		fl.Steps = append(fl.Steps, w.roleExtraSteps(t, fn, target)...)
	default:
		push, ok := ref.Push(t.Service)
		if !ok {
			if ri, isRole := ref.RoleInvoker(t.Service); isRole {
				fl.Steps = append(fl.Steps, note("invoker role", flow.Unknown, fmt.Sprintf("%s invokes with a role trusted by %s, and the trigger names none", t.Service, ri.TrustPrincipal)))
				break
			}
			fl.Steps = append(fl.Steps, note("invoke permission", flow.Unknown, fmt.Sprintf("no service principal is known for %s triggers", t.Service)))
			break
		}
		fl.Steps = append(fl.Steps, w.pushStep(t, fn, push, target))
		fl.Trigger.Permissions, fl.Trigger.OtherQualifierPermissions = permissionsFor(t, fn, push)
	}

	// 3. Lambda must be able to assume the execution role to run the function.
	fl.Steps = append(fl.Steps, w.assumeExecutionRoleStep(fn))
	fl.Decision = flow.Combine(stepDecisions(fl.Steps)...)
	return fl
}

// pushStep decides lambda:InvokeFunction by the service principal against
// the resource policy of the exact qualifier the trigger targets. A source
// whose permission may name the principal in more than one form (global or
// regional) invokes when a permission for any of them grants.
func (w *world) pushStep(t *inventory.Trigger, fn *inventory.Function, push eventsource.Push, target string) flow.Step {
	principals := push.PrincipalsIn(regionOf(t.SourceARN, fn.Region))
	if len(principals) == 0 {
		return note("invoke permission", flow.Unknown, "the region of the source, which names its service principal ("+push.Principal+"), is unknown")
	}
	var best flow.Step
	for i, principal := range principals {
		st := w.pushStepAs(principal, t, fn, target)
		if i == 0 || st.Decision.Rank() < best.Decision.Rank() {
			best = st
		}
	}
	return best
}

func (w *world) pushStepAs(principal string, t *inventory.Trigger, fn *inventory.Function, target string) flow.Step {
	srcAccount := w.sourceAccount(t.SourceARN)
	p, _ := iam.ParsePrincipal(principal)
	req := &iam.Request{
		Principal: p, Action: "lambda:InvokeFunction", Resource: target,
		ResourceAccount: fn.Account,
		Context:         serviceContext(principal, t.SourceARN, srcAccount),
	}
	pinSource(req.Context, t)
	fp := w.functionPolicy(fn, t.Qualifier)
	why := fp.why
	if why == "" && hasUnknown(fn.Unknown, "resource_policies") {
		why = "the function's resource policy is unknown"
	}
	what := fmt.Sprintf("%s may invoke %s", principal, target)
	if fp.pol == nil && why == "" {
		st := decide(what, req, &iam.Policies{}, "")
		st.Reason = fmt.Sprintf("the function has no resource-based policy for %s, so %s cannot invoke it", qualifierName(t.Qualifier), principal)
		if other := otherQualifiers(fn, t.Qualifier); other != "" {
			st.Reason += "; permissions exist only for " + other + " (policies are per qualifier)"
		}
		st.Reason += neededGrant(principal, t, target, srcAccount)
		return st
	}
	st := decideFn(what, req, &iam.Policies{Resource: fp.pol}, fp, why)
	if st.Decision == flow.Denied {
		if other := otherQualifiers(fn, t.Qualifier); other != "" {
			st.Reason += "; permissions exist for " + other + " (policies are per qualifier)"
		}
		if !explicitlyDenied(st) {
			st.Reason += neededGrant(principal, t, target, srcAccount)
		}
	}
	return st
}

// regionOf returns the region field of an ARN, or def when it has none.
func regionOf(arn, def string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) == 6 && parts[3] != "" {
		return parts[3]
	}
	return def
}

// decideFn decides a request against a function's resource policy (in
// pols) that may lack statements the source could not render. A left-out
// statement is a permission, an Allow: it can only add a grant, so it makes
// the step unknown only where the known statements do not allow and its
// known fields (principal, action) admit this request. why, when set, says
// the whole policy set is unknown.
func decideFn(what string, req *iam.Request, pols *iam.Policies, fp funcPolicy, why string) flow.Step {
	if why == "" {
		why = fp.why
	}
	st := decide(what, req, pols, why)
	if why != "" || st.Decision == flow.Allowed || explicitlyDenied(st) {
		return st
	}
	for _, p := range fp.leftOut {
		if permissionMayApply(p, req) {
			st.Decision = flow.Unknown
			st.Reason = fmt.Sprintf("permission %s (%s) could grant this but is unknown: %s", nonEmpty(p.StatementID, "(unnamed)"), nonEmpty(p.Address, "statement left out"), unknownFields(p))
			return st
		}
	}
	return st
}

func explicitlyDenied(st flow.Step) bool {
	if st.Decision != flow.Denied {
		return false
	}
	for _, s := range st.Statements {
		if s.Effect == "Deny" && s.Certain {
			return true
		}
	}
	return false
}

// permissionMayApply reports whether a permission with unknown fields
// could match the request: its action and principal, where known, must.
func permissionMayApply(p inventory.Permission, req *iam.Request) bool {
	if p.Action != "" && !hasUnknown(p.Unknown, "action") && !pattern.MatchFold(p.Action, req.Action) {
		return false
	}
	if p.Principal == "" || p.Principal == "*" || hasUnknown(p.Unknown, "principal") {
		return true
	}
	rp := req.Principal
	switch {
	case awsref.IsAccountID(p.Principal):
		return rp.Account == p.Principal
	case strings.HasPrefix(p.Principal, "arn:"):
		if strings.HasSuffix(p.Principal, ":root") {
			return accountOf(p.Principal, "") == rp.Account
		}
		return p.Principal == rp.ARN || p.Principal == rp.RoleARN || p.Principal == rp.SessionARN
	}
	return strings.EqualFold(p.Principal, rp.ARN)
}

func unknownFields(p inventory.Permission) string {
	var parts []string
	for _, u := range p.Unknown {
		parts = append(parts, u.Field+" ("+u.Reason+")")
	}
	if len(parts) == 0 {
		return "its principal is not known"
	}
	return strings.Join(parts, "; ")
}

// roleInvokeSteps: services such as Scheduler and Step Functions invoke with
// a role of their own. The role's trust policy must admit the service and
// its identity policies must allow lambda:InvokeFunction on the target.
func (w *world) roleInvokeSteps(t *inventory.Trigger, fn *inventory.Function, target string) []flow.Step {
	ref := eventsource.Default()
	service, regional := "", ""
	if ri, ok := ref.RoleInvoker(t.Service); ok {
		service = ri.TrustPrincipal
		if ri.RegionalForm != "" {
			regional = strings.ReplaceAll(ri.RegionalForm, "${Region}", regionOf(t.SourceARN, fn.Region))
		}
	} else if push, ok := ref.Push(t.Service); ok {
		service = push.Principal // e.g. EventBridge or API Gateway with a role
	}
	role := w.roles[t.InvokeRole]
	var steps []flow.Step
	if role == nil {
		return []flow.Step{note("invoker role", flow.Unknown, "the invoker role "+t.InvokeRole+" is not in the inventory")}
	}
	if service != "" {
		st := w.trustStep(role, service, t.SourceARN, w.sourceAccount(t.SourceARN))
		// A trust naming the service's regional principal admits it too.
		if regional != "" && !strings.Contains(regional, "${") && st.Decision.Rank() > flow.Allowed.Rank() {
			if alt := w.trustStep(role, regional, t.SourceARN, w.sourceAccount(t.SourceARN)); alt.Decision.Rank() < st.Decision.Rank() {
				st = alt
			}
		}
		steps = append(steps, st)
	}
	p, ok := sessionPrincipal(role.role.ARN, t.Service)
	if !ok {
		return append(steps, note("invoker role may invoke", flow.Unknown, "the invoker role ARN "+t.InvokeRole+" is not a role ARN"))
	}
	fp := w.functionPolicy(fn, t.Qualifier)
	why := fp.why
	if why == "" {
		why = role.incomplete
	}
	req := &iam.Request{
		Principal: p, Action: "lambda:InvokeFunction", Resource: target, ResourceAccount: fn.Account,
		Context: roleContext(role.role.ARN, role.role.Account, w.opts.OrgID),
	}
	steps = append(steps, decideFn(fmt.Sprintf("role %s may invoke %s", role.role.Name, target), req,
		&iam.Policies{Identity: role.identity, Boundary: role.boundary, Resource: fp.pol, SCP: w.scps}, fp, why))
	return steps
}

// trustStep decides whether service may assume role (its trust policy),
// acting for the source (whose ARN and account become aws:SourceArn and
// aws:SourceAccount; empty when unknown).
func (w *world) trustStep(role *roleInfo, service, sourceARN, sourceAccount string) flow.Step {
	p, _ := iam.ParsePrincipal(service)
	req := &iam.Request{
		Principal: p, Action: "sts:AssumeRole", Resource: role.role.ARN, ResourceAccount: role.role.Account,
		Context: serviceContext(service, sourceARN, sourceAccount),
	}
	what := fmt.Sprintf("%s may assume role %s", service, role.role.Name)
	if role.trust == nil {
		if hasUnknown(role.role.Unknown, "trust_policy") || role.role.External {
			return note(what, flow.Unknown, "the role's trust policy is unknown")
		}
		return note(what, flow.Denied, "the role has no trust policy")
	}
	return decide(what, req, &iam.Policies{Resource: role.trust, ResourceMustAllow: true, RoleTrust: true}, "")
}

// assumeExecutionRoleStep: the function's role must trust lambda.amazonaws.com.
func (w *world) assumeExecutionRoleStep(fn *inventory.Function) flow.Step {
	if fn.Role == "" {
		return note("execution role", flow.Unknown, "the function's execution role is unknown")
	}
	role := w.roles[fn.Role]
	if role == nil {
		return note("execution role", flow.Unknown, "the execution role "+fn.Role+" is not in the inventory")
	}
	// Lambda assumes the role for the function itself.
	return w.trustStep(role, "lambda.amazonaws.com", fn.ARN, fn.Account)
}

// sourceAccount is the account that owns a source: the inventory's record,
// the ARN's account field, or (for S3 and SES ARNs, which carry none) the
// account the application is defined in.
func (w *world) sourceAccount(arn string) string {
	if arn == "" {
		return ""
	}
	if res, ok := w.res[arn]; ok && res.res.Account != "" {
		return res.res.Account
	}
	if a := accountOf(arn, ""); a != "" {
		return a
	}
	return w.inv.Account
}

// pollSteps: an event source mapping reads its source with the execution
// role: every action the source type needs, on the source ARN (a stream ARN
// for streams), through the source's resource policy, plus kms:Decrypt on a
// customer managed key that encrypts the source.
func (w *world) pollSteps(t *inventory.Trigger, fn *inventory.Function) []flow.Step {
	if selfManaged(t) {
		return w.selfManagedSteps(t, fn)
	}
	poll, ok := eventsource.Default().Poll(t.Service)
	if !ok {
		return []flow.Step{note("poll permissions", flow.Unknown, "no read actions are known for "+t.Service+" sources")}
	}
	role := w.roles[fn.Role]
	if role == nil {
		return []flow.Step{note("poll permissions", flow.Unknown, "the execution role "+fn.Role+" is not in the inventory")}
	}
	p, ok := sessionPrincipal(role.role.ARN, fn.Name)
	if !ok {
		return []flow.Step{note("poll permissions", flow.Unknown, "the execution role ARN is not a role ARN")}
	}
	var steps []flow.Step
	src := w.res[t.SourceARN]
	var srcPolicy *iam.Policy
	srcWhy := role.incomplete
	if src != nil {
		srcPolicy = src.policy
		if srcWhy == "" {
			srcWhy = src.incomplete
		}
	}
	if t.SourceARN == "" {
		return []flow.Step{note("poll permissions", flow.Unknown, "the event source ARN is unknown")}
	}
	// A source outside the inventory, or one it only refers to, may have
	// a resource policy nobody here can see.
	srcUnknown := "the source is in account " + accountOf(t.SourceARN, fn.Account) + ", outside the inventory, so its resource policy is not known"
	if src != nil {
		srcUnknown = src.unknownPolicy
	}
	ctx := roleContext(role.role.ARN, role.role.Account, w.opts.OrgID)
	actions := append(append([]string(nil), poll.Actions...), poll.Advised...)
	for _, action := range actions {
		advised := slices.Contains(poll.Advised, action) || publicBrokerVPCAction(t.Service, action, src)
		resource := t.SourceARN
		switch w.actionResource(action, t.SourceARN) {
		case resourceNone:
			resource = "*"
		case resourceOther:
			// The action applies to another resource type (e.g.
			// kinesis:SubscribeToShard on enhanced fan-out consumers), which
			// this source does not use, unless Lambda calls it on resources
			// the mapping does not name (onOtherResources).
			if !onOtherResources(action) {
				continue
			}
			resource = "*"
		}
		acct := accountOf(t.SourceARN, fn.Account)
		if resource == "*" {
			acct = role.role.Account // an account-wide call, made in the role's own account
		}
		req := &iam.Request{Principal: p, Action: action, Resource: resource, ResourceAccount: acct, Context: ctx}
		pols := &iam.Policies{Identity: role.identity, Boundary: role.boundary, SCP: w.scps}
		if resource != "*" {
			pols.Resource = srcPolicy
		}
		what := fmt.Sprintf("execution role may %s", action)
		st := decideOn(what, req, pols, srcWhy, srcUnknown, role.role.Account)
		if advised {
			st = adviceStep(st)
		}
		steps = append(steps, st)
	}
	if src != nil && poll.KMSDecrypt && customerKey(src.res.KMSKeyARN) {
		steps = append(steps, w.kmsStep(role, p, src.res.KMSKeyARN, "kms:Decrypt"))
	}
	return append(steps, w.sourceAccessSteps(t, role, p)...)
}

// adviceStep turns the decision of an action Lambda does not check when it
// polls into advice: granted, it stays as decided; otherwise the step holds
// (the mapping works without it) and its reason says what is missing.
func adviceStep(st flow.Step) flow.Step {
	st.What = "advised, not required: " + st.What
	if st.Decision == flow.Allowed {
		return st
	}
	was := st.Decision
	st.Decision = flow.Allowed
	st.Reason = fmt.Sprintf("not needed to poll (Lambda does not check it), but the AWS managed execution-role policy grants it and this role does not (%s: %s)", was, st.Reason)
	return st
}

// kmsStep decides a KMS action on a key: the key policy must grant.
func (w *world) kmsStep(role *roleInfo, p iam.Principal, keyARN, action string) flow.Step {
	key := w.res[keyARN]
	what := fmt.Sprintf("execution role may %s with %s", action, keyARN)
	req := &iam.Request{Principal: p, Action: action, Resource: keyARN, Context: roleContext(role.role.ARN, role.role.Account, w.opts.OrgID)}
	pols := &iam.Policies{Identity: role.identity, Boundary: role.boundary, SCP: w.scps, ResourceMustAllow: true}
	why := role.incomplete
	switch {
	case key == nil:
		// A key outside the inventory: its key policy is not known.
		why = "the key policy of " + keyARN + " is not in the inventory"
	case key.unknownPolicy != "":
		why = key.unknownPolicy
	case key.policy == nil && key.incomplete == "":
		// AWS gives a key created without a policy the default key policy,
		// which grants the account root and so delegates to IAM.
		pols.Resource = defaultKeyPolicy(key.res.Account)
	default:
		pols.Resource = key.policy
		if why == "" {
			why = key.incomplete
		}
	}
	return decide(what, req, pols, why)
}

func defaultKeyPolicy(account string) *iam.Policy {
	doc := `{"Version":"2012-10-17","Statement":[{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + account + `:root"},"Action":"kms:*","Resource":"*"}]}`
	p, err := iam.Parse([]byte(doc), iam.ResourcePolicy, iam.Source{Name: "default key policy"})
	if err != nil {
		return nil
	}
	return p
}

// customerKey reports whether a KMS key ARN is a customer managed key (AWS
// managed keys such as alias/aws/sqs need no key policy grant).
func customerKey(arn string) bool {
	return arn != "" && !strings.Contains(arn, "alias/aws/")
}

type resourceFit uint8

const (
	resourceMatches resourceFit = iota // the action takes this ARN's resource type
	resourceNone                       // the action has no resource types: request "*"
	resourceOther                      // the action takes other resource types only
)

// actionResource says how an action relates to an ARN's resource type.
func (w *world) actionResource(action, arn string) resourceFit {
	a, ok := w.cat.Action(action)
	if !ok {
		return resourceMatches
	}
	if len(a.Resources) == 0 {
		return resourceNone
	}
	types := w.cat.ResourceTypesOf(arn)
	for _, r := range a.Resources {
		for _, t := range types {
			if r.Type == t {
				return resourceMatches
			}
		}
	}
	return resourceOther
}

// actionTakesResource reports whether the action accepts a resource-level
// ARN of this kind; actions without resource types are requested on "*".
func (w *world) actionTakesResource(action, arn string) bool {
	return w.actionResource(action, arn) != resourceNone
}

// urlFlow: a function URL. With AuthType NONE anyone on the internet can
// call it when the resource policy grants "*" lambda:InvokeFunctionUrl and
// (for URLs created since October 2025) lambda:InvokeFunction with
// lambda:InvokedViaFunctionUrl.
func (w *world) urlFlow(fn *inventory.Function, u *inventory.FunctionURL) flow.Flow {
	target := qualifiedARN(fn.ARN, u.Qualifier)
	fl := flow.Flow{
		ID:   "invoke/" + u.Address + "->" + fn.Address,
		Kind: flow.KindInvoke,
		Trigger: &flow.Trigger{
			Type: "function_url", Kind: "push", Address: u.Address,
			Source:   flow.Ref{Address: u.Address, ARN: u.URL, Span: loc.At(u.File, u.Line)},
			Function: flow.FunctionRef{Ref: flow.Ref{Address: fn.Address, ARN: fn.ARN, Span: loc.At(fn.File, fn.Line)}, Qualifier: u.Qualifier},
			Enabled:  true, Filter: "auth " + u.AuthType,
		},
	}
	fl.Title = fmt.Sprintf("function URL (auth %s) → %s", u.AuthType, fn.Address)
	fl.Steps = append(fl.Steps, note("function URL configured", flow.Allowed, "auth type "+u.AuthType))
	fp := w.functionPolicy(fn, u.Qualifier)
	pol := fp.pol
	switch u.AuthType {
	case "NONE":
		p, _ := iam.ParsePrincipal("")
		ctx := anonymousContext()
		ctx.Set("lambda:FunctionUrlAuthType", "NONE")
		req := &iam.Request{Principal: p, Action: "lambda:InvokeFunctionUrl", Resource: target, ResourceAccount: fn.Account, Context: ctx}
		st := decideFn("anyone may call the URL (lambda:InvokeFunctionUrl)", req, &iam.Policies{Resource: pol}, fp, "")
		if st.Decision == flow.Denied && len(st.Statements) == 0 {
			st.Reason = "the resource policy does not grant \"*\" lambda:InvokeFunctionUrl with lambda:FunctionUrlAuthType NONE"
		}
		fl.Steps = append(fl.Steps, st)
		ctx2 := anonymousContext()
		ctx2.Set("lambda:InvokedViaFunctionUrl", "true")
		req2 := &iam.Request{Principal: p, Action: "lambda:InvokeFunction", Resource: target, ResourceAccount: fn.Account, Context: ctx2}
		st = decideFn("the URL may invoke the function (lambda:InvokeFunction via URL, required since October 2025)", req2, &iam.Policies{Resource: pol}, fp, "")
		if st.Decision == flow.Denied && len(st.Statements) == 0 {
			// Whether the URL needs this depends on when it was created,
			// which the source does not say.
			st.Decision = flow.Unknown
			st.Reason = "the resource policy does not grant \"*\" lambda:InvokeFunction (with lambda:InvokedViaFunctionUrl): function URLs created since October 2025 need it besides lambda:InvokeFunctionUrl, older URLs do not, and the creation date is unknown"
		}
		fl.Steps = append(fl.Steps, st)
	default:
		fl.Steps = append(fl.Steps, note("IAM-authenticated callers", flow.Conditional,
			"AuthType AWS_IAM: callers need lambda:InvokeFunctionUrl and lambda:InvokeFunction (identity policy in this account, or this resource policy for other accounts)"))
	}
	fl.Steps = append(fl.Steps, w.assumeExecutionRoleStep(fn))
	fl.Decision = flow.Combine(stepDecisions(fl.Steps)...)
	return fl
}

func functionAddress(fn *inventory.Function, t *inventory.Trigger) string {
	if fn != nil && fn.Address != "" {
		return fn.Address
	}
	return nonEmpty(t.FunctionAddress, t.FunctionARN)
}

func hasQualifier(fn *inventory.Function, q string) bool {
	for _, a := range fn.Aliases {
		if a.Name == q {
			return true
		}
	}
	return q == fn.Version || awsref.IsDigits(q) && fn.Publish
}

func otherQualifiers(fn *inventory.Function, q string) string {
	var names []string
	for _, rp := range fn.ResourcePolicies {
		if rp.Qualifier != q {
			names = append(names, qualifierName(rp.Qualifier))
		}
	}
	return strings.Join(names, ", ")
}

func qualifierName(q string) string {
	if q == "" {
		return "the unqualified function"
	}
	return "qualifier " + q
}

// publicBrokerVPCAction: Lambda reaches a publicly accessible Amazon MQ
// broker through its public endpoint; the ec2 permissions it lists are for
// the broker's VPC ("Process Amazon MQ messages with Lambda", network
// configuration), so for such a broker they are advice.
func publicBrokerVPCAction(service, action string, src *resourceInfo) bool {
	return service == "mq" && strings.HasPrefix(action, "ec2:") && src != nil && src.res.Attributes["publicly_accessible"] == "true"
}

func hasUnknown(us []inventory.Unknown, field string) bool {
	for _, u := range us {
		if u.Field == field || strings.HasPrefix(u.Field, field+".") || strings.HasPrefix(u.Field, field+"[") {
			return true
		}
	}
	return false
}

func describeTrigger(t *inventory.Trigger) string {
	var parts []string
	if len(t.Events) > 0 {
		parts = append(parts, "events "+strings.Join(t.Events, ", "))
	}
	if f := filterText(t.Filter); f != "" {
		parts = append(parts, f)
	}
	if len(parts) == 0 {
		return "enabled"
	}
	return "enabled; " + strings.Join(parts, "; ")
}

func filterText(f *inventory.Filter) string {
	if f == nil {
		return ""
	}
	var parts []string
	if f.Prefix != "" {
		parts = append(parts, "prefix "+f.Prefix)
	}
	if f.Suffix != "" {
		parts = append(parts, "suffix "+f.Suffix)
	}
	if f.Expression != "" {
		parts = append(parts, f.Expression)
	}
	if len(f.Pattern) > 0 {
		parts = append(parts, "pattern "+string(f.Pattern))
	}
	if len(f.Patterns) > 0 {
		parts = append(parts, fmt.Sprintf("%d filter criteria", len(f.Patterns)))
	}
	return strings.Join(parts, "; ")
}

func stepDecisions(steps []flow.Step) []flow.Decision {
	out := make([]flow.Decision, len(steps))
	for i, s := range steps {
		out[i] = s.Decision
	}
	return out
}

func nonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// unknownReason is the reason a field is unknown, or "".
func unknownReason(us []inventory.Unknown, field string) string {
	for _, u := range us {
		if u.Field == field {
			return u.Reason
		}
	}
	return ""
}

// permissionsFor sorts the function's permissions that could admit the
// trigger — naming one of its service's principal forms and, when they
// pin a source ARN, one whose pattern matches the trigger's source — by
// whether they are on the qualifier it invokes. The rules read these
// facts instead of matching principals and ARN patterns again.
func permissionsFor(t *inventory.Trigger, fn *inventory.Function, push eventsource.Push) (same, other []string) {
	forms := push.PrincipalsIn(regionOf(t.SourceARN, fn.Region))
	want := normalQualifier(t.Qualifier)
	for _, p := range fn.Permissions {
		if p.Address == "" || !slices.ContainsFunc(forms, func(f string) bool { return strings.EqualFold(f, p.Principal) }) {
			continue
		}
		if p.SourceARN != "" && p.SourceARN != t.SourceARN && !pattern.Match(p.SourceARN, t.SourceARN) {
			continue
		}
		if normalQualifier(p.Qualifier) == want {
			same = append(same, p.Address)
		} else {
			other = append(other, p.Address)
		}
	}
	slices.Sort(same)
	slices.Sort(other)
	return slices.Compact(same), slices.Compact(other)
}

// normalQualifier treats $LATEST as the unqualified function, as Lambda
// does for resource policies.
func normalQualifier(q string) string {
	if q == "$LATEST" {
		return ""
	}
	return q
}

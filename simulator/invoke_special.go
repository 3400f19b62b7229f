package simulator

import (
	"fmt"
	"slices"
	"strings"

	"github.com/lambdacheck/lambdacheck/analyzer/awsref"
	"github.com/lambdacheck/lambdacheck/analyzer/iam"
	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
	"github.com/lambdacheck/lambdacheck/simulator/eventsource"
	"github.com/lambdacheck/lambdacheck/simulator/flow"
)

// The invocation paths that are neither a plain resource-policy push nor a
// plain role invoker (docs/flows.md, "Role-based and special invokers"):
//
//   - rds: Aurora invokes, from SQL, any function its associated role
//     allows (Amazon Aurora User Guide, "Invoking a Lambda function from an
//     Aurora MySQL DB cluster" / "… from Aurora PostgreSQL").
//   - cloudfront: Lambda@Edge runs replicas of a numbered version of a
//     function in us-east-1 whose execution role trusts
//     edgelambda.amazonaws.com and lambda.amazonaws.com; no resource-based
//     policy is involved (Amazon CloudFront Developer Guide, "Restrictions
//     on Lambda@Edge" and "Set up IAM permissions and roles for
//     Lambda@Edge").
//   - s3_object_lambda: S3 invokes the function with the credentials of the
//     GetObject caller, and the function answers with
//     s3-object-lambda:WriteGetObjectResponse under its execution role
//     (Amazon S3 User Guide, "Configuring IAM policies for Object Lambda
//     Access Points").
//   - cloudformation: a custom resource's ServiceToken is invoked with the
//     stack's service role, or without one with the deploying principal's
//     credentials (AWS CloudFormation User Guide, "CloudFormation service
//     role" and "Lambda-backed custom resources").
//   - appsync authorizers: appsync.amazonaws.com through the resource policy
//     (AWS AppSync Developer Guide, "AWS_LAMBDA authorization").

// appsyncAuthorizer is how AppSync invokes a Lambda authorizer.
var appsyncAuthorizer = eventsource.Push{Principal: "appsync.amazonaws.com", Forms: []string{"appsync.amazonaws.com"}}

// cloudFormationTrust is the principal a stack's service role must trust.
const cloudFormationTrust = "cloudformation.amazonaws.com"

// edgeRegion is the region Lambda@Edge functions must be created in.
const edgeRegion = "us-east-1"

// specialInvoker reports whether the trigger's invoke permission is decided
// by specialInvokeSteps rather than by the resource policy or role paths.
func specialInvoker(t *inventory.Trigger) bool {
	switch t.Service {
	case "cloudfront", "s3_object_lambda", "cloudformation":
		return true
	case "appsync":
		return t.InvokeRole == "" && slices.Contains(t.Events, "authorizer")
	}
	return false
}

// specialInvokeSteps are the invoke-permission steps of a special path.
func (w *world) specialInvokeSteps(t *inventory.Trigger, fn *inventory.Function, target string) []flow.Step {
	switch t.Service {
	case "cloudfront":
		return w.edgeSteps(t, fn)
	case "s3_object_lambda":
		return w.objectLambdaSteps(t, fn, target)
	case "cloudformation":
		return w.customResourceSteps(t, fn, target)
	default: // appsync authorizer
		return []flow.Step{w.pushStep(t, fn, appsyncAuthorizer, target)}
	}
}

// edgeSteps: CloudFront needs no resource policy, but the function must be
// a numbered version in us-east-1 whose role trusts edgelambda.amazonaws.com
// (lambda.amazonaws.com is the execution-role step every flow ends with).
func (w *world) edgeSteps(t *inventory.Trigger, fn *inventory.Function) []flow.Step {
	var steps []flow.Step
	region := regionOf(t.FunctionARN, fn.Region)
	switch {
	case strings.HasPrefix(region, "<") || region == "":
		steps = append(steps, note("function in "+edgeRegion, flow.Unknown, "the function's region is unknown"))
	case region != edgeRegion:
		steps = append(steps, note("function in "+edgeRegion, flow.Denied, fmt.Sprintf("the function is in %s; Lambda@Edge associates only functions created in %s", region, edgeRegion)))
	default:
		steps = append(steps, note("function in "+edgeRegion, flow.Allowed, "the function is in "+edgeRegion))
	}
	q := t.Qualifier
	what := "target is a numbered version"
	switch {
	case q == "" || q == "$LATEST":
		steps = append(steps, note(what, flow.Denied, "lambda_arn names $LATEST (no version); Lambda@Edge needs a published version (publish = true and qualified_arn)"))
	case awsref.IsDigits(q) || q == fn.Version && fn.Publish:
		steps = append(steps, note(what, flow.Allowed, "version "+q))
	case isAlias(fn, q):
		steps = append(steps, note(what, flow.Denied, fmt.Sprintf("lambda_arn names alias %q; Lambda@Edge accepts only a numbered version, not an alias", q)))
	case strings.HasPrefix(q, "<"):
		steps = append(steps, note(what, flow.Unknown, "the qualifier "+q+" is unknown before apply"))
	default:
		steps = append(steps, note(what, flow.Denied, fmt.Sprintf("qualifier %q is not a numbered version", q)))
	}
	steps = append(steps, edgeConfigStep(t, fn))
	if fn.Role == "" {
		return append(steps, note("edgelambda.amazonaws.com may assume the execution role", flow.Unknown, "the function's execution role is unknown"))
	}
	role := w.roles[fn.Role]
	if role == nil {
		return append(steps, note("edgelambda.amazonaws.com may assume the execution role", flow.Unknown, "the execution role "+fn.Role+" is not in the inventory"))
	}
	st := w.trustStep(role, "edgelambda.amazonaws.com", "", "")
	if st.Decision == flow.Denied {
		st.Reason = "the execution role's trust policy does not admit edgelambda.amazonaws.com, which Lambda@Edge replicas assume it as (" + st.Reason + ")"
	}
	return append(steps, st)
}

func isAlias(fn *inventory.Function, q string) bool {
	for _, a := range fn.Aliases {
		if a.Name == q {
			return true
		}
	}
	return false
}

// objectLambdaSteps: the caller's credentials invoke, so the invoke step is
// conditional on the caller; the execution role must be able to return the
// transformed object.
func (w *world) objectLambdaSteps(t *inventory.Trigger, fn *inventory.Function, target string) []flow.Step {
	steps := []flow.Step{note("caller may invoke "+target, flow.Conditional,
		"S3 Object Lambda invokes the function with the credentials of the caller of the access point, who needs lambda:InvokeFunction on "+target+" (an identity policy in this account, or the function's resource policy across accounts)")}
	const action = "s3-object-lambda:WriteGetObjectResponse"
	what := "execution role may " + action
	role := w.roles[fn.Role]
	if role == nil {
		return append(steps, note(what, flow.Unknown, "the execution role "+nonEmpty(fn.Role, "(unknown)")+" is not in the inventory"))
	}
	p, ok := sessionPrincipal(role.role.ARN, fn.Name)
	if !ok {
		return append(steps, note(what, flow.Unknown, "the execution role ARN is not a role ARN"))
	}
	resource := t.SourceARN
	if resource == "" || !w.actionTakesResource(action, resource) {
		resource = "*"
	}
	req := &iam.Request{Principal: p, Action: action, Resource: resource, ResourceAccount: role.role.Account,
		Context: roleContext(role.role.ARN, role.role.Account, w.opts.OrgID)}
	st := decide(what, req, &iam.Policies{Identity: role.identity, Boundary: role.boundary, SCP: w.scps}, role.incomplete)
	if st.Decision == flow.Denied {
		st.Reason = "the execution role lacks " + action + ", so the function cannot return the transformed object (" + st.Reason + ")"
	}
	return append(steps, st)
}

// customResourceSteps: with a service role, CloudFormation assumes it and
// invokes; without, the deploying principal's credentials invoke.
func (w *world) customResourceSteps(t *inventory.Trigger, fn *inventory.Function, target string) []flow.Step {
	if t.InvokeRole == "" {
		return []flow.Step{note("deploying principal may invoke "+target, flow.Unknown,
			"the stack has no iam_role_arn, so CloudFormation invokes the custom resource with the credentials of whoever deploys the stack, who needs lambda:InvokeFunction on "+target+"; that principal is not known from the configuration")}
	}
	role := w.roles[t.InvokeRole]
	if role == nil {
		return []flow.Step{note("invoker role", flow.Unknown, "the stack's service role "+t.InvokeRole+" is not in the inventory")}
	}
	steps := []flow.Step{w.trustStep(role, cloudFormationTrust, t.SourceARN, w.sourceAccount(t.SourceARN))}
	return append(steps, w.roleInvokeSteps(t, fn, target)...)
}

// roleExtraSteps decides the actions a role-based invoker needs besides
// lambda:InvokeFunction: Firehose calls lambda:GetFunctionConfiguration
// before it invokes (Amazon Data Firehose Developer Guide, "Grant Firehose
// access to AWS Lambda"); CodePipeline's service role policy lists
// lambda:ListFunctions, which only the console uses, so it is advice
// (AWS CodePipeline User Guide, "Add permissions to the CodePipeline
// service role").
func (w *world) roleExtraSteps(t *inventory.Trigger, fn *inventory.Function, target string) []flow.Step {
	ri, ok := eventsource.Default().RoleInvoker(t.Service)
	role := w.roles[t.InvokeRole]
	if !ok || role == nil {
		return nil
	}
	p, ok := sessionPrincipal(role.role.ARN, t.Service)
	if !ok {
		return nil
	}
	var steps []flow.Step
	for _, action := range ri.Actions {
		if action == "lambda:InvokeFunction" {
			continue
		}
		resource, acct := target, fn.Account
		var pol *iam.Policy
		why := role.incomplete
		if !w.actionTakesResource(action, target) {
			resource, acct = "*", role.role.Account
		} else {
			fp := w.functionPolicy(fn, t.Qualifier)
			pol = fp.pol
			if why == "" {
				why = fp.why
			}
		}
		req := &iam.Request{Principal: p, Action: action, Resource: resource, ResourceAccount: acct,
			Context: roleContext(role.role.ARN, role.role.Account, w.opts.OrgID)}
		st := decide(fmt.Sprintf("role %s may %s", role.role.Name, action), req,
			&iam.Policies{Identity: role.identity, Boundary: role.boundary, Resource: pol, SCP: w.scps}, why)
		if t.Service == "codepipeline" && action == "lambda:ListFunctions" {
			was := st
			st = adviceStep(st)
			if was.Decision != flow.Allowed {
				st.Reason = fmt.Sprintf("not needed to invoke (only the console lists functions), but the service role policy AWS documents for CodePipeline grants it and this role does not (%s: %s)", was.Decision, was.Reason)
			}
		}
		steps = append(steps, st)
	}
	if t.Service == "codepipeline" {
		steps = append(steps, w.jobResultSteps(fn)...)
	}
	return steps
}

// jobResultSteps: a function a CodePipeline Invoke action runs must report
// the job's outcome with its execution role, or the action waits until it
// times out and fails (AWS CodePipeline User Guide, "Invoke an AWS Lambda
// function in a pipeline").
func (w *world) jobResultSteps(fn *inventory.Function) []flow.Step {
	role := w.roles[fn.Role]
	if role == nil {
		return []flow.Step{note("execution role may report the job result", flow.Unknown, "the execution role "+nonEmpty(fn.Role, "(unknown)")+" is not in the inventory")}
	}
	p, ok := sessionPrincipal(role.role.ARN, fn.Name)
	if !ok {
		return []flow.Step{note("execution role may report the job result", flow.Unknown, "the execution role ARN is not a role ARN")}
	}
	var steps []flow.Step
	for _, action := range []string{"codepipeline:PutJobSuccessResult", "codepipeline:PutJobFailureResult"} {
		req := &iam.Request{Principal: p, Action: action, Resource: "*", ResourceAccount: role.role.Account,
			Context: roleContext(role.role.ARN, role.role.Account, w.opts.OrgID)}
		st := decide("execution role may "+action, req, &iam.Policies{Identity: role.identity, Boundary: role.boundary, SCP: w.scps}, role.incomplete)
		if st.Decision == flow.Denied {
			st.Reason = "the function cannot report the job's outcome, so the Invoke action fails when it times out (" + st.Reason + ")"
		}
		steps = append(steps, st)
	}
	return steps
}

// rdsFlows: an Aurora role association names no function; the cluster can
// invoke every function its role may. One flow per inventory function the
// role's policies allow (lambda:InvokeFunction allowed or conditional);
// without any, one flow that says why none is reachable.
func (w *world) rdsFlows(t *inventory.Trigger) []flow.Flow {
	role := w.roles[t.InvokeRole]
	if role != nil && role.incomplete == "" {
		var out []flow.Flow
		for i := range w.inv.Functions {
			fn := &w.inv.Functions[i]
			if fn.ARN == "" {
				continue
			}
			c := *t
			c.FunctionARN, c.FunctionAddress, c.Target = fn.ARN, fn.Address, fn.ARN
			steps := w.roleInvokeSteps(&c, fn, fn.ARN)
			if last := steps[len(steps)-1]; last.Decision == flow.Allowed || last.Decision == flow.Conditional {
				out = append(out, w.invokeFlow(&c))
			}
		}
		if len(out) > 0 {
			return out
		}
	}
	fl := w.invokeFlow(t) // trigger enabled, then "target function unknown"
	fl.Steps = fl.Steps[:1]
	if fl.Steps[0].Decision == flow.Allowed {
		fl.Steps[0].Reason = describeTrigger(t) + "; the function is chosen in SQL (lambda_sync, lambda_async, aws_lambda.invoke)"
	}
	fl.ID = "invoke/" + t.Address + "->(function chosen in SQL)"
	fl.Trigger.Function.Address = "(any function the role allows)"
	fl.Title = fmt.Sprintf("rds %s → %s", nonEmpty(fl.Trigger.Source.Address, t.SourceARN), fl.Trigger.Function.Address)
	what := "role may invoke a function"
	switch {
	case t.InvokeRole == "":
		why := "the role association names no role"
		// A stand-in for associations a source could not read says why.
		var waits []string
		for _, u := range t.Unknown {
			waits = append(waits, u.Reason)
		}
		if len(waits) > 0 {
			why = strings.Join(waits, "; ")
		}
		fl.Steps = append(fl.Steps, note("invoker role", flow.Unknown, why))
	case role == nil:
		fl.Steps = append(fl.Steps, note("invoker role", flow.Unknown, "the invoker role "+t.InvokeRole+" is not in the inventory"))
	default:
		fl.Steps = append(fl.Steps, w.trustStep(role, "rds.amazonaws.com", t.SourceARN, w.sourceAccount(t.SourceARN)))
		what = "role " + role.role.Name + " may invoke a function"
		if role.incomplete != "" {
			fl.Steps = append(fl.Steps, note(what, flow.Unknown, "which functions the role may invoke is unknown: "+role.incomplete))
		} else if grants := invokeGrants(role); len(grants) > 0 {
			// Granted, but on functions outside the inventory: the cluster may
			// well call those; nothing here says whether they work.
			fl.Steps = append(fl.Steps, note(what, flow.Unknown, fmt.Sprintf(
				"the role may lambda:InvokeFunction only on functions outside the inventory (%s)", strings.Join(grants, "; "))))
		} else {
			fl.Steps = append(fl.Steps, note(what, flow.Denied, fmt.Sprintf(
				"the role's policies allow lambda:InvokeFunction on none of the %d functions in the inventory: grant lambda:InvokeFunction on the functions the cluster calls", len(w.funcs))))
		}
	}
	fl.Decision = flow.Combine(stepDecisions(fl.Steps)...)
	return []flow.Flow{fl}
}

// secretAccessTypes are the source access configuration types whose URI is
// a Secrets Manager secret Lambda reads with the execution role (AWS Lambda
// API Reference, SourceAccessConfiguration).
var secretAccessTypes = map[string]bool{
	"BASIC_AUTH": true, "SASL_SCRAM_256_AUTH": true, "SASL_SCRAM_512_AUTH": true,
	"CLIENT_CERTIFICATE_TLS_AUTH": true, "SERVER_ROOT_CA_CERTIFICATE": true,
}

// vpcActions are what Lambda needs to reach a self-managed Kafka cluster
// inside a VPC (AWS Lambda Developer Guide, "Configuring Lambda execution
// role permissions" for self-managed Apache Kafka).
var vpcActions = []string{"ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DescribeVpcs",
	"ec2:DeleteNetworkInterface", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups"}

// selfManaged reports whether a poll trigger is a self-managed Kafka
// mapping: Kafka with bootstrap servers and no source ARN (an MSK mapping
// whose ARN is unresolved says so in its unknowns).
func selfManaged(t *inventory.Trigger) bool {
	return t.Service == "kafka" && t.SourceARN == "" && (len(t.Endpoints) > 0 || !hasUnknown(t.Unknown, "source_arn"))
}

// selfManagedSteps: a self-managed Kafka cluster has no AWS resource to
// read; Lambda needs the VPC actions when the mapping places it in subnets
// and the secret of its authentication (sourceAccessSteps).
func (w *world) selfManagedSteps(t *inventory.Trigger, fn *inventory.Function) []flow.Step {
	role := w.roles[fn.Role]
	if role == nil {
		return []flow.Step{note("poll permissions", flow.Unknown, "the execution role "+fn.Role+" is not in the inventory")}
	}
	p, ok := sessionPrincipal(role.role.ARN, fn.Name)
	if !ok {
		return []flow.Step{note("poll permissions", flow.Unknown, "the execution role ARN is not a role ARN")}
	}
	steps := []flow.Step{note("bootstrap servers", flow.Allowed, nonEmpty(strings.Join(t.Endpoints, ", "), "self-managed cluster"))}
	inVPC := slices.ContainsFunc(t.SourceAccess, func(sa inventory.SourceAccess) bool {
		return sa.Type == "VPC_SUBNET" || sa.Type == "VPC_SECURITY_GROUP"
	})
	if inVPC {
		ctx := roleContext(role.role.ARN, role.role.Account, w.opts.OrgID)
		for _, action := range vpcActions {
			req := &iam.Request{Principal: p, Action: action, Resource: "*", ResourceAccount: role.role.Account, Context: ctx}
			steps = append(steps, decide("execution role may "+action, req, &iam.Policies{Identity: role.identity, Boundary: role.boundary, SCP: w.scps}, role.incomplete))
		}
	}
	return append(steps, w.sourceAccessSteps(t, role, p)...)
}

// sourceAccessSteps: Lambda reads the secret of each source access
// configuration with the execution role (secretsmanager:GetSecretValue
// through the secret's resource policy) and decrypts it with a customer
// managed key (kms:Decrypt). Amazon MQ and DocumentDB mappings always
// authenticate with a secret.
func (w *world) sourceAccessSteps(t *inventory.Trigger, role *roleInfo, p iam.Principal) []flow.Step {
	const action = "secretsmanager:GetSecretValue"
	var steps []flow.Step
	n := 0
	for _, sa := range t.SourceAccess {
		if !secretAccessTypes[sa.Type] {
			continue
		}
		n++
		what := fmt.Sprintf("execution role may %s on the %s secret", action, sa.Type)
		if sa.URI == "" {
			steps = append(steps, note(what, flow.Unknown, "the secret of the "+sa.Type+" source access configuration is unknown"))
			continue
		}
		src := w.res[sa.URI]
		var pol *iam.Policy
		why, unknownPolicy := role.incomplete, ""
		if src != nil {
			pol, unknownPolicy = src.policy, src.unknownPolicy
			if why == "" {
				why = src.incomplete
			}
		} else {
			unknownPolicy = "the secret " + sa.URI + " is outside the inventory, so its resource policy is not known"
		}
		req := &iam.Request{Principal: p, Action: action, Resource: sa.URI, ResourceAccount: accountOf(sa.URI, role.role.Account),
			Context: roleContext(role.role.ARN, role.role.Account, w.opts.OrgID)}
		steps = append(steps, decideOn(what, req, &iam.Policies{Identity: role.identity, Boundary: role.boundary, Resource: pol, SCP: w.scps}, why, unknownPolicy, role.role.Account))
		if src != nil && customerKey(src.res.KMSKeyARN) {
			steps = append(steps, w.kmsStep(role, p, src.res.KMSKeyARN, "kms:Decrypt"))
		}
	}
	if n == 0 && (t.Service == "mq" || t.Service == "docdb") {
		steps = append(steps, note("execution role may "+action, flow.Unknown,
			"the mapping names no secret (source access configuration BASIC_AUTH), which "+t.Service+" mappings authenticate with"))
	}
	return steps
}

// onOtherResources reports whether Lambda, polling a source, calls the
// action on resources the mapping does not name, so that the role must
// grant it there: the network interfaces it creates in the source's subnets
// (ec2), and the DocumentDB cluster's parameter and subnet groups (rds).
// AWS's managed policies for these grant them on "*" (AWS Lambda Developer
// Guide, "Using Lambda with Amazon DocumentDB", execution role permissions).
func onOtherResources(action string) bool {
	return strings.HasPrefix(action, "ec2:") || strings.HasPrefix(action, "rds:")
}

// edgeConfigStep checks what CloudFront refuses to associate (Amazon
// CloudFront Developer Guide, "Restrictions on Lambda@Edge" and "Quotas on
// Lambda@Edge"): environment variables, a VPC, layers, a dead-letter queue,
// container images, architectures other than x86_64, runtimes other than
// Node.js and Python, and more than 5 seconds or 128 MB for viewer events
// (30 seconds for origin events).
func edgeConfigStep(t *inventory.Trigger, fn *inventory.Function) flow.Step {
	const what = "function configuration supported by Lambda@Edge"
	if fn.External {
		return note(what, flow.Unknown, "the function is defined outside the configuration, so its settings are not known")
	}
	var bad []string
	if len(fn.Environment) > 0 {
		bad = append(bad, "it has environment variables")
	}
	if fn.VPC != nil && len(fn.VPC.SubnetIDs) > 0 {
		bad = append(bad, "it is attached to a VPC")
	}
	if len(fn.Layers) > 0 {
		bad = append(bad, "it uses layers")
	}
	if fn.DeadLetterTarget != "" {
		bad = append(bad, "it has a dead-letter queue")
	}
	if fn.PackageType == "Image" {
		bad = append(bad, "it is a container image")
	}
	if slices.ContainsFunc(fn.Architectures, func(a string) bool { return a != "x86_64" }) {
		bad = append(bad, "its architecture is "+strings.Join(fn.Architectures, ", ")+" (x86_64 only)")
	}
	if fn.Runtime != "" && !strings.HasPrefix(fn.Runtime, "nodejs") && !strings.HasPrefix(fn.Runtime, "python") {
		bad = append(bad, "its runtime "+fn.Runtime+" is not Node.js or Python")
	}
	viewer := slices.ContainsFunc(t.Events, func(e string) bool { return strings.HasPrefix(e, "viewer-") })
	maxTimeout := 30
	if viewer {
		maxTimeout = 5
		if fn.MemorySize > 128 {
			bad = append(bad, fmt.Sprintf("its memory is %d MB (viewer events allow 128 MB)", fn.MemorySize))
		}
	}
	if fn.Timeout > maxTimeout {
		bad = append(bad, fmt.Sprintf("its timeout is %d seconds (at most %d for %s)", fn.Timeout, maxTimeout, strings.Join(t.Events, ", ")))
	}
	if len(bad) > 0 {
		return note(what, flow.Denied, "CloudFront does not associate the function: "+strings.Join(bad, "; "))
	}
	for _, field := range []string{"environment", "vpc", "layers", "runtime", "timeout", "memory_size", "architectures"} {
		if why := unknownReason(fn.Unknown, field); why != "" {
			return note(what, flow.Unknown, field+" is unknown: "+why)
		}
	}
	return note(what, flow.Allowed, "no environment variables, VPC, layers or dead-letter queue; runtime, architecture, memory and timeout within the limits")
}

// invokeGrants lists the identity statements of a role that allow
// lambda:InvokeFunction, as "resources (statement)".
func invokeGrants(role *roleInfo) []string {
	var out []string
	for _, pol := range role.identity {
		for _, st := range pol.Statements {
			if st.Effect == iam.Allow && actionCovered(st, "lambda:InvokeFunction") {
				out = append(out, strings.Join(statementResources(st), ", ")+" ("+st.Ref()+")")
			}
		}
	}
	return out
}

package simulator

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
	"github.com/lambdacheck/lambdacheck/analyzer/loc"
	"github.com/lambdacheck/lambdacheck/simulator/flow"
)

const acct = "111111111111"

func doc(s string) json.RawMessage { return json.RawMessage(s) }

func pol(name, document string) inventory.Policy {
	return inventory.Policy{Name: name, Document: doc(document), Origin: inventory.Origin{Address: name, Span: loc.At("main.tf", 1)}}
}

const lambdaTrust = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}`

func fnARN(name string) string { return "arn:aws:lambda:eu-west-1:" + acct + ":function:" + name }

func role(name string, policies ...string) inventory.Role {
	r := inventory.Role{
		Origin: inventory.Origin{Address: "aws_iam_role." + name, Span: loc.At("iam.tf", 1)},
		Name:   name, ARN: "arn:aws:iam::" + acct + ":role/" + name, Account: acct,
	}
	t := pol("trust", lambdaTrust)
	r.TrustPolicy = &t
	for i, d := range policies {
		r.InlinePolicies = append(r.InlinePolicies, pol(name+"-inline-"+itoa(i), d))
	}
	return r
}

func function(name, roleName string, resourcePolicies ...inventory.QualifiedPolicy) inventory.Function {
	return inventory.Function{
		Origin: inventory.Origin{Address: "aws_lambda_function." + name, Span: loc.At("main.tf", 10)},
		Name:   name, ARN: fnARN(name), Account: acct, Region: "eu-west-1",
		Role: "arn:aws:iam::" + acct + ":role/" + roleName, ReservedConcurrency: -1,
		ResourcePolicies: resourcePolicies,
	}
}

func fnPolicy(qualifier, statements string) inventory.QualifiedPolicy {
	return inventory.QualifiedPolicy{Qualifier: qualifier, Policy: pol("resource-policy", `{"Version":"2012-10-17","Statement":[`+statements+`]}`)}
}

func s3Permission(fn, qualifier, extra string) string {
	res := fnARN(fn)
	if qualifier != "" {
		res += ":" + qualifier
	}
	cond := `"Condition":{"ArnLike":{"AWS:SourceArn":"arn:aws:s3:::uploads"},"StringEquals":{"AWS:SourceAccount":"` + acct + `"}}`
	if extra != "" {
		cond = extra
	}
	if cond != "-" {
		cond = "," + cond
	} else {
		cond = ""
	}
	return `{"Sid":"AllowS3","Effect":"Allow","Principal":{"Service":"s3.amazonaws.com"},"Action":"lambda:InvokeFunction","Resource":"` + res + `"` + cond + `}`
}

func bucket(name string) inventory.Resource {
	return inventory.Resource{Origin: inventory.Origin{Address: "aws_s3_bucket." + name, Span: loc.At("s3.tf", 1)}, Type: "aws_s3_bucket", Service: "s3", Name: name, ARN: "arn:aws:s3:::" + name, Account: acct}
}

func s3Trigger(bucketName, fn, qualifier string) inventory.Trigger {
	return inventory.Trigger{
		Origin: inventory.Origin{Address: "aws_s3_bucket_notification." + bucketName, Span: loc.At("s3.tf", 5)},
		Kind:   "push", Service: "s3", SourceARN: "arn:aws:s3:::" + bucketName, SourceAddress: "aws_s3_bucket." + bucketName,
		FunctionARN: fnARN(fn), FunctionAddress: "aws_lambda_function." + fn, Qualifier: qualifier,
		Events: []string{"s3:ObjectCreated:*"}, Enabled: true,
	}
}

func simulate(t *testing.T, inv *inventory.Inventory) *flow.Result {
	t.Helper()
	if inv.Account == "" {
		inv.Account, inv.Region, inv.Partition = acct, "eu-west-1", "aws"
	}
	res, err := Simulate(context.Background(), inv, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func flowsOf(res *flow.Result, kind flow.Kind) []flow.Flow {
	var out []flow.Flow
	for _, f := range res.Flows {
		if f.Kind == kind {
			out = append(out, f)
		}
	}
	return out
}

func onlyInvoke(t *testing.T, res *flow.Result) flow.Flow {
	t.Helper()
	inv := flowsOf(res, flow.KindInvoke)
	if len(inv) != 1 {
		t.Fatalf("want 1 invoke flow, got %d: %+v", len(inv), inv)
	}
	return inv[0]
}

func failingStep(f flow.Flow) *flow.Step {
	for i := range f.Steps {
		if f.Steps[i].Decision == f.Decision && f.Decision != flow.Allowed {
			return &f.Steps[i]
		}
	}
	return nil
}

// AWS "Using Lambda aliases in event sources and permissions policies": a
// permission on the unqualified function does not let a source invoke an alias.
func TestInvokeQualifierMismatchIsDenied(t *testing.T) {
	inv := &inventory.Inventory{
		Functions: []inventory.Function{function("resize", "resize", fnPolicy("", s3Permission("resize", "", "")))},
		Roles:     []inventory.Role{role("resize")},
		Resources: []inventory.Resource{bucket("uploads")},
		Triggers:  []inventory.Trigger{s3Trigger("uploads", "resize", "live")},
	}
	inv.Functions[0].Aliases = []inventory.Alias{{Name: "live", ARN: fnARN("resize") + ":live"}}
	f := onlyInvoke(t, simulate(t, inv))
	if f.Decision != flow.Denied {
		t.Fatalf("decision %s, want denied", f.Decision)
	}
	st := failingStep(f)
	if st == nil || !strings.Contains(st.Reason, "per qualifier") || st.Resource != fnARN("resize")+":live" {
		t.Fatalf("failing step should be the invoke of the alias, explaining per-qualifier policies: %+v", st)
	}

	// The same permission on the alias makes it work.
	inv.Functions[0].ResourcePolicies = []inventory.QualifiedPolicy{fnPolicy("live", s3Permission("resize", "live", ""))}
	if f := onlyInvoke(t, simulate(t, inv)); f.Decision != flow.Allowed {
		t.Fatalf("with the permission on the alias: %s", f.Decision)
	}
}

// A permission pinned to another bucket does not admit this one; a permission
// without aws:SourceArn admits any bucket (confused deputy) and shows up as
// service reach.
func TestInvokeSourceArnPinning(t *testing.T) {
	other := `"Condition":{"ArnLike":{"AWS:SourceArn":"arn:aws:s3:::other-bucket"}}`
	inv := &inventory.Inventory{
		Functions: []inventory.Function{function("f", "r", fnPolicy("", s3Permission("f", "", other)))},
		Roles:     []inventory.Role{role("r")},
		Resources: []inventory.Resource{bucket("uploads")},
		Triggers:  []inventory.Trigger{s3Trigger("uploads", "f", "")},
	}
	if f := onlyInvoke(t, simulate(t, inv)); f.Decision != flow.Denied {
		t.Fatalf("permission for another bucket: %s, want denied", f.Decision)
	}
	inv.Functions[0].ResourcePolicies = []inventory.QualifiedPolicy{fnPolicy("", s3Permission("f", "", "-"))}
	res := simulate(t, inv)
	if f := onlyInvoke(t, res); f.Decision != flow.Allowed {
		t.Fatalf("unpinned permission: %s, want allowed", f.Decision)
	}
	var deputy bool
	for _, r := range flowsOf(res, flow.KindReach) {
		if r.Reach == "service" && r.Principal == "s3.amazonaws.com" && r.Decision == flow.Allowed {
			deputy = true
		}
	}
	if !deputy {
		t.Fatalf("an unpinned S3 permission must show as service reach: %+v", flowsOf(res, flow.KindReach))
	}
	// Pinned by source ARN and account: no service reach.
	inv.Functions[0].ResourcePolicies = []inventory.QualifiedPolicy{fnPolicy("", s3Permission("f", "", ""))}
	for _, r := range flowsOf(simulate(t, inv), flow.KindReach) {
		if r.Reach == "service" {
			t.Fatalf("a pinned permission must not show service reach: %+v", r)
		}
	}
}

// S3 source ARNs carry no account: a permission pinned to another account's
// SourceAccount does not admit a bucket of this application.
func TestInvokeSourceAccountForS3(t *testing.T) {
	wrongAccount := `"Condition":{"ArnLike":{"AWS:SourceArn":"arn:aws:s3:::uploads"},"StringEquals":{"AWS:SourceAccount":"222222222222"}}`
	inv := &inventory.Inventory{
		Functions: []inventory.Function{function("f", "r", fnPolicy("", s3Permission("f", "", wrongAccount)))},
		Roles:     []inventory.Role{role("r")},
		Resources: []inventory.Resource{bucket("uploads")},
		Triggers:  []inventory.Trigger{s3Trigger("uploads", "f", "")},
	}
	if f := onlyInvoke(t, simulate(t, inv)); f.Decision != flow.Denied {
		t.Fatalf("SourceAccount of another account: %s, want denied", f.Decision)
	}
}

func sqsQueue(name, kmsKey string) inventory.Resource {
	return inventory.Resource{Origin: inventory.Origin{Address: "aws_sqs_queue." + name}, Type: "aws_sqs_queue", Service: "sqs", Name: name,
		ARN: "arn:aws:sqs:eu-west-1:" + acct + ":" + name, Account: acct, KMSKeyARN: kmsKey}
}

func sqsTrigger(queue, fn string) inventory.Trigger {
	return inventory.Trigger{Origin: inventory.Origin{Address: "aws_lambda_event_source_mapping." + queue}, Kind: "poll", Service: "sqs",
		SourceARN: "arn:aws:sqs:eu-west-1:" + acct + ":" + queue, FunctionARN: fnARN(fn), Enabled: true}
}

const sqsRead = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sqs:ReceiveMessage","sqs:DeleteMessage","sqs:GetQueueAttributes"],"Resource":"arn:aws:sqs:eu-west-1:111111111111:jobs"}]}`

// Lambda polls SQS with the execution role; an encrypted queue also needs
// kms:Decrypt on its key (AWS "Using Lambda with Amazon SQS").
func TestPollNeedsKMSDecryptForEncryptedQueue(t *testing.T) {
	keyARN := "arn:aws:kms:eu-west-1:" + acct + ":key/1234"
	key := inventory.Resource{Origin: inventory.Origin{Address: "aws_kms_key.q"}, Type: "aws_kms_key", Service: "kms", ARN: keyARN, Account: acct}
	inv := &inventory.Inventory{
		Functions: []inventory.Function{function("worker", "worker")},
		Roles:     []inventory.Role{role("worker", sqsRead)},
		Resources: []inventory.Resource{sqsQueue("jobs", keyARN), key},
		Triggers:  []inventory.Trigger{sqsTrigger("jobs", "worker")},
	}
	f := onlyInvoke(t, simulate(t, inv))
	st := failingStep(f)
	if f.Decision != flow.Denied || st == nil || st.Action != "kms:Decrypt" {
		t.Fatalf("want denied on kms:Decrypt, got %s %+v", f.Decision, st)
	}
	inv.Roles[0].InlinePolicies = append(inv.Roles[0].InlinePolicies, pol("kms", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:Decrypt","Resource":"`+keyARN+`"}]}`))
	if f := onlyInvoke(t, simulate(t, inv)); f.Decision != flow.Allowed {
		t.Fatalf("with kms:Decrypt (default key policy delegates to IAM): %s %+v", f.Decision, failingStep(f))
	}
	// Without the read actions the mapping cannot poll at all.
	inv.Roles[0].InlinePolicies = nil
	if f := onlyInvoke(t, simulate(t, inv)); f.Decision != flow.Denied || failingStep(f).Action != "sqs:ReceiveMessage" {
		t.Fatalf("without read permissions: %s %+v", f.Decision, failingStep(f))
	}
}

func accessActions(res *flow.Result, fn string) map[string]flow.Decision {
	out := map[string]flow.Decision{}
	for _, f := range flowsOf(res, flow.KindAccess) {
		if f.Function.Address != "aws_lambda_function."+fn || f.Purpose != "" {
			continue
		}
		for _, a := range f.Actions {
			out[f.Resource.ARN+" "+a] = f.Decision
		}
	}
	return out
}

const writeTable = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["dynamodb:GetItem","dynamodb:PutItem","dynamodb:DeleteItem"],"Resource":"arn:aws:dynamodb:eu-west-1:111111111111:table/orders"}]}`

func table(name string) inventory.Resource {
	return inventory.Resource{Origin: inventory.Origin{Address: "aws_dynamodb_table." + name}, Type: "aws_dynamodb_table", Service: "dynamodb", Name: name,
		ARN: "arn:aws:dynamodb:eu-west-1:" + acct + ":table/" + name, Account: acct}
}

// Access flows go through the boundary, SCPs and the target's own policy.
func TestAccessLayersCutGrants(t *testing.T) {
	tbl := "arn:aws:dynamodb:eu-west-1:" + acct + ":table/orders"
	base := func() *inventory.Inventory {
		return &inventory.Inventory{
			Functions: []inventory.Function{function("api", "api")},
			Roles:     []inventory.Role{role("api", writeTable)},
			Resources: []inventory.Resource{table("orders")},
		}
	}
	got := accessActions(simulate(t, base()), "api")
	for _, a := range []string{"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"} {
		if got[tbl+" "+a] != flow.Allowed {
			t.Fatalf("without guardrails %s should be allowed: %v", a, got)
		}
	}

	// A permissions boundary that allows only reads cuts the writes.
	inv := base()
	b := pol("boundary", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["dynamodb:Get*","dynamodb:Query"],"Resource":"*"}]}`)
	inv.Roles[0].PermissionsBoundary = &b
	got = accessActions(simulate(t, inv), "api")
	if got[tbl+" dynamodb:GetItem"] != flow.Allowed || got[tbl+" dynamodb:PutItem"] != "" || got[tbl+" dynamodb:DeleteItem"] != "" {
		t.Fatalf("boundary should leave only GetItem: %v", got)
	}

	// An SCP deny removes DeleteItem.
	inv = base()
	inv.SCPs = []inventory.OrgPolicy{{Policy: pol("no-deletes", `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"dynamodb:DeleteItem","Resource":"*"}]}`), Type: "SERVICE_CONTROL_POLICY", Targets: []string{acct}}}
	got = accessActions(simulate(t, inv), "api")
	if got[tbl+" dynamodb:DeleteItem"] != "" || got[tbl+" dynamodb:PutItem"] != flow.Allowed {
		t.Fatalf("SCP deny should remove only DeleteItem: %v", got)
	}

	// The table's resource policy denying the role removes everything.
	inv = base()
	rp := pol("table-policy", `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":{"AWS":"arn:aws:iam::111111111111:role/api"},"Action":"dynamodb:*","Resource":"*"}]}`)
	inv.Resources[0].Policy = &rp
	if got := accessActions(simulate(t, inv), "api"); len(got) != 0 {
		t.Fatalf("resource policy deny should leave nothing on the table: %v", got)
	}
}

// An identity grant that hinges on aws:SourceIp (unknown statically) is
// conditional, never certain.
func TestAccessConditionalOnSourceIP(t *testing.T) {
	inv := &inventory.Inventory{
		Functions: []inventory.Function{function("api", "api")},
		Roles:     []inventory.Role{role("api", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"dynamodb:GetItem","Resource":"arn:aws:dynamodb:eu-west-1:111111111111:table/orders","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}]}`)},
		Resources: []inventory.Resource{table("orders")},
	}
	res := simulate(t, inv)
	var found bool
	for _, f := range flowsOf(res, flow.KindAccess) {
		if contains(f.Actions, "dynamodb:GetItem") {
			found = true
			if f.Decision != flow.Conditional || !strings.Contains(f.Steps[0].Statements[0].Condition, "10.0.0.0/8") {
				t.Fatalf("want conditional on aws:SourceIp, got %s %+v", f.Decision, f.Steps)
			}
		}
	}
	if !found {
		t.Fatal("no access flow for GetItem")
	}
}

// A function writing to the bucket or topic that triggers it loops.
func TestChainsFindLoopsThroughS3AndSNS(t *testing.T) {
	topic := "arn:aws:sns:eu-west-1:" + acct + ":events"
	inv := &inventory.Inventory{
		Functions: []inventory.Function{
			function("tagger", "tagger", fnPolicy("", s3Permission("tagger", "", ""))),
			function("echo", "echo", fnPolicy("", `{"Effect":"Allow","Principal":{"Service":"sns.amazonaws.com"},"Action":"lambda:InvokeFunction","Resource":"`+fnARN("echo")+`","Condition":{"ArnLike":{"AWS:SourceArn":"`+topic+`"}}}`)),
			function("safe", "safe", fnPolicy("", s3Permission("safe", "", ""))),
		},
		Roles: []inventory.Role{
			role("tagger", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::uploads/*"}]}`),
			role("echo", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sns:Publish","Resource":"`+topic+`"}]}`),
			// Writes only under out/, while its notification watches in/.
			role("safe", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::docs/out/*"}]}`),
		},
		Resources: []inventory.Resource{bucket("uploads"), bucket("docs"), {Origin: inventory.Origin{Address: "aws_sns_topic.events"}, Type: "aws_sns_topic", Service: "sns", ARN: topic, Account: acct}},
		Triggers: []inventory.Trigger{
			s3Trigger("uploads", "tagger", ""),
			{Origin: inventory.Origin{Address: "aws_sns_topic_subscription.echo"}, Kind: "push", Service: "sns", SourceARN: topic, FunctionARN: fnARN("echo"), Enabled: true},
		},
	}
	docs := s3Trigger("docs", "safe", "")
	docs.Filter = &inventory.Filter{Prefix: "in/"}
	inv.Triggers = append(inv.Triggers, docs)
	inv.Functions[2].ResourcePolicies = []inventory.QualifiedPolicy{fnPolicy("", strings.ReplaceAll(s3Permission("safe", "", ""), "uploads", "docs"))}
	loops := map[string]bool{}
	for _, c := range flowsOf(simulate(t, inv), flow.KindChain) {
		if c.Loop {
			loops[c.Title] = true
		}
	}
	var titles []string
	for k := range loops {
		titles = append(titles, k)
	}
	joined := strings.Join(titles, "\n")
	if !strings.Contains(joined, "tagger → s3:PutObject") || !strings.Contains(joined, "echo → sns:Publish") {
		t.Fatalf("want loops through S3 and SNS, got:\n%s", joined)
	}
	if strings.Contains(joined, "safe") {
		t.Fatalf("a function writing outside its notification's prefix does not loop:\n%s", joined)
	}
}

// Services that invoke with their own role: the trust policy must admit the
// service and the role must be allowed lambda:InvokeFunction.
func TestRoleBasedInvoker(t *testing.T) {
	sched := role("scheduler", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"lambda:InvokeFunction","Resource":"`+fnARN("report")+`"}]}`)
	trust := pol("trust", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"scheduler.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:SourceAccount":"111111111111"}}}]}`)
	sched.TrustPolicy = &trust
	trig := inventory.Trigger{Origin: inventory.Origin{Address: "aws_scheduler_schedule.report"}, Kind: "push", Service: "scheduler",
		SourceARN: "arn:aws:scheduler:eu-west-1:" + acct + ":schedule/default/report", FunctionARN: fnARN("report"), InvokeRole: sched.ARN, Enabled: true}
	inv := &inventory.Inventory{
		Functions: []inventory.Function{function("report", "report")},
		Roles:     []inventory.Role{role("report"), sched},
		Triggers:  []inventory.Trigger{trig},
	}
	if f := onlyInvoke(t, simulate(t, inv)); f.Decision != flow.Allowed {
		t.Fatalf("scheduler with a trusted role: %s %+v", f.Decision, failingStep(f))
	}
	lambdaOnly := pol("trust", lambdaTrust)
	inv.Roles[1].TrustPolicy = &lambdaOnly
	f := onlyInvoke(t, simulate(t, inv))
	if st := failingStep(f); f.Decision != flow.Denied || st == nil || st.Action != "sts:AssumeRole" {
		t.Fatalf("role not trusting scheduler: %s %+v", f.Decision, st)
	}
}

// A function URL with AuthType NONE needs both InvokeFunctionUrl and (since
// October 2025) InvokeFunction with lambda:InvokedViaFunctionUrl.
func TestFunctionURLDualPermission(t *testing.T) {
	urlOnly := `{"Effect":"Allow","Principal":"*","Action":"lambda:InvokeFunctionUrl","Resource":"` + fnARN("web") + `","Condition":{"StringEquals":{"lambda:FunctionUrlAuthType":"NONE"}}}`
	both := urlOnly + `,{"Effect":"Allow","Principal":"*","Action":"lambda:InvokeFunction","Resource":"` + fnARN("web") + `","Condition":{"Bool":{"lambda:InvokedViaFunctionUrl":"true"}}}`
	inv := &inventory.Inventory{
		Functions: []inventory.Function{function("web", "web", fnPolicy("", urlOnly))},
		Roles:     []inventory.Role{role("web")},
	}
	inv.Functions[0].URLs = []inventory.FunctionURL{{Origin: inventory.Origin{Address: "aws_lambda_function_url.web"}, AuthType: "NONE"}}
	f := onlyInvoke(t, simulate(t, inv))
	if st := failingStep(f); f.Decision != flow.Unknown || !strings.Contains(st.Reason, "October 2025") {
		t.Fatalf("URL with only InvokeFunctionUrl: %s %+v", f.Decision, st)
	}
	inv.Functions[0].ResourcePolicies = []inventory.QualifiedPolicy{fnPolicy("", both)}
	res := simulate(t, inv)
	if f := onlyInvoke(t, res); f.Decision != flow.Allowed {
		t.Fatalf("URL with both permissions: %s", f.Decision)
	}
	var public bool
	for _, r := range flowsOf(res, flow.KindReach) {
		public = public || (r.Reach == "public-url" && r.Decision == flow.Allowed)
	}
	if !public {
		t.Fatal("an open URL must show public-url reach")
	}
}

// Unresolved values flow through as unknown, never as certain decisions.
func TestUnknownRoleMakesFlowUnknown(t *testing.T) {
	inv := &inventory.Inventory{
		Functions: []inventory.Function{function("f", "missing", fnPolicy("", s3Permission("f", "", "")))},
		Resources: []inventory.Resource{bucket("uploads")},
		Triggers:  []inventory.Trigger{s3Trigger("uploads", "f", "")},
	}
	if f := onlyInvoke(t, simulate(t, inv)); f.Decision != flow.Unknown {
		t.Fatalf("execution role not in the inventory: %s, want unknown", f.Decision)
	}
	// A role whose policy document is unknown: the access it grants is unknown.
	r := role("f", writeTable)
	r.InlinePolicies = append(r.InlinePolicies, inventory.Policy{Name: "dynamic", Unknown: []inventory.Unknown{{Field: "document", Reason: "var.policy has no value"}}})
	inv.Roles = []inventory.Role{r}
	inv.Resources = append(inv.Resources, table("orders"))
	res := simulate(t, inv)
	for _, f := range flowsOf(res, flow.KindAccess) {
		if f.Decision == flow.Allowed {
			t.Fatalf("access through a role with an unknown policy must not be certain: %s %s", f.ID, f.Decision)
		}
	}
	if len(res.Unknowns) == 0 {
		t.Fatal("the unknown policy must be listed in unknowns")
	}
}

func TestDisabledTriggerIsDeniedButNotBroken(t *testing.T) {
	trig := s3Trigger("uploads", "f", "")
	trig.Enabled = false
	inv := &inventory.Inventory{
		Functions: []inventory.Function{function("f", "f", fnPolicy("", s3Permission("f", "", "")))},
		Roles:     []inventory.Role{role("f")},
		Resources: []inventory.Resource{bucket("uploads")},
		Triggers:  []inventory.Trigger{trig},
	}
	f := onlyInvoke(t, simulate(t, inv))
	if f.Decision != flow.Denied || f.Steps[0].Reason != "the trigger is disabled" || f.Trigger.Enabled {
		t.Fatalf("disabled trigger: %s %+v", f.Decision, f.Steps[0])
	}
}

func TestDeterministicOutput(t *testing.T) {
	mk := func() *inventory.Inventory {
		return &inventory.Inventory{
			Functions: []inventory.Function{function("a", "a", fnPolicy("", s3Permission("a", "", "-"))), function("b", "b")},
			Roles:     []inventory.Role{role("a", writeTable), role("b", sqsRead)},
			Resources: []inventory.Resource{table("orders"), sqsQueue("jobs", ""), bucket("uploads")},
			Triggers:  []inventory.Trigger{s3Trigger("uploads", "a", ""), sqsTrigger("jobs", "b")},
		}
	}
	first, _ := json.Marshal(simulate(t, mk()))
	for i := 0; i < 5; i++ {
		again, _ := json.Marshal(simulate(t, mk()))
		if string(again) != string(first) {
			t.Fatal("simulation output differs between runs")
		}
	}
}

// A topic in another account invokes through the function's policy, pinned
// by the topic ARN (aws:SourceArn from the real source).
func TestInvokeFromCrossAccountTopic(t *testing.T) {
	topic := "arn:aws:sns:eu-west-1:222222222222:partner-events"
	perm := `{"Effect":"Allow","Principal":{"Service":"sns.amazonaws.com"},"Action":"lambda:InvokeFunction","Resource":"` + fnARN("f") + `","Condition":{"ArnLike":{"AWS:SourceArn":"` + topic + `"}}}`
	inv := &inventory.Inventory{
		Functions: []inventory.Function{function("f", "f", fnPolicy("", perm))},
		Roles:     []inventory.Role{role("f")},
		Triggers:  []inventory.Trigger{{Origin: inventory.Origin{Address: "aws_sns_topic_subscription.partner"}, Kind: "push", Service: "sns", SourceARN: topic, FunctionARN: fnARN("f"), Enabled: true}},
	}
	if f := onlyInvoke(t, simulate(t, inv)); f.Decision != flow.Allowed {
		t.Fatalf("cross-account topic pinned by ARN: %s %+v", f.Decision, failingStep(f))
	}
	// Pinned to the account instead, with the wrong one.
	wrong := strings.Replace(perm, `"ArnLike":{"AWS:SourceArn":"`+topic+`"}`, `"StringEquals":{"AWS:SourceAccount":"333333333333"}`, 1)
	inv.Functions[0].ResourcePolicies = []inventory.QualifiedPolicy{fnPolicy("", wrong)}
	if f := onlyInvoke(t, simulate(t, inv)); f.Decision != flow.Denied {
		t.Fatalf("permission for another source account: %s", f.Decision)
	}
}

// Kinesis mappings can read a stream in another account when the stream's
// resource policy grants the execution role (2025-26 rule).
func TestCrossAccountStreamMapping(t *testing.T) {
	stream := "arn:aws:kinesis:eu-west-1:222222222222:stream/clicks"
	read := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["kinesis:DescribeStream","kinesis:DescribeStreamSummary","kinesis:GetRecords","kinesis:GetShardIterator","kinesis:ListShards","kinesis:ListStreams"],"Resource":"*"}]}`
	res := inventory.Resource{Origin: inventory.Origin{Address: "data.aws_kinesis_stream.clicks"}, Type: "aws_kinesis_stream", Service: "kinesis", ARN: stream, Account: "222222222222"}
	trig := inventory.Trigger{Origin: inventory.Origin{Address: "aws_lambda_event_source_mapping.clicks"}, Kind: "poll", Service: "kinesis", SourceARN: stream, FunctionARN: fnARN("enrich"), Enabled: true}
	inv := &inventory.Inventory{
		Functions: []inventory.Function{function("enrich", "enrich")},
		Roles:     []inventory.Role{role("enrich", read)},
		Resources: []inventory.Resource{res},
		Triggers:  []inventory.Trigger{trig},
	}
	f := onlyInvoke(t, simulate(t, inv))
	if st := failingStep(f); f.Decision != flow.Denied || st == nil || st.Resource != stream {
		t.Fatalf("cross-account stream without a stream policy: %s %+v", f.Decision, st)
	}
	sp := pol("stream-policy", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:role/enrich"},"Action":["kinesis:DescribeStream","kinesis:DescribeStreamSummary","kinesis:GetRecords","kinesis:GetShardIterator","kinesis:ListShards"],"Resource":"`+stream+`"}]}`)
	inv.Resources[0].Policy = &sp
	if f := onlyInvoke(t, simulate(t, inv)); f.Decision != flow.Allowed {
		t.Fatalf("cross-account stream whose policy grants the role: %s %+v", f.Decision, failingStep(f))
	}
}

// A poll source of another account that is not in the inventory: its
// resource policy must grant too and is unknown, so the flow is unknown —
// unless the role itself lacks the read actions, which denies it for sure.
func TestCrossAccountPollOfOutsideQueueIsUnknown(t *testing.T) {
	queue := "arn:aws:sqs:eu-west-1:222222222222:shared-orders"
	read := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sqs:ReceiveMessage","sqs:DeleteMessage","sqs:GetQueueAttributes"],"Resource":"` + queue + `"}]}`
	trig := inventory.Trigger{Origin: inventory.Origin{Address: "aws_lambda_event_source_mapping.orders"}, Kind: "poll", Service: "sqs", SourceARN: queue, FunctionARN: fnARN("consumer"), Enabled: true}
	inv := &inventory.Inventory{
		Functions: []inventory.Function{function("consumer", "consumer")},
		Roles:     []inventory.Role{role("consumer", read)},
		Triggers:  []inventory.Trigger{trig},
	}
	f := onlyInvoke(t, simulate(t, inv))
	if f.Decision != flow.Unknown {
		t.Fatalf("poll of an outside cross-account queue: %s %+v", f.Decision, f.Steps)
	}
	found := false
	for _, st := range f.Steps {
		if st.Decision == flow.Unknown && strings.Contains(st.Reason, "account 222222222222, outside the inventory") {
			found = true
		}
	}
	if !found {
		t.Fatalf("no step says the queue's own policy is unknown: %+v", f.Steps)
	}
	inv.Roles = []inventory.Role{role("consumer", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sqs:GetQueueAttributes","Resource":"`+queue+`"}]}`)}
	if f := onlyInvoke(t, simulate(t, inv)); f.Decision != flow.Denied {
		t.Fatalf("poll by a role without sqs:ReceiveMessage: %s", f.Decision)
	}
}

// A resource the configuration only looks up (a data source, an ARN written
// out) may have a resource policy nobody here can see: where that policy
// must grant — another account's queue, a KMS key — the flow is unknown;
// in the principal's own account the identity policy decides.
func TestExternalResourcePolicyIsUnknownWhereItMustGrant(t *testing.T) {
	read := func(queue string) string {
		return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sqs:ReceiveMessage","sqs:DeleteMessage","sqs:GetQueueAttributes","kms:Decrypt"],"Resource":["` + queue + `","*"]}]}`
	}
	external := func(queue, account, key string) inventory.Resource {
		return inventory.Resource{Origin: inventory.Origin{Address: "data.aws_sqs_queue.jobs"}, External: true, Type: "data.aws_sqs_queue",
			Service: "sqs", ARN: queue, Account: account, KMSKeyARN: key}
	}
	poll := func(queue string) inventory.Trigger {
		return inventory.Trigger{Origin: inventory.Origin{Address: "aws_lambda_event_source_mapping.jobs"}, Kind: "poll", Service: "sqs", SourceARN: queue, FunctionARN: fnARN("worker"), Enabled: true}
	}
	own := "arn:aws:sqs:eu-west-1:" + acct + ":jobs"
	other := "arn:aws:sqs:eu-west-1:222222222222:jobs"
	key := "arn:aws:kms:eu-west-1:" + acct + ":key/1234abcd-12ab-34cd-56ef-1234567890ab"
	extKey := inventory.Resource{Origin: inventory.Origin{Address: "data.aws_kms_key.jobs"}, External: true, Type: "data.aws_kms_key", Service: "kms", ARN: key, Account: acct}
	cases := []struct {
		name      string
		resources []inventory.Resource
		queue     string
		policy    string
		want      flow.Decision
	}{
		{"own account: the identity policy decides", []inventory.Resource{external(own, acct, "")}, own, read(own), flow.Allowed},
		{"another account: its queue policy must grant", []inventory.Resource{external(other, "222222222222", "")}, other, read(other), flow.Unknown},
		{"another account, role without the read actions: denied", []inventory.Resource{external(other, "222222222222", "")}, other, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sqs:GetQueueAttributes","Resource":"*"}]}`, flow.Denied},
		{"a looked-up KMS key: its key policy must grant", []inventory.Resource{external(own, acct, key), extKey}, own, read(own), flow.Unknown},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			inv := &inventory.Inventory{
				Functions: []inventory.Function{function("worker", "worker")},
				Roles:     []inventory.Role{role("worker", c.policy)},
				Resources: c.resources,
				Triggers:  []inventory.Trigger{poll(c.queue)},
			}
			if f := onlyInvoke(t, simulate(t, inv)); f.Decision != c.want {
				t.Fatalf("poll decision %s, want %s: %+v", f.Decision, c.want, f.Steps)
			}
		})
	}
}

// A DynamoDB stream with a resource policy of its own is its own item: a
// mapping in another account reads it through that policy, not the
// table's, whichever comes first in the inventory.
func TestStreamWithItsOwnPolicyDecidesCrossAccountPoll(t *testing.T) {
	table := "arn:aws:dynamodb:eu-west-1:222222222222:table/ledger"
	stream := table + "/stream/2026-10-05T12:00:00.000"
	read := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["dynamodb:DescribeStream","dynamodb:GetRecords","dynamodb:GetShardIterator","dynamodb:ListStreams"],"Resource":"*"}]}`
	grant := pol("stream-policy", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::`+acct+`:role/projector"},"Action":["dynamodb:DescribeStream","dynamodb:GetRecords","dynamodb:GetShardIterator"],"Resource":"`+stream+`"}]}`)
	tableRes := inventory.Resource{Origin: inventory.Origin{Address: table}, Type: "AWS::DynamoDB::Table", Service: "dynamodb", ARN: table, Account: "222222222222", StreamARNs: []string{stream}}
	streamRes := inventory.Resource{Origin: inventory.Origin{Address: stream}, Type: "AWS::DynamoDB::Stream", Service: "dynamodb", ARN: stream, Account: "222222222222", Policy: &grant}
	trig := inventory.Trigger{Origin: inventory.Origin{Address: "aws_lambda_event_source_mapping.ledger"}, Kind: "poll", Service: "dynamodb", SourceARN: stream, FunctionARN: fnARN("projector"), Enabled: true}
	for name, resources := range map[string][]inventory.Resource{
		"table first":  {tableRes, streamRes},
		"stream first": {streamRes, tableRes},
	} {
		t.Run(name, func(t *testing.T) {
			inv := &inventory.Inventory{
				Functions: []inventory.Function{function("projector", "projector")},
				Roles:     []inventory.Role{role("projector", read)},
				Resources: resources,
				Triggers:  []inventory.Trigger{trig},
			}
			if f := onlyInvoke(t, simulate(t, inv)); f.Decision != flow.Allowed {
				t.Fatalf("poll through the stream's own policy: %s %+v", f.Decision, failingStep(f))
			}
		})
	}
}

// A resource policy the source assembled from permission blocks is
// located at the function; its deciding statement points at the
// permission block that wrote it. A whole document written by a
// resource-policy block keeps its own location.
func TestResourcePolicyStatementPointsAtItsPermission(t *testing.T) {
	for _, tc := range []struct {
		name                string
		policyAddr          string
		wantPolicy, wantPos string
	}{
		{"assembled_from_permissions", "aws_lambda_function.resize", "aws_lambda_permission.s3", "s3.tf:40"},
		{"written_as_a_document", "aws_lambda_function_resource_policy.resize", "resource-policy", "main.tf:10"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fp := fnPolicy("", s3Permission("resize", "", ""))
			fp.Address, fp.File, fp.Line = tc.policyAddr, "main.tf", 10
			fn := function("resize", "resize", fp)
			fn.Permissions = []inventory.Permission{{Origin: inventory.Origin{Address: "aws_lambda_permission.s3", Span: loc.At("s3.tf", 40)},
				StatementID: "AllowS3", Action: "lambda:InvokeFunction", Principal: "s3.amazonaws.com"}}
			inv := &inventory.Inventory{
				Functions: []inventory.Function{fn}, Roles: []inventory.Role{role("resize")},
				Resources: []inventory.Resource{bucket("uploads")}, Triggers: []inventory.Trigger{s3Trigger("uploads", "resize", "")},
			}
			f := onlyInvoke(t, simulate(t, inv))
			if f.Decision != flow.Allowed {
				t.Fatalf("decision %s", f.Decision)
			}
			var got []string
			for _, s := range f.Steps {
				for _, st := range s.Statements {
					if st.Layer == "resource" && st.Policy != "trust" {
						got = append(got, st.Policy+" "+st.File+":"+itoa(st.Line))
					}
				}
			}
			if want := tc.wantPolicy + " " + tc.wantPos; len(got) != 1 || got[0] != want {
				t.Errorf("resource statements %v, want [%s]", got, want)
			}
		})
	}
}

// Step Functions assumes a role whose trust names the regional principal
// states.REGION.amazonaws.com as well as the global one, in the state
// machine's own region only.
func TestStepFunctionsRegionalTrust(t *testing.T) {
	for _, tc := range []struct {
		principal string
		want      flow.Decision
	}{
		{"states.amazonaws.com", flow.Allowed},
		{"states.eu-west-1.amazonaws.com", flow.Allowed},
		{"states.us-east-1.amazonaws.com", flow.Denied},
	} {
		t.Run(tc.principal, func(t *testing.T) {
			sfn := role("flow", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"lambda:InvokeFunction","Resource":"`+fnARN("work")+`"}]}`)
			trust := pol("trust", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"`+tc.principal+`"},"Action":"sts:AssumeRole"}]}`)
			sfn.TrustPolicy = &trust
			trig := inventory.Trigger{Origin: inventory.Origin{Address: "aws_sfn_state_machine.flow"}, Kind: "push", Service: "sfn",
				SourceARN: "arn:aws:states:eu-west-1:" + acct + ":stateMachine:flow", FunctionARN: fnARN("work"), InvokeRole: sfn.ARN, Enabled: true}
			inv := &inventory.Inventory{
				Functions: []inventory.Function{function("work", "work")},
				Roles:     []inventory.Role{role("work"), sfn},
				Triggers:  []inventory.Trigger{trig},
			}
			if f := onlyInvoke(t, simulate(t, inv)); f.Decision != tc.want {
				t.Errorf("trust naming %s: %s, want %s (%+v)", tc.principal, f.Decision, tc.want, failingStep(f))
			}
		})
	}
}

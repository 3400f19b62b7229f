package simulator

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/lambdacheck/lambdacheck/analyzer/awsref"
	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
	"github.com/lambdacheck/lambdacheck/analyzer/terraform"
	"github.com/lambdacheck/lambdacheck/simulator/flow"
)

// Decisions found wrong on real Terraform applications, one test per pattern.

func stepByAction(f flow.Flow, action string) *flow.Step {
	for i := range f.Steps {
		if f.Steps[i].Action == action {
			return &f.Steps[i]
		}
	}
	return nil
}

// A stream poller whose role grants ListStreams only on the stream ARN (as
// AWS's own example policy does) still polls: ListStreams has no resource
// type, so that grant never authorises it, and Lambda does not check it.
// It stays a note; a missing required action still denies.
func TestPollListStreamsIsAdviceOnly(t *testing.T) {
	tableARN := "arn:aws:dynamodb:eu-west-1:" + acct + ":table/orders"
	streamARN := tableARN + "/stream/2024-01-01T00:00:00.000"
	kinesisARN := "arn:aws:kinesis:eu-west-1:" + acct + ":stream/clicks"
	cases := []struct {
		name, service, source, grant string
		owner                        inventory.Resource
		want                         flow.Decision
		deniedAction                 string
	}{
		{"dynamodb stream, AWS example policy", "dynamodb", streamARN,
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["dynamodb:GetRecords","dynamodb:GetShardIterator","dynamodb:DescribeStream","dynamodb:ListStreams"],"Resource":"` + tableARN + `/stream/*"}]}`,
			inventory.Resource{Origin: inventory.Origin{Address: "aws_dynamodb_table.orders"}, Type: "aws_dynamodb_table", Service: "dynamodb", ARN: tableARN, Account: acct, StreamARNs: []string{streamARN}},
			flow.Allowed, ""},
		{"dynamodb stream without GetRecords", "dynamodb", streamARN,
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["dynamodb:GetShardIterator","dynamodb:DescribeStream","dynamodb:ListStreams"],"Resource":"` + tableARN + `/stream/*"}]}`,
			inventory.Resource{Origin: inventory.Origin{Address: "aws_dynamodb_table.orders"}, Type: "aws_dynamodb_table", Service: "dynamodb", ARN: tableARN, Account: acct, StreamARNs: []string{streamARN}},
			flow.Denied, "dynamodb:GetRecords"},
		{"kinesis stream, reads on the stream only", "kinesis", kinesisARN,
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["kinesis:DescribeStream","kinesis:DescribeStreamSummary","kinesis:GetRecords","kinesis:GetShardIterator","kinesis:ListShards","kinesis:ListStreams"],"Resource":"` + kinesisARN + `"}]}`,
			inventory.Resource{Origin: inventory.Origin{Address: "aws_kinesis_stream.clicks"}, Type: "aws_kinesis_stream", Service: "kinesis", ARN: kinesisARN, Account: acct},
			flow.Allowed, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			inv := &inventory.Inventory{
				Functions: []inventory.Function{function("consumer", "consumer")},
				Roles:     []inventory.Role{role("consumer", c.grant)},
				Resources: []inventory.Resource{c.owner},
				Triggers: []inventory.Trigger{{Origin: inventory.Origin{Address: "aws_lambda_event_source_mapping.m"}, Kind: "poll", Service: c.service,
					SourceARN: c.source, FunctionARN: fnARN("consumer"), Enabled: true}},
			}
			f := onlyInvoke(t, simulate(t, inv))
			if f.Decision != c.want {
				t.Fatalf("decision %s, want %s: %+v", f.Decision, c.want, failingStep(f))
			}
			if c.deniedAction != "" && failingStep(f).Action != c.deniedAction {
				t.Fatalf("failing step %+v, want %s", failingStep(f), c.deniedAction)
			}
			list := stepByAction(f, c.service+":ListStreams")
			if list == nil || list.Decision != flow.Allowed || !strings.HasPrefix(list.What, "advised, not required") || !strings.Contains(list.Reason, "does not check it") {
				t.Fatalf("ListStreams step should be advice: %+v", list)
			}
		})
	}
}

// loadHCL loads one Terraform file as the fixtures are loaded.
func loadHCL(t *testing.T, src string) *inventory.Inventory {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	inv, err := terraform.Load(context.Background(), dir, terraform.Options{Account: "123456789012", Region: "eu-west-1", Catalog: awsref.Default()})
	if err != nil {
		t.Fatal(err)
	}
	return inv
}

const hclBase = `
provider "aws" {
  region = "eu-west-1"
}

resource "aws_iam_role" "web" {
  name = "web"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_lambda_function" "web" {
  function_name = "web"
  role          = aws_iam_role.web.arn
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "build/web.zip"
}
`

func reachOf(res *flow.Result, reach string) []flow.Flow {
	var out []flow.Flow
	for _, f := range flowsOf(res, flow.KindReach) {
		if f.Reach == reach {
			out = append(out, f)
		}
	}
	return out
}

// A public function URL done right — AuthType NONE, InvokeFunctionUrl for
// "*" and InvokeFunction for "*" limited to calls through the URL — is the
// URL's exposure, not a public invoke of the function.
func TestPublicURLGrantIsNotPublicInvoke(t *testing.T) {
	url := hclBase + `
resource "aws_lambda_function_url" "web" {
  function_name      = aws_lambda_function.web.function_name
  authorization_type = "NONE"
}

resource "aws_lambda_permission" "url" {
  statement_id           = "FunctionURLAllowPublicAccess"
  action                 = "lambda:InvokeFunctionUrl"
  function_name          = aws_lambda_function.web.function_name
  principal              = "*"
  function_url_auth_type = "NONE"
}
`
	cases := []struct {
		name, invoke string
		public       bool
	}{
		{"invoked_via_function_url", `invoked_via_function_url = true`, false},
		{"function_url_auth_type on InvokeFunction", `function_url_auth_type = "NONE"`, false},
		{"no condition: public", ``, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			inv := loadHCL(t, url+`
resource "aws_lambda_permission" "invoke" {
  statement_id  = "FunctionURLInvokeAllowPublicAccess"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.web.function_name
  principal     = "*"
  `+c.invoke+`
}
`)
			res := simulate(t, inv)
			if got := len(reachOf(res, "public")) > 0; got != c.public {
				t.Fatalf("public reach = %v, want %v: %+v", got, c.public, reachOf(res, "public"))
			}
			if len(reachOf(res, "public-url")) != 1 {
				t.Fatalf("the URL itself must stay exposed (public-url reach): %+v", flowsOf(res, flow.KindReach))
			}
			if c.name == "invoked_via_function_url" {
				if f := onlyInvoke(t, res); f.Decision != flow.Allowed {
					t.Fatalf("URL with both statements: %s %+v", f.Decision, failingStep(f))
				}
			}
		})
	}
}

// A CloudWatch Logs subscription permission may name the regional
// principal logs.REGION.amazonaws.com; it must be the source's region.
func TestLogsSubscriptionRegionalPrincipal(t *testing.T) {
	group := "arn:aws:logs:eu-west-1:" + acct + ":log-group:/app/access"
	perm := func(principal string) string {
		return `{"Sid":"Logs","Effect":"Allow","Principal":{"Service":"` + principal + `"},"Action":"lambda:InvokeFunction","Resource":"` + fnARN("alerts") + `","Condition":{"ArnLike":{"AWS:SourceArn":"` + group + `:*"}}}`
	}
	cases := []struct {
		principal string
		want      flow.Decision
	}{
		{"logs.amazonaws.com", flow.Allowed},
		{"logs.eu-west-1.amazonaws.com", flow.Allowed},
		{"logs.us-east-1.amazonaws.com", flow.Denied},
		{"sns.amazonaws.com", flow.Denied},
	}
	for _, c := range cases {
		t.Run(c.principal, func(t *testing.T) {
			inv := &inventory.Inventory{
				Functions: []inventory.Function{function("alerts", "alerts", fnPolicy("", perm(c.principal)))},
				Roles:     []inventory.Role{role("alerts")},
				Resources: []inventory.Resource{{Origin: inventory.Origin{Address: "aws_cloudwatch_log_group.access"}, Type: "aws_cloudwatch_log_group", Service: "logs", ARN: group, Account: acct}},
				Triggers: []inventory.Trigger{{Origin: inventory.Origin{Address: "aws_cloudwatch_log_subscription_filter.access"}, Kind: "push", Service: "logs",
					SourceARN: group + ":*", FunctionARN: fnARN("alerts"), Enabled: true}},
			}
			if f := onlyInvoke(t, simulate(t, inv)); f.Decision != c.want {
				t.Fatalf("decision %s, want %s: %+v", f.Decision, c.want, failingStep(f))
			}
		})
	}
}

// A permission for a role, user or role session of another account is a
// cross-account reach of that principal, like one for the account itself.
func TestCrossAccountRoleARNPermissionIsReach(t *testing.T) {
	cases := []struct{ principal, id string }{
		{"arn:aws:iam::210987654321:role/partner", "reach/account/arn:aws:iam::210987654321:role/partner/aws_lambda_function.sync:$unqualified"},
		{"arn:aws:iam::210987654321:user/ops", "reach/account/arn:aws:iam::210987654321:user/ops/aws_lambda_function.sync:$unqualified"},
		{"arn:aws:sts::210987654321:assumed-role/partner/batch", "reach/account/arn:aws:sts::210987654321:assumed-role/partner/batch/aws_lambda_function.sync:$unqualified"},
		{"210987654321", "reach/account/210987654321/aws_lambda_function.sync:$unqualified"},
	}
	for _, c := range cases {
		t.Run(c.principal, func(t *testing.T) {
			p := c.principal
			if !strings.HasPrefix(p, "arn:") {
				p = "arn:aws:iam::" + p + ":root"
			}
			stmt := `{"Sid":"Partner","Effect":"Allow","Principal":{"AWS":"` + p + `"},"Action":"lambda:InvokeFunction","Resource":"` + fnARN("sync") + `"}`
			inv := &inventory.Inventory{
				Functions: []inventory.Function{function("sync", "sync", fnPolicy("", stmt))},
				Roles:     []inventory.Role{role("sync")},
			}
			var got *flow.Flow
			for _, f := range reachOf(simulate(t, inv), "account") {
				if f.ID == c.id {
					got = &f
				}
			}
			if got == nil || got.Decision != flow.Allowed || got.Principal != "210987654321" {
				t.Fatalf("want allowed account reach %s with principal 210987654321, got %+v", c.id, got)
			}
		})
	}
}

// One permission with an unknown (apply-time) source ARN hides nothing
// else: a public permission beside it is still public, and only the
// requests the unknown statement could grant become unknown.
func TestUnknownPermissionIsPerStatement(t *testing.T) {
	inv := loadHCL(t, hclBase+`
variable "api_execution_arn" {
  type = string
}

resource "aws_lambda_permission" "api" {
  statement_id  = "AllowAPIGateway"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.web.function_name
  principal     = "apigateway.amazonaws.com"
  # lower() hides the text a symbol would carry: the statement is unknown.
  source_arn = lower("${var.api_execution_arn}/*/*")
}

resource "aws_lambda_permission" "s3" {
  statement_id   = "AllowS3"
  action         = "lambda:InvokeFunction"
  function_name  = aws_lambda_function.web.function_name
  principal      = "s3.amazonaws.com"
  source_arn     = "arn:aws:s3:::acme-uploads"
  source_account = "123456789012"
}

resource "aws_lambda_permission" "public" {
  statement_id  = "Everyone"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.web.function_name
  principal     = "*"
}
`)
	fn := inv.Functions[0]
	if len(fn.ResourcePolicies) != 1 || !strings.Contains(string(fn.ResourcePolicies[0].Document), `"Everyone"`) || strings.Contains(string(fn.ResourcePolicies[0].Document), "AllowAPIGateway") {
		t.Fatalf("rendered policy should hold the known statements only: %+v", fn.ResourcePolicies)
	}
	res := simulate(t, inv)
	public := reachOf(res, "public")
	if len(public) != 1 || public[0].Decision != flow.Allowed {
		t.Fatalf("the Principal \"*\" permission must be found public beside the unknown one: %+v", public)
	}
	byPrincipal := map[string]flow.Decision{}
	for _, f := range reachOf(res, "service") {
		byPrincipal[f.Principal] = f.Decision
	}
	// S3 acting for someone else's bucket is denied by the known, pinned
	// statement… but "*" admits it; API Gateway is what the unknown
	// statement concerns, and "*" admits it too, so both are allowed.
	if byPrincipal["s3.amazonaws.com"] != flow.Allowed {
		t.Fatalf("service reach = %v", byPrincipal)
	}
	var unknown bool
	for _, u := range res.Unknowns {
		unknown = unknown || (u.Address == "aws_lambda_function.web" && strings.Contains(u.Reason, "AllowAPIGateway"))
	}
	if !unknown {
		t.Fatalf("the left-out statement must be listed as unknown: %+v", res.Unknowns)
	}
}

// The unknown statement only matters for the principal it names: an S3
// trigger beside an unknown API Gateway permission stays allowed, the API
// Gateway trigger is unknown, and an unknown "*" statement makes the public
// probe unknown.
func TestLeftOutStatementConcernsItsPrincipalOnly(t *testing.T) {
	apiARN := "arn:aws:execute-api:eu-west-1:" + acct + ":abc123/*/*"
	leftOut := func(principal string) inventory.Function {
		f := function("web", "web", fnPolicy("", s3Permission("web", "", "")))
		f.ResourcePolicies[0].Unknown = []inventory.Unknown{{Field: "statements", Reason: "statement Other (aws_lambda_permission.other) is left out: source_arn is unknown: no value"}}
		f.Permissions = []inventory.Permission{{Origin: inventory.Origin{Address: "aws_lambda_permission.other"}, StatementID: "Other",
			Action: "lambda:InvokeFunction", Principal: principal, Unknown: []inventory.Unknown{{Field: "source_arn", Reason: "no value"}}}}
		return f
	}
	apiTrigger := inventory.Trigger{Origin: inventory.Origin{Address: "aws_api_gateway_integration.web"}, Kind: "push", Service: "apigateway",
		SourceARN: apiARN, FunctionARN: fnARN("web"), Enabled: true}
	inv := &inventory.Inventory{
		Functions: []inventory.Function{leftOut("apigateway.amazonaws.com")},
		Roles:     []inventory.Role{role("web")},
		Resources: []inventory.Resource{bucket("uploads")},
		Triggers:  []inventory.Trigger{s3Trigger("uploads", "web", ""), apiTrigger},
	}
	res := simulate(t, inv)
	got := map[string]flow.Decision{}
	for _, f := range flowsOf(res, flow.KindInvoke) {
		got[f.Trigger.Type] = f.Decision
	}
	if got["s3"] != flow.Allowed || got["apigateway"] != flow.Unknown {
		t.Fatalf("invoke decisions = %v, want s3 allowed and apigateway unknown", got)
	}
	if p := reachOf(res, "public"); len(p) != 0 {
		t.Fatalf("an unknown API Gateway permission does not make the function public: %+v", p)
	}

	inv.Functions[0] = leftOut("*")
	res = simulate(t, inv)
	if p := reachOf(res, "public"); len(p) != 1 || p[0].Decision != flow.Unknown {
		t.Fatalf("an unknown \"*\" permission makes the public probe unknown: %+v", p)
	}
	inv.Functions[0] = leftOut("*")
	inv.Functions[0].Permissions[0].Action = "lambda:GetFunction"
	if p := reachOf(simulate(t, inv), "public"); len(p) != 0 {
		t.Fatalf("an unknown permission for another action does not concern invoke: %+v", p)
	}
}

// Function-to-function invocation through an identity policy is an edge
// inside the inventory: the access names the function resource, and the
// chain runs from the caller's trigger through it.
func TestFunctionInvokesFunctionInInventory(t *testing.T) {
	cases := []struct{ name, resource, wantARN string }{
		{"unqualified", fnARN("step1"), fnARN("step1")},
		{"alias", fnARN("step1") + ":live", fnARN("step1") + ":live"},
		{"versions pattern", fnARN("step1") + ":*", fnARN("step1") + ":*"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			invoke := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"lambda:InvokeFunction","Resource":"` + c.resource + `"}]}`
			inv := &inventory.Inventory{
				Functions: []inventory.Function{function("start", "start", fnPolicy("", s3Permission("start", "", ""))), function("step1", "step1")},
				Roles:     []inventory.Role{role("start", invoke), role("step1")},
				Resources: []inventory.Resource{bucket("uploads")},
				Triggers:  []inventory.Trigger{s3Trigger("uploads", "start", "")},
			}
			res := simulate(t, inv)
			var acc *flow.Flow
			for _, f := range flowsOf(res, flow.KindAccess) {
				if f.Function.Address == "aws_lambda_function.start" && slices.Contains(f.Actions, "lambda:InvokeFunction") {
					acc = &f
				}
			}
			if acc == nil || acc.Outside || acc.Resource.Address != "aws_lambda_function.step1" || acc.Resource.ARN != c.wantARN || acc.Decision != flow.Allowed {
				t.Fatalf("access to step1 should be an in-inventory edge: %+v", acc)
			}
			var chained bool
			for _, f := range flowsOf(res, flow.KindChain) {
				chained = chained || (len(f.Path) == 2 && f.Path[1] == acc.ID && strings.HasPrefix(f.Path[0], "invoke/"))
			}
			if !chained {
				t.Fatalf("no chain from the trigger through %s: %+v", acc.ID, flowsOf(res, flow.KindChain))
			}
		})
	}
	// A grant on "*" stays outside: it does not make the role a caller of
	// every function.
	inv := &inventory.Inventory{
		Functions: []inventory.Function{function("start", "start"), function("step1", "step1")},
		Roles:     []inventory.Role{role("start", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"lambda:InvokeFunction","Resource":"*"}]}`), role("step1")},
	}
	for _, f := range flowsOf(simulate(t, inv), flow.KindAccess) {
		if f.Resource.Address == "aws_lambda_function.step1" {
			t.Fatalf("a \"*\" grant linked a function: %+v", f)
		}
	}
}

// A publicly accessible Amazon MQ broker is polled through its public
// endpoint: the VPC (ec2) permissions are advice there, required for a
// broker in a VPC.
func TestMQBrokerVPCPermissions(t *testing.T) {
	for _, public := range []bool{true, false} {
		inv := loadHCL(t, hclBase+fmt.Sprintf(`
resource "aws_mq_broker" "b" {
  broker_name         = "orders"
  engine_type         = "RabbitMQ"
  publicly_accessible = %t
}
resource "aws_iam_role_policy" "mq" {
  role   = aws_iam_role.web.id
  policy = jsonencode({ Version = "2012-10-17", Statement = [
    { Effect = "Allow", Action = ["mq:DescribeBroker", "secretsmanager:GetSecretValue"], Resource = "*" },
  ] })
}
resource "aws_lambda_event_source_mapping" "m" {
  event_source_arn = aws_mq_broker.b.arn
  function_name    = aws_lambda_function.web.arn
  queues           = ["orders"]
  source_access_configuration {
    type = "BASIC_AUTH"
    uri  = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:mq-abc123"
  }
}
`, public))
		res := simulate(t, inv)
		inv0 := flowsOf(res, flow.KindInvoke)
		if len(inv0) != 1 {
			t.Fatalf("invoke flows = %+v", inv0)
		}
		want := flow.Denied
		if public {
			want = flow.Allowed
		}
		if inv0[0].Decision != want {
			t.Errorf("public=%v: %s, want %s: %+v", public, inv0[0].Decision, want, failingStep(inv0[0]))
		}
	}
}

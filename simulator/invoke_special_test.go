package simulator

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/lambdacheck/lambdacheck/simulator/flow"
)

// roleTriggerKinds are the fixture pairs under fixtures/triggers of the
// role-based and special invocation paths: KIND-ok works, KIND-broken does
// not. Their flows are golden files with every trigger fixture's
// (TestTriggerFixturesGolden).
var roleTriggerKinds = []string{"rds", "firehose", "codepipeline", "appsync", "pipes", "cloudfront", "s3-object-lambda", "cloudformation", "kafka", "docdb"}

// triggerType is the flow trigger type each fixture pair exercises.
var triggerType = map[string]string{"s3-object-lambda": "s3_object_lambda"}

// Every invocation flow of the kind's type is allowed (or, for S3 Object
// Lambda, conditional on the caller) in KIND-ok, and at least one is denied
// in KIND-broken.
func TestRoleTriggerFixtureOutcomes(t *testing.T) {
	for _, kind := range roleTriggerKinds {
		typ := kind
		if v, ok := triggerType[kind]; ok {
			typ = v
		}
		for _, variant := range []string{"ok", "broken"} {
			name := kind + "-" + variant
			t.Run(name, func(t *testing.T) {
				res := simulateFixture(t, filepath.Join("..", "fixtures", "triggers", name))
				var flows []flow.Flow
				for _, f := range res.Flows {
					if f.Kind == flow.KindInvoke && f.Trigger.Type == typ {
						flows = append(flows, f)
					}
				}
				if len(flows) == 0 {
					t.Fatalf("no %s invocation flow", typ)
				}
				denied := false
				for _, f := range flows {
					switch {
					case variant == "ok" && f.Decision != flow.Allowed && !(typ == "s3_object_lambda" && f.Decision == flow.Conditional):
						t.Errorf("%s: %s: %+v", f.ID, f.Decision, failingStep(f))
					case f.Decision == flow.Denied:
						denied = true
					}
				}
				if variant == "broken" && !denied {
					t.Errorf("no denied %s flow: %+v", typ, flows)
				}
			})
		}
	}
}

// The Aurora role's policies choose the functions: only the one it may
// invoke gets a flow.
func TestRDSFlowsPerAllowedFunction(t *testing.T) {
	res := simulateFixture(t, "../fixtures/triggers/rds-ok")
	var ids []string
	for _, f := range res.Flows {
		if f.Kind == flow.KindInvoke && f.Trigger.Type == "rds" {
			ids = append(ids, f.ID)
		}
	}
	want := []string{"invoke/aws_rds_cluster_role_association.lambda->aws_lambda_function.audit"}
	if !slices.Equal(ids, want) {
		t.Fatalf("rds flows = %v, want %v", ids, want)
	}
}

// Each failed Lambda@Edge condition is its own denied step with its reason.
func TestEdgeConditionsDenied(t *testing.T) {
	res := simulateFixture(t, "../fixtures/triggers/cloudfront-broken")
	var reasons []string
	for _, f := range res.Flows {
		if f.Kind != flow.KindInvoke || f.Trigger.Type != "cloudfront" {
			continue
		}
		for _, s := range f.Steps {
			if s.Decision == flow.Denied {
				reasons = append(reasons, s.What+": "+s.Reason)
			}
		}
	}
	joined := strings.Join(reasons, "\n")
	for _, want := range []string{"is in eu-west-1", "$LATEST", "edgelambda.amazonaws.com", "environment variables", "timeout is 10 seconds (at most 5 for viewer-request)"} {
		if !strings.Contains(joined, want) {
			t.Errorf("no denied step says %q:\n%s", want, joined)
		}
	}
}

// A function that may put records into a delivery stream chains to the
// stream's transformation function.
func TestFirehoseWriteChainsToTransformation(t *testing.T) {
	inv := loadHCL(t, hclBase+`
resource "aws_lambda_function_url" "web" {
  function_name      = aws_lambda_function.web.function_name
  authorization_type = "AWS_IAM"
}
resource "aws_iam_role_policy" "web" {
  role   = aws_iam_role.web.id
  policy = jsonencode({ Version = "2012-10-17", Statement = [
    { Effect = "Allow", Action = "firehose:PutRecordBatch", Resource = aws_kinesis_firehose_delivery_stream.s.arn },
  ] })
}
resource "aws_iam_role" "t" {
  name = "t"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }] })
}
resource "aws_lambda_function" "t" {
  function_name = "t"
  role          = aws_iam_role.t.arn
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "build/t.zip"
}
resource "aws_iam_role" "f" {
  name = "f"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Principal = { Service = "firehose.amazonaws.com" }, Action = "sts:AssumeRole" }] })
  inline_policy {
    name   = "p"
    policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = ["lambda:InvokeFunction", "lambda:GetFunctionConfiguration"], Resource = "*" }] })
  }
}
resource "aws_kinesis_firehose_delivery_stream" "s" {
  name        = "s"
  destination = "extended_s3"
  extended_s3_configuration {
    role_arn   = aws_iam_role.f.arn
    bucket_arn = "arn:aws:s3:::b"
    processing_configuration {
      enabled = true
      processors {
        type = "Lambda"
        parameters {
          parameter_name  = "LambdaArn"
          parameter_value = aws_lambda_function.t.arn
        }
      }
    }
  }
}
`)
	res := simulate(t, inv)
	var chained bool
	for _, f := range flowsOf(res, flow.KindChain) {
		last := f.Path[len(f.Path)-1]
		chained = chained || strings.Contains(last, "aws_kinesis_firehose_delivery_stream.s->aws_lambda_function.t")
	}
	if !chained {
		t.Fatalf("no chain into the transformation: %+v\n%s", flowsOf(res, flow.KindChain), summary(res))
	}
}

// Without a service role, a custom resource is invoked with whoever deploys
// the stack: unknown, and said so.
func TestCustomResourceWithoutRoleIsUnknown(t *testing.T) {
	inv := loadHCL(t, hclBase+`
resource "aws_cloudformation_stack" "s" {
  name          = "s"
  template_body = jsonencode({ Resources = { Seed = { Type = "Custom::Seed", Properties = { ServiceToken = aws_lambda_function.web.arn } } } })
}
`)
	fl := flowsOf(simulate(t, inv), flow.KindInvoke)
	if len(fl) != 1 || fl[0].Decision != flow.Unknown || !strings.Contains(failingStep(fl[0]).Reason, "whoever deploys the stack") {
		t.Fatalf("flows = %+v", fl)
	}
}

// An alias is not a version for Lambda@Edge; an Aurora role whose policy is
// unknown gives one unknown flow.
func TestEdgeAliasAndUnknownAuroraRole(t *testing.T) {
	inv := loadHCL(t, hclBase+`
provider "aws" {
  alias  = "use1"
  region = "us-east-1"
}
resource "aws_lambda_function" "edge" {
  provider      = aws.use1
  function_name = "edge"
  role          = aws_iam_role.web.arn
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "build/edge.zip"
  publish       = true
}
resource "aws_lambda_alias" "live" {
  provider         = aws.use1
  name             = "live"
  function_name    = aws_lambda_function.edge.function_name
  function_version = aws_lambda_function.edge.version
}
resource "aws_cloudfront_distribution" "d" {
  enabled = true
  ordered_cache_behavior {
    path_pattern = "/app/*"
    lambda_function_association {
      event_type = "origin-request"
      lambda_arn = aws_lambda_alias.live.arn
    }
  }
}
variable "doc" { type = string }
resource "aws_iam_role" "aurora" {
  name = "aurora"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Principal = { Service = "rds.amazonaws.com" }, Action = "sts:AssumeRole" }] })
}
resource "aws_iam_role_policy" "aurora" {
  role   = aws_iam_role.aurora.id
  policy = var.doc
}
resource "aws_rds_cluster_role_association" "a" {
  db_cluster_identifier = "db"
  feature_name          = "Lambda"
  role_arn              = aws_iam_role.aurora.arn
}
`)
	res := simulate(t, inv)
	var edge, rds []flow.Flow
	for _, f := range flowsOf(res, flow.KindInvoke) {
		switch f.Trigger.Type {
		case "cloudfront":
			edge = append(edge, f)
		case "rds":
			rds = append(rds, f)
		}
	}
	if len(edge) != 1 || edge[0].Decision != flow.Denied || !strings.Contains(failingStep(edge[0]).Reason, `alias "live"`) || edge[0].Trigger.Filter != "path /app/*" {
		t.Errorf("edge flows = %+v", edge)
	}
	if len(rds) != 1 || rds[0].Decision != flow.Unknown || rds[0].Trigger.Function.Address != "(any function the role allows)" {
		t.Errorf("rds flows = %+v", rds)
	}
}

// lambda:ListFunctions is advice for a pipeline role: its absence does not
// break the Invoke action.
func TestPipelineListFunctionsIsAdvice(t *testing.T) {
	inv := loadHCL(t, hclBase+`
resource "aws_iam_role_policy" "web" {
  role   = aws_iam_role.web.id
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "codepipeline:PutJob*", Resource = "*" }] })
}
resource "aws_iam_role" "p" {
  name = "p"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Principal = { Service = "codepipeline.amazonaws.com" }, Action = "sts:AssumeRole" }] })
  inline_policy {
    name   = "invoke"
    policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "lambda:InvokeFunction", Resource = aws_lambda_function.web.arn }] })
  }
}
resource "aws_codepipeline" "p" {
  name     = "p"
  role_arn = aws_iam_role.p.arn
  stage {
    name = "Test"
    action {
      name          = "Smoke"
      category      = "Invoke"
      owner         = "AWS"
      provider      = "Lambda"
      version       = "1"
      configuration = { FunctionName = aws_lambda_function.web.function_name }
    }
  }
}
`)
	fl := flowsOf(simulate(t, inv), flow.KindInvoke)
	if len(fl) != 1 || fl[0].Decision != flow.Allowed {
		t.Fatalf("flows = %+v", fl)
	}
	var advice string
	for _, s := range fl[0].Steps {
		if strings.HasPrefix(s.What, "advised, not required") {
			advice = s.Reason
		}
	}
	if !strings.Contains(advice, "only the console lists functions") || !strings.Contains(advice, "denied") {
		t.Errorf("advice = %q", advice)
	}
}

// An Aurora role granting only functions outside the inventory is not a
// broken trigger: where it leads is unknown.
func TestAuroraRoleGrantingOutsideFunctions(t *testing.T) {
	inv := loadHCL(t, hclBase+`
resource "aws_iam_role" "aurora" {
  name = "aurora"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Principal = { Service = "rds.amazonaws.com" }, Action = "sts:AssumeRole" }] })
  inline_policy {
    name   = "invoke"
    policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "lambda:InvokeFunction", Resource = "arn:aws:lambda:eu-west-1:444455556666:function:audit" }] })
  }
}
resource "aws_rds_cluster_role_association" "a" {
  db_cluster_identifier = "db"
  feature_name          = "Lambda"
  role_arn              = aws_iam_role.aurora.arn
}
`)
	var rds []flow.Flow
	for _, f := range flowsOf(simulate(t, inv), flow.KindInvoke) {
		if f.Trigger.Type == "rds" {
			rds = append(rds, f)
		}
	}
	if len(rds) != 1 || rds[0].Decision != flow.Unknown || !strings.Contains(failingStep(rds[0]).Reason, "function:audit") {
		t.Fatalf("rds flows = %+v", rds)
	}
}

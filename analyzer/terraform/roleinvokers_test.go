package terraform

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
)

// Each fixture of a role-based or special invoker yields its trigger with
// the source ARN AWS assigns, the invoker role and the function, as the
// trigger-kind table of docs/flows.md says.
func TestRoleInvokerTriggers(t *testing.T) {
	const fn = "arn:aws:lambda:eu-west-1:123456789012:function:"
	const role = "arn:aws:iam::123456789012:role/"
	cases := []struct {
		dir, service string
		want         inventory.Trigger
	}{
		{"rds-ok", "rds", inventory.Trigger{SourceARN: "arn:aws:rds:eu-west-1:123456789012:cluster:rds-ok-db", SourceAddress: "aws_rds_cluster.db",
			InvokeRole: role + "rds-ok-aurora-lambda"}},
		{"firehose-ok", "firehose", inventory.Trigger{SourceARN: "arn:aws:firehose:eu-west-1:123456789012:deliverystream/firehose-ok-events",
			InvokeRole: role + "firehose-ok-delivery", Target: fn + "firehose-ok-transform:$LATEST", FunctionARN: fn + "firehose-ok-transform", Qualifier: "$LATEST",
			Events: []string{"extended_s3_configuration"}}},
		{"codepipeline-ok", "codepipeline", inventory.Trigger{SourceARN: "arn:aws:codepipeline:eu-west-1:123456789012:codepipeline-ok-release",
			InvokeRole: role + "codepipeline-ok-pipeline", Target: "codepipeline-ok-smoke", FunctionARN: fn + "codepipeline-ok-smoke", Events: []string{"Test/Smoke"}}},
		{"pipes-ok", "pipes", inventory.Trigger{SourceARN: "arn:aws:pipes:eu-west-1:123456789012:pipe/pipes-ok-orders",
			InvokeRole: role + "pipes-ok-pipe", Target: fn + "pipes-ok-enrich", FunctionARN: fn + "pipes-ok-enrich", Events: []string{"enrichment"}}},
		{"cloudfront-ok", "cloudfront", inventory.Trigger{SourceARN: "arn:aws:cloudfront::123456789012:distribution/<aws_cloudfront_distribution.site.id>",
			Target:      "arn:aws:lambda:us-east-1:123456789012:function:cloudfront-ok-edge:<aws_lambda_function.edge.version>",
			FunctionARN: "arn:aws:lambda:us-east-1:123456789012:function:cloudfront-ok-edge", Qualifier: "<aws_lambda_function.edge.version>",
			Events: []string{"viewer-request"}, Filter: &inventory.Filter{Expression: "default cache behaviour"}}},
		{"s3-object-lambda-ok", "s3_object_lambda", inventory.Trigger{SourceARN: "arn:aws:s3-object-lambda:eu-west-1:123456789012:accesspoint/s3-object-lambda-ok-redacted",
			Target: fn + "s3-object-lambda-ok-redact", FunctionARN: fn + "s3-object-lambda-ok-redact", Events: []string{"GetObject"}}},
		{"cloudformation-ok", "cloudformation", inventory.Trigger{SourceARN: "arn:aws:cloudformation:eu-west-1:123456789012:stack/cloudformation-ok-seed/<aws_cloudformation_stack.seed.stack_id>",
			InvokeRole: role + "cloudformation-ok-stack", Target: fn + "cloudformation-ok-seed", FunctionARN: fn + "cloudformation-ok-seed", Events: []string{"Seed"}}},
	}
	for _, c := range cases {
		t.Run(c.dir, func(t *testing.T) {
			inv := loadFixture(t, filepath.Join("..", "..", "fixtures", "triggers", c.dir))
			ts := triggersOf(inv, c.service)
			if len(ts) != 1 {
				t.Fatalf("%s triggers = %+v", c.service, ts)
			}
			got := ts[0]
			if got.SourceAddress == "" || got.Kind != "push" || !got.Enabled || len(got.Unknown) > 0 {
				t.Errorf("trigger = %+v", got)
			}
			want := c.want
			want.Origin, want.Kind, want.Service, want.Enabled = got.Origin, "push", c.service, true
			if want.SourceAddress == "" {
				want.SourceAddress = got.SourceAddress
			}
			if want.FunctionARN != "" {
				// Linked to the function the fixture defines.
				if !strings.HasPrefix(got.FunctionAddress, "aws_lambda_function.") {
					t.Errorf("function address = %q", got.FunctionAddress)
				}
				want.FunctionAddress = got.FunctionAddress
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("trigger\n got %+v\nwant %+v", got, want)
			}
		})
	}
}

// AppSync: the data source invokes with its service role, the authorizer
// through the resource policy (no role).
func TestAppSyncTriggers(t *testing.T) {
	inv := loadFixture(t, "../../fixtures/triggers/appsync-ok")
	ts := triggersOf(inv, "appsync")
	if len(ts) != 2 {
		t.Fatalf("appsync triggers = %+v", ts)
	}
	byEvent := map[string]inventory.Trigger{}
	for _, tr := range ts {
		byEvent[strings.Join(tr.Events, ",")] = tr
	}
	api := "arn:aws:appsync:eu-west-1:123456789012:apis/<aws_appsync_graphql_api.api.id>"
	if a := byEvent["authorizer"]; a.InvokeRole != "" || a.SourceARN != api || !strings.HasSuffix(a.FunctionARN, ":function:appsync-ok-authorizer") {
		t.Errorf("authorizer trigger = %+v", a)
	}
	if d := byEvent["data_source"]; d.InvokeRole != "arn:aws:iam::123456789012:role/appsync-ok-datasource" || d.SourceARN != api || !strings.HasSuffix(d.FunctionARN, ":function:appsync-ok-resolver") {
		t.Errorf("data source trigger = %+v", d)
	}
}

// Self-managed Kafka and DocumentDB mappings keep their source access
// configurations and bootstrap servers.
func TestSourceAccessConfigurations(t *testing.T) {
	inv := loadFixture(t, "../../fixtures/triggers/kafka-ok")
	ts := triggersOf(inv, "kafka")
	if len(ts) != 1 {
		t.Fatalf("kafka triggers = %+v", ts)
	}
	k := ts[0]
	if !reflect.DeepEqual(k.Endpoints, []string{"b-1.kafka.internal:9096", "b-2.kafka.internal:9096"}) {
		t.Errorf("endpoints = %v", k.Endpoints)
	}
	want := []inventory.SourceAccess{
		{Type: "VPC_SUBNET", URI: "subnet:subnet-0123456789abcdef0"},
		{Type: "VPC_SECURITY_GROUP", URI: "security_group:sg-0123456789abcdef0"},
		{Type: "SASL_SCRAM_512_AUTH", URI: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:kafka-ok-credentials-<aws_secretsmanager_secret.kafka.suffix>"},
	}
	if !reflect.DeepEqual(k.SourceAccess, want) {
		t.Errorf("source access = %+v", k.SourceAccess)
	}
	d := triggersOf(loadFixture(t, "../../fixtures/triggers/docdb-ok"), "docdb")
	if len(d) != 1 || len(d[0].SourceAccess) != 1 || d[0].SourceAccess[0].Type != "BASIC_AUTH" {
		t.Errorf("docdb triggers = %+v", d)
	}
}

// A stack's template names its custom resources; an SNS-backed one and a
// ServiceToken built with an intrinsic function are told apart, and a stack
// without a service role invokes with no role.
func TestStackCustomResources(t *testing.T) {
	inv := loadSource(t, map[string]string{"main.tf": `
resource "aws_cloudformation_stack" "s" {
  name       = "app"
  parameters = { Token = "arn:aws:lambda:us-east-1:123456789012:function:param" }
  template_body = jsonencode({
    Resources = {
      Seed   = { Type = "Custom::Seed", Properties = { ServiceToken = "arn:aws:lambda:us-east-1:123456789012:function:seed" } }
      Notify = { Type = "AWS::CloudFormation::CustomResource", Properties = { ServiceToken = "arn:aws:sns:us-east-1:123456789012:hooks" } }
      Lookup = { Type = "Custom::Lookup", Properties = { ServiceToken = { "Fn::ImportValue" = "lookup-arn" } } }
      Param  = { Type = "Custom::Param", Properties = { ServiceToken = { Ref = "Token" } } }
      Bucket = { Type = "AWS::S3::Bucket" }
    }
  })
}
`})
	if len(inv.Unknown) != 1 || !strings.Contains(inv.Unknown[0].Reason, "(AWS::S3::Bucket)") {
		t.Errorf("unknown = %+v", inv.Unknown)
	}
	ts := triggersOf(inv, "cloudformation")
	if len(ts) != 3 || ts[1].Events[0] != "Param" || ts[1].FunctionARN != "arn:aws:lambda:us-east-1:123456789012:function:param" {
		t.Fatalf("cloudformation triggers = %+v", ts)
	}
	ts = append(ts[:1], ts[2])
	if len(ts) != 2 {
		t.Fatalf("cloudformation triggers = %+v", ts)
	}
	if ts[0].Events[0] != "Lookup" || ts[0].FunctionARN != "" || !hasUnknownField(ts[0].Unknown, "target") ||
		!strings.Contains(ts[0].Unknown[0].Reason, "Fn::ImportValue") {
		t.Errorf("Lookup trigger = %+v", ts[0])
	}
	if ts[1].Events[0] != "Seed" || ts[1].FunctionARN != "arn:aws:lambda:us-east-1:123456789012:function:seed" || ts[1].InvokeRole != "" {
		t.Errorf("Seed trigger = %+v", ts[1])
	}
}

// Firehose processing is off unless enabled, as the provider sends it.
func TestFirehoseProcessingDisabledByDefault(t *testing.T) {
	inv := loadSource(t, map[string]string{"main.tf": `
resource "aws_kinesis_firehose_delivery_stream" "s" {
  name        = "s"
  destination = "extended_s3"
  extended_s3_configuration {
    role_arn   = "arn:aws:iam::123456789012:role/firehose"
    bucket_arn = "arn:aws:s3:::b"
    processing_configuration {
      processors {
        type = "Lambda"
        parameters {
          parameter_name  = "LambdaArn"
          parameter_value = "arn:aws:lambda:us-east-1:123456789012:function:t"
        }
        parameters {
          parameter_name  = "RoleArn"
          parameter_value = "arn:aws:iam::123456789012:role/processor"
        }
      }
    }
  }
}
`})
	ts := triggersOf(inv, "firehose")
	if len(ts) != 1 || ts[0].Enabled || ts[0].InvokeRole != "arn:aws:iam::123456789012:role/processor" {
		t.Fatalf("firehose triggers = %+v", ts)
	}
}

func TestCustomResourceTokens(t *testing.T) {
	yamlBody := "Resources:\n  A:\n    Type: Custom::A\n    Properties:\n      ServiceToken: !GetAtt Fn.Arn\n  B:\n    Type: AWS::CloudFormation::CustomResource\n    Properties:\n      ServiceToken: arn:aws:lambda:us-east-1:1:function:b\n  C:\n    Type: Custom::C\n"
	got, others, err := customResourceTokens([]byte(yamlBody + "  D:\n    Type: AWS::KinesisFirehose::DeliveryStream\n  E:\n    Type: Custom::E\n    Properties:\n      ServiceToken: !Ref Fn\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := []customToken{{Resource: "A", Why: "an intrinsic function !GetAtt"}, {Resource: "B", Token: "arn:aws:lambda:us-east-1:1:function:b"}, {Resource: "C", Why: "it has none"}, {Resource: "E", Ref: "Fn", Why: "Ref Fn"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("tokens = %+v", got)
	}
	if !reflect.DeepEqual(others, []string{"AWS::KinesisFirehose::DeliveryStream"}) {
		t.Errorf("other types = %v", others)
	}
	if _, _, err := customResourceTokens([]byte("Resources: [")); err == nil {
		t.Error("a broken template was read without error")
	}
}

func FuzzCustomResourceTokens(f *testing.F) {
	f.Add([]byte(`{"Resources":{"A":{"Type":"Custom::A","Properties":{"ServiceToken":"arn:aws:lambda:us-east-1:1:function:a"}}}}`))
	f.Add([]byte("Resources:\n  A:\n    Type: Custom::A\n    Properties:\n      ServiceToken: !Ref X\n"))
	f.Add([]byte("Resources: &a\n  A: *a\n"))
	f.Fuzz(func(t *testing.T, body []byte) {
		tokens, _, err := customResourceTokens(body)
		if err != nil {
			return
		}
		for _, tok := range tokens {
			if tok.Token == "" && tok.Why == "" {
				t.Fatalf("custom resource %q has neither a token nor a reason", tok.Resource)
			}
		}
	})
}

// A resource whose invocations depend on values known only after apply is
// reported, not passed over; one whose unknown arguments say nothing about
// what it invokes is not.
func TestUnreadableInvokersAreReported(t *testing.T) {
	inv := loadSource(t, map[string]string{"main.tf": `
variable "behaviours" { type = list(object({ path = string, fn = string })) }
variable "on" { type = bool }
resource "aws_cloudfront_distribution" "d" {
  enabled = var.on
  dynamic "ordered_cache_behavior" {
    for_each = var.behaviours
    content {
      path_pattern = ordered_cache_behavior.value.path
      lambda_function_association {
        event_type = "viewer-request"
        lambda_arn = ordered_cache_behavior.value.fn
      }
    }
  }
}
resource "aws_cloudfront_distribution" "plain" {
  enabled = var.on
}
`})
	var got []inventory.UnknownOutside
	for _, u := range inv.Unknown {
		if strings.HasPrefix(u.Address, "aws_") {
			got = append(got, u)
		}
	}
	if len(got) != 1 || got[0].Address != "aws_cloudfront_distribution.d" || !strings.Contains(got[0].Reason, "ordered_cache_behavior") {
		t.Errorf("unknown = %+v", got)
	}
}

// A cross-region Invoke action names a function in the action's region.
func TestPipelineCrossRegionAction(t *testing.T) {
	inv := loadSource(t, map[string]string{"main.tf": `
provider "aws" {
  region = "eu-west-1"
}
resource "aws_codepipeline" "p" {
  name     = "p"
  role_arn = "arn:aws:iam::123456789012:role/pipeline"
  stage {
    name = "Test"
    action {
      name     = "Smoke"
      category = "Invoke"
      owner    = "AWS"
      provider = "Lambda"
      version  = "1"
      region   = "us-west-2"
      configuration = { FunctionName = "smoke" }
    }
  }
}
`})
	ts := triggersOf(inv, "codepipeline")
	if len(ts) != 1 || ts[0].FunctionARN != "arn:aws:lambda:us-west-2:123456789012:function:smoke" || ts[0].SourceARN != "arn:aws:codepipeline:eu-west-1:123456789012:p" {
		t.Fatalf("codepipeline triggers = %+v", ts)
	}
}

// RDS for PostgreSQL invokes from an instance whose role is associated for
// the feature "Lambda".
func TestInstanceRoleAssociation(t *testing.T) {
	inv := loadSource(t, map[string]string{"main.tf": `
resource "aws_db_instance" "pg" {
  identifier     = "orders"
  engine         = "postgres"
  instance_class = "db.t4g.micro"
}
resource "aws_db_instance_role_association" "lambda" {
  db_instance_identifier = aws_db_instance.pg.identifier
  feature_name           = "Lambda"
  role_arn               = "arn:aws:iam::123456789012:role/pg-lambda"
}
`})
	ts := triggersOf(inv, "rds")
	if len(ts) != 1 || ts[0].SourceARN != "arn:aws:rds:us-east-1:123456789012:db:orders" || ts[0].InvokeRole != "arn:aws:iam::123456789012:role/pg-lambda" {
		t.Fatalf("rds triggers = %+v", ts)
	}
}

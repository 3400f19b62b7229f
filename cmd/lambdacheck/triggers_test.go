package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// Each per-kind trigger fixture passes the gate when it works and fails it
// (exit 1 at the default --fail-on high) when it is broken, with a finding
// that names what is missing (docs/triggers.md, fixtures table).
func TestTriggerFixturesGate(t *testing.T) {
	want := map[string]string{
		"ses-broken":            "needed: a permission for ses.amazonaws.com to lambda:InvokeFunction arn:aws:lambda:eu-west-1:123456789012:function:acme-ses-handler with source_arn arn:aws:ses:eu-west-1:123456789012:receipt-rule-set/acme-ses-inbound:receipt-rule/support and source_account 123456789012",
		"alexa-broken":          "did you mean alexa-appkit.amazon.com?",
		"config-broken":         "needed: a permission for config.amazonaws.com",
		"lex-broken":            "needed: a permission for lex.amazonaws.com",
		"connect-broken":        "needed: a permission for connect.amazonaws.com to lambda:InvokeFunction arn:aws:lambda:eu-west-1:123456789012:function:acme-connect-handler:live",
		"bedrock-broken":        "needed: a permission for bedrock.amazonaws.com",
		"codecommit-broken":     "needed: a permission for codecommit.amazonaws.com",
		"vpclattice-broken":     "needed: a permission for vpc-lattice.amazonaws.com",
		"pinpoint-broken":       "needed: a permission for pinpoint.eu-west-1.amazonaws.com",
		"secretsmanager-broken": "did you mean secretsmanager.amazonaws.com?",
		// Role-based and special invokers (docs/flows.md).
		"appsync-broken":          `step \"appsync.amazonaws.com may assume role appsync-broken-datasource\" is denied`,
		"cloudformation-broken":   `step \"role cloudformation-broken-stack may invoke arn:aws:lambda:eu-west-1:123456789012:function:cloudformation-broken-seed\" is denied`,
		"cloudfront-broken":       "Lambda@Edge associates only functions created in us-east-1",
		"codepipeline-broken":     `step \"role codepipeline-broken-pipeline may invoke arn:aws:lambda:eu-west-1:123456789012:function:codepipeline-broken-smoke\" is denied`,
		"docdb-broken":            "the execution role is denied secretsmanager:GetSecretValue",
		"firehose-broken":         `step \"role firehose-broken-delivery may lambda:GetFunctionConfiguration\" is denied`,
		"kafka-broken":            "the execution role is denied ec2:CreateNetworkInterface on *",
		"pipes-broken":            `step \"role pipes-broken-pipe may invoke arn:aws:lambda:eu-west-1:123456789012:function:pipes-broken-enrich\" is denied`,
		"rds-broken":              "the role's policies allow lambda:InvokeFunction on none of the 2 functions in the inventory",
		"s3-object-lambda-broken": "the execution role lacks s3-object-lambda:WriteGetObjectResponse",
	}
	dirs, err := filepath.Glob("../../fixtures/triggers/*")
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no trigger fixtures: %v", err)
	}
	seen := 0
	for _, dir := range dirs {
		name := filepath.Base(dir)
		t.Run(name, func(t *testing.T) {
			out, errOut, code := runCLI(t, "", "simulate", dir, "--account", "123456789012", "--region", "eu-west-1", "--format", "json")
			switch {
			case strings.HasSuffix(name, "-broken"):
				seen++
				if code != 1 {
					t.Fatalf("exit %d, want 1 (the gate fails): %s", code, errOut)
				}
				msg, ok := want[name]
				if !ok {
					t.Fatalf("no expected finding listed for %s", name)
				}
				if !strings.Contains(out, msg) {
					t.Errorf("no finding says %q", msg)
				}
			default:
				if code != 0 {
					t.Fatalf("exit %d, want 0: %s", code, errOut)
				}
			}
			if name == "unmodelled" && !strings.Contains(errOut, "Lambda invoker not modelled: aws_iot_authorizer") {
				t.Errorf("no warning names the unmodelled type: %s", errOut)
			}
		})
	}
	if seen != len(want) {
		t.Errorf("%d broken fixtures, %d expected findings", seen, len(want))
	}
}

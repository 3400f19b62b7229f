package main

import (
	"strings"
	"testing"
)

func TestAuthzLenientDecidesWhatAWSRefuses(t *testing.T) {
	// Duplicate Sids: AWS refuses the bucket policy when it is written.
	line := `{"id":"dup","request":{"principal":"arn:aws:iam::222222222222:user/carol","action":"s3:GetObject","resource":"arn:aws:s3:::b/k","resourceAccount":"111111111111"},` +
		`"identityPolicies":[{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}],` +
		`"resourcePolicy":{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:user/carol"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"},{"Sid":"A","Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::b/*"}]}}` + "\n"
	out, _, code := runCLI(t, line, "authz", "--jsonl")
	if code != 2 || !strings.Contains(out, "duplicate Sid") {
		t.Fatalf("strict: want exit 2 and a duplicate Sid error, got %d: %s", code, out)
	}
	out, _, code = runCLI(t, line, "authz", "--jsonl", "--lenient")
	if code != 0 || !strings.Contains(out, `"decision":"Allowed"`) {
		t.Fatalf("lenient: want Allowed, got %d: %s", code, out)
	}
}

func TestAuthzJSONLReportsNotPrincipalAllowNotice(t *testing.T) {
	line := `{"id":"np","request":{"principal":"arn:aws:iam::222222222222:user/carol","action":"s3:GetObject","resource":"arn:aws:s3:::b/k","resourceAccount":"111111111111"},` +
		`"identityPolicies":[{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}],` +
		`"resourcePolicy":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}}` + "\n"
	out, _, code := runCLI(t, line, "authz", "--jsonl")
	if code != 0 || !strings.Contains(out, `"decision":"ImplicitlyDenied"`) || !strings.Contains(out, `"notices":["resourcePolicy: Statement[0]: NotPrincipal with`) {
		t.Fatalf("want ImplicitlyDenied with a notice, got %d: %s", code, out)
	}
}

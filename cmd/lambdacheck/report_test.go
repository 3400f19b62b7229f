package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestReportCrossAccountInboundAndOutbound(t *testing.T) {
	out, errOut, code := runCLI(t, "", "report", "cross-account", "../../fixtures/public-exposure", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	var res struct {
		Entries []struct {
			Function, Direction, Who string
			Granted                  []string `json:"granted_by"`
		} `json:"entries"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("json: %v\n%s", err, out)
	}
	got := map[string]string{}
	for _, e := range res.Entries {
		got[e.Function+" "+e.Who] = strings.Join(e.Granted, ", ")
	}
	if len(got) != 3 || !strings.Contains(got["aws_lambda_function.partner_sync 444455556666"], "aws_lambda_permission.partner_sync#AllowPartnerAccount (cross_account.tf:25)") || got["aws_lambda_function.webhook * (public)"] == "" {
		t.Errorf("inbound entries: %v", got)
	}
	if _, ok := got["aws_lambda_function.alerts sns.amazonaws.com"]; ok {
		t.Error("a service principal is listed as outside")
	}
	out, _, code = runCLI(t, "", "report", "cross-account", "../../fixtures/risky-roles")
	if code != 0 || !strings.Contains(out, "arn:aws:sqs:eu-west-1:999988887777:intake") || !strings.Contains(out, "partner-egress#SendToIntake (egress.tf:11)") {
		t.Errorf("outbound: exit %d\n%s", code, out)
	}
	out, _, _ = runCLI(t, "", "report", "cross-account", diffData+"base")
	if !strings.Contains(out, "No function can be invoked from outside") {
		t.Errorf("nothing outside:\n%s", out)
	}
}

package inventory

import (
	"strings"
	"testing"
)

func TestCompleteness(t *testing.T) {
	id := Identity{Account: "111111111111", ARN: "arn:aws:sts::111111111111:assumed-role/r/s"}
	fn := []Function{{Name: "f", ARN: "arn:aws:lambda:eu-west-1:111111111111:function:f"}}
	denied := func(op, action string, listing bool) []Gap {
		return []Gap{{Operation: op, Action: action, Code: "AccessDenied", Count: 1, Listing: listing}}
	}
	cases := []struct {
		name           string
		inv            *Inventory
		live, partial  bool
		blocking       string // "" for none
		refusedAllowed bool
	}{
		{name: "no coverage (Terraform, schema 1): not judged", inv: &Inventory{Functions: fn}},
		{name: "everything read", live: true, inv: &Inventory{Functions: fn, Coverage: []Coverage{{Identity: id, Units: []CoverageUnit{
			{Region: "eu-west-1", Service: "lambda", Status: CoverageComplete, Items: 1, Calls: 7}}}}}},
		{name: "an item call denied: incomplete, not blocking", live: true, partial: true, inv: &Inventory{Functions: fn, Coverage: []Coverage{{Identity: id, Units: []CoverageUnit{
			{Region: "eu-west-1", Service: "lambda", Status: CoveragePartial, Items: 1, Calls: 7, Denied: denied("Lambda GetPolicy", "lambda:GetPolicy", false)}}}}}},
		{name: "a trigger service's listing denied blocks", live: true, partial: true, blocking: "sqs was not read in eu-west-1 (account 111111111111): SQS ListQueues sqs:ListQueues denied", inv: &Inventory{Functions: fn, Coverage: []Coverage{{Identity: id, Units: []CoverageUnit{
			{Region: "eu-west-1", Service: "lambda", Status: CoverageComplete, Items: 1, Calls: 7},
			{Region: "eu-west-1", Service: "sqs", Status: CoverageNotRead, Calls: 1, Denied: denied("SQS ListQueues", "sqs:ListQueues", true)}}}}}},
		{name: "a listing of a service flows do not come from does not block", live: true, partial: true, inv: &Inventory{Functions: fn, Coverage: []Coverage{{Identity: id, Units: []CoverageUnit{
			{Region: "eu-west-1", Service: "lambda", Status: CoverageComplete, Items: 1, Calls: 7},
			{Region: "global", Service: "organizations", Status: CoverageNotRead, Calls: 1, Denied: denied("Organizations DescribeOrganization", "organizations:DescribeOrganization", true)}}}}}},
		{name: "nothing collected blocks", live: true, partial: true, blocking: "nothing was collected from account 111111111111", inv: &Inventory{Coverage: []Coverage{{Identity: id, Units: []CoverageUnit{
			{Region: "global", Service: "kms", Status: CoverageNotRead, Calls: 1, Denied: denied("KMS ListKeys", "kms:ListKeys", true)}}}}}},
		{name: "an empty account read completely passes", live: true, inv: &Inventory{Coverage: []Coverage{{Identity: id, Units: []CoverageUnit{
			{Region: "eu-west-1", Service: "lambda", Status: CoverageComplete, Calls: 2}}}}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := c.inv.Completeness()
			if got.Live != c.live || got.Incomplete != c.partial {
				t.Fatalf("completeness = %+v", got)
			}
			if c.blocking == "" {
				if len(got.Blocking) != 0 || got.Refusal(false) != nil {
					t.Fatalf("blocking = %v", got.Blocking)
				}
				return
			}
			err := got.Refusal(false)
			if err == nil || !strings.Contains(err.Error(), c.blocking) || !strings.Contains(err.Error(), "--allow-incomplete") {
				t.Fatalf("refusal = %v, want %q", err, c.blocking)
			}
			if got.Refusal(true) != nil {
				t.Fatal("--allow-incomplete still refuses")
			}
			if !strings.Contains(got.Summary(), "the inventory is incomplete") {
				t.Fatalf("summary = %q", got.Summary())
			}
		})
	}
}

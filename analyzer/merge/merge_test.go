package merge

import (
	"strings"
	"testing"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
)

func TestMerge(t *testing.T) {
	fnA := "arn:aws:lambda:eu-west-1:111111111111:function:a"
	fnB := "arn:aws:lambda:eu-west-1:222222222222:function:b"
	roleA := "arn:aws:iam::111111111111:role/a"
	queue := "arn:aws:sqs:eu-west-1:222222222222:q"
	a := &inventory.Inventory{Schema: 1, Source: inventory.Source{Kind: "aws"}, Partition: "aws", Account: "111111111111", Region: "eu-west-1",
		Functions: []inventory.Function{{Origin: inventory.Origin{Address: fnA}, Name: "a", ARN: fnA, Role: roleA},
			// a references b, which only the other account defines
			{Origin: inventory.Origin{Address: fnB}, External: true, Name: "b", ARN: fnB}},
		Roles:     []inventory.Role{{Origin: inventory.Origin{Address: roleA}, Name: "a", ARN: roleA, Account: "111111111111"}},
		Resources: []inventory.Resource{{Origin: inventory.Origin{Address: queue}, External: true, Type: "external", Service: "sqs", ARN: queue}},
		SCPs:      []inventory.OrgPolicy{{ID: "p-1", Type: "SERVICE_CONTROL_POLICY", Targets: []string{"111111111111"}}},
		Warnings:  []inventory.Warning{{Service: "Organizations", Operation: "ListParents", Message: "denied"}},
	}
	b := &inventory.Inventory{Schema: 1, Source: inventory.Source{Kind: "aws"}, Partition: "aws", Account: "222222222222", Region: "eu-west-1",
		Functions: []inventory.Function{{Origin: inventory.Origin{Address: fnB}, Name: "b", ARN: fnB, Runtime: "python3.12"}},
		// the same role read again (IAM is global): identical, no warning
		Roles:     []inventory.Role{{Origin: inventory.Origin{Address: roleA}, Name: "a", ARN: roleA, Account: "111111111111"}},
		Resources: []inventory.Resource{{Origin: inventory.Origin{Address: queue}, Type: "AWS::SQS::Queue", Service: "sqs", ARN: queue}},
		Triggers: []inventory.Trigger{{Origin: inventory.Origin{Address: "esm"}, Kind: "poll", Service: "sqs", SourceARN: queue, Target: fnA, FunctionARN: fnA},
			{Origin: inventory.Origin{Address: "esm"}, Kind: "poll", Service: "sqs", SourceARN: queue, Target: fnA, FunctionARN: fnA}},
		SCPs: []inventory.OrgPolicy{{ID: "p-1", Type: "SERVICE_CONTROL_POLICY", Targets: []string{"222222222222"}}},
	}
	out, err := Inventories(a, b)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("a definition replaces an external reference", func(t *testing.T) {
		if len(out.Functions) != 2 || out.Functions[1].External || out.Functions[1].Runtime != "python3.12" {
			t.Fatalf("functions = %+v", out.Functions)
		}
		if len(out.Resources) != 1 || out.Resources[0].External {
			t.Fatalf("resources = %+v", out.Resources)
		}
	})
	t.Run("identical definitions are one item without warning", func(t *testing.T) {
		if len(out.Roles) != 1 || len(out.Diags) != 0 {
			t.Fatalf("roles = %d, diags = %+v", len(out.Roles), out.Diags)
		}
	})
	t.Run("exact repeated triggers are dropped", func(t *testing.T) {
		if len(out.Triggers) != 1 {
			t.Fatalf("triggers = %d", len(out.Triggers))
		}
	})
	t.Run("triggers learn the address of a function another input defines", func(t *testing.T) {
		if out.Triggers[0].FunctionAddress != fnA || out.Triggers[0].SourceAddress != queue {
			t.Fatalf("trigger = %+v", out.Triggers[0])
		}
	})
	t.Run("one organization policy gathers the targets of both accounts", func(t *testing.T) {
		if len(out.SCPs) != 1 || strings.Join(out.SCPs[0].Targets, ",") != "111111111111,222222222222" {
			t.Fatalf("scps = %+v", out.SCPs)
		}
	})
	t.Run("defaults and warnings come through", func(t *testing.T) {
		if out.Account != "111111111111" || out.Source.Kind != "aws" || len(out.Warnings) != 1 {
			t.Fatalf("out = %+v", out)
		}
	})
}

func TestMergeConflicts(t *testing.T) {
	fn := "arn:aws:lambda:eu-west-1:111111111111:function:a"
	x := &inventory.Inventory{Schema: 1, Partition: "aws", Source: inventory.Source{Kind: "terraform"}, Functions: []inventory.Function{{Origin: inventory.Origin{Address: "aws_lambda_function.a"}, ARN: fn, Runtime: "python3.12"}}}
	y := &inventory.Inventory{Schema: 1, Partition: "aws", Source: inventory.Source{Kind: "aws"}, Functions: []inventory.Function{{Origin: inventory.Origin{Address: fn}, ARN: fn, Runtime: "nodejs22.x"}}}
	t.Run("differing definitions keep the first and warn", func(t *testing.T) {
		out, err := Inventories(x, y)
		if err != nil {
			t.Fatal(err)
		}
		if len(out.Functions) != 1 || out.Functions[0].Runtime != "python3.12" || len(out.Diags) != 1 || out.Source.Kind != "merged" {
			t.Fatalf("out = %+v", out)
		}
	})
	t.Run("partitions must agree", func(t *testing.T) {
		cn := &inventory.Inventory{Schema: 1, Partition: "aws-cn"}
		if _, err := Inventories(x, cn); err == nil {
			t.Fatal("merging aws and aws-cn inventories must fail")
		}
	})
	t.Run("schemas must agree", func(t *testing.T) {
		if _, err := Inventories(x, &inventory.Inventory{Schema: 3}); err == nil {
			t.Fatal("merging schema 3 must fail")
		}
	})
	t.Run("nothing to merge is an error", func(t *testing.T) {
		if _, err := Inventories(); err == nil {
			t.Fatal("want an error")
		}
	})
}

// Coverage records of every input survive the merge, so the completeness
// verdict judges each collected account on its own.
func TestMergedCoverageIsJudgedPerAccount(t *testing.T) {
	id := inventory.Identity{Account: "111111111111", ARN: "arn:aws:sts::111111111111:assumed-role/r/s"}
	fn := []inventory.Function{{Name: "f", ARN: "arn:aws:lambda:eu-west-1:111111111111:function:f"}}
	denied := []inventory.Gap{{Operation: "Lambda ListFunctions", Action: "lambda:ListFunctions", Code: "AccessDenied", Count: 1, Listing: true}}
	a, err := Inventories(
		&inventory.Inventory{Schema: inventory.SchemaVersion, Functions: fn, Coverage: []inventory.Coverage{{Identity: id, Units: []inventory.CoverageUnit{
			{Region: "eu-west-1", Service: "lambda", Status: inventory.CoverageComplete, Items: 1, Calls: 3}}}}},
		&inventory.Inventory{Schema: 1, Coverage: []inventory.Coverage{{Identity: inventory.Identity{Account: "222222222222"}, Units: []inventory.CoverageUnit{
			{Region: "eu-west-1", Service: "lambda", Status: inventory.CoverageNotRead, Calls: 1, Denied: denied}}}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Coverage) != 2 {
		t.Fatalf("coverage records = %d, want 2", len(a.Coverage))
	}
	c := a.Completeness()
	if len(c.Blocking) != 2 || strings.Contains(strings.Join(c.Blocking, " "), "111111111111") || !strings.Contains(c.Blocking[1], "nothing was collected from account 222222222222") {
		t.Fatalf("blocking = %v", c.Blocking)
	}
}

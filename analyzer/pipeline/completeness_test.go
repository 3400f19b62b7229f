package pipeline_test

import (
	"context"
	"strings"
	"testing"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
	"github.com/lambdacheck/lambdacheck/analyzer/pipeline"
)

// A live inventory missing a trigger service is refused unless
// AllowIncomplete; either way the flows are computed and a message says
// the inventory is incomplete.
func TestCompletenessGate(t *testing.T) {
	live := func(context.Context) (*inventory.Inventory, error) {
		return &inventory.Inventory{Schema: inventory.SchemaVersion, Partition: "aws", Account: "111111111111", Region: "eu-west-1",
			Source:    inventory.Source{Kind: "aws"},
			Functions: []inventory.Function{{Name: "f", ARN: "arn:aws:lambda:eu-west-1:111111111111:function:f", Region: "eu-west-1", Account: "111111111111"}},
			Coverage: []inventory.Coverage{{Identity: inventory.Identity{Account: "111111111111"}, Units: []inventory.CoverageUnit{
				{Region: "eu-west-1", Service: "lambda", Status: inventory.CoverageComplete, Items: 1, Calls: 3},
				{Region: "eu-west-1", Service: "sqs", Status: inventory.CoverageNotRead, Calls: 1,
					Denied: []inventory.Gap{{Operation: "SQS ListQueues", Action: "sqs:ListQueues", Code: "AccessDenied", Count: 1, Listing: true}}}}}}}, nil
	}
	messages := func(res *pipeline.Result) string {
		var texts []string
		for _, m := range res.Messages {
			texts = append(texts, m.Text)
		}
		return strings.Join(texts, "\n")
	}
	res, err := pipeline.Run(context.Background(), pipeline.Options{Live: live, MaxDepth: 4})
	if err != nil {
		t.Fatal(err)
	}
	if res.Flows == nil || res.Refusal == nil || !strings.Contains(res.Refusal.Error(), "sqs was not read in eu-west-1") {
		t.Fatalf("flows %v, refusal %v", res.Flows != nil, res.Refusal)
	}
	if !res.Completeness.Live || !strings.Contains(messages(res), "the inventory is incomplete") {
		t.Fatalf("completeness %+v, messages %q", res.Completeness, messages(res))
	}
	res, err = pipeline.Run(context.Background(), pipeline.Options{Live: live, MaxDepth: 4, AllowIncomplete: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Refusal != nil || !strings.Contains(messages(res), "accepted with --allow-incomplete: sqs was not read") {
		t.Fatalf("refusal %v, messages %q", res.Refusal, messages(res))
	}
	res, err = pipeline.Run(context.Background(), pipeline.Options{Paths: []string{"../../fixtures/thumbnails"}, MaxDepth: 4})
	if err != nil {
		t.Fatal(err)
	}
	if res.Completeness.Live || res.Refusal != nil || len(res.Messages) != 0 {
		t.Fatalf("Terraform judged as live: %+v, %v, %q", res.Completeness, res.Refusal, messages(res))
	}
}

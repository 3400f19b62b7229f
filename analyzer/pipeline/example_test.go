package pipeline_test

import (
	"context"
	"fmt"
	"time"

	"github.com/lambdacheck/lambdacheck/analyzer/pipeline"
	"github.com/lambdacheck/lambdacheck/simulator/flow"
)

// Load a Terraform application, simulate its flows and judge them, then
// count what was found.
func ExampleRun() {
	res, err := pipeline.Run(context.Background(), pipeline.Options{
		Paths:    []string{"../../fixtures/recursive-loop"},
		MaxDepth: 4,
		Judge: &pipeline.JudgeOptions{
			FailOn:         "high",
			FailOnExplicit: true,
			Today:          time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC),
			Timeout:        time.Minute,
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	kinds := map[flow.Kind]int{}
	for _, f := range res.Flows.Flows {
		kinds[f.Kind]++
	}
	fmt.Println("functions:", len(res.Inventory.Functions))
	fmt.Println("invoke flows:", kinds[flow.KindInvoke], "chains:", kinds[flow.KindChain])
	for _, f := range res.Judgement.Failing() {
		fmt.Println(f.Rule, f.Severity, f.Address)
	}
	// Output:
	// functions: 5
	// invoke flows: 5 chains: 3
	// LC013 high aws_lambda_function.fn["image-tagger"]
	// LC013 high aws_lambda_function.fn["merger"]
	// LC013 high aws_lambda_function.fn["sns-echo"]
}

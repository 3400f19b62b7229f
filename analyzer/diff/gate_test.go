package diff

import (
	"testing"

	"github.com/lambdacheck/lambdacheck/analyzer/rules"
)

func TestRefuseListsTheChangesOfTheClasses(t *testing.T) {
	r := &Result{
		Flows: []FlowChange{{ID: "reach/account/444455556666/f", What: "added", Classes: []Class{CrossAccount}}},
		New:   []FindingChange{{Finding: rules.Finding{Rule: "LC010", ShortCode: "public-url", Address: "aws_lambda_function_url.f"}, Classes: []Class{Public, Any}}},
	}
	want := "2 change(s) refused by --fail-on-new any, cross-account:\n  cross-account: flow reach/account/444455556666/f added\n  public: finding LC010 public-url on aws_lambda_function_url.f"
	if err := r.Refuse([]Class{CrossAccount, Public}, "any, cross-account"); err == nil || err.Error() != want {
		t.Errorf("refusal = %v\nwant %s", err, want)
	}
	if err := r.Refuse([]Class{Write}, "write"); err != nil {
		t.Errorf("nothing of the class: %v", err)
	}
}

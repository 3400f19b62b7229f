package inventory

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestRebasePrefixesEveryRelativeFile(t *testing.T) {
	inv := &Inventory{
		Functions: []Function{{Origin: Origin{Address: "aws_lambda_function.f", File: "main.tf", Line: 3},
			Unknown: []Unknown{{Field: "role", Reason: "r", File: "main.tf", Line: 4}}}},
		Roles: []Role{{Origin: Origin{Address: "aws_iam_role.r", File: "iam.tf", Line: 1},
			TrustPolicy:    &Policy{Name: "trust", Document: []byte("{}"), Origin: Origin{File: "iam.tf", Line: 2}},
			InlinePolicies: []Policy{{Name: "p", Document: []byte("{}"), Origin: Origin{File: "iam.tf", Line: 9}}}}},
		Diags:   []Diagnostic{{Severity: "warning", Summary: "s", File: "/abs/x.tf", Line: 1}},
		Unknown: []UnknownOutside{{Address: "module.m", Reason: "r", File: "modules.tf"}},
	}
	Rebase(inv, "infra/app")
	data, err := json.Marshal(inv)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"file":"infra/app/main.tf"`, `"file":"infra/app/iam.tf"`, `"file":"infra/app/modules.tf"`, `"file":"/abs/x.tf"`} {
		if !strings.Contains(string(data), want) {
			t.Errorf("rebased inventory lacks %s:\n%s", want, data)
		}
	}
	if strings.Contains(string(data), `"file":"main.tf"`) || strings.Contains(string(data), `"file":"iam.tf"`) {
		t.Errorf("a relative file was left as it was:\n%s", data)
	}
}

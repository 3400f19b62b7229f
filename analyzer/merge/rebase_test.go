package merge

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
	"github.com/lambdacheck/lambdacheck/analyzer/loc"
)

func TestRebasePrefixesEveryRelativeFile(t *testing.T) {
	inv := &inventory.Inventory{
		Functions: []inventory.Function{{Origin: inventory.Origin{Address: "aws_lambda_function.f", Span: loc.At("main.tf", 3)},
			Unknown: []inventory.Unknown{{Field: "role", Reason: "r", Span: loc.At("main.tf", 4)}}}},
		Roles: []inventory.Role{{Origin: inventory.Origin{Address: "aws_iam_role.r", Span: loc.At("iam.tf", 1)},
			TrustPolicy:    &inventory.Policy{Name: "trust", Document: []byte("{}"), Origin: inventory.Origin{Span: loc.At("iam.tf", 2)}},
			InlinePolicies: []inventory.Policy{{Name: "p", Document: []byte("{}"), Origin: inventory.Origin{Span: loc.At("iam.tf", 9)}}}}},
		Diags:   []inventory.Diagnostic{{Severity: "warning", Summary: "s", Span: loc.At("/abs/x.tf", 1)}},
		Unknown: []inventory.UnknownOutside{{Address: "module.m", Reason: "r", Span: loc.Span{File: "modules.tf"}}},
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

// TestRebaseReachesEveryFileField fills every File field an inventory can
// hold (found by walking its types, so a field added later is covered) and
// checks that Rebase prefixes each one.
func TestRebaseReachesEveryFileField(t *testing.T) {
	inv := &inventory.Inventory{}
	fill(reflect.ValueOf(inv).Elem())
	Rebase(inv, "app")
	var missed []string
	walkFiles(reflect.ValueOf(inv).Elem(), "inventory", func(where, file string) {
		if file != "app/x.tf" {
			missed = append(missed, where+" = "+file)
		}
	})
	if len(missed) > 0 {
		t.Errorf("Rebase left files as they were:\n%s", strings.Join(missed, "\n"))
	}
}

// fill gives every slice one element, every pointer a value and every
// string field named File the relative path x.tf.
func fill(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer:
		if v.Type().Elem().Kind() == reflect.Struct {
			v.Set(reflect.New(v.Type().Elem()))
			fill(v.Elem())
		}
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Struct {
			v.Set(reflect.MakeSlice(v.Type(), 1, 1))
			fill(v.Index(0))
		}
	case reflect.Struct:
		for i := range v.NumField() {
			f := v.Type().Field(i)
			if !f.IsExported() {
				continue
			}
			if f.Name == "File" && f.Type.Kind() == reflect.String {
				v.Field(i).SetString("x.tf")
				continue
			}
			fill(v.Field(i))
		}
	}
}

func walkFiles(v reflect.Value, where string, visit func(where, file string)) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			walkFiles(v.Elem(), where, visit)
		}
	case reflect.Slice:
		for i := range v.Len() {
			walkFiles(v.Index(i), fmt.Sprintf("%s[%d]", where, i), visit)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			f := v.Type().Field(i)
			if !f.IsExported() {
				continue
			}
			if f.Name == "File" && f.Type.Kind() == reflect.String {
				visit(where+".File", v.Field(i).String())
				continue
			}
			walkFiles(v.Field(i), where+"."+f.Name, visit)
		}
	}
}

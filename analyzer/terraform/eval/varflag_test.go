package eval

import "testing"

func TestVarFlagsKeepCommandLineOrder(t *testing.T) {
	var list []VarArg
	v, f := VarFlag{List: &list}, VarFlag{List: &list, File: true}
	for _, step := range []struct {
		flag VarFlag
		arg  string
	}{{v, "a=1"}, {f, "x.tfvars"}, {v, "a=2=3"}} {
		if err := step.flag.Set(step.arg); err != nil {
			t.Fatal(err)
		}
	}
	want := []VarArg{{Name: "a", Value: "1"}, {File: "x.tfvars"}, {Name: "a", Value: "2=3"}}
	if len(list) != 3 || list[0] != want[0] || list[1] != want[1] || list[2] != want[2] {
		t.Fatalf("vars = %+v", list)
	}
	for _, bad := range []string{"novalue", "=x"} {
		if err := v.Set(bad); err == nil {
			t.Errorf("--var %q accepted", bad)
		}
	}
	if v.Type() != "name=value" || f.Type() != "file" {
		t.Errorf("types %q, %q", v.Type(), f.Type())
	}
}

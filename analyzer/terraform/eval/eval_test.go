package eval

import (
	"context"
	"testing"

	"github.com/lambdacheck/lambdacheck/analyzer/terraform/reason"
	"github.com/zclconf/go-cty/cty"
)

func TestSmoke(t *testing.T) {
	res, err := Evaluate(context.Background(), Options{Dir: "testdata/smoke"})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range res.Diags {
		t.Log(d.Error())
	}
	for _, in := range res.Instances {
		v, rs := reason.Of(in.Value)
		t.Logf("%s %s %s %v", in.Addr, in.Provider.Region, fmtv(v), rs)
	}
}

func fmtv(v cty.Value) string { return v.GoString() }

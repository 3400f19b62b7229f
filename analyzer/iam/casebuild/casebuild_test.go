package casebuild

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lambdacheck/lambdacheck/analyzer/iam"
	"github.com/lambdacheck/lambdacheck/analyzer/iam/condition"
	"github.com/lambdacheck/lambdacheck/analyzer/iam/pattern"
)

func writePolicy(t *testing.T, dir, name, doc string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

const allowGet = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`
const denyOutsideRegion = `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringNotEquals":{"aws:RequestedRegion":"eu-west-1"}}}]}`

// Named values become the request and the policies in their places, and
// the case decides as the engine does.
func TestCaseFromNamedValues(t *testing.T) {
	dir := t.TempDir()
	identity := writePolicy(t, dir, "role.json", allowGet)
	scp := writePolicy(t, dir, "scp.json", denyOutsideRegion)
	s := Spec{
		Principal: "arn:aws:iam::111111111111:role/app", Action: "s3:GetObject", Resource: "arn:aws:s3:::bucket/key",
		Identity: []string{identity},
		SCP:      []string{scp + ",," + identity, identity},
		Context:  []string{"aws:RequestedRegion=eu-west-1", "aws:SourceVpc=vpc-1", "aws:SourceVpc=vpc-2"},
	}
	c, err := s.Case()
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Policies.Identity) != 1 || len(c.Policies.SCP) != 2 || len(c.Policies.SCP[0]) != 2 || len(c.Policies.SCP[1]) != 1 {
		t.Fatalf("policies = %+v", c.Policies)
	}
	if !c.Request.Context.IsMulti("aws:SourceVpc") || c.Request.Context.IsMulti("aws:RequestedRegion") {
		t.Error("a key given twice is multi-valued, once single-valued")
	}
	if got := c.Authorize().Decision; got != iam.Allowed {
		t.Errorf("in the allowed region: %v, want allowed", got)
	}
	s.Context = []string{"aws:RequestedRegion=us-east-1"}
	c, err = s.Case()
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Authorize().Decision; got != iam.ExplicitlyDenied {
		t.Errorf("outside the region: %v, want explicitly denied by the SCP", got)
	}
	s.ManagementAccount = true
	if c, err = s.Case(); err != nil || c.Authorize().Decision != iam.Allowed {
		t.Errorf("in the management account SCPs do not apply: %v, %v", c.Authorize().Decision, err)
	}
}

// A case file is refined by the context pairs, the unknown keys and the
// management account.
func TestCaseFromFileRefinedByValues(t *testing.T) {
	s := Spec{File: "../../../fixtures/authz/s3-cross-account.json", Context: []string{"aws:SourceVpc=vpc-9"}, Unknown: []string{"aws:PrincipalOrgID"}, ManagementAccount: true}
	c, err := s.Case()
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := c.Request.Context.Lookup("aws:SourceVpc"); len(v) != 1 || v[0] != "vpc-9" {
		t.Errorf("aws:SourceVpc = %v", v)
	}
	if v, _ := c.Request.Context.Lookup("aws:SecureTransport"); len(v) != 1 || v[0] != "true" {
		t.Errorf("the file's context is kept: aws:SecureTransport = %v", v)
	}
	if _, state := c.Request.Context.Lookup("aws:PrincipalOrgID"); state != pattern.KeyUnknown {
		t.Errorf("aws:PrincipalOrgID state = %v, want unknown", state)
	}
	if !c.Request.InManagementAccount {
		t.Error("the management account flag is lost")
	}
}

func TestCaseErrorsNameWhatIsWrong(t *testing.T) {
	dir := t.TempDir()
	bad := writePolicy(t, dir, "bad.json", `{"Statement": 3}`)
	for _, c := range []struct {
		spec Spec
		want string
	}{
		{Spec{Action: "s3:GetObject"}, "give --principal and --action"},
		{Spec{Principal: "not a principal", Action: "s3:GetObject"}, "--principal"},
		{Spec{Principal: "111111111111", Action: "s3:GetObject", Context: []string{"novalue"}}, `--context "novalue": want key=value`},
		{Spec{Principal: "111111111111", Action: "s3:GetObject", Identity: []string{filepath.Join(dir, "missing.json")}}, "missing.json"},
		{Spec{Principal: "111111111111", Action: "s3:GetObject", Boundary: []string{bad}}, ""},
		{Spec{File: bad}, "bad.json"},
	} {
		_, err := c.spec.Case()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: error %v, want one naming %q", c.spec, err, c.want)
		}
	}
}

// Context pairs never panic, and every accepted pair is set.
func FuzzSetContext(f *testing.F) {
	for _, seed := range []string{"a=b", "k=", "=v", "novalue", "a=b=c", "aws:SourceVpc=vpc-1\nx"} {
		f.Add(seed, "k=v")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		ctx := condition.NewContext()
		if err := SetContext(ctx, []string{a, b}); err != nil {
			return
		}
		for _, kv := range []string{a, b} {
			k, _, _ := strings.Cut(kv, "=")
			if _, state := ctx.Lookup(k); state == pattern.Missing {
				t.Errorf("%q accepted but %q is not set", kv, k)
			}
		}
	})
}

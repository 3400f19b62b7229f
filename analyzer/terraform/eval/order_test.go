package eval

import (
	"context"
	"slices"
	"strings"
	"testing"
)

// diagLines evaluates dir and lists its diagnostics as summary, detail and
// subject.
func diagLines(t *testing.T, dir string) []string {
	t.Helper()
	res, err := Evaluate(context.Background(), Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, d := range res.Diags {
		s := d.Summary + ": " + d.Detail
		if d.Subject != nil {
			s += " @" + d.Subject.String()
		}
		out = append(out, s)
	}
	return out
}

// What an evaluation reports comes out in the same order every run:
// references an expression makes are resolved in name order, not in the
// order a map happens to give (modules that are not installed were reported
// in a different order about one run in six), and an undeclared resource
// is reported at its first reference.
func TestDiagnosticsOrderIsStable(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"main.tf": `
resource "aws_sqs_queue" "q" {
  name   = "q"
  policy = jsonencode([aws_sns_topic.t2.arn, aws_sns_topic.t1.id, aws_sns_topic.t1.arn, local.arns])
}
module "zeta" {
  source  = "terraform-aws-modules/lambda/aws"
  version = "~> 8.0"
}
module "alpha" {
  source  = "terraform-aws-modules/lambda/aws"
  version = "~> 8.0"
}
module "mid" {
  source  = "terraform-aws-modules/lambda/aws"
  version = "~> 8.0"
}
locals {
  arns = [module.zeta.lambda_function_arn, module.mid.lambda_function_arn, module.alpha.lambda_function_arn]
}
`,
	})
	first := diagLines(t, dir)
	var order []string
	for _, s := range first {
		for _, want := range []string{`module "alpha"`, `module "mid"`, `module "zeta"`, "main.tf:4,46-65", "main.tf:4,24-44"} {
			if strings.Contains(s, want) {
				order = append(order, want)
			}
		}
	}
	// The resource's references resolve the local first, whose modules
	// expand by name, then the undeclared resources by name (t1 at its
	// first mention).
	want := []string{`module "alpha"`, `module "mid"`, `module "zeta"`, "main.tf:4,46-65", "main.tf:4,24-44"}
	if !slices.Equal(order, want) {
		t.Fatalf("reported in the order %q, want %q:\n%s", order, want, strings.Join(first, "\n"))
	}
	for run := 1; run < 30; run++ {
		if got := diagLines(t, dir); !slices.Equal(got, first) {
			t.Fatalf("run %d reported\n%s\nwhere the first run reported\n%s", run, strings.Join(got, "\n"), strings.Join(first, "\n"))
		}
	}
}

// A JSON configuration's attributes are evaluated in name order.
func TestJSONAttributesEvaluateInNameOrder(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"main.tf.json": `{"resource": {"aws_sqs_queue": {"q": {
  "name": "q",
  "zz_policy": "${aws_sns_topic.zz.arn}",
  "kms_master_key_id": "${aws_kms_key.kk.arn}",
  "delay_seconds": "${aws_sns_topic.dd.id}"
}}}}`,
	})
	first := diagLines(t, dir)
	var order []string
	for _, s := range first {
		for _, name := range []string{"aws_sns_topic.dd", "aws_kms_key.kk", "aws_sns_topic.zz"} {
			if strings.Contains(s, `"`+name+`"`) {
				order = append(order, name)
			}
		}
	}
	if want := []string{"aws_sns_topic.dd", "aws_kms_key.kk", "aws_sns_topic.zz"}; !slices.Equal(order, want) {
		t.Fatalf("reported in the order %q, want the attributes' name order %q:\n%s", order, want, strings.Join(first, "\n"))
	}
	for run := 1; run < 30; run++ {
		if got := diagLines(t, dir); !slices.Equal(got, first) {
			t.Fatalf("run %d reported\n%s\nwhere the first run reported\n%s", run, strings.Join(got, "\n"), strings.Join(first, "\n"))
		}
	}
}

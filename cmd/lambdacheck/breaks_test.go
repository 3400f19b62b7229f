package main

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// breakApp is a small application (S3 → ingest, SQS → worker) whose names
// are written by name(x): literal, from a variable without a value, or
// from a random_id. A break rewrites one piece of it.
func breakApp(name func(string) string, brk string) string {
	deny := ""
	poll := `"sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"`
	principal, sourceARN := `"s3.amazonaws.com"`, `aws_s3_bucket.uploads.arn`
	extra, admin := "", ""
	switch brk {
	case "dropped permission":
		principal = ""
	case "wrong source ARN":
		sourceARN = `aws_s3_bucket.other.arn`
	case "dropped poll action":
		poll = `"sqs:DeleteMessage", "sqs:GetQueueAttributes"`
	case "explicit deny":
		deny = `,{ Effect = "Deny", Action = "sqs:ReceiveMessage", Resource = aws_sqs_queue.jobs.arn }`
	case "public grant":
		extra = `resource "aws_lambda_permission" "extra" {
  function_name = aws_lambda_function.ingest.function_name
  action        = "lambda:InvokeFunction"
  principal     = "*"
}`
	case "cross-account grant":
		extra = `resource "aws_lambda_permission" "extra" {
  function_name = aws_lambda_function.ingest.function_name
  action        = "lambda:InvokeFunction"
  principal     = "210987654321"
}`
	case "admin role":
		admin = `,{ Effect = "Allow", Action = "*", Resource = "*" }`
	}
	permission := ""
	if principal != "" {
		permission = fmt.Sprintf(`resource "aws_lambda_permission" "uploads" {
  function_name  = aws_lambda_function.ingest.function_name
  action         = "lambda:InvokeFunction"
  principal      = %s
  source_arn     = %s
  source_account = "123456789012"
}`, principal, sourceARN)
	}
	return fmt.Sprintf(`
variable "prefix" { type = string }
resource "random_id" "s" { byte_length = 4 }

resource "aws_iam_role" "app" {
  name = "%[1]s"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }] })
}
resource "aws_iam_role_policy" "app" {
  name = "app"
  role = aws_iam_role.app.id
  policy = jsonencode({ Version = "2012-10-17", Statement = [
    { Effect = "Allow", Action = [%[2]s], Resource = aws_sqs_queue.jobs.arn },
    { Effect = "Allow", Action = "s3:GetObject", Resource = "${aws_s3_bucket.uploads.arn}/*" }%[3]s%[4]s
  ] })
}
resource "aws_lambda_function" "ingest" {
  function_name = "%[5]s"
  role          = aws_iam_role.app.arn
  handler       = "index.handler"
  runtime       = "python3.12"
  filename      = "build/ingest.zip"
}
resource "aws_lambda_function" "worker" {
  function_name = "%[6]s"
  role          = aws_iam_role.app.arn
  handler       = "index.handler"
  runtime       = "python3.12"
  filename      = "build/worker.zip"
}
resource "aws_s3_bucket" "uploads" { bucket = "%[7]s" }
resource "aws_s3_bucket" "other" { bucket = "%[8]s" }
resource "aws_s3_bucket_notification" "uploads" {
  bucket = aws_s3_bucket.uploads.id
  lambda_function {
    lambda_function_arn = aws_lambda_function.ingest.arn
    events              = ["s3:ObjectCreated:*"]
  }
}
%[9]s
resource "aws_sqs_queue" "jobs" { name = "%[10]s" }
resource "aws_lambda_event_source_mapping" "jobs" {
  event_source_arn = aws_sqs_queue.jobs.arn
  function_name    = aws_lambda_function.worker.arn
}
%[11]s
`, name("app"), poll, deny, admin, name("ingest"), name("worker"), name("uploads"), name("other"), permission, name("jobs"), extra)
}

// Breaks injected into an application are caught the same whether its
// names are literal or only known after apply.
func TestInjectedBreaksWithSymbolicNames(t *testing.T) {
	namings := map[string]func(string) string{
		"literal":   func(x string) string { return "acme-" + x },
		"variable":  func(x string) string { return "${var.prefix}-" + x },
		"random_id": func(x string) string { return x + "-${random_id.s.hex}" },
	}
	breaks := map[string]string{
		"":                    "",
		"dropped permission":  "broken-trigger",
		"wrong source ARN":    "broken-trigger",
		"dropped poll action": "missing-poll-permissions",
		"explicit deny":       "missing-poll-permissions",
		"public grant":        "public-invoke",
		"cross-account grant": "cross-account-invoke",
		"admin role":          "admin-or-wildcard-role",
	}
	for brk, want := range breaks {
		results := map[string][]string{}
		for naming, name := range namings {
			dir := t.TempDir()
			writeFile(t, filepath.Join(dir, "main.tf"), breakApp(name, brk))
			fs, stderr, code := simulateJSONFindings(t, dir, "--account", "123456789012")
			if code == 2 {
				t.Fatalf("%s/%s: exit 2\n%s", brk, naming, stderr)
			}
			var codes []string
			for _, f := range fs {
				codes = append(codes, f.ShortCode)
			}
			slices.Sort(codes)
			codes = slices.Compact(codes)
			results[naming] = codes
			if want != "" && !slices.Contains(codes, want) {
				t.Errorf("%q with %s names: findings %v lack %s", brk, naming, codes, want)
			}
			if want == "" && len(codes) != 0 {
				t.Errorf("the working application with %s names has findings %v", naming, codes)
			}
		}
		lit := strings.Join(results["literal"], ",")
		for naming, codes := range results {
			if got := strings.Join(codes, ","); got != lit {
				t.Errorf("%q: %s names give findings [%s], literal names [%s]", brk, naming, got, lit)
			}
		}
	}
}

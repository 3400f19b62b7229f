package graph

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/lambdacheck/lambdacheck/simulator/flow"
)

func TestShortAddress(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"root resource drops its type", "aws_s3_bucket.uploads", "uploads"},
		{"for_each key kept", `aws_lambda_function.fn["audit"]`, `fn["audit"]`},
		{"dots inside a key are not separators", `aws_lambda_function.fn["a.b"]`, `fn["a.b"]`},
		{"count index kept", "aws_lambda_function.nightly_report[0]", "nightly_report[0]"},
		{"module path kept", "module.alerts.aws_lambda_function.this", "module.alerts.this"},
		{"nested module with index", `module.a["x"].module.b.aws_sqs_queue.q`, `module.a["x"].module.b.q`},
		{"data source", "data.aws_iam_role.r", "r"},
		{"ARN addresses of live sources", "arn:aws:lambda:eu-west-1:111111111111:function:api", "api"},
		{"single segment left alone", "weird", "weird"},
		{"empty", "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := shortAddress(c.in); got != c.want {
				t.Errorf("shortAddress(%q) = %q, want %q", c.in, got, c.want)
			}
		})
	}
}

func TestNormalizeARN(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"S3 objects fold into their bucket", "arn:aws:s3:::b/tmp/*", "arn:aws:s3:::b"},
		{"DynamoDB stream folds into its table", "arn:aws:dynamodb:eu-west-1:1:table/t/stream/2024", "arn:aws:dynamodb:eu-west-1:1:table/t"},
		{"DynamoDB index folds into its table", "arn:aws:dynamodb:eu-west-1:1:table/t/index/*", "arn:aws:dynamodb:eu-west-1:1:table/t"},
		{"Kinesis consumer folds into its stream", "arn:aws:kinesis:eu-west-1:1:stream/s/consumer/c:1", "arn:aws:kinesis:eu-west-1:1:stream/s"},
		{"log streams fold into their group", "arn:aws:logs:eu-west-1:1:log-group:/aws/lambda/f:*", "arn:aws:logs:eu-west-1:1:log-group:/aws/lambda/f"},
		{"function alias folds into the function", "arn:aws:lambda:eu-west-1:1:function:f:live", "arn:aws:lambda:eu-west-1:1:function:f"},
		{"queue unchanged", "arn:aws:sqs:eu-west-1:1:q", "arn:aws:sqs:eu-west-1:1:q"},
		{"not an ARN", "*", "*"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := normalizeARN(c.in); got != c.want {
				t.Errorf("normalizeARN(%q) = %q, want %q", c.in, got, c.want)
			}
		})
	}
}

func TestShortARN(t *testing.T) {
	cases := []struct{ in, want string }{
		{"arn:aws:lambda:eu-west-1:1:function:f", "f"},
		{"arn:aws:s3:::bucket", "bucket"},
		{"arn:aws:dynamodb:eu-west-1:1:table/t", "t"},
		{"arn:aws:kinesis:eu-west-1:1:stream/s", "s"},
		{"arn:aws:logs:eu-west-1:1:log-group:/acme/api", "/acme/api"},
		{"arn:aws:iam::1:role/r", "r"},
		{"arn:aws:cognito-idp:eu-west-1:1:userpool/*", "userpool/*"},
		{"arn:aws:sqs:eu-west-1:1:", "arn:aws:sqs:eu-west-1:1:"},
		{"https://x.lambda-url.eu-west-1.on.aws/", "https://x.lambda-url.eu-west-1.on.aws/"},
	}
	for _, c := range cases {
		if got := shortARN(c.in); got != c.want {
			t.Errorf("shortARN(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestAPIRoute(t *testing.T) {
	cases := []struct{ name, typ, arn, want string }{
		{"REST method and path", "apigateway", "arn:aws:execute-api:eu-west-1:1:abc/prod/GET/orders/{id}", "GET /orders/{id}"},
		{"HTTP API any method", "apigatewayv2", "arn:aws:execute-api:eu-west-1:1:abc/*/*/", "ANY /"},
		{"method without path", "apigateway", "arn:aws:execute-api:eu-west-1:1:abc/prod/POST", "POST /"},
		{"authorizer", "apigatewayv2", "arn:aws:execute-api:eu-west-1:1:abc/authorizers/xyz", "authorizer"},
		{"whole API", "apigateway", "arn:aws:execute-api:eu-west-1:1:abc/*", ""},
		{"other trigger types have none", "sns", "arn:aws:execute-api:eu-west-1:1:abc/prod/GET/x", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := apiRoute(&flow.Trigger{Type: c.typ, Source: flow.Ref{ARN: c.arn}})
			if got != c.want {
				t.Errorf("apiRoute = %q, want %q", got, c.want)
			}
		})
	}
}

func TestSanitizeAndUniqueID(t *testing.T) {
	used := map[string]bool{}
	ids := []string{
		UniqueID("f_"+Sanitize(`fn["audit"]`), used),
		UniqueID("f_"+Sanitize(`fn["audit"]`), used),
		UniqueID("f_"+Sanitize(`fn[audit]`), used),
		UniqueID(Sanitize("--"), used),
		UniqueID(Sanitize("ünïcode ✓"), used),
	}
	want := []string{"f_fn_audit", "f_fn_audit_2", "f_fn_audit_3", "n", "n_code"}
	for i := range want {
		if ids[i] != want[i] {
			t.Errorf("id %d = %q, want %q", i, ids[i], want[i])
		}
	}
	if got := Sanitize(strings.Repeat("a", 200)); len(got) != maxIDLen {
		t.Errorf("long ids are cut to %d, got %d", maxIDLen, len(got))
	}
}

func FuzzShortAddress(f *testing.F) {
	for _, s := range []string{"aws_s3_bucket.b", `module.m["k.x"].aws_sqs_queue.q[0]`, `a["\"].b`, "arn:aws:s3:::b", "data.x.y", "module.", "...", `["`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := shortAddress(s)
		if s != "" && got == "" {
			t.Fatalf("shortAddress(%q) is empty", s)
		}
		if len(got) > len(s) {
			t.Fatalf("shortAddress(%q) = %q grew", s, got)
		}
		if strings.Join(splitAddress(s), ".") != s {
			t.Fatalf("splitAddress(%q) does not rejoin to its input", s)
		}
	})
}

func FuzzNormalizeARN(f *testing.F) {
	for _, s := range []string{"arn:aws:s3:::b/k", "arn:aws:dynamodb:r:1:table/t/stream/x", "arn:aws:logs:r:1:log-group:g:*", "arn:aws:lambda:r:1:function:f:1", "arn:::::", "*", "arn:aws:kinesis:r:1:stream/s/consumer/c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := normalizeARN(s)
		if normalizeARN(n) != n {
			t.Fatalf("normalizeARN is not idempotent on %q: %q then %q", s, n, normalizeARN(n))
		}
		if len(n) > len(s) {
			t.Fatalf("normalizeARN(%q) = %q grew", s, n)
		}
		if s != "" && shortARN(n) == "" {
			t.Fatalf("shortARN(%q) is empty", n)
		}
	})
}

func FuzzNodeID(f *testing.F) {
	for _, s := range []string{"uploads", `fn["a"]`, "", "___", "é", "end", "a b\tc"} {
		f.Add(s, s)
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		used := map[string]bool{}
		x := UniqueID("r_"+Sanitize(a), used)
		y := UniqueID("r_"+Sanitize(b), used)
		for _, id := range []string{x, y} {
			if !idPattern.MatchString(id) || !utf8.ValidString(id) {
				t.Fatalf("id %q is not [A-Za-z0-9_]+", id)
			}
		}
		if x == y {
			t.Fatalf("ids of %q and %q collide: %q", a, b, x)
		}
	})
}

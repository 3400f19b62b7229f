package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Golden traces of concrete events on the fixtures.
var eventGoldens = []struct {
	name  string
	stdin string
	args  []string
}{
	{"no-match", "", []string{"../../fixtures/thumbnails", "--s3", "ObjectCreated:Put", "--bucket", "acme-photos-uploads", "--key", "docs/cat.jpg"}},
	{"no-match-pattern", "order-placed-test-channel.json", []string{"../../fixtures/event-pipeline", "--event-bus", "acme-orders", "--event", "-"}},
	{"invoke-denied", "", []string{"../../fixtures/broken-triggers", "--event", "testdata/events/media-upload.json"}},
	{"chained", "", []string{"../../fixtures/event-pipeline", "--event-bus", "acme-orders", "--event", "testdata/events/order-placed.json"}},
	{"s3-overlap", "", []string{"testdata/events/s3-overlap", "--s3", "ObjectCreated:Put", "--bucket", "acme-drop", "--key", "incoming/q3 report.csv"}},
	{"sqs-batch", "", []string{"../../fixtures/event-pipeline", "--event", "testdata/events/work-batch.json"}},
	{"logs-filter-pattern", "", []string{"testdata/events/log-alerts", "--event", "testdata/events/api-log-events.json"}},
	{"alb-rule-priority", "", []string{"testdata/events/alb-routing", "--event", "testdata/events/alb-api-v2.json"}},
	{"alb-weighted", "", []string{"testdata/events/alb-routing", "--event", "testdata/events/alb-canary.json"}},
}

func TestEventTraceGoldens(t *testing.T) {
	for _, c := range eventGoldens {
		for _, format := range []string{"table", "json"} {
			t.Run(c.name+"/"+format, func(t *testing.T) {
				stdin := ""
				if c.stdin != "" {
					b, err := os.ReadFile(filepath.Join("testdata/events", c.stdin))
					if err != nil {
						t.Fatal(err)
					}
					stdin = string(b)
				}
				args := append([]string{"simulate", "--account", "123456789012", "--region", "eu-west-1", "--format", format}, c.args...)
				out, errOut, code := runCLI(t, stdin, args...)
				if code != 0 {
					t.Fatalf("exit %d: %s", code, errOut)
				}
				ext := ".txt"
				if format == "json" {
					ext = ".json"
					var v map[string]any
					if err := json.Unmarshal([]byte(out), &v); err != nil {
						t.Fatalf("json: %v", err)
					}
				}
				golden := filepath.Join("testdata/events", c.name+ext)
				if updateGolden() {
					if err := os.WriteFile(golden, []byte(out), 0o644); err != nil {
						t.Fatal(err)
					}
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatalf("%v (run with -update)", err)
				}
				if out != string(want) {
					t.Errorf("%s differs from the golden file (run with -update to accept):\n%s", golden, out)
				}
			})
		}
	}
}

// The goldens say what they are about: each case's essential line.
func TestEventTraceEssentials(t *testing.T) {
	for name, want := range map[string][]string{
		"no-match":            {"NO    s3 aws_s3_bucket_notification.uploads", `why: s3.object.key: key "docs/cat.jpg" does not start with prefix "uploads/"`},
		"no-match-pattern":    {`why: detail.channel: value "test" does not match [{"anything-but":["test"]}]`, "why: event-bus: the rule is on bus default"},
		"invoke-denied":       {"MATCH s3 aws_s3_bucket_notification.media", ": denied", "the invocation is denied"},
		"sqs-batch":           {"Event: 3 records, 3 traced", "Record 1: sqs record", `why: body.kind: filter 0: value "audit" does not match ["fulfil","refund"]`},
		"logs-filter-pattern": {"how: delivers 1 of 3 log events: 1", `why: filterPattern: none of the 3 log events matches: the message contains none of "TIMEOUT", "Task timed out"`},
		"chained":             {"MATCH eventbridge aws_cloudwatch_event_target.order_placed", "[triggers next]", "→ sqs:SendMessage via access/aws_lambda_function.fulfilment->aws_sqs_queue.work/Write", "MAYBE sqs aws_lambda_event_source_mapping.work → aws_lambda_function.worker", "invoke invoke/aws_lambda_event_source_mapping.work->aws_lambda_function.worker: allowed"},
		"s3-overlap":          {"s3-overlap aws_s3_bucket_notification.drop", "S3 rejects the configuration", "sns-combinations aws_sns_topic_subscription.notify", "180 value combinations"},
	} {
		b, err := os.ReadFile(filepath.Join("testdata/events", name+".txt"))
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range want {
			if !strings.Contains(string(b), w) {
				t.Errorf("%s: lacks %q", name, w)
			}
		}
	}
}

func TestEventFlagErrors(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--event", "x.json", "--s3", "ObjectCreated:Put"}, "exclude each other"},
		{[]string{"--bucket", "b"}, "go with --s3"},
		{[]string{"--message", "{}"}, "go with --s3"},
		{[]string{"--s3", "ObjectCreated:Put", "--bucket", "b"}, "--s3 needs --bucket and --key"},
		{[]string{"--sns-topic", "t", "--attr", "novalue"}, "want NAME=VALUE"},
		{[]string{"--eventbridge-source", "a"}, "go together"},
		{[]string{"--event", "testdata/events/missing.json"}, "no such file"},
		{[]string{"--event", "-", "--format", "sarif"}, "table or json"},
	} {
		args := append([]string{"simulate", "../../fixtures/thumbnails"}, c.args...)
		_, errOut, code := runCLI(t, "{}", args...)
		if code != 2 || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, %q; want 2 and %q", c.args, code, errOut, c.want)
		}
	}
	// A broken document: the error names where, not what.
	_, errOut, code := runCLI(t, "{\n  \"Records\": [\n    {\"eventSource\": oops}]}", "simulate", "../../fixtures/thumbnails", "--event", "-")
	if code != 2 || !strings.Contains(errOut, "standard input: not a JSON event: line 3") || strings.Contains(errOut, "oops") {
		t.Errorf("exit %d: %s", code, errOut)
	}
}

func TestEventSNSShorthand(t *testing.T) {
	out, errOut, code := runCLI(t, "", "simulate", "../../fixtures/event-pipeline", "--account", "123456789012", "--region", "eu-west-1",
		"--sns-topic", "arn:aws:sns:us-east-1:123456789012:acme-pipeline-billing-alerts", "--attr", "severity=low")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, `NO    sns aws_sns_topic_subscription.billing_alerts`) || !strings.Contains(out, `why: severity: value "low" does not match ["high","critical"]`) {
		t.Fatalf("%s", out)
	}
	out, _, _ = runCLI(t, "", "simulate", "../../fixtures/event-pipeline", "--account", "123456789012", "--region", "eu-west-1",
		"--sns-topic", "arn:aws:sns:us-east-1:123456789012:acme-pipeline-billing-alerts", "--attr", "severity=critical")
	if !strings.Contains(out, `MATCH sns aws_sns_topic_subscription.billing_alerts`) {
		t.Fatalf("%s", out)
	}
}

// Values from the event reach the terminal without their escape sequences.
func TestEventTraceIsInertOnTheTerminal(t *testing.T) {
	doc := `{"Records":[{"eventSource":"aws:s3","eventName":"ObjectCreated:Put","s3":{"bucket":{"name":"acme-photos-uploads"},` +
		`"object":{"key":"docs/\u001b]8;;https://evil.example/\u0007x\u001b]8;;\u0007\u202e\u001b[2J.jpg"}}}]}`
	out, errOut, code := runCLI(t, doc, "simulate", "../../fixtures/thumbnails", "--event", "-")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if strings.ContainsAny(out, "\x1b\x07\u202e") || !strings.Contains(out, "why: s3.object.key") {
		t.Fatalf("%q", out)
	}
}

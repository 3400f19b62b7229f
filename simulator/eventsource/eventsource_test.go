package eventsource

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
)

func TestReference(t *testing.T) {
	r := Default()
	cases := []struct {
		typ, principal string
		sourceAccount  bool
	}{
		{"s3", "s3.amazonaws.com", true},
		{"sns", "sns.amazonaws.com", false},
		{"eventbridge", "events.amazonaws.com", false},
		{"schedule", "events.amazonaws.com", false},
		{"apigatewayv2", "apigateway.amazonaws.com", false},
		{"alb", "elasticloadbalancing.amazonaws.com", false},
		{"alarm", "lambda.alarms.cloudwatch.amazonaws.com", true},
		{"ses", "ses.amazonaws.com", true},
		{"cognito", "cognito-idp.amazonaws.com", false},
	}
	for _, c := range cases {
		p, ok := r.Push(c.typ)
		if !ok || p.Principal != c.principal || p.SourceAccountCondition != c.sourceAccount {
			t.Errorf("Push(%q) = %+v %v, want %s sourceAccount=%v", c.typ, p, ok, c.principal, c.sourceAccount)
		}
	}
	if _, ok := r.Push("sqs"); ok {
		t.Error("sqs is a poll source, not a push source")
	}
	sqs, ok := r.Poll("sqs")
	if !ok || !slices.Contains(sqs.Actions, "sqs:ReceiveMessage") || !slices.Contains(sqs.Actions, "sqs:DeleteMessage") || !sqs.KMSDecrypt {
		t.Errorf("Poll(sqs) = %+v", sqs)
	}
	ddb, _ := r.Poll("dynamodb")
	if !slices.Contains(ddb.Actions, "dynamodb:GetRecords") {
		t.Errorf("Poll(dynamodb) = %+v", ddb)
	}
	// ListStreams is in the managed policies only: advice, not a requirement.
	for _, typ := range []string{"dynamodb", "kinesis"} {
		p, _ := r.Poll(typ)
		if slices.Contains(p.Actions, typ+":ListStreams") || !slices.Equal(p.Advised, []string{typ + ":ListStreams"}) {
			t.Errorf("Poll(%s): actions %v, advised %v; want ListStreams advised only", typ, p.Actions, p.Advised)
		}
	}
	if sqs.Advised != nil {
		t.Errorf("Poll(sqs) advises %v; every SQS action is required", sqs.Advised)
	}
	sched, ok := r.RoleInvoker("scheduler")
	if !ok || sched.TrustPrincipal != "scheduler.amazonaws.com" || !slices.Contains(sched.Actions, "lambda:InvokeFunction") {
		t.Errorf("RoleInvoker(scheduler) = %+v", sched)
	}
	if got := r.DestinationActions("async", "sqs"); !slices.Equal(got, []string{"sqs:SendMessage"}) {
		t.Errorf("async sqs destination actions = %v", got)
	}
	if got := r.DestinationActions("dlq", "sns"); !slices.Equal(got, []string{"sns:Publish"}) {
		t.Errorf("dlq sns actions = %v", got)
	}
	if got := r.features["logging"]; !slices.Contains(got, "logs:PutLogEvents") {
		t.Errorf("logging actions = %v", got)
	}
}

// The embedded file must be what go generate makes from the shared data.
func TestGeneratedUpToDate(t *testing.T) {
	data := filepath.Join("..", "..", "..", "shared", "data")
	if _, err := os.Stat(filepath.Join(data, "lambda-event-sources.json")); err != nil {
		t.Skipf("reference data not present at %s: %v", data, err)
	}
	out := filepath.Join(t.TempDir(), "sources.json")
	cmd := exec.Command("go", "run", "./internal/gen", "-data", data, "-out", out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("generator: %v\n%s", err, b)
	}
	want, _ := os.ReadFile(out)
	if !bytes.Equal(want, sourcesJSON) {
		t.Fatal("sources.json is stale: run go generate ./simulator/eventsource")
	}
}

package cloudformation

import (
	"strings"
	"testing"
)

// An EventInvokeConfig destination of type SQS or SNS without a
// Destination gets a queue or topic of its own, and the generated role
// gets what each destination needs, as the SAM transform does.
func TestSAMEventInvokeConfigDestinations(t *testing.T) {
	const src = `
Transform: AWS::Serverless-2016-10-31
Resources:
  Sink:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      EventInvokeConfig:
        DestinationConfig:
          OnSuccess:
            Type: SQS
          OnFailure:
            Type: Lambda
            Destination: !GetAtt Sink.Arn
Outputs:
  Queue:
    Value: !GetAtt Worker.DestinationQueue.Arn
`
	inv := load(t, src, nil)
	w := fn(t, inv, "Worker")
	if len(w.AsyncConfigs) != 1 {
		t.Fatalf("async configs %+v", w.AsyncConfigs)
	}
	ac := w.AsyncConfigs[0]
	sink := fn(t, inv, "Sink")
	if ac.OnFailure != sink.ARN || !strings.HasPrefix(ac.OnSuccess, "arn:aws:sqs:eu-west-1:111122223333:") {
		t.Fatalf("destinations: on success %q, on failure %q", ac.OnSuccess, ac.OnFailure)
	}
	queueFound := false
	for _, r := range inv.Resources {
		if r.ARN == ac.OnSuccess && r.Address == "WorkerEventInvokeConfigOnSuccessQueue" {
			queueFound = true
		}
	}
	if !queueFound {
		t.Errorf("no generated queue with ARN %s", ac.OnSuccess)
	}
	r := role(t, inv, "WorkerRole")
	var docs []string
	for _, p := range r.InlinePolicies {
		docs = append(docs, string(p.Document))
	}
	all := strings.Join(docs, "\n")
	for _, want := range []string{`"sqs:SendMessage"`, ac.OnSuccess, `"lambda:InvokeFunction"`, sink.ARN} {
		if !strings.Contains(all, want) {
			t.Errorf("the generated role's policies lack %s:\n%s", want, all)
		}
	}
}

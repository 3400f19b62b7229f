package eventtrace

import (
	"testing"
)

// FuzzParseBatch: any document parses or fails with an error naming it;
// a batch never holds more than MaxRecords events nor more than its total.
func FuzzParseBatch(f *testing.F) {
	f.Add([]byte(`{"Records":[{"eventSource":"aws:sqs","eventSourceARN":"arn:aws:sqs:eu-west-1:1:q","body":"{}"},{"eventSource":"aws:sqs","eventSourceARN":"arn:aws:sqs:eu-west-1:1:q"}]}`))
	f.Add([]byte(`{"httpMethod":"GET","path":"/a","multiValueHeaders":{"host":["x"],"x-forwarded-for":["1.2.3.4, 5.6.7.8"]},"multiValueQueryStringParameters":{"a":["1","2"]},"requestContext":{"elb":{"targetGroupArn":"arn:tg"}}}`))
	f.Add([]byte(`{"logGroup":"/g","logEvents":[{"id":"1","message":"ERROR"}]}`))
	f.Fuzz(func(t *testing.T, doc []byte) {
		b, err := ParseBatch("e.json", doc, "")
		if err != nil {
			if len(err.Error()) < len("e.json: ") || err.Error()[:8] != "e.json: " {
				t.Fatalf("error does not name the document: %v", err)
			}
			return
		}
		if len(b.Events) == 0 || len(b.Events) > MaxRecords || b.Total < len(b.Events) {
			t.Fatalf("%d events of %d", len(b.Events), b.Total)
		}
		for _, e := range b.Events {
			if e.Kind == "alb" && e.ALB == nil {
				t.Fatal("an ALB event without its request")
			}
		}
	})
}

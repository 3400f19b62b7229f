package eventtrace

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
	"github.com/lambdacheck/lambdacheck/simulator/eventmatch"
	"github.com/lambdacheck/lambdacheck/simulator/flow"
)

func gz(s string) string {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write([]byte(s))
	w.Close()
	return base64.StdEncoding.EncodeToString(b.Bytes())
}

func TestParseEveryShape(t *testing.T) {
	logs := gz(`{"messageType":"DATA_MESSAGE","logGroup":"/aws/lambda/api","logEvents":[{"id":"1","message":"ERROR x"}]}`)
	for _, c := range []struct {
		doc, kind, source string
	}{
		{`{"Records":[{"eventSource":"aws:s3","eventName":"ObjectCreated:Put","s3":{"bucket":{"name":"b"},"object":{"key":"a+b.jpg"}}}]}`, "s3", "arn:aws:s3:::b"},
		{`{"Records":[{"EventSource":"aws:sns","Sns":{"TopicArn":"arn:aws:sns:eu-west-1:1:t","Message":"hi","MessageAttributes":{"k":{"Type":"String","Value":"v"}}}}]}`, "sns", "arn:aws:sns:eu-west-1:1:t"},
		{`{"TopicArn":"arn:aws:sns:eu-west-1:1:t","Message":"hi"}`, "sns", "arn:aws:sns:eu-west-1:1:t"},
		{`{"Records":[{"eventSource":"aws:sqs","eventSourceARN":"arn:aws:sqs:eu-west-1:1:q","body":"{\"a\":1}"}]}`, "sqs", "arn:aws:sqs:eu-west-1:1:q"},
		{`{"Records":[{"eventSource":"aws:kinesis","eventSourceARN":"arn:aws:kinesis:eu-west-1:1:stream/s","kinesis":{"partitionKey":"1","data":"eyJhIjoxfQ=="}}]}`, "kinesis", "arn:aws:kinesis:eu-west-1:1:stream/s"},
		{`{"Records":[{"eventSource":"aws:dynamodb","eventName":"INSERT","eventSourceARN":"arn:aws:dynamodb:eu-west-1:1:table/t/stream/2026","dynamodb":{}}]}`, "dynamodb", "arn:aws:dynamodb:eu-west-1:1:table/t/stream/2026"},
		{`{"version":"0","source":"acme","detail-type":"X","detail":{}}`, "eventbridge", ""},
		{`{"resource":"/pets","path":"/pets","httpMethod":"GET","requestContext":{"apiId":"abc","stage":"prod"}}`, "apigateway", ""},
		{`{"version":"2.0","routeKey":"GET /pets","rawPath":"/pets","requestContext":{"apiId":"abc","http":{"method":"GET","path":"/pets"}}}`, "apigateway", ""},
		{`{"version":"2.0","rawPath":"/","requestContext":{"domainName":"xyz.lambda-url.eu-west-1.on.aws","http":{"method":"POST","path":"/"}}}`, "function_url", ""},
		{`{"httpMethod":"GET","path":"/","requestContext":{"elb":{"targetGroupArn":"arn:aws:elasticloadbalancing:eu-west-1:1:targetgroup/t/1"}}}`, "alb", "arn:aws:elasticloadbalancing:eu-west-1:1:targetgroup/t/1"},
		{`{"topic":"sensors/s1/temp","payload":{"temperature":60}}`, "iot", ""},
		{`{"awslogs":{"data":"` + logs + `"}}`, "logs", ""},
		{`{"schedule":"arn:aws:scheduler:eu-west-1:1:schedule/default/nightly"}`, "scheduler", "arn:aws:scheduler:eu-west-1:1:schedule/default/nightly"},
		{`{"Source":"acme.orders","DetailType":"OrderPlaced","Detail":"{\"total\":5}","EventBusName":"arn:aws:events:eu-west-1:1:event-bus/orders"}`, "eventbridge", ""},
	} {
		e, err := Parse("event.json", []byte(c.doc), "")
		if err != nil {
			t.Errorf("%s: %v", c.doc, err)
			continue
		}
		if e.Kind != c.kind || e.Source != c.source || e.Summary == "" {
			t.Errorf("%s: got kind %q source %q summary %q", c.doc, e.Kind, e.Source, e.Summary)
		}
	}
}

func TestPutEventsEntry(t *testing.T) {
	e, err := Parse("e", []byte(`{"Source":"acme.orders","DetailType":"OrderPlaced","Detail":"{\"total\":5}","EventBusName":"arn:aws:events:eu-west-1:1:event-bus/orders"}`), "default")
	if err != nil {
		t.Fatal(err)
	}
	p, _ := eventmatch.Compile([]byte(`{"source":["acme.orders"],"detail":{"total":[{"numeric":[">",1]}]}}`), eventmatch.EventBridge)
	if e.Bus != "orders" || !p.Match(e.Doc).Matched() {
		t.Fatalf("%+v", e)
	}
}

func TestParseErrorsNameThePlace(t *testing.T) {
	for _, c := range []struct{ doc, want string }{
		{"[1]", "a JSON object"},
		{"{\n\"a\": }", "line 2"},
		{`{"Records":[]}`, "Records is empty"},
		{`{"what":"ever"}`, "not a recognised event shape"},
		{`{"awslogs":{"data":"!!"}}`, "not base64"},
	} {
		_, err := Parse("e.json", []byte(c.doc), "")
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "e.json: ") {
			t.Errorf("%s: %v", c.doc, err)
		}
	}
}

func TestShorthandTypesAttributes(t *testing.T) {
	e, err := Shorthand{SNSTopic: "alerts", Attrs: []string{"severity=high", "count=3", "tags=[\"a\",\"b\"]"}}.Build("123456789012", "eu-west-1")
	if err != nil {
		t.Fatal(err)
	}
	if e.Source != "arn:aws:sns:eu-west-1:123456789012:alerts" || e.SNSAttributes["count"].Type != "Number" || e.SNSAttributes["tags"].Type != "String.Array" || e.SNSAttributes["severity"].Type != "String" {
		t.Fatalf("%+v", e)
	}
	s3, _ := Shorthand{S3Event: "s3:ObjectCreated:Put", Bucket: "b", Key: "my cat.jpg"}.Build("", "")
	if s3.S3Key != "my+cat.jpg" || s3.S3EventName != "ObjectCreated:Put" {
		t.Fatalf("%+v", s3)
	}
}

// A small application: an S3 upload triggers fn-a, which writes to a
// queue polled by fn-b, which writes back to the bucket (a loop).
func loopApp() (*inventory.Inventory, *flow.Result) {
	bucket := "arn:aws:s3:::in"
	queue := "arn:aws:sqs:eu-west-1:1:q"
	a, b := "arn:aws:lambda:eu-west-1:1:function:a", "arn:aws:lambda:eu-west-1:1:function:b"
	inv := &inventory.Inventory{
		Functions: []inventory.Function{{Origin: inventory.Origin{Address: "fn.a"}, ARN: a}, {Origin: inventory.Origin{Address: "fn.b"}, ARN: b}},
		Triggers: []inventory.Trigger{
			{Origin: inventory.Origin{Address: "n.in"}, Service: "s3", SourceARN: bucket, FunctionARN: a, Enabled: true, Events: []string{"s3:ObjectCreated:*"}, Filter: &inventory.Filter{Prefix: "up/"}},
			{Origin: inventory.Origin{Address: "esm.q"}, Service: "sqs", SourceARN: queue, FunctionARN: b, Enabled: true},
		},
	}
	res := &flow.Result{Flows: []flow.Flow{
		{ID: "inv-a", Kind: flow.KindInvoke, Decision: flow.Allowed, Trigger: &flow.Trigger{Type: "s3", Address: "n.in", Source: flow.Ref{ARN: bucket}, Function: flow.FunctionRef{Ref: flow.Ref{ARN: a}}, Events: []string{"s3:ObjectCreated:*"}}},
		{ID: "inv-b", Kind: flow.KindInvoke, Decision: flow.Allowed, Trigger: &flow.Trigger{Type: "sqs", Address: "esm.q", Source: flow.Ref{ARN: queue}, Function: flow.FunctionRef{Ref: flow.Ref{ARN: b}}}},
		{ID: "a-q", Kind: flow.KindAccess, Decision: flow.Allowed, Function: &flow.FunctionRef{Ref: flow.Ref{ARN: a}}, Resource: &flow.Ref{ARN: queue}, Level: "Write", Actions: []string{"sqs:SendMessage"}},
		{ID: "a-in", Kind: flow.KindAccess, Decision: flow.Allowed, Function: &flow.FunctionRef{Ref: flow.Ref{ARN: a}}, Resource: &flow.Ref{ARN: bucket + "/up/*"}, Level: "Read", Actions: []string{"s3:GetObject"}},
		{ID: "b-in", Kind: flow.KindAccess, Decision: flow.Allowed, Function: &flow.FunctionRef{Ref: flow.Ref{ARN: b}}, Resource: &flow.Ref{ARN: "arn:aws:s3:::*"}, Outside: true, Level: "Write", Actions: []string{"s3:PutObject"}},
	}}
	return inv, res
}

func TestChainFollowsDerivedEventsAndStopsOnLoops(t *testing.T) {
	inv, res := loopApp()
	ev, _ := Shorthand{S3Event: "ObjectCreated:Put", Bucket: "in", Key: "up/x.png"}.Build("1", "eu-west-1")
	tr := Run(inv, res, ev, Options{Depth: 4})
	if len(tr.Triggers) != 1 || !tr.Triggers[0].Match.Matched() {
		t.Fatalf("%+v", tr.Triggers)
	}
	a := tr.Triggers[0]
	if a.Invoke == nil || a.Invoke.Flow != "inv-a" {
		t.Fatalf("invoke %+v", a.Invoke)
	}
	marks := map[string][]string{}
	for _, r := range a.Reach {
		marks[r.Flow] = r.Marks
	}
	if !contains(marks["a-in"], "event source") || !contains(marks["a-q"], "triggers next") {
		t.Fatalf("marks %+v", marks)
	}
	if len(a.Next) != 1 || a.Next[0].Event.Kind != "sqs" || len(a.Next[0].Triggers) != 1 {
		t.Fatalf("next %+v", a.Next)
	}
	b := a.Next[0].Triggers[0]
	if !b.Match.Matched() || b.Function != "fn.b" {
		t.Fatalf("hop %+v", b)
	}
	// fn.b writes any key to the bucket: fn.a's prefix filter makes it a
	// maybe, and the chain stops there as a loop.
	if len(b.Next) != 1 || len(b.Next[0].Triggers) != 1 {
		t.Fatalf("second hop %+v", b.Next)
	}
	back := b.Next[0]
	if back.Triggers[0].Match.Verdict != eventmatch.Unknown || !strings.Contains(back.Stopped, "loop") || back.Triggers[0].Next != nil {
		t.Fatalf("loop hop %+v", back)
	}
	// Depth 1: the first function only, the next hop is decided but not
	// followed.
	tr = Run(inv, res, ev, Options{Depth: 1})
	h := tr.Triggers[0].Next
	if len(h) != 1 || !strings.Contains(h[0].Stopped, "depth") || h[0].Triggers[0].Reach != nil {
		t.Fatalf("depth 1: %+v", h)
	}
}

func TestDeniedInvokeStopsTheTrace(t *testing.T) {
	inv, res := loopApp()
	res.Flows[0].Decision = flow.Denied
	ev, _ := Shorthand{S3Event: "ObjectCreated:Put", Bucket: "in", Key: "up/x.png"}.Build("1", "eu-west-1")
	tr := Run(inv, res, ev, Options{Depth: 4})
	if a := tr.Triggers[0]; a.Invoke.Decision != flow.Denied || a.Reach != nil || a.Next != nil {
		t.Fatalf("%+v", a)
	}
}

func TestKeyPatternDecidesDerivedS3Events(t *testing.T) {
	n := eventmatch.S3Notification{Events: []string{"s3:ObjectCreated:*"}, Prefix: "in/", Suffix: ".jpg"}
	if r := matchKeyPattern(n, "ObjectCreated:Put", keyPattern{"out/*"}); r.Verdict != eventmatch.NoMatch {
		t.Fatalf("out/* cannot reach in/: %+v", r)
	}
	if r := matchKeyPattern(n, "ObjectCreated:Put", keyPattern{"in/*.png"}); r.Verdict != eventmatch.NoMatch {
		t.Fatalf("*.png cannot end in .jpg: %+v", r)
	}
	if r := matchKeyPattern(n, "ObjectCreated:Put", keyPattern{"in/*"}); r.Verdict != eventmatch.Unknown {
		t.Fatalf("%+v", r)
	}
	if r := matchKeyPattern(n, "ObjectCreated:Put", keyPattern{"in/thumbs/*.jpg"}); r.Verdict != eventmatch.Match {
		t.Fatalf("every key under in/thumbs/ ending .jpg passes: %+v", r)
	}
	if r := matchKeyPattern(n, "ObjectCreated:Put", keyPattern{"*"}); r.Verdict != eventmatch.Unknown {
		t.Fatalf("%+v", r)
	}
	if r := matchKeyPattern(n, "ObjectCreated:Put", keyPattern{"in/a.jpg"}); r.Verdict != eventmatch.Match {
		t.Fatalf("%+v", r)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(`{"Records":[{"eventSource":"aws:s3","eventName":"ObjectCreated:Put","s3":{"bucket":{"name":"b"},"object":{"key":"k"}}}]}`))
	f.Add([]byte(`{"version":"0","source":"acme","detail-type":"X","detail":{}}`))
	f.Add([]byte(`{"topic":"a/b","payload":{"x":1}}`))
	f.Add([]byte(`{"version":"2.0","requestContext":{"http":{"method":"GET","path":"/"}}}`))
	f.Fuzz(func(t *testing.T, doc []byte) {
		e, err := Parse("fuzz.json", doc, "")
		if err != nil {
			return
		}
		inv, res := loopApp()
		tr := Run(inv, res, e, Options{Depth: 3})
		var b bytes.Buffer
		if err := WriteTree(&b, tr, nil); err != nil {
			t.Fatal(err)
		}
	})
}

func TestBatchTracesEveryRecordUpToTheCap(t *testing.T) {
	rec := func(i int) string {
		return fmt.Sprintf(`{"eventSource":"aws:sqs","eventSourceARN":"arn:aws:sqs:eu-west-1:1:q","body":"{\"n\":%d}"}`, i)
	}
	var recs []string
	for i := 0; i < MaxRecords+7; i++ {
		recs = append(recs, rec(i))
	}
	b, err := ParseBatch("e.json", []byte(`{"Records":[`+strings.Join(recs, ",")+`]}`), "")
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Events) != MaxRecords || b.Total != MaxRecords+7 {
		t.Fatalf("traced %d of %d", len(b.Events), b.Total)
	}
	fc, _ := eventmatch.CompileFilterCriteria([][]byte{[]byte(`{"body":{"n":[1]}}`)})
	if !fc.Match(b.Events[1].Doc).Matched() || fc.Match(b.Events[0].Doc).Matched() {
		t.Fatal("each record keeps its own body")
	}
	inv := &inventory.Inventory{Triggers: []inventory.Trigger{{Service: "sqs", Kind: "poll", SourceARN: "arn:aws:sqs:eu-west-1:1:q",
		FunctionARN: "arn:aws:lambda:eu-west-1:1:function:f", Enabled: true, Filter: &inventory.Filter{Patterns: []json.RawMessage{[]byte(`{"body":{"n":[1]}}`)}}}}}
	tr := RunBatch(inv, &flow.Result{}, b, Options{})
	if len(tr.Records) != MaxRecords || tr.RecordsTotal != MaxRecords+7 {
		t.Fatalf("records %d of %d", len(tr.Records), tr.RecordsTotal)
	}
	if tr.Records[1].Triggers[0].Match.Verdict != eventmatch.Match || tr.Records[2].Triggers[0].Match.Verdict != eventmatch.NoMatch {
		t.Fatal("each record is routed on its own")
	}
	var out strings.Builder
	if err := WriteTree(&out, tr, nil); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Event: 57 records, 50 traced", "records 50 to 56 are not", "Record 49: sqs record"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("tree lacks %q:\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), "Record 50:") {
		t.Error("a record past the cap is traced")
	}
	// A bad record is named by its index.
	if _, err := ParseBatch("e.json", []byte(`{"Records":[`+rec(0)+`,{"eventSource":"aws:sqs"}]}`), ""); err == nil || !strings.Contains(err.Error(), "Records[1]") {
		t.Errorf("got %v", err)
	}
}

func TestLogsSubscriptionDeliversOnlyMatchingLogEvents(t *testing.T) {
	data := gz(`{"messageType":"DATA_MESSAGE","logGroup":"/acme/api","logEvents":[` +
		`{"id":"1","message":"INFO ok"},{"id":"2","message":"ERROR boom"},{"id":"3","message":"ERROR timeout"}]}`)
	ev, err := Parse("e", []byte(`{"awslogs":{"data":"`+data+`"}}`), "")
	if err != nil {
		t.Fatal(err)
	}
	sub := func(pattern string) inventory.Trigger {
		return inventory.Trigger{Service: "logs", Kind: "push", SourceARN: "arn:aws:logs:eu-west-1:1:log-group:/acme/api:*",
			FunctionARN: "arn:aws:lambda:eu-west-1:1:function:f", Enabled: true, Filter: &inventory.Filter{Expression: pattern}}
	}
	for _, c := range []struct {
		pattern string
		verdict eventmatch.Verdict
		reason  string
	}{
		{"", eventmatch.Match, ""},
		{"ERROR", eventmatch.Match, "delivers 2 of 3 log events: 1, 2"},
		{"ERROR -timeout", eventmatch.Match, "delivers 1 of 3 log events: 1"},
		{"?INFO ?ERROR", eventmatch.Match, ""},
		{"WARN", eventmatch.NoMatch, `none of the 3 log events matches: the message does not contain "WARN"`},
		{"{ $.level = ERROR }", eventmatch.NoMatch, "not a JSON object"},
		{"{ $.level = ", eventmatch.Unknown, "does not compile"},
		{"<var.pattern>", eventmatch.Unknown, "not resolved"},
	} {
		inv := &inventory.Inventory{Triggers: []inventory.Trigger{sub(c.pattern)}}
		tr := Run(inv, &flow.Result{}, ev, Options{})
		m := tr.Triggers[0].Match
		if m.Verdict != c.verdict || !strings.Contains(m.Reason, c.reason) {
			t.Errorf("%q: got %+v", c.pattern, m)
		}
	}
}

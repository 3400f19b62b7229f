package eventmatch

import (
	"encoding/base64"
	"strings"
	"testing"
)

const (
	s3Filtering  = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-how-to-filtering.html"
	s3Types      = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-how-to-event-types-and-destinations.html"
	esmFiltering = "https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html"
	iotSQL       = "https://docs.aws.amazon.com/iot/latest/developerguide/iot-sql-from.html"
	httpRoutes   = "https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-routes.html"
	albRules     = "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html"
)

func TestS3EventNames(t *testing.T) {
	for _, c := range []struct {
		configured, event string
		want              bool
	}{
		{"s3:ObjectCreated:*", "ObjectCreated:Put", true},
		{"s3:ObjectCreated:*", "ObjectCreated:CompleteMultipartUpload", true},
		{"s3:ObjectCreated:Put", "ObjectCreated:Post", false},
		{"s3:ObjectRemoved:*", "ObjectCreated:Put", false},
		{"s3:ObjectRemoved:Delete", "s3:ObjectRemoved:Delete", true},
		{"s3:ObjectRestore:*", "ObjectRestore:Completed", true},
	} {
		if got := S3EventMatches(c.configured, c.event); got != c.want {
			t.Errorf("%s: %s vs %s = %v", s3Types, c.configured, c.event, got)
		}
	}
}

func TestS3KeyFilters(t *testing.T) {
	n := S3Notification{Events: []string{"s3:ObjectCreated:*"}, Prefix: "images/", Suffix: ".jpg"}
	if r := n.Match("ObjectCreated:Put", "images/cat.jpg"); !r.Matched() {
		t.Fatalf("%s: %+v", s3Filtering, r)
	}
	if r := n.Match("ObjectCreated:Put", "docs/cat.jpg"); r.Matched() || !strings.Contains(r.Reason, "prefix") {
		t.Fatalf("%+v", r)
	}
	if r := n.Match("ObjectCreated:Put", "images/cat.png"); r.Matched() || !strings.Contains(r.Reason, "suffix") {
		t.Fatalf("%+v", r)
	}
	if r := n.Match("ObjectRemoved:Delete", "images/cat.jpg"); r.Matched() || r.Field != "eventName" {
		t.Fatalf("%+v", r)
	}
	// Special characters: the filter is written URL-encoded and the key
	// arrives URL-encoded.
	enc := S3Notification{Events: []string{"s3:ObjectCreated:*"}, Prefix: "my+photos/"}
	if k := EncodeS3Key("my photos/a b.jpg"); k != "my+photos/a+b.jpg" {
		t.Fatalf("encoded %q", k)
	}
	if r := enc.Match("ObjectCreated:Put", EncodeS3Key("my photos/a.jpg")); !r.Matched() {
		t.Fatalf("%s: %+v", s3Filtering, r)
	}
	if r := n.Match("ObjectCreated:Put", UnknownValue{"the function names the key"}); r.Verdict != Unknown {
		t.Fatalf("%+v", r)
	}
	// Prefix and suffix may share characters on a short key.
	short := S3Notification{Events: []string{"s3:ObjectCreated:*"}, Prefix: "ab", Suffix: "bc"}
	if r := short.Match("ObjectCreated:Put", "abc"); !r.Matched() {
		t.Fatalf("%+v", r)
	}
}

func TestS3Overlaps(t *testing.T) {
	cfg := []S3Notification{
		{Events: []string{"s3:ObjectCreated:*"}, Prefix: "images/"},
		{Events: []string{"s3:ObjectCreated:Put"}, Prefix: "images/thumbs/"},
		{Events: []string{"s3:ObjectRemoved:*"}, Prefix: "images/"},
		{Events: []string{"s3:ObjectCreated:*"}, Prefix: "docs/"},
		{Events: []string{"s3:ObjectCreated:*"}, Suffix: ".pdf"},
		{Events: []string{"s3:ObjectCreated:*"}, Prefix: "images/", Suffix: ".png"},
	}
	got := S3Overlaps(cfg)
	want := map[[2]int]bool{{0, 1}: true, {0, 4}: true, {0, 5}: true, {1, 4}: true, {1, 5}: true, {3, 4}: true}
	// {4,5}: suffixes .pdf and .png do not overlap; {2,*}: other event type.
	if len(got) != len(want) {
		t.Fatalf("%s: got %+v", s3Filtering, got)
	}
	for _, o := range got {
		if !want[[2]int{o.A, o.B}] {
			t.Errorf("unexpected overlap %+v", o)
		}
	}
}

func TestESMFilterCriteria(t *testing.T) {
	f, err := CompileFilterCriteria([][]byte{
		[]byte(`{"body":{"RequestCode":["BBBB"]}}`),
		[]byte(`{"body":{"Temperature":[{"numeric":[">",0,"<=",100]}],"Location":["Oakland"]}}`),
	})
	if err != nil {
		t.Fatal(err)
	}
	rec := func(body string) map[string]any {
		return RecordView("aws:sqs", map[string]any{"messageId": "1", "body": body})
	}
	if r := f.Match(rec(`{"RequestCode":"BBBB"}`)); !r.Matched() {
		t.Fatalf("%s: %+v", esmFiltering, r)
	}
	if r := f.Match(rec(`{"Temperature":50,"Location":"Oakland"}`)); !r.Matched() {
		t.Fatalf("%s: %+v", esmFiltering, r)
	}
	if r := f.Match(rec(`{"Temperature":150,"Location":"Oakland"}`)); r.Matched() {
		t.Fatalf("%s: %+v", esmFiltering, r)
	}
	// A plain-text body only meets patterns on the raw string.
	plain, _ := CompileFilterCriteria([][]byte{[]byte(`{"body":[{"prefix":"ORDER"}]}`)})
	if r := plain.Match(rec("ORDER 42")); !r.Matched() {
		t.Fatalf("%s: %+v", esmFiltering, r)
	}
	if r := f.Match(rec("ORDER 42")); r.Matched() {
		t.Fatal("a JSON pattern matched a plain-text body")
	}
	// Kinesis: data is base64 JSON, filtered under "data".
	k, _ := CompileFilterCriteria([][]byte{[]byte(`{"partitionKey":["1"],"data":{"temperature":[{"numeric":[">=",100]}]}}`)})
	data := base64.StdEncoding.EncodeToString([]byte(`{"temperature":120}`))
	kr := RecordView("aws:kinesis", map[string]any{"eventSource": "aws:kinesis", "kinesis": map[string]any{"partitionKey": "1", "data": data}})
	if r := k.Match(kr); !r.Matched() {
		t.Fatalf("%s: %+v", esmFiltering, r)
	}
	// DynamoDB records are filtered as delivered.
	d, _ := CompileFilterCriteria([][]byte{[]byte(`{"eventName":["INSERT"],"dynamodb":{"NewImage":{"status":{"S":["open"]}}}}`)})
	dr := map[string]any{"eventName": "MODIFY", "dynamodb": map[string]any{"NewImage": map[string]any{"status": map[string]any{"S": "open"}}}}
	if r := d.Match(RecordView("aws:dynamodb", dr)); r.Matched() || r.Field != "eventName" {
		t.Fatalf("%s: %+v", esmFiltering, r)
	}
}

func TestIoTTopicFilters(t *testing.T) {
	for _, c := range []struct {
		filter, topic string
		want          bool
	}{
		{"sensors/+/temp", "sensors/s1/temp", true},
		{"sensors/+/temp", "sensors/s1/humidity", false},
		{"sensors/#", "sensors/s1/temp", true},
		{"sensors/#", "sensors", true},
		{"sensors/+", "sensors/a/b", false},
		{"#", "$aws/things/x/shadow/update", false},
		{"$aws/things/+/shadow/update", "$aws/things/x/shadow/update", true},
	} {
		if got := TopicMatches(c.filter, c.topic); got != c.want {
			t.Errorf("%s: %s vs %s = %v", iotSQL, c.filter, c.topic, got)
		}
	}
}

func TestIoTWhere(t *testing.T) {
	r, err := ParseIoTSQL(`SELECT temperature, topic(2) AS device FROM 'sensors/+/temp' WHERE temperature > 50 AND (unit = 'C' OR NOT calibrated = true) AND topic(2) <> 'test'`)
	if err != nil {
		t.Fatal(err)
	}
	if r.Topic != "sensors/+/temp" {
		t.Fatal(r.Topic)
	}
	hot := map[string]any{"temperature": 60.0, "unit": "C", "calibrated": true}
	if res := r.Match("sensors/s1/temp", hot); !res.Matched() {
		t.Fatalf("%+v", res)
	}
	if res := r.Match("sensors/test/temp", hot); res.Matched() {
		t.Fatal("topic(2) <> 'test' ignored")
	}
	cold := map[string]any{"temperature": 20.0, "unit": "C"}
	if res := r.Match("sensors/s1/temp", cold); res.Matched() || res.Field != "WHERE" {
		t.Fatalf("%+v", res)
	}
	missing := map[string]any{"unit": "C"}
	if res := r.Match("sensors/s1/temp", missing); res.Matched() {
		t.Fatal("an undefined field compared true")
	}
	if res := r.Match("other/topic", hot); res.Matched() || res.Field != "topic" {
		t.Fatalf("%+v", res)
	}
	for _, bad := range []string{"", "SELECT *", "SELECT * FROM sensors", "SELECT * FROM 'a/#/b'", "SELECT * FROM 'a' WHERE (x = 1", "SELECT * FROM 'a' WHERE upper(x) = 'A'", "SELECT * FROM 'a' WHERE x ="} {
		if _, err := ParseIoTSQL(bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}

func TestRoutes(t *testing.T) {
	for _, c := range []struct {
		key, method, path string
		want              bool
	}{
		{"GET /pets", "GET", "/pets", true},
		{"GET /pets", "POST", "/pets", false},
		{"ANY /pets", "DELETE", "/pets", true},
		{"GET /pets/{petID}", "GET", "/pets/7", true},
		{"GET /pets/{petID}", "GET", "/pets/7/toys", false},
		{"GET /pets/{proxy+}", "GET", "/pets/7/toys", true},
		{"GET /pets/{proxy+}", "GET", "/pets", false},
		{"ANY /{proxy+}", "PUT", "/a/b/c", true},
		{"$default", "PATCH", "/anything", true},
	} {
		r, err := ParseRoute(c.key)
		if err != nil {
			t.Fatal(err)
		}
		if got := r.Match(c.method, c.path); got.Matched() != c.want {
			t.Errorf("%s: %s vs %s %s = %+v", httpRoutes, c.key, c.method, c.path, got)
		}
	}
	// The most specific route wins.
	a, _ := ParseRoute("GET /pets/dog/{id}")
	b, _ := ParseRoute("GET /pets/{proxy+}")
	d, _ := ParseRoute("$default")
	any, _ := ParseRoute("ANY /pets/dog/{id}")
	if !(a.Specificity() > b.Specificity() && b.Specificity() > d.Specificity() && a.Specificity() > any.Specificity()) {
		t.Fatalf("%s: specificity order wrong", httpRoutes)
	}
	if _, err := ParseRoute("GET /{proxy+}/x"); err == nil {
		t.Error("a greedy segment in the middle parsed")
	}
}

func TestALBConditions(t *testing.T) {
	req := ALBRequest{Method: "GET", Host: "API.example.com", Path: "/img/cat.png", Headers: map[string][]string{"User-Agent": {"Mobile Safari"}}, Query: map[string][]string{"version": {"v2"}}, SourceIP: "10.1.2.3"}
	ok := []ALBCondition{
		{Field: "path-pattern", Values: []string{"/img/*.png"}},
		{Field: "host-header", Values: []string{"*.example.com"}},
		{Field: "http-header", Header: "user-agent", Values: []string{"*Mobile*"}},
		{Field: "http-request-method", Values: []string{"GET", "HEAD"}},
		{Field: "query-string", Query: [][2]string{{"version", "v?"}}},
		{Field: "source-ip", Values: []string{"10.0.0.0/8"}},
	}
	if r := MatchALB(ok, req); !r.Matched() {
		t.Fatalf("%s: %+v", albRules, r)
	}
	if r := MatchALB([]ALBCondition{{Field: "path-pattern", Values: []string{"/IMG/*"}}}, req); r.Matched() {
		t.Fatalf("%s: path patterns are case-sensitive", albRules)
	}
	if r := MatchALB([]ALBCondition{{Field: "http-request-method", Values: []string{"POST"}}}, req); r.Matched() || r.Field != "http-request-method" {
		t.Fatalf("%+v", r)
	}
}

// The comparison operators table of the Lambda event filtering guide, over
// an SQS body.
func TestESMOperatorTable(t *testing.T) {
	for _, c := range []struct {
		name, pattern, body string
		want                bool
	}{
		{"null", `{"UserID":[null]}`, `{"UserID":null}`, true},
		{"null, a value", `{"UserID":[null]}`, `{"UserID":"u1"}`, false},
		{"empty", `{"LastName":[""]}`, `{"LastName":""}`, true},
		{"empty, a value", `{"LastName":[""]}`, `{"LastName":"Doe"}`, false},
		{"equals", `{"Name":["Alice"]}`, `{"Name":"Alice"}`, true},
		{"equals, other case", `{"Name":["Alice"]}`, `{"Name":"alice"}`, false},
		{"equals ignore case", `{"Name":[{"equals-ignore-case":"alice"}]}`, `{"Name":"ALICE"}`, true},
		{"and", `{"Location":["New York"],"Day":["Monday"]}`, `{"Location":"New York","Day":"Monday"}`, true},
		{"and, one differs", `{"Location":["New York"],"Day":["Monday"]}`, `{"Location":"New York","Day":"Friday"}`, false},
		{"or", `{"PaymentType":["Credit","Debit"]}`, `{"PaymentType":"Debit"}`, true},
		{"or, neither", `{"PaymentType":["Credit","Debit"]}`, `{"PaymentType":"Cash"}`, false},
		{"or across fields", `{"$or":[{"Location":["New York"]},{"Day":["Monday"]}]}`, `{"Location":"Boston","Day":"Monday"}`, true},
		{"or across fields, neither", `{"$or":[{"Location":["New York"]},{"Day":["Monday"]}]}`, `{"Location":"Boston","Day":"Friday"}`, false},
		{"not", `{"Weather":[{"anything-but":["Raining"]}]}`, `{"Weather":"Sunny"}`, true},
		{"not, equal", `{"Weather":[{"anything-but":["Raining"]}]}`, `{"Weather":"Raining"}`, false},
		{"numeric equals", `{"Price":[{"numeric":["=",100]}]}`, `{"Price":100}`, true},
		{"numeric range", `{"Price":[{"numeric":[">",10,"<=",20]}]}`, `{"Price":20}`, true},
		{"numeric range, out", `{"Price":[{"numeric":[">",10,"<=",20]}]}`, `{"Price":10}`, false},
		{"exists", `{"ProductName":[{"exists":true}]}`, `{"ProductName":"x"}`, true},
		{"does not exist", `{"ProductName":[{"exists":false}]}`, `{"Other":"x"}`, true},
		{"does not exist, present", `{"ProductName":[{"exists":false}]}`, `{"ProductName":"x"}`, false},
		{"begins with", `{"Region":[{"prefix":"us-"}]}`, `{"Region":"us-east-1"}`, true},
		{"begins with, other", `{"Region":[{"prefix":"us-"}]}`, `{"Region":"eu-west-1"}`, false},
		{"ends with", `{"FileName":[{"suffix":".png"}]}`, `{"FileName":"a.png"}`, true},
		{"ends with, other", `{"FileName":[{"suffix":".png"}]}`, `{"FileName":"a.gif"}`, false},
	} {
		f, err := CompileFilterCriteria([][]byte{[]byte(`{"body":` + c.pattern + `}`)})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		r := f.Match(RecordView("aws:sqs", map[string]any{"body": c.body}))
		if r.Matched() != c.want {
			t.Errorf("%s: %s: %s vs %s = %+v", esmFiltering, c.name, c.pattern, c.body, r)
		}
	}
}

package eventtrace

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/lambdacheck/lambdacheck/simulator/eventmatch"
)

// Event is one concrete event, normalised: what kind of source sends it,
// which resource sent it, and the fields the routing rules of that source
// look at. Fields the simulation cannot know (in derived events) hold
// eventmatch.UnknownValue.
type Event struct {
	// Kind is the trigger type that delivers it: s3, sns, sqs, kinesis,
	// dynamodb, eventbridge, scheduler, apigateway, function_url, alb, iot,
	// logs.
	Kind string `json:"kind"`
	// Source is the ARN of the sending resource where the event names it
	// (bucket, topic, queue, stream, log group, API, target group).
	Source string `json:"source,omitempty"`
	// Summary is one line for people.
	Summary string `json:"summary"`
	// Derived is set for events the trace made up from a function's write;
	// Cause says which write.
	Derived bool   `json:"derived,omitempty"`
	Cause   string `json:"cause,omitempty"`

	// Bus is the EventBridge bus name ("default" unless told).
	Bus string `json:"bus,omitempty"`
	// Doc is the document patterns are matched against: the EventBridge
	// event, an SNS message's attributes, a stream or queue record.
	Doc any `json:"-"`

	S3EventName string `json:"s3_event_name,omitempty"`
	S3Key       any    `json:"-"` // URL-encoded key, or UnknownValue

	SNSAttributes map[string]eventmatch.Attribute `json:"-"`
	SNSMessage    any                             `json:"-"` // string or UnknownValue

	Method, Path, Stage, APIID, Domain string `json:"-"`
	// HTTPAPI is set for payload format 2.0, which only HTTP APIs and
	// function URLs send.
	HTTPAPI bool `json:"-"`

	// ALB is an ALB request's routing fields.
	ALB *eventmatch.ALBRequest `json:"-"`

	Topic   string `json:"topic,omitempty"`
	Payload any    `json:"-"`

	LogGroup string `json:"log_group,omitempty"`
	// Resources are an EventBridge event's resources (a scheduled event
	// names its rule there).
	Resources []string `json:"-"`
	// Text is the event's own text, to see which resources it names.
	Text string `json:"-"`
}

// maxEvent bounds an event document.
const maxEvent = 1 << 20

// Parse reads an event document in any of the shapes Lambda receives, or
// an EventBridge event, or an IoT message written as {"topic": …,
// "payload": …}. Of a records list ("Records": [...]) it returns the
// first record; ParseBatch returns them all. name is used in errors.
func Parse(name string, doc []byte, bus string) (Event, error) {
	b, err := parseBatch(name, doc, bus, 1)
	if err != nil {
		return Event{}, err
	}
	return b.Events[0], nil
}

// Batch is an event document's records: S3, SQS, SNS, Kinesis and
// DynamoDB Streams deliver several in one invocation.
type Batch struct {
	// Events are the records traced, in document order.
	Events []Event
	// Total counts the records in the document (more than len(Events)
	// when the document holds more than MaxRecords).
	Total int
}

// MaxRecords bounds the records of one document that are traced: each
// is routed through every trigger, and past a few dozen the output stops
// being readable.
const MaxRecords = 50

// ParseBatch reads an event document as Parse does, keeping every record
// of a records list, up to MaxRecords.
func ParseBatch(name string, doc []byte, bus string) (Batch, error) {
	return parseBatch(name, doc, bus, MaxRecords)
}

func parseBatch(name string, doc []byte, bus string, limit int) (Batch, error) {
	if len(doc) > maxEvent {
		return Batch{}, fmt.Errorf("%s: event larger than %d bytes", name, maxEvent)
	}
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return Batch{}, fmt.Errorf("%s: not a JSON event: %s", name, jsonErr(doc, err))
	}
	m, ok := v.(map[string]any)
	if !ok {
		return Batch{}, fmt.Errorf("%s: an event is a JSON object", name)
	}
	recs, isList := m["Records"].([]any)
	if !isList {
		e, err := fromMap(m, bus)
		if err != nil {
			return Batch{}, fmt.Errorf("%s: %w", name, err)
		}
		e.Text = string(doc)
		return Batch{Events: []Event{e}, Total: 1}, nil
	}
	if len(recs) == 0 {
		return Batch{}, fmt.Errorf("%s: Records is empty", name)
	}
	b := Batch{Total: len(recs)}
	for i, r := range recs[:min(len(recs), limit)] {
		rm, ok := r.(map[string]any)
		if !ok {
			return Batch{}, fmt.Errorf("%s: Records[%d] is not an object", name, i)
		}
		e, err := fromMap(rm, bus)
		if err != nil {
			return Batch{}, fmt.Errorf("%s: Records[%d]: %w", name, i, err)
		}
		if len(recs) == 1 {
			e.Text = string(doc)
		} else {
			// A record's own text decides what it names, not its
			// neighbours'.
			raw, _ := json.Marshal(rm)
			e.Text = string(raw)
		}
		b.Events = append(b.Events, e)
	}
	return b, nil
}

// jsonErr locates a JSON syntax error by line and column, without
// quoting the document.
func jsonErr(doc []byte, err error) string {
	var se *json.SyntaxError
	off := int64(-1)
	if e, ok := err.(*json.SyntaxError); ok {
		se = e
		off = se.Offset
	}
	if off < 0 {
		return err.Error()
	}
	line, col := 1, 1
	for _, c := range doc[:min(int(off), len(doc))] {
		if c == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	// The decoder's message quotes the offending character: the position
	// says enough without echoing the document.
	return fmt.Sprintf("line %d, column %d: invalid JSON", line, col)
}

func str(m map[string]any, path ...string) string {
	var v any = m
	for _, k := range path {
		mm, ok := v.(map[string]any)
		if !ok {
			return ""
		}
		v = mm[k]
	}
	s, _ := v.(string)
	return s
}

func fromMap(m map[string]any, bus string) (Event, error) {
	if bus == "" {
		bus = "default"
	}
	src := str(m, "eventSource")
	if src == "" {
		src = str(m, "EventSource")
	}
	switch {
	case src == "aws:s3":
		bucket := str(m, "s3", "bucket", "name")
		arn := str(m, "s3", "bucket", "arn")
		if arn == "" && bucket != "" {
			arn = "arn:aws:s3:::" + bucket
		}
		key := str(m, "s3", "object", "key")
		name := str(m, "eventName")
		if arn == "" || name == "" {
			return Event{}, fmt.Errorf("S3 record needs eventName and s3.bucket")
		}
		return Event{Kind: "s3", Source: arn, S3EventName: name, S3Key: key,
			Summary: fmt.Sprintf("S3 %s s3://%s/%s", name, strings.TrimPrefix(arn, "arn:aws:s3:::"), key)}, nil
	case src == "aws:sns" || m["TopicArn"] != nil:
		msg := m
		if s, ok := m["Sns"].(map[string]any); ok {
			msg = s
		}
		topic := str(msg, "TopicArn")
		if topic == "" {
			return Event{}, fmt.Errorf("SNS message needs TopicArn")
		}
		raw, _ := json.Marshal(msg["MessageAttributes"])
		attrs, err := eventmatch.ParseAttributes(raw)
		if err != nil {
			return Event{}, err
		}
		return Event{Kind: "sns", Source: topic, SNSAttributes: attrs, SNSMessage: str(msg, "Message"),
			Summary: fmt.Sprintf("SNS message on %s with %d attribute(s)", topic, len(attrs))}, nil
	case src == "aws:sqs", src == "aws:kinesis", src == "aws:dynamodb":
		kind := strings.TrimPrefix(src, "aws:")
		arn := str(m, "eventSourceARN")
		if arn == "" {
			return Event{}, fmt.Errorf("%s record needs eventSourceARN", kind)
		}
		// The record's own id tells the records of a batch apart.
		id := firstNonEmpty(str(m, "messageId"), str(m, "eventID"))
		if id != "" {
			id += " "
		}
		return Event{Kind: kind, Source: arn, Doc: eventmatch.RecordView(src, m),
			Summary: fmt.Sprintf("%s record %sfrom %s", kind, id, arn)}, nil
	case m["awslogs"] != nil:
		data := str(m, "awslogs", "data")
		inner, err := decodeLogs(data)
		if err != nil {
			return Event{}, err
		}
		return fromLogs(inner)
	case m["logGroup"] != nil && m["logEvents"] != nil:
		return fromLogs(m)
	case m["DetailType"] != nil && m["Source"] != nil:
		// A PutEvents entry: the detail is a JSON string, the bus named.
		detail := any(map[string]any{})
		if d := str(m, "Detail"); d != "" {
			v, err := decodeJSON([]byte(d))
			if err != nil {
				return Event{}, fmt.Errorf("PutEvents entry: Detail is not JSON")
			}
			detail = v
		}
		if b := str(m, "EventBusName"); b != "" {
			bus = b[strings.LastIndex(b, "/")+1:]
		}
		ev := map[string]any{"version": "0", "source": str(m, "Source"), "detail-type": str(m, "DetailType"), "detail": detail}
		if rs, ok := m["Resources"].([]any); ok {
			ev["resources"] = rs
		}
		return fromMap(ev, bus)
	case m["detail-type"] != nil && m["source"] != nil:
		src := str(m, "source")
		e := Event{Kind: "eventbridge", Bus: bus, Doc: m,
			Summary: fmt.Sprintf("EventBridge event %q from %s on bus %s", str(m, "detail-type"), src, bus)}
		if rs, ok := m["resources"].([]any); ok {
			for _, r := range rs {
				if s, ok := r.(string); ok {
					e.Resources = append(e.Resources, s)
				}
			}
		}
		return e, nil
	case m["topic"] != nil && m["payload"] != nil || m["topic"] != nil && len(m) == 1:
		t := str(m, "topic")
		if t == "" {
			return Event{}, fmt.Errorf("IoT message: topic must be a string")
		}
		return Event{Kind: "iot", Topic: t, Payload: m["payload"], Summary: "IoT message on " + t}, nil
	case m["schedule"] != nil:
		s := str(m, "schedule")
		return Event{Kind: "scheduler", Source: s, Summary: "schedule tick of " + s}, nil
	case str(m, "requestContext", "elb", "targetGroupArn") != "":
		tg := str(m, "requestContext", "elb", "targetGroupArn")
		req := albRequest(m)
		summary := fmt.Sprintf("ALB request %s %s", req.Method, req.Path)
		if req.Host != "" {
			summary += " for host " + req.Host
		}
		return Event{Kind: "alb", Source: tg, Method: req.Method, Path: req.Path, ALB: &req,
			Summary: summary + " (the event names target group " + tg + ")"}, nil
	case str(m, "version") == "2.0" || str(m, "httpMethod") != "":
		return fromHTTP(m)
	}
	return Event{}, fmt.Errorf("not a recognised event shape (S3, SNS, SQS, Kinesis, DynamoDB, EventBridge, API Gateway, function URL, ALB, IoT, CloudWatch Logs, schedule)")
}

func decodeJSON(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	err := dec.Decode(&v)
	return v, err
}

func decodeLogs(data string) (map[string]any, error) {
	b, err := base64.StdEncoding.DecodeString(data)
	if err != nil {
		return nil, fmt.Errorf("awslogs.data is not base64")
	}
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("awslogs.data is not gzip")
	}
	plain, err := io.ReadAll(io.LimitReader(zr, maxEvent+1))
	if err != nil || len(plain) > maxEvent {
		return nil, fmt.Errorf("awslogs.data does not decompress within %d bytes", maxEvent)
	}
	var m map[string]any
	if err := json.Unmarshal(plain, &m); err != nil {
		return nil, fmt.Errorf("awslogs.data is not JSON")
	}
	return m, nil
}

func fromLogs(m map[string]any) (Event, error) {
	g := str(m, "logGroup")
	if g == "" {
		return Event{}, fmt.Errorf("CloudWatch Logs data needs logGroup")
	}
	n := 0
	if list, ok := m["logEvents"].([]any); ok {
		n = len(list)
	}
	return Event{Kind: "logs", LogGroup: g, Doc: m, Summary: fmt.Sprintf("%d CloudWatch Logs event(s) from %s", n, g)}, nil
}

func fromHTTP(m map[string]any) (Event, error) {
	e := Event{Kind: "apigateway"}
	if str(m, "version") == "2.0" {
		e.HTTPAPI = true
		e.Method = str(m, "requestContext", "http", "method")
		e.Path = str(m, "requestContext", "http", "path")
		if e.Path == "" {
			e.Path = str(m, "rawPath")
		}
	} else {
		e.Method = str(m, "httpMethod")
		e.Path = str(m, "path")
	}
	e.Stage = str(m, "requestContext", "stage")
	e.APIID = str(m, "requestContext", "apiId")
	e.Domain = str(m, "requestContext", "domainName")
	if strings.Contains(e.Domain, ".lambda-url.") {
		e.Kind = "function_url"
		e.Summary = fmt.Sprintf("function URL request %s %s to %s", e.Method, e.Path, e.Domain)
		return e, nil
	}
	if e.Method == "" || e.Path == "" {
		return Event{}, fmt.Errorf("HTTP request needs a method and a path")
	}
	e.Summary = fmt.Sprintf("API Gateway request %s %s", e.Method, e.Path)
	if e.APIID != "" {
		e.Summary += " to API " + e.APIID
	}
	return e, nil
}

// Shorthand builds an event from command-line fields.
type Shorthand struct {
	S3Event, Bucket, Key string
	SNSTopic             string
	Attrs                []string // k=v
	Message              string   // the SNS message body
	Source, DetailType   string
	Detail               string // JSON
	Bus                  string
}

// Build makes the event the shorthand describes.
func (s Shorthand) Build(account, region string) (Event, error) {
	switch {
	case s.S3Event != "":
		if s.Bucket == "" || s.Key == "" {
			return Event{}, fmt.Errorf("--s3 needs --bucket and --key")
		}
		name := strings.TrimPrefix(s.S3Event, "s3:")
		key := eventmatch.EncodeS3Key(s.Key)
		return Event{Kind: "s3", Source: "arn:aws:s3:::" + s.Bucket, S3EventName: name, S3Key: key,
			Summary: fmt.Sprintf("S3 %s s3://%s/%s", name, s.Bucket, key), Text: s.Bucket + " " + s.Key}, nil
	case s.SNSTopic != "":
		arn := s.SNSTopic
		if !strings.HasPrefix(arn, "arn:") {
			arn = fmt.Sprintf("arn:aws:sns:%s:%s:%s", region, account, arn)
		}
		attrs := map[string]eventmatch.Attribute{}
		for _, kv := range s.Attrs {
			k, v, ok := strings.Cut(kv, "=")
			if !ok || k == "" {
				return Event{}, fmt.Errorf("--attr %q: want NAME=VALUE", kv)
			}
			attrs[k] = attrValue(v)
		}
		return Event{Kind: "sns", Source: arn, SNSAttributes: attrs, SNSMessage: s.Message,
			Summary: fmt.Sprintf("SNS message on %s with %d attribute(s)", arn, len(attrs)), Text: arn}, nil
	case s.Source != "" || s.DetailType != "":
		if s.Source == "" || s.DetailType == "" {
			return Event{}, fmt.Errorf("--eventbridge-source and --detail-type go together")
		}
		detail := any(map[string]any{})
		if s.Detail != "" {
			dec := json.NewDecoder(strings.NewReader(s.Detail))
			dec.UseNumber()
			if err := dec.Decode(&detail); err != nil {
				return Event{}, fmt.Errorf("--detail: not JSON")
			}
		}
		doc := map[string]any{"version": "0", "source": s.Source, "detail-type": s.DetailType,
			"account": account, "region": region, "resources": []any{}, "detail": detail}
		b, _ := json.Marshal(doc)
		return Parse("shorthand", b, s.Bus)
	}
	return Event{}, fmt.Errorf("no event given")
}

// attrValue types an --attr value: a number is a Number, a JSON array a
// String.Array, anything else a String.
func attrValue(v string) eventmatch.Attribute {
	if strings.HasPrefix(v, "[") {
		var a []any
		if json.Unmarshal([]byte(v), &a) == nil {
			return eventmatch.Attribute{Type: "String.Array", Value: v}
		}
	}
	var n json.Number
	if json.Unmarshal([]byte(v), &n) == nil {
		return eventmatch.Attribute{Type: "Number", Value: v}
	}
	return eventmatch.Attribute{Type: "String", Value: v}
}

// bucketOf is the bucket ARN of an S3 ARN (bucket or object).
func bucketOf(arn string) string {
	rest, ok := strings.CutPrefix(arn, "arn:aws:s3:::")
	if !ok {
		return arn
	}
	if i := strings.IndexByte(rest, '/'); i >= 0 {
		rest = rest[:i]
	}
	return "arn:aws:s3:::" + rest
}

// albRequest reads what listener rules look at from an ALB event: with
// multi-value headers enabled the event carries multiValueHeaders and
// multiValueQueryStringParameters instead of headers and
// queryStringParameters.
func albRequest(m map[string]any) eventmatch.ALBRequest {
	req := eventmatch.ALBRequest{Method: str(m, "httpMethod"), Path: str(m, "path"),
		Headers: multiMap(m, "headers", "multiValueHeaders"), Query: multiMap(m, "queryStringParameters", "multiValueQueryStringParameters")}
	for k, vs := range req.Headers {
		switch strings.ToLower(k) {
		case "host":
			if len(vs) > 0 {
				req.Host = vs[0]
			}
		case "x-forwarded-for":
			// The load balancer appends the address it received the
			// request from: the last entry is the source a source-ip
			// condition sees.
			if len(vs) > 0 {
				all := strings.Split(vs[len(vs)-1], ",")
				req.SourceIP = strings.TrimSpace(all[len(all)-1])
			}
		}
	}
	return req
}

func multiMap(m map[string]any, single, multi string) map[string][]string {
	out := map[string][]string{}
	if mm, ok := m[multi].(map[string]any); ok {
		for k, v := range mm {
			if list, ok := v.([]any); ok {
				for _, x := range list {
					if s, ok := x.(string); ok {
						out[k] = append(out[k], s)
					}
				}
			}
		}
	}
	if sm, ok := m[single].(map[string]any); ok {
		for k, v := range sm {
			if s, ok := v.(string); ok {
				out[k] = append(out[k], s)
			}
		}
	}
	return out
}

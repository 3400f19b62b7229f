package eventmatch

import (
	"strings"
	"testing"
)

// Pages the cases come from.
const (
	ebContent   = "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-content-based-filtering.html"
	ebOperators = "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html"
	ebArrays    = "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-arrays.html"
	ebNull      = "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-null-values.html"
	ebPatterns  = "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html"
	// The matching library EventBridge uses documents array consistency.
	ebRuler = "https://github.com/aws/event-ruler#json-array-matching"
)

const employees = `{"employees":[{"firstName":"John","lastName":"Doe"},{"firstName":"Anna","lastName":"Smith"},{"firstName":"Peter","lastName":"Jones"}]}`

// ec2Event is the EC2 state-change event the EventBridge guide uses.
const ec2Event = `{
  "version": "0",
  "id": "7bf73129-1428-4cd3-a780-95db273d1602",
  "detail-type": "EC2 Instance State-change Notification",
  "source": "aws.ec2",
  "account": "123456789012",
  "time": "2015-11-11T21:29:54Z",
  "region": "us-east-1",
  "resources": ["arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111"],
  "detail": {"instance-id": "i-abcd1111", "state": "pending"}
}`

type patternCase struct {
	name, page, pattern, event string
	want                       bool
}

var eventBridgeCases = []patternCase{
	// Event pattern basics.
	{"source and detail-type", ebPatterns, `{"source":["aws.ec2"],"detail-type":["EC2 Instance State-change Notification"]}`, ec2Event, true},
	{"source differs", ebPatterns, `{"source":["aws.s3"]}`, ec2Event, false},
	{"nested detail state one of", ebPatterns, `{"detail":{"state":["running","pending"]}}`, ec2Event, true},
	{"nested detail state none of", ebPatterns, `{"detail":{"state":["running","stopped"]}}`, ec2Event, false},
	{"values are case-sensitive", ebPatterns, `{"source":["AWS.EC2"]}`, ec2Event, false},
	{"pattern field missing from event", ebPatterns, `{"detail":{"reason":["x"]}}`, ec2Event, false},
	{"source one of two", ebPatterns, `{"source":["aws.ec2","aws.fargate"]}`, ec2Event, true},
	{"autoscaling null field", ebPatterns, `{"source":["aws.autoscaling"],"detail-type":["EC2 Instance Launch Successful"],"detail":{"responseElements":[null]}}`, `{"source":"aws.autoscaling","detail-type":"EC2 Instance Launch Successful","resources":[],"detail":{"eventVersion":"","responseElements":null}}`, true},
	{"macie risk numbers", ebPatterns, `{"source":["aws.macie"],"detail-type":["Macie Alert"],"detail":{"risk-score":[80],"trigger":{"risk":[8]}}}`, `{"source":"aws.macie","detail-type":"Macie Alert","detail":{"risk-score":80,"tags":["Custom_Alert","Insider"],"trigger":{"alert-type":"basic","risk":8}}}`, true},
	{"macie risk differs", ebPatterns, `{"source":["aws.macie"],"detail":{"risk-score":[80],"trigger":{"risk":[8]}}}`, `{"source":"aws.macie","detail":{"risk-score":80,"trigger":{"risk":9}}}`, false},
	{"numbers compare as text: 300", ebPatterns, `{"x":[300]}`, `{"x":300}`, true},
	{"numbers compare as text: 300.0", ebPatterns, `{"x":[300]}`, `{"x":300.0}`, false},
	{"numbers compare as text: 3.0e2", ebPatterns, `{"x":[300]}`, `{"x":3.0e2}`, false},
	{"numeric = compares values", ebContent, `{"x":[{"numeric":["=",300]}]}`, `{"x":3.0e2}`, true},
	// Prefix.
	{"prefix on time", ebContent, `{"time":[{"prefix":"2017-10-02"}]}`, `{"time":"2017-10-02T18:43:48Z"}`, true},
	{"prefix on time, other day", ebContent, `{"time":[{"prefix":"2017-10-02"}]}`, `{"time":"2017-10-03T18:43:48Z"}`, false},
	{"prefix only on strings", ebContent, `{"n":[{"prefix":"1"}]}`, `{"n":10}`, false},
	{"prefix region eu", ebContent, `{"source":["aws.autoscaling"],"region":[{"prefix":"eu-"}]}`, `{"source":"aws.autoscaling","region":"eu-west-1"}`, true},
	{"prefix region us", ebContent, `{"source":["aws.autoscaling"],"region":[{"prefix":"eu-"}]}`, `{"source":"aws.autoscaling","region":"us-east-1"}`, false},
	{"prefix ignore case", ebOperators, `{"service":[{"prefix":{"equals-ignore-case":"eventb"}}]}`, `{"service":"EventBridge"}`, true},
	{"prefix ignore case miss", ebOperators, `{"service":[{"prefix":{"equals-ignore-case":"eventb"}}]}`, `{"service":"Lambda"}`, false},
	// Suffix.
	{"suffix png", ebOperators, `{"FileName":[{"suffix":".png"}]}`, `{"FileName":"cat.png"}`, true},
	{"suffix png miss", ebOperators, `{"FileName":[{"suffix":".png"}]}`, `{"FileName":"cat.jpg"}`, false},
	{"suffix ignore case", ebOperators, `{"detail":{"FileName":[{"suffix":{"equals-ignore-case":".png"}}]}}`, `{"detail":{"FileName":"CAT.PNG"}}`, true},
	{"suffix ignore case miss", ebOperators, `{"detail":{"FileName":[{"suffix":{"equals-ignore-case":".png"}}]}}`, `{"detail":{"FileName":"cat.gif"}}`, false},
	// Equals-ignore-case.
	{"equals ignore case", ebOperators, `{"detail-type":[{"equals-ignore-case":"ec2 instance state-change notification"}]}`, ec2Event, true},
	{"equals ignore case miss", ebOperators, `{"detail-type":[{"equals-ignore-case":"ec2 instance launch"}]}`, ec2Event, false},
	// Anything-but.
	{"anything-but string", ebContent, `{"detail":{"state":[{"anything-but":"initializing"}]}}`, ec2Event, true},
	{"anything-but string equal", ebContent, `{"detail":{"state":[{"anything-but":"pending"}]}}`, ec2Event, false},
	{"anything-but number", ebContent, `{"detail":{"x-limit":[{"anything-but":123}]}}`, `{"detail":{"x-limit":124}}`, true},
	{"anything-but number equal", ebContent, `{"detail":{"x-limit":[{"anything-but":123}]}}`, `{"detail":{"x-limit":123}}`, false},
	{"anything-but string list", ebContent, `{"detail":{"state":[{"anything-but":["stopped","overloaded"]}]}}`, ec2Event, true},
	{"anything-but string list hit", ebContent, `{"detail":{"state":[{"anything-but":["stopped","pending"]}]}}`, ec2Event, false},
	{"anything-but number list", ebContent, `{"detail":{"x-limit":[{"anything-but":[100,200,300]}]}}`, `{"detail":{"x-limit":150}}`, true},
	{"anything-but number list hit", ebContent, `{"detail":{"x-limit":[{"anything-but":[100,200,300]}]}}`, `{"detail":{"x-limit":200}}`, false},
	{"anything-but prefix", ebContent, `{"detail":{"state":[{"anything-but":{"prefix":"init"}}]}}`, `{"detail":{"state":"running"}}`, true},
	{"anything-but prefix hit", ebContent, `{"detail":{"state":[{"anything-but":{"prefix":"init"}}]}}`, `{"detail":{"state":"initializing"}}`, false},
	{"anything-but CloudTrail", ebContent, `{"detail-type":[{"anything-but":"AWS API Call via CloudTrail"}]}`, ec2Event, true},
	{"anything-but sources", ebContent, `{"source":[{"anything-but":["aws.ec2","aws.s3"]}]}`, ec2Event, false},
	{"anything-but aws prefix", ebContent, `{"source":[{"anything-but":{"prefix":"aws."}}]}`, `{"source":"com.example.orders"}`, true},
	{"anything-but aws prefix hit", ebContent, `{"source":[{"anything-but":{"prefix":"aws."}}]}`, ec2Event, false},
	{"anything-but suffix", ebOperators, `{"FileName":[{"anything-but":{"suffix":".png"}}]}`, `{"FileName":"a.jpg"}`, true},
	{"anything-but suffix hit", ebOperators, `{"FileName":[{"anything-but":{"suffix":".png"}}]}`, `{"FileName":"a.png"}`, false},
	{"anything-but ignore case", ebOperators, `{"state":[{"anything-but":{"equals-ignore-case":"initializing"}}]}`, `{"state":"running"}`, true},
	{"anything-but ignore case hit", ebOperators, `{"state":[{"anything-but":{"equals-ignore-case":"initializing"}}]}`, `{"state":"INITIALIZING"}`, false},
	{"anything-but ignore case list", ebOperators, `{"state":[{"anything-but":{"equals-ignore-case":["initializing","stopped"]}}]}`, `{"state":"Stopped"}`, false},
	{"anything-but wildcard", ebOperators, `{"FilePath":[{"anything-but":{"wildcard":"*/lib/*"}}]}`, `{"FilePath":"/usr/bin/x"}`, true},
	{"anything-but wildcard hit", ebOperators, `{"FilePath":[{"anything-but":{"wildcard":"*/lib/*"}}]}`, `{"FilePath":"/usr/lib/x"}`, false},
	{"anything-but wildcard list", ebOperators, `{"FilePath":[{"anything-but":{"wildcard":["*/lib/*","*/bin/*"]}}]}`, `{"FilePath":"/usr/bin/x"}`, false},
	{"anything-but needs the field", ebOperators, `{"state":[{"anything-but":"initializing"}]}`, `{"other":1}`, false},
	// Numeric.
	{"numeric all fields", ebContent, `{"detail":{"c-count":[{"numeric":[">",0,"<=",5]}],"d-count":[{"numeric":["<",10]}],"x-limit":[{"numeric":["=",3.018e2]}]}}`, `{"detail":{"c-count":5,"d-count":9,"x-limit":301.8}}`, true},
	{"numeric lower bound exclusive", ebContent, `{"detail":{"c-count":[{"numeric":[">",0,"<=",5]}]}}`, `{"detail":{"c-count":0}}`, false},
	{"numeric upper bound", ebContent, `{"detail":{"c-count":[{"numeric":[">",0,"<=",5]}]}}`, `{"detail":{"c-count":5.5}}`, false},
	{"numeric equals exponent", ebContent, `{"x-limit":[{"numeric":["=",3.018e2]}]}`, `{"x-limit":301.800}`, true},
	{"numeric only on numbers", ebContent, `{"x":[{"numeric":[">",0]}]}`, `{"x":"5"}`, false},
	// IP address.
	{"cidr v4", ebContent, `{"detail":{"sourceIPAddress":[{"cidr":"10.0.0.0/24"}]}}`, `{"detail":{"sourceIPAddress":"10.0.0.255"}}`, true},
	{"cidr v4 outside", ebContent, `{"detail":{"sourceIPAddress":[{"cidr":"10.0.0.0/24"}]}}`, `{"detail":{"sourceIPAddress":"10.0.1.0"}}`, false},
	{"cidr v6", ebContent, `{"ip":[{"cidr":"2001:db8::/32"}]}`, `{"ip":"2001:db8:1::5"}`, true},
	{"cidr not an address", ebContent, `{"ip":[{"cidr":"10.0.0.0/24"}]}`, `{"ip":"ten"}`, false},
	// Exists.
	{"exists true", ebContent, `{"detail":{"state":[{"exists":true}]}}`, ec2Event, true},
	{"exists true, missing", ebContent, `{"detail":{"state":[{"exists":true}]}}`, `{"detail-type":["EC2 Instance State-change Notification"],"detail":{"c-count":{"c1":100}}}`, false},
	{"exists false, missing", ebContent, `{"detail":{"c-count":[{"exists":false}]}}`, `{"detail":{"state":["initializing","running"]}}`, true},
	{"exists false, not a leaf", ebContent, `{"detail":{"c-count":[{"exists":false}]}}`, `{"detail":{"state":["initializing","running"],"c-count":{"c1":100}}}`, true},
	{"exists false, present", ebContent, `{"detail":{"c-count":[{"exists":false}]}}`, `{"detail":{"c-count":3}}`, false},
	{"exists false, no parent", ebContent, `{"detail":{"c-count":[{"exists":false}]}}`, `{"source":"x"}`, true},
	// Wildcard.
	{"wildcard", ebOperators, `{"EventBusArn":[{"wildcard":"arn:aws:events:us-east-1:*:event-bus/*"}]}`, `{"EventBusArn":"arn:aws:events:us-east-1:123456789012:event-bus/orders"}`, true},
	{"wildcard miss", ebOperators, `{"EventBusArn":[{"wildcard":"arn:aws:events:us-east-1:*:event-bus/*"}]}`, `{"EventBusArn":"arn:aws:events:eu-west-1:123456789012:event-bus/orders"}`, false},
	{"wildcard dir", ebOperators, `{"FilePath":[{"wildcard":"dir/*.png"}]}`, `{"FilePath":"dir/a/b.png"}`, true},
	{"wildcard escaped star", ebOperators, `{"s":[{"wildcard":"a\\*b"}]}`, `{"s":"a*b"}`, true},
	{"wildcard escaped star literal", ebOperators, `{"s":[{"wildcard":"a\\*b"}]}`, `{"s":"axb"}`, false},
	// $or.
	{"$or first branch", ebOperators, `{"detail":{"$or":[{"c-count":[{"numeric":[">",0,"<=",5]}]},{"d-count":[{"numeric":["<",10]}]},{"x-limit":[{"numeric":["=",3.018e2]}]}]}}`, `{"detail":{"c-count":3}}`, true},
	{"$or last branch", ebOperators, `{"detail":{"$or":[{"c-count":[{"numeric":[">",0,"<=",5]}]},{"d-count":[{"numeric":["<",10]}]},{"x-limit":[{"numeric":["=",3.018e2]}]}]}}`, `{"detail":{"x-limit":301.8}}`, true},
	{"$or no branch", ebOperators, `{"detail":{"$or":[{"c-count":[{"numeric":[">",0,"<=",5]}]},{"d-count":[{"numeric":["<",10]}]}]}}`, `{"detail":{"c-count":9,"d-count":11}}`, false},
	{"$or at the top with source", ebOperators, `{"source":["aws.ec2"],"$or":[{"detail-type":["x"]},{"region":["us-east-1"]}]}`, ec2Event, true},
	// Arrays.
	{"array intersection", ebArrays, `{"resources":["arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f","arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f"]}`, `{"resources":["arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:x","arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f"]}`, true},
	{"array no intersection", ebArrays, `{"resources":["arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f"]}`, `{"resources":["arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f"]}`, false},
	{"array of objects", ebArrays, `{"detail":{"items":{"sku":["A1"]}}}`, `{"detail":{"items":[{"sku":"B2"},{"sku":"A1"}]}}`, true},
	{"array fields from one element", ebRuler, `{"employees":{"firstName":["Anna"],"lastName":["Smith"]}}`, employees, true},
	{"array fields from different elements", ebRuler, `{"employees":{"firstName":["Anna"],"lastName":["Jones"]}}`, employees, false},
	{"array of arrays", ebRuler, `{"employees":{"firstName":["Peter"]}}`, `{"employees":[[{"firstName":"John"},{"firstName":"Anna"}],[{"firstName":"Peter"}]]}`, true},
	{"empty array is absent", ebArrays, `{"resources":[{"exists":true}]}`, `{"resources":[]}`, false},
	// Null and empty.
	{"empty string", ebNull, `{"detail":{"eventVersion":[""]}}`, `{"detail":{"eventVersion":"","responseElements":null}}`, true},
	{"null", ebNull, `{"detail":{"responseElements":[null]}}`, `{"detail":{"eventVersion":"","responseElements":null}}`, true},
	{"empty string is not null", ebNull, `{"detail":{"responseElements":[""]}}`, `{"detail":{"responseElements":null}}`, false},
	{"null is not empty string", ebNull, `{"detail":{"eventVersion":[null]}}`, `{"detail":{"eventVersion":""}}`, false},
	{"null is not absent", ebNull, `{"detail":{"responseElements":[null]}}`, `{"detail":{}}`, false},
	// Complex example.
	{"complex", ebContent, `{"time":[{"prefix":"2017-10-02"}],"detail":{"state":[{"anything-but":"initializing"}],"c-count":[{"numeric":[">",0,"<=",5]}],"d-count":[{"numeric":["<",10]}],"x-limit":[{"anything-but":[100,200,300]}]}}`, `{"time":"2017-10-02T18:43:48Z","detail":{"state":"running","c-count":1,"d-count":2,"x-limit":150}}`, true},
	{"complex one field off", ebContent, `{"time":[{"prefix":"2017-10-02"}],"detail":{"state":[{"anything-but":"initializing"}],"c-count":[{"numeric":[">",0,"<=",5]}],"d-count":[{"numeric":["<",10]}],"x-limit":[{"anything-but":[100,200,300]}]}}`, `{"time":"2017-10-02T18:43:48Z","detail":{"state":"running","c-count":1,"d-count":2,"x-limit":300}}`, false},
	{"duplicate key: last wins", ebContent, `{"detail":{"location":[{"prefix":"us-"}],"location":[{"anything-but":"us-east"}]}}`, `{"detail":{"location":"eu-west"}}`, true},
}

func TestEventBridgeDocumentedExamples(t *testing.T) {
	for _, c := range eventBridgeCases {
		t.Run(c.name, func(t *testing.T) {
			p, err := Compile([]byte(c.pattern), EventBridge)
			if err != nil {
				t.Fatalf("%s: compile: %v", c.page, err)
			}
			r, err := p.MatchJSON([]byte(c.event))
			if err != nil {
				t.Fatal(err)
			}
			if r.Matched() != c.want {
				t.Fatalf("%s: match = %v (%+v), want %v", c.page, r.Matched(), r, c.want)
			}
			if !c.want && (r.Field == "" || r.Reason == "") {
				t.Fatalf("a failed match names its field and reason: %+v", r)
			}
		})
	}
}

func TestEventBridgeFirstFailingField(t *testing.T) {
	p, err := Compile([]byte(`{"source":["aws.ec2"],"detail":{"state":["running"]}}`), EventBridge)
	if err != nil {
		t.Fatal(err)
	}
	r, _ := p.MatchJSON([]byte(ec2Event))
	if r.Field != "detail.state" || !strings.Contains(r.Reason, `"pending"`) || !strings.Contains(r.Reason, `["running"]`) {
		t.Fatalf("got %+v", r)
	}
}

func TestEventBridgeRejectsInvalidPatterns(t *testing.T) {
	for _, bad := range []string{
		`[]`, `{}`, `{"a":"x"}`, `{"a":[]}`, `{"a":[{"nope":1}]}`, `{"a":[{"prefix":1}]}`,
		`{"a":[{"numeric":[">",1,">",2]}]}`, `{"a":[{"numeric":["=",1,"<",2]}]}`, `{"a":[{"numeric":[">",5,"<",1]}]}`,
		`{"a":[{"cidr":"10.0.0.0/99"}]}`, `{"a":[{"wildcard":"a**b"}]}`, `{"a":[{"wildcard":"a\\b"}]}`, `{"$or":[{"a":["x"]}]}`,
		`{"a":[{"anything-but":{"prefix":["a","b"]}}]}`, `{"a":[{"exists":"yes"}]}`, `{"a":[["x"]]}`,
	} {
		if _, err := Compile([]byte(bad), EventBridge); err == nil {
			t.Errorf("%s: compiled, want an error", bad)
		}
	}
}

func TestDialectsRestrictOperators(t *testing.T) {
	if _, err := Compile([]byte(`{"a":[{"wildcard":"x*"}]}`), SNS); err == nil {
		t.Error("SNS accepted wildcard")
	}
	if _, err := Compile([]byte(`{"a":[{"cidr":"10.0.0.0/8"}]}`), ESM); err == nil {
		t.Error("ESM accepted cidr")
	}
}

func TestUnknownValues(t *testing.T) {
	p, _ := Compile([]byte(`{"source":["my.app"],"detail":{"key":[{"prefix":"in/"}]}}`), EventBridge)
	r := p.Match(map[string]any{"source": "my.app", "detail": UnknownValue{"written by the function"}})
	if r.Verdict != Unknown {
		t.Fatalf("got %+v", r)
	}
	r = p.Match(map[string]any{"source": "other", "detail": UnknownValue{"x"}})
	if r.Verdict != NoMatch {
		t.Fatalf("a known mismatch decides: %+v", r)
	}
}

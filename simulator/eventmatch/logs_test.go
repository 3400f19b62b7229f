package eventmatch

import (
	"strings"
	"testing"
)

// The log events the CloudWatch Logs documentation matches its term
// patterns against ("Filter pattern syntax for metric filters,
// subscription filters, filter log events, and Live Tail",
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html,
// section on unstructured log events).
var docLogEvents = []string{
	"[ERROR 400] BAD REQUEST",
	"[ERROR 401] UNAUTHORIZED REQUEST",
	"[ERROR 419] MISSING ARGUMENTS",
	"[ERROR 420] INVALID ARGUMENTS",
	"[ERROR 500] INTERNAL SERVER ERROR",
	"[SUCCESS 200] AUTHORIZED REQUEST",
}

// The JSON log event of the documentation's JSON examples (same page,
// and "Using filter patterns to match terms in JSON log events",
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/matching-terms-json-log-events.html).
const docJSONEvent = `{
  "eventType": "UpdateTrail",
  "sourceIPAddress": "111.111.111.111",
  "arrayKey": ["value", "another value"],
  "objectList": [{"name": "a", "id": 1}, {"name": "b", "id": 2}],
  "SomeObject": null,
  "cluster.name": "c1",
  "ThisFlag": true
}`

// The compound-expression example's event (same pages).
const docCompoundEvent = `{
  "user": {"id": 1, "email": "John.Stiles@example.com"},
  "users": [
    {"id": 2, "email": "John.Doe@example.com", "height": 100, "width": 50},
    {"id": 3, "email": "Jane.Doe@example.com", "height": 80, "width": 60}
  ],
  "actions": ["GET", "PUT", "DELETE"],
  "coordinates": [[0, 1], [1, 2]]
}`

// The space-delimited example (same page, section on space-delimited
// log events): a web server access log line.
const docAccessLog = `127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /apache_pb.gif HTTP/1.0" 200 1534`

func TestLogPatternTermsFromTheDocumentation(t *testing.T) {
	for _, c := range []struct {
		pattern string
		want    []int // indexes of docLogEvents that match
	}{
		{``, []int{0, 1, 2, 3, 4, 5}},                        // an empty pattern matches every event
		{`" "`, []int{0, 1, 2, 3, 4, 5}},                     // a quoted blank matches every event
		{`ERROR`, []int{0, 1, 2, 3, 4}},                      // a single term
		{`ERROR ARGUMENTS`, []int{2, 3}},                     // every term must occur
		{`?ERROR ?ARGUMENTS`, []int{0, 1, 2, 3, 4}},          // any ?-term
		{`?SUCCESS ?ARGUMENTS`, []int{2, 3, 5}},              // any ?-term
		{`"INTERNAL SERVER ERROR"`, []int{4}},                // an exact phrase
		{`ERROR -ARGUMENTS`, []int{0, 1, 4}},                 // exclusion
		{`ERROR -ARGUMENTS -BAD`, []int{1, 4}},               // several exclusions
		{`error`, nil},                                       // terms are case-sensitive
		{`%AUTHORIZED%`, []int{1, 5}},                        // regular expression page: matches inside UNAUTHORIZED too
		{`%^\[ERROR%`, []int{0, 1, 2, 3, 4}},                 // ^ anchors at the start
		{`%REQUEST$%`, []int{0, 1, 5}},                       // $ anchors at the end
		{`%4[01]\d%`, []int{0, 1, 2}},                        // character classes
		{`%[Ee]rror|[Ff]ail%`, nil},                          // alternatives: "ERROR" is neither "Error" nor "error"
		{`%[Ee]RROR|[Ff]ail%`, []int{0, 1, 2, 3, 4}},         // alternatives
		{`%4\d{2}\]%`, []int{0, 1, 2, 3}},                    // {m,n} repetition
		{`"[ERROR 400]"`, []int{0}},                          // a term with non-alphanumeric characters is quoted
		{`?"BAD REQUEST" ?"MISSING ARGUMENTS"`, []int{0, 2}}, // quoted alternatives
		{`REQUEST -%UN[A-Z]+%`, []int{0, 5}},                 // a regular expression excluded
		{`"ERROR 4" -"419" -"420" -"401"`, []int{0}},         // quoted terms and exclusions
		{`   ERROR    ARGUMENTS  `, []int{2, 3}},             // extra spaces
		{`%(ERROR)%`, []int{-1}},                             // groups are not supported
		{`%ERROR 4%`, []int{-1}},                             // nor spaces
		{`%something!%`, []int{-1}},                          // nor "!"
	} {
		p, err := ParseLogPattern(c.pattern)
		if len(c.want) == 1 && c.want[0] == -1 {
			if err == nil {
				t.Errorf("%s: compiled", c.pattern)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", c.pattern, err)
			continue
		}
		got, _ := p.MatchLogEvents(docLogEvents)
		if !sameInts(got, c.want) {
			t.Errorf("%s: matched %v, want %v", c.pattern, got, c.want)
		}
	}
}

func TestLogPatternJSONFromTheDocumentation(t *testing.T) {
	for _, c := range []struct {
		pattern, event string
		match          bool
	}{
		{`{ $.eventType = "UpdateTrail" }`, docJSONEvent, true},
		{`{ $.eventType = "DeleteTrail" }`, docJSONEvent, false},
		{`{ $.eventType = UpdateTrail }`, docJSONEvent, true}, // unquoted string
		{`{ $.eventType = "Update*" }`, docJSONEvent, true},   // wildcard
		{`{ $.eventType != "UpdateTrail" }`, docJSONEvent, false},
		{`{ $.sourceIPAddress != 123.123.* }`, docJSONEvent, true},
		{`{ $.sourceIPAddress != 111.111.* }`, docJSONEvent, false},
		{`{ $.sourceIPAddress = 111.111.* }`, docJSONEvent, true},
		{`{ $.arrayKey[0] = "value" }`, docJSONEvent, true},
		{`{ $.arrayKey[1] = "value" }`, docJSONEvent, false},
		{`{ $.arrayKey[*] = "another value" }`, docJSONEvent, true},
		{`{ $.objectList[1].id = 2 }`, docJSONEvent, true},
		{`{ $.objectList[1].id = 1 }`, docJSONEvent, false},
		{`{ $.objectList[*].name = "b" }`, docJSONEvent, true},
		{`{ $.SomeObject IS NULL }`, docJSONEvent, true},
		{`{ $.eventType IS NULL }`, docJSONEvent, false},
		{`{ $.SomeOtherObject NOT EXISTS }`, docJSONEvent, true},
		{`{ $.SomeObject NOT EXISTS }`, docJSONEvent, false}, // null is present
		{`{ $.ThisFlag IS TRUE }`, docJSONEvent, true},
		{`{ $.ThisFlag IS FALSE }`, docJSONEvent, false},
		{`{ $.['cluster.name'] = "c1" }`, docJSONEvent, true},
		{`{ $.eventType = %Update.*% }`, docJSONEvent, true}, // regular expression value
		{`{ $.missing != "x" }`, docJSONEvent, false},        // a missing field compares false
		{`{ ($.user.id = 1) && ($.users[0].email = "John.Doe@example.com") }`, docCompoundEvent, true},
		{`{ ($.user.id = 2) && ($.users[0].email = "John.Doe@example.com") }`, docCompoundEvent, false},
		{`{ ($.user.id = 2) || ($.users[0].email = "John.Doe@example.com") }`, docCompoundEvent, true},
		{`{ ($.user.id = 2 && $.users[0].width = 50) || $.users[0].height = 100 }`, docCompoundEvent, true},
		{`{ ($.user.id = 2 && $.users[0].width = 50) || $.users[0].height = 90 }`, docCompoundEvent, false},
		{`{ $.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = nope && $.actions[2] = "nada" }`, docCompoundEvent, true},
		{`{ $.users[1].height < 100 }`, docCompoundEvent, true},
		{`{ $.users[1].height > 100 }`, docCompoundEvent, false},
		{`{ $.users[0].height >= 100 && $.users[0].width <= 50 }`, docCompoundEvent, true},
		{`{ $.coordinates[1][1] = 2 }`, docCompoundEvent, true},
		{`{ $.actions[2] = "DELETE" }`, docCompoundEvent, true},
		{`{ $.user.id = 1.0 }`, docCompoundEvent, true},                       // numbers compare as numbers
		{`{ $.eventType = "UpdateTrail" }`, `[ERROR 400] BAD REQUEST`, false}, // not JSON
	} {
		p, err := ParseLogPattern(c.pattern)
		if err != nil {
			t.Errorf("%s: %v", c.pattern, err)
			continue
		}
		r := p.Match(c.event)
		if r.Matched() != c.match {
			t.Errorf("%s: got %+v, want match %v", c.pattern, r, c.match)
		}
		if !r.Matched() && r.Reason == "" {
			t.Errorf("%s: a no-match without a reason", c.pattern)
		}
	}
}

func TestLogPatternSpaceDelimitedFromTheDocumentation(t *testing.T) {
	for _, c := range []struct {
		pattern string
		match   bool
	}{
		{`[ip, user, username, timestamp, request, status_code, bytes]`, true},
		{`[ip, user, username, timestamp, request, status_code]`, false}, // seven fields, six names
		{`[ip, user, username, timestamp, request, status_code = 200, bytes]`, true},
		{`[ip, user, username, timestamp, request, status_code = 4*, bytes]`, false},
		{`[ip, user, username, timestamp, request = *.gif*, status_code, bytes]`, true},
		{`[ip, user, username, timestamp, request = *.html*, status_code, bytes]`, false},
		{`[ip, user, username, timestamp, request, status_code = 4* || status_code = 2*, bytes]`, true},
		{`[ip, user, username, timestamp, request, status_code >= 400 && status_code <= 599, bytes]`, false},
		{`[ip, user, username, timestamp, request, status_code, bytes > 1000]`, true},
		{`[ip, user, username, timestamp, request, status_code, bytes < 1000]`, false},
		{`[ip=127.0.0.1, ...]`, true},
		{`[ip=10.*, ...]`, false},
		{`[..., status_code=200, bytes]`, true},
		{`[..., status_code!=200, bytes]`, false},
		{`[ip, ..., bytes=1534]`, true},
		{`[ip, user, username=frank, ...]`, true},
		{`[ip, user, username=Frank, ...]`, false}, // case-sensitive
		{`[ip, user, username, timestamp = 10/Oct/2000*, ...]`, true},
		{`[ip, user, username, timestamp, request = "GET /apache_pb.gif HTTP/1.0", ...]`, true},
		{`[...]`, true},
	} {
		p, err := ParseLogPattern(c.pattern)
		if err != nil {
			t.Errorf("%s: %v", c.pattern, err)
			continue
		}
		r := p.Match(docAccessLog)
		if r.Matched() != c.match {
			t.Errorf("%s: got %+v, want match %v", c.pattern, r, c.match)
		}
		if !r.Matched() && r.Reason == "" {
			t.Errorf("%s: a no-match without a reason", c.pattern)
		}
	}
}

func TestLogPatternErrorsSayWhere(t *testing.T) {
	for _, c := range []struct{ pattern, want string }{
		{`{ $.a = 1`, "missing closing }"},
		{`{ a = 1 }`, "selector"},
		{`{ $.a ~ 1 }`, "expected a comparison"},
		{`{ $.a > abc }`, "compares numbers"},
		{`{ $.a IS MAYBE }`, "TRUE, FALSE or NULL"},
		{`{ ($.a = 1 }`, "missing )"},
		{`{ $.a = 1 $.b = 2 }`, "unexpected"},
		{`[a, b = ]`, "a value after ="},
		{`[a, , b]`, "field 2 is empty"},
		{`[a, b = 1 || c = 2]`, "names it"},
		{`"unterminated`, "unterminated"},
		{`%abc`, "without closing %"},
		{strings.Repeat("a", 1025), "longer than"},
		{`{ $.a = %x% || $.b = %y% || $.c = %z% }`, "more than 2 regular expressions"},
		{`[a = %x%, b = %y%, c = %z%]`, "more than 2 regular expressions"},
	} {
		_, err := ParseLogPattern(c.pattern)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%.40s: got %v, want %q", c.pattern, err, c.want)
		}
	}
}

func TestMatchLogEventsReportsTheFirstMiss(t *testing.T) {
	p, _ := ParseLogPattern(`ERROR -ARGUMENTS`)
	hit, miss := p.MatchLogEvents(docLogEvents)
	if !sameInts(hit, []int{0, 1, 4}) || miss.Verdict != NoMatch || !strings.Contains(miss.Reason, `excluded term "ARGUMENTS"`) {
		t.Fatalf("%v %+v", hit, miss)
	}
}

func sameInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// The operator examples of the regular expression page
// (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/regex-expressions.html).
func TestLogPatternRegexExamples(t *testing.T) {
	for _, c := range []struct {
		pattern string
		yes, no []string
	}{
		{`%^[hc]at%`, []string{"hat trick", "cat"}, []string{"the cat", "bat"}},
		{`%[hc]at$%`, []string{"a hat", "cat"}, []string{"cats", "a bat"}},
		{`%colou?r%`, []string{"color", "colour"}, []string{"colouur"}},
		{`%[abc]%`, []string{"a", "cab"}, []string{"xyz"}},
		{`%[a-z]%`, []string{"q"}, []string{"Q9"}},
		{`%[abcx-z]%`, []string{"y"}, []string{"d"}},
		{`%^a{3,5}$%`, []string{"aaa", "aaaaa"}, []string{"aa", "aaaaaa"}},
		{`%\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}%`, []string{"from 10.0.12.7 at"}, []string{"from 10.0.12 at"}},
		{`%[Ee]rror|[Ff]ail%`, []string{"Error", "error", "Fail", "fail"}, []string{"ERROR", "FAIL"}},
	} {
		p, err := ParseLogPattern(c.pattern)
		if err != nil {
			t.Errorf("%s: %v", c.pattern, err)
			continue
		}
		for _, m := range c.yes {
			if !p.Match(m).Matched() {
				t.Errorf("%s should match %q", c.pattern, m)
			}
		}
		for _, m := range c.no {
			if p.Match(m).Matched() {
				t.Errorf("%s should not match %q", c.pattern, m)
			}
		}
	}
}

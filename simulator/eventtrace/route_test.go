package eventtrace

import (
	"strings"
	"testing"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
	"github.com/lambdacheck/lambdacheck/simulator/eventmatch"
	"github.com/lambdacheck/lambdacheck/simulator/flow"
)

func apiApp() *inventory.Inventory {
	fn := func(name string) string { return "arn:aws:lambda:eu-west-1:1:function:" + name }
	route := func(addr, svc, arn, key, f string) inventory.Trigger {
		return inventory.Trigger{Origin: inventory.Origin{Address: addr}, Service: svc, SourceARN: arn, FunctionARN: fn(f), Enabled: true, Filter: &inventory.Filter{Expression: key}}
	}
	return &inventory.Inventory{
		Functions: []inventory.Function{
			{Origin: inventory.Origin{Address: "fn.get"}, ARN: fn("get")},
			{Origin: inventory.Origin{Address: "fn.any"}, ARN: fn("any")},
			{Origin: inventory.Origin{Address: "fn.rest"}, ARN: fn("rest")},
			{Origin: inventory.Origin{Address: "fn.auth"}, ARN: fn("auth")},
			{Origin: inventory.Origin{Address: "fn.url"}, ARN: fn("url"), URLs: []inventory.FunctionURL{{Origin: inventory.Origin{Address: "url.u"}, AuthType: "NONE", URL: "https://<aws_lambda_function_url.u.url_id>.lambda-url.eu-west-1.on.aws/"}}},
		},
		Triggers: []inventory.Trigger{
			route("r.get", "apigatewayv2", "arn:aws:execute-api:eu-west-1:1:<api.id>/$default/GET/pets/{id}", "GET /pets/{id}", "get"),
			route("r.any", "apigatewayv2", "arn:aws:execute-api:eu-west-1:1:<api.id>/$default/*/{proxy+}", "ANY /{proxy+}", "any"),
			route("r.rest", "apigateway", "arn:aws:execute-api:eu-west-1:1:<rest.id>/prod/GET/pets/{id}", "GET /pets/{id}", "rest"),
			route("r.auth", "apigatewayv2", "arn:aws:execute-api:eu-west-1:1:<api.id>/authorizers/<auth.id>", "", "auth"),
			// The loader's own record of the URL is traced from the
			// function's URL configuration instead.
			{Origin: inventory.Origin{Address: "url.u"}, Service: "function_url", FunctionARN: fn("url"), Enabled: true},
		},
	}
}

func verdicts(tr *Trace) map[string]eventmatch.Verdict {
	m := map[string]eventmatch.Verdict{}
	for _, t := range tr.Triggers {
		m[t.Trigger] = t.Match.Verdict
	}
	return m
}

func TestHTTPRoutingPicksTheMostSpecificRoute(t *testing.T) {
	inv := apiApp()
	ev, err := Parse("e", []byte(`{"version":"2.0","rawPath":"/pets/7","requestContext":{"stage":"$default","http":{"method":"GET","path":"/pets/7"}}}`), "")
	if err != nil {
		t.Fatal(err)
	}
	got := verdicts(Run(inv, &flow.Result{}, ev, Options{Depth: 1}))
	want := map[string]eventmatch.Verdict{"r.get": eventmatch.Match, "r.any": eventmatch.NoMatch, "r.rest": eventmatch.NoMatch, "r.auth": eventmatch.Unknown}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %s, want %s (%v)", k, got[k], v, got)
		}
	}
	ev, _ = Parse("e", []byte(`{"version":"2.0","rawPath":"/cats","requestContext":{"stage":"$default","http":{"method":"POST","path":"/cats"}}}`), "")
	if got := verdicts(Run(inv, &flow.Result{}, ev, Options{Depth: 1})); got["r.any"] != eventmatch.Match || got["r.get"] != eventmatch.NoMatch {
		t.Errorf("%v", got)
	}
	// Payload format 1.0 with a stage: the REST method takes it.
	ev, _ = Parse("e", []byte(`{"httpMethod":"GET","path":"/pets/7","requestContext":{"stage":"prod"}}`), "")
	if got := verdicts(Run(inv, &flow.Result{}, ev, Options{Depth: 1})); got["r.rest"] != eventmatch.Match || got["r.get"] != eventmatch.NoMatch {
		t.Errorf("%v", got)
	}
}

func TestFunctionURLPlaceholder(t *testing.T) {
	inv := apiApp()
	ev, _ := Parse("e", []byte(`{"version":"2.0","requestContext":{"domainName":"x1.lambda-url.eu-west-1.on.aws","http":{"method":"GET","path":"/"}}}`), "")
	tr := Run(inv, &flow.Result{}, ev, Options{Depth: 1})
	if len(tr.Triggers) != 1 || tr.Triggers[0].Trigger != "url.u" || tr.Triggers[0].Match.Verdict != eventmatch.Unknown {
		t.Fatalf("%+v", tr.Triggers)
	}
	ev, _ = Parse("e", []byte(`{"version":"2.0","requestContext":{"domainName":"x1.lambda-url.us-east-1.on.aws","http":{"method":"GET","path":"/"}}}`), "")
	if tr := Run(inv, &flow.Result{}, ev, Options{Depth: 1}); tr.Triggers[0].Match.Verdict != eventmatch.NoMatch {
		t.Fatalf("another region's URL: %+v", tr.Triggers)
	}
}

func TestPlaceholderGlob(t *testing.T) {
	if g := placeholderGlob("arn:aws:x:r:1:tg/name/<tg.id>/<b>z"); g != "arn:aws:x:r:1:tg/name/*/*z" {
		t.Fatal(g)
	}
	if r, same := sameSource("arn:aws:sqs:r:1:<q.name>", "arn:aws:sqs:r:2:q"); same || r.Verdict != eventmatch.NoMatch {
		t.Fatalf("another account: %+v", r)
	}
}

func TestALBEventNamesItsTargetGroup(t *testing.T) {
	tg := "arn:aws:elasticloadbalancing:eu-west-1:1:targetgroup/sessions/0123456789abcdef"
	inv := &inventory.Inventory{Triggers: []inventory.Trigger{{Origin: inventory.Origin{Address: "att"}, Service: "alb", SourceARN: tg, FunctionARN: "arn:aws:lambda:eu-west-1:1:function:s", Enabled: true}}}
	for doc, want := range map[string]eventmatch.Verdict{
		`{"httpMethod":"GET","path":"/","requestContext":{"elb":{"targetGroupArn":"` + tg + `"}}}`:                                                   eventmatch.Match,
		`{"httpMethod":"GET","path":"/","requestContext":{"elb":{"targetGroupArn":"arn:aws:elasticloadbalancing:eu-west-1:1:targetgroup/other/1"}}}`: eventmatch.NoMatch,
	} {
		ev, err := Parse("e", []byte(doc), "")
		if err != nil {
			t.Fatal(err)
		}
		if got := Run(inv, &flow.Result{}, ev, Options{Depth: 1}).Triggers[0].Match.Verdict; got != want {
			t.Errorf("%s: %s, want %s", doc, got, want)
		}
	}
}

func TestTreeCountsTriggersOfOtherSources(t *testing.T) {
	tr := &Trace{Event: Event{Summary: "e"}}
	for i := 0; i < maxListedElsewhere+2; i++ {
		tr.Triggers = append(tr.Triggers, TriggerTrace{Trigger: "t", OtherSource: true, Match: eventmatch.Result{Verdict: eventmatch.NoMatch, Field: "source", Reason: "r"}})
	}
	var b strings.Builder
	if err := WriteTree(&b, tr, nil); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "NO    7 more listen to other sources") || strings.Contains(b.String(), "why:") {
		t.Fatal(b.String())
	}
	tr.Triggers = tr.Triggers[:maxListedElsewhere]
	b.Reset()
	WriteTree(&b, tr, nil)
	if strings.Count(b.String(), "why: source: r") != maxListedElsewhere {
		t.Fatal(b.String())
	}
}

func TestDisabledTriggersDeliverNothing(t *testing.T) {
	inv, res := loopApp()
	inv.Triggers[0].Enabled = false
	ev, _ := Shorthand{S3Event: "ObjectCreated:Put", Bucket: "in", Key: "up/x.png"}.Build("1", "eu-west-1")
	if r := Run(inv, res, ev, Options{Depth: 1}).Triggers[0]; r.Match.Verdict != eventmatch.NoMatch || r.Match.Field != "enabled" || r.Invoke != nil {
		t.Fatalf("%+v", r)
	}
	inv.Triggers[0].Unknown = []inventory.Unknown{{Field: "enabled", Reason: "var.on"}}
	if r := Run(inv, res, ev, Options{Depth: 1}).Triggers[0]; r.Match.Verdict != eventmatch.Unknown {
		t.Fatalf("%+v", r)
	}
}

func TestS3WritesDeliverTheirOwnEventType(t *testing.T) {
	inv, res := loopApp()
	// fn.b may only delete objects: fn.a's ObjectCreated notification
	// never hears of it.
	res.Flows[4].Actions = []string{"s3:DeleteObject"}
	ev, _ := Shorthand{S3Event: "ObjectCreated:Put", Bucket: "in", Key: "up/x.png"}.Build("1", "eu-west-1")
	b := Run(inv, res, ev, Options{Depth: 4}).Triggers[0].Next[0].Triggers[0]
	if len(b.Next) != 0 {
		t.Fatalf("a delete reached an ObjectCreated notification: %+v", b.Next)
	}
	inv.Triggers[0].Events = []string{"s3:ObjectCreated:*", "s3:ObjectRemoved:*"}
	b = Run(inv, res, ev, Options{Depth: 4}).Triggers[0].Next[0].Triggers[0]
	if len(b.Next) != 1 || b.Next[0].Action != "s3:DeleteObject" || b.Next[0].Event.S3EventName != "ObjectRemoved:Delete" {
		t.Fatalf("%+v", b.Next)
	}
}

func TestAggregatedWritesReachTheirSetOnly(t *testing.T) {
	inv, res := loopApp()
	q2 := "arn:aws:sqs:eu-west-1:1:q2"
	inv.Functions = append(inv.Functions, inventory.Function{Origin: inventory.Origin{Address: "fn.c"}, ARN: "arn:aws:lambda:eu-west-1:1:function:c"})
	inv.Triggers = append(inv.Triggers, inventory.Trigger{Origin: inventory.Origin{Address: "esm.q2"}, Service: "sqs", SourceARN: q2, FunctionARN: "arn:aws:lambda:eu-west-1:1:function:c", Enabled: true})
	// fn.a's write is one flow for every queue but q2, which another
	// statement singles out.
	res.Flows[2].Resource = &flow.Ref{ARN: "arn:aws:sqs:eu-west-1:1:*"}
	res.Flows[2].Covers = &flow.Coverage{Type: "sqs queue", Pattern: "arn:aws:sqs:eu-west-1:1:*", Count: 1, Set: "set-b"}
	res.ResourceSets = []flow.ResourceSet{
		{ID: "set-a", Type: "sqs queue", Count: 2, Resources: []string{"arn:aws:sqs:eu-west-1:1:q", q2}},
		{ID: "set-b", Type: "sqs queue", Count: 1, Base: "set-a", Except: []string{q2}},
	}
	ev, _ := Shorthand{S3Event: "ObjectCreated:Put", Bucket: "in", Key: "up/x.png"}.Build("1", "eu-west-1")
	a := Run(inv, res, ev, Options{Depth: 2}).Triggers[0]
	if len(a.Next) != 1 || a.Next[0].Event.Source != "arn:aws:sqs:eu-west-1:1:q" {
		t.Fatalf("hops %+v", a.Next)
	}
	var agg Reach
	for _, r := range a.Reach {
		if r.Flow == "a-q" {
			agg = r
		}
	}
	if agg.Covers != 1 || agg.CoverType != "sqs queue" || !agg.Pattern {
		t.Fatalf("%+v", agg)
	}
	var b strings.Builder
	WriteTree(&b, &Trace{Event: ev, Triggers: []TriggerTrace{a}}, nil)
	if !strings.Contains(b.String(), "arn:aws:sqs:eu-west-1:1:* (1 sqs queue): sqs:SendMessage") {
		t.Fatal(b.String())
	}
}

package eventmatch

import (
	"testing"
)

func FuzzEventPattern(f *testing.F) {
	for _, c := range eventBridgeCases {
		f.Add([]byte(c.pattern), []byte(c.event))
	}
	f.Fuzz(func(t *testing.T, pattern, event []byte) {
		for _, d := range []Dialect{EventBridge, SNS, ESM} {
			p, err := Compile(pattern, d)
			if err != nil {
				continue
			}
			r, err := p.MatchJSON(event)
			if err == nil && r.Verdict == NoMatch && r.Reason == "" {
				t.Fatalf("a no-match without a reason: %+v", r)
			}
		}
	})
}

func FuzzSNSFilterPolicy(f *testing.F) {
	for _, c := range snsCases {
		f.Add([]byte(c.policy), "k", "String", "v", `{"store":"x"}`)
	}
	f.Fuzz(func(t *testing.T, policy []byte, key, typ, value, body string) {
		for _, scope := range []string{ScopeAttributes, ScopeBody} {
			p, err := CompileFilterPolicy(policy, scope)
			if err != nil {
				continue
			}
			if p.Combinations < 1 {
				t.Fatalf("combinations %d", p.Combinations)
			}
			p.MatchMessage(map[string]Attribute{key: {Type: typ, Value: value}}, body)
		}
	})
}

func FuzzS3Key(f *testing.F) {
	f.Add("images/", ".jpg", "s3:ObjectCreated:*", "ObjectCreated:Put", "images/a b.jpg")
	f.Fuzz(func(t *testing.T, prefix, suffix, configured, event, key string) {
		n := S3Notification{Events: []string{configured}, Prefix: prefix, Suffix: suffix}
		enc := EncodeS3Key(key)
		r := n.Match(event, enc)
		if r.Matched() && (!S3EventMatches(configured, event) || !hasBoth(enc, prefix, suffix)) {
			t.Fatalf("matched wrongly: %+v", r)
		}
		S3Overlaps([]S3Notification{n, {Events: []string{event}, Prefix: key}})
	})
}

func hasBoth(s, p, x string) bool {
	return len(s) >= len(p) && s[:len(p)] == p && len(s) >= len(x) && s[len(s)-len(x):] == x
}

func FuzzIoTSQL(f *testing.F) {
	f.Add("SELECT * FROM 'a/+/b' WHERE x > 1 AND (y = 'z' OR NOT w <> true)", "a/q/b", `{"x":2}`)
	f.Fuzz(func(t *testing.T, sql, topic, payload string) {
		r, err := ParseIoTSQL(sql)
		if err != nil {
			return
		}
		v, err := decode([]byte(payload))
		if err != nil {
			v = nil
		}
		r.Match(topic, v)
	})
}

func FuzzRoute(f *testing.F) {
	f.Add("GET /pets/{id}", "GET", "/pets/1")
	f.Add("ANY /{proxy+}", "PUT", "/a/b")
	f.Fuzz(func(t *testing.T, key, method, path string) {
		r, err := ParseRoute(key)
		if err != nil {
			return
		}
		r.Match(method, path)
		r.Specificity()
	})
}

func FuzzALB(f *testing.F) {
	f.Add("/img/*.png", "/img/a.png", "*.example.com", "a.example.com", "10.0.0.0/8", "10.1.1.1")
	f.Fuzz(func(t *testing.T, pathPat, path, hostPat, host, cidr, ip string) {
		MatchALB([]ALBCondition{
			{Field: "path-pattern", Values: []string{pathPat}},
			{Field: "host-header", Values: []string{hostPat}},
			{Field: "source-ip", Values: []string{cidr}},
		}, ALBRequest{Path: path, Host: host, SourceIP: ip})
	})
}

// FuzzALBRouting routes requests through a listener whose rules take
// their values from the input: the route is always one of the rules or
// the default, and a rule only takes a request its conditions match.
func FuzzALBRouting(f *testing.F) {
	f.Add("/api/*", "*.example.com", "x-env", "prod*", "version", "v?", "GET", "/api/orders", "API.example.com", "Prod-1", "v2%20", 10, 20)
	f.Fuzz(func(t *testing.T, pathPat, hostPat, header, headerPat, key, valuePat, method, path, host, headerVal, query string, p1, p2 int) {
		rules := []ALBRule{
			{Name: "a", Priority: p1, Conditions: []ALBCondition{{Field: "path-pattern", Values: []string{pathPat}}, {Field: "host-header", Values: []string{hostPat}}},
				Actions: []ALBAction{{Type: "forward", TargetGroups: []ALBTargetGroup{{ARN: "tg-a"}}}}},
			{Name: "b", Priority: p2, Conditions: []ALBCondition{{Field: "http-header", Header: header, Values: []string{headerPat}}, {Field: "query-string", Query: [][2]string{{key, valuePat}}}, {Field: "http-request-method", Values: []string{method}}},
				Actions: []ALBAction{{Type: "fixed-response"}}},
		}
		req := ALBRequest{Method: "GET", Path: path, Host: host, Headers: map[string][]string{header: {headerVal}}, Query: map[string][]string{key: {query}}}
		r := RouteALB(rules, []ALBAction{{Type: "forward", TargetGroups: []ALBTargetGroup{{ARN: "tg-default"}}}}, req)
		switch r.Rule {
		case "default":
			if r.TargetGroups[0].ARN != "tg-default" {
				t.Fatalf("%+v", r)
			}
		case "a", "b":
			for _, rule := range rules {
				if rule.Name == r.Rule && !MatchALB(rule.Conditions, req).Matched() {
					t.Fatalf("rule %s took a request it does not match", r.Rule)
				}
			}
		default:
			t.Fatalf("route to %q", r.Rule)
		}
	})
}

func FuzzLogPattern(f *testing.F) {
	for _, p := range []string{``, `ERROR -ARGUMENTS`, `?a ?"b c"`, `%^\[E[A-Z]+%`,
		`{ ($.user.id = 2 && $.users[0].width = 50) || $.users[0].height = 100 }`, `{ $.['a.b'][*] IS NULL }`,
		`[ip, user, ..., status >= 400 && status <= 599, bytes]`, `[a=*x*, ..., b != "q r"]`} {
		f.Add(p, docAccessLog)
		f.Add(p, docCompoundEvent)
		f.Add(p, docLogEvents[2])
	}
	f.Fuzz(func(t *testing.T, pattern, message string) {
		p, err := ParseLogPattern(pattern)
		if err != nil {
			return
		}
		r := p.Match(message)
		if r.Verdict == NoMatch && r.Reason == "" {
			t.Fatalf("a no-match without a reason: %+v", r)
		}
		if r.Verdict != Match && r.Verdict != NoMatch {
			t.Fatalf("a log pattern decides: %+v", r)
		}
	})
}

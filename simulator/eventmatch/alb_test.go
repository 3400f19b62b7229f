package eventmatch

import (
	"strings"
	"testing"
)

// Pages the cases come from.
const (
	albConditionsPage = "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html"
	albRulesPage      = "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/listener-rules.html"
)

// The examples of the condition types page, each condition against
// requests that do and do not satisfy it.
func TestALBConditionExamples(t *testing.T) {
	req := func(mod func(*ALBRequest)) ALBRequest {
		r := ALBRequest{Method: "GET", Host: "www.example.com", Path: "/", Headers: map[string][]string{}, Query: map[string][]string{}, SourceIP: "203.0.113.7"}
		mod(&r)
		return r
	}
	host := func(h string) ALBRequest { return req(func(r *ALBRequest) { r.Host = h }) }
	path := func(p string) ALBRequest { return req(func(r *ALBRequest) { r.Path = p }) }
	header := func(k, v string) ALBRequest {
		return req(func(r *ALBRequest) { r.Headers[k] = []string{v} })
	}
	query := func(kv ...string) ALBRequest {
		return req(func(r *ALBRequest) {
			for i := 0; i+1 < len(kv); i += 2 {
				r.Query[kv[i]] = append(r.Query[kv[i]], kv[i+1])
			}
		})
	}
	method := func(m string) ALBRequest { return req(func(r *ALBRequest) { r.Method = m }) }
	source := func(ip string) ALBRequest { return req(func(r *ALBRequest) { r.SourceIP = ip }) }

	hostCond := ALBCondition{Field: "host-header", Values: []string{"*.example.com"}}
	userAgent := ALBCondition{Field: "http-header", Header: "User-Agent", Values: []string{"*Chrome*", "*Safari*"}}
	customMethod := ALBCondition{Field: "http-request-method", Values: []string{"CUSTOM-METHOD"}}
	images := ALBCondition{Field: "path-pattern", Values: []string{"/img/*"}}
	pics := ALBCondition{Field: "path-pattern", Values: []string{"/img/*/pics"}}
	versionOrExample := ALBCondition{Field: "query-string", Query: [][2]string{{"version", "v1"}, {"", "*example*"}}}
	sources := ALBCondition{Field: "source-ip", Values: []string{"192.0.2.0/24", "198.51.100.10/32"}}
	sourcesV6 := ALBCondition{Field: "source-ip", Values: []string{"2001:db8::/32"}}

	for _, c := range []struct {
		name string
		cond ALBCondition
		req  ALBRequest
		want bool
	}{
		// Host conditions: names are not case-sensitive; *.example.com
		// matches test.example.com but not example.com.
		{"host wildcard", hostCond, host("test.example.com"), true},
		{"host wildcard needs the dot", hostCond, host("example.com"), false},
		{"host case", hostCond, host("TEST.Example.COM"), true},
		{"host exact", ALBCondition{Field: "host-header", Values: []string{"example.com"}}, host("example.com"), true},
		// The Host header is compared as sent, port included (a value
		// cannot hold ':'; a rule for a port uses a regular expression).
		{"host with port", ALBCondition{Field: "host-header", Values: []string{"example.com"}}, host("example.com:8443"), false},
		{"host ?", ALBCondition{Field: "host-header", Values: []string{"test?.example.com"}}, host("test1.example.com"), true},
		{"host ? is one character", ALBCondition{Field: "host-header", Values: []string{"test?.example.com"}}, host("test12.example.com"), false},
		// HTTP header conditions: the name is not case-sensitive, the
		// values are compared without case, with wildcards.
		{"header Chrome", userAgent, header("user-agent", "Mozilla/5.0 Chrome/120.0"), true},
		{"header Safari", userAgent, header("USER-AGENT", "Mozilla/5.0 safari/605"), true},
		{"header Firefox", userAgent, header("User-Agent", "Mozilla/5.0 Firefox/121.0"), false},
		{"header absent", userAgent, header("X-Other", "Chrome"), false},
		// HTTP request method conditions: compared exactly, case-sensitive.
		{"method custom", customMethod, method("CUSTOM-METHOD"), true},
		{"method case", customMethod, method("custom-method"), false},
		{"method GET", ALBCondition{Field: "http-request-method", Values: []string{"GET", "HEAD"}}, method("HEAD"), true},
		// Path conditions: case-sensitive, on the path only.
		{"path prefix", images, path("/img/cat.jpg"), true},
		{"path nested", images, path("/img/a/b/c.png"), true},
		{"path case", images, path("/IMG/cat.jpg"), false},
		{"path other", images, path("/images/cat.jpg"), false},
		{"path middle wildcard", pics, path("/img/summer/pics"), true},
		{"path middle wildcard tail", pics, path("/img/summer/pics/1.jpg"), false},
		// Query string conditions: a pair or a value (any key), not
		// case-sensitive, with wildcards; one matching pair suffices.
		{"query pair", versionOrExample, query("version", "v1"), true},
		{"query pair case", versionOrExample, query("VERSION", "V1"), true},
		{"query value any key", versionOrExample, query("site", "my-example-page"), true},
		{"query neither", versionOrExample, query("version", "v2", "site", "other"), false},
		{"query none", versionOrExample, query(), false},
		{"query encoded", ALBCondition{Field: "query-string", Query: [][2]string{{"q", "a b"}}}, query("q", "a%20b"), true},
		// Source IP conditions: CIDR blocks, IPv4 and IPv6.
		{"source in /24", sources, source("192.0.2.44"), true},
		{"source /32", sources, source("198.51.100.10"), true},
		{"source outside", sources, source("198.51.100.11"), false},
		{"source v6", sourcesV6, source("2001:db8:1::5"), true},
		{"source v6 outside", sourcesV6, source("2001:db9::5"), false},
		{"source unknown", sources, source(""), false},
	} {
		r := MatchALB([]ALBCondition{c.cond}, c.req)
		if r.Matched() != c.want {
			t.Errorf("%s (%s): got %+v, want match %v", c.name, albConditionsPage, r, c.want)
		}
		if !r.Matched() && (r.Reason == "" || r.Field != c.cond.Field) {
			t.Errorf("%s: a no-match names its condition and says why: %+v", c.name, r)
		}
	}
	// A rule holds when all its conditions do.
	both := []ALBCondition{hostCond, images}
	if !MatchALB(both, req(func(r *ALBRequest) { r.Host, r.Path = "a.example.com", "/img/x" })).Matched() ||
		MatchALB(both, req(func(r *ALBRequest) { r.Host, r.Path = "a.example.org", "/img/x" })).Matched() {
		t.Errorf("%s: every condition of a rule must hold", albConditionsPage)
	}
	// Regular-expression conditions are not evaluated.
	if r := MatchALB([]ALBCondition{{Field: "path-pattern", Regex: []string{"^/api/v[0-9]+/"}}}, path("/api/v2/x")); r.Verdict != Unknown {
		t.Errorf("regex: %+v", r)
	}
	if r := MatchALB([]ALBCondition{{Field: "path-pattern", Regex: []string{"^/api/"}}, customMethod}, path("/api/v2/x")); r.Verdict != NoMatch {
		t.Errorf("a known failing condition decides: %+v", r)
	}
}

// Rules run in priority order, lowest first; the first match wins; the
// default action applies when none matches.
func TestRouteALBPriorityOrder(t *testing.T) {
	fwd := func(arns ...string) []ALBAction {
		a := ALBAction{Type: "forward"}
		for _, x := range arns {
			a.TargetGroups = append(a.TargetGroups, ALBTargetGroup{ARN: x})
		}
		return []ALBAction{a}
	}
	rules := []ALBRule{
		{Name: "catch-api", Priority: 20, Conditions: []ALBCondition{{Field: "path-pattern", Values: []string{"/api/*"}}}, Actions: fwd("tg-api")},
		{Name: "orders", Priority: 10, Conditions: []ALBCondition{{Field: "path-pattern", Values: []string{"/api/orders*"}}}, Actions: fwd("tg-orders")},
		{Name: "admin", Priority: 5, Conditions: []ALBCondition{{Field: "host-header", Values: []string{"admin.example.com"}}},
			Actions: []ALBAction{{Type: "authenticate-oidc", Order: 1}, {Type: "fixed-response", Order: 2}}},
		{Name: "canary", Priority: 30, Conditions: []ALBCondition{{Field: "path-pattern", Values: []string{"/v2/*"}}},
			Actions: []ALBAction{{Type: "forward", TargetGroups: []ALBTargetGroup{{ARN: "tg-blue", Weight: 90}, {ARN: "tg-green", Weight: 10}, {ARN: "tg-old", Weight: 0}}}}},
	}
	defaults := fwd("tg-web")
	for _, c := range []struct {
		host, path string
		rule       string
		tgs        string
		passed     int
	}{
		{"www.example.com", "/api/orders/42", "orders", "tg-orders", 1},
		{"www.example.com", "/api/users", "catch-api", "tg-api", 2},
		{"admin.example.com", "/api/orders/42", "admin", "", 0},
		{"www.example.com", "/v2/x", "canary", "tg-blue,tg-green", 3},
		{"www.example.com", "/about", "default", "tg-web", 4},
	} {
		r := RouteALB(rules, defaults, ALBRequest{Method: "GET", Host: c.host, Path: c.path})
		var tgs []string
		for _, tg := range r.TargetGroups {
			tgs = append(tgs, tg.ARN)
		}
		if r.Rule != c.rule || strings.Join(tgs, ",") != c.tgs || r.Passed != c.passed {
			t.Errorf("%s %s (%s): got %+v", c.host, c.path, albRulesPage, r)
		}
	}
	r := RouteALB(rules, defaults, ALBRequest{Method: "GET", Host: "www.example.com", Path: "/api/users"})
	if len(r.Misses) != 2 || r.Misses[1].Rule != "orders" || r.Misses[1].Result.Field != "path-pattern" || !strings.Contains(r.Misses[1].Result.Reason, `path "/api/users" matches none of /api/orders*`) {
		t.Errorf("misses: %+v", r.Misses)
	}
	r = RouteALB(rules, defaults, ALBRequest{Host: "admin.example.com", Path: "/"})
	if r.Action != "fixed-response" || len(r.Auth) != 1 {
		t.Errorf("%+v", r)
	}
	// An earlier rule that cannot be decided may take the request first.
	rules = append(rules, ALBRule{Name: "regex", Priority: 1, Conditions: []ALBCondition{{Field: "path-pattern", Regex: []string{"^/api/"}}}, Actions: fwd("tg-regex")})
	r = RouteALB(rules, defaults, ALBRequest{Host: "www.example.com", Path: "/api/orders"})
	if r.Rule != "orders" || len(r.Undecided) != 1 || r.Undecided[0].TargetGroups[0].ARN != "tg-regex" {
		t.Errorf("undecided: %+v", r)
	}
}

package eventmatch

import (
	"fmt"
	"net/netip"
	"net/url"
	"sort"
	"strings"
)

// ALBCondition is one condition of an ALB listener rule. Field is
// path-pattern, host-header, http-header, http-request-method,
// query-string or source-ip; a condition holds when any of its values
// matches, and a rule when all its conditions hold.
type ALBCondition struct {
	Field  string   `json:"field"`
	Header string   `json:"header,omitempty"` // http-header: the header name
	Values []string `json:"values,omitempty"`
	// Query holds query-string key/value pairs (an empty key is any key).
	Query [][2]string `json:"query,omitempty"`
	// Regex holds regular-expression values (host-header, http-header,
	// path-pattern), which are not evaluated: a rule with one answers
	// Unknown unless another of its conditions fails.
	Regex []string `json:"regex,omitempty"`
}

// ALBRequest is the part of a request listener rules look at.
type ALBRequest struct {
	Method string
	Host   string
	Path   string
	// Headers and Query hold every value of each name (as received: the
	// load balancer passes query strings to Lambda undecoded).
	Headers  map[string][]string
	Query    map[string][]string
	SourceIP string
}

// MatchALB decides a rule's conditions for a request, the way an
// Application Load Balancer does: path patterns are case-sensitive, host
// names, header values and query strings are not, header names are
// compared without case, a method is compared exactly, and '*' and '?'
// are wildcards in paths, hosts, header values and query strings.
func MatchALB(conds []ALBCondition, req ALBRequest) Result {
	var undecided *Result
	for _, c := range conds {
		ok := false
		switch c.Field {
		case "path-pattern":
			for _, v := range c.Values {
				ok = ok || albGlob(v, req.Path, false)
			}
		case "host-header":
			for _, v := range c.Values {
				ok = ok || albGlob(v, req.Host, true)
			}
		case "http-header":
			for _, h := range lookupFold(req.Headers, c.Header) {
				for _, v := range c.Values {
					ok = ok || albGlob(v, h, true)
				}
			}
		case "http-request-method":
			for _, v := range c.Values {
				ok = ok || v == req.Method
			}
		case "query-string":
			for _, kv := range c.Query {
				for k, vs := range req.Query {
					for _, v := range vs {
						if (kv[0] == "" || albGlob(kv[0], unescapeQuery(k), true)) && albGlob(kv[1], unescapeQuery(v), true) {
							ok = true
						}
					}
				}
			}
		case "source-ip":
			a, err := netip.ParseAddr(req.SourceIP)
			for _, v := range c.Values {
				if p, perr := netip.ParsePrefix(v); err == nil && perr == nil && p.Contains(a.Unmap()) {
					ok = true
				}
			}
		case "unresolved":
			// Another condition that fails still decides.
			if undecided == nil {
				undecided = &Result{Verdict: Unknown, Field: "condition", Reason: "the rule's conditions or listener are not resolved in the configuration"}
			}
			continue
		default:
			return Result{Verdict: Unknown, Field: c.Field, Reason: "condition type is not modelled"}
		}
		if !ok && len(c.Regex) > 0 {
			if undecided == nil {
				undecided = &Result{Verdict: Unknown, Field: c.Field, Reason: "regular-expression conditions are not evaluated"}
			}
			continue
		}
		if !ok {
			return Result{Verdict: NoMatch, Field: c.Field, Reason: describeALBMiss(c, req)}
		}
	}
	if undecided != nil {
		return *undecided
	}
	return Result{Verdict: Match}
}

func describeALBMiss(c ALBCondition, req ALBRequest) string {
	switch c.Field {
	case "path-pattern":
		return fmt.Sprintf("path %q matches none of %s", req.Path, strings.Join(c.Values, ", "))
	case "host-header":
		return fmt.Sprintf("host %q matches none of %s", req.Host, strings.Join(c.Values, ", "))
	case "http-header":
		if len(lookupFold(req.Headers, c.Header)) == 0 {
			return fmt.Sprintf("the request has no %s header", c.Header)
		}
		return fmt.Sprintf("header %s matches none of %s", c.Header, strings.Join(c.Values, ", "))
	case "http-request-method":
		return fmt.Sprintf("method %s is not %s", req.Method, strings.Join(c.Values, ", "))
	case "query-string":
		var pairs []string
		for _, kv := range c.Query {
			pairs = append(pairs, kv[0]+"="+kv[1])
		}
		return "the query string holds none of " + strings.Join(pairs, ", ")
	case "source-ip":
		if req.SourceIP == "" {
			return "the request's source address is not known (no X-Forwarded-For header)"
		}
		return fmt.Sprintf("source %s is in none of %s", req.SourceIP, strings.Join(c.Values, ", "))
	}
	return c.Field + " does not match"
}

func unescapeQuery(s string) string {
	if u, err := url.QueryUnescape(s); err == nil {
		return u
	}
	return s
}

func lookupFold(m map[string][]string, name string) []string {
	var out []string
	for k, v := range m {
		if strings.EqualFold(k, name) {
			out = append(out, v...)
		}
	}
	return out
}

// albGlob: '*' any run of characters, '?' exactly one.
func albGlob(pat, s string, fold bool) bool {
	if fold {
		pat, s = strings.ToLower(pat), strings.ToLower(s)
	}
	p, i, star, mark := 0, 0, -1, 0
	for i < len(s) {
		switch {
		case p < len(pat) && (pat[p] == '?' || pat[p] == s[i]):
			p++
			i++
		case p < len(pat) && pat[p] == '*':
			star, mark = p, i
			p++
		case star >= 0:
			mark++
			i = mark
			p = star + 1
		default:
			return false
		}
	}
	for p < len(pat) && pat[p] == '*' {
		p++
	}
	return p == len(pat)
}

// ALBRule is a listener rule: its priority (lower first), conditions and
// actions. Name says which rule it is in reasons.
type ALBRule struct {
	Name       string         `json:"-"`
	Priority   int            `json:"priority"`
	Conditions []ALBCondition `json:"conditions"`
	Actions    []ALBAction    `json:"actions"`
}

// ALBAction is one action of a rule, in the order it runs: authenticate-
// actions first, then one of forward, redirect or fixed-response.
type ALBAction struct {
	Type         string           `json:"type"`
	Order        int              `json:"order,omitempty"`
	TargetGroups []ALBTargetGroup `json:"target_groups,omitempty"`
}

// ALBTargetGroup is a forward action's target group and its weight.
type ALBTargetGroup struct {
	ARN    string `json:"arn"`
	Weight int    `json:"weight,omitempty"`
}

// ALBRoute is where a listener sends a request.
type ALBRoute struct {
	// Rule is the rule that took the request ("default" for the
	// listener's default action), with its priority.
	Rule     string
	Priority int
	// Action is the rule's final action: forward, redirect or
	// fixed-response; Auth lists the authenticate actions before it.
	Action string
	Auth   []string
	// TargetGroups receive the request (forward): with several, each
	// receives its weight's share.
	TargetGroups []ALBTargetGroup
	// Undecided holds earlier rules whose conditions could not be
	// decided: any of them may take the request first.
	Undecided []ALBRoute
	// Passed counts the rules tried before this one that did not match;
	// Misses says why each did not, in the order they were tried.
	Passed int
	Misses []ALBMiss
}

// ALBMiss is a rule that did not take the request, and the first
// condition that failed.
type ALBMiss struct {
	Rule     string
	Priority int
	Result   Result
}

// RouteALB evaluates a listener's rules as the load balancer does: in
// priority order, lowest first, the first rule whose conditions all hold
// takes the request; when none does, the default actions apply.
func RouteALB(rules []ALBRule, defaults []ALBAction, req ALBRequest) ALBRoute {
	sorted := append([]ALBRule(nil), rules...)
	sort.SliceStable(sorted, func(i, j int) bool {
		if sorted[i].Priority != sorted[j].Priority {
			return sorted[i].Priority < sorted[j].Priority
		}
		return sorted[i].Name < sorted[j].Name
	})
	var undecided []ALBRoute
	var misses []ALBMiss
	passed := 0
	for _, r := range sorted {
		switch res := MatchALB(r.Conditions, req); res.Verdict {
		case Match:
			out := routeOf(r.Name, r.Priority, r.Actions)
			out.Undecided, out.Passed, out.Misses = undecided, passed, misses
			return out
		case Unknown:
			undecided = append(undecided, routeOf(r.Name, r.Priority, r.Actions))
		default:
			misses = append(misses, ALBMiss{Rule: r.Name, Priority: r.Priority, Result: res})
		}
		passed++
	}
	out := routeOf("default", 0, defaults)
	out.Undecided, out.Passed, out.Misses = undecided, passed, misses
	return out
}

func routeOf(name string, priority int, actions []ALBAction) ALBRoute {
	out := ALBRoute{Rule: name, Priority: priority}
	sorted := append([]ALBAction(nil), actions...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Order < sorted[j].Order })
	for _, a := range sorted {
		if strings.HasPrefix(a.Type, "authenticate") {
			out.Auth = append(out.Auth, a.Type)
			continue
		}
		out.Action = a.Type
		if a.Type == "forward" {
			out.TargetGroups = receiving(a.TargetGroups)
		}
		break
	}
	return out
}

// receiving keeps the target groups that get traffic: a weight of 0
// takes none when another target group of the action has weight.
func receiving(tgs []ALBTargetGroup) []ALBTargetGroup {
	if len(tgs) <= 1 {
		return tgs
	}
	var out []ALBTargetGroup
	for _, tg := range tgs {
		if tg.Weight > 0 {
			out = append(out, tg)
		}
	}
	if len(out) == 0 {
		return tgs
	}
	return out
}

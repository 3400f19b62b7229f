package eventmatch

import (
	"fmt"
	"strings"
)

// Route is an API Gateway route key: "GET /items/{id}", "ANY /{proxy+}" or
// "$default" (HTTP APIs); REST API methods are written the same way.
type Route struct {
	Method   string
	Segments []string // nil for $default
	Default  bool
}

// ParseRoute reads a route key.
func ParseRoute(key string) (Route, error) {
	if key == "$default" {
		return Route{Default: true}, nil
	}
	method, path, ok := strings.Cut(key, " ")
	if !ok || method == "" || !strings.HasPrefix(path, "/") {
		return Route{}, fmt.Errorf("route key: want METHOD /path or $default")
	}
	r := Route{Method: strings.ToUpper(method)}
	if path != "/" {
		r.Segments = strings.Split(strings.TrimPrefix(path, "/"), "/")
	}
	for i, s := range r.Segments {
		if strings.HasSuffix(s, "+}") && i != len(r.Segments)-1 {
			return Route{}, fmt.Errorf("route key: a greedy {name+} must be the last segment")
		}
	}
	return r, nil
}

// Specificity orders the routes that match one request the way API
// Gateway picks among them: more literal segments first, then more
// segments, then a named method over ANY; $default is last. Higher wins.
func (r Route) Specificity() int {
	if r.Default {
		return -1
	}
	score := 0
	for _, s := range r.Segments {
		switch {
		case strings.HasSuffix(s, "+}"):
			score += 1
		case strings.HasPrefix(s, "{"):
			score += 100
		default:
			score += 10000
		}
	}
	if r.Method != "ANY" {
		score++
	}
	return score
}

// Match decides a request method and path.
func (r Route) Match(method, path string) Result {
	if r.Default {
		return Result{Verdict: Match}
	}
	if r.Method != "ANY" && !strings.EqualFold(r.Method, method) {
		return Result{Verdict: NoMatch, Field: "method", Reason: fmt.Sprintf("method %s is not %s", method, r.Method)}
	}
	var segs []string
	if p := strings.Trim(path, "/"); p != "" {
		segs = strings.Split(p, "/")
	}
	for i, s := range r.Segments {
		if strings.HasSuffix(s, "+}") && strings.HasPrefix(s, "{") {
			if i < len(segs) {
				return Result{Verdict: Match}
			}
			return Result{Verdict: NoMatch, Field: "path", Reason: fmt.Sprintf("path %s has nothing for %s", path, s)}
		}
		if i >= len(segs) {
			return Result{Verdict: NoMatch, Field: "path", Reason: fmt.Sprintf("path %s is shorter than the route", path)}
		}
		if strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}") {
			continue
		}
		if s != segs[i] {
			return Result{Verdict: NoMatch, Field: "path", Reason: fmt.Sprintf("path segment %d is %q, route wants %q", i+1, segs[i], s)}
		}
	}
	if len(segs) != len(r.Segments) {
		return Result{Verdict: NoMatch, Field: "path", Reason: fmt.Sprintf("path %s is longer than the route", path)}
	}
	return Result{Verdict: Match}
}

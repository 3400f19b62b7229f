package eventmatch

import (
	"fmt"
	"net/netip"
	"strings"
)

// ALBCondition is one condition of an ALB listener rule. Field is
// path-pattern, host-header, http-header, http-request-method,
// query-string or source-ip; a condition holds when any of its values
// matches, and a rule when all its conditions hold.
type ALBCondition struct {
	Field  string
	Header string // http-header: the header name
	Values []string
	// Query holds query-string key/value pairs (an empty key is any key).
	Query [][2]string
}

// ALBRequest is the part of a request listener rules look at.
type ALBRequest struct {
	Method   string
	Host     string
	Path     string
	Headers  map[string]string // names in any case
	Query    map[string]string
	SourceIP string
}

// MatchALB decides a rule's conditions for a request.
func MatchALB(conds []ALBCondition, req ALBRequest) Result {
	for _, c := range conds {
		ok := false
		switch c.Field {
		case "path-pattern":
			// Path patterns are case-sensitive.
			for _, v := range c.Values {
				ok = ok || albGlob(v, req.Path, false)
			}
		case "host-header":
			for _, v := range c.Values {
				ok = ok || albGlob(v, req.Host, true)
			}
		case "http-header":
			h, present := lookupFold(req.Headers, c.Header)
			for _, v := range c.Values {
				ok = ok || present && albGlob(v, h, true)
			}
		case "http-request-method":
			for _, v := range c.Values {
				ok = ok || v == req.Method
			}
		case "query-string":
			for _, kv := range c.Query {
				for k, v := range req.Query {
					if (kv[0] == "" || strings.EqualFold(kv[0], k)) && albGlob(kv[1], v, true) {
						ok = true
					}
				}
			}
		case "source-ip":
			a, err := netip.ParseAddr(req.SourceIP)
			for _, v := range c.Values {
				if p, perr := netip.ParsePrefix(v); err == nil && perr == nil && p.Contains(a) {
					ok = true
				}
			}
		default:
			return Result{Verdict: Unknown, Field: c.Field, Reason: "condition type is not modelled"}
		}
		if !ok {
			return Result{Verdict: NoMatch, Field: c.Field, Reason: fmt.Sprintf("%s matches none of %s", c.Field, strings.Join(c.Values, ", "))}
		}
	}
	return Result{Verdict: Match}
}

func lookupFold(m map[string]string, name string) (string, bool) {
	for k, v := range m {
		if strings.EqualFold(k, name) {
			return v, true
		}
	}
	return "", false
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

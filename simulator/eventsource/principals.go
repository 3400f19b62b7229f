package eventsource

import (
	"maps"
	"slices"
	"sort"
	"strings"
	"sync"
)

// otherInvokers are service principals AWS documents as invoking a
// function through its resource-based policy for paths lambdacheck does
// not simulate as triggers, so that a permission naming them is not
// mistaken for a misspelling:
//
//   - appsync.amazonaws.com: AWS AppSync Developer Guide, "Configuring
//     authorization and authentication" (AWS_LAMBDA authorizers).
//   - transfer.amazonaws.com: AWS Transfer Family User Guide, "Using AWS
//     Lambda to integrate your identity provider".
//   - ivschat.amazonaws.com: Amazon IVS Chat User Guide, "Chat message
//     review handler".
//   - voiceconnector.chime.amazonaws.com: Amazon Chime SDK Administrator
//     Guide, "Using SIP media applications" (Lambda endpoint).
//   - edgelambda.amazonaws.com: Lambda@Edge replicates the function; the
//     CloudFront Developer Guide, "Setting IAM permissions and roles for
//     Lambda@Edge", has it in the execution role's trust, and it is seen
//     in function policies.
//   - serverlessrepo.amazonaws.com: AWS Serverless Application Repository
//     Developer Guide, "Application permissions" (nested applications).
var otherInvokers = []string{
	"appsync.amazonaws.com",
	"transfer.amazonaws.com",
	"ivschat.amazonaws.com",
	"voiceconnector.chime.amazonaws.com",
	"edgelambda.amazonaws.com",
	"serverlessrepo.amazonaws.com",
}

// principalSet is every known invoking principal: the push sources' forms
// (a "${Region}" form as a prefix and suffix), the role-based invokers'
// trusted principals and otherInvokers.
type principalSet struct {
	exact    map[string]bool
	regional [][2]string // prefix, suffix around the region
	all      []string    // for suggestions, regional forms written with "REGION"
}

var knownPrincipals = sync.OnceValue(func() principalSet {
	r := Default()
	ps := principalSet{exact: map[string]bool{}}
	add := func(p string) {
		if before, after, ok := strings.Cut(p, "${Region}"); ok {
			ps.regional = append(ps.regional, [2]string{before, after})
			ps.all = append(ps.all, before+"REGION"+after)
			return
		}
		if !ps.exact[p] {
			ps.exact[p] = true
			ps.all = append(ps.all, p)
		}
	}
	for _, t := range slices.Sorted(maps.Keys(r.push)) {
		for _, f := range r.push[t].Forms {
			add(f)
		}
	}
	for _, t := range slices.Sorted(maps.Keys(r.roles)) {
		add(r.roles[t].TrustPrincipal)
	}
	for _, p := range otherInvokers {
		add(p)
	}
	sort.Strings(ps.all)
	return ps
})

// IsServicePrincipal reports whether a permission's principal names a
// service (not "*", an account id or an ARN).
func IsServicePrincipal(p string) bool {
	if p == "" || p == "*" || strings.HasPrefix(p, "arn:") || strings.ContainsAny(p, "<>") {
		return false
	}
	digits := true
	for _, c := range p {
		if c < '0' || c > '9' {
			digits = false
			break
		}
	}
	return !digits && strings.Contains(p, ".")
}

// KnownInvoker reports whether a service principal is one AWS documents
// as invoking Lambda functions. Case is ignored, as IAM does for
// principals.
func KnownInvoker(principal string) bool {
	ps := knownPrincipals()
	p := strings.ToLower(principal)
	if ps.exact[p] {
		return true
	}
	for _, r := range ps.regional {
		if strings.HasPrefix(p, r[0]) && strings.HasSuffix(p, r[1]) && len(p) > len(r[0])+len(r[1]) {
			region := p[len(r[0]) : len(p)-len(r[1])]
			if !strings.ContainsAny(region, ".:/") {
				return true
			}
		}
	}
	return false
}

// Suggest returns the known invoking principal closest to an unknown one
// by edit distance, or "" when none is close (more than a third of the
// known name differs).
func Suggest(principal string) string {
	p := strings.ToLower(principal)
	if len(p) > 256 {
		return ""
	}
	best, bestD := "", -1
	for _, k := range knownPrincipals().all {
		d := editDistance(p, k)
		if bestD < 0 || d < bestD {
			best, bestD = k, d
		}
	}
	if bestD < 0 || bestD*3 > len(best) {
		return ""
	}
	return best
}

// editDistance is the Levenshtein distance of two strings, by byte.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

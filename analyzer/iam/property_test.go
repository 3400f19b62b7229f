package iam

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/lambdacheck/lambdacheck/analyzer/iam/condition"
)

// Properties of the decision that hold whatever the policies, checked on
// random policies and requests:
//
//   - adding an Allow statement to a policy never turns Allowed into
//     anything else;
//   - adding a Deny statement never turns anything into Allowed;
//   - a statement holding a policy variable that the request cannot
//     resolve never grants more than the same policies without it (the
//     fail-closed reading of "IAM policy elements: Variables and tags").

type stmt = map[string]any

type policySet struct {
	identity, boundary, session, resource []stmt
	scp                                   [][]stmt // one level; empty: none
	hasBoundary, hasSession, hasResource  bool
}

var (
	propActions   = []any{"s3:GetObject", "s3:*", "s3:Get*", "sqs:SendMessage", "*", []any{"s3:PutObject", "sqs:*"}}
	propResources = []any{"*", "arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/home/${aws:username}/*", "arn:aws:s3:::other/*",
		"arn:aws:sqs:us-east-1:${aws:PrincipalAccount}:jobs", "arn:aws:sqs:*:111111111111:*", "arn:aws:s3:::bucket/${aws:PrincipalTag/team, 'shared'}/*"}
	propConditions = []map[string]any{
		nil,
		{"StringEquals": map[string]any{"aws:ResourceTag/team": "${aws:PrincipalTag/team}"}},
		{"StringNotEquals": map[string]any{"aws:ResourceTag/team": "${aws:PrincipalTag/team}"}},
		{"StringNotEqualsIfExists": map[string]any{"aws:ResourceTag/team": "red"}},
		{"NotIpAddress": map[string]any{"aws:SourceIp": "10.0.0.0/8"}},
		{"IpAddress": map[string]any{"aws:SourceIp": []any{"10.0.0.0/8", "192.168.0.0/16"}}},
		{"DateNotEquals": map[string]any{"aws:CurrentTime": "2026-01-01T00:00:00Z"}},
		{"ForAnyValue:StringEqualsIfExists": map[string]any{"aws:TagKeys": "team"}},
		{"ForAllValues:StringLike": map[string]any{"aws:TagKeys": "t*"}},
		{"Bool": map[string]any{"aws:SecureTransport": "true"}},
		{"ArnNotLike": map[string]any{"aws:SourceArn": "arn:aws:sns:*:111111111111:*"}},
		{"NumericNotEquals": map[string]any{"s3:max-keys": "10"}},
	}
	propPrincipals = []any{"*", map[string]any{"AWS": "arn:aws:iam::111111111111:role/app"}, map[string]any{"AWS": "111111111111"},
		map[string]any{"AWS": "arn:aws:iam::111111111111:user/alice"}, map[string]any{"AWS": "arn:aws:iam::222222222222:root"}}
	propRequestPrincipals = []string{"arn:aws:iam::111111111111:user/alice", "arn:aws:sts::111111111111:assumed-role/app/s1", "arn:aws:iam::222222222222:user/carol"}
	propRequestActions    = []string{"s3:GetObject", "s3:PutObject", "sqs:SendMessage"}
	propRequestResources  = []string{"arn:aws:s3:::bucket/home/alice/x", "arn:aws:s3:::bucket/red/y", "arn:aws:s3:::other/z", "arn:aws:sqs:us-east-1:111111111111:jobs"}
	propContext           = []struct {
		key  string
		vals []any // one is chosen; a []string value is multivalued
	}{
		{"aws:username", []any{"alice"}},
		{"aws:PrincipalTag/team", []any{"red", "blue"}},
		{"aws:ResourceTag/team", []any{"red", "blue"}},
		{"aws:SourceIp", []any{"10.1.2.3", "203.0.113.9", "not-an-ip"}},
		{"aws:CurrentTime", []any{"2026-01-01T00:00:00Z", "yesterday"}},
		{"aws:TagKeys", []any{[]string{"team"}, []string{"team", "env"}}},
		{"aws:SecureTransport", []any{"true", "false"}},
		{"aws:SourceArn", []any{"arn:aws:sns:us-east-1:111111111111:t", "topic"}},
		{"aws:PrincipalAccount", []any{"111111111111", "222222222222"}},
		{"s3:max-keys", []any{"10", "ten"}},
	}
)

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

func randomStatement(r *rand.Rand, effect string, withPrincipal bool) stmt {
	s := stmt{"Effect": effect}
	if r.IntN(5) == 0 {
		s["NotAction"] = pick(r, propActions)
	} else {
		s["Action"] = pick(r, propActions)
	}
	if r.IntN(4) == 0 {
		s["NotResource"] = pick(r, propResources)
	} else {
		s["Resource"] = pick(r, propResources)
	}
	if c := pick(r, propConditions); c != nil && r.IntN(2) == 0 {
		s["Condition"] = c
	}
	if withPrincipal {
		if effect == "Deny" && r.IntN(4) == 0 {
			s["NotPrincipal"] = map[string]any{"AWS": "arn:aws:iam::111111111111:role/app"}
		} else if effect == "Allow" && r.IntN(10) == 0 {
			s["NotPrincipal"] = map[string]any{"AWS": "arn:aws:iam::111111111111:role/app"}
		} else {
			s["Principal"] = pick(r, propPrincipals)
		}
	}
	return s
}

func randomEffect(r *rand.Rand) string {
	if r.IntN(3) == 0 {
		return "Deny"
	}
	return "Allow"
}

func randomStatements(r *rand.Rand, n int, withPrincipal bool) []stmt {
	out := make([]stmt, 0, n)
	for i := 0; i < n; i++ {
		out = append(out, randomStatement(r, randomEffect(r), withPrincipal))
	}
	return out
}

func randomPolicySet(r *rand.Rand) policySet {
	ps := policySet{identity: randomStatements(r, 1+r.IntN(3), false)}
	if r.IntN(3) == 0 {
		ps.hasBoundary, ps.boundary = true, randomStatements(r, 1+r.IntN(2), false)
	}
	if r.IntN(4) == 0 {
		ps.hasSession, ps.session = true, randomStatements(r, 1+r.IntN(2), false)
	}
	if r.IntN(2) == 0 {
		ps.hasResource, ps.resource = true, randomStatements(r, 1+r.IntN(3), true)
	}
	if r.IntN(4) == 0 {
		ps.scp = [][]stmt{append(randomStatements(r, r.IntN(2), false), stmt{"Effect": "Allow", "Action": "*", "Resource": "*"})}
	}
	return ps
}

func randomRequest(r *rand.Rand) *Request {
	p, err := ParsePrincipal(pick(r, propRequestPrincipals))
	if err != nil {
		panic(err)
	}
	ctx := condition.NewContext()
	for _, k := range propContext {
		switch r.IntN(5) {
		case 0, 1: // missing
		case 2:
			ctx.SetUnknown(k.key)
		default:
			switch v := pick(r, k.vals).(type) {
			case string:
				ctx.Set(k.key, v)
			case []string:
				ctx.SetMulti(k.key, v)
			}
		}
	}
	return &Request{Principal: p, Action: pick(r, propRequestActions), Resource: pick(r, propRequestResources), ResourceAccount: "111111111111", Context: ctx}
}

func compile(t *testing.T, stmts []stmt, kind Kind, name string) *Policy {
	t.Helper()
	doc, err := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": stmts})
	if err != nil {
		t.Fatal(err)
	}
	p, err := Parse(doc, kind, Source{Name: name})
	if err != nil {
		t.Fatalf("%s: %v\n%s", name, err, doc)
	}
	return p
}

func (ps policySet) compile(t *testing.T) *Policies {
	pols := &Policies{Identity: []*Policy{compile(t, ps.identity, IdentityPolicy, "identity")}}
	if ps.hasBoundary {
		pols.Boundary = []*Policy{compile(t, ps.boundary, BoundaryPolicy, "boundary")}
	}
	if ps.hasSession {
		pols.Session = []*Policy{compile(t, ps.session, SessionPolicy, "session")}
	}
	if ps.hasResource {
		pols.Resource = compile(t, ps.resource, ResourcePolicy, "resource")
	}
	for _, lvl := range ps.scp {
		pols.SCP = append(pols.SCP, []*Policy{compile(t, lvl, ServiceControlPolicy, "scp")})
	}
	return pols
}

func (ps policySet) String() string {
	b, _ := json.Marshal(map[string]any{"identity": ps.identity, "boundary": ps.boundary, "session": ps.session, "resource": ps.resource, "scp": ps.scp})
	return string(b)
}

// withStatement returns ps with s added to one of its policies, chosen by r.
func (ps policySet) withStatement(r *rand.Rand, s stmt, principal stmt) policySet {
	out := ps
	clone := func(xs []stmt) []stmt { return append(append([]stmt(nil), xs...), s) }
	switch r.IntN(5) {
	case 1:
		if ps.hasBoundary {
			out.boundary = clone(ps.boundary)
			return out
		}
	case 2:
		if ps.hasSession {
			out.session = clone(ps.session)
			return out
		}
	case 3:
		if ps.hasResource {
			rs := stmt{}
			for k, v := range s {
				rs[k] = v
			}
			for k, v := range principal {
				rs[k] = v
			}
			out.resource = append(append([]stmt(nil), ps.resource...), rs)
			return out
		}
	case 4:
		if len(ps.scp) > 0 {
			out.scp = [][]stmt{append(append([]stmt(nil), ps.scp[0]...), s)}
			return out
		}
	}
	out.identity = clone(ps.identity)
	return out
}

// permissiveness orders decisions: denied < conditional < allowed.
func permissiveness(d Decision) int {
	switch d {
	case Allowed:
		return 2
	case Conditional:
		return 1
	}
	return 0
}

func TestPropertyAddingStatements(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 3000; i++ {
		ps := randomPolicySet(r)
		req := randomRequest(r)
		before := Authorize(req, ps.compile(t)).Decision
		principal := stmt{"Principal": pick(r, propPrincipals)}

		allowed := ps.withStatement(r, randomStatement(r, "Allow", false), principal)
		if after := Authorize(req, allowed.compile(t)).Decision; before == Allowed && after != Allowed {
			t.Fatalf("case %d: adding an Allow turned Allowed into %s\nrequest %s %s %s\nbefore %s\nafter  %s", i, after, req.Principal.ARN, req.Action, req.Resource, ps, allowed)
		}
		denied := ps.withStatement(r, randomStatement(r, "Deny", false), principal)
		if after := Authorize(req, denied.compile(t)).Decision; before != Allowed && after == Allowed {
			t.Fatalf("case %d: adding a Deny turned %s into Allowed\nrequest %s %s %s\nbefore %s\nafter  %s", i, before, req.Principal.ARN, req.Action, req.Resource, ps, denied)
		}
	}
}

func TestPropertyUnresolvableStatementGrantsNothing(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	const missing = "aws:PrincipalTag/never-set"
	unresolvable := func(r *rand.Rand, effect string) stmt {
		s := randomStatement(r, effect, false)
		v := "${" + missing + "}"
		switch r.IntN(4) {
		case 0:
			delete(s, "NotResource")
			s["Resource"] = "arn:aws:s3:::bucket/" + v + "/*"
		case 1:
			delete(s, "Resource")
			s["NotResource"] = "arn:aws:s3:::bucket/" + v + "/*"
		case 2:
			s["Condition"] = map[string]any{"StringEquals": map[string]any{"aws:ResourceTag/team": v}}
		default:
			s["Condition"] = map[string]any{"StringNotEquals": map[string]any{"aws:ResourceTag/team": v}}
		}
		return s
	}
	checked := 0
	for i := 0; i < 3000; i++ {
		ps := randomPolicySet(r)
		req := randomRequest(r)
		req.Context.SetMissing(missing)
		without := Authorize(req, ps.compile(t)).Decision
		with := ps.withStatement(r, unresolvable(r, randomEffect(r)), stmt{"Principal": pick(r, propPrincipals)})
		got := Authorize(req, with.compile(t)).Decision
		if permissiveness(got) > permissiveness(without) {
			t.Fatalf("case %d: a statement with an unresolvable variable made %s into %s\nrequest %s %s %s\nwithout %s\nwith    %s", i, without, got, req.Principal.ARN, req.Action, req.Resource, ps, with)
		}
		checked++
	}
	if checked == 0 {
		t.Fatal("no case checked")
	}
}

func TestPropertyGeneratorCoversDecisions(t *testing.T) {
	// The properties mean little if the random cases all decide alike.
	r := rand.New(rand.NewPCG(1, 2))
	seen := map[Decision]int{}
	for i := 0; i < 1000; i++ {
		ps := randomPolicySet(r)
		seen[Authorize(randomRequest(r), ps.compile(t)).Decision]++
	}
	for _, d := range []Decision{Allowed, ImplicitlyDenied, ExplicitlyDenied, Conditional} {
		if seen[d] < 20 {
			t.Fatalf("random cases decide %s only %d times in 1000: %v", d, seen[d], fmt.Sprint(seen))
		}
	}
}

package iam

import (
	"bytes"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/lambdacheck/lambdacheck/fixtures/gen/authzcase"
)

// Generated lines share a layout: after the first, each is read by the
// plan, and decided as DecodeCaseWith decides it.
func TestLinePlanReadsLinesOfOneLayout(t *testing.T) {
	d := NewCaseDecoder(ParseOptions{})
	sameDecision(t, d, []byte(authzcase.Typical(0)), ParseOptions{})
	if len(d.plan.steps) < 10 {
		t.Fatalf("no plan after a generated line: %d steps", len(d.plan.steps))
	}
	for i := 1; i < 30; i++ {
		line := []byte(authzcase.Typical(i))
		d.reader.arena.reset()
		c, ok := d.byPlan(line)
		if !ok {
			t.Fatalf("line %d does not fit the plan of the line before", i)
		}
		if string(c.ID) != `"c`+strconv.Itoa(i)+`"` || c.Request.Principal.SessionARN != "arn:aws:sts::111111111111:assumed-role/app/s"+strconv.Itoa(i) {
			t.Fatalf("line %d read as id %s, principal %+v", i, c.ID, c.Request.Principal)
		}
		sameDecision(t, d, line, ParseOptions{})
	}
}

// A line laid out otherwise, or with a value of another kind, is not read
// by the plan.
func TestLinePlanRefusesOtherLayouts(t *testing.T) {
	base := authzcase.Typical(1)
	for name, line := range map[string]string{
		"space":         strings.Replace(base, `"action":`, `"action": `, 1),
		"member order":  strings.Replace(strings.Replace(base, `"id":"c1",`, ``, 1), `}]]}`, `}]],"id":"c1"}`, 1),
		"more context":  strings.Replace(base, `"aws:SourceIp"`, `"aws:SourceVpc":"vpc-1","aws:SourceIp"`, 1),
		"number action": strings.Replace(base, `"action":"s3:GetObject"`, `"action":7`, 1),
		"escape":        strings.Replace(base, `"resource":"arn:aws:s3:::bucket-1/key/1"`, `"resource":"arn:aws:s3:::bucket-1/key\/1"`, 1),
		"trailing":      base + " ",
		"cut":           base[:len(base)-1],
		"no colon":      strings.Replace(base, `"action":"s3:GetObject"`, `"action":"s3GetObject"`, 1),
	} {
		d := NewCaseDecoder(ParseOptions{})
		sameDecision(t, d, []byte(authzcase.Typical(0)), ParseOptions{})
		d.reader.arena.reset()
		if _, ok := d.byPlan([]byte(line)); ok {
			t.Errorf("%s: read by the plan of another layout", name)
		}
		sameDecision(t, d, []byte(line), ParseOptions{})
	}
	// A context value is a scalar or a list wherever it sits, by the plan
	// as in full.
	d := NewCaseDecoder(ParseOptions{})
	sameDecision(t, d, []byte(authzcase.Typical(0)), ParseOptions{})
	list := []byte(strings.Replace(base, `"aws:SourceIp":"10.0.1.1"`, `"aws:SourceIp":["10.0.1.1"]`, 1))
	d.reader.arena.reset()
	c, ok := d.byPlan(list)
	if !ok {
		t.Fatal("a list context value is not read by the plan")
	}
	if vals, _ := c.Request.Context.Lookup("aws:sourceip"); len(vals) != 1 || !c.Request.Context.IsMulti("aws:SourceIp") {
		t.Fatalf("the list value was read as %v (multivalued %v)", vals, c.Request.Context.IsMulti("aws:SourceIp"))
	}
	sameDecision(t, d, list, ParseOptions{})
}

// A session of the role of the session before is read from it; anything
// else is parsed: the result is ParsePrincipal's either way.
func TestReaderPrincipalReusesTheSessionBefore(t *testing.T) {
	r := &policyReader{}
	for _, s := range []string{
		"arn:aws:sts::111111111111:assumed-role/app/s0",
		"arn:aws:sts::111111111111:assumed-role/app/s1",
		"arn:aws:sts::111111111111:assumed-role/app/with/slash",
		"arn:aws:sts::111111111111:assumed-role/app/",
		"arn:aws:sts::111111111111:assumed-role/app2/s1",
		"arn:aws:sts::111111111111:assumed-role/app/s:colon",
		"arn:aws:sts::222222222222:assumed-role/app/s1",
		"arn:aws-cn:sts::111111111111:assumed-role/app/s1",
		"arn:aws:iam::111111111111:role/app",
		"arn:aws:sts::111111111111:assumed-role/AWSServiceRoleForX/s",
		"arn:aws:sts::111111111111:assumed-role/AWSServiceRoleForX/t",
		"arn:aws:sts::111111111111:assumed-role/app/s2",
		"111111111111",
	} {
		// The line the ARN is read from is overwritten afterwards, as batch
		// buffers are: nothing kept may alias it.
		line := []byte(s)
		got, gerr := r.principal(alias(line))
		want, werr := ParsePrincipal(s)
		if (gerr == nil) != (werr == nil) {
			t.Fatalf("%s: error %v, want %v", s, gerr, werr)
		}
		if gerr == nil {
			got = Principal{ARN: strings.Clone(got.ARN), Kind: got.Kind, Partition: strings.Clone(got.Partition), Account: strings.Clone(got.Account),
				RoleName: strings.Clone(got.RoleName), SessionARN: strings.Clone(got.SessionARN), RoleARN: strings.Clone(got.RoleARN), ServiceLinked: got.ServiceLinked}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%s:\n%+v\nwant\n%+v", s, got, want)
			}
		}
		copy(line, bytes.Repeat([]byte("#"), len(line)))
		if r.sessionPrefix > 0 && strings.Contains(r.lastPrincipal.RoleName+r.lastPrincipal.Account+r.lastPrincipal.SessionARN, "#") {
			t.Fatalf("%s: the principal kept for the next line aliases this one", s)
		}
	}
}

// Two lines decoded one after the other are decided as DecodeCaseWith
// decides each, whatever the plan and shapes the first one left.
func FuzzCaseDecoderPairs(f *testing.F) {
	for i := 0; i < 4; i++ {
		a, b := authzcase.Typical(i), authzcase.Typical(i+7)
		f.Add([]byte(a), []byte(b))
		f.Add([]byte(a), []byte(strings.Replace(b, `"aws:SecureTransport":"true"`, `"aws:SecureTransport":false`, 1)))
		f.Add([]byte(a), []byte(strings.Replace(b, `"principal":"arn:aws:sts::111111111111:assumed-role/app/`, `"principal":"arn:aws:sts::111111111111:assumed-role/app/x/`, 1)))
		f.Add([]byte(a), []byte(strings.Replace(b, `"Resource":"*"`, `"Resource":"arn:aws:s3:::*"`, 1)))
	}
	f.Fuzz(func(t *testing.T, a, b []byte) {
		d := NewCaseDecoder(ParseOptions{})
		sameDecision(t, d, a, ParseOptions{})
		sameDecision(t, d, b, ParseOptions{})
		sameDecision(t, d, a, ParseOptions{})
		sameDecision(t, d, b, ParseOptions{})
	})
}

package iam

import (
	"bufio"
	"bytes"
	"fmt"
	"github.com/lambdacheck/lambdacheck/analyzer/iam/condition"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sameDecision compares what CaseDecoder and DecodeCaseWith make of line.
func sameDecision(t *testing.T, d *CaseDecoder, line []byte, opt ParseOptions) {
	t.Helper()
	want, werr := DecodeCaseWith(line, opt)
	got, gerr := d.Decode(line)
	if (werr == nil) != (gerr == nil) || (werr != nil && werr.Error() != gerr.Error()) {
		t.Fatalf("%s\nerror %v, want %v", line, gerr, werr)
	}
	if string(got.ID) != string(want.ID) {
		t.Fatalf("%s\nid %s, want %s", line, got.ID, want.ID)
	}
	if werr != nil {
		return
	}
	if got.Request.Principal != want.Request.Principal || got.Request.Action != want.Request.Action ||
		got.Request.Resource != want.Request.Resource || got.Request.ResourceAccount != want.Request.ResourceAccount {
		t.Fatalf("%s\nrequest %+v\nwant    %+v", line, got.Request, want.Request)
	}
	if a, b := describeContext(got.Request.Context), describeContext(want.Request.Context); a != b {
		t.Fatalf("%s\ncontext %s\nwant    %s", line, a, b)
	}
	if a, b := describe(got.Authorize()), describe(want.Authorize()); a != b {
		t.Fatalf("%s\ndecided %s\nwant    %s", line, a, b)
	}
}

func describeContext(c *condition.Context) string {
	var b strings.Builder
	for _, k := range c.Keys() {
		vals, state := c.Lookup(k)
		fmt.Fprintf(&b, "%s=%q/%v/%v ", k, vals, state, c.IsMulti(k))
	}
	return b.String()
}

func describe(r Result) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %q", r.Decision, r.Reason)
	for _, m := range r.Matches {
		fmt.Fprintf(&b, " %s/%s#%d/%d/%v", m.Layer, m.Statement.Policy.Name, m.Statement.Index, m.Statement.Line, m.Certain)
	}
	return b.String()
}

func TestCaseDecoderDecidesAsDecodeCase(t *testing.T) {
	files, err := filepath.Glob("testdata/decisions/*.jsonl")
	if err != nil || len(files) == 0 {
		t.Fatalf("no decision cases: %v", err)
	}
	var lines [][]byte
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(bytes.NewReader(data))
		sc.Buffer(nil, 16<<20)
		for sc.Scan() {
			line := bytes.TrimSpace(sc.Bytes())
			if len(line) == 0 || line[0] == '#' {
				continue
			}
			lines = append(lines, append([]byte(nil), line...))
		}
	}
	// Malformed shapes the fast path must hand to DecodeCaseWith.
	for _, extra := range []string{
		`{"request":{"principal":"arn:aws:iam::111111111111:user/a","action":"s3:GetObject","resource":"*"},"identityPolicies":{}}`,
		`{"request":{"principal":"arn:aws:iam::111111111111:user/a","action":"s3:GetObject","resource":"*"},"identityPolicies":[1]}`,
		`{"request":{"principal":"arn:aws:iam::111111111111:user/a","action":"s3:GetObject","resource":"*"},"serviceControlPolicies":[{}]}`,
		`{"id":1,"id":2,"request":{"principal":"arn:aws:iam::111111111111:user/a","action":"s3:GetObject","resource":"*"}}`,
		`{"id":"x","request":{"principal":"arn:aws:iam::111111111111:user/a","action":"s3:GetObject","resource":"*"}} x`,
		`{"id":"x","request":{"principal":"arn:aws:iam::111111111111:user/a","action":"s3:GetObject","resource":"*"},"identityPolicies":[{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}},]}`,
		`{"id":"x"}`,
		`{}`,
		`[]`,
		`{"id":"\u0041","request":{"principal":"arn:aws:iam::111111111111:user/a","action":"s3:GetObject","resource":"*"},"resourcePolicy":null}`,
	} {
		lines = append(lines, []byte(extra))
	}
	for _, lenient := range []bool{false, true} {
		opt := ParseOptions{Lenient: lenient}
		d := NewCaseDecoder(opt)
		// The second pass caches what the first saw; the third finds
		// policies that stayed in their slot by comparing texts.
		for pass := 0; pass < 3; pass++ {
			for _, line := range lines {
				sameDecision(t, d, line, opt)
				if pass == 2 {
					sameDecision(t, d, line, opt)
				}
			}
		}
		if len(d.cache) == 0 {
			t.Fatal("nothing was cached")
		}
	}
}

func TestCaseDecoderKeepsPoliciesApartBySlot(t *testing.T) {
	pol := `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}`
	line := []byte(`{"request":{"principal":"arn:aws:iam::111111111111:user/a","action":"s3:GetObject","resource":"*"},"identityPolicies":[` + pol + `],"permissionBoundaries":[` + pol + `]}`)
	d := NewCaseDecoder(ParseOptions{})
	if _, err := d.Decode(line); err != nil {
		t.Fatal(err)
	}
	// A text is cached the second time it is seen.
	second := append([]byte(nil), line...)
	c, err := d.Decode(second)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.cache) != 1 || d.bytes != 2*len(pol) {
		t.Fatalf("want one text cached under two slots, got %d texts", len(d.cache))
	}
	if c.Policies.Identity[0] == c.Policies.Boundary[0] || c.Policies.Boundary[0].Name != "permissionBoundaries[0]" || c.Policies.Boundary[0].Kind != BoundaryPolicy {
		t.Fatalf("one text in two slots must give two policies, got %+v and %+v", c.Policies.Identity[0].Source, c.Policies.Boundary[0].Source)
	}
	// The cached policy must not alias the line, which batch runs reuse.
	for i := range second {
		second[i] = ' '
	}
	if got := c.Policies.Identity[0].Statements[0].Actions[0]; got != "s3:*" {
		t.Fatalf("cached policy changed with the input buffer: %q", got)
	}
}

func FuzzCaseDecoder(f *testing.F) {
	f.Add([]byte(`{"id":"c","request":{"principal":"arn:aws:iam::111111111111:user/a","action":"s3:GetObject","resource":"*"},"identityPolicies":[{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}],"serviceControlPolicies":[[{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}]]}`))
	f.Add([]byte(`{"request":{"principal":"","action":"s3:GetObject","resource":"*"},"resourcePolicy":{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"s3:*"}}}`))
	d := NewCaseDecoder(ParseOptions{})
	f.Fuzz(func(t *testing.T, line []byte) {
		sameDecision(t, d, line, ParseOptions{})
		sameDecision(t, d, line, ParseOptions{}) // cached now
		sameDecision(t, d, line, ParseOptions{}) // found in their slots
	})
}

func BenchmarkSkipValue(b *testing.B) {
	line := []byte(`{"identityPolicies":[{"Version":"2012-10-17","Statement":[{"Sid":"Read","Effect":"Allow","Action":["s3:GetObject","s3:ListBucket"],"Resource":["arn:aws:s3:::bucket-0","arn:aws:s3:::bucket-0/*"]},{"Sid":"Logs","Effect":"Allow","Action":["logs:CreateLogStream","logs:PutLogEvents"],"Resource":"arn:aws:logs:*:111111111111:log-group:/aws/lambda/*"}]},{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"dynamodb:*","Resource":"arn:aws:dynamodb:eu-west-1:111111111111:table/orders"},{"Effect":"Deny","Action":"s3:DeleteObject","Resource":"*"}]}]}`)
	b.SetBytes(int64(len(line)))
	for b.Loop() {
		if end, ok := skipValue(line, 0, maxJSONDepth); !ok || end != len(line) {
			b.Fatal(end, ok)
		}
	}
}

func TestCaseDecoderFindsPoliciesInTheirSlot(t *testing.T) {
	pol := `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}`
	line := func(id int) []byte {
		return []byte(fmt.Sprintf(`{"id":%d,"request":{"principal":"arn:aws:iam::111111111111:user/a","action":"s3:GetObject","resource":"*"},"identityPolicies":[%s],"serviceControlPolicies":[[%s]]}`, id, pol, pol))
	}
	d := NewCaseDecoder(ParseOptions{})
	var first *Policy
	for id := 0; id < 4; id++ {
		c, err := d.Decode(line(id))
		if err != nil {
			t.Fatal(err)
		}
		if id == 1 {
			first = c.Policies.SCP[0][0]
		}
		if id >= 2 && (c.Policies.SCP[0][0] != first || c.Policies.SCP[0][0].Name != "serviceControlPolicies[0][0]") {
			t.Fatalf("line %d: the SCP is not the one cached for its slot", id)
		}
	}
	if d.last[4][1][1].pol != first || d.last[0][1][0].pol == nil {
		t.Fatal("the slots do not remember their cached policies")
	}
	// Another text in the slot is not taken for the remembered one.
	other := bytes.Replace(line(9), []byte(`"s3:*"`), []byte(`"s3:Get*"`), -1)
	c, err := d.Decode(other)
	if err != nil {
		t.Fatal(err)
	}
	if c.Policies.SCP[0][0] == first || c.Policies.SCP[0][0].Statements[0].Actions[0] != "s3:Get*" {
		t.Fatal("a changed text was answered from the slot")
	}
}

// A context key given twice is the general parser's error on every path
// (the fast reader once decided such lines), and a context too large to
// check for duplicates by scanning goes to the general parser.
func TestCaseDecoderDuplicateContextKeys(t *testing.T) {
	var many strings.Builder
	for i := 0; i < maxContextKeys+1; i++ {
		fmt.Fprintf(&many, `,"aws:k%d":"v"`, i)
	}
	d := NewCaseDecoder(ParseOptions{})
	for _, ctx := range []string{`{"aws:a":"1","aws:a":"2"}`, `{"":"","":[]}`, `{"aws:a":"1","AWS:A":"2"}`, `{"x":"y"` + many.String() + `}`} {
		line := []byte(`{"request":{"principal":"arn:aws:iam::111111111111:user/a","action":"s3:GetObject","resource":"*","context":` + ctx + `}}`)
		sameDecision(t, d, line, ParseOptions{})
		sameDecision(t, d, line, ParseOptions{}) // by the plan, if any
	}
	if _, err := d.Decode([]byte(`{"request":{"principal":"","action":"s3:GetObject","resource":"*","context":{"aws:a":"1","aws:a":"2"}}}`)); err == nil || !strings.Contains(err.Error(), `duplicate key "aws:a"`) {
		t.Fatalf("duplicate context key: %v", err)
	}
}

func TestCaseHasNotices(t *testing.T) {
	req := `"request":{"principal":"arn:aws:iam::222222222222:user/x","action":"s3:GetObject","resource":"arn:aws:s3:::b/k"}`
	for _, c := range []struct {
		policies string
		want     bool
	}{
		{`"resourcePolicy":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}`, true},
		{`"resourcePolicy":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}`, false},
		{`"identityPolicies":[{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}],"serviceControlPolicies":[[{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}]]`, false},
	} {
		k, err := DecodeCase([]byte(`{` + req + `,` + c.policies + `}`))
		if err != nil {
			t.Fatal(err)
		}
		if got := k.HasNotices(); got != c.want {
			t.Errorf("%s: HasNotices %v, want %v", c.policies, got, c.want)
		}
		found := false
		k.EachPolicy(func(p *Policy) { found = found || len(p.Notices) > 0 })
		if found != c.want {
			t.Errorf("%s: the policies' notices say %v", c.policies, found)
		}
	}
}

func TestARNServiceIs(t *testing.T) {
	for _, c := range []struct {
		arn, svc string
		want     bool
	}{
		{"arn:aws:kms:us-east-1:111111111111:key/k", "kms", true},
		{"arn:aws:iam::111111111111:role/r", "iam", true},
		{"arn:aws:iam::111111111111:role/r", "kms", false},
		{"arn:aws:s3:::b/kms:x", "kms", false},
		{"arn:aws:kmsx:us-east-1:1:key/k", "kms", false},
		{"arn:aws:kms", "kms", false},
		{"arn:aws:kms:", "kms", true},
		{"arn:aws-cn:iam::1:root", "iam", true},
		{"aws:iam::1:root", "iam", false},
		{"*", "iam", false},
	} {
		if got := arnServiceIs(c.arn, c.svc); got != c.want {
			t.Errorf("arnServiceIs(%q, %q) = %v", c.arn, c.svc, got)
		}
		if a, ok := parseARN(c.arn); ok && (a.service == c.svc) != c.want {
			t.Errorf("%q: parseARN reads service %q, arnServiceIs says %v", c.arn, a.service, c.want)
		}
	}
}

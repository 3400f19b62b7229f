package iam

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/lambdacheck/lambdacheck/analyzer/iam/condition"
	"github.com/lambdacheck/lambdacheck/fixtures/gen/authzcase"
)

var readerKinds = []Kind{IdentityPolicy, ResourcePolicy, BoundaryPolicy, SessionPolicy, ServiceControlPolicy, ResourceControlPolicy}

// samePolicyAsParse checks the reader against ParseWith on text under
// every kind, strictly and leniently: where the reader builds a policy,
// ParseWith must build the same one. It returns how many it built.
func samePolicyAsParse(t *testing.T, r *policyReader, text []byte) int {
	t.Helper()
	built := 0
	for _, kind := range readerKinds {
		for mode := 0; mode < 4; mode++ {
			lenient, transient := mode&1 != 0, mode&2 != 0
			opt := ParseOptions{Lenient: lenient}
			src := Source{Name: "p"}
			// The arena's memory is reused from the policy read before,
			// which must not show through.
			r.arena.reset()
			got, ok := r.read(text, kind, src, opt, transient)
			if !ok {
				continue
			}
			built++
			want, err := ParseWith(text, kind, src, opt)
			if err != nil {
				t.Fatalf("%s (%s, lenient %v): the reader built a policy that Parse refuses: %v", text, kind, lenient, err)
			}
			// The line index is only used for errors, which the reader
			// never words.
			got.lines = want.lines
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%s (%s, lenient %v): the reader built\n%#v\nParse built\n%#v", text, kind, lenient, got, want)
			}
		}
	}
	return built
}

// corpusPolicies are the policy texts of the decision tables and of the
// generated batch cases.
func corpusPolicies(t testing.TB) [][]byte {
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
			if len(line) > 0 && line[0] != '#' {
				lines = append(lines, append([]byte(nil), line...))
			}
		}
	}
	for i := 0; i < 20; i++ {
		lines = append(lines, []byte(authzcase.Typical(i)))
	}
	var out [][]byte
	var walk func(line []byte, v *jsonValue)
	walk = func(line []byte, v *jsonValue) {
		if v.kind == jsonObject {
			if _, ok := v.member("Statement"); ok {
				out = append(out, line[v.off:v.end])
				return
			}
		}
		for i := range v.elems {
			walk(line, &v.elems[i])
		}
	}
	for _, line := range lines {
		root, err := parseJSON(line)
		if err == nil {
			walk(line, &root)
		}
	}
	return out
}

func TestPolicyReaderBuildsAsParse(t *testing.T) {
	r := &policyReader{}
	built := 0
	texts := corpusPolicies(t)
	for _, text := range texts {
		built += samePolicyAsParse(t, r, text)
	}
	// Documents the reader leaves to Parse; each must be refused here.
	for _, text := range []string{
		`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Action":"s3:*"}}`,
		`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","NotAction":"s3:*","Resource":"*"}}`,
		`{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::${aws:username}"},"Version":"2012-10-17"}`,
		`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"a\u0041"}}`,
		"{\"Version\":\"2012-10-17\",\n\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}}",
		`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{}}}}`,
		`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"a":"1","a":"2"}}}}`,
		`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"Bool":{"a":"yes"}}}}`,
		`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"NumericLessThan":{"a":01}}}}`,
		`{"Version":"2012-10-17","Statement":[{"Sid":"a","Effect":"Allow","Principal":"*","Action":"s3:*"},{"Sid":"a","Effect":"Allow","Principal":"*","Action":"s3:*"}]}`,
		`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{},"Action":"s3:*"}}`,
		`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}} x`,
	} {
		for _, kind := range readerKinds {
			if p, ok := r.read([]byte(text), kind, Source{}, ParseOptions{}, false); ok {
				t.Fatalf("%s (%s): the reader built %+v", text, kind, p)
			}
		}
		samePolicyAsParse(t, r, []byte(text))
	}
	t.Logf("the reader built %d policies from %d texts", built, len(texts))
	// Most of the corpus is plainly written and valid under some kind.
	if built < len(texts) {
		t.Fatalf("the reader built %d policies from %d texts under 24 kinds and modes", built, len(texts))
	}
}

// FuzzPolicyReader compares the reader with ParseWith on arbitrary text.
func FuzzPolicyReader(f *testing.F) {
	for _, text := range corpusPolicies(f) {
		f.Add(text)
	}
	f.Add([]byte(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"NumericLessThan":{"a":[-0.5e+10,1E2,true,"x"]}}}}`))
	f.Add([]byte(`{"Version":"2012-10-17","Statement":[{"Sid":"é","Effect":"Deny","NotPrincipal":{"AWS":["111111111111","arn:aws:iam::111111111111:root"],"Service":"S3.amazonaws.com","Federated":"x","CanonicalUser":"y"},"NotAction":"s3:*","NotResource":"*"}]}`))
	r := &policyReader{}
	f.Fuzz(func(t *testing.T, text []byte) {
		samePolicyAsParse(t, r, text)
	})
}

// BenchmarkPolicyReader builds the two policies of a generated batch line
// that are new to it, with the reader and with Parse.
func BenchmarkPolicyReader(b *testing.B) {
	line := []byte(authzcase.Typical(7))
	root, err := parseJSON(line)
	if err != nil {
		b.Fatal(err)
	}
	ids, _ := root.member("identityPolicies")
	res, _ := root.member("resourcePolicy")
	texts := []struct {
		text []byte
		kind Kind
	}{{line[ids.elems[0].off:ids.elems[0].end], IdentityPolicy}, {line[res.off:res.end], ResourcePolicy}}
	b.Run("reader", func(b *testing.B) {
		b.ReportAllocs()
		r := &policyReader{}
		for b.Loop() {
			for _, t := range texts {
				r.arena.reset()
				if _, ok := r.read(t.text, t.kind, Source{Name: "p"}, ParseOptions{}, true); !ok {
					b.Fatal("not read")
				}
			}
		}
	})
	b.Run("parse", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			for _, t := range texts {
				if _, err := Parse(t.text, t.kind, Source{Name: "p"}); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}

// A Condition compiled once serves later policies with the same text,
// even after the line it was read from is overwritten, as batch lines are.
func TestPolicyReaderSharesConditions(t *testing.T) {
	const text = `{"Version":"2012-10-17","Statement":{"Sid":"%s","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"true"},"StringEquals":{"aws:PrincipalOrgID":"o-abc"}}}}`
	r := &policyReader{}
	line := []byte(fmt.Sprintf(text, "first"))
	first, ok := r.read(line, ResourcePolicy, Source{Name: "p"}, ParseOptions{}, true)
	if !ok {
		t.Fatal("not read")
	}
	for i := range line {
		line[i] = 'x'
	}
	r.arena.reset()
	second := []byte(fmt.Sprintf(text, "second"))
	got, ok := r.read(second, ResourcePolicy, Source{Name: "p"}, ParseOptions{}, true)
	if !ok {
		t.Fatal("not read")
	}
	if got.Statements[0].cond != first.Statements[0].cond {
		t.Fatal("the condition was compiled again")
	}
	want, err := Parse(second, ResourcePolicy, Source{Name: "p"})
	if err != nil {
		t.Fatal(err)
	}
	got.lines = want.lines
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("the reader built\n%#v\nParse built\n%#v", got, want)
	}
	ctx := condition.NewContext()
	ctx.Set("aws:SecureTransport", "true")
	ctx.Set("aws:PrincipalOrgID", "o-abc")
	if got.Statements[0].cond.Eval(ctx) != tTrue {
		t.Fatal("the shared condition does not hold where it should")
	}
	// Under another Version, "${…}" would read differently: not shared.
	legacy := bytes.Replace(second, []byte(`"2012-10-17"`), []byte(`"2008-10-17"`), 1)
	old, ok := r.read(legacy, ResourcePolicy, Source{Name: "p"}, ParseOptions{}, true)
	if !ok || old.Statements[0].cond == first.Statements[0].cond {
		t.Fatal("a condition was shared across the reading of policy variables")
	}
}

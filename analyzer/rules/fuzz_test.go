package rules

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/open-policy-agent/opa/v1/ast"
)

// FuzzMatchAddress checks the linear matcher against a regexp built from
// the same pattern.
func FuzzMatchAddress(f *testing.F) {
	f.Add("module.*.aws_lambda_function.*", "module.a.aws_lambda_function.b")
	f.Add("a*b*c", "aXbYbZc")
	f.Add("**", "")
	f.Fuzz(func(t *testing.T, pattern, s string) {
		if len(pattern) > 64 || len(s) > 256 {
			return
		}
		parts := strings.Split(pattern, "*")
		for i, p := range parts {
			parts[i] = regexp.QuoteMeta(p)
		}
		re, err := regexp.Compile(`^(?s:` + strings.Join(parts, ".*") + `)$`)
		if err != nil {
			return // invalid UTF-8 and the like
		}
		if got, want := MatchAddress(pattern, s), re.MatchString(s); got != want {
			t.Fatalf("MatchAddress(%q, %q) = %v, regexp says %v", pattern, s, got, want)
		}
	})
}

func FuzzParseSettings(f *testing.F) {
	f.Add([]byte("trusted_accounts = [\"444455556666\"]\nignore \"LC001\" {\n reason = \"r\"\n expires = \"2027-01-01\"\n}\n"))
	f.Add([]byte("ignore \"LC001\" {\n address = \"aws_sqs_queue.*\"\n reason = \"r\"\n}\nignore \"LC017\" {\n all = true\n reason = \"r\"\n}\n"))
	f.Add([]byte("fail_on = \"none\"\norg_id = \"o-x\"\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		s, err := ParseSettings("s.hcl", src)
		if err != nil {
			if !strings.Contains(err.Error(), "s.hcl") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		for _, ig := range s.Ignores {
			if strings.TrimSpace(ig.Reason) == "" {
				t.Fatal("ignore without reason accepted")
			}
			if ig.All == (ig.Address != "") {
				t.Fatalf("ignore %+v: want exactly one of address and all = true", ig)
			}
		}
	})
}

func FuzzParseBaseline(f *testing.F) {
	f.Add([]byte(`{"version": 1, "findings": [{"fingerprint": "ab", "rule": "LC001", "address": "x", "message": "m"}]}`))
	f.Fuzz(func(t *testing.T, src []byte) {
		b, err := ParseBaseline("b.json", src)
		if err != nil {
			return
		}
		for _, e := range b.Findings {
			if e.Fingerprint == "" {
				t.Fatal("entry without fingerprint accepted")
			}
		}
		b.Apply([]Finding{{Fingerprint: "ab"}})
	})
}

// FuzzConvert checks the direct Go → Rego conversion against the JSON round
// trip on flow and inventory records decoded from arbitrary JSON.
func FuzzConvert(f *testing.F) {
	f.Add([]byte(`{"flows":[{"id":"a","kind":"invoke","decision":"denied","steps":[{"what":"w","decision":"denied","reason":"r","statements":[{"policy":"p","layer":"resource","index":0,"effect":"Allow","certain":true}]}],"trigger":{"type":"s3","kind":"push","source":{"address":"x"},"function":{"address":"f","qualifier":"live"},"enabled":true}}]}`))
	f.Add([]byte(`{"inventory":{"functions":[{"address":"f","line":3,"aliases":[{"name":"a","routing_weights":{"2":0.25}}],"urls":[{"auth_type":"NONE","cors":{"allow_origins":["*"]}}]}],"triggers":[{"filter":{"pattern":{"source":["aws.s3"]},"patterns":[{"a":1}]}}]}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if !utf8.Valid(data) {
			return // encoding/json rewrites invalid UTF-8; the converter keeps bytes
		}
		var doc inputDoc
		if err := json.Unmarshal(data, &doc); err != nil {
			return
		}
		got, err := toValue(doc)
		if err != nil {
			t.Fatalf("convert: %v", err)
		}
		text, err := json.Marshal(doc)
		if err != nil {
			return
		}
		want, err := ast.ValueFromReader(bytes.NewReader(text))
		if err != nil {
			t.Fatalf("reference: %v", err)
		}
		if got.Compare(want) != 0 {
			t.Fatalf("conversion differs:\n got %v\nwant %v", got, want)
		}
		// A projection keeps part of the whole input and invents nothing:
		// every member it names that the whole has, it has too.
		pt, err := newConverter(fuzzFields).term(reflect.ValueOf(doc))
		if err != nil {
			t.Fatalf("projected convert: %v", err)
		}
		if why := within(pt.Value, want, fuzzFields); why != "" {
			t.Fatalf("projection %v of %v: %s", pt.Value, want, why)
		}
	})
}

// fuzzFields is a projection with members of every level of the input.
var fuzzFields = map[string]bool{"flows": true, "inventory": true, "functions": true, "triggers": true, "id": true, "steps": true,
	"statements": true, "decision": true, "address": true, "aliases": true, "routing_weights": true, "filter": true, "pattern": true}

// within reports why part is not the projection of whole on fields ("" when
// it is): objects keep a subset of the keys, at least those in fields;
// arrays keep their length; everything else is equal.
func within(part, whole ast.Value, fields map[string]bool) string {
	switch w := whole.(type) {
	case ast.Object:
		p, ok := part.(ast.Object)
		if !ok {
			return fmt.Sprintf("%v is not an object", part)
		}
		why := ""
		w.Foreach(func(k, v *ast.Term) {
			pv := p.Get(k)
			switch {
			case why != "":
			case pv == nil:
				if s, ok := k.Value.(ast.String); ok && fields[string(s)] {
					why = fmt.Sprintf("member %v, named, was dropped", k)
				}
			default:
				why = within(pv.Value, v.Value, fields)
			}
		})
		if why == "" && p.Len() > w.Len() {
			why = "the projection has members the whole has not"
		}
		return why
	case *ast.Array:
		p, ok := part.(*ast.Array)
		if !ok || p.Len() != w.Len() {
			return fmt.Sprintf("%v is not an array of %d", part, w.Len())
		}
		for i := range w.Len() {
			if why := within(p.Elem(i).Value, w.Elem(i).Value, fields); why != "" {
				return why
			}
		}
		return ""
	}
	if part.Compare(whole) != 0 {
		return fmt.Sprintf("%v differs from %v", part, whole)
	}
	return ""
}

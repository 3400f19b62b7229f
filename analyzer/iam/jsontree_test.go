package iam

import (
	"strings"
	"testing"
	"time"
)

func TestParseJSONValues(t *testing.T) {
	v, err := parseJSON([]byte(` {"a": [1, -2.5e3, true, false, null], "b": "x\"\\\/\n\u00e9\ud83d\ude00"} `))
	if err != nil {
		t.Fatal(err)
	}
	a, ok := v.member("a")
	if !ok || a.kind != jsonArray || len(a.elems) != 5 {
		t.Fatalf("member a = %+v", a)
	}
	if a.elems[1].text != "-2.5e3" || a.elems[2].kind != jsonBool || a.elems[4].kind != jsonNull {
		t.Fatalf("array elements parsed wrongly: %+v", a.elems)
	}
	b, _ := v.member("b")
	if b.text != "x\"\\/\né😀" {
		t.Fatalf("string unescaping: got %q", b.text)
	}
}

func TestParseJSONErrors(t *testing.T) {
	cases := map[string]string{
		"trailing data":       `{} x`,
		"unterminated string": `{"a":"b`,
		"bad escape":          `{"a":"\q"}`,
		"leading zero number": `[01]`,
		"missing colon":       `{"a" 1}`,
		"missing comma":       `[1 2]`,
		"bare word":           `[nope]`,
		"control char":        "[\"a\x01\"]",
		"empty input":         ``,
		"deep nesting":        strings.Repeat("[", 1000) + strings.Repeat("]", 1000),
	}
	for name, in := range cases {
		t.Run(name, func(t *testing.T) {
			if _, err := parseJSON([]byte(in)); err == nil {
				t.Fatalf("parseJSON(%q) accepted invalid JSON", in)
			}
		})
	}
}

// A 10 MB document must parse (or fail) in bounded time: the parser is
// linear and line numbers come from a binary-searched index.
func TestParseHugePolicyBoundedTime(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"Version":"2012-10-17","Statement":[`)
	for i := 0; b.Len() < 10<<20; i++ {
		if i > 0 {
			b.WriteString(",\n")
		}
		b.WriteString(`{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::bucket/prefix/*"}`)
	}
	b.WriteString("]}")
	start := time.Now()
	pol, err := Parse([]byte(b.String()), IdentityPolicy, Source{Name: "huge"})
	if err != nil {
		t.Fatal(err)
	}
	if len(pol.Statements) < 50000 {
		t.Fatalf("parsed %d statements", len(pol.Statements))
	}
	if last := pol.Statements[len(pol.Statements)-1]; last.Line != len(pol.Statements) {
		t.Fatalf("last statement line = %d, want %d", last.Line, len(pol.Statements))
	}
	t.Logf("parsed %d statements from 10 MB in %v", len(pol.Statements), time.Since(start))
}

func TestLineIndex(t *testing.T) {
	li := newLineIndex([]byte("ab\ncd\n\nef"))
	for _, c := range []struct{ off, line, col int }{{0, 1, 1}, {2, 1, 3}, {3, 2, 1}, {6, 3, 1}, {7, 4, 1}, {8, 4, 2}} {
		if l, col := li.lineCol(c.off); l != c.line || col != c.col {
			t.Errorf("lineCol(%d) = %d:%d, want %d:%d", c.off, l, col, c.line, c.col)
		}
	}
}

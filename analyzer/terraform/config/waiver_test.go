package config

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

func TestParseWaiverComment(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		ok         bool
		rules      []string
		reason     string
	}{
		{"hash_comment_with_reason", "# lambdacheck:ignore:LC004 public status page\n", true, []string{"LC004"}, "public status page"},
		{"slash_comment", "// lambdacheck:ignore:LC004 why", true, []string{"LC004"}, "why"},
		{"block_comment", "/* lambdacheck:ignore:LC004 why */", true, []string{"LC004"}, "why"},
		{"several_ids_and_short_codes", "# lambdacheck:ignore:LC001,public-invoke  two  spaces", true, []string{"LC001", "public-invoke"}, "two spaces"},
		{"tab_after_id", "# lambdacheck:ignore:LC001\treason", true, []string{"LC001"}, "reason"},
		{"no_reason", "# lambdacheck:ignore:LC001", true, []string{"LC001"}, ""},
		{"no_id_is_not_a_waiver", "# lambdacheck:ignore: reason", false, nil, ""},
		{"marker_not_first_is_not_a_waiver", "# see lambdacheck:ignore:LC001 docs", false, nil, ""},
		{"plain_comment", "# just a comment", false, nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w, ok := ParseWaiverComment(tc.text)
			if ok != tc.ok || !slices.Equal(w.Rules, tc.rules) || w.Reason != tc.reason {
				t.Errorf("got %+v, %v; want rules %v reason %q ok %v", w, ok, tc.rules, tc.reason, tc.ok)
			}
		})
	}
}

// The loader records each waiver with the block it belongs to while it
// parses: comments just above a block or inside it, not one separated by
// a blank line.
func TestLoadRecordsWaivers(t *testing.T) {
	m, _, err := LoadIn(context.Background(), nil, "testdata/waivers", "")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, w := range m.Waivers {
		got = append(got, fmt.Sprintf("%s:%d %s %q block %d-%d", w.File, w.Line, strings.Join(w.Rules, ","), w.Reason, w.BlockStart, w.BlockEnd))
	}
	want := []string{
		`main.tf:4 TST003 "pinned until the vendor SDK supports 3.12" block 2-5`,
		`main.tf:8 TST001,trigger-denied "public status page, reviewed in SEC-88" block 9-12`,
		`main.tf:14 TST002 "" block 15-17`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("waivers:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func FuzzParseWaiverComment(f *testing.F) {
	for _, s := range []string{"# lambdacheck:ignore:LC001 r", "// lambdacheck:ignore:a,b,\tx", "/* lambdacheck:ignore:", "#", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		w, ok := ParseWaiverComment(s)
		if ok != (len(w.Rules) > 0) {
			t.Fatalf("ok=%v with rules %q", ok, w.Rules)
		}
		for _, r := range w.Rules {
			if r == "" || strings.ContainsAny(r, ", \t") {
				t.Fatalf("bad rule id %q from %q", r, s)
			}
		}
	})
}

func FuzzScanWaivers(f *testing.F) {
	f.Add([]byte("# lambdacheck:ignore:LC001 r\nresource \"a\" \"b\" {\n  x = 1 # lambdacheck:ignore:LC002 y\n}\n"))
	f.Add([]byte("/* lambdacheck:ignore:X r\n*/\nlocals {}\n"))
	f.Add([]byte("resource \"a\" \"b\" {"))
	f.Fuzz(func(t *testing.T, src []byte) {
		file, _ := hclsyntax.ParseConfig(src, "f.tf", hcl.InitialPos)
		for _, w := range scanWaivers("f.tf", src, file) {
			if w.BlockStart > w.BlockEnd || len(w.Rules) == 0 || w.Line < 1 {
				t.Fatalf("bad waiver %+v", w)
			}
		}
	})
}

package pattern

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// refMatch is a slow but obviously correct glob matcher (dynamic
// programming over characters) that the fast matcher is checked against.
func refMatch(p, s string, fold bool) bool {
	pr, sr := []rune(p), []rune(s)
	// dp[j]: pr[:i] matches sr[:j]
	dp := make([]bool, len(sr)+1)
	dp[0] = true
	for i := 0; i < len(pr); i++ {
		next := make([]bool, len(sr)+1)
		switch pr[i] {
		case '*':
			seen := false
			for j := 0; j <= len(sr); j++ {
				seen = seen || dp[j]
				next[j] = seen
			}
		default:
			for j := 1; j <= len(sr); j++ {
				if !dp[j-1] {
					continue
				}
				c, d := pr[i], sr[j-1]
				next[j] = c == '?' || c == d || fold && foldRune(c, d)
			}
		}
		dp = next
	}
	return dp[len(sr)]
}

func FuzzMatch(f *testing.F) {
	f.Add("a*b?c", "axxbyc", false)
	f.Add("*a*a*a*a*a*a*b", strings.Repeat("a", 64), false)
	f.Add("caf?*", "café au lait", true)
	f.Add("\u212a?", "kk", true)
	f.Add("", "", false)
	f.Fuzz(func(t *testing.T, p, s string, fold bool) {
		if !utf8.ValidString(p) || !utf8.ValidString(s) || len(p) > 64 || len(s) > 256 {
			return // the reference works on characters of valid text
		}
		got := match(p, s, '*', '?', fold)
		if want := refMatch(p, s, fold); got != want {
			t.Fatalf("match(%q, %q, fold=%v) = %v, reference says %v", p, s, fold, got, want)
		}
	})
}

// FuzzTemplate compiles random policy text and checks that matching never
// panics and agrees with the reference once variables are rendered.
func FuzzTemplate(f *testing.F) {
	f.Add("arn:aws:s3:::b/${aws:username}/*", "arn:aws:s3:::b/alice/x", true)
	f.Add("${aws:x, 'it''s'}*${*}${?}${$}", "it's-*?$", false)
	f.Add("${ aws:PrincipalTag/unknown , 'd' }?", "dx", true)
	f.Add("${aws:TagKeys}", "a", true)
	f.Add("${", "", false)
	f.Add(strings.Repeat("*a", 40)+"b", strings.Repeat("a", 200), true)
	f.Add("arn:aws:s3:::b/*", "arn:aws:s3:::b/k/1", true)
	f.Add("arn:aws:s3:::b/*", "arn:aws:s3:::b", true)
	f.Add("*", "", true)
	f.Add("é*", "éa", true)
	f.Fuzz(func(t *testing.T, p, s string, wild bool) {
		opt := Options{Wildcards: wild, Variables: true}
		tm, err := Compile(p, opt)
		if err != nil {
			if !strings.Contains(p, "${") {
				t.Fatalf("Compile(%q) failed without any variable: %v", p, err)
			}
			return
		}
		got := tm.Match(s, false, req)
		if tm.Equal(s, false, req) != got {
			t.Fatalf("Equal and Match disagree on %q / %q", p, s)
		}
		text, res := tm.Render(req)
		if res == False && got != False {
			t.Fatalf("unresolvable template %q matched %q: %v", p, s, got)
		}
		if res == Unknown && got == True {
			t.Fatalf("template %q with unknown key matched %q for certain", p, s)
		}
		if res != True || !utf8.ValidString(text) || !utf8.ValidString(s) || len(text) > 64 || len(s) > 256 {
			return
		}
		// Without escapes or substituted wildcard characters, the rendered
		// text is itself the pattern.
		if strings.Contains(p, "${*}") || strings.Contains(p, "${?}") || strings.ContainsAny(text, "*?") && !wild {
			return
		}
		for _, k := range tm.Keys() {
			if v, st := req.Lookup(k); st == Present && len(v) == 1 && strings.ContainsAny(v[0], "*?") {
				return
			}
		}
		if strings.Contains(p, "'") {
			return // a default value could hold '*' or '?'
		}
		if strings.ContainsAny(text+s, "<>") {
			return // symbols (<EXPR>) stand for unknown text: FuzzSymbolic checks them
		}
		var want bool
		if wild {
			want = refMatch(text, s, false)
		} else {
			want = text == s
		}
		if got != TriOf(want) {
			t.Fatalf("Template(%q).Match(%q) = %v, rendered %q says %v", p, s, got, text, want)
		}
	})
}

// FuzzARN checks the ARN matcher against the reference glob matcher applied
// to each of the six parts.
func FuzzARN(f *testing.F) {
	f.Add("arn:aws:s3:::b*", "arn:aws:s3:::bucket")
	f.Add("arn:aws:*:*:111122223333:finance/*", "arn:aws:x:us-east-2:999999999999:store/abc:111122223333:finance/d")
	f.Add("*", "arn:a:b:c:d:e")
	f.Add("arn:aws:lambda:?s-east-1:*:function:*", "arn:aws:lambda:us-east-1:1:function:f:live")
	f.Fuzz(func(t *testing.T, p, s string) {
		if !utf8.ValidString(p) || !utf8.ValidString(s) || len(p) > 96 || len(s) > 256 || strings.Contains(p, "${") {
			return
		}
		a, err := CompileARN(p, Options{Variables: true})
		if err != nil {
			t.Fatalf("CompileARN(%q): %v", p, err)
		}
		got := a.Match(s, nil)
		if strings.ContainsAny(p+s, "<>") {
			return // symbols (<EXPR>) stand for unknown text: FuzzSymbolicARN checks them
		}
		sp, okS := splitARN(s)
		pp, okP := splitARN(p)
		want := false
		switch {
		case !okS:
		case p == "*":
			want = true
		case okP:
			want = true
			for i := range pp {
				want = want && refMatch(pp[i], sp[i], false)
			}
		}
		if got != TriOf(want) {
			t.Fatalf("ARN(%q).Match(%q) = %v, reference says %v", p, s, got, want)
		}
	})
}

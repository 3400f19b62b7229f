package pattern

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// symbolSpans returns the symbols of s in order, as the matcher sees them.
func symbolSpans(s string, wild bool) (spans [][2]int) {
	for i := 0; i < len(s); i++ {
		if wild && (s[i] == '*' || s[i] == '?') || s[i] != '<' {
			continue
		}
		if end := symbolEnd(s, i, wild, '*', '?'); end > 0 {
			spans = append(spans, [2]int{i, end})
			i = end - 1
		}
	}
	return spans
}

// substitute replaces every symbol of s by its value in vals.
func substitute(s string, wild bool, vals map[string]string) string {
	var b strings.Builder
	last := 0
	for _, sp := range symbolSpans(s, wild) {
		b.WriteString(s[last:sp[0]])
		b.WriteString(vals[s[sp[0]:sp[1]]])
		last = sp[1]
	}
	b.WriteString(s[last:])
	return b.String()
}

// bruteForce tries every assignment of strings of up to two characters of
// alphabet to the distinct symbols of p and v (at most three) and reports
// whether the match holds for every one and for some one. check decides
// one substituted pair.
func bruteForce(p, v string, alphabet []rune, check func(p, v string) bool) (all, some bool, ok bool) {
	var syms []string
	for _, s := range []struct {
		text string
		wild bool
	}{{p, true}, {v, false}} {
		for _, sp := range symbolSpans(s.text, s.wild) {
			sym := s.text[sp[0]:sp[1]]
			if !containsStr(syms, sym) {
				syms = append(syms, sym)
			}
		}
	}
	if len(syms) > 3 {
		return false, false, false
	}
	values := []string{""}
	for _, a := range alphabet {
		values = append(values, string(a))
	}
	for _, a := range alphabet {
		for _, b := range alphabet {
			values = append(values, string(a)+string(b))
		}
	}
	all = true
	idx := make([]int, len(syms))
	for {
		vals := map[string]string{}
		for k, s := range syms {
			vals[s] = values[idx[k]]
		}
		m := check(substitute(p, true, vals), substitute(v, false, vals))
		all = all && m
		some = some || m
		k := 0
		for ; k < len(idx); k++ {
			if idx[k]++; idx[k] < len(values) {
				break
			}
			idx[k] = 0
		}
		if k == len(idx) {
			return all, some, true
		}
	}
}

func containsStr(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// alphabetOf picks up to three text characters of p and v, plus one that
// occurs in neither, as the characters symbol values are made of.
func alphabetOf(p, v string, exclude string) []rune {
	var out []rune
	for _, r := range p + v {
		if len(out) == 3 {
			break
		}
		if !strings.ContainsRune("<>*?"+exclude, r) && !strings.ContainsRune(string(out), r) {
			out = append(out, r)
		}
	}
	for _, r := range "zyx" {
		if !strings.ContainsRune(p+v, r) {
			return append(out, r)
		}
	}
	return out
}

// FuzzSymbolic checks the symbolic matcher against brute force: True must
// hold for the literal text and for every substitution tried, False for
// none of them.
func FuzzSymbolic(f *testing.F) {
	f.Add("arn:aws:s3:::prod-*", "arn:aws:s3:::<var.env>-data", false)
	f.Add("a???c", "a<x>c", false)
	f.Add("<a>-*", "<a>-<b>", true)
	f.Add("*<a>b?", "<b>x<a>by", false)
	f.Add("A*<x>", "a<y><x>", true)
	f.Add("", "<x><y>", false)
	f.Fuzz(func(t *testing.T, p, v string, fold bool) {
		if !utf8.ValidString(p) || !utf8.ValidString(v) || len(p) > 14 || len(v) > 14 {
			return
		}
		got := symbolic(p, v, true, '*', '?', fold)
		if got == True && !refMatch(p, v, fold) {
			t.Fatalf("symbolic(%q, %q) = true, but the literal text does not match", p, v)
		}
		if got == Unknown && !HasSymbol(p) && !HasSymbol(v) && !hasPatternSymbol(p, '*', '?') {
			t.Fatalf("symbolic(%q, %q) = unknown without any symbol", p, v)
		}
		all, some, ok := bruteForce(p, v, alphabetOf(p, v, ""), func(p, v string) bool { return refMatch(p, v, fold) })
		if !ok {
			return
		}
		if got == True && !all {
			t.Fatalf("symbolic(%q, %q, fold=%v) = true, but some substitution does not match", p, v, fold)
		}
		if got == False && some {
			t.Fatalf("symbolic(%q, %q, fold=%v) = false, but some substitution matches", p, v, fold)
		}
		if !HasSymbol(v) && !hasPatternSymbol(p, '*', '?') && got != TriOf(refMatch(p, v, fold)) {
			t.Fatalf("symbolic(%q, %q) = %v on plain text, reference disagrees", p, v, got)
		}
	})
}

// FuzzSymbolicARN checks ARN matching with symbols against brute force over
// symbol values without ':' (the documented rule for the first five parts).
func FuzzSymbolicARN(f *testing.F) {
	f.Add("arn:aws:lambda:*:1:function:prod-*", "arn:aws:lambda:<r>:1:function:<e>-fn")
	f.Add("arn:aws:s3:::b", "<data.x.arn>")
	f.Add("*", "<x>")
	f.Add("a:b:c:<d>:e:f", "a:b:c:d:e:f")
	f.Fuzz(func(t *testing.T, p, v string) {
		if !utf8.ValidString(p) || !utf8.ValidString(v) || len(p) > 20 || len(v) > 20 || strings.Contains(p, "${") {
			return
		}
		a, err := CompileARN(p, Options{Variables: true})
		if err != nil {
			t.Fatalf("CompileARN(%q): %v", p, err)
		}
		got := a.Match(v, nil)
		ref := func(p, v string) bool {
			sp, okS := splitARN(v)
			pp, okP := splitARN(p)
			switch {
			case !okS:
				return false
			case p == "*":
				return true
			case !okP:
				return false
			}
			for i := range pp {
				if !refMatch(pp[i], sp[i], false) {
					return false
				}
			}
			return true
		}
		all, some, ok := bruteForce(p, v, alphabetOf(p, v, ":"), ref)
		if !ok {
			return
		}
		if got == True && !all {
			t.Fatalf("ARN(%q).Match(%q) = true, but some substitution does not match", p, v)
		}
		if got == False && some {
			t.Fatalf("ARN(%q).Match(%q) = false, but some substitution matches", p, v)
		}
	})
}

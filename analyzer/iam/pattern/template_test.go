package pattern

import (
	"slices"
	"strings"
	"testing"
)

// ctx is a test Resolver: a value list per key, "?" for KeyUnknown, and
// multi for keys that are multivalued even with one element.
type ctx struct {
	vals  map[string][]string
	multi map[string]bool
}

func (c ctx) Lookup(key string) ([]string, KeyState) {
	v, ok := c.vals[key]
	if !ok {
		return nil, Missing
	}
	if len(v) == 1 && v[0] == "?" {
		return nil, KeyUnknown
	}
	return v, Present
}

func (c ctx) IsMulti(key string) bool { return c.multi[key] }

var req = ctx{
	vals: map[string][]string{
		"aws:username":             {"alice"},
		"aws:principaltag/team":    {"blue"},
		"aws:principaltag/star":    {"a*"},
		"aws:principaltag/empty":   {""},
		"aws:principaltag/unknown": {"?"},
		"aws:tagkeys":              {"a", "b"},
		"aws:calledvia":            {"athena.amazonaws.com"},
		"aws:principaltag/var":     {"${aws:username}"},
	},
	multi: map[string]bool{"aws:tagkeys": true, "aws:calledvia": true},
}

var (
	wildVars  = Options{Wildcards: true, Variables: true}
	exactVars = Options{Variables: true}
)

func TestTemplateMatch(t *testing.T) {
	tests := []struct {
		name string
		tmpl string
		opt  Options
		s    string
		fold bool
		want Tri
	}{
		{"variable_substituted_by_key_value", "arn:aws:s3:::b/${aws:username}/*", wildVars, "arn:aws:s3:::b/alice/x", false, True},
		{"variable_value_must_match", "arn:aws:s3:::b/${aws:username}/*", wildVars, "arn:aws:s3:::b/bob/x", false, False},
		{"variable_key_name_is_case_insensitive", "arn:aws:s3:::b/${AWS:UserName}/*", wildVars, "arn:aws:s3:::b/alice/x", false, True},
		{"variable_value_is_case_sensitive", "${aws:username}", exactVars, "Alice", false, False},
		{"tag_variable", "${aws:PrincipalTag/team}-*", wildVars, "blue-queue", false, True},
		{"substituted_star_is_literal_not_wildcard", "${aws:PrincipalTag/star}", wildVars, "abc", false, False},
		{"substituted_star_matches_literal_star", "${aws:PrincipalTag/star}", wildVars, "a*", false, True},
		{"substituted_empty_value", "x${aws:PrincipalTag/empty}y", exactVars, "xy", false, True},
		{"missing_key_without_default_never_matches", "arn:aws:s3:::b/${aws:userid}/*", wildVars, "arn:aws:s3:::b//x", false, False},
		{"missing_key_without_default_never_matches_star", "${aws:userid}*", wildVars, "anything", false, False},
		{"default_used_when_key_missing", "${aws:PrincipalTag/dept, 'shared'}/*", wildVars, "shared/x", false, True},
		{"default_not_used_when_key_present", "${aws:PrincipalTag/team, 'shared'}/*", wildVars, "shared/x", false, False},
		{"default_spaces_around_allowed", "${ aws:PrincipalTag/dept ,   'shared' }", exactVars, "shared", false, True},
		{"default_doubled_quote_is_quote", "${aws:x, 'it''s'}", exactVars, "it's", false, True},
		{"default_star_is_literal", "${aws:x, 'a*'}", wildVars, "abc", false, False},
		{"default_empty", "a${aws:x, ''}b", exactVars, "ab", false, True},
		{"multivalued_key_cannot_be_variable", "${aws:TagKeys}", wildVars, "a", false, False},
		{"multivalued_one_element_cannot_be_variable", "${aws:CalledVia}", wildVars, "athena.amazonaws.com", false, False},
		{"multivalued_key_uses_default", "${aws:TagKeys, 'none'}", exactVars, "none", false, True},
		{"escape_star_is_literal", "a${*}", wildVars, "a*", false, True},
		{"escape_star_is_not_wildcard", "a${*}", wildVars, "abc", false, False},
		{"escape_question_is_literal", "a${?}", wildVars, "ab", false, False},
		{"escape_question_matches_question", "a${?}", wildVars, "a?", false, True},
		{"escape_dollar", "${$}{aws:username}", wildVars, "${aws:username}", false, True},
		{"escape_next_to_wildcard", "*${*}", wildVars, "xyz*", false, True},
		{"escape_next_to_wildcard_needs_star", "*${*}", wildVars, "xyz", false, False},
		{"one_round_of_substitution_only", "${aws:PrincipalTag/var}", exactVars, "${aws:username}", false, True},
		{"one_round_default_not_reparsed", "${aws:x, '${aws:username}'}", exactVars, "${aws:username}", false, True},
		{"unknown_key_makes_match_unknown", "arn:aws:s3:::b/${aws:PrincipalTag/unknown}/*", wildVars, "arn:aws:s3:::b/x/y", false, Unknown},
		{"unknown_key_false_when_no_value_could_match", "arn:aws:s3:::b/${aws:PrincipalTag/unknown}/*", wildVars, "arn:aws:s3:::other/x/y", false, False},
		{"unknown_key_with_default_still_unknown", "${aws:PrincipalTag/unknown, 'd'}", exactVars, "d", false, Unknown},
		{"unresolvable_beats_unknown", "${aws:PrincipalTag/unknown}${aws:userid}", exactVars, "x", false, False},
		{"variables_literal_in_2008_version", "arn:aws:s3:::b/${aws:username}", Options{Wildcards: true}, "arn:aws:s3:::b/${aws:username}", false, True},
		{"variables_literal_in_2008_version_not_substituted", "arn:aws:s3:::b/${aws:username}", Options{Wildcards: true}, "arn:aws:s3:::b/alice", false, False},
		{"exact_star_is_literal_without_wildcards", "a*", exactVars, "abc", false, False},
		{"exact_star_literal_matches_star", "a*", exactVars, "a*", false, True},
		{"exact_with_variable_star_literal", "${aws:username}*", exactVars, "alice*", false, True},
		{"exact_with_variable_star_literal_rejects", "${aws:username}*", exactVars, "alicex", false, False},
		{"fold_applies_to_substituted_value", "${aws:username}", exactVars, "ALICE", true, True},
		{"dollar_without_brace_is_literal", "a$b", exactVars, "a$b", false, True},
		{"trailing_dollar_is_literal", "ab$", exactVars, "ab$", false, True},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tm, err := Compile(tt.tmpl, tt.opt)
			if err != nil {
				t.Fatalf("Compile(%q): %v", tt.tmpl, err)
			}
			if got := tm.Match(tt.s, tt.fold, req); got != tt.want {
				t.Errorf("Match(%q, %q) = %v, want %v", tt.tmpl, tt.s, got, tt.want)
			}
			if got := tm.Equal(tt.s, tt.fold, req); got != tt.want {
				t.Errorf("Equal(%q, %q) = %v, want %v (Equal is Match under the compile options)", tt.tmpl, tt.s, got, tt.want)
			}
		})
	}
}

func TestTemplateNilResolverTreatsKeysAsMissing(t *testing.T) {
	tm := mustCompile("${aws:username, 'x'}", exactVars)
	if got := tm.Match("x", false, nil); got != True {
		t.Errorf("default with nil resolver = %v, want true", got)
	}
	tm = mustCompile("${aws:username}", exactVars)
	if got := tm.Match("", false, nil); got != False {
		t.Errorf("no default with nil resolver = %v, want false", got)
	}
}

func TestCompileErrors(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		wantMsg string
	}{
		{"unterminated_variable", "arn:aws:s3:::b/${aws:username", "byte 15: no closing '}'"},
		{"unterminated_at_end", "abc${", "byte 3: no closing '}'"},
		{"empty_variable", "a${}", "byte 1: empty key name"},
		{"blank_variable", "a${   }", "byte 1: empty key name"},
		{"default_without_quotes", "${aws:x, default}", "must be in single quotes"},
		{"default_unterminated_quote", "${aws:x, 'abc}", "unterminated default value"},
		{"default_trailing_junk", "${aws:x, 'abc' d}", "unexpected 'd' after default value"},
		{"default_missing_brace", "${aws:x, 'abc'", "no closing '}'"},
		{"default_empty_after_comma", "${aws:x,}", "must be in single quotes"},
		{"nested_variable", "${aws:${x}}", "unexpected '$' in key name"},
		{"quote_in_key", "${aws'x}", "unexpected '\\'' in key name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Compile(tt.in, wildVars)
			if err == nil {
				t.Fatalf("Compile(%q) succeeded, want error", tt.in)
			}
			if !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("Compile(%q) error %q, want it to contain %q", tt.in, err, tt.wantMsg)
			}
			// Without variables (Version 2008-10-17) the same text is literal.
			if _, err := Compile(tt.in, Options{Wildcards: true}); err != nil {
				t.Errorf("Compile(%q) without variables: %v", tt.in, err)
			}
		})
	}
}

func TestTemplateRender(t *testing.T) {
	tests := []struct {
		name string
		in   string
		opt  Options
		want string
		res  Tri
	}{
		{"render_substitutes", "home/${aws:username}/*", wildVars, "home/alice/*", True},
		{"render_escapes", "${*}${?}${$}", wildVars, "*?$", True},
		{"render_default", "${aws:x, 'd'}", wildVars, "d", True},
		{"render_unresolvable_false", "${aws:x}", wildVars, "", False},
		{"render_unknown", "${aws:PrincipalTag/unknown}", wildVars, "", Unknown},
		{"render_plain", "plain*", wildVars, "plain*", True},
		{"render_literal_in_2008", "${aws:username}", Options{}, "${aws:username}", True},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tm := mustCompile(tt.in, tt.opt)
			got, res := tm.Render(req)
			if got != tt.want || res != tt.res {
				t.Errorf("Render(%q) = %q, %v; want %q, %v", tt.in, got, res, tt.want, tt.res)
			}
			if tm.String() != tt.in {
				t.Errorf("String() = %q, want original %q", tm.String(), tt.in)
			}
		})
	}
}

func TestTemplateKeys(t *testing.T) {
	tm := mustCompile("${AWS:UserName}/${aws:PrincipalTag/Team, 'x'}/${aws:username}${*}", wildVars)
	if !tm.HasVariables() {
		t.Fatal("HasVariables = false")
	}
	want := []string{"aws:principaltag/team", "aws:username"}
	if got := tm.Keys(); !slices.Equal(got, want) {
		t.Errorf("Keys = %q, want %q (sorted, lower-case, unique)", got, want)
	}
	esc := mustCompile("a${*}", wildVars)
	if esc.HasVariables() || len(esc.Keys()) != 0 {
		t.Errorf("escape-only template reports variables: %v %q", esc.HasVariables(), esc.Keys())
	}
	lit := mustCompile("${aws:username}", Options{})
	if lit.HasVariables() {
		t.Error("2008-10-17 template reports variables")
	}
}

func TestTriLogic(t *testing.T) {
	all := []Tri{False, True, Unknown}
	for _, a := range all {
		for _, b := range all {
			and, or := a.And(b), a.Or(b)
			// Kleene logic agrees with bool logic on known values and is
			// symmetric; Unknown only where the known part does not decide.
			if a != Unknown && b != Unknown {
				if and != TriOf(a == True && b == True) || or != TriOf(a == True || b == True) {
					t.Errorf("%v and/or %v = %v/%v", a, b, and, or)
				}
			}
			if and != b.And(a) || or != b.Or(a) {
				t.Errorf("not symmetric: %v %v", a, b)
			}
		}
	}
	if False.And(Unknown) != False || True.Or(Unknown) != True || True.And(Unknown) != Unknown || False.Or(Unknown) != Unknown || Unknown.Not() != Unknown {
		t.Error("Kleene rules broken")
	}
}

func mustCompile(s string, opt Options) Template {
	t, err := Compile(s, opt)
	if err != nil {
		panic(err)
	}
	return t
}

type mapResolver map[string][]string

func (m mapResolver) Lookup(k string) ([]string, KeyState) {
	if v, ok := m[k]; ok {
		return v, Present
	}
	return nil, Missing
}

func TestUnresolvableAndVarInARNPrefix(t *testing.T) {
	opt := Options{Wildcards: true, Variables: true}
	r := mapResolver{"aws:username": {"alice"}, "aws:principaltag/teams": {"a", "b"}}
	tests := []struct {
		src          string
		unresolvable bool
		prefix       bool
	}{
		{"arn:aws:s3:::b/${aws:username}/*", false, false},
		{"arn:aws:s3:::b/${aws:userid}/*", true, false},
		{"arn:aws:s3:::b/${aws:userid, 'x'}/*", false, false},
		{"arn:aws:s3:::b/${aws:PrincipalTag/teams}", true, false},
		{"arn:aws:sqs:us-east-1:${aws:PrincipalAccount}:jobs", true, true},
		{"arn:aws:sqs:${aws:RequestedRegion}:111111111111:jobs", true, true},
		{"arn:aws:sqs:us-east-1:111111111111:${aws:username}", false, false},
		{"arn:aws:s3:::plain", false, false},
	}
	for _, tt := range tests {
		tp, err := Compile(tt.src, opt)
		if err != nil {
			t.Fatal(err)
		}
		if got := tp.Unresolvable(r); got != tt.unresolvable {
			t.Errorf("%s: Unresolvable = %v, want %v", tt.src, got, tt.unresolvable)
		}
		if got := tp.VarInARNPrefix(); got != tt.prefix {
			t.Errorf("%s: VarInARNPrefix = %v, want %v", tt.src, got, tt.prefix)
		}
	}
}

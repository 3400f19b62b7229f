package pattern

import (
	"slices"
	"testing"
)

func TestSymbolicMatch(t *testing.T) {
	tests := []struct {
		name string
		p, v string
		fold bool
		want Tri
	}{
		// Value-side symbols.
		{"concrete_prefix_against_symbol_could_match", "arn:aws:s3:::prod-*", "arn:aws:s3:::<var.env>-data", false, Unknown},
		{"star_absorbs_symbol", "arn:aws:s3:::prod-*", "arn:aws:s3:::prod-<var.x>", false, True},
		{"lone_star_absorbs_symbol", "*", "<var.x>", false, True},
		{"fixed_text_around_symbol_cannot_match", "arn:aws:s3:::prod-*", "arn:aws:s3:::test-<var.x>", false, False},
		{"suffix_after_symbol_cannot_match", "*-logs", "<var.env>-data", false, False},
		{"suffix_after_symbol_matches", "*-data", "<var.env>-data", false, True},
		{"question_never_takes_a_symbol", "a???c", "a<x>c", false, Unknown},
		{"question_could_be_symbol", "a?c", "a<x>c", false, Unknown},
		{"question_needs_a_character_after_symbol", "a?", "<x>", false, Unknown},
		{"symbol_cannot_supply_fixed_text_after", "ab", "<x>c", false, False},
		{"exact_text_against_symbol", "prod-data", "<var.env>-data", false, Unknown},
		{"whole_value_is_symbol", "arn:aws:s3:::bucket", "<var.arn>", false, Unknown},
		{"adjacent_symbols", "ab", "<x><y>", false, Unknown},
		{"adjacent_symbols_absorbed", "a*", "a<x><y>", false, True},
		{"symbol_may_be_empty", "ac", "a<x>c", false, Unknown},
		{"empty_pattern_against_symbol", "", "<x>", false, Unknown},
		{"empty_value_has_no_symbol", "<x>", "", false, Unknown},
		// Pattern-side symbols.
		{"pattern_symbol_against_concrete", "arn:aws:s3:::<var.bucket>/*", "arn:aws:s3:::data/k", false, Unknown},
		{"pattern_symbol_with_wrong_fixed_text", "arn:aws:s3:::<var.bucket>/*", "arn:aws:sqs:::data/k", false, False},
		{"pattern_symbol_cannot_be_matched_by_shorter_value", "x<a>y", "xz", false, False},
		// Both sides.
		{"same_symbol_both_sides", "arn:aws:s3:::<var.bucket>/*", "arn:aws:s3:::<var.bucket>/k", false, True},
		{"same_symbol_exact", "<aws_kms_key.k.key_id>", "<aws_kms_key.k.key_id>", false, True},
		{"different_symbols_could_be_equal", "<var.a>", "<var.b>", false, Unknown},
		{"different_symbols_fixed_text_conflicts", "<var.a>-x", "<var.b>-y", false, False},
		{"pattern_symbol_does_not_match_other_value_symbol", "a<x>b", "a<y>b", false, Unknown},
		// Not symbols: plain text.
		{"empty_brackets_are_text", "a<>b", "a<>b", false, True},
		{"unclosed_bracket_is_text", "a<b", "a<c", false, False},
		{"star_in_brackets_is_no_symbol", "<a*>", "b", false, False},
		{"question_in_brackets_is_no_symbol", "<?>", "b", false, False},
		{"value_symbol_is_opaque_to_bracket_text", "<a*>", "<abc>", false, Unknown},
		// Case folding.
		{"fold_text_around_symbol", "ARN:AWS:S3:::PROD-*", "arn:aws:s3:::prod-<var.x>", true, True},
		{"fold_could_match", "PROD-DATA", "<var.env>-data", true, Unknown},
		{"fold_still_excludes", "PROD-*", "test-<var.x>", true, False},
		{"symbol_names_are_not_folded", "<var.A>", "<var.a>", true, Unknown},
		{"no_fold_case_differs", "PROD-*", "prod-<var.x>", false, False},
		{"fold_unicode_around_symbol", "\u212a-*", "k-<x>", true, True},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tm := mustCompile(tt.p, wildVars)
			if got := tm.Match(tt.v, tt.fold, reqR); got != tt.want {
				t.Errorf("Match(%q, %q, fold=%v) = %v, want %v", tt.p, tt.v, tt.fold, got, tt.want)
			}
		})
	}
}

func TestSymbolicEqual(t *testing.T) {
	tests := []struct {
		name string
		p, v string
		fold bool
		want Tri
	}{
		{"same_text_is_equal", "<var.env>-data", "<var.env>-data", false, True},
		{"could_be_equal", "prod-data", "<var.env>-data", false, Unknown},
		{"cannot_be_equal", "prod-logs", "<var.env>-data", false, False},
		{"star_is_literal_in_equals", "*", "<var.x>", false, Unknown},
		{"star_literal_cannot_match_fixed_text", "*-x", "<var.x>-y", false, False},
		{"pattern_side_symbol", "<var.account>", "111111111111", false, Unknown},
		{"different_symbols", "<var.a>", "<var.b>", false, Unknown},
		{"empty_against_symbol", "", "<var.a>", false, Unknown},
		{"fold_same_text", "<var.env>-DATA", "<var.env>-data", true, True},
		{"no_fold_different_case", "<var.env>-DATA", "<var.env>-data", false, False},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tm := mustCompile(tt.p, exactVars)
			if got := tm.Equal(tt.v, tt.fold, reqR); got != tt.want {
				t.Errorf("Equal(%q, %q, fold=%v) = %v, want %v", tt.p, tt.v, tt.fold, got, tt.want)
			}
		})
	}
}

func TestSymbolicTemplateVariables(t *testing.T) {
	r := ctx{vals: map[string][]string{
		"aws:sourcearn": {"arn:aws:sns:us-east-1:111111111111:<var.prefix>-topic"},
		"aws:username":  {"alice"},
		"aws:userid":    {"?"},
	}}
	tests := []struct {
		name string
		p, v string
		want Tri
	}{
		{"substituted_symbol_matches_itself", "${aws:SourceArn}", "arn:aws:sns:us-east-1:111111111111:<var.prefix>-topic", True},
		{"substituted_symbol_could_match", "${aws:SourceArn}", "arn:aws:sns:us-east-1:111111111111:prod-topic", Unknown},
		{"substituted_symbol_cannot_match", "${aws:SourceArn}", "arn:aws:sns:us-east-1:111111111111:prod-queue", False},
		{"variable_and_value_symbol", "arn:aws:s3:::b/${aws:username}/*", "arn:aws:s3:::b/<var.user>/k", Unknown},
		{"variable_and_value_symbol_excluded", "arn:aws:s3:::b/${aws:username}/*", "arn:aws:s3:::c/<var.user>/k", False},
		{"unknown_variable_and_symbol", "arn:aws:s3:::b/${aws:userid}/*", "arn:aws:s3:::b/<var.user>/k", Unknown},
		{"escape_next_to_symbol", "<var.x>${*}", "<var.x>*", True},
		{"escape_is_literal_against_symbol", "a${*}", "a<var.x>", Unknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tm := mustCompile(tt.p, wildVars)
			if got := tm.Match(tt.v, false, r); got != tt.want {
				t.Errorf("Match(%q, %q) = %v, want %v", tt.p, tt.v, got, tt.want)
			}
		})
	}
}

func TestSymbolicARN(t *testing.T) {
	tests := []struct {
		name string
		p, v string
		want Tri
	}{
		{"resource_part_could_match", "arn:aws:lambda:*:111111111111:function:prod-*", "arn:aws:lambda:us-east-1:111111111111:function:<var.env>-fn", Unknown},
		{"resource_part_absorbed", "arn:aws:lambda:*:111111111111:function:*", "arn:aws:lambda:us-east-1:111111111111:function:<var.env>-fn", True},
		{"account_part_decides_despite_symbol", "arn:aws:lambda:*:222222222222:function:*", "arn:aws:lambda:us-east-1:111111111111:function:<var.env>-fn", False},
		{"symbol_in_region_stays_in_region", "arn:aws:lambda:us-east-1:111111111111:function:f", "arn:aws:lambda:<var.region>:111111111111:function:f", Unknown},
		{"symbol_in_region_absorbed_by_star", "arn:aws:lambda:*:111111111111:function:f", "arn:aws:lambda:<var.region>:111111111111:function:f", True},
		{"star_cannot_cross_into_account", "arn:aws:lambda:us-*:1*:function:f", "arn:aws:lambda:<var.region>:2:function:f", False},
		{"resource_symbol_may_hold_colons", "arn:aws:sns:us-east-1:111111111111:t:*", "arn:aws:sns:us-east-1:111111111111:<var.name>", Unknown},
		{"whole_arn_symbol_could_match", "arn:aws:s3:::bucket", "<data.aws_s3_bucket.b.arn>", Unknown},
		{"whole_arn_symbol_lone_star", "*", "<data.aws_s3_bucket.b.arn>", Unknown},
		{"whole_arn_symbol_text_conflict", "arn:aws:s3:::bucket", "<data.x.arn>-suffix", False},
		{"same_whole_arn_symbol", "<data.x.arn>", "<data.x.arn>", Unknown},
		{"pattern_symbol_in_resource_part", "arn:aws:sqs:us-east-1:111111111111:<var.q>", "arn:aws:sqs:us-east-1:111111111111:<var.q>", True},
		{"pattern_symbol_against_concrete", "arn:aws:sqs:us-east-1:111111111111:<var.q>", "arn:aws:sqs:us-east-1:111111111111:orders", Unknown},
		{"not_an_arn_without_symbol", "*", "a<b", False},
		{"brackets_not_a_symbol_value_not_arn", "arn:aws:s3:::b", "a<>b", False},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := CompileARN(tt.p, Options{Variables: true})
			if err != nil {
				t.Fatal(err)
			}
			if got := a.Match(tt.v, nil); got != tt.want {
				t.Errorf("ARN(%q).Match(%q) = %v, want %v", tt.p, tt.v, got, tt.want)
			}
		})
	}
}

func TestSymbolHelpers(t *testing.T) {
	tests := []struct {
		s    string
		has  bool
		syms []string
	}{
		{"plain", false, nil},
		{"a<>b", false, nil},
		{"<x", false, nil},
		{"<<x>", true, []string{"<x>"}},
		{"arn:aws:s3:::<var.env>-<random_id.s.hex>", true, []string{"<var.env>", "<random_id.s.hex>"}},
	}
	for _, tt := range tests {
		if got := HasSymbol(tt.s); got != tt.has {
			t.Errorf("HasSymbol(%q) = %v, want %v", tt.s, got, tt.has)
		}
		if got := AppendSymbols(nil, tt.s); !slices.Equal(got, tt.syms) {
			t.Errorf("AppendSymbols(%q) = %q, want %q", tt.s, got, tt.syms)
		}
	}
	if got := SortSymbols([]string{"<b>", "<a>", "<b>"}); !slices.Equal(got, []string{"<a>", "<b>"}) {
		t.Errorf("SortSymbols = %q", got)
	}
}

func TestSymbolicIsBounded(t *testing.T) {
	// Far beyond maxSymbolCells: the answer is Unknown, at once.
	long := make([]byte, 1<<12)
	for i := range long {
		long[i] = 'a'
	}
	p, v := string(long)+"*", "<x>"+string(long)+string(long)
	if got := Match(p, v); got {
		t.Fatalf("literal Match(%q…) = true", p[:8])
	}
	if got := mustCompile(p, wildVars).Match(v, false, reqR); got != Unknown {
		t.Fatalf("bounded symbolic match = %v, want unknown", got)
	}
}

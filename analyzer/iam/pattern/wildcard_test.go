package pattern

import (
	"strings"
	"testing"
)

func TestMatch(t *testing.T) {
	tests := []struct {
		name string
		p, s string
		want bool
	}{
		{"exact_match_without_wildcards", "arn:aws:s3:::b", "arn:aws:s3:::b", true},
		{"exact_is_case_sensitive_for_ARNs", "arn:aws:s3:::B", "arn:aws:s3:::b", false},
		{"exact_needs_same_length", "arn:aws:s3:::b", "arn:aws:s3:::bb", false},
		{"lone_star_matches_anything", "*", "anything/at:all", true},
		{"lone_star_matches_empty", "*", "", true},
		{"star_matches_empty_run", "a*b", "ab", true},
		{"trailing_star_prefix", "arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/k/e/y", true},
		{"trailing_star_prefix_mismatch", "arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket2/k", false},
		{"star_crosses_colons_in_plain_match", "arn:aws:lambda:*", "arn:aws:lambda:us-east-1:1:function:f", true},
		{"leading_star_suffix", "*-queue", "bob-queue", true},
		{"leading_star_suffix_mismatch", "*-queue", "bob-queues", false},
		{"inner_star", "a*c", "abbbc", true},
		{"inner_star_needs_suffix", "a*c", "abbbcd", false},
		{"two_stars_order_matters", "*b*a*", "ab", false},
		{"two_stars_in_order", "*a*b*", "xxaxxbxx", true},
		{"question_matches_one_char", "a?c", "abc", true},
		{"question_needs_exactly_one", "a?c", "ac", false},
		{"question_not_two", "a?c", "abbc", false},
		{"question_matches_one_multibyte_char", "caf?", "café", true},
		{"question_one_char_not_two_bytes", "caf??", "café", false},
		{"question_and_star", "?*", "", false},
		{"question_and_star_one", "?*", "x", true},
		{"last_segment_with_question_at_end", "*a?", "xxab", true},
		{"last_segment_cannot_overlap_first", "ab*ba", "aba", false},
		{"overlapping_segments", "*aa*aa", "aaa", false},
		{"overlapping_segments_ok", "*aa*aa", "aaaa", true},
		{"segment_leftmost_then_suffix", "*ab*b", "abab", true},
		{"many_stars", "***", "x", true},
		{"empty_pattern_matches_only_empty", "", "", true},
		{"empty_pattern_rejects_text", "", "x", false},
		{"pathological_star_a_b_fails", strings.Repeat("*a", 50) + "b", strings.Repeat("a", 10000), false},
		{"pathological_star_a_b_matches", strings.Repeat("*a", 50) + "*b", strings.Repeat("a", 10000) + "b", true},
		{"utf8_literal_with_star", "über*", "überall", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Match(tt.p, tt.s); got != tt.want {
				t.Errorf("Match(%q, %q) = %v, want %v", tt.p, tt.s, got, tt.want)
			}
		})
	}
}

func TestMatchFold(t *testing.T) {
	tests := []struct {
		name string
		p, s string
		want bool
	}{
		{"action_names_ignore_case", "s3:GetObject", "S3:getobject", true},
		{"action_wildcard_ignores_case", "s3:Get*", "s3:getobject", true},
		{"action_question_ignores_case", "s3:?etObject", "s3:GETOBJECT", true},
		{"fold_still_needs_same_text", "s3:Get*", "s3:PutObject", false},
		{"fold_unicode_simple_folding", "STRASSE-Ä*", "strasse-äb", true},
		{"fold_kelvin_sign_equals_k", "\u212a*", "k1", true},
		{"fold_kelvin_sign_exact", "\u212a", "k", true},
		{"fold_suffix_with_non_ascii", "*Ä", "xä", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := MatchFold(tt.p, tt.s); got != tt.want {
				t.Errorf("MatchFold(%q, %q) = %v, want %v", tt.p, tt.s, got, tt.want)
			}
		})
	}
}

package condition

import (
	"errors"
	"strings"
	"testing"

	"github.com/lambdacheck/lambdacheck/analyzer/iam/pattern"
)

const (
	T = pattern.True
	F = pattern.False
	U = pattern.Unknown
)

// unk marks a context key as unknown; unkPrefix marks a key prefix unknown;
// multi gives a multivalued key (even with one element).
type (
	unk       struct{}
	unkPrefix struct{}
	multi     []string
)

func newCtx(kv map[string]any) *Context {
	c := NewContext()
	for k, v := range kv {
		switch v := v.(type) {
		case string:
			c.Set(k, v)
		case multi:
			c.SetMulti(k, v)
		case unk:
			c.SetUnknown(k)
		case unkPrefix:
			c.SetUnknownPrefix(k)
		}
	}
	return c
}

var vars = pattern.Options{Wildcards: true, Variables: true}

type evalCase struct {
	name string
	op   string
	key  string
	vals []string
	ctx  map[string]any
	want pattern.Tri
}

func runEval(t *testing.T, tests []evalCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := Compile([]Clause{{Operator: tt.op, Key: tt.key, Values: tt.vals, Path: "Condition"}}, vars)
			if err != nil {
				t.Fatalf("Compile: %v", err)
			}
			ctx := newCtx(tt.ctx)
			if got := b.Eval(ctx); got != tt.want {
				t.Errorf("%s %s %q against %v = %v, want %v", tt.op, tt.key, tt.vals, tt.ctx, got, tt.want)
			}
			if got := b.Explain(ctx)[0].Result; got != tt.want {
				t.Errorf("Explain result %v, want %v", got, tt.want)
			}
		})
	}
}

func TestStringOperators(t *testing.T) {
	runEval(t, []evalCase{
		{"StringEquals_exact_match", "StringEquals", "aws:PrincipalTag/team", []string{"blue"}, map[string]any{"aws:PrincipalTag/team": "blue"}, T},
		{"StringEquals_values_are_case_sensitive", "StringEquals", "aws:PrincipalTag/team", []string{"Blue"}, map[string]any{"aws:PrincipalTag/team": "blue"}, F},
		{"StringEquals_policy_values_are_ORed", "StringEquals", "aws:SourceAccount", []string{"111111111111", "222222222222"}, map[string]any{"aws:SourceAccount": "222222222222"}, T},
		{"StringEquals_missing_key_is_false", "StringEquals", "aws:SourceAccount", []string{"111111111111"}, nil, F},
		{"StringEquals_star_is_literal", "StringEquals", "s3:prefix", []string{"home/*"}, map[string]any{"s3:prefix": "home/x"}, F},
		{"StringEquals_star_literal_matches_star", "StringEquals", "s3:prefix", []string{"home/*"}, map[string]any{"s3:prefix": "home/*"}, T},
		{"StringEquals_key_names_ignore_case", "StringEquals", "AWS:SourceAccount", []string{"1"}, map[string]any{"aws:sourceaccount": "1"}, T},
		{"StringEquals_empty_string_value", "StringEquals", "s3:prefix", []string{""}, map[string]any{"s3:prefix": ""}, T},
		{"StringNotEquals_true_when_different", "StringNotEquals", "aws:SourceVpc", []string{"vpc-1"}, map[string]any{"aws:SourceVpc": "vpc-2"}, T},
		{"StringNotEquals_false_when_equal", "StringNotEquals", "aws:SourceVpc", []string{"vpc-1"}, map[string]any{"aws:SourceVpc": "vpc-1"}, F},
		{"StringNotEquals_missing_key_is_true", "StringNotEquals", "aws:SourceVpc", []string{"vpc-1"}, nil, T},
		{"StringNotEquals_several_values_true_only_if_none_match", "StringNotEquals", "aws:SourceVpc", []string{"vpc-1", "vpc-2"}, map[string]any{"aws:SourceVpc": "vpc-2"}, F},
		{"StringNotEquals_several_values_none_match", "StringNotEquals", "aws:SourceVpc", []string{"vpc-1", "vpc-2"}, map[string]any{"aws:SourceVpc": "vpc-3"}, T},
		{"StringEqualsIgnoreCase_ignores_case", "StringEqualsIgnoreCase", "aws:PrincipalTag/team", []string{"BLUE"}, map[string]any{"aws:PrincipalTag/team": "blue"}, T},
		{"StringEqualsIgnoreCase_still_needs_same_text", "StringEqualsIgnoreCase", "aws:PrincipalTag/team", []string{"BLUE"}, map[string]any{"aws:PrincipalTag/team": "blues"}, F},
		{"StringEqualsIgnoreCase_star_is_literal", "StringEqualsIgnoreCase", "aws:PrincipalTag/team", []string{"B*"}, map[string]any{"aws:PrincipalTag/team": "blue"}, F},
		{"StringNotEqualsIgnoreCase_equal_ignoring_case_is_false", "StringNotEqualsIgnoreCase", "aws:PrincipalTag/team", []string{"Blue"}, map[string]any{"aws:PrincipalTag/team": "bLUE"}, F},
		{"StringNotEqualsIgnoreCase_missing_key_is_true", "StringNotEqualsIgnoreCase", "aws:PrincipalTag/team", []string{"Blue"}, nil, T},
		{"StringLike_star_matches_run", "StringLike", "s3:prefix", []string{"home/*"}, map[string]any{"s3:prefix": "home/alice/docs"}, T},
		{"StringLike_question_matches_one_char", "StringLike", "ec2:InstanceType", []string{"t?.micro"}, map[string]any{"ec2:InstanceType": "t3.micro"}, T},
		{"StringLike_is_case_sensitive", "StringLike", "ec2:InstanceType", []string{"T3.*"}, map[string]any{"ec2:InstanceType": "t3.micro"}, F},
		{"StringLike_missing_key_is_false", "StringLike", "s3:prefix", []string{"*"}, nil, F},
		{"StringLike_star_matches_empty_value", "StringLike", "s3:prefix", []string{"*"}, map[string]any{"s3:prefix": ""}, T},
		{"StringLike_values_ORed", "StringLike", "ec2:InstanceType", []string{"t1.*", "t2.*", "m3.*"}, map[string]any{"ec2:InstanceType": "m3.large"}, T},
		{"StringNotLike_matching_is_false", "StringNotLike", "s3:prefix", []string{"private/*"}, map[string]any{"s3:prefix": "private/x"}, F},
		{"StringNotLike_non_matching_is_true", "StringNotLike", "s3:prefix", []string{"private/*"}, map[string]any{"s3:prefix": "public/x"}, T},
		{"StringNotLike_missing_key_is_true", "StringNotLike", "s3:prefix", []string{"private/*"}, nil, T},
		{"StringEqualsIfExists_missing_key_is_true", "StringEqualsIfExists", "ec2:InstanceType", []string{"t2.micro"}, nil, T},
		{"StringEqualsIfExists_present_key_is_checked", "StringEqualsIfExists", "ec2:InstanceType", []string{"t2.micro"}, map[string]any{"ec2:InstanceType": "m5.large"}, F},
		{"StringNotEqualsIfExists_present_equal_is_false", "StringNotEqualsIfExists", "aws:PrincipalTag/team", []string{"blue"}, map[string]any{"aws:PrincipalTag/team": "blue"}, F},
		{"StringNotEqualsIfExists_missing_key_is_true", "StringNotEqualsIfExists", "aws:PrincipalTag/team", []string{"blue"}, nil, T},
		{"StringLikeIfExists_present_match_is_true", "StringLikeIfExists", "ec2:InstanceType", []string{"t2.*"}, map[string]any{"ec2:InstanceType": "t2.nano"}, T},
		{"StringEquals_unicode_value_exact", "StringEquals", "aws:PrincipalTag/name", []string{"Zoë"}, map[string]any{"aws:PrincipalTag/name": "Zoë"}, T},
		{"StringEqualsIgnoreCase_unicode_folding", "StringEqualsIgnoreCase", "aws:PrincipalTag/name", []string{"ZOË"}, map[string]any{"aws:PrincipalTag/name": "zoë"}, T},
	})
}

func TestNumericOperators(t *testing.T) {
	runEval(t, []evalCase{
		{"NumericEquals_integer", "NumericEquals", "s3:max-keys", []string{"10"}, map[string]any{"s3:max-keys": "10"}, T},
		{"NumericEquals_decimal_equals_integer", "NumericEquals", "s3:max-keys", []string{"10.0"}, map[string]any{"s3:max-keys": "10"}, T},
		{"NumericEquals_leading_zeros_ignored", "NumericEquals", "s3:max-keys", []string{"010"}, map[string]any{"s3:max-keys": "10"}, T},
		{"NumericEquals_negative_zero_is_zero", "NumericEquals", "k:n", []string{"-0"}, map[string]any{"k:n": "0.00"}, T},
		{"NumericEquals_values_ORed", "NumericEquals", "s3:max-keys", []string{"5", "10"}, map[string]any{"s3:max-keys": "10"}, T},
		{"NumericEquals_request_not_a_number_does_not_match", "NumericEquals", "s3:max-keys", []string{"10"}, map[string]any{"s3:max-keys": "ten"}, F},
		{"NumericNotEquals_different_is_true", "NumericNotEquals", "s3:max-keys", []string{"10"}, map[string]any{"s3:max-keys": "11"}, T},
		{"NumericNotEquals_equal_is_false", "NumericNotEquals", "s3:max-keys", []string{"10"}, map[string]any{"s3:max-keys": "10.00"}, F},
		{"NumericNotEquals_missing_key_is_true", "NumericNotEquals", "s3:max-keys", []string{"10"}, nil, T},
		{"NumericNotEquals_request_not_a_number_matches_no_value", "NumericNotEquals", "s3:max-keys", []string{"10"}, map[string]any{"s3:max-keys": "x"}, T},
		{"NumericLessThan_smaller_is_true", "NumericLessThan", "s3:max-keys", []string{"10"}, map[string]any{"s3:max-keys": "5"}, T},
		{"NumericLessThan_equal_is_false", "NumericLessThan", "s3:max-keys", []string{"10"}, map[string]any{"s3:max-keys": "10"}, F},
		{"NumericLessThan_decimals", "NumericLessThan", "k:n", []string{"2.45"}, map[string]any{"k:n": "2.5"}, F},
		{"NumericLessThan_decimals_true", "NumericLessThan", "k:n", []string{"2.5"}, map[string]any{"k:n": "2.45"}, T},
		{"NumericLessThan_large_integers_exact", "NumericLessThan", "k:n", []string{"9007199254740994"}, map[string]any{"k:n": "9007199254740993"}, T},
		{"NumericLessThan_missing_key_is_false", "NumericLessThan", "s3:max-keys", []string{"10"}, nil, F},
		{"NumericLessThanIfExists_missing_key_is_true", "NumericLessThanIfExists", "s3:max-keys", []string{"10"}, nil, T},
		{"NumericLessThanEquals_equal_is_true", "NumericLessThanEquals", "s3:max-keys", []string{"10"}, map[string]any{"s3:max-keys": "10"}, T},
		{"NumericLessThanEquals_bigger_is_false", "NumericLessThanEquals", "s3:max-keys", []string{"10"}, map[string]any{"s3:max-keys": "11"}, F},
		{"NumericGreaterThan_bigger_is_true", "NumericGreaterThan", "k:n", []string{"10"}, map[string]any{"k:n": "10.5"}, T},
		{"NumericGreaterThan_negative_numbers", "NumericGreaterThan", "k:n", []string{"-2"}, map[string]any{"k:n": "-1"}, T},
		{"NumericGreaterThan_negative_below_positive", "NumericGreaterThan", "k:n", []string{"1"}, map[string]any{"k:n": "-5"}, F},
		{"NumericGreaterThanEquals_equal_is_true", "NumericGreaterThanEquals", "k:n", []string{"+3"}, map[string]any{"k:n": "3"}, T},
		{"NumericGreaterThanEquals_smaller_is_false", "NumericGreaterThanEquals", "k:n", []string{"3"}, map[string]any{"k:n": "2.999"}, F},
	})
}

func TestDateOperators(t *testing.T) {
	runEval(t, []evalCase{
		{"DateLessThan_iso_before_is_true", "DateLessThan", "aws:CurrentTime", []string{"2026-01-01T00:00:00Z"}, map[string]any{"aws:CurrentTime": "2025-12-31T23:59:59Z"}, T},
		{"DateLessThan_same_instant_is_false", "DateLessThan", "aws:CurrentTime", []string{"2026-01-01T00:00:00Z"}, map[string]any{"aws:CurrentTime": "2026-01-01T00:00:00Z"}, F},
		{"DateLessThanEquals_same_instant_is_true", "DateLessThanEquals", "aws:CurrentTime", []string{"2026-01-01T00:00:00Z"}, map[string]any{"aws:CurrentTime": "2026-01-01T00:00:00Z"}, T},
		{"DateGreaterThan_epoch_request_against_iso_policy", "DateGreaterThan", "aws:EpochTime", []string{"2020-01-01T00:00:00Z"}, map[string]any{"aws:EpochTime": "1577836801"}, T},
		{"DateGreaterThan_iso_request_against_epoch_policy", "DateGreaterThan", "aws:TokenIssueTime", []string{"1577836800"}, map[string]any{"aws:TokenIssueTime": "2019-12-31T23:59:59Z"}, F},
		{"DateEquals_same_instant_in_other_zone", "DateEquals", "aws:CurrentTime", []string{"2020-01-01T00:00:00Z"}, map[string]any{"aws:CurrentTime": "2020-01-01T01:00:00+01:00"}, T},
		{"DateEquals_date_only_is_midnight_utc", "DateEquals", "aws:CurrentTime", []string{"2020-01-01"}, map[string]any{"aws:CurrentTime": "2020-01-01T00:00:00Z"}, T},
		{"DateNotEquals_different_is_true", "DateNotEquals", "aws:CurrentTime", []string{"2020-01-01"}, map[string]any{"aws:CurrentTime": "2020-01-02"}, T},
		{"DateNotEquals_missing_key_is_true", "DateNotEquals", "aws:TokenIssueTime", []string{"2020-01-01"}, nil, T},
		{"DateGreaterThanEquals_fractional_seconds", "DateGreaterThanEquals", "aws:CurrentTime", []string{"2020-01-01T00:00:00Z"}, map[string]any{"aws:CurrentTime": "2020-01-01T00:00:00.5Z"}, T},
		{"DateLessThan_fractional_seconds_order", "DateLessThan", "aws:CurrentTime", []string{"2020-01-01T00:00:00.25Z"}, map[string]any{"aws:CurrentTime": "2020-01-01T00:00:00.125Z"}, T},
		{"DateLessThan_year_only_form", "DateLessThan", "aws:CurrentTime", []string{"2021"}, map[string]any{"aws:CurrentTime": "2020-12-31T23:59:59Z"}, T},
		{"DateLessThan_year_month_form", "DateLessThan", "aws:CurrentTime", []string{"2021-02"}, map[string]any{"aws:CurrentTime": "2021-02-01T00:00:00Z"}, F},
		{"DateGreaterThan_minutes_form", "DateGreaterThan", "aws:CurrentTime", []string{"2020-01-01T10:30Z"}, map[string]any{"aws:CurrentTime": "2020-01-01T10:30:01Z"}, T},
		{"DateLessThan_negative_offset", "DateLessThan", "aws:CurrentTime", []string{"2020-01-01T00:00:00-05:00"}, map[string]any{"aws:CurrentTime": "2020-01-01T04:59:59Z"}, T},
		{"DateGreaterThan_request_not_a_date_does_not_match", "DateGreaterThan", "aws:CurrentTime", []string{"2020-01-01"}, map[string]any{"aws:CurrentTime": "yesterday"}, F},
		{"DateLessThan_missing_key_is_false", "DateLessThan", "aws:TokenIssueTime", []string{"2020-01-01"}, nil, F},
		{"DateLessThanIfExists_missing_key_is_true", "DateLessThanIfExists", "aws:TokenIssueTime", []string{"2020-01-01"}, nil, T},
		{"DateGreaterThan_epoch_both_sides", "DateGreaterThan", "aws:EpochTime", []string{"1700000000"}, map[string]any{"aws:EpochTime": "1700000001"}, T},
	})
}

func TestBoolBinaryOperators(t *testing.T) {
	runEval(t, []evalCase{
		{"Bool_true_matches_true", "Bool", "aws:SecureTransport", []string{"true"}, map[string]any{"aws:SecureTransport": "true"}, T},
		{"Bool_false_does_not_match_true", "Bool", "aws:SecureTransport", []string{"false"}, map[string]any{"aws:SecureTransport": "true"}, F},
		{"Bool_request_value_case_insensitive", "Bool", "aws:SecureTransport", []string{"true"}, map[string]any{"aws:SecureTransport": "TRUE"}, T},
		{"Bool_policy_value_case_insensitive", "Bool", "aws:SecureTransport", []string{"False"}, map[string]any{"aws:SecureTransport": "false"}, T},
		{"Bool_missing_key_is_false", "Bool", "aws:MultiFactorAuthPresent", []string{"true"}, nil, F},
		{"Bool_deny_false_does_not_apply_when_key_missing", "Bool", "aws:MultiFactorAuthPresent", []string{"false"}, nil, F},
		{"BoolIfExists_missing_key_is_true", "BoolIfExists", "aws:MultiFactorAuthPresent", []string{"false"}, nil, T},
		{"BoolIfExists_present_is_checked", "BoolIfExists", "aws:MultiFactorAuthPresent", []string{"false"}, map[string]any{"aws:MultiFactorAuthPresent": "true"}, F},
		{"Bool_request_not_boolean_does_not_match", "Bool", "aws:SecureTransport", []string{"true"}, map[string]any{"aws:SecureTransport": "yes"}, F},
		{"Bool_policy_variable_allowed", "Bool", "aws:SecureTransport", []string{"${aws:PrincipalTag/tls}"}, map[string]any{"aws:SecureTransport": "true", "aws:PrincipalTag/tls": "True"}, T},
		{"BinaryEquals_same_bytes", "BinaryEquals", "k:bin", []string{"QmluYXJ5VmFsdWVJbkJhc2U2NA=="}, map[string]any{"k:bin": "QmluYXJ5VmFsdWVJbkJhc2U2NA=="}, T},
		{"BinaryEquals_unpadded_request_same_bytes", "BinaryEquals", "k:bin", []string{"YWI="}, map[string]any{"k:bin": "YWI"}, T},
		{"BinaryEquals_unpadded_policy_same_bytes", "BinaryEquals", "k:bin", []string{"YWI"}, map[string]any{"k:bin": "YWI="}, T},
		{"BinaryEquals_different_bytes", "BinaryEquals", "k:bin", []string{"YWI="}, map[string]any{"k:bin": "YWM="}, F},
		{"BinaryEquals_missing_key_is_false", "BinaryEquals", "k:bin", []string{"YWI="}, nil, F},
		{"BinaryEqualsIfExists_missing_key_is_true", "BinaryEqualsIfExists", "k:bin", []string{"YWI="}, nil, T},
	})
}

func TestIPOperators(t *testing.T) {
	runEval(t, []evalCase{
		{"IpAddress_in_cidr", "IpAddress", "aws:SourceIp", []string{"203.0.113.0/24"}, map[string]any{"aws:SourceIp": "203.0.113.7"}, T},
		{"IpAddress_outside_cidr", "IpAddress", "aws:SourceIp", []string{"203.0.113.0/24"}, map[string]any{"aws:SourceIp": "203.0.114.7"}, F},
		{"IpAddress_plain_address_defaults_to_slash_32", "IpAddress", "aws:SourceIp", []string{"203.0.113.7"}, map[string]any{"aws:SourceIp": "203.0.113.7"}, T},
		{"IpAddress_plain_address_is_not_a_range", "IpAddress", "aws:SourceIp", []string{"203.0.113.7"}, map[string]any{"aws:SourceIp": "203.0.113.8"}, F},
		{"IpAddress_ipv6_cidr", "IpAddress", "aws:SourceIp", []string{"2001:DB8:1234:5678::/64"}, map[string]any{"aws:SourceIp": "2001:db8:1234:5678::1"}, T},
		{"IpAddress_ipv6_outside", "IpAddress", "aws:SourceIp", []string{"2001:DB8:1234:5678::/64"}, map[string]any{"aws:SourceIp": "2001:db8:1234:5679::1"}, F},
		{"IpAddress_ipv4_request_against_ipv6_range", "IpAddress", "aws:SourceIp", []string{"::/0"}, map[string]any{"aws:SourceIp": "10.0.0.1"}, F},
		{"IpAddress_mixed_v4_v6_list_ORed", "IpAddress", "aws:SourceIp", []string{"203.0.113.0/24", "2001:DB8:1234:5678::/64"}, map[string]any{"aws:SourceIp": "2001:db8:1234:5678::ff"}, T},
		{"IpAddress_ipv4_mapped_ipv6_request_counts_as_ipv4", "IpAddress", "aws:SourceIp", []string{"10.0.0.0/8"}, map[string]any{"aws:SourceIp": "::ffff:10.1.2.3"}, T},
		{"IpAddress_host_bits_in_policy_are_masked", "IpAddress", "aws:SourceIp", []string{"10.1.2.3/8"}, map[string]any{"aws:SourceIp": "10.200.0.1"}, T},
		{"IpAddress_request_range_inside_policy_range", "IpAddress", "aws:VpcSourceIp", []string{"10.0.0.0/8"}, map[string]any{"aws:VpcSourceIp": "10.1.0.0/16"}, T},
		{"IpAddress_request_range_wider_than_policy_range", "IpAddress", "aws:VpcSourceIp", []string{"10.1.0.0/16"}, map[string]any{"aws:VpcSourceIp": "10.0.0.0/8"}, F},
		{"IpAddress_missing_key_is_false", "IpAddress", "aws:SourceIp", []string{"0.0.0.0/0"}, nil, F},
		{"IpAddress_request_not_an_address_does_not_match", "IpAddress", "aws:SourceIp", []string{"0.0.0.0/0"}, map[string]any{"aws:SourceIp": "example.com"}, F},
		{"IpAddressIfExists_missing_key_is_true", "IpAddressIfExists", "aws:SourceIp", []string{"10.0.0.0/8"}, nil, T},
		{"NotIpAddress_outside_is_true", "NotIpAddress", "aws:SourceIp", []string{"10.0.0.0/8"}, map[string]any{"aws:SourceIp": "192.0.2.1"}, T},
		{"NotIpAddress_inside_is_false", "NotIpAddress", "aws:SourceIp", []string{"10.0.0.0/8"}, map[string]any{"aws:SourceIp": "10.0.0.1"}, F},
		{"NotIpAddress_missing_key_is_true", "NotIpAddress", "aws:SourceIp", []string{"10.0.0.0/8"}, nil, T},
		{"NotIpAddress_several_ranges_one_contains_is_false", "NotIpAddress", "aws:SourceIp", []string{"10.0.0.0/8", "192.0.2.0/24"}, map[string]any{"aws:SourceIp": "192.0.2.9"}, F},
		{"NotIpAddress_several_ranges_none_contains_is_true", "NotIpAddress", "aws:SourceIp", []string{"10.0.0.0/8", "192.0.2.0/24"}, map[string]any{"aws:SourceIp": "198.51.100.1"}, T},
	})
}

func TestARNOperators(t *testing.T) {
	const topic = "arn:aws:sns:us-east-1:123456789012:topic"
	runEval(t, []evalCase{
		{"ArnEquals_exact", "ArnEquals", "aws:SourceArn", []string{topic}, map[string]any{"aws:SourceArn": topic}, T},
		{"ArnEquals_accepts_wildcards_like_ArnLike", "ArnEquals", "aws:SourceArn", []string{"arn:aws:sns:*:123456789012:*"}, map[string]any{"aws:SourceArn": topic}, T},
		{"ArnLike_each_part_matched_with_wildcards", "ArnLike", "aws:SourceArn", []string{"arn:aws:s3:::bucket-*"}, map[string]any{"aws:SourceArn": "arn:aws:s3:::bucket-logs"}, T},
		{"ArnLike_star_stays_within_its_part", "ArnLike", "aws:SourceArn", []string{"arn:aws:someservice:*:111122223333:finance/*"}, map[string]any{"aws:SourceArn": "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt"}, F},
		{"StringLike_star_crosses_parts_where_ArnLike_does_not", "StringLike", "aws:SourceArn", []string{"arn:aws:someservice:*:111122223333:finance/*"}, map[string]any{"aws:SourceArn": "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt"}, T},
		{"ArnLike_resource_part_may_hold_colons", "ArnLike", "aws:SourceArn", []string{"arn:aws:lambda:*:123456789012:function:*"}, map[string]any{"aws:SourceArn": "arn:aws:lambda:us-east-1:123456789012:function:f:live"}, T},
		{"ArnLike_question_matches_one_char", "ArnLike", "aws:SourceArn", []string{"arn:aws:sns:us-east-?:123456789012:topic"}, map[string]any{"aws:SourceArn": topic}, T},
		{"ArnLike_is_case_sensitive", "ArnLike", "aws:SourceArn", []string{"arn:aws:sns:us-east-1:123456789012:Topic"}, map[string]any{"aws:SourceArn": topic}, F},
		{"ArnLike_value_that_is_not_an_ARN_does_not_match", "ArnLike", "aws:SourceArn", []string{"arn:aws:sns:*:*:*"}, map[string]any{"aws:SourceArn": "topic"}, F},
		{"ArnLike_lone_star_matches_any_ARN", "ArnLike", "aws:SourceArn", []string{"*"}, map[string]any{"aws:SourceArn": topic}, T},
		{"ArnLike_lone_star_needs_an_ARN", "ArnLike", "aws:SourceArn", []string{"*"}, map[string]any{"aws:SourceArn": "not-an-arn"}, F},
		{"ArnLike_pattern_with_too_few_parts_matches_nothing", "ArnLike", "aws:SourceArn", []string{"arn:aws:sns:*"}, map[string]any{"aws:SourceArn": topic}, F},
		{"ArnLike_missing_key_is_false", "ArnLike", "aws:SourceArn", []string{"*"}, nil, F},
		{"ArnNotLike_matching_is_false", "ArnNotLike", "aws:SourceArn", []string{"arn:aws:sns:*:123456789012:*"}, map[string]any{"aws:SourceArn": topic}, F},
		{"ArnNotLike_value_that_is_not_an_ARN_is_true", "ArnNotLike", "aws:SourceArn", []string{"arn:aws:sns:*:*:*"}, map[string]any{"aws:SourceArn": "topic"}, T},
		{"ArnNotEquals_missing_key_is_true", "ArnNotEquals", "aws:SourceArn", []string{topic}, nil, T},
		{"ArnEqualsIfExists_missing_key_is_true", "ArnEqualsIfExists", "aws:SourceArn", []string{topic}, nil, T},
		{"ArnLike_policy_variable_in_resource_part", "ArnLike", "aws:SourceArn", []string{"arn:aws:s3:::home-${aws:username}"}, map[string]any{"aws:SourceArn": "arn:aws:s3:::home-alice", "aws:username": "alice"}, T},
		{"ArnLike_unknown_variable_is_unknown", "ArnLike", "aws:SourceArn", []string{"arn:aws:s3:::home-${aws:username}"}, map[string]any{"aws:SourceArn": "arn:aws:s3:::home-alice", "aws:username": unk{}}, U},
		{"ArnLike_unknown_variable_false_when_no_value_fits", "ArnLike", "aws:SourceArn", []string{"arn:aws:s3:::home-${aws:username}"}, map[string]any{"aws:SourceArn": "arn:aws:sqs:::home-alice", "aws:username": unk{}}, F},
	})
}

func TestNullOperator(t *testing.T) {
	runEval(t, []evalCase{
		{"Null_true_key_missing_is_true", "Null", "aws:TokenIssueTime", []string{"true"}, nil, T},
		{"Null_true_key_present_is_false", "Null", "aws:TokenIssueTime", []string{"true"}, map[string]any{"aws:TokenIssueTime": "2020-01-01"}, F},
		{"Null_false_key_present_is_true", "Null", "aws:TokenIssueTime", []string{"false"}, map[string]any{"aws:TokenIssueTime": "2020-01-01"}, T},
		{"Null_false_key_missing_is_false", "Null", "aws:TokenIssueTime", []string{"false"}, nil, F},
		{"Null_value_case_insensitive", "Null", "aws:TokenIssueTime", []string{"TRUE"}, nil, T},
		{"Null_false_unknown_key_counts_as_present", "Null", "aws:PrincipalTag/team", []string{"false"}, map[string]any{"aws:PrincipalTag/team": unk{}}, T},
		{"Null_true_unknown_key_counts_as_present", "Null", "aws:PrincipalTag/team", []string{"true"}, map[string]any{"aws:PrincipalTag/team": unk{}}, F},
		{"Null_true_empty_multivalued_key_is_null", "Null", "aws:TagKeys", []string{"true"}, map[string]any{"aws:TagKeys": multi{}}, T},
		{"Null_false_multivalued_key_present", "Null", "aws:TagKeys", []string{"false"}, map[string]any{"aws:TagKeys": multi{"a", "b"}}, T},
		{"Null_both_values_always_true", "Null", "k:x", []string{"true", "false"}, nil, T},
	})
}

func TestSetOperators(t *testing.T) {
	tags := map[string]any{"aws:TagKeys": multi{"env", "team"}}
	runEval(t, []evalCase{
		{"ForAllValues_every_request_value_matches", "ForAllValues:StringEquals", "aws:TagKeys", []string{"env", "team", "cost"}, tags, T},
		{"ForAllValues_one_request_value_unmatched", "ForAllValues:StringEquals", "aws:TagKeys", []string{"env"}, tags, F},
		{"ForAllValues_missing_key_is_true", "ForAllValues:StringEquals", "aws:TagKeys", []string{"env"}, nil, T},
		{"ForAllValues_empty_set_is_true", "ForAllValues:StringEquals", "aws:TagKeys", []string{"env"}, map[string]any{"aws:TagKeys": multi{}}, T},
		{"ForAllValues_single_valued_key_is_set_of_one", "ForAllValues:StringEquals", "aws:RequestTag/env", []string{"prod", "dev"}, map[string]any{"aws:RequestTag/env": "dev"}, T},
		{"ForAllValues_StringLike_wildcards", "ForAllValues:StringLike", "aws:TagKeys", []string{"e*", "t*"}, tags, T},
		{"ForAllValues_StringEqualsIgnoreCase", "ForAllValues:StringEqualsIgnoreCase", "aws:TagKeys", []string{"ENV", "TEAM"}, tags, T},
		{"ForAllValues_NumericLessThan", "ForAllValues:NumericLessThan", "k:nums", []string{"10"}, map[string]any{"k:nums": multi{"1", "9"}}, T},
		{"ForAllValues_NumericLessThan_one_too_big", "ForAllValues:NumericLessThan", "k:nums", []string{"10"}, map[string]any{"k:nums": multi{"1", "10"}}, F},
		{"ForAllValues_StringNotEquals_no_value_listed_is_true", "ForAllValues:StringNotEquals", "aws:TagKeys", []string{"secret", "admin"}, tags, T},
		{"ForAllValues_StringNotEquals_one_value_listed_is_false", "ForAllValues:StringNotEquals", "aws:TagKeys", []string{"team"}, tags, F},
		{"ForAllValues_StringNotEquals_missing_key_is_true", "ForAllValues:StringNotEquals", "aws:TagKeys", []string{"team"}, nil, T},
		{"ForAllValuesIfExists_missing_key_is_true", "ForAllValues:StringEqualsIfExists", "aws:TagKeys", []string{"x"}, nil, T},
		{"ForAnyValue_one_request_value_matches", "ForAnyValue:StringEquals", "aws:TagKeys", []string{"team"}, tags, T},
		{"ForAnyValue_no_request_value_matches", "ForAnyValue:StringEquals", "aws:TagKeys", []string{"cost"}, tags, F},
		{"ForAnyValue_missing_key_is_false", "ForAnyValue:StringEquals", "aws:TagKeys", []string{"team"}, nil, F},
		{"ForAnyValue_empty_set_is_false", "ForAnyValue:StringEquals", "aws:TagKeys", []string{"team"}, map[string]any{"aws:TagKeys": multi{}}, F},
		{"ForAnyValue_single_valued_key_is_set_of_one", "ForAnyValue:StringEquals", "aws:CalledViaFirst", []string{"athena.amazonaws.com"}, map[string]any{"aws:CalledViaFirst": "athena.amazonaws.com"}, T},
		{"ForAnyValue_StringNotEquals_some_value_unlisted_is_true", "ForAnyValue:StringNotEquals", "aws:TagKeys", []string{"env"}, tags, T},
		{"ForAnyValue_StringNotEquals_every_value_listed_is_false", "ForAnyValue:StringNotEquals", "aws:TagKeys", []string{"env", "team"}, tags, F},
		{"ForAnyValue_StringNotEquals_missing_key_is_false", "ForAnyValue:StringNotEquals", "aws:TagKeys", []string{"env"}, nil, F},
		// Real IAM answers false: ForAnyValue needs a matching value, and IfExists does not supply one.
		{"ForAnyValueIfExists_missing_key_is_false", "ForAnyValue:StringEqualsIfExists", "aws:TagKeys", []string{"team"}, nil, F},
		{"ForAnyValue_ArnLike", "ForAnyValue:ArnLike", "k:arns", []string{"arn:aws:iam::*:role/admin"}, map[string]any{"k:arns": multi{"arn:aws:iam::1:role/dev", "arn:aws:iam::2:role/admin"}}, T},
		{"ForAnyValue_IpAddress", "ForAnyValue:IpAddress", "k:ips", []string{"10.0.0.0/8"}, map[string]any{"k:ips": multi{"192.0.2.1", "10.9.9.9"}}, T},
		{"ForAnyValue_CalledVia_service_in_chain", "ForAnyValue:StringEquals", "aws:CalledVia", []string{"athena.amazonaws.com"}, map[string]any{"aws:CalledVia": multi{"athena.amazonaws.com", "glue.amazonaws.com"}}, T},
		{"plain_operator_on_multivalued_key_is_false", "StringEquals", "aws:CalledVia", []string{"athena.amazonaws.com"}, map[string]any{"aws:CalledVia": multi{"athena.amazonaws.com", "glue.amazonaws.com"}}, F},
		{"plain_operator_on_one_element_multivalued_key_is_false", "StringEquals", "aws:CalledVia", []string{"athena.amazonaws.com"}, map[string]any{"aws:CalledVia": multi{"athena.amazonaws.com"}}, F},
		{"plain_negated_operator_on_multivalued_key_is_false", "StringNotEquals", "aws:TagKeys", []string{"secret"}, tags, F},
		{"plain_IfExists_operator_on_multivalued_key_is_false", "StringLikeIfExists", "aws:TagKeys", []string{"*"}, tags, F},
		{"plain_operator_on_empty_multivalued_key_is_missing", "StringNotEquals", "aws:TagKeys", []string{"x"}, map[string]any{"aws:TagKeys": multi{}}, T},
	})
}

func TestUnknownContext(t *testing.T) {
	runEval(t, []evalCase{
		{"unknown_key_makes_StringEquals_unknown", "StringEquals", "aws:SourceVpce", []string{"vpce-1"}, map[string]any{"aws:SourceVpce": unk{}}, U},
		{"unknown_key_makes_negated_operator_unknown", "StringNotEquals", "aws:SourceVpce", []string{"vpce-1"}, map[string]any{"aws:SourceVpce": unk{}}, U},
		{"unknown_key_is_present_so_IfExists_still_unknown", "StringEqualsIfExists", "aws:SourceVpce", []string{"vpce-1"}, map[string]any{"aws:SourceVpce": unk{}}, U},
		{"unknown_key_makes_ForAllValues_unknown", "ForAllValues:StringEquals", "aws:TagKeys", []string{"a"}, map[string]any{"aws:TagKeys": unk{}}, U},
		{"unknown_key_makes_ForAnyValue_unknown", "ForAnyValue:StringEquals", "aws:TagKeys", []string{"a"}, map[string]any{"aws:TagKeys": unk{}}, U},
		{"unknown_key_makes_IpAddress_unknown", "IpAddress", "aws:SourceIp", []string{"10.0.0.0/8"}, map[string]any{"aws:SourceIp": unk{}}, U},
		{"unknown_key_makes_NumericLessThan_unknown", "NumericLessThan", "s3:max-keys", []string{"10"}, map[string]any{"s3:max-keys": unk{}}, U},
		{"unknown_prefix_makes_tag_key_unknown", "StringEquals", "aws:PrincipalTag/team", []string{"blue"}, map[string]any{"aws:principaltag/": unkPrefix{}}, U},
		{"unknown_prefix_leaves_other_keys_missing", "StringEquals", "aws:ResourceTag/team", []string{"blue"}, map[string]any{"aws:principaltag/": unkPrefix{}}, F},
		{"explicit_value_beats_unknown_prefix", "StringEquals", "aws:PrincipalTag/team", []string{"blue"}, map[string]any{"aws:principaltag/": unkPrefix{}, "aws:PrincipalTag/team": "red"}, F},
		{"unknown_variable_in_value_is_unknown", "StringLike", "s3:prefix", []string{"home/${aws:PrincipalTag/team}/*"}, map[string]any{"s3:prefix": "home/blue/x", "aws:principaltag/": unkPrefix{}}, U},
		{"unknown_variable_false_when_no_value_could_match", "StringLike", "s3:prefix", []string{"home/${aws:PrincipalTag/team}/*"}, map[string]any{"s3:prefix": "work/blue/x", "aws:principaltag/": unkPrefix{}}, F},
		{"unknown_variable_under_negation_is_unknown", "StringNotEquals", "aws:ResourceTag/team", []string{"${aws:PrincipalTag/team}"}, map[string]any{"aws:ResourceTag/team": "blue", "aws:PrincipalTag/team": unk{}}, U},
		{"known_match_beats_unknown_variable", "StringEquals", "s3:prefix", []string{"${aws:PrincipalTag/team}", "public"}, map[string]any{"s3:prefix": "public", "aws:PrincipalTag/team": unk{}}, T},
	})
}

func TestPolicyVariablesInConditions(t *testing.T) {
	runEval(t, []evalCase{
		{"StringLike_variable_substituted", "StringLike", "s3:prefix", []string{"home/${aws:username}/*"}, map[string]any{"s3:prefix": "home/alice/a", "aws:username": "alice"}, T},
		{"StringEquals_variable_other_user_does_not_match", "StringEquals", "s3:prefix", []string{"home/${aws:username}"}, map[string]any{"s3:prefix": "home/bob", "aws:username": "alice"}, F},
		{"StringEquals_variable_with_missing_key_matches_nothing", "StringEquals", "aws:ResourceTag/owner", []string{"${aws:username}"}, map[string]any{"aws:ResourceTag/owner": ""}, F},
		{"StringNotEquals_variable_with_missing_key_is_true", "StringNotEquals", "aws:ResourceTag/owner", []string{"${aws:username}"}, map[string]any{"aws:ResourceTag/owner": "alice"}, T},
		{"StringEquals_variable_default_value", "StringEquals", "aws:ResourceTag/team", []string{"${aws:PrincipalTag/team, 'shared'}"}, map[string]any{"aws:ResourceTag/team": "shared"}, T},
		{"StringEquals_tag_matches_principal_tag", "StringEquals", "aws:ResourceTag/team", []string{"${aws:PrincipalTag/team}"}, map[string]any{"aws:ResourceTag/team": "blue", "aws:PrincipalTag/team": "blue"}, T},
		{"StringEquals_multivalued_key_cannot_be_a_variable", "StringEquals", "aws:ResourceTag/k", []string{"${aws:TagKeys}"}, map[string]any{"aws:ResourceTag/k": "a", "aws:TagKeys": multi{"a"}}, F},
		{"StringLike_escape_star_is_literal", "StringLike", "s3:prefix", []string{"a${*}"}, map[string]any{"s3:prefix": "abc"}, F},
		{"StringLike_substituted_star_is_literal", "StringLike", "s3:prefix", []string{"${aws:username}"}, map[string]any{"s3:prefix": "abc", "aws:username": "a*"}, F},
	})
}

func TestVariablesAreLiteralWithoutVersion2012(t *testing.T) {
	// AWS "Variables and tags": without Version 2012-10-17, "${aws:username}"
	// is a literal string.
	b, err := Compile([]Clause{{Operator: "StringEquals", Key: "s3:prefix", Values: []string{"${aws:username}"}}}, pattern.Options{})
	if err != nil {
		t.Fatal(err)
	}
	lit := newCtx(map[string]any{"s3:prefix": "${aws:username}", "aws:username": "alice"})
	sub := newCtx(map[string]any{"s3:prefix": "alice", "aws:username": "alice"})
	if b.Eval(lit) != T || b.Eval(sub) != F {
		t.Errorf("2008-10-17 policy substituted a variable: literal=%v substituted=%v", b.Eval(lit), b.Eval(sub))
	}
	// A malformed variable is only an error where variables exist.
	if _, err := Compile([]Clause{{Operator: "StringEquals", Key: "k", Values: []string{"${aws:x"}}}, pattern.Options{}); err != nil {
		t.Errorf("2008-10-17 policy rejected literal text: %v", err)
	}
}

func TestBlockLogic(t *testing.T) {
	clauses := []Clause{
		{Operator: "StringEquals", Key: "aws:SourceAccount", Values: []string{"111111111111"}},
		{Operator: "ArnLike", Key: "aws:SourceArn", Values: []string{"arn:aws:s3:::uploads-*"}},
	}
	b, err := Compile(clauses, vars)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		ctx  map[string]any
		want pattern.Tri
	}{
		{"keys_are_ANDed_all_true", map[string]any{"aws:SourceAccount": "111111111111", "aws:SourceArn": "arn:aws:s3:::uploads-1"}, T},
		{"keys_are_ANDed_one_false", map[string]any{"aws:SourceAccount": "222222222222", "aws:SourceArn": "arn:aws:s3:::uploads-1"}, F},
		{"false_beats_unknown", map[string]any{"aws:SourceAccount": "222222222222", "aws:SourceArn": unk{}}, F},
		{"unknown_and_true_is_unknown", map[string]any{"aws:SourceAccount": "111111111111", "aws:SourceArn": unk{}}, U},
		{"missing_key_fails_the_block", map[string]any{"aws:SourceAccount": "111111111111"}, F},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := b.Eval(newCtx(tt.ctx)); got != tt.want {
				t.Errorf("Eval = %v, want %v", got, tt.want)
			}
		})
	}
	var nilBlock *Block
	if nilBlock.Eval(nil) != T || nilBlock.Explain(nil) != nil || nilBlock.Keys() != nil {
		t.Error("a statement without Condition must always apply")
	}
	empty, _ := Compile(nil, vars)
	if empty.Eval(NewContext()) != T {
		t.Error("empty block is not true")
	}
	if b.Eval(nil) != F {
		t.Error("nil context must treat every key as missing")
	}
}

func TestCompileErrors(t *testing.T) {
	tests := []struct {
		name     string
		clause   Clause
		wantPath string
		wantMsg  string
	}{
		{"unknown_operator", Clause{Operator: "StringMatches", Key: "k", Values: []string{"a"}}, "P", `unknown condition operator "StringMatches"`},
		{"operator_names_are_case_sensitive", Clause{Operator: "stringEquals", Key: "k", Values: []string{"a"}}, "P", `did you mean "StringEquals"`},
		{"set_operator_is_case_sensitive", Clause{Operator: "forAnyValue:StringEquals", Key: "k", Values: []string{"a"}}, "P", `unknown set operator "forAnyValue:"`},
		{"IfExists_not_allowed_on_Null", Clause{Operator: "NullIfExists", Key: "k", Values: []string{"true"}}, "P", "IfExists cannot be used with Null"},
		{"unknown_set_operator", Clause{Operator: "ForSomeValues:StringEquals", Key: "k", Values: []string{"a"}}, "P", "unknown set operator"},
		{"two_set_operators", Clause{Operator: "ForAnyValue:ForAllValues:StringEquals", Key: "k", Values: []string{"a"}}, "P", "more than one set operator"},
		{"set_operator_without_operator", Clause{Operator: "ForAnyValue:", Key: "k", Values: []string{"a"}}, "P", "needs a condition operator"},
		{"BinaryNotEquals_is_not_an_AWS_operator", Clause{Operator: "BinaryNotEquals", Key: "k", Values: []string{"YQ=="}}, "P", "unknown condition operator"},
		{"StringLikeIgnoreCase_is_not_an_AWS_operator", Clause{Operator: "StringLikeIgnoreCase", Key: "k", Values: []string{"a"}}, "P", "unknown condition operator"},
		{"IfExists_alone_is_not_an_operator", Clause{Operator: "IfExists", Key: "k", Values: []string{"a"}}, "P", "unknown condition operator"},
		{"empty_value_list", Clause{Operator: "StringEquals", Key: "k", Values: nil}, "P", "must not be an empty list"},
		{"empty_key", Clause{Operator: "StringEquals", Key: " ", Values: []string{"a"}}, "P", "empty condition key"},
		{"bad_number", Clause{Operator: "NumericLessThan", Key: "s3:max-keys", Values: []string{"ten"}}, "P", `"ten" is not a number`},
		{"number_with_exponent", Clause{Operator: "NumericEquals", Key: "k", Values: []string{"1e3"}}, "P", "is not a number"},
		{"number_empty", Clause{Operator: "NumericEquals", Key: "k", Values: []string{""}}, "P", "is not a number"},
		{"number_lone_sign", Clause{Operator: "NumericEquals", Key: "k", Values: []string{"-"}}, "P", "is not a number"},
		{"variable_in_numeric_is_literal_text", Clause{Operator: "NumericEquals", Key: "k", Values: []string{"${aws:x}"}}, "P", "is not a number"},
		{"bad_date", Clause{Operator: "DateLessThan", Key: "aws:CurrentTime", Values: []string{"tomorrow"}}, "P", "is not a date"},
		{"date_month_13", Clause{Operator: "DateLessThan", Key: "aws:CurrentTime", Values: []string{"2020-13-01"}}, "P", "is not a date"},
		{"date_february_30", Clause{Operator: "DateLessThan", Key: "aws:CurrentTime", Values: []string{"2020-02-30"}}, "P", "is not a date"},
		{"date_hour_24", Clause{Operator: "DateLessThan", Key: "aws:CurrentTime", Values: []string{"2020-01-01T24:00:00Z"}}, "P", "is not a date"},
		{"date_slashes", Clause{Operator: "DateEquals", Key: "aws:CurrentTime", Values: []string{"2020/01/01"}}, "P", "is not a date"},
		{"bad_ip", Clause{Operator: "IpAddress", Key: "aws:SourceIp", Values: []string{"10.0.0.256"}}, "P", "is not an IP address"},
		{"bad_cidr_length", Clause{Operator: "NotIpAddress", Key: "aws:SourceIp", Values: []string{"10.0.0.0/33"}}, "P", "is not an IP address"},
		{"ip_with_zone", Clause{Operator: "IpAddress", Key: "aws:SourceIp", Values: []string{"fe80::1%eth0"}}, "P", "is not an IP address"},
		{"bad_base64", Clause{Operator: "BinaryEquals", Key: "k", Values: []string{"not base64!"}}, "P", "is not base64"},
		{"bad_bool", Clause{Operator: "Bool", Key: "aws:SecureTransport", Values: []string{"yes"}}, "P", `must be "true" or "false"`},
		{"bad_null_value", Clause{Operator: "Null", Key: "k", Values: []string{"maybe"}}, "P", `must be "true" (key absent)`},
		{"malformed_variable_in_string", Clause{Operator: "StringLike", Key: "s3:prefix", Values: []string{"home/${aws:username"}}, "P", "no closing '}'"},
		{"malformed_variable_in_arn", Clause{Operator: "ArnLike", Key: "aws:SourceArn", Values: []string{"arn:aws:s3:::${}"}}, "P", "empty key name"},
		{"malformed_variable_in_bool", Clause{Operator: "Bool", Key: "k", Values: []string{"${x, y}"}}, "P", "single quotes"},
		{"error_path_names_the_bad_value", Clause{Operator: "IpAddress", Key: "aws:SourceIp", Values: []string{"10.0.0.0/8", "bad"}}, "P[1]", "is not an IP address"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.clause.Path = "P"
			_, err := Compile([]Clause{tt.clause}, vars)
			if err == nil {
				t.Fatalf("Compile(%+v) succeeded, want error", tt.clause)
			}
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("error %v is not a *condition.Error", err)
			}
			if ce.Path != tt.wantPath {
				t.Errorf("Path = %q, want %q", ce.Path, tt.wantPath)
			}
			if !strings.Contains(ce.Msg, tt.wantMsg) {
				t.Errorf("Msg = %q, want it to contain %q", ce.Msg, tt.wantMsg)
			}
			if !strings.HasPrefix(err.Error(), tt.wantPath+": ") {
				t.Errorf("Error() = %q does not start with the path", err)
			}
		})
	}
}

func TestCompileAcceptsEveryAWSOperatorForm(t *testing.T) {
	value := map[family]string{
		famString: "a", famNumeric: "1", famDate: "2020-01-01", famBool: "true",
		famBinary: "YQ==", famIP: "10.0.0.0/8", famARN: "arn:aws:s3:::b", famNull: "true",
	}
	for _, op := range operatorNames() {
		info, _ := baseOperator(op)
		forms := []string{op, "ForAllValues:" + op, "ForAnyValue:" + op}
		if info.fam != famNull {
			forms = append(forms, op+"IfExists", "ForAllValues:"+op+"IfExists", "ForAnyValue:"+op+"IfExists")
		}
		for _, name := range forms {
			if _, err := Compile([]Clause{{Operator: name, Key: "k", Values: []string{value[info.fam]}}}, vars); err != nil {
				t.Errorf("%s rejected: %v", name, err)
			}
		}
	}
}

func TestExplain(t *testing.T) {
	clauses := []Clause{
		{Operator: "IpAddress", Key: "aws:SourceIp", Values: []string{"10.0.0.0/8"}, Path: "S[0].Condition.IpAddress[\"aws:SourceIp\"]"},
		{Operator: "StringNotEquals", Key: "aws:PrincipalTag/team", Values: []string{"red", "blue"}},
		{Operator: "ForAnyValue:StringLike", Key: "aws:TagKeys", Values: []string{"env*"}},
		{Operator: "ForAllValues:StringEquals", Key: "aws:TagKeys", Values: []string{"a", "b", "c"}},
		{Operator: "Null", Key: "aws:TokenIssueTime", Values: []string{"true"}},
		{Operator: "DateLessThanIfExists", Key: "aws:CurrentTime", Values: []string{"2030-01-01"}},
		{Operator: "StringEqualsIgnoreCase", Key: "k", Values: []string{"X"}},
		{Operator: "NumericGreaterThanEquals", Key: "n", Values: []string{"3"}},
	}
	b, err := Compile(clauses, vars)
	if err != nil {
		t.Fatal(err)
	}
	ctx := newCtx(map[string]any{"aws:SourceIp": unk{}, "aws:PrincipalTag/team": "green"})
	got := b.Explain(ctx)
	want := []struct {
		sentence string
		result   pattern.Tri
	}{
		{"aws:SourceIp must be in 10.0.0.0/8", U},
		{"aws:PrincipalTag/team must not equal any of red, blue", T},
		{"at least one value of aws:TagKeys must match env*", F},
		{"every value of aws:TagKeys must equal a, b or c, or be absent", T},
		{"aws:TokenIssueTime must be absent", T},
		{"aws:CurrentTime must be before 2030-01-01, if present", T},
		{"k must equal X (ignoring case)", F},
		{"n must be at least 3", F},
	}
	if len(got) != len(want) {
		t.Fatalf("Explain returned %d results, want %d", len(got), len(want))
	}
	for i, w := range want {
		if got[i].Sentence != w.sentence || got[i].Result != w.result {
			t.Errorf("clause %d: %q %v, want %q %v", i, got[i].Sentence, got[i].Result, w.sentence, w.result)
		}
	}
	if got[0].Path != clauses[0].Path || got[0].Operator != "IpAddress" || got[0].Key != "aws:SourceIp" {
		t.Errorf("Explain lost the clause identity: %+v", got[0])
	}
	if b.Eval(ctx) != F {
		t.Errorf("Eval disagrees with Explain: %v", b.Eval(ctx))
	}
}

func TestBlockKeys(t *testing.T) {
	b, err := Compile([]Clause{
		{Operator: "StringEquals", Key: "AWS:ResourceTag/Team", Values: []string{"${aws:PrincipalTag/Team}"}},
		{Operator: "ArnLike", Key: "aws:SourceArn", Values: []string{"arn:aws:s3:::${aws:username}"}},
		{Operator: "Null", Key: "aws:resourcetag/team", Values: []string{"false"}},
	}, vars)
	if err != nil {
		t.Fatal(err)
	}
	want := "aws:principaltag/team aws:resourcetag/team aws:sourcearn aws:username"
	if got := strings.Join(b.Keys(), " "); got != want {
		t.Errorf("Keys = %q, want %q (sorted, unique, lower-case, with variable keys)", got, want)
	}
	if b.Len() != 3 {
		t.Errorf("Len = %d", b.Len())
	}
}

func TestContext(t *testing.T) {
	c := NewContext()
	c.Set("AWS:SourceIp", "10.0.0.1")
	c.Set("aws:TagKeys", "a", "b")
	c.SetMulti("aws:CalledVia", []string{"athena.amazonaws.com"})
	c.SetUnknown("aws:SourceVpce")
	c.SetUnknownPrefix("AWS:PrincipalTag/")
	c.SetUnknownPrefix("aws:principaltag/")

	if v, st := c.Lookup("aws:sourceip"); st != pattern.Present || len(v) != 1 || v[0] != "10.0.0.1" {
		t.Errorf("key names ignore case: %v %v", v, st)
	}
	if !c.IsMulti("aws:tagkeys") || !c.IsMulti("aws:calledvia") || c.IsMulti("aws:sourceip") {
		t.Error("Set with several values and SetMulti must be multivalued; Set with one value single-valued")
	}
	if _, st := c.Lookup("aws:principaltag/x"); st != pattern.KeyUnknown {
		t.Errorf("unknown prefix: %v", st)
	}
	if _, st := c.Lookup("aws:username"); st != pattern.Missing {
		t.Errorf("unset key: %v", st)
	}
	want := "aws:calledvia aws:sourceip aws:sourcevpce aws:tagkeys aws:principaltag/*"
	if got := strings.Join(c.Keys(), " "); got != want {
		t.Errorf("Keys = %q, want %q", got, want)
	}
	// Set after SetUnknown, and the reverse, replace the earlier state.
	c.Set("aws:SourceVpce", "vpce-1")
	if _, st := c.Lookup("aws:sourcevpce"); st != pattern.Present {
		t.Errorf("Set did not replace unknown: %v", st)
	}
	c.SetUnknown("aws:SourceIp")
	if _, st := c.Lookup("aws:sourceip"); st != pattern.KeyUnknown {
		t.Errorf("SetUnknown did not replace value: %v", st)
	}
	// Clone is independent.
	d := c.Clone()
	d.Set("aws:username", "bob")
	if _, st := c.Lookup("aws:username"); st != pattern.Missing {
		t.Error("Clone shares state with the original")
	}
	// Set copies the caller's slice.
	vals := []string{"x", "y"}
	c.SetMulti("k", vals)
	vals[0] = "changed"
	if v, _ := c.Lookup("k"); v[0] != "x" {
		t.Error("SetMulti kept the caller's slice")
	}
	var nilCtx *Context
	if _, st := nilCtx.Lookup("k"); st != pattern.Missing || nilCtx.Keys() != nil {
		t.Error("nil context is not empty")
	}
}

// TestEvalAllowFailsClosed: for an Allow statement an unresolvable policy
// variable ("IAM policy elements: Variables and tags": the statement may be
// invalid) and a negated operator on a value of the wrong type ("Condition
// operators": typed operators) never make a clause hold; Eval, the reading
// for Deny statements, lets the negated operators hold.
func TestEvalAllowFailsClosed(t *testing.T) {
	tests := []struct {
		name        string
		op, key     string
		vals        []string
		ctx         map[string]any
		deny, allow pattern.Tri
	}{
		{"StringNotEquals_missing_variable", "StringNotEquals", "aws:ResourceTag/team", []string{"${aws:PrincipalTag/team}"}, map[string]any{"aws:ResourceTag/team": "red"}, T, F},
		{"StringEquals_missing_variable", "StringEquals", "aws:ResourceTag/team", []string{"${aws:PrincipalTag/team}"}, map[string]any{"aws:ResourceTag/team": "red"}, F, F},
		{"StringNotEquals_multivalued_variable", "StringNotEquals", "aws:ResourceTag/team", []string{"${aws:PrincipalTag/team}"}, map[string]any{"aws:ResourceTag/team": "red", "aws:PrincipalTag/team": multi{"a", "b"}}, T, F},
		{"StringNotEquals_variable_with_default", "StringNotEquals", "aws:ResourceTag/team", []string{"${aws:PrincipalTag/team, 'x'}"}, map[string]any{"aws:ResourceTag/team": "red"}, T, T},
		{"StringNotEquals_resolved_variable", "StringNotEquals", "aws:ResourceTag/team", []string{"${aws:PrincipalTag/team}"}, map[string]any{"aws:ResourceTag/team": "red", "aws:PrincipalTag/team": "blue"}, T, T},
		{"ArnNotLike_missing_variable_unknown_key", "ArnNotLike", "aws:SourceArn", []string{"arn:aws:sns:*:${aws:PrincipalAccount}:*"}, map[string]any{"aws:SourceArn": unk{}}, U, F},
		{"DateNotEquals_unparsable", "DateNotEquals", "aws:CurrentTime", []string{"2026-01-01T00:00:00Z"}, map[string]any{"aws:CurrentTime": "yesterday"}, T, F},
		{"NumericNotEquals_unparsable", "NumericNotEquals", "s3:max-keys", []string{"10"}, map[string]any{"s3:max-keys": "ten"}, T, F},
		{"NotIpAddress_unparsable", "NotIpAddress", "aws:SourceIp", []string{"10.0.0.0/8"}, map[string]any{"aws:SourceIp": "nope"}, T, F},
		{"ArnNotLike_not_an_arn", "ArnNotLike", "aws:SourceArn", []string{"arn:aws:sns:*:111111111111:*"}, map[string]any{"aws:SourceArn": "topic"}, T, F},
		{"ArnNotLike_other_arn", "ArnNotLike", "aws:SourceArn", []string{"arn:aws:sns:*:111111111111:*"}, map[string]any{"aws:SourceArn": "arn:aws:sns:us-east-1:222222222222:t"}, T, T},
		{"NotIpAddress_outside", "NotIpAddress", "aws:SourceIp", []string{"10.0.0.0/8"}, map[string]any{"aws:SourceIp": "192.0.2.1"}, T, T},
		{"ForAnyValue_IfExists_missing", "ForAnyValue:StringEqualsIfExists", "aws:TagKeys", []string{"team"}, nil, F, F},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := Compile([]Clause{{Operator: tt.op, Key: tt.key, Values: tt.vals}}, vars)
			if err != nil {
				t.Fatal(err)
			}
			ctx := newCtx(tt.ctx)
			if got := b.Eval(ctx); got != tt.deny {
				t.Errorf("Eval = %v, want %v", got, tt.deny)
			}
			if got := b.EvalAllow(ctx); got != tt.allow {
				t.Errorf("EvalAllow = %v, want %v", got, tt.allow)
			}
		})
	}
}

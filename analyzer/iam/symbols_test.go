package iam

import (
	"slices"
	"testing"

	"github.com/lambdacheck/lambdacheck/analyzer/iam/condition"
)

// Symbols ("<EXPR>", values unknown before apply) are matched by identity;
// where a policy could or could not match depending on their values, the
// decision is Conditional and names them.
func TestAuthorizeSymbols(t *testing.T) {
	const role = "arn:aws:iam::111111111111:role/app"
	allowGet := func(res string) string {
		return `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"` + res + `"}}`
	}
	tests := []struct {
		name        string
		principal   string
		identity    []string
		resource    string // resource policy, "" for none
		resARN      string
		ctx         map[string]string // "?" marks an unknown key
		want        Decision
		wantSymbols []string
		symbolsOnly bool
	}{
		{
			name: "concrete_pattern_could_match_symbolic_bucket", principal: role,
			identity: []string{allowGet("arn:aws:s3:::prod-*")}, resARN: "arn:aws:s3:::<var.env>-data",
			want: Conditional, wantSymbols: []string{"<var.env>"}, symbolsOnly: true,
		},
		{
			name: "star_absorbs_symbol", principal: role,
			identity: []string{allowGet("arn:aws:s3:::prod-*")}, resARN: "arn:aws:s3:::prod-<var.suffix>",
			want: Allowed,
		},
		{
			name: "fixed_text_excludes_whatever_the_symbol", principal: role,
			identity: []string{allowGet("arn:aws:s3:::test-*")}, resARN: "arn:aws:s3:::prod-<var.suffix>",
			want: ImplicitlyDenied,
		},
		{
			name: "same_symbol_in_policy_and_resource", principal: role,
			identity: []string{allowGet("arn:aws:s3:::<var.bucket>/*")}, resARN: "arn:aws:s3:::<var.bucket>/k",
			want: Allowed,
		},
		{
			name: "policy_symbol_against_concrete_resource", principal: role,
			identity: []string{allowGet("arn:aws:s3:::<var.bucket>/*")}, resARN: "arn:aws:s3:::data/k",
			want: Conditional, wantSymbols: []string{"<var.bucket>"}, symbolsOnly: true,
		},
		{
			name: "deny_that_may_match_is_not_allowed_for_certain", principal: role,
			identity: []string{allowGet("*"), `{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"s3:*","Resource":"arn:aws:s3:::prod-*"}}`},
			resARN:   "arn:aws:s3:::<var.env>-data",
			want:     Conditional, wantSymbols: []string{"<var.env>"}, symbolsOnly: true,
		},
		{
			name: "not_resource_deny_of_unknown_stays_unknown", principal: role,
			identity: []string{allowGet("*"), `{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"s3:*","NotResource":"arn:aws:s3:::prod-*"}}`},
			resARN:   "arn:aws:s3:::<var.env>-data",
			want:     Conditional, wantSymbols: []string{"<var.env>"}, symbolsOnly: true,
		},
		{
			name: "string_not_equals_on_symbolic_value_stays_unknown", principal: role,
			identity: []string{`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringNotEquals":{"s3:ExistingObjectTag/env":"prod"}}}}`},
			resARN:   "arn:aws:s3:::b/k", ctx: map[string]string{"s3:ExistingObjectTag/env": "<var.env>"},
			want: Conditional, wantSymbols: []string{"<var.env>"}, symbolsOnly: true,
		},
		{
			name: "symbol_and_unknown_key_together", principal: role,
			identity: []string{`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::prod-*","Condition":{"StringEquals":{"aws:RequestedRegion":"eu-west-1"}}}}`},
			resARN:   "arn:aws:s3:::<var.env>-data", ctx: map[string]string{"aws:RequestedRegion": "?"},
			want: Conditional, wantSymbols: []string{"<var.env>"}, symbolsOnly: false,
		},
		{
			name: "unknown_key_alone_names_no_symbol", principal: role,
			identity: []string{`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:RequestedRegion":"eu-west-1"}}}}`},
			resARN:   "arn:aws:s3:::b", ctx: map[string]string{"aws:RequestedRegion": "?"},
			want: Conditional,
		},
		{
			name: "service_source_arn_condition_with_symbol", principal: "sns.amazonaws.com",
			resource: `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"Service":"sns.amazonaws.com"},"Action":"lambda:InvokeFunction","Resource":"*","Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:sns:*:111111111111:prod-*"}}}}`,
			resARN:   "arn:aws:lambda:us-east-1:111111111111:function:f", ctx: map[string]string{"aws:SourceArn": "arn:aws:sns:us-east-1:111111111111:<var.prefix>-topic"},
			want: Conditional, wantSymbols: []string{"<var.prefix>"}, symbolsOnly: true,
		},
		{
			name: "resource_policy_names_symbolic_role", principal: "arn:aws:iam::111111111111:role/app-role",
			resource: `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:role/<var.prefix>-role"},"Action":"s3:GetObject","Resource":"*"}}`,
			resARN:   "arn:aws:s3:::b",
			want:     Conditional, wantSymbols: []string{"<var.prefix>"}, symbolsOnly: true,
		},
		{
			name: "symbolic_role_name_cannot_be_this_role", principal: role,
			resource: `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:role/<var.prefix>-role"},"Action":"s3:GetObject","Resource":"*"}}`,
			resARN:   "arn:aws:s3:::b",
			want:     ImplicitlyDenied,
		},
		{
			name: "resource_policy_names_the_same_symbolic_role", principal: "arn:aws:iam::111111111111:role/<var.prefix>-role",
			resource: `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:role/<var.prefix>-role"},"Action":"s3:GetObject","Resource":"*"}}`,
			resARN:   "arn:aws:s3:::b",
			want:     Allowed,
		},
		{
			name: "resource_policy_names_other_account_role", principal: role,
			resource: `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:role/<var.prefix>-role"},"Action":"s3:GetObject","Resource":"*"}}`,
			resARN:   "arn:aws:s3:::b",
			want:     ImplicitlyDenied,
		},
		{
			name: "deny_for_a_lone_symbol_principal", principal: role,
			identity: []string{allowGet("*")},
			resource: `{"Version":"2012-10-17","Statement":{"Effect":"Deny","Principal":{"AWS":"<var.blocked_arn>"},"Action":"s3:GetObject","Resource":"*"}}`,
			resARN:   "arn:aws:s3:::b",
			want:     Conditional, wantSymbols: []string{"<var.blocked_arn>"}, symbolsOnly: true,
		},
		{
			name: "not_principal_deny_with_symbol_stays_unknown", principal: role,
			identity: []string{allowGet("*")},
			resource: `{"Version":"2012-10-17","Statement":{"Effect":"Deny","NotPrincipal":{"AWS":["111111111111","arn:aws:iam::111111111111:role/<var.admin>"]},"Action":"s3:GetObject","Resource":"*"}}`,
			resARN:   "arn:aws:s3:::b",
			want:     Conditional, wantSymbols: []string{"<var.admin>"}, symbolsOnly: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := ParsePrincipal(tt.principal)
			if err != nil {
				t.Fatal(err)
			}
			var pols Policies
			for i, doc := range tt.identity {
				pol, err := Parse([]byte(doc), IdentityPolicy, Source{Name: "id" + string(rune('0'+i))})
				if err != nil {
					t.Fatal(err)
				}
				pols.Identity = append(pols.Identity, pol)
			}
			if tt.resource != "" {
				if pols.Resource, err = Parse([]byte(tt.resource), ResourcePolicy, Source{Name: "res"}); err != nil {
					t.Fatal(err)
				}
			}
			ctx := condition.NewContext()
			for k, v := range tt.ctx {
				if v == "?" {
					ctx.SetUnknown(k)
				} else {
					ctx.Set(k, v)
				}
			}
			action := "s3:GetObject"
			if p.Kind == PrincipalService {
				action = "lambda:InvokeFunction"
			}
			res := Authorize(&Request{Principal: p, Action: action, Resource: tt.resARN, ResourceAccount: "111111111111", Context: ctx}, &pols)
			if res.Decision != tt.want {
				t.Fatalf("decision %v (%s), want %v", res.Decision, res.Reason, tt.want)
			}
			if !slices.Equal(res.Symbols, tt.wantSymbols) || res.SymbolsOnly != tt.symbolsOnly {
				t.Fatalf("symbols %q only=%v, want %q only=%v", res.Symbols, res.SymbolsOnly, tt.wantSymbols, tt.symbolsOnly)
			}
		})
	}
}

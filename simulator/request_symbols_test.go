package simulator

import (
	"testing"

	"github.com/lambdacheck/lambdacheck/analyzer/iam"
	"github.com/lambdacheck/lambdacheck/simulator/flow"
)

// A step whose decision waits only for values unknown before apply is
// unknown and names them; one that waits for a request context key stays
// conditional.
func TestDecideSymbols(t *testing.T) {
	tests := []struct {
		name       string
		policy     string
		resource   string
		want       flow.Decision
		wantReason string
	}{
		{
			name:     "symbol_only",
			policy:   `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::prod-*"}}`,
			resource: "arn:aws:s3:::<var.env>-data/k", want: flow.Unknown,
			wantReason: "depends on var.env, which is unknown before apply",
		},
		{
			name:     "two_symbols_sorted",
			policy:   `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::prod-*"}}`,
			resource: "arn:aws:s3:::<var.env>-<random_id.s.hex>/k", want: flow.Unknown,
			wantReason: "depends on random_id.s.hex and var.env, which are unknown before apply",
		},
		{
			name:     "context_key_stays_conditional",
			policy:   `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::prod-*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}}`,
			resource: "arn:aws:s3:::<var.env>-data/k", want: flow.Conditional,
		},
		{
			name:     "identity_is_certain",
			policy:   `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::<var.env>-data/*"}}`,
			resource: "arn:aws:s3:::<var.env>-data/k", want: flow.Allowed,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pol, err := iam.Parse([]byte(tt.policy), iam.IdentityPolicy, iam.Source{Name: "p"})
			if err != nil {
				t.Fatal(err)
			}
			p, _ := sessionPrincipal("arn:aws:iam::111111111111:role/app", "")
			req := &iam.Request{Principal: p, Action: "s3:GetObject", Resource: tt.resource, ResourceAccount: "111111111111",
				Context: roleContext("arn:aws:iam::111111111111:role/app", "111111111111", "")}
			st := decide("read", req, &iam.Policies{Identity: []*iam.Policy{pol}}, "")
			if st.Decision != tt.want {
				t.Fatalf("decision %s (%s), want %s", st.Decision, st.Reason, tt.want)
			}
			if tt.wantReason != "" && st.Reason != tt.wantReason {
				t.Fatalf("reason %q, want %q", st.Reason, tt.wantReason)
			}
		})
	}
}

package condition

import (
	"slices"
	"testing"
)

// Symbols ("<EXPR>", values unknown before apply) in request or policy
// values: equal text is certain, a possible match is Unknown, and negation
// keeps Unknown.
func TestEvalSymbols(t *testing.T) {
	arn := "arn:aws:sns:us-east-1:111111111111:<var.prefix>-topic"
	runEval(t, []evalCase{
		{"string_equals_same_symbol", "StringEquals", "aws:SourceAccount", []string{"<var.account>"}, map[string]any{"aws:SourceAccount": "<var.account>"}, T},
		{"string_equals_could_be_equal", "StringEquals", "aws:SourceAccount", []string{"111111111111"}, map[string]any{"aws:SourceAccount": "<var.account>"}, U},
		{"string_not_equals_could_be_equal", "StringNotEquals", "aws:SourceAccount", []string{"111111111111"}, map[string]any{"aws:SourceAccount": "<var.account>"}, U},
		{"string_not_equals_same_symbol", "StringNotEquals", "aws:SourceAccount", []string{"<var.account>"}, map[string]any{"aws:SourceAccount": "<var.account>"}, F},
		{"string_equals_cannot_be_equal", "StringEquals", "aws:SourceArn", []string{"x-queue"}, map[string]any{"aws:SourceArn": "<var.p>-topic"}, F},
		{"string_not_equals_cannot_be_equal", "StringNotEquals", "aws:SourceArn", []string{"x-queue"}, map[string]any{"aws:SourceArn": "<var.p>-topic"}, T},
		{"string_equals_ignore_case", "StringEqualsIgnoreCase", "aws:SourceArn", []string{"<var.p>-TOPIC"}, map[string]any{"aws:SourceArn": "<var.p>-topic"}, T},
		{"string_like_star_absorbs", "StringLike", "aws:SourceArn", []string{"arn:aws:sns:*"}, map[string]any{"aws:SourceArn": arn}, T},
		{"string_like_could_match", "StringLike", "aws:SourceArn", []string{"*:prod-*"}, map[string]any{"aws:SourceArn": arn}, U},
		{"string_not_like_could_match", "StringNotLike", "aws:SourceArn", []string{"*:prod-*"}, map[string]any{"aws:SourceArn": arn}, U},
		{"arn_like_could_match", "ArnLike", "aws:SourceArn", []string{"arn:aws:sns:*:111111111111:prod-*"}, map[string]any{"aws:SourceArn": arn}, U},
		{"arn_like_account_decides", "ArnLike", "aws:SourceArn", []string{"arn:aws:sns:*:222222222222:*"}, map[string]any{"aws:SourceArn": arn}, F},
		{"arn_not_like_account_decides", "ArnNotLike", "aws:SourceArn", []string{"arn:aws:sns:*:222222222222:*"}, map[string]any{"aws:SourceArn": arn}, T},
		{"arn_not_like_could_match", "ArnNotLike", "aws:SourceArn", []string{"arn:aws:sns:*:111111111111:prod-*"}, map[string]any{"aws:SourceArn": arn}, U},
		{"arn_equals_same_symbol", "ArnEquals", "aws:SourceArn", []string{arn}, map[string]any{"aws:SourceArn": arn}, T},
		{"one_of_values_certain", "StringEquals", "aws:SourceAccount", []string{"111111111111", "<var.account>"}, map[string]any{"aws:SourceAccount": "<var.account>"}, T},
		{"for_any_value_symbol", "ForAnyValue:StringEquals", "aws:TagKeys", []string{"env"}, map[string]any{"aws:TagKeys": multi{"<var.k>", "x"}}, U},
	})
}

func TestBlockSymbols(t *testing.T) {
	tests := []struct {
		name     string
		clauses  []Clause
		ctx      map[string]any
		wantSyms []string
		wantKeys bool
	}{
		{
			name:     "symbol_in_request_value",
			clauses:  []Clause{{Operator: "ArnLike", Key: "aws:SourceArn", Values: []string{"arn:aws:sns:*:1:prod-*"}}},
			ctx:      map[string]any{"aws:SourceArn": "arn:aws:sns:us-east-1:1:<var.prefix>-topic"},
			wantSyms: []string{"<var.prefix>"},
		},
		{
			name:     "symbol_in_policy_value",
			clauses:  []Clause{{Operator: "StringEquals", Key: "aws:SourceAccount", Values: []string{"<data.aws_caller_identity.c.account_id>"}}},
			ctx:      map[string]any{"aws:SourceAccount": "111111111111"},
			wantSyms: []string{"<data.aws_caller_identity.c.account_id>"},
		},
		{
			name:     "unknown_key",
			clauses:  []Clause{{Operator: "StringEquals", Key: "aws:SourceAccount", Values: []string{"111111111111"}}},
			ctx:      map[string]any{"aws:SourceAccount": unk{}},
			wantKeys: true,
		},
		{
			name: "certain_clauses_name_nothing",
			clauses: []Clause{
				{Operator: "StringEquals", Key: "aws:SourceAccount", Values: []string{"<var.a>"}},
				{Operator: "StringLike", Key: "aws:SourceArn", Values: []string{"*"}},
			},
			ctx: map[string]any{"aws:SourceAccount": "<var.a>", "aws:SourceArn": "<var.b>"},
		},
		{
			name: "both",
			clauses: []Clause{
				{Operator: "StringEquals", Key: "aws:SourceAccount", Values: []string{"1"}},
				{Operator: "StringEquals", Key: "aws:RequestedRegion", Values: []string{"eu-west-1"}},
			},
			ctx:      map[string]any{"aws:SourceAccount": "<var.b>", "aws:RequestedRegion": unk{}},
			wantSyms: []string{"<var.b>"}, wantKeys: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := Compile(tt.clauses, vars)
			if err != nil {
				t.Fatal(err)
			}
			syms, keys := b.Symbols(newCtx(tt.ctx))
			if !slices.Equal(syms, tt.wantSyms) || keys != tt.wantKeys {
				t.Fatalf("Symbols = %q, keys %v; want %q, keys %v", syms, keys, tt.wantSyms, tt.wantKeys)
			}
		})
	}
}

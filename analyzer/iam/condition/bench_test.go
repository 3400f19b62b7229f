package condition

import (
	"testing"

	"github.com/lambdacheck/lambdacheck/analyzer/iam/pattern"
)

// typicalBlock is the confused-deputy guard a Lambda resource policy carries.
func typicalBlock(tb testing.TB) (*Block, *Context) {
	b, err := Compile([]Clause{
		{Operator: "StringEquals", Key: "aws:SourceAccount", Values: []string{"111111111111"}},
		{Operator: "ArnLike", Key: "aws:SourceArn", Values: []string{"arn:aws:s3:::uploads-*"}},
	}, vars)
	if err != nil {
		tb.Fatal(err)
	}
	ctx := NewContext()
	ctx.Set("aws:SourceAccount", "111111111111")
	ctx.Set("aws:SourceArn", "arn:aws:s3:::uploads-prod")
	return b, ctx
}

func BenchmarkBlockEvalTypical(b *testing.B) {
	blk, ctx := typicalBlock(b)
	b.ReportAllocs()
	for b.Loop() {
		if blk.Eval(ctx) != pattern.True {
			b.Fatal("wrong answer")
		}
	}
}

func BenchmarkBlockEvalAllFamilies(b *testing.B) {
	blk, ctx := familiesBlock(b)
	b.ReportAllocs()
	for b.Loop() {
		if blk.Eval(ctx) != pattern.True {
			b.Fatal("wrong answer")
		}
	}
}

func familiesBlock(tb testing.TB) (*Block, *Context) {
	b, err := Compile([]Clause{
		{Operator: "IpAddress", Key: "aws:SourceIp", Values: []string{"10.0.0.0/8", "2001:db8::/32"}},
		{Operator: "DateLessThan", Key: "aws:CurrentTime", Values: []string{"2030-01-01T00:00:00Z"}},
		{Operator: "NumericLessThanEquals", Key: "s3:max-keys", Values: []string{"100"}},
		{Operator: "Bool", Key: "aws:SecureTransport", Values: []string{"true"}},
		{Operator: "BinaryEquals", Key: "k:bin", Values: []string{"YWJj"}},
		{Operator: "ForAllValues:StringLike", Key: "aws:TagKeys", Values: []string{"env*", "team"}},
		{Operator: "StringNotEqualsIgnoreCase", Key: "aws:PrincipalTag/role", Values: []string{"ADMIN"}},
		{Operator: "Null", Key: "aws:TokenIssueTime", Values: []string{"true"}},
		{Operator: "ArnNotLike", Key: "aws:PrincipalArn", Values: []string{"arn:aws:iam::*:role/admin-*"}},
	}, vars)
	if err != nil {
		tb.Fatal(err)
	}
	ctx := NewContext()
	ctx.Set("aws:SourceIp", "2001:db8::7")
	ctx.Set("aws:CurrentTime", "2026-11-25T12:00:00.5+01:00")
	ctx.Set("s3:max-keys", "50")
	ctx.Set("aws:SecureTransport", "TRUE")
	ctx.Set("k:bin", "YWJj")
	ctx.SetMulti("aws:TagKeys", []string{"env-x", "team"})
	ctx.Set("aws:PrincipalTag/role", "dev")
	ctx.Set("aws:PrincipalArn", "arn:aws:iam::1:role/app")
	return b, ctx
}

func TestEvalDoesNotAllocate(t *testing.T) {
	for name, build := range map[string]func(testing.TB) (*Block, *Context){"typical": typicalBlock, "families": familiesBlock} {
		blk, ctx := build(t)
		if got := blk.Eval(ctx); got != pattern.True {
			t.Fatalf("%s block = %v", name, got)
		}
		if n := testing.AllocsPerRun(100, func() { blk.Eval(ctx) }); n != 0 {
			t.Errorf("%s block: Eval allocates %v times", name, n)
		}
	}
}

package iam

import (
	"fmt"
	"strings"
	"testing"

	"github.com/lambdacheck/lambdacheck/analyzer/iam/condition"
)

// realisticPolicies builds an execution role's policy set: three managed and
// two inline identity policies of ten statements each, a bucket policy and a
// permissions boundary — the shape the performance target names.
func realisticPolicies(tb testing.TB) *Policies {
	tb.Helper()
	services := []string{"s3", "dynamodb", "sqs", "sns", "logs", "kms", "events", "lambda", "secretsmanager", "xray"}
	identity := make([]*Policy, 0, 5)
	for p := 0; p < 5; p++ {
		var stmts []string
		for s := 0; s < 10; s++ {
			svc := services[(p*3+s)%len(services)]
			effect := "Allow"
			cond := ""
			if s == 7 {
				cond = `,"Condition":{"StringEquals":{"aws:RequestedRegion":["eu-west-1","us-east-1"]},"Bool":{"aws:SecureTransport":"true"}}`
			}
			if s == 9 && p == 4 {
				effect = "Deny"
				cond = `,"Condition":{"StringNotEquals":{"aws:PrincipalOrgID":"o-abc123"}}`
			}
			stmts = append(stmts, fmt.Sprintf(`{"Sid":"S%d%d","Effect":%q,"Action":["%s:Get*","%s:List*","%s:Put%d*"],"Resource":["arn:aws:%s:eu-west-1:111111111111:res-%d-%d/*","arn:aws:%s:*:111111111111:other-%d"]%s}`,
				p, s, effect, svc, svc, svc, s, svc, p, s, svc, s, cond))
		}
		doc := `{"Version":"2012-10-17","Statement":[` + strings.Join(stmts, ",") + `]}`
		pol, err := Parse([]byte(doc), IdentityPolicy, Source{Name: fmt.Sprintf("policy-%d", p)})
		if err != nil {
			tb.Fatal(err)
		}
		identity = append(identity, pol)
	}
	s3doc := `{"Version":"2012-10-17","Statement":[{"Sid":"AllowApp","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:role/app"},"Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::data-bucket/*"},{"Sid":"DenyInsecure","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::data-bucket","arn:aws:s3:::data-bucket/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}`
	res, err := Parse([]byte(s3doc), ResourcePolicy, Source{Name: "bucket"})
	if err != nil {
		tb.Fatal(err)
	}
	bdoc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:*","dynamodb:*","sqs:*","sns:*","logs:*","kms:Decrypt"],"Resource":"*"},{"Effect":"Deny","Action":"iam:*","Resource":"*"}]}`
	b, err := Parse([]byte(bdoc), BoundaryPolicy, Source{Name: "boundary"})
	if err != nil {
		tb.Fatal(err)
	}
	// One identity statement grants the bucket read the benchmark requests.
	grant, err := Parse([]byte(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::data-bucket/*"}}`), IdentityPolicy, Source{Name: "grant"})
	if err != nil {
		tb.Fatal(err)
	}
	identity[1] = grant
	return &Policies{Identity: identity, Resource: res, Boundary: []*Policy{b}}
}

func BenchmarkAuthorize(b *testing.B) {
	pols := realisticPolicies(b)
	p, err := ParsePrincipal("arn:aws:sts::111111111111:assumed-role/app/session")
	if err != nil {
		b.Fatal(err)
	}
	ctx := condition.NewContext()
	ctx.Set("aws:SecureTransport", "true")
	ctx.Set("aws:RequestedRegion", "eu-west-1")
	ctx.Set("aws:PrincipalOrgID", "o-abc123")
	ctx.Set("aws:PrincipalArn", "arn:aws:iam::111111111111:role/app")
	req := &Request{Principal: p, Action: "s3:GetObject", Resource: "arn:aws:s3:::data-bucket/reports/2026.csv", Context: ctx}
	if got := Authorize(req, pols).Decision; got != Allowed {
		b.Fatalf("benchmark request decided %s, want Allowed", got)
	}
	deniedReq := &Request{Principal: p, Action: "dynamodb:DeleteTable", Resource: "arn:aws:dynamodb:eu-west-1:111111111111:table/t", Context: ctx}
	b.Run("allowed", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			Authorize(req, pols)
		}
	})
	b.Run("implicit-deny", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			Authorize(deniedReq, pols)
		}
	})
}

func BenchmarkParsePolicy(b *testing.B) {
	var stmts []string
	for s := 0; s < 10; s++ {
		stmts = append(stmts, fmt.Sprintf(`{"Sid":"S%d","Effect":"Allow","Action":["s3:Get*","s3:List*"],"Resource":["arn:aws:s3:::bucket-%d/*"],"Condition":{"StringEquals":{"aws:RequestedRegion":"eu-west-1"}}}`, s, s))
	}
	doc := []byte(`{"Version":"2012-10-17","Statement":[` + strings.Join(stmts, ",") + `]}`)
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(doc, IdentityPolicy, Source{}); err != nil {
			b.Fatal(err)
		}
	}
}

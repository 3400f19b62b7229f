package iam

import (
	"strings"
	"testing"
)

// FuzzParse feeds arbitrary bytes to the policy parser under every kind and
// decides a fixed request against whatever parses: no panic, bounded time.
func FuzzParse(f *testing.F) {
	seeds := []string{
		`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}`,
		`{"Version":"2012-10-17","Statement":[{"Effect":"Deny","NotAction":["iam:*"],"NotResource":"arn:aws:s3:::b/*","Condition":{"ForAnyValue:StringLike":{"aws:TagKeys":["a*"]}}}]}`,
		`{"Statement":[{"Effect":"Allow","Principal":{"AWS":["111111111111","arn:aws:iam::222222222222:role/x"],"Service":"s3.amazonaws.com"},"Action":"lambda:InvokeFunction","Resource":"arn:aws:lambda:us-east-1:111111111111:function:f","Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:s3:::bucket"}}}]}`,
		`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/${aws:username}/*"}}`,
		`{"Statement":[` + strings.Repeat(`[`, 100) + strings.Repeat(`]`, 100) + `]}`,
		`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*a*a*a*a*a*a*a*a*a*a*a*a*b"}}`,
		`{"a":"\u00e9\ud83d\ude00","b":-0.5e+10}`,
		`{"Version":"1","Statement":[{"Sid":"a","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::*:role/x","Service":"*x"},"Action":[],"NotResource":"arn:aws:sqs:${aws:Region}:${aws:PrincipalAccount}:q"},{"Sid":"a","Effect":"Allow","NotPrincipal":{"AWS":"x"},"Action":"s3"}]}`,
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	p, _ := ParsePrincipal("arn:aws:sts::111111111111:assumed-role/app/s")
	req := &Request{Principal: p, Action: "s3:GetObject", Resource: "arn:aws:s3:::b/" + strings.Repeat("a", 200)}
	f.Fuzz(func(t *testing.T, data []byte) {
		for i, kind := range []Kind{IdentityPolicy, ResourcePolicy, BoundaryPolicy, ServiceControlPolicy, ResourceControlPolicy, IdentityPolicy, ResourcePolicy, ResourceControlPolicy} {
			// The last three parse leniently (ParseOptions.Lenient).
			pol, err := ParseWith(data, kind, Source{Name: "fuzz"}, ParseOptions{Lenient: i >= 5})
			if err != nil {
				if err.Error() == "" {
					t.Fatal("empty error message")
				}
				continue
			}
			pols := &Policies{}
			switch kind {
			case ResourcePolicy:
				pols.Resource = pol
			case BoundaryPolicy:
				pols.Identity = []*Policy{pol}
				pols.Boundary = []*Policy{pol}
			case ServiceControlPolicy:
				pols.SCP = [][]*Policy{{pol}}
			case ResourceControlPolicy:
				pols.RCP = [][]*Policy{{pol}}
			default:
				pols.Identity = []*Policy{pol}
			}
			Authorize(req, pols)
		}
	})
}

// FuzzDecodeCase feeds arbitrary batch lines to the case decoder.
func FuzzDecodeCase(f *testing.F) {
	f.Add([]byte(`{"id":"c1","request":{"principal":"arn:aws:iam::111111111111:role/app","action":"s3:GetObject","resource":"arn:aws:s3:::bucket/key","context":{"aws:SourceIp":"10.0.0.1","aws:TagKeys":["a","b"]}},"identityPolicies":[{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}],"resourcePolicy":null,"permissionBoundaries":[],"serviceControlPolicies":[[{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}]]}`))
	f.Add([]byte(`{"id":7,"request":{"principal":"s3.amazonaws.com","action":"lambda:InvokeFunction","resource":"arn:aws:lambda:us-east-1:111111111111:function:f"}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := DecodeCase(data)
		if err != nil {
			return
		}
		c.Authorize()
	})
}

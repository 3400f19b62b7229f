package iam_test

import (
	"fmt"

	"github.com/lambdacheck/lambdacheck/analyzer/iam"
)

// A function's execution role may read objects under one prefix of a
// bucket, but a permissions boundary withholds writes.
func ExampleAuthorize() {
	identity, err := iam.Parse([]byte(`{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "ReadUploads", "Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::photos/uploads/*"}
  ]
}`), iam.IdentityPolicy, iam.Source{Name: "thumbnail-role-policy"})
	if err != nil {
		fmt.Println(err)
		return
	}
	boundary, err := iam.Parse([]byte(`{
  "Version": "2012-10-17",
  "Statement": [{"Effect": "Allow", "Action": "s3:Get*", "Resource": "*"}]
}`), iam.BoundaryPolicy, iam.Source{Name: "read-only-boundary"})
	if err != nil {
		fmt.Println(err)
		return
	}
	principal, err := iam.ParsePrincipal("arn:aws:iam::123456789012:role/thumbnail")
	if err != nil {
		fmt.Println(err)
		return
	}
	pols := &iam.Policies{Identity: []*iam.Policy{identity}, Boundary: []*iam.Policy{boundary}}
	for _, action := range []string{"s3:GetObject", "s3:PutObject"} {
		res := iam.Authorize(&iam.Request{Principal: principal, Action: action, Resource: "arn:aws:s3:::photos/uploads/cat.jpg"}, pols)
		fmt.Printf("%s: %s (%s)\n", action, res.Decision, res.Reason)
	}
	// Output:
	// s3:GetObject: Allowed (an identity policy allows the action (and boundary/session policies, where present, allow it too))
	// s3:PutObject: ImplicitlyDenied (the permissions boundary does not allow the action)
}

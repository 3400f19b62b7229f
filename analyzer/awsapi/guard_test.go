package awsapi

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

func TestCheckReadOnly(t *testing.T) {
	cases := []struct {
		name           string
		service, op    string
		allowed        bool
		wantUndeclared bool
	}{
		{"declared Get is a read", "Lambda", "GetPolicy", true, false},
		{"declared List is a read", "Lambda", "ListFunctions", true, false},
		{"declared Describe is a read", "KMS", "DescribeKey", true, false},
		{"AssumeRole is the listed credential exchange", "STS", "AssumeRole", true, false},
		{"AddPermission writes", "Lambda", "AddPermission", false, false},
		{"PutBucketPolicy writes", "S3", "PutBucketPolicy", false, false},
		{"DeleteRole writes", "IAM", "DeleteRole", false, false},
		{"a Get prefix must be a word: Getaway is not Get", "Lambda", "Getaway", false, false},
		{"AssumeRole of another service is not listed", "IAM", "AssumeRole", false, false},
		{"an undeclared read is refused so the policy cannot drift", "Lambda", "GetFunction", false, true},
		{"secrets are not read even by Get name", "SecretsManager", "GetSecretValue", false, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := checkReadOnly(c.service, c.op)
			if (err == nil) != c.allowed {
				t.Fatalf("checkReadOnly(%s, %s) = %v, want allowed=%v", c.service, c.op, err, c.allowed)
			}
			var ro *ReadOnlyError
			if err != nil && (!errors.As(err, &ro) || ro.Undeclared != c.wantUndeclared) {
				t.Fatalf("error %v: want ReadOnlyError with Undeclared=%v", err, c.wantUndeclared)
			}
		})
	}
}

// The guard refuses write operations on real SDK clients before anything
// reaches the network.
func TestReadOnlyGuardRefusesWrites(t *testing.T) {
	f := newFake(t, "testdata/event-pipeline")
	cfg := ReadOnly(f.config("eu-west-1"))
	ctx := context.Background()
	writes := []struct {
		name string
		call func() error
	}{
		{"lambda AddPermission", func() error {
			_, err := lambda.NewFromConfig(cfg).AddPermission(ctx, &lambda.AddPermissionInput{
				FunctionName: aws.String("acme-pipeline-worker"), StatementId: aws.String("x"),
				Action: aws.String("lambda:InvokeFunction"), Principal: aws.String("*")})
			return err
		}},
		{"iam DeleteRole", func() error {
			_, err := iam.NewFromConfig(cfg).DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String("acme-pipeline-worker")})
			return err
		}},
		{"s3 PutBucketPolicy", func() error {
			_, err := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true }).PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{
				Bucket: aws.String("acme"), Policy: aws.String("{}")})
			return err
		}},
	}
	for _, w := range writes {
		t.Run(w.name, func(t *testing.T) {
			err := w.call()
			var ro *ReadOnlyError
			if !errors.As(err, &ro) || ro.Undeclared {
				t.Fatalf("write was not refused by the guard: %v", err)
			}
		})
	}
	if n := f.Requests(); n != 0 {
		t.Fatalf("the fake AWS received %d requests; refused calls must never be sent", n)
	}
	// A declared read goes through the same configuration.
	if _, err := lambda.NewFromConfig(cfg).ListFunctions(ctx, &lambda.ListFunctionsInput{}); err != nil {
		// The first ListFunctions is throttled once; the retryer retries.
		t.Fatalf("read refused: %v", err)
	}
}

func TestRequiredPolicyIsGeneratedFromOperations(t *testing.T) {
	var doc struct {
		Version   string
		Statement []struct {
			Sid      string
			Effect   string
			Action   []string
			Resource any
		}
	}
	if err := json.Unmarshal(RequiredPolicy(), &doc); err != nil {
		t.Fatal(err)
	}
	granted := map[string]bool{}
	for _, s := range doc.Statement {
		if s.Effect != "Allow" {
			t.Errorf("statement %s is not an Allow", s.Sid)
		}
		for _, a := range s.Action {
			granted[a] = true
			verb := a[strings.IndexByte(a, ':')+1:]
			if !isReadName(verb) && a != "apigateway:GET" {
				t.Errorf("policy grants %s, which is not a read action", a)
			}
		}
	}
	for _, op := range operations {
		for _, a := range op.actions {
			if !granted[a] && !op.credential {
				t.Errorf("operation %s.%s needs %s, which the policy does not grant", op.service, op.name, a)
			}
		}
		if op.credential && len(op.actions) > 0 {
			t.Errorf("credential operation %s.%s must not add actions to the read-only policy", op.service, op.name)
		}
	}
	if granted["sts:AssumeRole"] {
		t.Error("the read-only policy must not grant sts:AssumeRole")
	}
}

// The required policy fits in one customer managed policy (IAM counts
// 6,144 characters, whitespace excluded), so it can be attached as is.
func TestRequiredPolicyFitsAManagedPolicy(t *testing.T) {
	n := 0
	for _, r := range string(RequiredPolicy()) {
		if r != ' ' && r != '\n' && r != '\t' && r != '\r' {
			n++
		}
	}
	if n > 6144 {
		t.Fatalf("the required policy has %d characters without whitespace; a managed policy holds 6,144", n)
	}
}

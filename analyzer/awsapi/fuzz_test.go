package awsapi

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
)

// decodePolicy never panics, and whatever it accepts is valid JSON.
func FuzzDecodePolicy(f *testing.F) {
	doc := `{"Version":"2012-10-17","Statement":[{"Sid":"A b+c","Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`
	f.Add(doc)
	f.Add(url.PathEscape(doc))
	f.Add(strings.ReplaceAll(doc, `"`, `\"`))
	f.Add("%7B%22a%22%3A1%7D")
	f.Add("%zz")
	f.Add("{}")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		out, err := decodePolicy(s)
		if err == nil && out != nil && !json.Valid(out) {
			t.Fatalf("decodePolicy(%q) = %q, not JSON", s, out)
		}
	})
}

// Policy documents decode to the same JSON whichever way an API encoded
// them (IAM: RFC 3986 URL encoding; API Gateway: escaped quotes).
func TestDecodePolicyShapes(t *testing.T) {
	doc := `{"Version":"2012-10-17","Statement":[{"Sid":"Plus+and space","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/a+b c"}]}`
	cases := []struct {
		name, in string
	}{
		{"plain JSON", doc},
		{"plain JSON with whitespace", strings.ReplaceAll(doc, ",", ",\n  ")},
		{"IAM URL-encoded per RFC 3986 keeps literal plus signs", url.PathEscape(doc)},
		{"API Gateway escaped quotes", strings.ReplaceAll(doc, `"`, `\"`)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := decodePolicy(c.in)
			if err != nil || string(got) != doc {
				t.Fatalf("decodePolicy = %s, %v; want %s", got, err, doc)
			}
		})
	}
	if _, err := decodePolicy("not a policy"); err == nil {
		t.Fatal("text that is no JSON in any encoding must be an error")
	}
	if got, err := decodePolicy("  "); got != nil || err != nil {
		t.Fatal("an empty document is no policy")
	}
}

// The read-only rule holds for any name: allowed names are declared, and
// declared names are reads or listed credential exchanges.
func FuzzCheckReadOnly(f *testing.F) {
	for _, op := range operations {
		f.Add(op.service, op.name)
	}
	f.Add("Lambda", "AddPermission")
	f.Add("S3", "PutBucketPolicy")
	f.Add("Lambda", "Get")
	f.Fuzz(func(t *testing.T, service, op string) {
		if checkReadOnly(service, op) != nil {
			return
		}
		if _, ok := lookupOperation(service, op); !ok {
			t.Fatalf("%s.%s allowed but not declared", service, op)
		}
		if !isReadName(op) && !readNamedOtherwise[service+"."+op] {
			t.Fatalf("%s.%s allowed but not a read", service, op)
		}
		for _, w := range []string{"Put", "Create", "Delete", "Update", "Add", "Remove", "Invoke", "Tag", "Untag", "Set"} {
			if strings.HasPrefix(op, w) {
				t.Fatalf("%s.%s allowed", service, op)
			}
		}
	})
}

// ARN helpers never panic and split function ARNs consistently.
func FuzzFunctionARN(f *testing.F) {
	f.Add("arn:aws:lambda:eu-west-1:123456789012:function:f")
	f.Add("arn:aws:lambda:eu-west-1:123456789012:function:f:live")
	f.Add("arn:aws:lambda:eu-west-1:123456789012:function:f:$LATEST")
	f.Add("arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:f/invocations")
	f.Add("arn::::")
	f.Fuzz(func(t *testing.T, s string) {
		fn, q := splitFunctionARN(s)
		if q != "" && fn+":"+q != s {
			t.Fatalf("splitFunctionARN(%q) = %q, %q", s, fn, q)
		}
		if q == "" && fn != s && fn+":$LATEST" != s {
			t.Fatalf("splitFunctionARN(%q) = %q without qualifier", s, fn)
		}
		_ = lambdaFromURI(s)
		_ = esmService(s)
		_ = lastPart(s)
	})
}

func TestSplitFunctionARN(t *testing.T) {
	cases := []struct{ in, fn, q string }{
		{"arn:aws:lambda:eu-west-1:1:function:f", "arn:aws:lambda:eu-west-1:1:function:f", ""},
		{"arn:aws:lambda:eu-west-1:1:function:f:live", "arn:aws:lambda:eu-west-1:1:function:f", "live"},
		{"arn:aws:lambda:eu-west-1:1:function:f:7", "arn:aws:lambda:eu-west-1:1:function:f", "7"},
		// $LATEST is the unqualified function (Lambda's documented meaning).
		{"arn:aws:lambda:eu-west-1:1:function:f:$LATEST", "arn:aws:lambda:eu-west-1:1:function:f", ""},
	}
	for _, c := range cases {
		if fn, q := splitFunctionARN(c.in); fn != c.fn || q != c.q {
			t.Errorf("splitFunctionARN(%s) = %s, %s", c.in, fn, q)
		}
	}
}

// Any error answer is sorted into exactly one recorded outcome: check never
// panics, never aborts the collection on an API answer, keeps messages
// bounded, and names the missing action of every denial.
func FuzzCheckErrorAnswers(f *testing.F) {
	f.Add("AccessDeniedException", "User is not authorized", 400, "")
	f.Add("", "<Error><Code>AccessDenied</Code></Error>", 403, "")
	f.Add("ResourceNotFoundException", "Function not found", 404, "arn:aws:lambda:eu-west-1:1:function:f")
	f.Add("InternalFailure", strings.Repeat("x", 1000), 501, "")
	f.Add("UnrecognizedClientException", "", 400, "")
	f.Add("", "", 0, "")
	f.Fuzz(func(t *testing.T, code, msg string, status int, resource string) {
		var err error = &smithy.GenericAPIError{Code: code, Message: msg}
		if status != 0 {
			err = &awshttp.ResponseError{ResponseError: &smithyhttp.ResponseError{
				Response: &smithyhttp.Response{Response: &http.Response{StatusCode: status}}, Err: err}}
		}
		p := newPart("eu-west-1", "lambda")
		k := call{"123456789012", "eu-west-1", "Lambda", "ListAliases", resource}
		notRead, fatal := p.check(k, err)
		if fatal != nil || !notRead || len(p.warnings) != 1 {
			t.Fatalf("check(%q, %q, %d) = %v, %v, %d warnings", code, msg, status, notRead, fatal, len(p.warnings))
		}
		w := p.warnings[0]
		if w.Kind == "" || len(w.Message) > maxMessage+len("…")+200 || p.reason(k) == "" {
			t.Fatalf("warning = %+v", w)
		}
		if w.Kind == inventory.WarningDenied && w.Permission != "lambda:ListAliases" {
			t.Fatalf("denial without its action: %+v", w)
		}
	})
}

// validARN accepts only what splits into an ARN of the service asked for.
func FuzzValidARN(f *testing.F) {
	f.Add("arn:aws:sqs:eu-west-1:123456789012:q", "sqs")
	f.Add("", "sqs")
	f.Add("arn:aws:sqs:eu-west-1:123456789012:", "")
	f.Add("https://sqs.eu-west-1.amazonaws.com/1/q", "sqs")
	f.Fuzz(func(t *testing.T, arn, service string) {
		p := newPart("eu-west-1", "sqs")
		ok := p.validARN(call{op: "GetQueueAttributes"}, "QueueArn", arn, service)
		_, svc, _, _, res, parsed := arnParts(arn)
		if ok && (!parsed || res == "" || service != "" && svc != service) {
			t.Fatalf("validARN accepted %q for %q", arn, service)
		}
		if ok == (len(p.warnings) == 1) {
			t.Fatalf("validARN(%q) = %v with %d warnings", arn, ok, len(p.warnings))
		}
	})
}

// policyResources never panics, whatever the document's shape.
func FuzzPolicyResources(f *testing.F) {
	f.Add(`{"Statement":[{"Resource":["arn:aws:sqs:eu-west-1:1:q","*"]}]}`)
	f.Add(`{"Statement":{"Resource":"arn:aws:secretsmanager:eu-west-1:1:secret:s"}}`)
	f.Add(`{"Statement":[]}`)
	f.Add(`{"Statement":""}`)
	f.Fuzz(func(t *testing.T, s string) {
		for _, r := range policyResources([]byte(s)) {
			if !json.Valid([]byte(s)) {
				t.Fatalf("policyResources(%q) returned %q from invalid JSON", s, r)
			}
		}
	})
}

package batch

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// typicalCase builds a ~2 KB batch line: a role with two identity policies,
// a bucket policy, a boundary and one SCP level.
func typicalCase(i int) string {
	return fmt.Sprintf(`{"id":"c%d","request":{"principal":"arn:aws:sts::111111111111:assumed-role/app/s%d","action":"s3:GetObject","resource":"arn:aws:s3:::bucket-%d/key/%d","resourceAccount":"222222222222","context":{"aws:SourceIp":"10.0.%d.1","aws:SecureTransport":"true","aws:PrincipalOrgID":"o-abc","aws:TagKeys":["team","env"]}},`+
		`"identityPolicies":[{"Version":"2012-10-17","Statement":[{"Sid":"Read","Effect":"Allow","Action":["s3:GetObject","s3:ListBucket"],"Resource":["arn:aws:s3:::bucket-%d","arn:aws:s3:::bucket-%d/*"]},{"Sid":"Logs","Effect":"Allow","Action":["logs:CreateLogStream","logs:PutLogEvents"],"Resource":"arn:aws:logs:*:111111111111:log-group:/aws/lambda/*"}]},`+
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"dynamodb:*","Resource":"arn:aws:dynamodb:eu-west-1:111111111111:table/orders"},{"Effect":"Deny","Action":"s3:DeleteObject","Resource":"*"}]}],`+
		`"resourcePolicy":{"Version":"2012-10-17","Statement":[{"Sid":"CrossRead","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:role/app"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket-%d/*","Condition":{"IpAddress":{"aws:SourceIp":["10.0.0.0/8","192.168.0.0/16"]},"Bool":{"aws:SecureTransport":"true"}}},{"Sid":"DenyOutsideOrg","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::bucket-%d/*","Condition":{"StringNotEquals":{"aws:PrincipalOrgID":"o-abc"}}}]},`+
		`"permissionBoundaries":[{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:*","logs:*","dynamodb:*"],"Resource":"*"}]}],`+
		`"serviceControlPolicies":[[{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"organizations:*","Resource":"*"}]}]]}`,
		i, i, i, i, i%256, i, i, i, i)
}

func TestRunKeepsOrderAndReportsErrors(t *testing.T) {
	var in strings.Builder
	const n = 1000
	for i := 0; i < n; i++ {
		switch {
		case i%97 == 5:
			in.WriteString(`{"id":"bad` + fmt.Sprint(i) + `","request":{"action":"s3:GetObject","resource":"*"}}`)
		case i%101 == 7:
			in.WriteString(`{"id": not json`)
		default:
			in.WriteString(typicalCase(i))
		}
		in.WriteByte('\n')
	}
	var out bytes.Buffer
	stats, err := Run(context.Background(), strings.NewReader(in.String()), &out, 4)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != n || stats.Lines != n {
		t.Fatalf("got %d output lines (stats %d), want %d", len(lines), stats.Lines, n)
	}
	errs := 0
	for i, l := range lines {
		var rec struct {
			ID       any    `json:"id"`
			Decision string `json:"decision"`
			Error    string `json:"error"`
		}
		if err := json.Unmarshal([]byte(l), &rec); err != nil {
			t.Fatalf("line %d is not JSON: %v: %s", i, err, l)
		}
		switch {
		case i%97 == 5:
			if rec.Error == "" || rec.ID != fmt.Sprintf("bad%d", i) || !strings.Contains(rec.Error, "request.principal") {
				t.Fatalf("line %d: want an error naming request.principal with its id, got %s", i, l)
			}
			errs++
		case i%101 == 7:
			if rec.Error == "" || rec.ID != nil {
				t.Fatalf("line %d: want an error with id null, got %s", i, l)
			}
			errs++
		default:
			if rec.ID != fmt.Sprintf("c%d", i) {
				t.Fatalf("line %d: out of order, id %v", i, rec.ID)
			}
			if rec.Decision != "Allowed" {
				t.Fatalf("line %d: decision %s, want Allowed: %s", i, rec.Decision, l)
			}
		}
	}
	if stats.Errors != errs {
		t.Fatalf("stats.Errors = %d, want %d", stats.Errors, errs)
	}
}

func TestAppendStringEscapes(t *testing.T) {
	got := string(appendString(nil, "a\"b\\c\n\x01é\xff"))
	var back string
	if err := json.Unmarshal([]byte(got), &back); err != nil {
		t.Fatalf("%s is not a JSON string: %v", got, err)
	}
	if back != "a\"b\\c\n\x01é\ufffd" {
		t.Fatalf("round trip gave %q", back)
	}
}

func BenchmarkRun(b *testing.B) {
	var in strings.Builder
	const n = 20000
	for i := 0; i < n; i++ {
		in.WriteString(typicalCase(i))
		in.WriteByte('\n')
	}
	data := in.String()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		var out bytes.Buffer
		if _, err := Run(context.Background(), strings.NewReader(data), &out, 0); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "lines/s")
}

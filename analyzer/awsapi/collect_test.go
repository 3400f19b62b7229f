package awsapi

import (
	"bytes"
	"context"
	"flag"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/lambdacheck/lambdacheck/analyzer/awsref"
	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
)

var update = flag.Bool("update", false, "rewrite golden snapshots")

func collectFake(t *testing.T, dir string, opts Options, override ...string) (*inventory.Inventory, fake) {
	t.Helper()
	f := newFake(t, dir, override...)
	if opts.Catalog == nil {
		opts.Catalog = awsref.Default()
	}
	inv, err := Collect(context.Background(), f.config("eu-west-1"), opts)
	if err != nil {
		t.Fatalf("Collect: %v", err)
	}
	f.Check()
	return inv, f
}

func golden(t *testing.T, path string, inv *inventory.Inventory) {
	t.Helper()
	var buf bytes.Buffer
	if err := inventory.Write(&buf, inv); err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(want, buf.Bytes()) {
		got := filepath.Join(t.TempDir(), filepath.Base(path))
		os.WriteFile(got, buf.Bytes(), 0o644)
		t.Fatalf("snapshot differs from %s (got %s; run with -update after checking)", path, got)
	}
}

func TestCollectEventPipelineGolden(t *testing.T) {
	inv, f := collectFake(t, "testdata/event-pipeline", Options{AllRegions: true, Concurrency: 4})
	golden(t, "testdata/event-pipeline/golden.json", inv)

	// The first ListFunctions was throttled and retried.
	if n := f.Calls("Lambda.ListFunctions"); n < 3 {
		t.Errorf("Lambda ListFunctions answered %d times, want the throttled attempt, its retry and page 2", n)
	}
	// Environment values are never stored, keys and the secret flag are.
	data, _ := os.ReadFile("testdata/event-pipeline/golden.json")
	if bytes.Contains(data, []byte("tok_9f8e7d6c5b4a3f2e1d0cEXAMPLE")) || bytes.Contains(data, []byte("https://sqs.eu-west-1.amazonaws.com/123456789012/acme-pipeline-work\"\n        }")) {
		t.Error("an environment variable value reached the snapshot")
	}
	var secret bool
	for _, fn := range inv.Functions {
		for _, e := range fn.Environment {
			if e.Key == "REPORT_API_TOKEN" {
				secret = e.LooksSecret
			}
		}
	}
	if !secret {
		t.Error("REPORT_API_TOKEN holds a literal token and must be flagged as looking secret")
	}
	// The member account cannot read SCPs: one warning naming the permission.
	var orgWarn bool
	for _, w := range inv.Warnings {
		if w.Service == "Organizations" && w.Permission == "organizations:ListParents" && w.Code == "AccessDeniedException" {
			orgWarn = true
		}
	}
	if !orgWarn {
		t.Errorf("want an Organizations ListParents warning, got %+v", inv.Warnings)
	}
	// Service-linked roles are left out.
	for _, r := range inv.Roles {
		if strings.Contains(r.Path, "aws-service-role") {
			t.Errorf("service-linked role %s collected", r.ARN)
		}
	}
}

func TestCollectThumbnailsGolden(t *testing.T) {
	inv, _ := collectFake(t, "testdata/thumbnails", Options{Regions: []string{"eu-west-1"}})
	golden(t, "testdata/thumbnails/golden.json", inv)
	byARN := map[string]inventory.Resource{}
	for _, r := range inv.Resources {
		byARN[r.ARN] = r
	}
	t.Run("a bucket without BucketRegion is located with GetBucketLocation", func(t *testing.T) {
		if r := byARN["arn:aws:s3:::acme-photos-uploads"]; r.Region != "eu-west-1" || r.Policy != nil || len(r.Unknown) != 0 {
			t.Fatalf("uploads bucket = %+v", r)
		}
	})
	t.Run("a bucket in a region not collected has an unknown policy", func(t *testing.T) {
		r := byARN["arn:aws:s3:::acme-logs-us-west-2"]
		if r.Region != "us-west-2" || len(r.Unknown) != 1 || r.Unknown[0].Field != "policy" {
			t.Fatalf("us-west-2 bucket = %+v", r)
		}
	})
	t.Run("an AWS managed policy IAM did not return comes from the catalog", func(t *testing.T) {
		if len(inv.Roles) != 1 || len(inv.Roles[0].AttachedPolicies) != 1 || len(inv.Roles[0].AttachedPolicies[0].Document) == 0 || inv.Roles[0].AttachedPolicies[0].Managed != "aws" {
			t.Fatalf("roles = %+v", inv.Roles)
		}
	})
	t.Run("the S3 notification is a push trigger with its key filter", func(t *testing.T) {
		var found bool
		for _, tr := range inv.Triggers {
			if tr.Service == "s3" && tr.FunctionARN == "arn:aws:lambda:eu-west-1:123456789012:function:acme-photos-thumbnail" &&
				tr.Filter != nil && tr.Filter.Prefix == "uploads/" && tr.Filter.Suffix == ".jpg" && tr.Kind == "push" {
				found = true
			}
		}
		if !found {
			t.Fatalf("triggers = %+v", inv.Triggers)
		}
	})
}

// Partial permissions: a denied call or a disabled region is a warning
// naming the missing permission, the items it would fill are unknown,
// and collection goes on.
func TestDeniedCallsBecomeWarnings(t *testing.T) {
	inv, _ := collectFake(t, "testdata/denied", Options{Regions: []string{"eu-west-1", "me-south-1"}})
	warn := map[string]inventory.Warning{}
	for _, w := range inv.Warnings {
		warn[w.Service+"."+w.Operation+"@"+w.Region] = w
	}
	cases := []struct {
		name, key, permission, code string
	}{
		{"IAM denied names iam:GetAccountAuthorizationDetails", "IAM.GetAccountAuthorizationDetails@eu-west-1", "iam:GetAccountAuthorizationDetails", "AccessDenied"},
		{"GetPolicy denied names lambda:GetPolicy", "Lambda.GetPolicy@eu-west-1", "lambda:GetPolicy", "AccessDeniedException"},
		{"SNS AuthorizationError names sns:ListTopics", "SNS.ListTopics@eu-west-1", "sns:ListTopics", "AuthorizationError"},
		{"a disabled region is one warning, not one per service", "STS.GetCallerIdentity@me-south-1", "", "InvalidClientTokenId"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w, ok := warn[c.key]
			if !ok {
				t.Fatalf("no warning %s in %+v", c.key, inv.Warnings)
			}
			if w.Permission != c.permission || w.Code != c.code || w.Message == "" {
				t.Fatalf("warning = %+v", w)
			}
		})
	}
	for _, w := range inv.Warnings {
		if w.Region == "me-south-1" && w.Service != "STS" {
			t.Errorf("services were read in the disabled region: %+v", w)
		}
	}
	if len(inv.Functions) != 1 {
		t.Fatalf("functions = %d, want the one listed", len(inv.Functions))
	}
	f := inv.Functions[0]
	t.Run("the function's resource policy is unknown", func(t *testing.T) {
		if !hasUnknownField(f.Unknown, "resource_policies") || len(f.ResourcePolicies) != 1 || !hasUnknownField(f.ResourcePolicies[0].Unknown, "document") {
			t.Fatalf("function = %+v", f)
		}
	})
	t.Run("the execution role stands in with unknown policies", func(t *testing.T) {
		if len(inv.Roles) != 1 || inv.Roles[0].ARN != f.Role || !hasUnknownField(inv.Roles[0].Unknown, "trust_policy") || !hasUnknownField(inv.Roles[0].Unknown, "inline_policies") {
			t.Fatalf("roles = %+v", inv.Roles)
		}
	})
}

// Resource policies are per qualifier: the collector reads the policy of
// the function, of each alias, and of each published version a trigger
// targets (AWS "Using Lambda aliases in event sources and permissions
// policies").
func TestCollectQualifiers(t *testing.T) {
	inv, f := collectFake(t, "testdata/qualifiers", Options{Regions: []string{"eu-west-1"}})
	golden(t, "testdata/qualifiers/golden.json", inv)
	if len(inv.Functions) != 1 {
		t.Fatalf("functions = %d", len(inv.Functions))
	}
	fn := inv.Functions[0]
	t.Run("the alias with its routing weights", func(t *testing.T) {
		if len(fn.Aliases) != 1 || fn.Aliases[0].Name != "live" || fn.Aliases[0].FunctionVersion != "3" || fn.Aliases[0].RoutingWeights["2"] != 0.1 {
			t.Fatalf("aliases = %+v", fn.Aliases)
		}
	})
	t.Run("one policy, on the alias; none on the function or version 3", func(t *testing.T) {
		if len(fn.ResourcePolicies) != 1 || fn.ResourcePolicies[0].Qualifier != "live" {
			t.Fatalf("policies = %+v", fn.ResourcePolicies)
		}
		if f.Calls("Lambda.GetPolicy") != 3 {
			t.Fatalf("GetPolicy called %d times, want function, alias and the version the mapping targets", f.Calls("Lambda.GetPolicy"))
		}
	})
	t.Run("a published version a trigger targets exists", func(t *testing.T) {
		if !fn.Publish {
			t.Fatal("version 3 is listed by ListVersionsByFunction")
		}
	})
	t.Run("URL, async config, concurrency and recursion", func(t *testing.T) {
		if len(fn.URLs) != 1 || fn.URLs[0].Qualifier != "live" || fn.URLs[0].AuthType != "NONE" || len(fn.URLs[0].CORS) == 0 {
			t.Fatalf("urls = %+v", fn.URLs)
		}
		if len(fn.AsyncConfigs) != 1 || fn.AsyncConfigs[0].OnFailure != "arn:aws:sqs:eu-west-1:123456789012:acme-invoice-jobs" || *fn.AsyncConfigs[0].MaximumRetryAttempts != 1 {
			t.Fatalf("async = %+v", fn.AsyncConfigs)
		}
		if fn.ReservedConcurrency != 5 || fn.RecursiveLoop != "Allow" {
			t.Fatalf("concurrency %d, recursion %q", fn.ReservedConcurrency, fn.RecursiveLoop)
		}
	})
	t.Run("e-mail subscriptions are not kept", func(t *testing.T) {
		for _, tr := range inv.Triggers {
			if strings.Contains(tr.Target, "@") {
				t.Fatalf("kept %+v", tr)
			}
		}
	})
	res := map[string]inventory.Resource{}
	for _, r := range inv.Resources {
		res[r.ARN] = r
	}
	t.Run("an AWS managed key is named by its alias", func(t *testing.T) {
		if k := res["arn:aws:sns:eu-west-1:123456789012:acme-invoices"].KMSKeyARN; k != "arn:aws:kms:eu-west-1:123456789012:alias/aws/sns" {
			t.Fatalf("topic key = %q", k)
		}
	})
	t.Run("a DynamoDB stream's own policy, the table without one", func(t *testing.T) {
		table := res["arn:aws:dynamodb:eu-west-1:123456789012:table/acme-ledger"]
		stream := res["arn:aws:dynamodb:eu-west-1:123456789012:table/acme-ledger/stream/2026-10-05T12:00:00.000"]
		if table.ARN == "" || table.Policy != nil || len(table.StreamARNs) != 1 {
			t.Fatalf("table = %+v", table)
		}
		if stream.Type != "AWS::DynamoDB::Stream" || stream.Policy == nil || !strings.Contains(string(stream.Policy.Document), "partner-projector") {
			t.Fatalf("stream = %+v", stream)
		}
	})
	t.Run("Kinesis streams on both pages, an empty policy is none", func(t *testing.T) {
		audit, events := res["arn:aws:kinesis:eu-west-1:123456789012:stream/acme-audit"], res["arn:aws:kinesis:eu-west-1:123456789012:stream/acme-invoice-events"]
		if audit.ARN == "" || audit.Policy != nil || events.Policy == nil || events.KMSKeyARN != "arn:aws:kms:eu-west-1:123456789012:alias/aws/kinesis" {
			t.Fatalf("audit = %+v\nevents = %+v", audit, events)
		}
	})

	// The simulator decides each trigger on its own qualifier.
	flows := simulate(t, inv)
	decisions := map[string]string{}
	for _, fl := range flows.Flows {
		if fl.Trigger != nil {
			decisions[fl.Trigger.Type+":"+fl.Trigger.Function.Qualifier] = string(fl.Decision)
		}
	}
	for _, c := range []struct{ name, key, want string }{
		{"SNS invokes the alias its permission names", "sns:live", "allowed"},
		{"the public URL on the alias is open", "function_url:live", "allowed"},
		{"the disabled mapping invokes nothing", "sqs:3", "denied"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := decisions[c.key]; got != c.want {
				t.Fatalf("%s: %q, want %q (all: %v)", c.key, got, c.want, decisions)
			}
		})
	}
}

// Every declared operation is called by some scenario, so the table (and
// the required policy printed from it) holds nothing the code does not do;
// the guard makes sure the code calls nothing the table does not hold.
func TestEveryDeclaredOperationIsExercised(t *testing.T) {
	called := map[string]bool{}
	for _, s := range []struct {
		dir  string
		opts Options
	}{
		{"testdata/event-pipeline", Options{AllRegions: true}},
		{"testdata/thumbnails", Options{}},
		{"testdata/orders-api", Options{}},
		{"testdata/qualifiers", Options{}},
		{"testdata/device-hub", Options{}},
		{"testdata/denied", Options{Regions: []string{"eu-west-1", "me-south-1"}}},
	} {
		_, f := collectFake(t, s.dir, s.opts)
		for _, op := range f.Operations() {
			called[op] = true
		}
	}
	_, f := collectFake(t, "testdata/device-hub", Options{}, invokerRoutes...)
	for _, op := range f.Operations() {
		called[op] = true
	}
	// --role-arn: the session comes from sts:AssumeRole through the guard.
	f = newFake(t, "testdata/thumbnails")
	cfg := AssumeRole(f.config("eu-west-1"), "arn:aws:iam::123456789012:role/lambdacheck-readonly")
	if _, err := Collect(context.Background(), cfg, Options{}); err != nil {
		t.Fatal(err)
	}
	f.Check()
	for _, op := range f.Operations() {
		called[op] = true
	}
	for _, op := range operations {
		if !called[op.service+"."+op.name] {
			t.Errorf("%s %s is declared but no scenario calls it", op.service, op.name)
		}
	}
}

// A delegated administrator reads the SCPs on the path from the account
// to the root; RCPs not enabled are skipped without a warning.
func TestCollectServiceControlPolicies(t *testing.T) {
	inv, _ := collectFake(t, "testdata/qualifiers", Options{})
	if len(inv.Warnings) != 0 {
		t.Fatalf("warnings = %+v", inv.Warnings)
	}
	got := map[string]string{}
	for _, p := range inv.SCPs {
		got[p.Name] = strings.Join(p.Targets, ",")
		if len(p.Document) == 0 || p.Type != "SERVICE_CONTROL_POLICY" {
			t.Errorf("policy %s = %+v", p.Name, p)
		}
	}
	if got["FullAWSAccess"] != "123456789012,ou-ab12-cdef3456,r-ab12" || got["StayInOrganization"] != "ou-ab12-cdef3456" || len(got) != 2 {
		t.Fatalf("SCP targets = %v", got)
	}
}

func TestConcurrencyIsBounded(t *testing.T) {
	for _, limit := range []int{1, 3} {
		_, f := collectFake(t, "testdata/event-pipeline", Options{AllRegions: true, Concurrency: limit})
		if got := f.MaxInFlight(); got > limit || got < 1 {
			t.Errorf("concurrency %d: %d requests were in flight at once", limit, got)
		}
	}
}

// A server error on a whole listing is recorded, not fatal: the inventory
// comes back with the service marked not read, and it cannot pass a gate.
func TestServerErrorOnAListingIsRecorded(t *testing.T) {
	inv, f := collectFake(t, "testdata/thumbnails", Options{}, "iam * GetAccountAuthorizationDetails 500 ../failures/query-ServiceFailure.xml")
	if n := f.Calls("IAM.GetAccountAuthorizationDetails"); n != 5 {
		t.Errorf("IAM answered %d times, want 5 attempts", n)
	}
	u := unitOf(t, inv, "global", "iam")
	if u.Status != inventory.CoverageNotRead || len(u.Failed) != 1 || u.Failed[0].Code != "ServiceFailure" || !u.Failed[0].Listing {
		t.Fatalf("iam unit = %+v", u)
	}
	if len(inv.Functions) != 1 || len(inv.Roles) != 1 || !hasUnknownField(inv.Roles[0].Unknown, "trust_policy") {
		t.Fatalf("functions %d, roles %+v", len(inv.Functions), inv.Roles)
	}
	if c := inv.Completeness(); !anyContains(c.Blocking, "iam was not read in global") {
		t.Fatalf("blocking = %v", c.Blocking)
	}
}

// Only failing to identify the caller and cancellation end a collection;
// an endpoint that refuses connections is named in the error.
func TestFatalErrors(t *testing.T) {
	t.Run("connection refused names the endpoint", func(t *testing.T) {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := l.Addr().String()
		l.Close()
		cfg := aws.Config{Region: "eu-west-1", BaseEndpoint: aws.String("http://" + addr),
			Credentials: credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "SECRETEXAMPLE", ""),
			Retryer:     func() aws.Retryer { return NewRetryer(DefaultMaxRetries) }}
		inv, err := Collect(context.Background(), cfg, Options{})
		if err == nil || inv != nil || !strings.Contains(err.Error(), "http://"+addr) || !strings.Contains(err.Error(), "GetCallerIdentity") {
			t.Fatalf("Collect = %v, %v", inv != nil, err)
		}
	})
	t.Run("a refused connection is not retried", func(t *testing.T) {
		r := NewRetryer(DefaultMaxRetries)
		if r.IsErrorRetryable(&net.OpError{Op: "dial", Err: syscall.ECONNREFUSED}) {
			t.Fatal("connection refused is retried")
		}
		if r.MaxAttempts() != DefaultMaxRetries+1 {
			t.Fatalf("max attempts %d", r.MaxAttempts())
		}
	})
	t.Run("cancellation returns no inventory", func(t *testing.T) {
		f := newFake(t, "testdata/thumbnails")
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if inv, err := Collect(ctx, f.config("eu-west-1"), Options{}); err == nil || inv != nil {
			t.Fatalf("Collect = %v, %v", inv != nil, err)
		}
	})
}

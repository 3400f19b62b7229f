package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
	"github.com/lambdacheck/lambdacheck/internal/fakeaws"
)

// Each failure class of a live collection, end to end: collect writes a
// snapshot recording the gap, simulate shows the flows that depend on it as
// unknown naming the missing action or the failure, and exits 2 when a
// whole trigger service (or everything) is missing, unless
// --allow-incomplete.
func TestCollectFailureClassesThroughSimulate(t *testing.T) {
	const thumbnails = "../../analyzer/awsapi/testdata/thumbnails"
	cases := []struct {
		name     string
		routes   []string
		denyAll  bool
		blocking string // in simulate's error when it must exit 2
		flow     string // in an unknown flow's reasons
		warning  string // kind of a warning the snapshot must hold
	}{
		{name: "deleted during collect",
			routes:  []string{"lambda eu-west-1 ListAliases 404:ResourceNotFoundException ../failures/lambda-ResourceNotFound.json"},
			flow:    "acme-photos-thumbnail is not in the inventory",
			warning: inventory.WarningGone},
		{name: "unimplemented operation",
			routes:  []string{"lambda * GetFunctionRecursionConfig 501:InternalFailure ../failures/not-implemented.json"},
			warning: inventory.WarningFailed},
		{name: "5xx after retries",
			routes:  []string{"s3 eu-west-1 GetBucketNotificationConfiguration[Bucket=acme-photos-uploads] 500:InternalError ../failures/s3-InternalError.xml"},
			flow:    "S3 notifications of bucket acme-photos-uploads not read: S3 GetBucketNotificationConfiguration failed: InternalError",
			warning: inventory.WarningFailed},
		{name: "access denied per listing",
			routes:   []string{"sqs eu-west-1 ListQueues 400:AccessDeniedException errors/organizations-AccessDenied.json"},
			blocking: "sqs was not read in eu-west-1",
			warning:  inventory.WarningDenied},
		{name: "everything denied", denyAll: true,
			blocking: "nothing was collected from account 123456789012",
			flow:     "Lambda functions (and their URLs) in region eu-west-1 not read: lambda:ListFunctions denied",
			warning:  inventory.WarningDenied},
		{name: "XML access-denied body",
			routes:  []string{"lambda eu-west-1 GetPolicy 403 ../failures/denied.xml"},
			flow:    "lambda:GetPolicy denied",
			warning: inventory.WarningDenied},
		{name: "empty ARN",
			routes:  []string{"sqs eu-west-1 GetQueueAttributes 200 ../failures/sqs-GetQueueAttributes.empty-arn.json"},
			warning: inventory.WarningInvalid},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			offlineAWS(t)
			f := fakeaws.New(t, thumbnails, tc.routes...)
			if tc.denyAll {
				f.Enforce(func(service, op string) (bool, string) {
					return service == "STS" && op == "GetCallerIdentity", strings.ToLower(service) + ":" + op
				})
			}
			snap := filepath.Join(t.TempDir(), "snap.json")
			_, stderr, code := runCLI(t, "", "collect", "--endpoint-url", f.URL(), "--region", "eu-west-1", "--max-retries", "0", "-o", snap)
			if code != 0 {
				t.Fatalf("collect: exit %d\n%s", code, stderr)
			}
			data, err := os.ReadFile(snap)
			if err != nil {
				t.Fatal(err)
			}
			inv, err := inventory.Decode(data)
			if err != nil {
				t.Fatal(err)
			}
			var kinds []string
			for _, w := range inv.Warnings {
				kinds = append(kinds, w.Kind)
			}
			if !strings.Contains(strings.Join(kinds, " "), tc.warning) || len(inv.Coverage) != 1 || inv.Coverage[0].Identity.Account != "123456789012" {
				t.Fatalf("snapshot warnings %v, coverage %+v", kinds, inv.Coverage)
			}

			out, stderr, code := runCLI(t, "", "simulate", snap, "--format", "json", "--fail-on", "none")
			if tc.blocking != "" {
				if code != 2 || !strings.Contains(stderr, tc.blocking) || !strings.Contains(stderr, "--allow-incomplete") {
					t.Fatalf("simulate: exit %d, want 2 naming %q\n%s", code, tc.blocking, stderr)
				}
				out, stderr, code = runCLI(t, "", "simulate", snap, "--format", "json", "--fail-on", "none", "--allow-incomplete")
			}
			if code != 0 {
				t.Fatalf("simulate: exit %d\n%s", code, stderr)
			}
			if tc.warning != inventory.WarningGone && !strings.Contains(stderr, "the inventory is incomplete") {
				t.Errorf("simulate does not say the inventory is incomplete:\n%s", stderr)
			}
			if tc.flow != "" {
				var res struct {
					Flows []struct {
						Kind     string `json:"kind"`
						Decision string `json:"decision"`
						Steps    []struct {
							Reason string `json:"reason"`
						} `json:"steps"`
					} `json:"flows"`
				}
				if err := json.Unmarshal([]byte(out), &res); err != nil {
					t.Fatal(err)
				}
				var found bool
				for _, fl := range res.Flows {
					for _, s := range fl.Steps {
						if fl.Decision == "unknown" && strings.Contains(s.Reason, tc.flow) {
							found = true
						}
					}
				}
				if !found {
					t.Fatalf("no unknown flow naming %q:\n%s", tc.flow, out)
				}
			}
		})
	}
}

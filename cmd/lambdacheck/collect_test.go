package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
	"github.com/lambdacheck/lambdacheck/internal/fakeaws"
)

// offlineAWS points the standard credential chain at static test keys and
// away from any real configuration.
func offlineAWS(t *testing.T) {
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "SECRETEXAMPLE")
	t.Setenv("AWS_SESSION_TOKEN", "")
	t.Setenv("AWS_PROFILE", "")
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(t.TempDir(), "none"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(t.TempDir(), "none"))
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	t.Setenv("AWS_REGION", "")
}

func TestCollectWritesSnapshotAndSummary(t *testing.T) {
	offlineAWS(t)
	f := fakeaws.New(t, "../../analyzer/awsapi/testdata/thumbnails")
	out := filepath.Join(t.TempDir(), "snap.json")
	stdout, stderr, code := runCLI(t, "", "collect", "--endpoint-url", f.URL(), "--region", "eu-west-1", "-o", out)
	f.Check()
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if stdout != "" {
		t.Errorf("with -o the snapshot goes to the file, stdout = %q", stdout)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	inv, err := inventory.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	if inv.Source.Kind != "aws" || len(inv.Functions) != 1 || inv.Account != "123456789012" {
		t.Fatalf("snapshot = %+v", inv.Source)
	}
	for _, want := range []string{"functions", "resources: AWS::S3::Bucket", "No warnings"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	// The snapshot is input to simulate like any other.
	simOut, _, code := runCLI(t, "", "simulate", out, "--format", "json")
	if code != 0 || !strings.Contains(simOut, `"type": "s3"`) {
		t.Fatalf("simulate on the snapshot: exit %d\n%s", code, simOut)
	}
}

func TestCollectQuietToStdout(t *testing.T) {
	offlineAWS(t)
	f := fakeaws.New(t, "../../analyzer/awsapi/testdata/denied")
	stdout, stderr, code := runCLI(t, "", "collect", "--endpoint-url", f.URL(), "--region", "eu-west-1", "--quiet")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var snap struct {
		Warnings []inventory.Warning `json:"warnings"`
	}
	if err := json.Unmarshal([]byte(stdout), &snap); err != nil || len(snap.Warnings) == 0 {
		t.Fatalf("stdout is not a snapshot with warnings: %v", err)
	}
	if strings.Contains(stderr, "COUNT") || !strings.Contains(stderr, "warning(s)") || !strings.Contains(stderr, "--allow-incomplete") {
		t.Errorf("--quiet prints one warning line and no summary, got:\n%s", stderr)
	}
}

func TestCollectInterruptedWritesNothing(t *testing.T) {
	offlineAWS(t)
	f := fakeaws.New(t, "../../analyzer/awsapi/testdata/thumbnails")
	out := filepath.Join(t.TempDir(), "snap.json")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	root := newRootCommand()
	var so, se bytes.Buffer
	root.SetOut(&so)
	root.SetErr(&se)
	root.SetArgs([]string{"collect", "--endpoint-url", f.URL(), "--region", "eu-west-1", "-o", out, "--quiet"})
	err := root.ExecuteContext(ctx)
	if err == nil || exitCode(err) != 130 {
		t.Fatalf("want exit 130 on interruption, got %v", err)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Fatalf("a snapshot was written after an interruption: %v", err)
	}
	entries, _ := os.ReadDir(filepath.Dir(out))
	if len(entries) != 0 {
		t.Fatalf("left files behind: %v", entries)
	}
}

func TestCollectPrintRequiredPolicy(t *testing.T) {
	stdout, _, code := runCLI(t, "", "collect", "--print-required-policy")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	var doc struct {
		Statement []struct{ Action []string }
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, s := range doc.Statement {
		actions = append(actions, s.Action...)
	}
	all := strings.Join(actions, " ")
	for _, want := range []string{"lambda:GetPolicy", "iam:GetAccountAuthorizationDetails", "s3:GetBucketNotification", "kms:GetKeyPolicy"} {
		if !strings.Contains(all, want) {
			t.Errorf("policy lacks %s", want)
		}
	}
}

func TestCollectFlagErrors(t *testing.T) {
	cases := []struct {
		name string
		args []string
	}{
		{"--region and --all-regions exclude each other", []string{"collect", "--region", "eu-west-1", "--all-regions"}},
		{"concurrency must be positive", []string{"collect", "--concurrency", "0"}},
		{"retries cannot be negative", []string{"collect", "--max-retries", "-1"}},
		{"the call timeout must be positive", []string{"collect", "--call-timeout", "0s"}},
		{"no positional arguments", []string{"collect", "extra"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if _, _, code := runCLI(t, "", c.args...); code != 2 {
				t.Fatalf("exit %d, want 2", code)
			}
		})
	}
}

// simulate --aws collects and simulates in one go: the same flows as
// collect followed by simulate on the snapshot.
func TestSimulateAWSCollectsAndSimulates(t *testing.T) {
	offlineAWS(t)
	f := fakeaws.New(t, "../../analyzer/awsapi/testdata/thumbnails")
	live, stderr, code := runCLI(t, "", "simulate", "--aws", "--endpoint-url", f.URL(), "--region", "eu-west-1", "--quiet", "--format", "json", "--fail-on", "none")
	if code != 0 {
		t.Fatalf("simulate --aws: exit %d\n%s", code, stderr)
	}
	snap := filepath.Join(t.TempDir(), "snap.json")
	if _, stderr, code := runCLI(t, "", "collect", "--endpoint-url", f.URL(), "--region", "eu-west-1", "--quiet", "-o", snap); code != 0 {
		t.Fatalf("collect: exit %d\n%s", code, stderr)
	}
	fromSnap, stderr, code := runCLI(t, "", "simulate", snap, "--format", "json", "--fail-on", "none")
	if code != 0 {
		t.Fatalf("simulate snapshot: exit %d\n%s", code, stderr)
	}
	if !strings.Contains(live, `"type": "s3"`) {
		t.Fatalf("simulate --aws found no S3 trigger:\n%s", live)
	}
	if live != fromSnap {
		t.Fatal("simulate --aws differs from collect then simulate")
	}
}

// Without PATH nor --aws, simulate reads the current directory
// (TestDefaultPathIsTheCurrentDirectory).
func TestSimulateLiveFlagsNeedAWS(t *testing.T) {
	if _, stderr, code := runCLI(t, "", "simulate", "../../fixtures/thumbnails", "--profile", "x"); code != 2 || !strings.Contains(stderr, "go with --aws") {
		t.Fatalf("--profile without --aws: exit %d, %s", code, stderr)
	}
}

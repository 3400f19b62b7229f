package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lambdacheck/lambdacheck/simulator/flow"
)

// simulateFlows runs simulate --format json and returns its flows.
func simulateFlows(t *testing.T, args ...string) []flow.Flow {
	t.Helper()
	out, stderr, code := runCLI(t, "", append([]string{"simulate", "--format", "json", "--fail-on", "none"}, args...)...)
	if code != 0 {
		t.Fatalf("simulate %v: exit %d\n%s", args, code, stderr)
	}
	var doc struct {
		Flows []flow.Flow `json:"flows"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	return doc.Flows
}

func pollFlow(t *testing.T, flows []flow.Flow) flow.Flow {
	t.Helper()
	for _, f := range flows {
		if f.Kind == flow.KindInvoke && f.Trigger != nil && f.Trigger.Type == "sqs" {
			return f
		}
	}
	t.Fatalf("no SQS invocation flow among %d flows", len(flows))
	return flow.Flow{}
}

// Two accounts' snapshots: the consumer's account polls a queue of the
// owner's account. Alone, the queue's policy is unknown; merged, the
// owner's queue policy decides, and each statement names its own file.
func TestSimulateMergesSnapshotsOfTwoAccounts(t *testing.T) {
	dir := t.TempDir()
	owner, consumer := filepath.Join(dir, "owner.json"), filepath.Join(dir, "consumer.json")
	for _, c := range [][]string{
		{"inventory", "testdata/merge/queue-owner", "--account", "111111111111", "--format", "json", "--output", owner},
		{"inventory", "testdata/merge/consumer", "--account", "222222222222", "--format", "json", "--output", consumer},
	} {
		if _, stderr, code := runCLI(t, "", c...); code != 0 {
			t.Fatalf("%v: exit %d\n%s", c, code, stderr)
		}
	}
	if f := pollFlow(t, simulateFlows(t, consumer)); f.Decision != flow.Unknown {
		t.Fatalf("consumer alone: the owner's queue policy is unknown, got %s", f.Decision)
	}
	f := pollFlow(t, simulateFlows(t, owner, consumer))
	if f.Decision != flow.Allowed {
		t.Fatalf("merged: the queue policy grants the consumer's role, got %s: %+v", f.Decision, f.Steps)
	}
	var files []string
	for _, st := range f.Steps {
		for _, s := range st.Statements {
			files = append(files, s.File)
		}
	}
	joined := strings.Join(files, " ")
	if !strings.Contains(joined, "testdata/merge/queue-owner/main.tf") || !strings.Contains(joined, "testdata/merge/consumer/main.tf") {
		t.Fatalf("statements do not name both inputs' files: %v", files)
	}
}

func TestInventoryMergesDirectoriesWithRebasedFiles(t *testing.T) {
	out, stderr, code := runCLI(t, "", "inventory", "testdata/merge/queue-owner", "testdata/merge/consumer", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	for _, want := range []string{`"file": "testdata/merge/queue-owner/main.tf"`, `"file": "testdata/merge/consumer/main.tf"`, `"arn": "arn:aws:lambda:eu-west-1:123456789012:function:orders-consumer"`} {
		if !strings.Contains(out, want) {
			t.Errorf("merged inventory lacks %s", want)
		}
	}
	if strings.Contains(out, `"file": "main.tf"`) {
		t.Error("a file was left relative to its own directory")
	}
}

// A syntax error in one file is reported with its position, the rest is
// still simulated, and the run exits 2: the results are partial.
func TestSimulateReportsLoadErrorsAndExits2(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "queue.tf"), "resource \"aws_sqs_queue\" \"jobs\" {\n  name = \"jobs\"\n}\n")
	writeFile(t, filepath.Join(dir, "broken.tf"), "resource \"aws_sns_topic\" \"t\" {\n  name = \"t\"\n\nresource \"aws_sns_topic\" \"u\" {}\n")
	for _, cmd := range [][]string{
		{"simulate", dir, "--format", "json", "--fail-on", "none"},
		{"graph", dir},
	} {
		out, stderr, code := runCLI(t, "", cmd...)
		if code != 2 {
			t.Fatalf("%s: exit %d, want 2\n%s", cmd[0], code, stderr)
		}
		if !strings.Contains(stderr, filepath.Join(dir, "broken.tf")+":1:") || !strings.Contains(stderr, "error: Unclosed configuration block") {
			t.Fatalf("%s: stderr does not name the error's position:\n%s", cmd[0], stderr)
		}
		if !strings.Contains(stderr, "results are partial") || out == "" {
			t.Fatalf("%s: want the partial results and the reason for exit 2; stdout %d bytes, stderr:\n%s", cmd[0], len(out), stderr)
		}
	}
}

// What the load could not resolve but is no error in the configuration —
// a registry module not downloaded, a build artifact not built — is a
// warning on stderr and an unknown in the output; the exit status stays
// the findings' (0 here).
func TestSimulateWarnsWithoutPartialExit(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "main.tf"), `module "fn" {
  source  = "terraform-aws-modules/lambda/aws"
  version = "7.20.0"
}

resource "aws_lambda_function" "f" {
  function_name    = "f"
  role             = "arn:aws:iam::123456789012:role/f"
  filename         = "build/f.zip"
  source_code_hash = filebase64sha256("build/f.zip")
}
`)
	out, stderr, code := runCLI(t, "", "simulate", dir, "--format", "json", "--fail-on", "none")
	if code != 0 {
		t.Fatalf("exit %d, want 0\n%s", code, stderr)
	}
	for _, want := range []string{
		filepath.Join(dir, "main.tf") + `:1:1: warning: Module not installed: module "fn" (source "terraform-aws-modules/lambda/aws", version "7.20.0") is not downloaded: run terraform init`,
		filepath.Join(dir, "main.tf") + ":10:22: warning: Missing file: file build/f.zip does not exist",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	var res struct {
		Unknowns []struct{ Address, Reason string } `json:"unknowns"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	if len(res.Unknowns) != 1 || res.Unknowns[0].Address != "module.fn" || !strings.Contains(res.Unknowns[0].Reason, "run terraform init") {
		t.Fatalf("unknowns = %+v", res.Unknowns)
	}
}

func TestDepthMustBePositive(t *testing.T) {
	for _, c := range []string{"simulate", "graph"} {
		if _, stderr, code := runCLI(t, "", c, "../../fixtures/thumbnails", "--depth", "0"); code != 2 || !strings.Contains(stderr, "--depth 0") {
			t.Errorf("%s --depth 0: exit %d, %s", c, code, stderr)
		}
	}
}

package expect

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const twoExpectations = `expect "b triggers f" {
  flow   = "aws_sqs_queue.b -> aws_lambda_function.f"
  result = "allowed"
}
expect "a triggers f" {
  flow   = "aws_sqs_queue.a -> aws_lambda_function.f"
  result = "allowed"
}`

// The file is the one given, else lambdacheck.hcl beside the input (a
// snapshot's directory), else in the working directory.
func TestOpenFindsTheFile(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	input := filepath.Join(dir, "app")
	if err := os.MkdirAll(input, 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := Open("", input, false); err == nil || !strings.Contains(err.Error(), "no lambdacheck.hcl in "+input+" or the working directory") {
		t.Fatalf("no file anywhere: %v", err)
	}
	if err := os.WriteFile(FileName, []byte(twoExpectations), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := Open("", input, false)
	if err != nil || s.File != FileName || len(s.Expectations) != 2 {
		t.Fatalf("working directory: %+v, %v", s, err)
	}
	beside := filepath.Join(input, FileName)
	if err := os.WriteFile(beside, []byte(twoExpectations[:strings.Index(twoExpectations, "expect \"a")]), 0o644); err != nil {
		t.Fatal(err)
	}
	snapshot := filepath.Join(input, "snap.json")
	if err := os.WriteFile(snapshot, []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	if s, err = Open("", snapshot, false); err != nil || s.File != beside || len(s.Expectations) != 1 {
		t.Fatalf("beside the snapshot: %+v, %v", s, err)
	}
	if _, err = Open(filepath.Join(dir, "other.hcl"), input, false); err == nil || !strings.Contains(err.Error(), "read "+filepath.Join(dir, "other.hcl")) {
		t.Fatalf("a missing explicit file: %v", err)
	}
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.hcl")
	broken := filepath.Join(dir, "broken.hcl")
	os.WriteFile(empty, []byte("# nothing\n"), 0o644)
	os.WriteFile(broken, []byte("expect \"x\" {\n  flow = \"a -> b\"\n  reslt = \"allowed\"\n}\n"), 0o644)
	if _, err := Open(empty, dir, false); err == nil || err.Error() != empty+": no expect blocks" {
		t.Errorf("empty file: %v", err)
	}
	if s, err := Open(empty, dir, true); err != nil || len(s.Expectations) != 0 {
		t.Errorf("an empty file is fine to record into: %+v, %v", s, err)
	}
	_, err := Open(broken, dir, false)
	if err == nil || !strings.HasPrefix(err.Error(), broken+":3,3: ") {
		t.Errorf("HCL error without file:line,col: %v", err)
	}
}

// Recording appends to what the file has, skipping its names, and the
// recorded expectations then pass.
func TestRecordAppendsAndThenPasses(t *testing.T) {
	dir := t.TempDir()
	s, err := Open("", dir, true)
	if err != nil || s.File != filepath.Join(dir, FileName) {
		t.Fatalf("no file yet: %+v, %v", s, err)
	}
	n, err := s.Record(flows, AccessNone)
	if err != nil || n == 0 {
		t.Fatalf("record: %d, %v", n, err)
	}
	again, err := Open("", dir, true)
	if err != nil || len(again.Expectations) != n {
		t.Fatalf("reopened: %d expectations, %v; recorded %d", len(again.Expectations), err, n)
	}
	if err := Verdict(again.Check(flows)); err != nil {
		t.Errorf("recorded expectations fail: %v", err)
	}
	if more, err := again.Record(flows, AccessNone); err != nil || more != 0 {
		t.Errorf("recording again added %d, %v", more, err)
	}
	if got, _ := os.ReadFile(again.File); strings.Count(string(got), "expect \"") != n {
		t.Errorf("file holds %d blocks, want %d", strings.Count(string(got), "expect \""), n)
	}
}

func TestVerdictCountsFailures(t *testing.T) {
	exps, _ := Parse([]byte(twoExpectations), "x.hcl")
	out := Check(flows, exps)
	if err := Verdict(out); err == nil || err.Error() != "1 of 2 expectation(s) failed" {
		t.Errorf("verdict = %v", err)
	}
	if err := Verdict(out[:1]); err != nil {
		t.Errorf("all passing: %v", err)
	}
}

// What the file has is kept as written, and the recorded blocks follow
// after a blank line, even when the file lacks its last newline.
func TestRecordKeepsTheFile(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, FileName)
	mine := strings.TrimSuffix(twoExpectations, "\n")
	if err := os.WriteFile(file, []byte(mine), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := Open("", dir, true)
	if err != nil {
		t.Fatal(err)
	}
	n, err := s.Record(flows, AccessNone)
	if err != nil || n == 0 {
		t.Fatalf("record: %d, %v", n, err)
	}
	got, _ := os.ReadFile(file)
	if !strings.HasPrefix(string(got), mine+"\n\nexpect \"") {
		t.Errorf("file = %q", got)
	}
	s.File = filepath.Join(dir, "missing", FileName)
	if _, err := s.Record(flows, AccessNone); err == nil || !strings.HasPrefix(err.Error(), "write "+s.File) {
		t.Errorf("an unwritable file: %v", err)
	}
}

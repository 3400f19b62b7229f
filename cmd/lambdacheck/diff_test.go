package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const diffData = "testdata/diff/"

// checkGolden compares got with testdata/diff/golden/name (rewritten with
// -update).
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join(diffData, "golden", name)
	if updateGolden() {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file (run with -update to accept):\n%s", name, got)
	}
}

func TestDiffCrossAccountPermissionFailsTheGate(t *testing.T) {
	out, errOut, code := runCLI(t, "", "diff", diffData+"base", diffData+"cross-account", "--fail-on-new", "cross-account", "--today", "2026-01-01")
	if code != 1 {
		t.Fatalf("exit %d, want 1\n%s\n%s", code, out, errOut)
	}
	if !strings.Contains(errOut, "cross-account: flow reach/account/444455556666/aws_lambda_function.thumbnail") {
		t.Errorf("the refusal does not name the new account reach:\n%s", errOut)
	}
	checkGolden(t, "cross-account.txt", out)
	md, _, _ := runCLI(t, "", "diff", diffData+"base", diffData+"cross-account", "--fail-on-new", "cross-account", "--today", "2026-01-01", "--format", "markdown")
	checkGolden(t, "cross-account.md", md)
}

func TestDiffOtherClassesPassACrossAccountChange(t *testing.T) {
	// The new permission adds neither public access nor a new write grant
	// of the function's own role.
	_, errOut, code := runCLI(t, "", "diff", diffData+"base", diffData+"cross-account", "--fail-on-new", "public,write,admin,broken", "--today", "2026-01-01")
	if code != 0 {
		t.Fatalf("exit %d, want 0\n%s", code, errOut)
	}
}

func TestDiffNarrowingPasses(t *testing.T) {
	out, errOut, code := runCLI(t, "", "diff", diffData+"base", diffData+"narrowed", "--fail-on-new", "any", "--today", "2026-01-01")
	if code != 0 {
		t.Fatalf("exit %d, want 0\n%s\n%s", code, out, errOut)
	}
	checkGolden(t, "narrowed.txt", out)
	// The other way round the same change widens a Write grant.
	_, errOut, code = runCLI(t, "", "diff", diffData+"narrowed", diffData+"base", "--fail-on-new", "write", "--today", "2026-01-01")
	if code != 1 || !strings.Contains(errOut, "+s3:DeleteObject") {
		t.Fatalf("widening: exit %d, want 1 naming the new action\n%s", code, errOut)
	}
}

func TestDiffMovedBlocksChangeNothing(t *testing.T) {
	out, errOut, code := runCLI(t, "", "diff", diffData+"base", diffData+"moved", "--fail-on-new", "any", "--today", "2026-01-01", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d, want 0\n%s\n%s", code, out, errOut)
	}
	var res struct {
		Flows   []any  `json:"flows"`
		New     []any  `json:"new_findings"`
		Fixed   []any  `json:"fixed_findings"`
		Verdict string `json:"verdict"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("json: %v\n%s", err, out)
	}
	if len(res.Flows)+len(res.New)+len(res.Fixed) != 0 || res.Verdict != "no change in flows or findings" {
		t.Errorf("moving blocks between files reported changes:\n%s", out)
	}
}

func TestDiffSARIFHoldsNewFindingsOnly(t *testing.T) {
	out, _, _ := runCLI(t, "", "diff", diffData+"base", diffData+"cross-account", "--today", "2026-01-01", "--format", "sarif")
	var log struct {
		Runs []struct {
			Results []struct {
				RuleID string `json:"ruleId"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(out), &log); err != nil {
		t.Fatalf("sarif: %v\n%s", err, out)
	}
	if len(log.Runs) != 1 || len(log.Runs[0].Results) != 1 || log.Runs[0].Results[0].RuleID != "LC006" {
		t.Errorf("want the one new LC006 finding:\n%s", out)
	}
}

func TestDiffUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"diff", diffData + "base"},
		{"diff", diffData + "base", diffData + "moved", "--fail-on-new", "public,everything"},
		{"diff", "--git-base", "main", diffData + "base", diffData + "moved"},
		{"diff", diffData + "base", diffData + "moved", "--format", "junit"},
	} {
		if _, errOut, code := runCLI(t, "", args...); code != 2 {
			t.Errorf("%v: exit %d, want 2\n%s", args, code, errOut)
		}
	}
}

// TestDiffGitBase takes BASE from the last commit of a repository whose
// working tree holds the cross-account change, and leaves both the tree
// and the repository as they were.
func TestDiffGitBase(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Fatalf("git is needed for --git-base: %v", err)
	}
	repo := t.TempDir()
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	infra := filepath.Join(repo, "infra")
	if err := os.MkdirAll(infra, 0o755); err != nil {
		t.Fatal(err)
	}
	copyFile(t, diffData+"base/main.tf", filepath.Join(infra, "main.tf"))
	git := func(args ...string) string {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-C", repo, "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"}, args...)...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	git("init", "-q")
	git("add", ".")
	git("commit", "-q", "-m", "base")
	copyFile(t, diffData+"cross-account/main.tf", filepath.Join(infra, "main.tf"))
	statusBefore := git("status", "--porcelain")

	out, errOut, code := runCLI(t, "", "diff", "--git-base", "HEAD", infra, "--fail-on-new", "cross-account", "--today", "2026-01-01")
	if code != 1 || !strings.Contains(errOut, "reach/account/444455556666") {
		t.Fatalf("exit %d, want 1 naming the new account reach\n%s\n%s", code, out, errOut)
	}
	if after := git("status", "--porcelain"); after != statusBefore {
		t.Errorf("the working tree changed: %q → %q", statusBefore, after)
	}
	if wt := git("worktree", "list", "--porcelain"); strings.Count(wt, "worktree ") != 1 {
		t.Errorf("a worktree was left registered:\n%s", wt)
	}
	if left, _ := os.ReadDir(tmp); len(left) != 0 {
		t.Errorf("the temporary tree was not removed: %v", left)
	}
	if _, errOut, code := runCLI(t, "", "diff", "--git-base", "no-such-ref", infra); code != 2 || !strings.Contains(errOut, "no-such-ref") {
		t.Errorf("unknown revision: exit %d, want 2 naming it\n%s", code, errOut)
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

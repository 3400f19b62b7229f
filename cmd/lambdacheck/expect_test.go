package main

import (
	"encoding/xml"
	"os"
	"regexp"
	"strings"
	"testing"
)

const expectData = "testdata/expect/"

func TestExpectationsPass(t *testing.T) {
	out, errOut, code := runCLI(t, "", "test", diffData+"narrowed", "--expectations", expectData+"pass.hcl")
	if code != 0 {
		t.Fatalf("exit %d, want 0\n%s\n%s", code, out, errOut)
	}
	if !strings.Contains(out, "5 expectation(s), 5 passed, 0 failed") {
		t.Errorf("summary:\n%s", out)
	}
}

func TestExpectationsFailWithDecidingStatements(t *testing.T) {
	out, errOut, code := runCLI(t, "", "test", diffData+"cross-account", "--expectations", expectData+"fail.hcl")
	if code != 1 {
		t.Fatalf("exit %d, want 1\n%s\n%s", code, out, errOut)
	}
	for _, want := range []string{"aws_lambda_permission.partner#AllowPartnerAccount (main.tf:147)", "thumbnail-access#WriteThumbnails (main.tf:69)", "3 expectation(s), 1 passed, 2 failed"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	x, _, _ := runCLI(t, "", "test", diffData+"cross-account", "--expectations", expectData+"fail.hcl", "--format", "junit")
	var suites struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
	}
	if err := xml.Unmarshal([]byte(x), &suites); err != nil || suites.Tests != 3 || suites.Failures != 2 {
		t.Errorf("junit: %+v %v\n%s", suites, err, x)
	}
}

func TestExpectationsHCLErrorsNameTheRange(t *testing.T) {
	_, errOut, code := runCLI(t, "", "test", diffData+"base", "--expectations", expectData+"broken.hcl")
	if code != 2 || !strings.Contains(errOut, "broken.hcl:3,3: unknown attribute \"reslt\"") {
		t.Errorf("exit %d, want 2 naming file:line,col\n%s", code, errOut)
	}
}

func TestExpectationsWriteRecordsFlowsThatThenPass(t *testing.T) {
	dir := t.TempDir()
	copyFile(t, diffData+"cross-account/main.tf", dir+"/main.tf")
	_, errOut, code := runCLI(t, "", "test", dir, "--write")
	if code != 0 || !strings.Contains(errOut, "recorded 5 expectation(s)") {
		t.Fatalf("write: exit %d\n%s", code, errOut)
	}
	out, errOut, code := runCLI(t, "", "test", dir)
	if code != 0 || !strings.Contains(out, "5 expectation(s), 5 passed") || !strings.Contains(out, "444455556666 invokes aws_lambda_function.thumbnail") ||
		!strings.Contains(out, "aws_lambda_function.thumbnail may s3:DeleteObject on aws_s3_bucket.thumbnails") {
		t.Fatalf("recorded expectations: exit %d\n%s\n%s", code, out, errOut)
	}
	if _, errOut, _ := runCLI(t, "", "test", dir, "--write"); !strings.Contains(errOut, "recorded 0 expectation(s)") {
		t.Errorf("recording again duplicated names:\n%s", errOut)
	}
	// The recorded file is the gate: the partner's permission removed, the
	// expectation that it may invoke fails.
	copyFile(t, diffData+"base/main.tf", dir+"/main.tf")
	if out, _, code := runCLI(t, "", "test", dir); code != 1 || !strings.Contains(out, "1 failed") {
		t.Errorf("exit %d, want 1 after the change\n%s", code, out)
	}
}

// The access recorded is a gate too: the role losing s3:DeleteObject fails
// that expectation; --write-access none records triggers and reach only.
func TestExpectationsWriteRecordsAccess(t *testing.T) {
	dir := t.TempDir()
	copyFile(t, diffData+"base/main.tf", dir+"/main.tf")
	if _, errOut, code := runCLI(t, "", "test", dir, "--write", "--write-access", "none"); code != 0 || !strings.Contains(errOut, "recorded 1 expectation(s)") {
		t.Fatalf("--write-access none: exit %d\n%s", code, errOut)
	}
	if _, errOut, code := runCLI(t, "", "test", dir, "--write"); code != 0 || !strings.Contains(errOut, "recorded 3 expectation(s)") {
		t.Fatalf("write: exit %d\n%s", code, errOut)
	}
	src, err := os.ReadFile(dir + "/main.tf")
	if err != nil {
		t.Fatal(err)
	}
	narrowed := strings.Replace(string(src), `Action   = ["s3:PutObject", "s3:DeleteObject"]`, `Action   = ["s3:PutObject"]`, 1)
	if narrowed == string(src) {
		t.Fatal("the fixture's grant moved")
	}
	if err := os.WriteFile(dir+"/main.tf", []byte(narrowed), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _, code := runCLI(t, "", "test", dir)
	if code != 1 || !strings.Contains(out, "4 expectation(s), 3 passed, 1 failed") || !regexp.MustCompile(`FAIL +│ aws_lambda_function.thumbnail may s3:DeleteObject`).MatchString(out) {
		t.Errorf("exit %d, want the DeleteObject expectation to fail\n%s", code, out)
	}
	if _, errOut, code := runCLI(t, "", "test", dir, "--write-access", "all"); code != 2 || !strings.Contains(errOut, "--write-access goes with --write") {
		t.Errorf("exit %d\n%s", code, errOut)
	}
	if _, errOut, code := runCLI(t, "", "test", dir, "--write", "--write-access", "some"); code != 2 || !strings.Contains(errOut, `--write-access scope "some": want risky, all or none`) {
		t.Errorf("exit %d\n%s", code, errOut)
	}
}

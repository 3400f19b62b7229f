// Package browsertest renders a page in headless Chromium for tests: the
// DOM after its scripts ran, and the browser's log scanned for console
// errors. It is test support, used by the tests of the HTML report.
//
// A test that needs the browser calls Chromium, which skips the test (and
// says so) only when no Chromium is installed; `make browser` installs
// Debian's.
package browsertest

import (
	"bytes"
	"context"
	"os/exec"
	"regexp"
	"testing"
	"time"
)

// Chromium is the path of a headless-capable Chromium; the test is
// skipped when none is installed.
func Chromium(t testing.TB) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("no chromium installed (make browser installs Debian's): the HTML report is not rendered in a browser")
	return ""
}

// Render loads file (with fragment after "#" when not empty) and returns
// the DOM after the scripts ran, and the browser's log.
func Render(t testing.TB, browser, file, fragment string) (dom, log string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	url := "file://" + file
	if fragment != "" {
		url += "#" + fragment
	}
	// A profile of its own, so parallel runs do not share a lock; no
	// sandbox, as tests often run as root in containers.
	cmd := exec.CommandContext(ctx, browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
		"--user-data-dir="+t.TempDir(), "--enable-logging=stderr", "--v=0", "--dump-dom", url)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s: %v\n%s", browser, err, stderr.String())
	}
	return stdout.String(), stderr.String()
}

// consoleErrors match the log lines that report a script error, a console
// message or a blocked request (the report logs nothing of its own, and
// its content security policy blocks every fetch).
var consoleErrors = regexp.MustCompile(`(?m)^.*(Uncaught|CONSOLE[:(]|Refused to|ERR_BLOCKED|Content Security Policy).*$`)

// ConsoleErrors are the lines of log that report a console error.
func ConsoleErrors(log string) []string { return consoleErrors.FindAllString(log, -1) }

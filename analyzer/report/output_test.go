package report

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestColourNeedsATerminalAndNoNOCOLOR(t *testing.T) {
	var buf strings.Builder
	if ColorOK(&buf) {
		t.Error("colour for a buffer")
	}
	f, err := os.CreateTemp(t.TempDir(), "out")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if ColorOK(f) {
		t.Error("colour for a regular file")
	}
	if tty, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0); err == nil {
		defer tty.Close()
		t.Setenv("NO_COLOR", "1")
		if ColorOK(tty) {
			t.Error("colour on a terminal despite NO_COLOR")
		}
	}
}

// Output writes to stdout, or creates the file; a file that cannot be
// created is an error and the format's error is returned as it is.
func TestOutput(t *testing.T) {
	var b strings.Builder
	if err := Output(&b, "", func(w io.Writer) error { _, err := io.WriteString(w, "to stdout"); return err }); err != nil || b.String() != "to stdout" {
		t.Fatalf("stdout: %q, %v", b.String(), err)
	}
	path := filepath.Join(t.TempDir(), "out.txt")
	if err := Output(&b, path, func(w io.Writer) error { _, err := io.WriteString(w, "to the file"); return err }); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); string(got) != "to the file" || b.String() != "to stdout" {
		t.Errorf("file %q, stdout %q", got, b.String())
	}
	if err := Output(&b, filepath.Join(t.TempDir(), "no", "dir"), func(io.Writer) error { return nil }); err == nil {
		t.Error("a file in a missing directory was written")
	}
	bad := errors.New("format failed")
	if err := Output(&b, "", func(io.Writer) error { return bad }); err != bad {
		t.Errorf("format error = %v", err)
	}
	if err := Output(failingWriter{}, "", func(w io.Writer) error { _, err := io.WriteString(w, "x"); return err }); err == nil || !strings.HasPrefix(err.Error(), "write output: ") {
		t.Errorf("a failing stdout: %v", err)
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("closed") }

// A table takes the view asked for, or the findings with quiet, or the
// summary on a terminal; other formats take none.
func TestChooseView(t *testing.T) {
	for _, c := range []struct {
		view            string
		quiet, terminal bool
		want            TableView
		err             string
	}{
		{"", false, false, ViewAll, ""},
		{"", false, true, ViewAuto, ""},
		{"", true, true, ViewFindings, ""},
		{"summary", false, true, ViewSummary, ""},
		{"summary", true, false, "", "--view and --quiet exclude each other"},
		{"nope", false, false, "", "--view"},
	} {
		f, _ := Lookup(Run, "table")
		err := ChooseView(f, c.view, c.quiet, c.terminal)
		if c.err != "" {
			if err == nil || !strings.HasPrefix(err.Error(), c.err) {
				t.Errorf("%+v: %v, want %q", c, err, c.err)
			}
			continue
		}
		if got := f.(*runTable).view; err != nil || got != c.want {
			t.Errorf("%+v: view %q, %v", c, got, err)
		}
	}
	f, _ := Lookup(Run, "json")
	if err := ChooseView(f, "", true, true); err != nil {
		t.Errorf("json without a view: %v", err)
	}
	if err := ChooseView(f, "all", false, false); err == nil || err.Error() != "--view goes with --format table" {
		t.Errorf("json with a view: %v", err)
	}
}

func TestRemarks(t *testing.T) {
	var b strings.Builder
	Remarks(&b, "note", "one", "two")
	Remarks(&b, "", "plain")
	if want := "lambdacheck: note: one\nlambdacheck: note: two\nlambdacheck: plain\n"; b.String() != want {
		t.Errorf("remarks = %q, want %q", b.String(), want)
	}
}

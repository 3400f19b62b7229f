package report

import (
	"os"
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

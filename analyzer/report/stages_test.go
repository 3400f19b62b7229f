package report

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// The bar draws the stage's name and count, and erases its line when the
// stage ends, so nothing is left on the terminal.
func TestStageProgressDrawsAndErases(t *testing.T) {
	var b bytes.Buffer
	p := NewStageProgress(&b, true)
	p.Update("simulate", 0, 40)
	time.Sleep(120 * time.Millisecond) // past the throttle
	p.Update("simulate", 40, 40)
	p.Finish()
	out := b.String()
	if !strings.Contains(out, "simulating functions") || !strings.Contains(out, "/40)") {
		t.Errorf("no stage and count drawn: %q", out)
	}
	lines := strings.Split(out, "\r")
	if last := lines[len(lines)-1]; strings.TrimSpace(last) != "" {
		t.Errorf("the bar is not erased at the end: last segment %q", last)
	}
	if strings.Contains(out, "\x1b[3") {
		t.Errorf("colour codes drawn: %q", out)
	}
}

// Nothing is drawn when progress is off (not a terminal, --quiet).
func TestStageProgressOff(t *testing.T) {
	var b bytes.Buffer
	p := NewStageProgress(&b, false)
	if p != nil {
		t.Fatal("a progress display when disabled")
	}
	p.Finish() // a nil display is safe to finish
	if b.Len() != 0 {
		t.Errorf("drew %q", b.String())
	}
}

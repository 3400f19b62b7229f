package report

import (
	"bytes"
	"strings"
	"testing"
)

func TestCollectProgress(t *testing.T) {
	t.Run("a terminal gets one redrawn bar per region", func(t *testing.T) {
		var buf bytes.Buffer
		p := NewProgress(&buf, true)
		p.Plan("global", []string{"iam", "s3"})
		p.Plan("eu-west-1", []string{"lambda", "sqs"})
		p.Update("eu-west-1", "lambda", 3, 7)
		p.Finish("global", "iam")
		p.Finish("global", "s3")
		p.Finish("eu-west-1", "sqs")
		p.Stop()
		out := buf.String()
		for _, want := range []string{"\x1b[2K", "global", " 2/2", "eu-west-1", " 1/2", "lambda 3/7", "██████████░░░░░░░░░░"} {
			if !strings.Contains(out, want) {
				t.Errorf("progress lacks %q:\n%q", want, out)
			}
		}
	})
	t.Run("elsewhere one plain line per finished region", func(t *testing.T) {
		var buf bytes.Buffer
		p := NewProgress(&buf, false)
		p.Plan("eu-west-1", []string{"lambda", "sqs"})
		p.Update("eu-west-1", "lambda", 3, 7)
		p.Finish("eu-west-1", "lambda")
		p.Finish("eu-west-1", "sqs")
		p.Stop()
		if got := buf.String(); got != "collect: eu-west-1: 2 service(s) read\n" {
			t.Fatalf("output = %q", got)
		}
	})
}

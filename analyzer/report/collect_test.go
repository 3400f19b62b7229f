package report

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
)

func TestCollectProgress(t *testing.T) {
	units := []inventory.CoverageUnit{
		{Region: "global", Service: "iam", Status: inventory.CoverageComplete, Items: 4, Calls: 2},
		{Region: "eu-west-1", Service: "lambda", Status: inventory.CoveragePartial, Items: 7, Calls: 31,
			Denied: []inventory.Gap{{Operation: "Lambda GetPolicy", Action: "lambda:GetPolicy", Count: 3}}},
	}
	t.Run("a terminal gets a line per region and service", func(t *testing.T) {
		var buf bytes.Buffer
		p := NewProgress(&buf, true)
		p.Plan("global", []string{"iam"})
		p.Plan("eu-west-1", []string{"lambda", "sqs"})
		p.Update("eu-west-1", "lambda", 3, 7)
		time.Sleep(250 * time.Millisecond) // past the redraw throttle
		p.Update("eu-west-1", "lambda", 4, 7)
		if !strings.Contains(buf.String(), "eu-west-1 lambda: 4/7 items") {
			t.Fatalf("no status line: %q", buf.String())
		}
		buf.Reset()
		for _, u := range units {
			p.Finish(u)
		}
		p.Stop()
		var lines []string
		for _, l := range strings.Split(buf.String(), "\n") {
			// What the bar drew, and erased, precedes a carriage return.
			if i := strings.LastIndex(l, "\r"); i >= 0 {
				l = l[i+1:]
			}
			if strings.TrimSpace(l) != "" {
				lines = append(lines, l)
			}
		}
		if len(lines) != 2 || !strings.Contains(lines[0], "[1/3] global") || !strings.Contains(lines[0], "4 items") ||
			!strings.Contains(lines[1], "eu-west-1") || !strings.Contains(lines[1], "lambda") || !strings.Contains(lines[1], "31 calls") || !strings.Contains(lines[1], "3 denied") {
			t.Fatalf("progress:\n%s", buf.String())
		}
	})
	t.Run("nothing off a terminal", func(t *testing.T) {
		var buf bytes.Buffer
		p := NewProgress(&buf, false)
		p.Plan("eu-west-1", []string{"lambda"})
		p.Update("eu-west-1", "lambda", 3, 7)
		p.Finish(units[1])
		p.Stop()
		if buf.Len() != 0 {
			t.Fatalf("output = %q", buf.String())
		}
	})
}

func TestCollectSummaryCoverage(t *testing.T) {
	id := inventory.Identity{Account: "111111111111"}
	inv := &inventory.Inventory{Account: "111111111111", Partition: "aws",
		Functions: []inventory.Function{{Name: "f", ARN: "arn:aws:lambda:eu-west-1:111111111111:function:f"}},
		Warnings:  []inventory.Warning{{Kind: inventory.WarningDenied, Region: "eu-west-1", Service: "SQS", Operation: "ListQueues", Permission: "sqs:ListQueues", Message: "denied"}},
		Coverage: []inventory.Coverage{{Identity: id, Units: []inventory.CoverageUnit{
			{Region: "eu-west-1", Service: "lambda", Status: inventory.CoverageComplete, Items: 1, Calls: 3},
			{Region: "eu-west-1", Service: "sqs", Status: inventory.CoverageNotRead, Calls: 1,
				Denied: []inventory.Gap{{Operation: "SQS ListQueues", Action: "sqs:ListQueues", Code: "AccessDenied", Count: 1, Listing: true}}}}}}}
	var buf bytes.Buffer
	if err := CollectSummary(&buf, inv); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"denied", "Coverage: 1 of 2 region/service units", "not_read", "sqs:ListQueues ×1", "sqs was not read in eu-west-1", "unless --allow-incomplete"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("summary lacks %q:\n%s", want, buf.String())
		}
	}
	buf.Reset()
	CollectQuiet(&buf, inv)
	if got := buf.String(); strings.Count(got, "\n") != 2 || !strings.Contains(got, "1 warning(s)") || !strings.Contains(got, "--allow-incomplete") {
		t.Fatalf("quiet = %q", got)
	}
}

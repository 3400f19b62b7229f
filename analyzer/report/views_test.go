package report

import (
	"bytes"
	"strconv"
	"strings"
	"testing"

	"github.com/lambdacheck/lambdacheck/simulator/flow"
)

// invokeFlows is n allowed invocations of one function.
func invokeFlows(n int) *flow.Result {
	res := &flow.Result{}
	for i := range n {
		res.Flows = append(res.Flows, flow.Flow{
			ID: "invoke/q" + strconv.Itoa(i), Kind: flow.KindInvoke, Decision: flow.Allowed,
			Trigger: &flow.Trigger{Type: "sqs", Source: flow.Ref{Address: "aws_sqs_queue.q" + strconv.Itoa(i)},
				Function: flow.FunctionRef{Ref: flow.Ref{Address: "aws_lambda_function.worker"}}, Enabled: true},
		})
	}
	return res
}

// On a terminal a small run shows everything and a large one the
// findings, then one line per function.
func TestAutoViewSummarisesLargeRuns(t *testing.T) {
	for _, tc := range []struct {
		flows                      int
		wantFlowTable, wantSummary bool
	}{
		{SummaryThreshold, true, false},
		{SummaryThreshold + 1, false, true},
	} {
		format, err := Lookup(Run, "table")
		if err != nil {
			t.Fatal(err)
		}
		format.(Viewer).SetView(ViewAuto)
		var b bytes.Buffer
		r := &Report{Flows: invokeFlows(tc.flows), Findings: &Findings{}}
		if err := format.Write(&b, r); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		if got := strings.Contains(out, "Invocation flows"); got != tc.wantFlowTable {
			t.Errorf("%d flows: flow table shown %v, want %v\n%s", tc.flows, got, tc.wantFlowTable, out)
		}
		if got := strings.Contains(out, "Functions (1)"); got != tc.wantSummary {
			t.Errorf("%d flows: summary shown %v, want %v\n%s", tc.flows, got, tc.wantSummary, out)
		}
		if tc.wantSummary {
			if !strings.Contains(out, strconv.Itoa(tc.flows)+" ok, 0 broken") {
				t.Errorf("summary does not count the triggers:\n%s", out)
			}
			if strings.Index(out, "Findings") > strings.Index(out, "Functions (1)") {
				t.Errorf("findings do not come first:\n%s", out)
			}
		}
		if !strings.Contains(out, "0 finding(s)") {
			t.Errorf("no verdict:\n%s", out)
		}
	}
}

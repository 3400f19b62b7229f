package report

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/lambdacheck/lambdacheck/analyzer/awsref"
	"github.com/lambdacheck/lambdacheck/analyzer/rules"
	"github.com/lambdacheck/lambdacheck/analyzer/terraform"
	"github.com/lambdacheck/lambdacheck/simulator"
)

func TestLookupNamesTheFormatsOfEachView(t *testing.T) {
	cases := []struct {
		view View
		want string
	}{
		{Run, `format "xml": want table, json, sarif, junit, markdown, codequality or gitlab-sast`},
		{Drawing, `format "xml": want mermaid or dot`},
		{Inventory, `format "xml": want table or json`},
		{RuleList, `format "xml": want table, json or markdown`},
		{RuleTests, `format "xml": want table or json`},
	}
	for _, c := range cases {
		if _, err := Lookup(c.view, "xml"); err == nil || err.Error() != c.want {
			t.Errorf("Lookup(%s, xml) = %v, want %q", c.view, err, c.want)
		}
		for _, e := range formats[c.view] {
			if f, err := Lookup(c.view, e.name); err != nil || f == nil {
				t.Errorf("Lookup(%s, %s) = %v, %v", c.view, e.name, f, err)
			}
		}
	}
}

func TestRunFormatsOnAFixture(t *testing.T) {
	inv, err := terraform.Load(context.Background(), "../../fixtures/recursive-loop", terraform.Options{Catalog: awsref.Default()})
	if err != nil {
		t.Fatal(err)
	}
	res, err := simulator.Simulate(context.Background(), inv, simulator.Options{MaxDepth: 4})
	if err != nil {
		t.Fatal(err)
	}
	th, _ := rules.ParseThreshold("high")
	r := &Report{Inventory: inv, Flows: res, Findings: &Findings{Threshold: th}}

	// Prepared while judging or laid out at write time, the table is the same.
	var direct, prepared bytes.Buffer
	if err := (&runTable{}).Write(&direct, r); err != nil {
		t.Fatal(err)
	}
	p := &runTable{}
	p.PrepareFlows(res)
	if err := p.Write(&prepared, r); err != nil {
		t.Fatal(err)
	}
	if direct.String() != prepared.String() {
		t.Error("prepared flow tables differ from tables laid out at write time")
	}
	if !p.prepared {
		t.Error("a fixture's flow tables were not laid out ahead")
	}
	// Past the bound, the tables are not held in memory but written at
	// write time, the same.
	var streamed bytes.Buffer
	s := &runTable{prepareAtMost: len(res.Flows) - 1}
	s.PrepareFlows(res)
	if s.prepared || s.tables.Len() > 0 {
		t.Error("flow tables past the bound were laid out in memory")
	}
	if err := s.Write(&streamed, r); err != nil {
		t.Fatal(err)
	}
	if streamed.String() != direct.String() {
		t.Error("flow tables written straight to the output differ")
	}
	for _, section := range []string{"Invocation flows (5)", "Chains and loops (3)", "\nFindings\n"} {
		if !strings.Contains(direct.String(), section) {
			t.Errorf("table lacks %q", section)
		}
	}

	var js bytes.Buffer
	if err := writeRunJSON(&js, r); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Schema   int               `json:"schema"`
		Flows    []json.RawMessage `json:"flows"`
		Findings []json.RawMessage `json:"findings"`
	}
	if err := json.Unmarshal(js.Bytes(), &doc); err != nil {
		t.Fatalf("run JSON does not parse: %v", err)
	}
	if doc.Schema != res.Schema || len(doc.Flows) != len(res.Flows) || doc.Findings == nil {
		t.Errorf("run JSON: schema %d, %d flows, findings %v; want schema %d, %d flows, findings []", doc.Schema, len(doc.Flows), doc.Findings, res.Schema, len(res.Flows))
	}

	var tables bytes.Buffer
	if err := inventoryTables(&tables, inv); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(tables.String(), "Functions (5)") {
		t.Errorf("inventory table lacks the functions:\n%s", tables.String())
	}
}

func TestRuleFormats(t *testing.T) {
	r := &Report{Rules: []rules.Rule{{ID: "LC001", ShortCode: "x", Severity: rules.High, Title: "T", Description: "First. Second.", Builtin: true}}}
	var b bytes.Buffer
	if err := rulesMarkdown(&b, r); err != nil {
		t.Fatal(err)
	}
	if want := "| LC001 | high | `x` | **T** — First. |\n"; !strings.HasSuffix(b.String(), want) {
		t.Errorf("markdown = %q, want suffix %q", b.String(), want)
	}
	b.Reset()
	if err := ruleTestsTable(&b, &Report{RuleTests: []rules.TestResult{{Package: "p", Name: "test_a", Pass: true}, {Package: "p", Name: "test_b", File: "a_test.rego", Line: 3, Error: "boom"}}}); err != nil {
		t.Fatal(err)
	}
	if want := "FAIL  p.test_b  a_test.rego:3: boom\n1 passed, 1 failed\n"; b.String() != want {
		t.Errorf("rule tests = %q, want %q", b.String(), want)
	}
}

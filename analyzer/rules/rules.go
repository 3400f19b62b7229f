// Package rules judges a simulated application with Rego rules: it loads the
// built-in rule set (embedded) and user rules (--policy DIR), compiles them
// once with the OPA v1 Go SDK, evaluates every rule in one pass over the
// inventory and the flows, and returns sorted findings. It also applies
// waivers (inline HCL comments and the .lambdacheck.hcl settings file) and
// baselines, so a team can adopt the tool on an existing estate.
//
// Pipeline place: inventory → flows → rules (this package) → findings →
// report. It reads the inventory and flow records and never reaches back
// into the loaders or the simulator.
package rules

import (
	"fmt"
	"strings"

	"github.com/lambdacheck/lambdacheck/analyzer/loc"
)

// Severity is how bad a finding is. The zero value is invalid.
type Severity string

const (
	Critical Severity = "critical"
	High     Severity = "high"
	Medium   Severity = "medium"
	Low      Severity = "low"
)

// Severities lists the severities from worst to mildest.
var Severities = []Severity{Critical, High, Medium, Low}

// Rank orders severities: critical 4, high 3, medium 2, low 1, invalid 0.
func (s Severity) Rank() int {
	switch s {
	case Critical:
		return 4
	case High:
		return 3
	case Medium:
		return 2
	case Low:
		return 1
	}
	return 0
}

// ParseSeverity reads a severity name, ignoring case.
func ParseSeverity(s string) (Severity, error) {
	v := Severity(strings.ToLower(strings.TrimSpace(s)))
	if v.Rank() == 0 {
		return "", fmt.Errorf("severity %q: want critical, high, medium or low", s)
	}
	return v, nil
}

// Threshold is the --fail-on gate: findings at or above it fail the run.
// The zero Threshold ("none") never fails.
type Threshold struct{ min Severity }

// ParseThreshold reads critical|high|medium|low|none.
func ParseThreshold(s string) (Threshold, error) {
	if strings.EqualFold(strings.TrimSpace(s), "none") {
		return Threshold{}, nil
	}
	sev, err := ParseSeverity(s)
	if err != nil {
		return Threshold{}, fmt.Errorf("fail-on %q: want critical, high, medium, low or none", s)
	}
	return Threshold{min: sev}, nil
}

// String is the threshold's name.
func (t Threshold) String() string {
	if t.min == "" {
		return "none"
	}
	return string(t.min)
}

// Fails reports whether a finding of severity s fails the gate.
func (t Threshold) Fails(s Severity) bool {
	return t.min != "" && s.Rank() >= t.min.Rank()
}

// Rule is one loaded rule: its package and the METADATA annotation.
type Rule struct {
	ID          string   `json:"id"`
	ShortCode   string   `json:"short_code"`
	Severity    Severity `json:"severity"`
	Title       string   `json:"title"`
	Description string   `json:"description,omitempty"`
	Remediation string   `json:"remediation,omitempty"`
	Related     []string `json:"related_resources,omitempty"`
	// Package is the Rego package path, e.g. data.lambdacheck.rules.public_invoke.
	Package string `json:"package"`
	// File is where the rule was loaded from (policies/… for built-ins).
	File    string `json:"file"`
	Builtin bool   `json:"builtin"`
}

// Finding is one rule violation. The JSON form is the "findings" entry of
// `simulate --format json` (docs/flows.md).
type Finding struct {
	Rule      string   `json:"rule"`
	ShortCode string   `json:"short_code"`
	Severity  Severity `json:"severity"`
	Title     string   `json:"title"`
	Message   string   `json:"message"`
	Address   string   `json:"address"`
	// Span is where the item at Address is defined: its block, from start
	// to end as far as the source knows them.
	loc.Span
	Flows       []string `json:"flows"`
	Remediation string   `json:"remediation,omitempty"`
	// Fingerprint identifies the finding across runs for baselines: rule,
	// address and flows (message when there are none), never line numbers.
	Fingerprint string `json:"fingerprint"`
	// Suppressed is set when a waiver or the baseline accepts the finding;
	// suppressed findings are reported but never fail the gate.
	Suppressed *Suppression `json:"suppressed,omitempty"`
}

// Suppression says why a finding does not count.
type Suppression struct {
	// Kind is "inline" (an HCL comment), "config" (.lambdacheck.hcl) or
	// "baseline".
	Kind    string `json:"kind"`
	Reason  string `json:"reason,omitempty"`
	Expires string `json:"expires,omitempty"`
	// Where is the file:line of the waiver (inline comment or config block).
	Where string `json:"where,omitempty"`
}

// Location is "file:line", "file", or "" when unknown.
func (f Finding) Location() string {
	switch {
	case f.File == "":
		return ""
	case f.Line == 0:
		return f.File
	}
	return fmt.Sprintf("%s:%d", f.File, f.Line)
}

// Failing returns the unsuppressed findings that fail the threshold.
func Failing(fs []Finding, t Threshold) []Finding {
	var out []Finding
	for _, f := range fs {
		if f.Suppressed == nil && t.Fails(f.Severity) {
			out = append(out, f)
		}
	}
	return out
}

// compareFindings is the report order: worst severity first, then rule,
// place, address, message — so output is stable and diffs.
func compareFindings(a, b Finding) int {
	if d := b.Severity.Rank() - a.Severity.Rank(); d != 0 {
		return d
	}
	if c := strings.Compare(a.Rule, b.Rule); c != 0 {
		return c
	}
	if c := strings.Compare(a.File, b.File); c != 0 {
		return c
	}
	if a.Line != b.Line {
		return a.Line - b.Line
	}
	if c := strings.Compare(a.Address, b.Address); c != 0 {
		return c
	}
	if c := strings.Compare(a.Message, b.Message); c != 0 {
		return c
	}
	return strings.Compare(strings.Join(a.Flows, "\x00"), strings.Join(b.Flows, "\x00"))
}

package rules

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"github.com/lambdacheck/lambdacheck/analyzer/confine"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
)

// fingerprint identifies a finding across runs: the rule, the address and
// the flows that prove it. Flow ids are built from addresses, so moving a
// block or editing lines above it keeps the fingerprint; only when a rule
// names no flow does the message tell two findings on one address apart.
func fingerprint(f Finding) string {
	h := sha256.New()
	io.WriteString(h, f.Rule+"\x00"+f.Address+"\x00")
	if len(f.Flows) > 0 {
		io.WriteString(h, strings.Join(f.Flows, "\x00"))
	} else {
		io.WriteString(h, "msg\x00"+f.Message)
	}
	return hex.EncodeToString(h.Sum(nil))[:32]
}

// BaselineVersion is the version of the baseline file format.
const BaselineVersion = 1

// Baseline is a set of accepted findings (--baseline FILE): findings whose
// fingerprint is in it are reported as suppressed and do not fail the run.
type Baseline struct {
	Version  int             `json:"version"`
	Findings []BaselineEntry `json:"findings"`
}

// BaselineEntry is one accepted finding; rule, address and message are
// there for the reader of the file, matching uses the fingerprint only.
type BaselineEntry struct {
	Fingerprint string `json:"fingerprint"`
	Rule        string `json:"rule"`
	Address     string `json:"address"`
	Message     string `json:"message"`
}

// NewBaseline accepts the given findings (those not already waived).
func NewBaseline(fs []Finding) *Baseline {
	b := &Baseline{Version: BaselineVersion, Findings: []BaselineEntry{}}
	seen := map[string]bool{}
	for _, f := range fs {
		if f.Suppressed != nil && f.Suppressed.Kind != "baseline" {
			continue
		}
		if seen[f.Fingerprint] {
			continue
		}
		seen[f.Fingerprint] = true
		b.Findings = append(b.Findings, BaselineEntry{Fingerprint: f.Fingerprint, Rule: f.Rule, Address: f.Address, Message: f.Message})
	}
	slices.SortFunc(b.Findings, func(a, b BaselineEntry) int {
		if c := strings.Compare(a.Rule, b.Rule); c != 0 {
			return c
		}
		if c := strings.Compare(a.Address, b.Address); c != 0 {
			return c
		}
		return strings.Compare(a.Fingerprint, b.Fingerprint)
	})
	return b
}

// Write writes the baseline as indented JSON, sorted so it diffs.
func (b *Baseline) Write(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(b)
}

// WriteBaselineFile writes the baseline to path.
func WriteBaselineFile(path string, fs []Finding) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("write baseline: %w", err)
	}
	if err := NewBaseline(fs).Write(f); err != nil {
		f.Close()
		return fmt.Errorf("write baseline %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write baseline %s: %w", path, err)
	}
	return nil
}

// ReadBaseline reads a baseline file.
func ReadBaseline(path string) (*Baseline, error) {
	data, err := confine.ReadInput(path)
	if err != nil {
		return nil, fmt.Errorf("read baseline: %w", err)
	}
	return ParseBaseline(path, data)
}

// ParseBaseline decodes a baseline; name is used in errors.
func ParseBaseline(name string, data []byte) (*Baseline, error) {
	// A first pass finds syntax errors with their position, which the
	// strict decoder below does not report.
	var probe any
	if err := json.Unmarshal(data, &probe); err != nil {
		return nil, fmt.Errorf("baseline %s: %w", name, inventory.DescribeJSONError(data, err))
	}
	var b Baseline
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil {
		return nil, fmt.Errorf("baseline %s: %w", name, err)
	}
	if b.Version != BaselineVersion {
		return nil, fmt.Errorf("baseline %s: version %d, want %d", name, b.Version, BaselineVersion)
	}
	for i, e := range b.Findings {
		if e.Fingerprint == "" {
			return nil, fmt.Errorf("baseline %s: findings[%d] has no fingerprint", name, i)
		}
	}
	return &b, nil
}

// Apply marks findings the baseline accepts as suppressed (kind
// "baseline"); findings already waived keep their waiver. A finding is
// accepted by the entry with its fingerprint or, failing that, by an unused
// entry for the same rule and address: the flows that prove a finding can
// change when unrelated parts of the application change (a new permission
// adds a reach flow), and that must not turn an accepted finding into a new
// one. Each entry accepts one finding. It returns how many entries matched
// nothing (findings fixed since the baseline was written).
func (b *Baseline) Apply(fs []Finding) (stale int) {
	if b == nil {
		return 0
	}
	used := make([]bool, len(b.Findings))
	byPrint := map[string][]int{}
	byKey := map[[2]string][]int{}
	for i, e := range b.Findings {
		byPrint[e.Fingerprint] = append(byPrint[e.Fingerprint], i)
		byKey[[2]string{e.Rule, e.Address}] = append(byKey[[2]string{e.Rule, e.Address}], i)
	}
	take := func(idx []int) bool {
		for _, i := range idx {
			if !used[i] {
				used[i] = true
				return true
			}
		}
		return false
	}
	accept := func(f *Finding) {
		if f.Suppressed == nil {
			f.Suppressed = &Suppression{Kind: "baseline", Reason: "accepted in the baseline"}
		}
	}
	matched := make([]bool, len(fs))
	for i := range fs {
		if take(byPrint[fs[i].Fingerprint]) {
			matched[i] = true
			accept(&fs[i])
		}
	}
	for i := range fs {
		if !matched[i] && take(byKey[[2]string{fs[i].Rule, fs[i].Address}]) {
			accept(&fs[i])
		}
	}
	for _, u := range used {
		if !u {
			stale++
		}
	}
	return stale
}

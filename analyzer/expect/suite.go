package expect

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/lambdacheck/lambdacheck/analyzer/confine"
	"github.com/lambdacheck/lambdacheck/simulator/flow"
)

// Suite is an expectations file, read and parsed.
type Suite struct {
	// File is where the expectations were read, or where Record writes
	// them when there was no file yet.
	File string
	// Source is the file as read (nil when there was none).
	Source       []byte
	Expectations []Expectation
}

// Open reads the expectations of input: from explicit when given, else
// from lambdacheck.hcl in the input's directory, else in the working
// directory. With forRecord a missing file is no error: the suite is
// empty and Record writes it beside the input. An HCL error is reported
// as "file:line,col: what" lines.
func Open(explicit, input string, forRecord bool) (*Suite, error) {
	s := &Suite{}
	file, err := find(explicit, input)
	switch {
	case err == nil:
		if s.Source, err = confine.ReadInput(file); err != nil {
			return nil, fmt.Errorf("read %s: %v", file, err)
		}
	case forRecord && explicit == "":
		file = filepath.Join(InputDir(input), FileName)
	default:
		return nil, err
	}
	s.File = file
	exps, diags := Parse(s.Source, file)
	if diags.HasErrors() {
		return nil, errors.New(diagnosticLines(diags))
	}
	if len(exps) == 0 && !forRecord {
		return nil, fmt.Errorf("%s: no expect blocks", file)
	}
	s.Expectations = exps
	return s, nil
}

// find is the explicit file, or lambdacheck.hcl in the input directory,
// else in the working directory.
func find(explicit, input string) (string, error) {
	if explicit != "" {
		return explicit, nil
	}
	dir := InputDir(input)
	for _, d := range []string{dir, "."} {
		p := filepath.Join(d, FileName)
		if _, err := os.Stat(p); err == nil {
			return p, nil
		} else if !errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
	}
	return "", fmt.Errorf("no %s in %s or the working directory (or give --expectations FILE)", FileName, dir)
}

// InputDir is the input's directory (a snapshot's or plan's own).
func InputDir(input string) string {
	if info, err := os.Stat(input); err == nil && !info.IsDir() {
		return filepath.Dir(input)
	}
	return input
}

// diagnosticLines are HCL errors as "file:line,col: what" lines.
func diagnosticLines(diags hcl.Diagnostics) string {
	var lines []string
	for _, d := range diags {
		if d.Severity != hcl.DiagError {
			continue
		}
		where := ""
		if d.Subject != nil {
			where = fmt.Sprintf("%s:%d,%d: ", d.Subject.Filename, d.Subject.Start.Line, d.Subject.Start.Column)
		}
		msg := d.Summary
		if d.Detail != "" {
			msg += "; " + d.Detail
		}
		lines = append(lines, where+msg)
	}
	return strings.Join(lines, "\n")
}

// Check decides the suite's expectations from the flows.
func (s *Suite) Check(res *flow.Result) []Outcome { return Check(res, s.Expectations) }

// Verdict is an error counting the failed outcomes, or nil when all pass.
func Verdict(outcomes []Outcome) error {
	failed := 0
	for _, o := range outcomes {
		if !o.Pass {
			failed++
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d expectation(s) failed", failed, len(outcomes))
	}
	return nil
}

// Record appends today's flows as expectations (see the function Record)
// to the suite's file, skipping the names it has, and returns how many it
// recorded.
func (s *Suite) Record(res *flow.Result, scope AccessScope) (int, error) {
	recorded := Record(res, Names(s.Expectations), scope)
	n := strings.Count(string(recorded), "expect \"")
	existing := s.Source
	if len(existing) > 0 && !strings.HasSuffix(string(existing), "\n") {
		existing = append(existing, '\n')
	}
	if len(existing) > 0 && n > 0 {
		existing = append(existing, '\n')
	}
	if err := os.WriteFile(s.File, append(existing, recorded...), 0o644); err != nil {
		return 0, fmt.Errorf("write %s: %v", s.File, err)
	}
	return n, nil
}

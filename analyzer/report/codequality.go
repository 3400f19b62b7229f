package report

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"

	"github.com/lambdacheck/lambdacheck/analyzer/report/clean"
	"github.com/lambdacheck/lambdacheck/analyzer/rules"
)

// codeQualityIssue is one entry of a GitLab Code Quality report (a subset
// of the Code Climate issue format): GitLab needs description, check_name,
// fingerprint, severity, location.path and location.lines.begin.
type codeQualityIssue struct {
	Description string              `json:"description"`
	CheckName   string              `json:"check_name"`
	Fingerprint string              `json:"fingerprint"`
	Severity    string              `json:"severity"`
	Location    codeQualityLocation `json:"location"`
}

type codeQualityLocation struct {
	Path  string           `json:"path"`
	Lines codeQualityLines `json:"lines"`
}

type codeQualityLines struct {
	Begin int `json:"begin"`
	End   int `json:"end,omitempty"`
}

// codeQualitySeverity maps severities onto GitLab's five (info, minor,
// major, critical, blocker): a critical finding blocks.
func codeQualitySeverity(s rules.Severity) string {
	switch s {
	case rules.Critical:
		return "blocker"
	case rules.High:
		return "critical"
	case rules.Medium:
		return "major"
	}
	return "minor"
}

// FindingsCodeQuality writes a GitLab Code Quality report: a JSON array
// with one issue per open finding (waived and baselined ones are left out,
// as they are not to be fixed), located at the .tf file and line relative
// to the repository root. A finding with no file (a live or snapshot
// source) is located at the snapshot, or the analysed directory, line 1:
// GitLab drops an issue without a path.
func FindingsCodeQuality(w io.Writer, r *Findings) error {
	issues := []codeQualityIssue{}
	seen := map[string]int{}
	for _, f := range r.open() {
		path, line, end := r.gitlabLocation(f)
		desc := addressed(f)
		// GitLab matches issues between pipelines by fingerprint, which
		// must be unique in a report.
		fp := f.Fingerprint
		if fp == "" {
			sum := sha256.Sum256([]byte(f.Rule + "\x00" + f.Address + "\x00" + f.Message))
			fp = hex.EncodeToString(sum[:16])
		}
		if n := seen[fp]; n > 0 {
			seen[fp]++
			fp = fmt.Sprintf("%s-%d", fp, n)
		} else {
			seen[fp] = 1
		}
		issues = append(issues, codeQualityIssue{
			Description: clean.Line(desc),
			CheckName:   clean.Line(f.Rule + " " + f.ShortCode),
			Fingerprint: clean.Line(fp),
			Severity:    codeQualitySeverity(f.Severity),
			Location:    codeQualityLocation{Path: clean.Line(path), Lines: codeQualityLines{Begin: line, End: end}},
		})
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(issues); err != nil {
		return fmt.Errorf("write Code Quality report: %w", err)
	}
	return nil
}

// gitlabLocation is where GitLab's reports put a finding: its file
// relative to the repository root and its lines; a finding without a file
// goes to line 1 of the snapshot or the analysed directory, as GitLab drops
// an entry without a path. end is 0 unless the finding spans lines.
func (r *Findings) gitlabLocation(f rules.Finding) (path string, line, end int) {
	path, line = r.Path(f), f.Line
	if path == "" {
		return nonEmptyStr(r.FallbackPath, nonEmptyStr(r.PathPrefix, ".")), 1, 0
	}
	line = max(line, 1)
	if f.EndLine > line {
		end = f.EndLine
	}
	return path, line, end
}

// addressed is the finding's message led by the item it is about.
func addressed(f rules.Finding) string {
	if f.Address != "" {
		return f.Address + ": " + f.Message
	}
	return f.Message
}

package report

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/lambdacheck/lambdacheck/analyzer/report/clean"
	"github.com/lambdacheck/lambdacheck/analyzer/rules"
)

// GitLabSASTVersion is the version of GitLab's security report schema the
// gitlab-sast format follows (the 15.x line, which GitLab 15.0 and later
// accept).
const GitLabSASTVersion = "15.1.4"

// GitLab's security report schema limits (sast-report-format): names up to
// 255 characters, descriptions up to 1 MiB.
const (
	gitlabNameMax        = 255
	gitlabDescriptionMax = 1 << 20
)

type gitlabSASTReport struct {
	Version         string                `json:"version"`
	Scan            gitlabScan            `json:"scan"`
	Vulnerabilities []gitlabVulnerability `json:"vulnerabilities"`
}

type gitlabScan struct {
	Analyzer  gitlabComponent `json:"analyzer"`
	Scanner   gitlabComponent `json:"scanner"`
	Type      string          `json:"type"`
	StartTime string          `json:"start_time"`
	EndTime   string          `json:"end_time"`
	Status    string          `json:"status"`
}

type gitlabComponent struct {
	ID      string       `json:"id"`
	Name    string       `json:"name"`
	URL     string       `json:"url,omitempty"`
	Version string       `json:"version"`
	Vendor  gitlabVendor `json:"vendor"`
}

type gitlabVendor struct {
	Name string `json:"name"`
}

type gitlabVulnerability struct {
	ID          string             `json:"id"`
	Name        string             `json:"name"`
	Description string             `json:"description"`
	Severity    string             `json:"severity"`
	Solution    string             `json:"solution,omitempty"`
	Identifiers []gitlabIdentifier `json:"identifiers"`
	Location    gitlabLocation     `json:"location"`
}

type gitlabIdentifier struct {
	Type  string `json:"type"`
	Name  string `json:"name"`
	Value string `json:"value"`
	URL   string `json:"url,omitempty"`
}

type gitlabLocation struct {
	File      string `json:"file"`
	StartLine int    `json:"start_line"`
	EndLine   int    `json:"end_line,omitempty"`
}

// gitlabSeverity maps onto the schema's Critical, High, Medium, Low.
func gitlabSeverity(s rules.Severity) string {
	switch s {
	case rules.Critical:
		return "Critical"
	case rules.High:
		return "High"
	case rules.Medium:
		return "Medium"
	}
	return "Low"
}

// gitlabTime is the schema's timestamp form: UTC, to the second, no zone.
func gitlabTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05") }

// FindingsGitLabSAST writes a GitLab SAST security report (the
// `artifacts:reports:sast` file): one vulnerability per open finding, with
// the rule as its primary identifier, located at the file and line
// relative to the repository root. Waived and baselined findings are left
// out, as in the Code Quality report. A finding with no file is located
// like there (the snapshot or the analysed directory, line 1), because the
// schema requires a location. The vulnerability id is derived from the
// finding's fingerprint, so it is stable across pipelines.
func FindingsGitLabSAST(w io.Writer, r *Findings) error {
	start, end := r.Started, r.Finished
	if start.IsZero() {
		start = time.Now()
	}
	if end.IsZero() {
		end = start
	}
	version := nonEmptyStr(r.ToolVersion, "dev")
	tool := gitlabComponent{ID: "lambdacheck", Name: "lambdacheck", URL: InformationURI, Version: clean.Line(version), Vendor: gitlabVendor{Name: "lambdacheck"}}
	rep := gitlabSASTReport{
		Version:         GitLabSASTVersion,
		Scan:            gitlabScan{Analyzer: tool, Scanner: tool, Type: "sast", StartTime: gitlabTime(start), EndTime: gitlabTime(end), Status: "success"},
		Vulnerabilities: []gitlabVulnerability{},
	}
	seen := map[string]int{}
	for _, f := range r.open() {
		path, line, end := r.gitlabLocation(f)
		desc := addressed(f)
		key := f.Fingerprint
		if key == "" {
			key = f.Rule + "\x00" + f.Address + "\x00" + f.Message
		}
		// Ids must be unique in a report; two findings with one
		// fingerprint (the same rule on the same flows) get a counter.
		if n := seen[key]; n > 0 {
			seen[key]++
			key = fmt.Sprintf("%s\x00%d", key, n)
		} else {
			seen[key] = 1
		}
		ruleID := nonEmptyStr(clean.Line(f.Rule), "lambdacheck")
		rep.Vulnerabilities = append(rep.Vulnerabilities, gitlabVulnerability{
			ID:          uuidFrom(key),
			Name:        truncateRunes(nonEmptyStr(clean.Line(f.Title), ruleID), gitlabNameMax),
			Description: truncateRunes(clean.Line(desc), gitlabDescriptionMax),
			Severity:    gitlabSeverity(f.Severity),
			Solution:    truncateRunes(clean.Line(f.Remediation), gitlabDescriptionMax),
			Identifiers: []gitlabIdentifier{{
				Type:  "lambdacheck_rule_id",
				Name:  truncateRunes(ruleID+" "+clean.Line(f.ShortCode), gitlabNameMax),
				Value: truncateRunes(ruleID, gitlabNameMax),
			}},
			Location: gitlabLocation{File: clean.Line(path), StartLine: line, EndLine: end},
		})
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(rep); err != nil {
		return fmt.Errorf("write GitLab SAST report: %w", err)
	}
	return nil
}

// uuidFrom formats the first 16 bytes of key's SHA-256 as a version-5-style
// UUID: GitLab expects vulnerability ids in UUID form.
func uuidFrom(key string) string {
	sum := sha256.Sum256([]byte(key))
	b := sum[:16]
	b[6] = (b[6] & 0x0f) | 0x50
	b[8] = (b[8] & 0x3f) | 0x80
	h := hex.EncodeToString(b)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// truncateRunes cuts s to at most n runes.
func truncateRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}

package report

import (
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/lambdacheck/lambdacheck/analyzer/rules"
)

// NewFindings is a judged run ready to print: input is the path judged and
// sourceDir the directory finding files are relative to; locations are
// made relative to the repository holding them.
func NewFindings(findings []rules.Finding, list []rules.Rule, threshold rules.Threshold, input, sourceDir, toolVersion string) *Findings {
	r := &Findings{
		Findings:    findings,
		Rules:       list,
		Threshold:   threshold,
		PathPrefix:  repoRelative(sourceDir),
		Source:      filepath.ToSlash(input),
		ToolVersion: toolVersion,
	}
	if info, err := os.Stat(input); err == nil && !info.IsDir() {
		r.FallbackPath = path.Join(repoRelative(filepath.Dir(input)), filepath.Base(input))
	}
	return r
}

// repoRelative turns dir into a slash path relative to the enclosing git
// repository's root (or the working directory when there is none), which
// is what SARIF locations need for code scanning to annotate the files.
func repoRelative(dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return filepath.ToSlash(dir)
	}
	base := ""
	for d := abs; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, ".git")); err == nil {
			base = d
			break
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	if base == "" {
		if base, err = os.Getwd(); err != nil {
			return filepath.ToSlash(dir)
		}
	}
	rel, err := filepath.Rel(base, abs)
	if err != nil || strings.HasPrefix(rel, "..") {
		return filepath.ToSlash(dir)
	}
	return filepath.ToSlash(rel)
}

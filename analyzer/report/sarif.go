package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"strings"

	"github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"

	"github.com/lambdacheck/lambdacheck/analyzer/loc"
	"github.com/lambdacheck/lambdacheck/analyzer/report/clean"
	"github.com/lambdacheck/lambdacheck/analyzer/rules"
)

// InformationURI is lambdacheck's home, named in SARIF's tool.driver.
const InformationURI = "https://github.com/lambdacheck/lambdacheck"

// sarifLevel maps severities to SARIF levels: code scanning shows error
// and warning results as alerts and note results as recommendations.
func sarifLevel(s rules.Severity) string {
	switch s {
	case rules.Critical, rules.High:
		return "error"
	case rules.Medium:
		return "warning"
	}
	return "note"
}

// securitySeverity is GitHub code scanning's numeric security-severity
// (critical > 9.0, high 7.0–8.9, medium 4.0–6.9, low 0.1–3.9).
func securitySeverity(s rules.Severity) string {
	switch s {
	case rules.Critical:
		return "9.5"
	case rules.High:
		return "8.0"
	case rules.Medium:
		return "5.5"
	}
	return "3.0"
}

// FindingsSARIF writes a SARIF 2.1.0 log: every loaded rule with its
// metadata in tool.driver.rules, and one result per finding located at the
// .tf file (relative to the repository root) and line. Waived and
// baselined findings are results with a suppression, so code scanning
// shows them as dismissed rather than dropping them.
func FindingsSARIF(w io.Writer, r *Findings) error {
	report := sarif.NewReport()
	run := sarif.NewRunWithInformationURI("lambdacheck", InformationURI)
	if r.ToolVersion != "" {
		run.Tool.Driver.WithVersion(r.ToolVersion)
	}
	for _, rule := range r.Rules {
		addSARIFRule(run, rule)
	}
	for _, f := range r.Findings {
		ruleID := clean.Line(f.Rule)
		if run.GetRuleIndex(ruleID) < 0 {
			addSARIFRule(run, rules.Rule{ID: f.Rule, ShortCode: f.ShortCode, Severity: f.Severity, Title: f.Title, Remediation: f.Remediation})
		}
		res := run.CreateResultForRule(ruleID).
			WithLevel(sarifLevel(f.Severity)).
			WithMessage(sarif.NewTextMessage(sarifText(f.Message))).
			WithPartialFingerprints(map[string]string{"lambdacheck/v1": f.Fingerprint})
		// Code scanning rejects a location without an artifact, so a
		// finding with no file (and no snapshot to point at) has none;
		// its address stays in the properties.
		if p := r.Path(f); p != "" || r.FallbackPath != "" {
			phys := sarif.NewPhysicalLocation()
			if p != "" {
				phys.WithArtifactLocation(sarif.NewSimpleArtifactLocation(uriReference(p)))
				if f.Line > 0 {
					phys.WithRegion(sarifRegion(f.Span))
				}
			} else {
				phys.WithArtifactLocation(sarif.NewSimpleArtifactLocation(uriReference(r.FallbackPath)))
			}
			location := sarif.NewLocation().WithPhysicalLocation(phys)
			if f.Address != "" {
				location.AddLogicalLocation(sarif.NewLogicalLocation().WithFullyQualifiedName(clean.Line(f.Address)).WithKind("resource"))
			}
			res.AddLocation(location)
		}
		props := sarif.NewPropertyBag().Add("severity", string(f.Severity))
		if f.Address != "" {
			props.Add("address", clean.Line(f.Address))
		}
		if len(f.Flows) > 0 {
			flows := make([]string, len(f.Flows))
			for i, fl := range f.Flows {
				flows[i] = clean.Line(fl)
			}
			props.Add("flows", flows)
		}
		res.WithProperties(props)
		if s := f.Suppressed; s != nil {
			kind := "external"
			if s.Kind == "inline" {
				kind = "inSource"
			}
			sup := sarif.NewSuppression().WithKind(kind).WithStatus("accepted")
			just := s.Kind
			if s.Reason != "" {
				just += ": " + s.Reason
			}
			if s.Expires != "" {
				just += " (until " + s.Expires + ")"
			}
			sup.WithJustification(clean.Line(just))
			res.AddSuppression(sup)
		}
	}
	report.AddRun(run)
	var raw bytes.Buffer
	if err := report.Write(&raw); err != nil {
		return fmt.Errorf("write SARIF: %w", err)
	}
	dec := json.NewDecoder(&raw)
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return fmt.Errorf("write SARIF: %w", err)
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(pruneSARIF(doc)); err != nil {
		return fmt.Errorf("write SARIF: %w", err)
	}
	return nil
}

// sarifDefaults are properties the SARIF library always writes with the
// value the specification gives them by default; written out they only
// add noise.
var sarifDefaults = map[string]string{
	"language":         `"en-US"`,
	"isComprehensive":  `false`,
	"enabled":          `true`,
	"newlineSequences": `["\r\n","\n"]`,
	"contents":         `["localizedData","nonLocalizedData"]`,
}

// pruneSARIF drops what the library fills in without meaning: -1 for an
// index, rank or offset that is unknown, empty arrays and objects, and
// the defaults above. results stays, even empty: an empty list says the
// run found nothing, which code scanning needs to close alerts.
func pruneSARIF(v any) any {
	switch v := v.(type) {
	case map[string]any:
		for k, child := range v {
			if k == "results" {
				v[k] = pruneSARIF(child)
				continue
			}
			if n, ok := child.(json.Number); ok && n.String() == "-1" {
				delete(v, k)
				continue
			}
			if def, ok := sarifDefaults[k]; ok {
				if b, err := json.Marshal(child); err == nil && string(b) == def {
					delete(v, k)
					continue
				}
			}
			child = pruneSARIF(child)
			if empty(child) {
				delete(v, k)
				continue
			}
			v[k] = child
		}
		return v
	case []any:
		for i := range v {
			v[i] = pruneSARIF(v[i])
		}
		return v
	}
	return v
}

func empty(v any) bool {
	switch v := v.(type) {
	case map[string]any:
		return len(v) == 0
	case []any:
		return len(v) == 0
	}
	return false
}

// sarifText is text from the input as a SARIF plain-text message: control
// characters removed, and brackets escaped since "[text](target)" in a
// message is an embedded link that viewers such as code scanning follow
// (SARIF writes a literal bracket as \[ or \]).
func sarifText(s string) string {
	return strings.NewReplacer("[", `\[`, "]", `\]`).Replace(clean.Line(s))
}

// uriReference escapes a relative slash path into a URI reference (spaces
// and other reserved characters percent-encoded), as SARIF's artifact
// locations must be.
func uriReference(p string) string {
	return (&url.URL{Path: p}).EscapedPath()
}

func addSARIFRule(run *sarif.Run, rule rules.Rule) {
	// Custom rules come from the repository too.
	rule.ID, rule.ShortCode, rule.Title = clean.Line(rule.ID), clean.Line(rule.ShortCode), clean.Line(rule.Title)
	rule.Description, rule.Remediation = clean.Text(rule.Description), clean.Text(rule.Remediation)
	related := make([]string, len(rule.Related))
	for i, u := range rule.Related {
		related[i] = clean.Line(u)
	}
	rule.Related = related
	d := run.AddRule(rule.ID).
		WithName(rule.ShortCode).
		WithShortDescription(sarif.NewMultiformatMessageString().WithText(rule.Title)).
		WithDefaultConfiguration(sarif.NewReportingConfiguration().WithLevel(sarifLevel(rule.Severity)))
	desc := rule.Description
	if desc == "" {
		desc = rule.Title
	}
	d.WithFullDescription(sarif.NewMultiformatMessageString().WithText(desc))
	var text, md strings.Builder
	text.WriteString(desc)
	fmt.Fprintf(&md, "**%s** (%s, %s)\n\n%s", rule.Title, rule.ID, rule.Severity, desc)
	if rule.Remediation != "" {
		fmt.Fprintf(&text, "\n\nRemediation: %s", rule.Remediation)
		fmt.Fprintf(&md, "\n\n**Remediation:** %s", rule.Remediation)
	}
	if len(rule.Related) > 0 {
		text.WriteString("\n\nSee:")
		md.WriteString("\n\nSee:\n")
		for _, u := range rule.Related {
			text.WriteString("\n- " + u)
			fmt.Fprintf(&md, "\n- <%s>", u)
		}
		d.WithHelpURI(rule.Related[0])
	}
	d.WithHelp(sarif.NewMultiformatMessageString().WithText(text.String()).WithMarkdown(md.String()))
	props := sarif.NewPropertyBag().
		Add("security-severity", securitySeverity(rule.Severity)).
		Add("precision", "high").
		Add("severity", string(rule.Severity)).
		WithTags([]string{"security", "aws-lambda", rule.ShortCode})
	d.WithProperties(props)
}

// sarifRegion is a finding's span as a SARIF region: the start line, and
// the columns and end as far as known (SARIF's end column, like a span's,
// is the one just after the last character).
func sarifRegion(sp loc.Span) *sarif.Region {
	region := sarif.NewRegion().WithStartLine(sp.Line)
	if sp.Column > 0 {
		region.WithStartColumn(sp.Column)
	}
	switch {
	case sp.EndLine > sp.Line:
		region.WithEndLine(sp.EndLine)
		if sp.EndColumn > 0 {
			region.WithEndColumn(sp.EndColumn)
		}
	case sp.EndLine == sp.Line && sp.Column > 0 && sp.EndColumn > sp.Column:
		region.WithEndColumn(sp.EndColumn)
	}
	return region
}

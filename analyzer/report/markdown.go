package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/lambdacheck/lambdacheck/analyzer/report/clean"
	"github.com/lambdacheck/lambdacheck/analyzer/rules"
)

// mdEscaper keeps text from the input inert in a pull-request comment: it
// stays inside one table cell ("|"), placeholders like
// <aws_kms_key.k.key_id> show as text instead of vanishing as HTML tags
// ("<", ">", which also disarms <https://…> autolinks), "*" is not
// emphasis, escaped brackets make no [link](…) or ![image](…), a broken
// "://" or "www." is no bare-URL autolink, and a zero-width space after
// "@" keeps a name from mentioning (and notifying) anyone, and one after
// "#" keeps "#123" and "owner/repo#12" from linking an issue. Underscores
// stay: inside words (aws_lambda_function) GitHub does not read them as
// emphasis. "&" is escaped so that no character reference ("&#64;") turns
// back into what was escaped. mdAutolinks then handles what depends on word boundaries.
var mdEscaper = strings.NewReplacer(
	"|", `\|`, "<", "&lt;", ">", "&gt;", "`", "'", "*", `\*`,
	`\`, `\\`, "[", `\[`, "]", `\]`, "@", "@&#8203;", "#", "#&#8203;",
	"://", `:\/\/`, "&", "&amp;",
)

// mdCell is text from the input as one Markdown table cell.
func mdCell(s string) string { return mdAutolinks(mdEscaper.Replace(clean.Line(s))) }

// mdAutolinks disarms the references GitHub links by their shape alone, in
// text already escaped by mdEscaper: a word of 7 to 40 hex digits may be a
// commit SHA (an account ID is one too), so it goes in a code span, where
// it reads the same and copies without hidden characters; "www." in any
// case gets its dot escaped; "GH-12" gets a zero-width space after the
// dash.
func mdAutolinks(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		if !isWordByte(s[i]) {
			b.WriteByte(s[i])
			i++
			continue
		}
		j := i
		for j < len(s) && isWordByte(s[j]) {
			j++
		}
		word, rest := s[i:j], s[j:]
		switch {
		case len(word) >= 7 && len(word) <= 40 && isHex(word):
			b.WriteString("`" + word + "`")
		case strings.EqualFold(word, "www") && strings.HasPrefix(rest, "."):
			b.WriteString(word + `\`)
		case strings.EqualFold(word, "gh") && len(rest) > 1 && rest[0] == '-' && rest[1] >= '0' && rest[1] <= '9':
			b.WriteString(word + "-&#8203;")
			j++
		default:
			b.WriteString(word)
		}
		i = j
	}
	return b.String()
}

// isWordByte reports whether c is an ASCII letter or digit: GitHub links a
// SHA or "www." only where it starts or ends at such a boundary, and
// "_" is a boundary for it.
func isWordByte(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

// mdCode puts s in an inline code span, where GitHub makes no links,
// mentions or HTML; backticks inside are replaced since code spans cannot
// escape them.
func mdCode(s string) string {
	s = clean.Line(s)
	if s == "" {
		return ""
	}
	return "`" + strings.NewReplacer("`", "'", "|", `\|`).Replace(s) + "`"
}

// FindingsMarkdown writes a Markdown report for pull-request comments: a
// headline with the gate result, a table of open findings worst first, the
// remediation of each rule that fired (collapsed), and the waived count.
func FindingsMarkdown(w io.Writer, r *Findings) error {
	var b strings.Builder
	open := r.open()
	failing := rules.Failing(r.Findings, r.Threshold)
	title := "lambdacheck"
	if r.Source != "" {
		title += " · " + mdCode(r.Source)
	}
	switch {
	case len(failing) > 0:
		fmt.Fprintf(&b, "### %s: %d finding(s) fail the gate (--fail-on %s)\n\n", title, len(failing), r.Threshold)
	case len(open) > 0:
		fmt.Fprintf(&b, "### %s: passed with %d finding(s) below --fail-on %s\n\n", title, len(open), r.Threshold)
	default:
		fmt.Fprintf(&b, "### %s: no findings\n\n", title)
	}
	c := r.counts()
	b.WriteString("| Severity | Open |\n|---|---:|\n")
	for _, s := range rules.Severities {
		fmt.Fprintf(&b, "| %s | %d |\n", s, c[s])
	}
	b.WriteString("\n")
	if len(open) > 0 {
		b.WriteString("| Severity | Rule | Where | Resource | Finding |\n|---|---|---|---|---|\n")
		for _, f := range open {
			sev := string(f.Severity)
			if r.Threshold.Fails(f.Severity) {
				sev = "**" + sev + "**"
			}
			fmt.Fprintf(&b, "| %s | %s %s | %s | %s | %s |\n",
				sev, mdCell(f.Rule), mdCell(f.ShortCode), mdCode(r.Where(f)), mdCode(f.Address), mdCell(f.Message))
		}
		b.WriteString("\n")
		seen := map[string]bool{}
		b.WriteString("<details><summary>How to fix</summary>\n\n")
		for _, f := range open {
			if seen[f.Rule] {
				continue
			}
			seen[f.Rule] = true
			fmt.Fprintf(&b, "- **%s %s** — %s", mdCell(f.Rule), mdCell(f.Title), mdCell(f.Remediation))
			b.WriteString("\n")
		}
		b.WriteString("\n</details>\n\n")
	}
	if sup := r.suppressed(); len(sup) > 0 {
		kinds := map[string]int{}
		for _, f := range sup {
			kinds[f.Suppressed.Kind]++
		}
		var parts []string
		for _, k := range []string{"inline", "config", "baseline"} {
			if kinds[k] > 0 {
				parts = append(parts, fmt.Sprintf("%d %s", kinds[k], k))
			}
		}
		fmt.Fprintf(&b, "%d finding(s) waived or baselined (%s).\n", len(sup), strings.Join(parts, ", "))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

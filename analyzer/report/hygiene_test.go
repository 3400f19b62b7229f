package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/lambdacheck/lambdacheck/analyzer/loc"
	"github.com/lambdacheck/lambdacheck/analyzer/rules"
)

// hostileReport is a report whose every input-derived text tries to act on
// the reader: terminal escapes (colour, OSC 8 link, title), a bidi
// override, Markdown links, images, HTML, autolinks and mentions.
func hostileReport(t *testing.T) *Findings {
	t.Helper()
	th, err := rules.ParseThreshold("low")
	if err != nil {
		t.Fatal(err)
	}
	const esc = "\x1b[31m\x1b]8;;https://evil.example/\x07click\x1b]8;;\x07\x1b]0;title\x1b\\"
	addr := "aws_lambda_function.f" + esc + "\u202e"
	msg := "<var.prefix>-fn " + esc + " [here](https://evil.example) ![img](https://evil.example/i.png) <img src=x onerror=alert(1)> <https://evil.example> https://evil.example www.evil.example @octocat #123\rforged"
	return &Findings{Threshold: th, Rules: []rules.Rule{{ID: "LC004", ShortCode: "public-invoke", Severity: rules.Critical, Title: "Public [x](https://evil.example)"}},
		Findings: []rules.Finding{
			{Rule: "LC004", ShortCode: "public-invoke", Severity: rules.Critical, Title: "Public invoke", Message: msg, Address: addr,
				Span: loc.At("main.tf", 3), Flows: []string{"reach/" + addr}, Remediation: "fix " + esc, Fingerprint: "f"},
			{Rule: "LC004", ShortCode: "public-invoke", Severity: rules.Critical, Title: "Public invoke", Message: msg, Address: addr,
				Span: loc.At("main.tf", 4), Flows: []string{}, Fingerprint: "g",
				Suppressed: &rules.Suppression{Kind: "config", Reason: "ok " + esc + " @octocat"}},
		}}
}

func TestInputTextIsInertInEveryFormat(t *testing.T) {
	formats := []struct {
		name  string
		write func(*bytes.Buffer, *Findings) error
	}{
		{"table", func(b *bytes.Buffer, r *Findings) error { return FindingsTable(b, r) }},
		{"markdown", func(b *bytes.Buffer, r *Findings) error { return FindingsMarkdown(b, r) }},
		{"sarif", func(b *bytes.Buffer, r *Findings) error { return FindingsSARIF(b, r) }},
		{"junit", func(b *bytes.Buffer, r *Findings) error { return FindingsJUnit(b, r) }},
		{"codequality", func(b *bytes.Buffer, r *Findings) error { return FindingsCodeQuality(b, r) }},
		{"gitlab-sast", func(b *bytes.Buffer, r *Findings) error { return FindingsGitLabSAST(b, r) }},
	}
	for _, f := range formats {
		t.Run(f.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := f.write(&b, hostileReport(t)); err != nil {
				t.Fatal(err)
			}
			out := b.String()
			if f.name == "sarif" || f.name == "codequality" || f.name == "gitlab-sast" {
				// JSON escapes controls as \u001b: look at the decoded strings.
				var v any
				if err := json.Unmarshal(b.Bytes(), &v); err != nil {
					t.Fatal(err)
				}
				out = strings.Join(jsonStrings(v, nil), "\n")
			}
			for _, bad := range []string{"\x1b", "\r", "\a", "\u202e", "\u009b", "evil.example/\x07", "title"} {
				if strings.Contains(out, bad) {
					t.Errorf("%s output keeps %q:\n%s", f.name, bad, out)
				}
			}
			if !strings.Contains(out, "click") {
				t.Errorf("%s output lost the visible text of the link:\n%s", f.name, out)
			}
		})
	}
}

func jsonStrings(v any, out []string) []string {
	switch v := v.(type) {
	case string:
		if v != "\r\n" { // the run's newlineSequences, not input
			out = append(out, v)
		}
	case []any:
		for _, e := range v {
			out = jsonStrings(e, out)
		}
	case map[string]any:
		for k, e := range v {
			out = jsonStrings(e, append(out, k))
		}
	}
	return out
}

// In a pull-request comment no text from the input becomes a link, an
// image, HTML or a mention, symbols stay visible, and the tables keep
// their shape.
func TestMarkdownNeutralisesInputMarkup(t *testing.T) {
	var b bytes.Buffer
	if err := FindingsMarkdown(&b, hostileReport(t)); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, bad := range []string{"<img", "<https", "https://", "www.evil", "@octocat", "#123", "<var.prefix>"} {
		if strings.Contains(out, bad) {
			t.Errorf("markdown keeps %q:\n%s", bad, out)
		}
	}
	if i := strings.Index(out, "]("); i >= 0 && out[i-1] != '\\' {
		t.Errorf("markdown keeps a link target at %d:\n%s", i, out)
	}
	for _, want := range []string{`\[here\]`, `!\[img\]`, "&lt;img src=x", "&lt;var.prefix&gt;-fn", "@&#8203;octocat", "#&#8203;123", `https:\/\/evil.example`, `www\.evil.example`} {
		if !strings.Contains(out, want) {
			t.Errorf("markdown lacks %q:\n%s", want, out)
		}
	}
	// Every finding row has the table's five cells: nothing from the input
	// adds a column or a line.
	rows := 0
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "| **critical") {
			rows++
			if n := strings.Count(strings.ReplaceAll(line, `\|`, ""), "|"); n != 6 {
				t.Errorf("row has %d cell separators, want 6: %s", n, line)
			}
		}
	}
	if rows != 1 {
		t.Errorf("%d critical finding rows, want 1:\n%s", rows, out)
	}
}

// SARIF messages are plain text where "[text](target)" is an embedded link.
func TestSARIFMessageHasNoEmbeddedLink(t *testing.T) {
	var b bytes.Buffer
	if err := FindingsSARIF(&b, hostileReport(t)); err != nil {
		t.Fatal(err)
	}
	var log struct {
		Runs []struct {
			Results []struct {
				Message struct{ Text string } `json:"message"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(b.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	msg := log.Runs[0].Results[0].Message.Text
	if !strings.Contains(msg, `\[here\](https://evil.example)`) || strings.Contains(msg, " [here]") {
		t.Fatalf("message = %q, want the brackets escaped", msg)
	}
}

// Every table (simulate, inventory, collect, rules) goes through Table.
func TestTableStripsControls(t *testing.T) {
	var b bytes.Buffer
	if err := Table(&b, []string{"NAME"}, [][]string{{"fn\x1b]0;t\x07\x1b[2J-\u202eok\x00"}}); err != nil {
		t.Fatal(err)
	}
	if out := b.String(); strings.ContainsAny(out, "\x1b\x07\x00\u202e") || !strings.Contains(out, "fn-ok") {
		t.Fatalf("table = %q", out)
	}
}

// References GitHub links by their shape alone stay text in a cell.
func TestMarkdownDisarmsShapeAutolinks(t *testing.T) {
	cases := []struct{ in, want string }{
		{"fixed in 1a2b3c4d", "fixed in `1a2b3c4d`"},
		{"full da39a3ee5e6b4b0d3255bfef95601890afd80709.", "full `da39a3ee5e6b4b0d3255bfef95601890afd80709`."},
		{"account 123456789012 trusts", "account `123456789012` trusts"},
		{"arn:aws:iam::123456789012:role/r", "arn:aws:iam::`123456789012`:role/r"},
		{"f_abcdef01", "f_`abcdef01`"},
		// Too short, too long, or not hex: no SHA.
		{"abc1234 x", "`abc1234` x"},
		{"abc123 deadbeefz", "abc123 deadbeefz"},
		{strings.Repeat("a", 41), strings.Repeat("a", 41)},
		{"see owner/repo#12", "see owner/repo#&#8203;12"},
		{"owner/repo@1a2b3c4d", "owner/repo@&#8203;`1a2b3c4d`"},
		{"Www.evil.example wWW.x", `Www\.evil.example wWW\.x`},
		{"HTTPS://evil.example", `HTTPS:\/\/evil.example`},
		{"GH-12 and gh-7 but gh-x", "GH-&#8203;12 and gh-&#8203;7 but gh-x"},
		{"&#64;octocat &#35;12", "&amp;#&#8203;64;octocat &amp;#&#8203;35;12"},
		{"aws_lambda_function.f", "aws_lambda_function.f"},
	}
	for _, c := range cases {
		if got := mdCell(c.in); got != c.want {
			t.Errorf("mdCell(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// Whatever the input, a cell keeps no shape GitHub links on its own
// outside code spans, and stays on one line in one cell.
func FuzzMarkdownCell(f *testing.F) {
	for _, s := range []string{"1a2b3c4d", "owner/repo#12", "www.x", "https://x", "GH-1", "&#64;a", "a|b\nc", "`1234567`"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := mdCell(s)
		if strings.ContainsAny(out, "\n\r") || strings.Count(strings.ReplaceAll(out, `\|`, ""), "|") != 0 {
			t.Fatalf("mdCell(%q) = %q breaks the cell", s, out)
		}
		lower := " " + strings.ToLower(out)
		for _, bad := range []string{"://", " www.", "&#64;"} {
			if strings.Contains(lower, bad) {
				t.Fatalf("mdCell(%q) = %q keeps %q", s, out, bad)
			}
		}
		// Outside code spans (the odd-numbered parts between backticks),
		// no word is a 7–40 digit hex run.
		for i, part := range strings.Split(out, "`") {
			if i%2 == 1 {
				continue
			}
			for _, w := range strings.FieldsFunc(part, func(r rune) bool { return r > 0x7f || !isWordByte(byte(r)) }) {
				if len(w) >= 7 && len(w) <= 40 && isHex(w) {
					t.Fatalf("mdCell(%q) = %q keeps %q outside a code span", s, out, w)
				}
			}
		}
	})
}

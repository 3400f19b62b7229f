package config

import (
	"bytes"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// WaiverMarker starts an inline waiver in an HCL comment:
//
//	# lambdacheck:ignore:LC004 public status page, reviewed in SEC-88
//	resource "aws_lambda_permission" "status" { … }
//
// Several ids may be given comma-separated; ids or short codes both work.
const WaiverMarker = "lambdacheck:ignore:"

// Waiver is one lambdacheck:ignore comment and the top-level block it
// belongs to: written in the comment lines just above the block or
// anywhere inside it. The rules stage applies it to findings located in
// the block; the loader only records it, while it parses.
type Waiver struct {
	Rules  []string
	Reason string
	// File and Line locate the comment; BlockStart and BlockEnd are the
	// block's lines, inclusive.
	File                 string
	Line                 int
	BlockStart, BlockEnd int
}

// ParseWaiverComment reads a comment token's text (with its #, // or /* */
// markers). ok is false when the comment is not a waiver.
func ParseWaiverComment(text string) (w Waiver, ok bool) {
	t := strings.TrimSpace(text)
	switch {
	case strings.HasPrefix(t, "#"):
		t = t[1:]
	case strings.HasPrefix(t, "//"):
		t = t[2:]
	case strings.HasPrefix(t, "/*"):
		t = strings.TrimSuffix(t[2:], "*/")
	default:
		return w, false
	}
	t = strings.TrimSpace(t)
	rest, found := strings.CutPrefix(t, WaiverMarker)
	if !found {
		return w, false
	}
	ids, reason, _ := strings.Cut(rest, " ")
	if i := strings.IndexAny(ids, "\t"); i >= 0 {
		ids, reason = ids[:i], ids[i+1:]+" "+reason
	}
	for _, id := range strings.Split(ids, ",") {
		if id = strings.TrimSpace(id); id != "" {
			w.Rules = append(w.Rules, id)
		}
	}
	if len(w.Rules) == 0 {
		return Waiver{}, false
	}
	w.Reason = strings.Join(strings.Fields(reason), " ")
	return w, true
}

// scanWaivers finds the waivers of every top-level block of a parsed
// native-syntax file. Most files carry none: only those whose text has the
// marker are lexed for comments. A file that did not parse yields none
// (its errors are reported as diagnostics).
func scanWaivers(name string, src []byte, file *hcl.File) []Waiver {
	if file == nil || !bytes.Contains(src, []byte(WaiverMarker)) {
		return nil
	}
	body, ok := file.Body.(*hclsyntax.Body)
	if !ok {
		return nil
	}
	tokens, diags := hclsyntax.LexConfig(src, name, hcl.InitialPos)
	if diags.HasErrors() {
		return nil
	}
	type comment struct {
		line, endLine int
		w             Waiver
		isWaiver      bool
	}
	var comments []comment
	for _, t := range tokens {
		if t.Type != hclsyntax.TokenComment {
			continue
		}
		c := comment{line: t.Range.Start.Line, endLine: t.Range.End.Line}
		// Line comments include their newline, which ends on the next line.
		if t.Range.End.Column == 1 && c.endLine > c.line {
			c.endLine--
		}
		c.w, c.isWaiver = ParseWaiverComment(string(t.Bytes))
		c.w.File, c.w.Line = name, c.line
		comments = append(comments, c)
	}
	var out []Waiver
	for _, b := range body.Blocks {
		r := b.Range()
		var ws []Waiver
		// Comments directly above: walk up while the previous comment ends
		// on the line just before.
		want := r.Start.Line - 1
		for i := len(comments) - 1; i >= 0; i-- {
			c := comments[i]
			if c.line >= r.Start.Line {
				continue
			}
			if c.endLine != want {
				if c.endLine < want {
					break
				}
				continue
			}
			if c.isWaiver {
				ws = append(ws, c.w)
			}
			want = c.line - 1
		}
		for _, c := range comments {
			if c.line >= r.Start.Line && c.line <= r.End.Line && c.isWaiver {
				ws = append(ws, c.w)
			}
		}
		sort.Slice(ws, func(i, j int) bool { return ws[i].Line < ws[j].Line })
		for i := range ws {
			ws[i].BlockStart, ws[i].BlockEnd = r.Start.Line, r.End.Line
		}
		out = append(out, ws...)
	}
	return out
}

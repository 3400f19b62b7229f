package rules

import (
	"bytes"
	"fmt"
	"github.com/lambdacheck/lambdacheck/analyzer/confine"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// waiverMarker starts an inline waiver in an HCL comment:
//
//	# lambdacheck:ignore:LC004 public status page, reviewed in SEC-88
//	resource "aws_lambda_permission" "status" { … }
//
// Several ids may be given comma-separated; ids or short codes both work.
const waiverMarker = "lambdacheck:ignore:"

// InlineWaiver is one lambdacheck:ignore comment.
type InlineWaiver struct {
	Rules  []string
	Reason string
	Line   int
}

// blockWaivers are the waivers of one top-level block: written in the
// comment lines just above it or anywhere inside it.
type blockWaivers struct {
	start, end int // the block's lines, inclusive
	waivers    []InlineWaiver
}

// parseWaiverComment reads a comment token's text (with its #, // or /* */
// markers). ok is false when the comment is not a waiver.
func parseWaiverComment(text string) (w InlineWaiver, ok bool) {
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
	rest, found := strings.CutPrefix(t, waiverMarker)
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
		return InlineWaiver{}, false
	}
	w.Reason = strings.Join(strings.Fields(reason), " ")
	return w, true
}

// scanWaivers finds the waivers of every top-level block of an HCL file.
// A file that does not parse yields none (the loader reports its errors).
func scanWaivers(name string, src []byte) []blockWaivers {
	file, diags := hclsyntax.ParseConfig(src, name, hcl.InitialPos)
	if diags.HasErrors() {
		return nil
	}
	body, ok := file.Body.(*hclsyntax.Body)
	if !ok {
		return nil
	}
	tokens, _ := hclsyntax.LexConfig(src, name, hcl.InitialPos)
	type comment struct {
		line, endLine int
		w             InlineWaiver
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
		c.w, c.isWaiver = parseWaiverComment(string(t.Bytes))
		c.w.Line = c.line
		comments = append(comments, c)
	}
	blocks := make([]blockWaivers, 0, len(body.Blocks))
	for _, b := range body.Blocks {
		r := b.Range()
		bw := blockWaivers{start: r.Start.Line, end: r.End.Line}
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
				bw.waivers = append(bw.waivers, c.w)
			}
			want = c.line - 1
		}
		for _, c := range comments {
			if c.line >= r.Start.Line && c.line <= r.End.Line && c.isWaiver {
				bw.waivers = append(bw.waivers, c.w)
			}
		}
		sort.Slice(bw.waivers, func(i, j int) bool { return bw.waivers[i].Line < bw.waivers[j].Line })
		blocks = append(blocks, bw)
	}
	return blocks
}

// ApplyInline marks findings located in an HCL block that carries a
// lambdacheck:ignore comment for their rule as suppressed (kind "inline").
// root is the directory finding files are relative to (the Terraform
// directory); files that cannot be read (snapshots, live sources) are
// skipped. A waiver without a reason does not apply and gives a warning.
func ApplyInline(fs []Finding, root string) (warnings []string) {
	cache := map[string][]blockWaivers{}
	warned := map[string]bool{}
	for i := range fs {
		f := &fs[i]
		if f.Suppressed != nil || f.File == "" || f.Line == 0 || !strings.HasSuffix(f.File, ".tf") {
			continue
		}
		blocks, seen := cache[f.File]
		if !seen {
			src, err := confine.ReadInput(filepath.Join(root, filepath.FromSlash(f.File)))
			// Most files carry no waiver; only those that do are parsed.
			if err == nil && bytes.Contains(src, []byte(waiverMarker)) {
				blocks = scanWaivers(f.File, src)
			}
			cache[f.File] = blocks
		}
		for _, b := range blocks {
			if f.Line < b.start || f.Line > b.end {
				continue
			}
			for _, w := range b.waivers {
				if !waives(w, *f) {
					continue
				}
				where := fmt.Sprintf("%s:%d", f.File, w.Line)
				if w.Reason == "" {
					if !warned[where] {
						warned[where] = true
						warnings = append(warnings, fmt.Sprintf("%s: lambdacheck:ignore without a reason is not applied; say why the finding is accepted", where))
					}
					continue
				}
				f.Suppressed = &Suppression{Kind: "inline", Reason: w.Reason, Where: where}
				break
			}
			break
		}
	}
	return warnings
}

func waives(w InlineWaiver, f Finding) bool {
	for _, id := range w.Rules {
		if id == f.Rule || id == f.ShortCode {
			return true
		}
	}
	return false
}

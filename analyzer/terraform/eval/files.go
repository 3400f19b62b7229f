package eval

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/lambdacheck/lambdacheck/analyzer/confine"
	"github.com/lambdacheck/lambdacheck/analyzer/terraform/funcs"
	"github.com/lambdacheck/lambdacheck/analyzer/terraform/reason"
)

// fileRead is a file a file function read: its name as written and the
// start of its content, enough to recognise the content quoted in an error
// message without keeping whole files.
type fileRead struct {
	name  string
	probe string
}

const probeLen = 24

func (e *evaluator) fileRead(name string, content []byte) {
	p := strings.TrimSpace(string(content[:min(len(content), 4*probeLen)]))
	if len(p) > probeLen {
		p = p[:probeLen]
	}
	for len(p) > 0 && !utf8.ValidString(p) {
		p = p[:len(p)-1]
	}
	e.reads = append(e.reads, fileRead{name: name, probe: p})
}

// unreadable takes out of diags the errors of file functions whose file is
// not read: one that does not exist, or one outside the scan root. A
// missing file is typically a build artifact created before terraform
// apply (source_code_hash = filebase64sha256 of the zip), so the
// expression's value is unknown for that reason, at the call, and the
// configuration is not in error. A file outside the root is not read, so
// its value is unknown too. Each path gets one warning. Errors caught
// inside try() and can() never get here, so their fallbacks still apply as
// in Terraform.
func (e *evaluator) unreadable(v cty.Value, diags hcl.Diagnostics) (cty.Value, hcl.Diagnostics) {
	var marks []reason.Mark
	kept := diags[:0:0]
	for _, d := range diags {
		extra, ok := hcl.DiagnosticExtra[hclsyntax.FunctionCallDiagExtra](d)
		if d.Severity != hcl.DiagError || !ok {
			kept = append(kept, d)
			continue
		}
		var rng hcl.Range
		if d.Subject != nil {
			rng = *d.Subject
		}
		var mf *funcs.MissingFileError
		var out *confine.OutsideError
		var text, key, detail, summary string
		switch err := extra.FunctionCallError(); {
		case errors.As(err, &mf):
			text = fmt.Sprintf("file %s does not exist (a build artifact created before apply?)", mf.Rel)
			key, summary = "missing "+mf.Rel, "Missing file"
			detail = text + "; what is read from it is unknown. Create it (run the build) before lambdacheck to have those values resolved."
		case errors.As(err, &out):
			text = fmt.Sprintf("file %s is outside the scan root and is not read", out.Path)
			key, summary = "outside "+out.Path, "Outside the scan root"
			detail = text + "; what is read from it is unknown. --root sets the root; --allow-read-outside-root lifts this."
		default:
			kept = append(kept, d)
			continue
		}
		marks = append(marks, reason.Mark{Text: text, File: rng.Filename, Line: rng.Start.Line})
		if !e.missing[key] {
			e.missing[key] = true
			kept = append(kept, &hcl.Diagnostic{Severity: hcl.DiagWarning, Summary: summary, Detail: detail, Subject: rng.Ptr()})
		}
	}
	if len(marks) == 0 {
		return v, diags
	}
	ty := cty.DynamicPseudoType
	if v != cty.NilVal {
		ty = v.Type()
	}
	out := cty.UnknownVal(ty)
	for _, m := range marks {
		out = out.Mark(m)
	}
	return out, kept
}

// withoutContents keeps the content of files read by file functions out
// of diagnostics: an error of an expression that read a file (since
// e.reads[from]), or whose message quotes the start of any file read, gets
// a detail naming the files instead. tonumber(file("x")) would otherwise
// print the whole file in "cannot convert ... to number".
func (e *evaluator) withoutContents(diags hcl.Diagnostics, from int) hcl.Diagnostics {
	if len(e.reads) == 0 || len(diags) == 0 {
		return diags
	}
	out := make(hcl.Diagnostics, len(diags))
	for i, d := range diags {
		out[i] = d
		names := map[string]bool{}
		for _, r := range e.reads[from:] {
			names[r.name] = true
		}
		quoted := false
		for _, r := range e.reads {
			if r.probe != "" && quotes(d.Summary+"\n"+d.Detail, r.probe) {
				names[r.name], quoted = true, true
			}
		}
		if len(names) == 0 || d.Severity != hcl.DiagError {
			continue
		}
		if strings.Contains(d.Detail, "lambdacheck's limit") && !quoted {
			// A budget lambdacheck enforces names its limit, never content.
			continue
		}
		list := make([]string, 0, len(names))
		for n := range names {
			list = append(list, n)
		}
		sort.Strings(list)
		c := *d
		c.Summary = "Invalid use of file content"
		c.Detail = fmt.Sprintf("This expression fails on a value read from %s; the error is not shown because it may quote the file's content.", strings.Join(list, ", "))
		c.Expression, c.EvalContext, c.Extra = nil, nil, nil
		out[i] = &c
	}
	return out
}

func quotes(msg, probe string) bool {
	if strings.Contains(msg, probe) {
		return true
	}
	q := strconv.Quote(probe)
	return strings.Contains(msg, q[1:len(q)-1])
}

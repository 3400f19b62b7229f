package eval

import (
	"errors"
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/lambdacheck/lambdacheck/analyzer/terraform/funcs"
	"github.com/lambdacheck/lambdacheck/analyzer/terraform/reason"
)

// missingFiles takes out of diags the errors of file functions that read a
// file that does not exist. Such a file is typically a build artifact
// created before terraform apply (source_code_hash = filebase64sha256 of
// the zip), so the expression's value is unknown for that reason, at the
// call, and the configuration is not in error: each missing file gets one
// warning. Errors caught inside try() and can() never get here, so their
// fallbacks still apply as in Terraform.
func (e *evaluator) missingFiles(v cty.Value, diags hcl.Diagnostics) (cty.Value, hcl.Diagnostics) {
	var marks []reason.Mark
	kept := diags[:0:0]
	for _, d := range diags {
		var mf *funcs.MissingFileError
		extra, ok := hcl.DiagnosticExtra[hclsyntax.FunctionCallDiagExtra](d)
		if d.Severity != hcl.DiagError || !ok || !errors.As(extra.FunctionCallError(), &mf) {
			kept = append(kept, d)
			continue
		}
		var rng hcl.Range
		if d.Subject != nil {
			rng = *d.Subject
		}
		text := fmt.Sprintf("file %s does not exist (a build artifact created before apply?)", mf.Rel)
		marks = append(marks, reason.Mark{Text: text, File: rng.Filename, Line: rng.Start.Line})
		if !e.missing[mf.Rel] {
			e.missing[mf.Rel] = true
			kept = append(kept, &hcl.Diagnostic{Severity: hcl.DiagWarning, Summary: "Missing file",
				Detail:  text + "; what is read from it is unknown. Create it (run the build) before lambdacheck to have those values resolved.",
				Subject: rng.Ptr()})
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

package eval

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/lambdacheck/lambdacheck/analyzer/hclnesting"
	"github.com/lambdacheck/lambdacheck/analyzer/terraform/config"
	"github.com/lambdacheck/lambdacheck/analyzer/terraform/reason"
)

// rootValue is a root variable value and where it was set.
type rootValue struct {
	val cty.Value
	rng hcl.Range
}

// rootVars gathers root module variable values from every source Terraform
// reads, later sources winning: TF_VAR_ environment variables,
// terraform.tfvars, terraform.tfvars.json, *.auto.tfvars(.json) in lexical
// order, then --var and --var-file in command-line order.
func (e *evaluator) rootVars(root *ModuleInstance) {
	e.rootValues = map[string]rootValue{}
	if root.Config == nil {
		return
	}
	decl := root.Config.Variables
	envNames := make([]string, 0)
	for k := range e.env {
		if strings.HasPrefix(k, "TF_VAR_") {
			envNames = append(envNames, k)
		}
	}
	sort.Strings(envNames)
	for _, k := range envNames {
		name := strings.TrimPrefix(k, "TF_VAR_")
		v, ok := decl[name]
		if !ok {
			continue // Terraform ignores TF_VAR_ for undeclared variables
		}
		rng := hcl.Range{Filename: "environment variable " + k}
		if val, ok := e.parseRaw(v, e.env[k], rng); ok {
			e.rootValues[name] = rootValue{val, rng}
		}
	}
	files := []string{}
	for _, n := range []string{"terraform.tfvars", "terraform.tfvars.json"} {
		if _, err := os.Stat(filepath.Join(e.dir, n)); err == nil {
			files = append(files, n)
		}
	}
	if entries, err := os.ReadDir(e.dir); err == nil {
		var auto []string
		for _, en := range entries {
			n := en.Name()
			if !en.IsDir() && (strings.HasSuffix(n, ".auto.tfvars") || strings.HasSuffix(n, ".auto.tfvars.json")) {
				auto = append(auto, n)
			}
		}
		sort.Strings(auto)
		files = append(files, auto...)
	}
	for _, f := range files {
		e.varFile(decl, filepath.Join(e.dir, f), f, false)
	}
	for _, a := range e.opts.Vars {
		if a.File != "" {
			e.varFile(decl, a.File, a.File, true)
			continue
		}
		rng := hcl.Range{Filename: "--var " + a.Name}
		v, ok := decl[a.Name]
		if !ok {
			e.diags = append(e.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Value for undeclared variable",
				Detail: fmt.Sprintf("A variable named %q was assigned on the command line, but the root module does not declare a variable of that name.", a.Name), Subject: &rng})
			continue
		}
		if val, ok := e.parseRaw(v, a.Value, rng); ok {
			e.rootValues[a.Name] = rootValue{val, rng}
		}
	}
}

// UnsetVariable is a root module variable that nothing gives a value.
type UnsetVariable struct {
	Name  string
	Range hcl.Range
}

// unsetSummary is the one warning for every root variable without a value:
// they never fail a run (unless StrictVars), since their symbols still link
// resources, and the flows that depend on them say so.
func (e *evaluator) unsetSummary() {
	if len(e.unset) == 0 || e.opts.StrictVars {
		return
	}
	sort.Slice(e.unset, func(i, j int) bool { return e.unset[i].Name < e.unset[j].Name })
	names := make([]string, len(e.unset))
	for i, u := range e.unset {
		names[i] = "var." + u.Name
	}
	first := e.unset[0].Range
	e.diags = append(e.diags, &hcl.Diagnostic{Severity: hcl.DiagWarning, Summary: "Variables without values",
		Detail: fmt.Sprintf("needs values: %s. Values derived from them are symbols such as <%s>: they still link resources by reference, and flows that depend on them are unknown. Set them with --var, --var-file, a .tfvars file or TF_VAR_<name>; --strict-vars makes this an error.",
			strings.Join(names, ", "), names[0]), Subject: &first})
}

// parseRaw reads a command-line or environment value: literally for
// primitive or unconstrained types, as an HCL expression otherwise.
func (e *evaluator) parseRaw(v *config.Variable, raw string, rng hcl.Range) (cty.Value, bool) {
	if !v.HasType || v.Type.IsPrimitiveType() {
		return cty.StringVal(raw), true
	}
	// Environment values (TF_VAR_*) may come from a CI configuration the
	// change edits: nested deeper than the parser recurses, one is an
	// error, not a crash.
	if diags := hclnesting.Check([]byte("x = "+raw), rng.Filename); diags.HasErrors() {
		e.diags = append(e.diags, diags...)
		return cty.NilVal, false
	}
	expr, diags := hclsyntax.ParseExpression([]byte(raw), rng.Filename, hcl.InitialPos)
	if diags.HasErrors() {
		e.diags = append(e.diags, diags...)
		return cty.NilVal, false
	}
	val, diags := expr.Value(nil)
	if diags.HasErrors() {
		e.diags = append(e.diags, diags...)
		return cty.NilVal, false
	}
	return val, true
}

func (e *evaluator) varFile(decl map[string]*config.Variable, path, name string, explicit bool) {
	if !filepath.IsAbs(path) && explicit {
		// --var-file paths are relative to where the command runs.
		if abs, err := filepath.Abs(path); err == nil {
			path = abs
		}
	}
	// A file named on the command line is the user's own and may be
	// anywhere; the ones found in the directory come with the change.
	root := e.opts.Root
	if explicit {
		root = nil
	}
	src, err := root.ReadFile(path)
	if err != nil {
		e.diags = append(e.diags, config.ReadDiagnostic(err, "variables file", name))
		return
	}
	file, diags := config.ParseFile(src, name)
	e.diags = append(e.diags, diags...)
	if file == nil || file.Body == nil {
		return
	}
	attrs, diags := file.Body.JustAttributes()
	e.diags = append(e.diags, diags...)
	for _, a := range attrs {
		if _, ok := decl[a.Name]; !ok {
			sev := hcl.DiagWarning
			if explicit {
				sev = hcl.DiagError
			}
			e.diags = append(e.diags, &hcl.Diagnostic{Severity: sev, Summary: "Value for undeclared variable",
				Detail: fmt.Sprintf("The root module does not declare a variable named %q but a value was found in file %q.", a.Name, name), Subject: a.NameRange.Ptr()})
			continue
		}
		val, d := a.Expr.Value(nil)
		if d.HasErrors() {
			e.diags = append(e.diags, d...)
			continue
		}
		e.rootValues[a.Name] = rootValue{val, a.Expr.Range()}
	}
}

func (e *evaluator) rootVariable(_ *ModuleInstance, v *config.Variable) cty.Value {
	if rv, ok := e.rootValues[v.Name]; ok {
		if rv.val.IsNull() && !v.Nullable && v.Default != cty.NilVal {
			return v.Default
		}
		return e.convertVar(v, rv.val, rv.rng)
	}
	if v.Default != cty.NilVal {
		return v.Default
	}
	if e.opts.StrictVars {
		e.diags = append(e.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "No value for required variable",
			Detail: fmt.Sprintf("The root module input variable %q is not set, and has no default value. Use a -var or -var-file command line argument to provide a value for this variable.", v.Name), Subject: v.Range.Ptr()})
	}
	e.unset = append(e.unset, UnsetVariable{Name: v.Name, Range: v.Range})
	return reason.Symbolic(v.Type, "var."+v.Name, fmt.Sprintf("var.%s has no value: set it with --var, --var-file, a .tfvars file or TF_VAR_%s", v.Name, v.Name), v.Range)
}

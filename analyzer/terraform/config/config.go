// Package config parses the files of one Terraform module directory into its
// declarations — variables, locals, outputs, providers, module calls,
// resources and data sources — keeping their HCL bodies and expressions
// unevaluated.
//
// Pipeline place: the first step of the Terraform source. The evaluator
// (package eval) instantiates these declarations into a module tree and
// evaluates them; nothing here evaluates references.
package config

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"

	"github.com/lambdacheck/lambdacheck/analyzer/confine"
)

// MaxFileSize bounds the size of one configuration file; larger files are
// reported and skipped rather than read into memory.
const MaxFileSize = confine.MaxFileSize

// Module is the parsed content of one module directory.
type Module struct {
	// Dir is the directory as given to Load; Rel is its path relative to
	// the root module, used in file names of diagnostics and origins.
	Dir string
	Rel string

	Variables   map[string]*Variable
	Locals      map[string]*Local
	Outputs     map[string]*Output
	ModuleCalls map[string]*ModuleCall
	// Providers is keyed by "aws" or "aws.alias".
	Providers map[string]*Provider
	// Resources holds managed resources and data sources in file order.
	Resources []*Resource
	// Files lists the files read, relative to the root module.
	Files []string
	// Waivers are the lambdacheck:ignore comments of its files, in file
	// and line order.
	Waivers []Waiver

	// blocks keeps each declared block as written, by blockKey, for
	// override files to merge into.
	blocks map[string]*hcl.Block
	// resourceByKey finds a declared resource by Key, for duplicates.
	resourceByKey map[string]*Resource
}

// Variable is a variable block.
type Variable struct {
	Name     string
	Type     cty.Type // cty.DynamicPseudoType when no constraint is given
	Defaults *typeexpr.Defaults
	// HasType is false when the block has no type argument; values given
	// on the command line are then taken literally as strings.
	HasType  bool
	Default  cty.Value // cty.NilVal when no default
	Nullable bool
	Range    hcl.Range
}

// Local is one entry of a locals block.
type Local struct {
	Name  string
	Expr  hcl.Expression
	Range hcl.Range
}

// Output is an output block.
type Output struct {
	Name  string
	Expr  hcl.Expression
	Range hcl.Range
}

// ModuleCall is a module block.
type ModuleCall struct {
	Name    string
	Source  string
	Version string
	Count   hcl.Expression
	ForEach hcl.Expression
	// Providers maps the child's provider names ("aws", "aws.x") to the
	// parent's ("aws.east").
	Providers map[string]string
	// Args holds the input variable arguments.
	Args  map[string]*hcl.Attribute
	Range hcl.Range
}

// Provider is a provider configuration block.
type Provider struct {
	Name  string
	Alias string
	Body  hcl.Body
	Range hcl.Range
}

// Mode tells managed resources from data sources.
type Mode int

// Resource modes.
const (
	Managed Mode = iota
	Data
)

// Resource is a resource or data block.
type Resource struct {
	Mode    Mode
	Type    string
	Name    string
	Count   hcl.Expression
	ForEach hcl.Expression
	// Provider is the provider configuration key ("aws", "aws.east").
	Provider string
	// Body is the resource body without its meta-arguments; nil once
	// Release dropped it.
	Body  hcl.Body
	Range hcl.Range

	// What Release keeps of Body.
	released bool
	end      hcl.Pos
	args     []argPos
	kept     map[string][]hcl.Traversal
}

// argPos is where a top-level argument starts.
type argPos struct {
	name, file string
	pos        hcl.Pos
}

// Release drops the resource's syntax tree, keeping what is asked of it
// after evaluation: the start of each top-level argument, the block's end,
// and the references of the arguments named in keep. The syntax
// trees are most of a large configuration's memory and an evaluated
// resource no longer needs them; the caller must not evaluate Body again.
func (r *Resource) Release(keep []string) {
	if r.released {
		return
	}
	r.end = r.End()
	if sb, ok := r.Body.(*hclsyntax.Body); ok {
		r.args = make([]argPos, 0, len(sb.Attributes))
		for name, a := range sb.Attributes {
			r.args = append(r.args, argPos{name: name, file: a.SrcRange.Filename, pos: a.SrcRange.Start})
		}
	}
	for _, name := range keep {
		if t := r.Traversals(name); t != nil {
			if r.kept == nil {
				r.kept = map[string][]hcl.Traversal{}
			}
			r.kept[name] = t
		}
	}
	r.Body = nil
	r.released = true
}

// End is where the block ends, just after its closing brace: the zero
// position when the body does not say (JSON syntax), the end of Range for
// a resource made without a body (handed over by another source).
func (r *Resource) End() hcl.Pos {
	switch b := r.Body.(type) {
	case nil:
		if r.released {
			return r.end
		}
		return r.Range.End
	case *hclsyntax.Body:
		return b.SrcRange.End
	}
	return hcl.Pos{}
}

// ArgStart is the file and position where the top-level argument name
// starts, when the body is native syntax and sets it (an override file may
// have set it).
func (r *Resource) ArgStart(name string) (string, hcl.Pos, bool) {
	if r.released {
		for _, a := range r.args {
			if a.name == name {
				return a.file, a.pos, true
			}
		}
		return "", hcl.Pos{}, false
	}
	if b, ok := r.Body.(*hclsyntax.Body); ok {
		if a, ok := b.Attributes[name]; ok {
			return a.SrcRange.Filename, a.SrcRange.Start, true
		}
	}
	return "", hcl.Pos{}, false
}

// Key is "TYPE.NAME" for managed resources and "data.TYPE.NAME" for data.
func (r *Resource) Key() string {
	if r.Mode == Data {
		return "data." + r.Type + "." + r.Name
	}
	return r.Type + "." + r.Name
}

// Traversals returns the references in the expression of the resource's
// argument name (nil when it is not set), so a caller can tell what an
// argument refers to even where its value is unknown until apply.
func (r *Resource) Traversals(name string) []hcl.Traversal {
	if r.released {
		return r.kept[name]
	}
	if r.Body == nil {
		return nil
	}
	content, _, _ := r.Body.PartialContent(&hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: name}}})
	if content == nil {
		return nil
	}
	a, ok := content.Attributes[name]
	if !ok {
		return nil
	}
	return a.Expr.Variables()
}

var fileSchema = &hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{
	{Type: "terraform"},
	{Type: "provider", LabelNames: []string{"name"}},
	{Type: "variable", LabelNames: []string{"name"}},
	{Type: "locals"},
	{Type: "output", LabelNames: []string{"name"}},
	{Type: "module", LabelNames: []string{"name"}},
	{Type: "resource", LabelNames: []string{"type", "name"}},
	{Type: "data", LabelNames: []string{"type", "name"}},
	{Type: "ephemeral", LabelNames: []string{"type", "name"}},
	{Type: "moved"},
	{Type: "import"},
	{Type: "removed"},
	{Type: "check", LabelNames: []string{"name"}},
}}

// LoadIn parses every .tf and .tf.json file of dir (not recursing) in
// lexical order, reading every file through root (nil confines nothing).
// rel is dir's path relative to the root module ("" for the root). A file
// with syntax errors is reported and the other files still load; LoadIn
// returns an error only when the directory can not be read. Through root,
// a file that resolves outside it is not loaded and a warning names it;
// one that is not a regular file (a FIFO, a symlink to a device) is an
// error.
func LoadIn(ctx context.Context, root *confine.Root, dir, rel string) (*Module, hcl.Diagnostics, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("read module %s: %w", dir, err)
	}
	m := &Module{
		Dir: dir, Rel: rel,
		Variables:   map[string]*Variable{},
		Locals:      map[string]*Local{},
		Outputs:     map[string]*Output{},
		ModuleCalls: map[string]*ModuleCall{},
		Providers:   map[string]*Provider{},
		blocks:      map[string]*hcl.Block{},
	}
	var names []string
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() || strings.HasPrefix(n, ".") || !(strings.HasSuffix(n, ".tf") || strings.HasSuffix(n, ".tf.json")) {
			continue
		}
		names = append(names, n)
	}
	sort.Strings(names)
	// Parsing dominates load time on large estates; files parse in
	// parallel, then declarations are added in file order.
	parsed := make([]parsedFile, len(names))
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for idx, n := range names {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			if ctx.Err() != nil {
				return
			}
			parsed[idx] = readFile(root, filepath.Join(dir, n), filepath.ToSlash(filepath.Join(rel, n)))
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	// Override files apply after every primary file, in lexical order, as
	// Terraform applies them.
	var diags hcl.Diagnostics
	for _, pf := range parsed {
		if !isOverrideFile(pf.name) {
			diags = append(diags, m.addFile(pf)...)
		}
	}
	for _, pf := range parsed {
		if isOverrideFile(pf.name) {
			diags = append(diags, m.applyOverrideFile(pf)...)
		}
	}
	// The blocks as written served the override files; holding them
	// would keep every syntax tree alive after evaluation.
	m.blocks = nil
	return m, diags, nil
}

type parsedFile struct {
	name    string
	file    *hcl.File
	diags   hcl.Diagnostics
	read    bool
	waivers []Waiver
}

func readFile(root *confine.Root, path, name string) parsedFile {
	pf := parsedFile{name: name}
	src, err := root.ReadFile(path)
	if err != nil {
		pf.diags = hcl.Diagnostics{ReadDiagnostic(err, "file", name)}
		return pf
	}
	pf.read = true
	pf.file, pf.diags = ParseFile(src, name)
	if strings.HasSuffix(name, ".tf") {
		pf.waivers = scanWaivers(name, src, pf.file)
	}
	return pf
}

// ReadDiagnostic is the diagnostic of an input file that could not be
// read: a warning for one outside the scan root (it is skipped), an error
// otherwise. what says what the file is ("file", "variables file").
func ReadDiagnostic(err error, what, name string) *hcl.Diagnostic {
	rng := &hcl.Range{Filename: name}
	var outside *confine.OutsideError
	var notRegular *confine.NotRegularError
	var tooLarge *confine.TooLargeError
	switch {
	case errors.As(err, &outside):
		return &hcl.Diagnostic{Severity: hcl.DiagWarning, Summary: "Outside the scan root",
			Detail: fmt.Sprintf("The %s %s resolves outside the scan root and is not loaded. --root sets the root; --allow-read-outside-root lifts this.", what, name), Subject: rng}
	case errors.As(err, &notRegular):
		return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Not a regular file",
			Detail: fmt.Sprintf("The %s %s is %s; only regular files are read.", what, name, notRegular.Kind), Subject: rng}
	case errors.As(err, &tooLarge):
		return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "File too large",
			Detail: fmt.Sprintf("The %s %s is larger than %d bytes; larger files are not read.", what, name, tooLarge.Limit), Subject: rng}
	}
	return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Failed to read " + what, Detail: err.Error(), Subject: rng}
}

// fileBlocks records a parsed file among the module's files and returns its
// top-level blocks with the file's diagnostics.
func (m *Module) fileBlocks(pf parsedFile) ([]*hcl.Block, hcl.Diagnostics) {
	if pf.read {
		m.Files = append(m.Files, pf.name)
		m.Waivers = append(m.Waivers, pf.waivers...)
	}
	if pf.file == nil || pf.file.Body == nil {
		return nil, pf.diags
	}
	// A file with syntax errors may still yield part of its blocks; keep
	// what parsed, as Terraform's own partial parse would.
	content, diags := pf.file.Body.Content(fileSchema)
	diags = append(pf.diags, diags...)
	if content == nil {
		return nil, diags
	}
	return content.Blocks, diags
}

func (m *Module) addFile(pf parsedFile) hcl.Diagnostics {
	blocks, diags := m.fileBlocks(pf)
	for _, b := range blocks {
		if k := blockKey(b); k != "" {
			if _, seen := m.blocks[k]; !seen {
				m.blocks[k] = b
			}
		}
		switch b.Type {
		case "variable":
			diags = append(diags, m.addVariable(b)...)
		case "locals":
			diags = append(diags, m.addLocals(b)...)
		case "output":
			diags = append(diags, m.addOutput(b)...)
		case "module":
			diags = append(diags, m.addModuleCall(b)...)
		case "provider":
			diags = append(diags, m.addProvider(b)...)
		case "resource":
			diags = append(diags, m.addResource(b, Managed)...)
		case "data":
			diags = append(diags, m.addResource(b, Data)...)
		}
	}
	return diags
}

func duplicate(kind, name string, prev, now hcl.Range) *hcl.Diagnostic {
	return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Duplicate " + kind,
		Detail: fmt.Sprintf("%s %q was already declared at %s.", kind, name, prev), Subject: now.Ptr()}
}

var variableSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "default"}, {Name: "type"}, {Name: "description"},
		{Name: "sensitive"}, {Name: "nullable"}, {Name: "ephemeral"}},
	Blocks: []hcl.BlockHeaderSchema{{Type: "validation"}},
}

func (m *Module) addVariable(b *hcl.Block) hcl.Diagnostics {
	name := b.Labels[0]
	if prev, ok := m.Variables[name]; ok {
		return hcl.Diagnostics{duplicate("variable", name, prev.Range, b.DefRange)}
	}
	v := &Variable{Name: name, Type: cty.DynamicPseudoType, Nullable: true, Range: b.DefRange}
	content, diags := b.Body.Content(variableSchema)
	if a, ok := content.Attributes["type"]; ok {
		ty, defaults, d := variableType(a.Expr)
		diags = append(diags, d...)
		if !d.HasErrors() {
			v.Type, v.Defaults, v.HasType = ty, defaults, true
		}
	}
	if a, ok := content.Attributes["nullable"]; ok {
		if nv, d := a.Expr.Value(nil); !d.HasErrors() && nv.Type() == cty.Bool && nv.IsKnown() && !nv.IsNull() {
			v.Nullable = nv.True()
		}
	}
	if a, ok := content.Attributes["default"]; ok {
		val, d := a.Expr.Value(nil)
		diags = append(diags, d...)
		if !d.HasErrors() {
			if v.Defaults != nil {
				val = v.Defaults.Apply(val)
			}
			conv, err := convert.Convert(val, v.Type)
			if err != nil {
				diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid default value for variable",
					Detail: fmt.Sprintf("This default value is not compatible with the variable's type constraint: %s.", err), Subject: a.Expr.Range().Ptr()})
			} else {
				v.Default = conv
			}
		}
	}
	m.Variables[name] = v
	return diags
}

// variableType decodes a variable's type argument, with the forms of
// Terraform 0.11 that Terraform still reads: the bare keywords list and map
// mean list(any) and map(any) (as in JSON syntax, "type": "list"). The
// quoted native forms "string", "list" and "map" are read as those types
// with a warning, as Terraform 0.12 to 0.14 did; Terraform 0.15 and later
// refuse them, but the values they declare are still worth evaluating.
func variableType(expr hcl.Expression) (cty.Type, *typeexpr.Defaults, hcl.Diagnostics) {
	if tmpl, ok := expr.(*hclsyntax.TemplateExpr); ok && tmpl.IsStringLiteral() {
		v, _ := tmpl.Value(nil)
		ty, hint := cty.DynamicPseudoType, ""
		switch s := v.AsString(); s {
		case "string":
			ty, hint = cty.String, `Remove the quotes around "string".`
		case "list", "map":
			ty = cty.List(cty.DynamicPseudoType)
			if s == "map" {
				ty = cty.Map(cty.DynamicPseudoType)
			}
			hint = fmt.Sprintf(`Remove the quotes around %q and write %s(string) (or the element type it holds) instead.`, s, s)
		default:
			return cty.DynamicPseudoType, nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Invalid legacy variable type hint",
				Detail: `A quoted type constraint must be "string", "list" or "map"; write the type without quotes, e.g. list(string).`, Subject: expr.Range().Ptr()}}
		}
		return ty, nil, hcl.Diagnostics{{Severity: hcl.DiagWarning, Summary: "Quoted type constraints are deprecated",
			Detail:  "Terraform 0.11 and earlier required type constraints in quotes; Terraform 0.12 to 0.14 accept them with this warning and Terraform 0.15 and later refuse them. " + hint,
			Subject: expr.Range().Ptr()}}
	}
	switch hcl.ExprAsKeyword(expr) {
	case "list":
		return cty.List(cty.DynamicPseudoType), nil, nil
	case "map":
		return cty.Map(cty.DynamicPseudoType), nil, nil
	}
	return typeexpr.TypeConstraintWithDefaults(expr)
}

func (m *Module) addLocals(b *hcl.Block) hcl.Diagnostics {
	attrs, diags := b.Body.JustAttributes()
	for _, name := range sortedAttrNames(attrs) {
		a := attrs[name]
		if prev, ok := m.Locals[name]; ok {
			diags = append(diags, duplicate("local value", name, prev.Range, a.Range))
			continue
		}
		m.Locals[name] = &Local{Name: name, Expr: a.Expr, Range: a.Range}
	}
	return diags
}

var outputSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "value"}, {Name: "description"}, {Name: "sensitive"},
		{Name: "depends_on"}, {Name: "ephemeral"}},
	Blocks: []hcl.BlockHeaderSchema{{Type: "precondition"}},
}

func (m *Module) addOutput(b *hcl.Block) hcl.Diagnostics {
	name := b.Labels[0]
	if prev, ok := m.Outputs[name]; ok {
		return hcl.Diagnostics{duplicate("output", name, prev.Range, b.DefRange)}
	}
	content, diags := b.Body.Content(outputSchema)
	o := &Output{Name: name, Range: b.DefRange}
	if a, ok := content.Attributes["value"]; ok {
		o.Expr = a.Expr
	}
	m.Outputs[name] = o
	return diags
}

func (m *Module) addModuleCall(b *hcl.Block) hcl.Diagnostics {
	name := b.Labels[0]
	if prev, ok := m.ModuleCalls[name]; ok {
		return hcl.Diagnostics{duplicate("module call", name, prev.Range, b.DefRange)}
	}
	attrs, diags := b.Body.JustAttributes()
	mc := &ModuleCall{Name: name, Range: b.DefRange, Args: map[string]*hcl.Attribute{}, Providers: map[string]string{}}
	for n, a := range attrs {
		switch n {
		case "source", "version":
			v, d := a.Expr.Value(nil)
			if d.HasErrors() || v.Type() != cty.String || v.IsNull() {
				diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid module " + n,
					Detail: "The module " + n + " must be a literal string.", Subject: a.Expr.Range().Ptr()})
				continue
			}
			if n == "source" {
				mc.Source = v.AsString()
			} else {
				mc.Version = v.AsString()
			}
		case "count":
			mc.Count = a.Expr
		case "for_each":
			mc.ForEach = a.Expr
		case "providers":
			pairs, d := hcl.ExprMap(a.Expr)
			diags = append(diags, d...)
			for _, p := range pairs {
				k, kd := hcl.AbsTraversalForExpr(p.Key)
				v, vd := hcl.AbsTraversalForExpr(p.Value)
				if kd.HasErrors() || vd.HasErrors() {
					diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid provider reference",
						Detail: "Provider mappings must be provider references like aws.east.", Subject: p.Key.Range().Ptr()})
					continue
				}
				mc.Providers[traversalName(k)] = traversalName(v)
			}
		case "depends_on":
		default:
			mc.Args[n] = a
		}
	}
	if mc.Source == "" && !diags.HasErrors() {
		diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Missing module source",
			Detail: "A module block requires a source argument.", Subject: b.DefRange.Ptr()})
	}
	m.ModuleCalls[name] = mc
	return diags
}

func (m *Module) addProvider(b *hcl.Block) hcl.Diagnostics {
	p := &Provider{Name: b.Labels[0], Body: b.Body, Range: b.DefRange}
	var diags hcl.Diagnostics
	content, remain, d := b.Body.PartialContent(&hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: "alias"}}})
	diags = append(diags, d...)
	p.Body = remain
	if a, ok := content.Attributes["alias"]; ok {
		v, d := a.Expr.Value(nil)
		if d.HasErrors() || v.Type() != cty.String || v.IsNull() {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid provider alias", Subject: a.Expr.Range().Ptr()})
		} else {
			p.Alias = v.AsString()
		}
	}
	key := p.Name
	if p.Alias != "" {
		key += "." + p.Alias
	}
	if prev, ok := m.Providers[key]; ok {
		return append(diags, duplicate("provider configuration", key, prev.Range, b.DefRange))
	}
	m.Providers[key] = p
	return diags
}

var resourceMeta = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "count"}, {Name: "for_each"}, {Name: "provider"}, {Name: "depends_on"}},
	Blocks: []hcl.BlockHeaderSchema{{Type: "lifecycle"}, {Type: "provisioner", LabelNames: []string{"type"}},
		{Type: "connection"}},
}

// MetaArgument reports whether name is a resource meta-argument that is
// not part of the resource's own configuration.
func MetaArgument(name string) bool {
	switch name {
	case "count", "for_each", "provider", "depends_on", "lifecycle", "provisioner", "connection":
		return true
	}
	return false
}

func (m *Module) addResource(b *hcl.Block, mode Mode) hcl.Diagnostics {
	r, diags := newResource(b, mode)
	key := r.Key()
	if other, ok := m.resourceByKey[key]; ok {
		return append(diags, duplicate("resource", key, other.Range, r.Range))
	}
	if m.resourceByKey == nil {
		m.resourceByKey = map[string]*Resource{}
	}
	m.resourceByKey[key] = r
	m.Resources = append(m.Resources, r)
	return diags
}

func newResource(b *hcl.Block, mode Mode) (*Resource, hcl.Diagnostics) {
	r := &Resource{Mode: mode, Type: b.Labels[0], Name: b.Labels[1], Range: b.DefRange}
	content, remain, diags := b.Body.PartialContent(resourceMeta)
	r.Body = remain
	if a, ok := content.Attributes["count"]; ok {
		r.Count = a.Expr
	}
	if a, ok := content.Attributes["for_each"]; ok {
		r.ForEach = a.Expr
	}
	if r.Count != nil && r.ForEach != nil {
		diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: `Invalid combination of "count" and "for_each"`,
			Detail: `The "count" and "for_each" meta-arguments are mutually-exclusive, only one should be used.`, Subject: r.Range.Ptr()})
		r.ForEach = nil
	}
	r.Provider = providerOfType(r.Type)
	if a, ok := content.Attributes["provider"]; ok {
		t, d := hcl.AbsTraversalForExpr(a.Expr)
		if d.HasErrors() {
			// Also accept the legacy quoted form provider = "aws.east".
			if v, vd := a.Expr.Value(nil); !vd.HasErrors() && v.Type() == cty.String && !v.IsNull() {
				r.Provider = v.AsString()
			} else {
				diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid provider reference", Subject: a.Expr.Range().Ptr()})
			}
		} else {
			r.Provider = traversalName(t)
		}
	}
	return r, diags
}

// providerOfType is the default provider of a resource type: the part of the
// type name before the first underscore, as Terraform infers it.
func providerOfType(ty string) string {
	if i := strings.IndexByte(ty, '_'); i > 0 {
		return ty[:i]
	}
	return ty
}

func traversalName(t hcl.Traversal) string {
	var parts []string
	for _, s := range t {
		switch s := s.(type) {
		case hcl.TraverseRoot:
			parts = append(parts, s.Name)
		case hcl.TraverseAttr:
			parts = append(parts, s.Name)
		}
	}
	return strings.Join(parts, ".")
}

func sortedAttrNames(attrs hcl.Attributes) []string {
	names := make([]string, 0, len(attrs))
	for n := range attrs {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool {
		ri, rj := attrs[names[i]].Range, attrs[names[j]].Range
		if ri.Filename != rj.Filename {
			return ri.Filename < rj.Filename
		}
		if ri.Start.Byte != rj.Start.Byte {
			return ri.Start.Byte < rj.Start.Byte
		}
		return names[i] < names[j]
	})
	return names
}

package plan

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	tfjson "github.com/hashicorp/terraform-json"
	"github.com/zclconf/go-cty/cty"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
	"github.com/lambdacheck/lambdacheck/analyzer/loc"
	"github.com/lambdacheck/lambdacheck/analyzer/terraform"
	"github.com/lambdacheck/lambdacheck/analyzer/terraform/config"
	"github.com/lambdacheck/lambdacheck/analyzer/terraform/eval"
	"github.com/lambdacheck/lambdacheck/analyzer/terraform/reason"
)

// maxRefDepth bounds how many references one value may be followed
// through (variables into modules, outputs out of them).
const maxRefDepth = 32

// loader decodes a plan without its configuration.
type loader struct {
	path    string
	plan    *tfjson.Plan
	opts    Options
	lines   map[string]hcl.Pos
	dec     *terraform.Decoder
	entries map[string]*entry
	order   []*entry
	changes map[string]*tfjson.ResourceChange
	modules map[string]*tfjson.ConfigModule // by module path without keys
	calls   map[string]*tfjson.ModuleCall
	def     *eval.Provider
	account string
}

type entry struct {
	res   *tfjson.StateResource
	mod   string // module instance address, "" for the root
	inst  *eval.Instance
	state int // 0 new, 1 being computed, 2 done
}

func newLoader(path string, data []byte, p *tfjson.Plan, opts Options) *loader {
	l := &loader{path: path, plan: p, opts: opts, lines: lineIndex(data), dec: terraform.NewDecoder(opts.Catalog),
		entries: map[string]*entry{}, changes: map[string]*tfjson.ResourceChange{},
		modules: map[string]*tfjson.ConfigModule{}, calls: map[string]*tfjson.ModuleCall{}}
	for _, rc := range p.ResourceChanges {
		if rc != nil {
			l.changes[rc.Address] = rc
		}
	}
	if p.Config != nil {
		l.indexModules("", p.Config.RootModule, 0)
	}
	l.account = opts.Account
	if l.account == "" {
		l.account = callerAccount(p)
	}
	add := func(r *tfjson.StateResource) {
		if _, dup := l.entries[r.Address]; dup || r.Address == "" {
			return
		}
		e := &entry{res: r, mod: moduleOf(r.Address)}
		l.entries[r.Address] = e
		l.order = append(l.order, e)
	}
	walkState(p.PlannedValues, add)
	if p.PriorState != nil {
		// Data sources read while planning are only in the prior state.
		walkState(p.PriorState.Values, func(r *tfjson.StateResource) {
			if r.Mode == tfjson.DataResourceMode {
				add(r)
			}
		})
	}
	l.def = l.provider("", "aws")
	return l
}

func (l *loader) indexModules(path string, m *tfjson.ConfigModule, depth int) {
	if m == nil || depth > eval.MaxModuleDepth {
		return
	}
	l.modules[path] = m
	for _, name := range slices.Sorted(maps.Keys(m.ModuleCalls)) {
		c := m.ModuleCalls[name]
		if c == nil {
			continue
		}
		child := joinModule(path, "module."+name)
		l.calls[child] = c
		l.indexModules(child, c.Module, depth+1)
	}
}

func joinModule(mod, s string) string {
	if mod == "" {
		return s
	}
	return mod + "." + s
}

// moduleOf is the module instance part of a resource address.
func moduleOf(addr string) string {
	parts := splitAddr(addr)
	var mod []string
	for i := 0; i+1 < len(parts); i += 2 {
		if parts[i] != "module" {
			break
		}
		mod = append(mod, parts[i], parts[i+1])
	}
	if len(mod) == 0 {
		return ""
	}
	// Re-join "module" "x[0]" pairs with dots.
	var b strings.Builder
	for i := 0; i < len(mod); i += 2 {
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(mod[i] + "." + mod[i+1])
	}
	return b.String()
}

// splitAddr splits an address at dots outside brackets.
func splitAddr(addr string) []string {
	var parts []string
	depth, inStr, start := 0, false, 0
	for i := 0; i < len(addr); i++ {
		c := addr[i]
		switch {
		case inStr:
			if c == '\\' {
				i++
			} else if c == '"' {
				inStr = false
			}
		case c == '"':
			inStr = true
		case c == '[':
			depth++
		case c == ']':
			depth--
		case c == '.' && depth == 0:
			parts = append(parts, addr[start:i])
			start = i + 1
		}
	}
	return append(parts, addr[start:])
}

func (l *loader) load() *inventory.Inventory {
	res := &eval.Result{Default: l.def}
	for _, e := range l.order {
		l.value(e, 0)
		res.Instances = append(res.Instances, e.inst)
	}
	inv := l.dec.Build(res, "plan", l.path)
	for _, path := range slices.Sorted(maps.Keys(l.calls)) {
		c := l.calls[path]
		inv.Modules = append(inv.Modules, inventory.Module{Address: path, Source: c.Source, Version: c.VersionConstraint, Loaded: c.Module != nil})
	}
	if l.plan.Complete != nil && !*l.plan.Complete {
		inv.Unknown = append(inv.Unknown, inventory.UnknownOutside{Address: "plan", Span: loc.Span{File: l.path},
			Reason: "the plan is not complete: Terraform deferred some changes, which are not in the inventory"})
	}
	for _, d := range l.plan.DeferredChanges {
		if d != nil && d.ResourceChange != nil {
			inv.Unknown = append(inv.Unknown, inventory.UnknownOutside{Address: d.ResourceChange.Address, Span: loc.Span{File: l.path},
				Reason: "deferred by Terraform (" + d.Reason + "); its values are not in the plan"})
		}
	}
	return inv
}

// value computes (once) the instance of e: its planned values with
// unknowns resolved through the configuration, plus what AWS computes.
func (l *loader) value(e *entry, depth int) cty.Value {
	switch e.state {
	case 2:
		return e.inst.Value
	case 1:
		return cty.NilVal
	}
	e.state = 1
	r := e.res
	mode := config.Managed
	if r.Mode == tfjson.DataResourceMode {
		mode = config.Data
	}
	cfgRes := l.configResource(e)
	provKey := "aws"
	if cfgRes != nil && cfgRes.ProviderConfigKey != "" {
		provKey = cfgRes.ProviderConfigKey
	}
	// The "address" key of the resource's entry in the plan file.
	at := l.lines[r.Address]
	rng := hcl.Range{Filename: l.path, Start: at, End: at}
	inst := &eval.Instance{Addr: r.Address, Resource: &config.Resource{Mode: mode, Type: r.Type, Name: r.Name, Range: rng},
		Provider: l.provider(e.mod, provKey)}
	e.inst = inst
	var unknown any
	if rc := l.changes[r.Address]; rc != nil && rc.Change != nil {
		unknown = rc.Change.AfterUnknown
	}
	var exprs map[string]*tfjson.Expression
	if cfgRes != nil {
		exprs = cfgRes.Expressions
	}
	attrs := map[string]cty.Value{}
	for k, v := range r.AttributeValues {
		attrs[k] = l.convert(v, child(unknown, k), node{fields: exprs}.field(k), e, r.Address+"."+k, depth)
	}
	if um, ok := unknown.(map[string]any); ok {
		for k, u := range um {
			if _, has := attrs[k]; has || u != true {
				continue
			}
			if ex := exprs[k]; ex != nil {
				// Set in the configuration, known only at apply.
				attrs[k] = l.resolve(ex, e, r.Address+"."+k, depth)
			}
			// Otherwise computed by AWS: the decoders' knowledge adds it.
		}
	}
	inst.Config = cty.ObjectVal(attrs)
	v, _ := l.dec.Value(inst)
	inst.Value = v
	e.state = 2
	return v
}

// node is the configuration expression at one place in a value: a leaf
// expression, the attributes of a block, or the instances of a block.
type node struct {
	leaf   *tfjson.Expression
	fields map[string]*tfjson.Expression
	blocks []map[string]*tfjson.Expression
}

func (n node) field(k string) node {
	ex := n.fields[k]
	if ex == nil {
		return node{}
	}
	if ex.NestedBlocks != nil {
		return node{blocks: ex.NestedBlocks}
	}
	return node{leaf: ex}
}

func (n node) elem(i int) node {
	if i < len(n.blocks) {
		return node{fields: n.blocks[i]}
	}
	return node{}
}

func child(unknown any, k string) any {
	if m, ok := unknown.(map[string]any); ok {
		return m[k]
	}
	return nil
}

func (l *loader) convert(v any, unknown any, n node, e *entry, path string, depth int) cty.Value {
	if unknown == true {
		return l.resolve(n.leaf, e, path, depth)
	}
	switch x := v.(type) {
	case map[string]any:
		attrs := map[string]cty.Value{}
		for k, ev := range x {
			attrs[k] = l.convert(ev, child(unknown, k), n.field(k), e, path+"."+k, depth)
		}
		if um, ok := unknown.(map[string]any); ok {
			for k, u := range um {
				if _, has := attrs[k]; !has && u == true {
					attrs[k] = l.resolve(n.field(k).leaf, e, path+"."+k, depth)
				}
			}
		}
		if len(attrs) == 0 {
			return cty.EmptyObjectVal
		}
		return cty.ObjectVal(attrs)
	case []any:
		if len(x) == 0 {
			return cty.EmptyTupleVal
		}
		ul, _ := unknown.([]any)
		elems := make([]cty.Value, len(x))
		for i, ev := range x {
			var u any
			if i < len(ul) {
				u = ul[i]
			}
			elems[i] = l.convert(ev, u, n.elem(i), e, fmt.Sprintf("%s[%d]", path, i), depth)
		}
		return cty.TupleVal(elems)
	}
	return toCty(v)
}

// resolve is the value of an attribute the plan knows only at apply: the
// value of the one reference its expression names, else a symbol.
func (l *loader) resolve(ex *tfjson.Expression, e *entry, path string, depth int) cty.Value {
	why := path + " is known only after apply"
	if ex != nil {
		if isWhole(path) {
			if v, ok := l.expr(ex, e.mod, depth); ok {
				return v
			}
		}
		if len(ex.References) > 0 {
			why += " (it is built from " + strings.Join(ex.References, ", ") + ")"
		}
	}
	return reason.Symbolic(cty.DynamicPseudoType, path, why, e.inst.Resource.Range)
}

// expr evaluates a configuration expression in module mod: a constant, or
// an expression whose references all name one object, taken as the most
// specific of them. Terraform's JSON keeps no more of an expression.
func (l *loader) expr(ex *tfjson.Expression, mod string, depth int) (cty.Value, bool) {
	if ex == nil || depth > maxRefDepth {
		return cty.NilVal, false
	}
	if ex.ConstantValue != nil && ex.ConstantValue != tfjson.UnknownConstantValue {
		return toCty(ex.ConstantValue), true
	}
	if len(ex.References) == 0 {
		return cty.NilVal, false
	}
	first := ex.References[0]
	for _, r := range ex.References[1:] {
		if !strings.HasPrefix(first, r) {
			return cty.NilVal, false
		}
	}
	return l.ref(first, mod, depth+1)
}

// ref resolves one reference in module mod.
func (l *loader) ref(ref string, mod string, depth int) (cty.Value, bool) {
	trav, diags := hclsyntax.ParseTraversalAbs([]byte(ref), "", hcl.Pos{Line: 1, Column: 1})
	if diags.HasErrors() || len(trav) < 2 {
		return cty.NilVal, false
	}
	name := func(i int) (string, bool) {
		if i >= len(trav) {
			return "", false
		}
		a, ok := trav[i].(hcl.TraverseAttr)
		return a.Name, ok
	}
	var base cty.Value
	rest := 0
	switch trav.RootName() {
	case "var":
		n, _ := name(1)
		v, ok := l.variable(mod, n, depth)
		if !ok {
			return cty.NilVal, false
		}
		base, rest = v, 2
	case "module":
		n, _ := name(1)
		child := joinModule(mod, "module."+n)
		i := 2
		if ix, ok := trav[i].(hcl.TraverseIndex); ok {
			child += keySuffix(ix.Key)
			i++
		}
		out, ok := name(i)
		if !ok {
			return cty.NilVal, false
		}
		cm := l.modules[stripKeys(child)]
		if cm == nil || cm.Outputs[out] == nil {
			return cty.NilVal, false
		}
		v, ok := l.expr(cm.Outputs[out].Expression, child, depth+1)
		if !ok {
			return cty.NilVal, false
		}
		base, rest = v, i+1
	case "data", "local", "each", "count", "path", "self", "terraform":
		if trav.RootName() != "data" {
			return cty.NilVal, false
		}
		t, _ := name(1)
		n, ok := name(2)
		if !ok {
			return cty.NilVal, false
		}
		v, next, ok := l.instance(joinModule(mod, "data."+t+"."+n), trav, 3, depth)
		if !ok {
			return cty.NilVal, false
		}
		base, rest = v, next
	default:
		n, _ := name(1)
		v, next, ok := l.instance(joinModule(mod, trav.RootName()+"."+n), trav, 2, depth)
		if !ok {
			return cty.NilVal, false
		}
		base, rest = v, next
	}
	out, d := hcl.Traversal(trav[rest:]).TraverseRel(base)
	if d.HasErrors() {
		return cty.NilVal, false
	}
	if u, _ := out.UnmarkDeep(); !u.IsWhollyKnown() {
		if _, ok := reason.SymbolName(out); !ok {
			return cty.NilVal, false
		}
	}
	return out, true
}

func (l *loader) instance(addr string, trav hcl.Traversal, i int, depth int) (cty.Value, int, bool) {
	if i < len(trav) {
		if ix, ok := trav[i].(hcl.TraverseIndex); ok {
			addr += keySuffix(ix.Key)
			i++
		}
	}
	e := l.entries[addr]
	if e == nil {
		return cty.NilVal, 0, false
	}
	v := l.value(e, depth+1)
	if v == cty.NilVal {
		return cty.NilVal, 0, false
	}
	return v, i, true
}

func keySuffix(k cty.Value) string {
	if k.Type() == cty.String {
		return fmt.Sprintf("[%q]", k.AsString())
	}
	if k.Type() == cty.Number {
		return "[" + k.AsBigFloat().Text('f', -1) + "]"
	}
	return "[?]"
}

// variable is the value of variable name in module instance mod: the
// plan's value at the root, the call's argument (or the default) below.
func (l *loader) variable(mod, name string, depth int) (cty.Value, bool) {
	if mod == "" {
		if v := l.plan.Variables[name]; v != nil && v.Value != nil {
			return toCty(v.Value), true
		}
		return cty.NilVal, false
	}
	path := stripKeys(mod)
	if c := l.calls[path]; c != nil {
		if ex := c.Expressions[name]; ex != nil {
			return l.expr(ex, parentModule(mod), depth+1)
		}
	}
	if m := l.modules[path]; m != nil {
		if v := m.Variables[name]; v != nil && v.Default != nil {
			return toCty(v.Default), true
		}
	}
	return cty.NilVal, false
}

func parentModule(mod string) string {
	parts := splitAddr(mod)
	if len(parts) <= 2 {
		return ""
	}
	return strings.Join(parts[:len(parts)-2], ".")
}

func (l *loader) configResource(e *entry) *tfjson.ConfigResource {
	m := l.modules[stripKeys(e.mod)]
	if m == nil {
		return nil
	}
	want := e.res.Type + "." + e.res.Name
	if e.res.Mode == tfjson.DataResourceMode {
		want = "data." + want
	}
	for _, r := range m.Resources {
		if r != nil && r.Address == want {
			return r
		}
	}
	return nil
}

// provider resolves the provider configuration key in module mod.
func (l *loader) provider(mod, key string) *eval.Provider {
	p := &eval.Provider{Key: key, Account: l.account, Region: l.opts.Region}
	var pc *tfjson.ProviderConfig
	if l.plan.Config != nil {
		pc = l.plan.Config.ProviderConfigs[key]
		if pc == nil {
			if i := strings.LastIndexByte(key, ':'); i >= 0 {
				pc = l.plan.Config.ProviderConfigs[key[i+1:]]
			}
		}
	}
	if pc != nil {
		if v, ok := l.expr(pc.Expressions["region"], pc.ModuleAddress, 0); ok {
			if u, _ := v.Unmark(); u.IsKnown() && !u.IsNull() && u.Type() == cty.String {
				p.Region = u.AsString()
			}
		}
	}
	if p.Region == "" {
		p.Region, p.RegionDefault = eval.DefaultRegion, true
	}
	if p.Account == "" {
		p.Account, p.AccountPlaceholder = eval.PlaceholderAccount, true
	}
	p.Partition = eval.PartitionOf(p.Region)
	return p
}

// wholeReference lists the attributes whose value is, in practice, one
// reference used whole: identifiers that name another resource (a
// function, role, queue, topic, stream, bucket, rule, key). Terraform's
// JSON keeps only the references of an expression, so "${x.arn}:*" and
// x.arn look alike; elsewhere (source_arn, URIs, documents) wrappers are
// common, and a reference there is left unknown rather than misread.
var wholeReference = map[string]bool{
	"function_name": true, "role": true, "role_arn": true, "event_source_arn": true, "topic_arn": true,
	"endpoint": true, "lambda_function_arn": true, "target_arn": true, "destination_arn": true, "arn": true,
	"queue_url": true, "bucket": true, "rest_api_id": true, "api_id": true, "resource_id": true, "parent_id": true,
	"policy_arn": true, "rule": true, "event_bus_name": true, "log_group_name": true, "kms_key_arn": true,
	"kms_master_key_id": true, "kms_key_id": true, "destination": true, "function_arn": true, "key_id": true,
	"target_key_id": true, "user_pool_id": true, "state_machine_arn": true, "target_group_arn": true,
	"target_id": true, "permissions_boundary": true, "alarm_actions": true, "layers": true, "resource_arn": true,
	"secret_id": true, "secret_arn": true, "rotation_lambda_arn": true, "stream_arn": true,
}

// isWhole tells whether the attribute at path takes a whole reference
// (the last name in the path, list indexes dropped).
func isWhole(path string) bool {
	name := path[strings.LastIndexByte(path, '.')+1:]
	if i := strings.IndexByte(name, '['); i >= 0 {
		name = name[:i]
	}
	return wholeReference[name]
}

package eval

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/lambdacheck/lambdacheck/analyzer/terraform/config"
	"github.com/lambdacheck/lambdacheck/analyzer/terraform/reason"
)

type resourceNode struct {
	node
	cfg       *config.Resource
	mod       *ModuleInstance
	mode      expansion
	instances []*Instance
	// refs caches the value references see, per set of attributes added
	// as unknowns because the value does not have them.
	refs map[string]cty.Value
}

// resourceValue expands a resource and evaluates every instance.
func (e *evaluator) resourceValue(rn *resourceNode) cty.Value {
	r, m := rn.cfg, rn.mod
	base := prefixed(m.Addr, r.Key())
	keys, mode := e.expand(r.Count, r.ForEach, &scope{mod: m}, base)
	rn.mode = mode
	prov := e.provider(m, r.Provider)
	for _, k := range keys {
		if !e.countInstance(r.Range) {
			break
		}
		sc := &scope{mod: m}
		switch mode {
		case byCount:
			sc.count = k.key
		case byForEach:
			sc.each = &eachVals{key: k.key, value: k.value}
		}
		inst := &Instance{Addr: base + k.suffix, Module: m, Resource: r, Key: k.key, Provider: prov}
		inst.Config = ownSymbols(e.bodyValue(r.Body, sc, true), inst.Addr)
		if e.opts.Knowledge == nil {
			inst.Value = inst.Config
		} else if r.Mode == config.Data {
			v, diags := e.opts.Knowledge.Data(inst)
			e.diags = append(e.diags, diags...)
			inst.Value = v
		} else {
			inst.Value = e.opts.Knowledge.Resource(inst)
		}
		rn.instances = append(rn.instances, inst)
	}
	if e.opts.ReleaseSyntax && m.exclusive {
		r.Release(e.opts.KeepReferences[r.Type])
	}
	return aggregate(mode, rn.instances, func(i *Instance) (cty.Value, cty.Value) { return i.Key, i.Value })
}

// ownSymbols gives each top-level argument whose value is unknown and has
// no symbol of its own (function_name = lower(var.prefix)) the symbol of
// the argument itself, <ADDR.NAME>: whatever its value, references to it
// (aws_lambda_function.f.arn, .function_name) name the same one, so items
// wired by reference still join.
func ownSymbols(cfg cty.Value, addr string) cty.Value {
	u, marks := cfg.Unmark()
	if !u.IsKnown() || u.IsNull() || !u.Type().IsObjectType() {
		return cfg
	}
	attrs := u.AsValueMap()
	changed := false
	for name, v := range attrs {
		uv, _ := v.Unmark()
		if uv.IsKnown() || !(uv.Type() == cty.String || uv.Type() == cty.DynamicPseudoType) {
			continue
		}
		if _, ok := reason.SymbolOf(v); ok {
			continue
		}
		attrs[name] = reason.WithSymbol(v, "<"+addr+"."+name+">")
		changed = true
	}
	if !changed {
		return cfg
	}
	return cty.ObjectVal(attrs).WithMarks(marks)
}

// resourceRef is the value of a resource reference. Attributes that are
// read but that the value lacks are added as unknowns: they are arguments
// left unset or attributes only the provider computes at apply time.
func (e *evaluator) resourceRef(rn *resourceNode, want map[string]hcl.Range) cty.Value {
	v := e.resolve(&rn.node)
	if len(want) == 0 || rn.state != 2 {
		return v
	}
	names := make([]string, 0, len(want))
	for n := range want {
		names = append(names, n)
	}
	sort.Strings(names)
	key := strings.Join(names, ",")
	if cached, ok := rn.refs[key]; ok {
		return cached
	}
	add := func(inst *Instance) cty.Value {
		obj := inst.Value
		if obj.IsMarked() || !obj.IsKnown() || obj.IsNull() || !obj.Type().IsObjectType() {
			return obj
		}
		var missing []string
		for _, n := range names {
			if !obj.Type().HasAttribute(n) {
				missing = append(missing, n)
			}
		}
		if len(missing) == 0 {
			return obj
		}
		attrs := obj.AsValueMap()
		if attrs == nil {
			attrs = map[string]cty.Value{}
		}
		for _, n := range missing {
			text := fmt.Sprintf("%s.%s is not set in the configuration; the provider decides it at apply time", inst.Addr, n)
			if inst.Resource.Mode == config.Data {
				text = fmt.Sprintf("%s.%s is read from AWS when Terraform plans", inst.Addr, n)
			}
			attrs[n] = reason.Symbolic(cty.DynamicPseudoType, inst.Addr+"."+n, text, want[n])
		}
		return cty.ObjectVal(attrs)
	}
	out := aggregate(rn.mode, rn.instances, func(i *Instance) (cty.Value, cty.Value) { return i.Key, add(i) })
	if rn.refs == nil {
		rn.refs = map[string]cty.Value{}
	}
	rn.refs[key] = out
	return out
}

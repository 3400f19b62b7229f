package eval

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"

	"github.com/lambdacheck/lambdacheck/analyzer/confine"
	"github.com/lambdacheck/lambdacheck/analyzer/terraform/config"
	"github.com/lambdacheck/lambdacheck/analyzer/terraform/reason"
)

// ModuleInstance is one instance of a module: the root, or one expansion
// of a module call.
type ModuleInstance struct {
	Addr   string // "" for the root, module.a["k"].module.b below it
	Path   []string
	Config *config.Module // nil when the module's code is not available
	Parent *ModuleInstance
	Call   *config.ModuleCall
	Key    cty.Value
	Source string
	// Version is the module version from the call or modules.json.
	Version string
	// NotLoaded says why Config is nil.
	NotLoaded string

	callEach *scope // the parent scope the call's arguments evaluate in
	// exclusive: no other module instance evaluates Config, so evaluated
	// resources may release their syntax (Options.ReleaseSyntax).
	exclusive bool
	vars      map[string]*node
	locals    map[string]*node
	outputs   map[string]*node
	resources map[string]*resourceNode
	calls     map[string]*callNode
	providers map[string]*Provider
}

type callNode struct {
	node
	call      *config.ModuleCall
	mode      expansion
	instances []*ModuleInstance
}

type manifestEntry struct {
	Key     string `json:"Key"`
	Source  string `json:"Source"`
	Version string `json:"Version"`
	Dir     string `json:"Dir"`
}

// readManifest reads .terraform/modules/modules.json, which terraform init
// writes with one entry per module call path ("a.b").
func (e *evaluator) readManifest() map[string]manifestEntry {
	out := map[string]manifestEntry{}
	path := filepath.Join(e.dir, ".terraform", "modules", "modules.json")
	data, err := e.opts.Root.ReadFile(path)
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			e.diags = append(e.diags, config.ReadDiagnostic(err, "module manifest", ".terraform/modules/modules.json"))
		}
		return out
	}
	var doc struct {
		Modules []manifestEntry `json:"Modules"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		e.diags = append(e.diags, &hcl.Diagnostic{Severity: hcl.DiagWarning, Summary: "Unreadable module manifest",
			Detail:  fmt.Sprintf(".terraform/modules/modules.json: %v; downloaded modules are treated as missing.", err),
			Subject: &hcl.Range{Filename: ".terraform/modules/modules.json"}})
		return out
	}
	for _, m := range doc.Modules {
		out[m.Key] = m
	}
	return out
}

func (e *evaluator) newModuleInstance(parent *ModuleInstance, call *config.ModuleCall, cfg *config.Module, addr string, key cty.Value, callScope *scope) *ModuleInstance {
	m := &ModuleInstance{
		Addr: addr, Config: cfg, Parent: parent, Call: call, Key: key, callEach: callScope,
		vars: map[string]*node{}, locals: map[string]*node{}, outputs: map[string]*node{},
		resources: map[string]*resourceNode{}, calls: map[string]*callNode{}, providers: map[string]*Provider{},
	}
	if parent != nil {
		m.Path = append(append([]string(nil), parent.Path...), call.Name)
		m.Source, m.Version = call.Source, call.Version
	}
	if cfg == nil {
		return m
	}
	for name, v := range cfg.Variables {
		v := v
		m.vars[name] = &node{name: prefixed(addr, "var."+name), rng: v.Range, compute: func() cty.Value { return e.childVariable(m, v) }}
	}
	for name, l := range cfg.Locals {
		l := l
		m.locals[name] = &node{name: prefixed(addr, "local."+name), rng: l.Range, compute: func() cty.Value {
			val, _ := e.exprValue(l.Expr, &scope{mod: m})
			return val
		}}
	}
	for name, o := range cfg.Outputs {
		o := o
		m.outputs[name] = &node{name: prefixed(addr, "output."+name), rng: o.Range, compute: func() cty.Value {
			if o.Expr == nil {
				return cty.NullVal(cty.DynamicPseudoType)
			}
			val, _ := e.exprValue(o.Expr, &scope{mod: m})
			return val
		}}
	}
	for _, r := range cfg.Resources {
		r := r
		rn := &resourceNode{cfg: r, mod: m}
		rn.node = node{name: prefixed(addr, r.Key()), rng: r.Range, compute: func() cty.Value { return e.resourceValue(rn) }}
		m.resources[r.Key()] = rn
	}
	for name, c := range cfg.ModuleCalls {
		c := c
		cn := &callNode{call: c}
		cn.node = node{name: prefixed(addr, "module."+name), rng: c.Range, compute: func() cty.Value { return e.expandCall(m, cn) }}
		m.calls[name] = cn
	}
	return m
}

func prefixed(modAddr, s string) string {
	if modAddr == "" {
		return s
	}
	return modAddr + "." + s
}

// moduleDir finds the code of a module call: local paths relative to the
// calling module, everything else through the modules.json manifest.
func (e *evaluator) moduleDir(parent *ModuleInstance, call *config.ModuleCall) (dir, rel, version, why string) {
	src := call.Source
	if strings.HasPrefix(src, "./") || strings.HasPrefix(src, "../") || src == "." || src == ".." {
		rel = filepath.ToSlash(filepath.Clean(filepath.Join(parent.Config.Rel, src)))
		return filepath.Join(parent.Config.Dir, src), rel, call.Version, ""
	}
	key := strings.Join(append(append([]string(nil), parent.Path...), call.Name), ".")
	if me, ok := e.manifest[key]; ok && me.Dir != "" {
		d := me.Dir
		if !filepath.IsAbs(d) {
			d = filepath.Join(e.dir, d)
		}
		relDir, err := filepath.Rel(e.dir, d)
		if err != nil {
			relDir = me.Dir
		}
		v := call.Version
		if me.Version != "" {
			v = me.Version
		}
		return d, filepath.ToSlash(relDir), v, ""
	}
	what := fmt.Sprintf("module %q (source %q", call.Name, src)
	if call.Version != "" {
		what += fmt.Sprintf(", version %q", call.Version)
	}
	return "", "", call.Version, what + ") is not downloaded: run terraform init so .terraform/modules holds it"
}

// confineModule refuses a module directory that resolves outside the scan
// root (a local source "../../elsewhere", a modules.json Dir): its files are
// not loaded, with one warning per directory. It returns why the module is
// not loaded, or "".
func (e *evaluator) confineModule(dir, rel string, rng hcl.Range) string {
	err := e.opts.Root.CheckDir(dir)
	if err == nil || errors.Is(err, fs.ErrNotExist) {
		return "" // loadConfig reports a missing directory
	}
	var outside *confine.OutsideError
	if errors.As(err, &outside) {
		why := fmt.Sprintf("module directory %s resolves outside the scan root", rel)
		if !e.outside[dir] {
			e.outside[dir] = true
			e.diags = append(e.diags, &hcl.Diagnostic{Severity: hcl.DiagWarning, Summary: "Outside the scan root",
				Detail:  why + "; it is not loaded and every value it would produce is unknown. --root sets the root; --allow-read-outside-root lifts this.",
				Subject: rng.Ptr()})
		}
		return why
	}
	e.outside[dir] = true
	e.diags = append(e.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Unreadable module", Detail: err.Error(), Subject: rng.Ptr()})
	return err.Error()
}

// loadConfig reads the configuration of a module directory. With single (a
// call without count or for_each, so one instance), the first caller may
// have it to itself (exclusive) and release its syntax; every later call of
// the directory shares one second copy, never released. A directory is thus
// read at most twice, however many calls name it.
func (e *evaluator) loadConfig(dir, rel string, rng hcl.Range, single bool) (mod *config.Module, exclusive bool, why string) {
	single = single && e.opts.ReleaseSyntax
	if lc, ok := e.configs[dir]; ok {
		if lc.err != nil {
			return nil, false, lc.err.Error()
		}
		if !lc.claimed {
			return lc.mod, false, ""
		}
		if lc.shared == nil {
			// Its diagnostics were reported with the first copy.
			shared, _, err := config.LoadIn(e.ctx, e.opts.Root, dir, rel)
			if err != nil {
				return nil, false, err.Error()
			}
			lc.shared = shared
		}
		return lc.shared, false, ""
	}
	mod, diags, err := config.LoadIn(e.ctx, e.opts.Root, dir, rel)
	e.configs[dir] = &loadedConfig{mod: mod, err: err, claimed: single && err == nil}
	e.diags = append(e.diags, diags...)
	e.declared += declaredBlocks(mod)
	if err != nil {
		e.diags = append(e.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Unreadable module", Detail: err.Error(), Subject: rng.Ptr()})
		return nil, false, err.Error()
	}
	return mod, single, ""
}

// expandCall evaluates a module call's count/for_each and creates its
// instances. The call's value is not used; references go per output.
func (e *evaluator) expandCall(parent *ModuleInstance, cn *callNode) cty.Value {
	c := cn.call
	dir, rel, version, why := e.moduleDir(parent, c)
	if why == "" {
		why = e.confineModule(dir, rel, c.Range)
	}
	var cfg *config.Module
	exclusive := false
	if why == "" {
		cfg, exclusive, why = e.loadConfig(dir, rel, c.Range, c.Count == nil && c.ForEach == nil)
	} else if !e.outside[dir] {
		// Once per call, whatever its instances: the fix is one terraform
		// init, and a call whose count is unknown or 0 has no instance to
		// carry the unknown.
		e.diags = append(e.diags, &hcl.Diagnostic{Severity: hcl.DiagWarning, Summary: "Module not installed",
			Detail: why + "; every value it would produce is unknown.", Subject: c.Range.Ptr()})
	}
	base := prefixed(parent.Addr, "module."+c.Name)
	keys, mode := e.expand(c.Count, c.ForEach, &scope{mod: parent}, base)
	cn.mode = mode
	for _, k := range keys {
		if !e.countInstance(c.Range) {
			break
		}
		sc := &scope{mod: parent}
		if mode == byCount {
			sc.count = k.key
		} else if mode == byForEach {
			sc.each = &eachVals{key: k.key, value: k.value}
		}
		addr := base + k.suffix
		child := e.newModuleInstance(parent, c, cfg, addr, k.key, sc)
		child.Version = version
		child.exclusive = exclusive
		if cfg == nil {
			child.NotLoaded = why
		}
		cn.instances = append(cn.instances, child)
	}
	return cty.EmptyObjectVal
}

// childVariable is the value of a module input variable.
func (e *evaluator) childVariable(m *ModuleInstance, v *config.Variable) cty.Value {
	if m.Parent == nil {
		return e.rootVariable(m, v)
	}
	if a, ok := m.Call.Args[v.Name]; ok {
		val, diags := e.exprValue(a.Expr, m.callEach)
		if diags.HasErrors() {
			return val
		}
		if val.IsNull() && !v.Nullable && v.Default != cty.NilVal {
			return v.Default
		}
		return e.convertVar(v, val, a.Expr.Range())
	}
	if v.Default != cty.NilVal {
		return v.Default
	}
	e.diags = append(e.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Missing required argument",
		Detail: fmt.Sprintf("The argument %q is required by %s, but no definition was found.", v.Name, m.Addr), Subject: m.Call.Range.Ptr()})
	return reason.Unknown(v.Type, fmt.Sprintf("%s: required input %q is not set", m.Addr, v.Name), m.Call.Range)
}

func (e *evaluator) convertVar(v *config.Variable, val cty.Value, rng hcl.Range) cty.Value {
	if v.Defaults != nil {
		val = v.Defaults.Apply(val)
	}
	conv, err := convert.Convert(val, v.Type)
	if err != nil {
		e.diags = append(e.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid value for input variable",
			Detail: fmt.Sprintf("The given value is not suitable for var.%s declared at %s: %s.", v.Name, v.Range, err), Subject: rng.Ptr()})
		return reason.Unknown(v.Type, fmt.Sprintf("var.%s: value does not match its type: %s", v.Name, err), rng)
	}
	return conv
}

// moduleOutputs builds the value of module.NAME as a reference sees it, with
// only the outputs in want (all when want is nil).
func (e *evaluator) moduleOutputs(cn *callNode, want map[string]hcl.Range, rng hcl.Range) cty.Value {
	e.resolve(&cn.node)
	one := func(m *ModuleInstance) cty.Value {
		if m.Config == nil {
			return reason.Symbolic(cty.DynamicPseudoType, m.Addr, m.NotLoaded, m.Call.Range)
		}
		attrs := map[string]cty.Value{}
		if want == nil {
			for name, n := range m.outputs {
				attrs[name] = e.resolve(n)
			}
		}
		for name, r := range want {
			n, ok := m.outputs[name]
			if !ok {
				e.diags = append(e.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Unsupported attribute",
					Detail: fmt.Sprintf("This object does not have an attribute named %q: %s declares no such output.", name, m.Addr), Subject: r.Ptr()})
				attrs[name] = reason.Unknown(cty.DynamicPseudoType, fmt.Sprintf("%s has no output %q", m.Addr, name), r)
				continue
			}
			attrs[name] = e.resolve(n)
		}
		return cty.ObjectVal(attrs)
	}
	return aggregate(cn.mode, cn.instances, func(m *ModuleInstance) (cty.Value, cty.Value) { return m.Key, one(m) })
}

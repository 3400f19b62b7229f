// Package eval evaluates a Terraform configuration the way Terraform would
// plan it, without running Terraform and without network: it loads the
// module tree (local modules and modules downloaded under .terraform/modules),
// expands count and for_each, and resolves variables, locals, module inputs
// and outputs, provider configurations and resource and data attributes on
// demand, so the evaluation order is the dependency graph across modules.
//
// Values that can not be resolved become cty unknowns carrying a
// reason.Mark; nothing is guessed. What resource types compute (ARNs, ids)
// and what data sources return is not known here: the caller supplies it as
// Knowledge.
//
// Pipeline place: Terraform source → (config → eval) → resource decoders →
// inventory.
package eval

import (
	"context"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"

	"github.com/lambdacheck/lambdacheck/analyzer/confine"
	"github.com/lambdacheck/lambdacheck/analyzer/terraform/config"
	"github.com/lambdacheck/lambdacheck/analyzer/terraform/funcs"
	"github.com/lambdacheck/lambdacheck/analyzer/terraform/reason"
)

// Limits that keep hostile or broken input bounded.
const (
	MaxModuleDepth = 32
	// MaxInstances bounds the instances count and for_each may add beyond
	// one per declared resource or module block; Options.MaxInstances
	// overrides it.
	MaxInstances = 100000
)

// VarArg is one --var (Name, Value) or --var-file (File) argument, kept in
// command-line order because Terraform applies them in that order.
type VarArg struct {
	File  string
	Name  string
	Value string
}

// Options configure one evaluation.
type Options struct {
	// Dir is the root module directory.
	Dir  string
	Vars []VarArg
	// Env is the process environment (KEY=VALUE); TF_VAR_* and AWS_REGION /
	// AWS_DEFAULT_REGION are read from it.
	Env []string
	// Account and Region apply where the provider configuration does not
	// say; empty means the documented placeholders.
	Account string
	Region  string
	// MaxInstances overrides the expansion budget (MaxInstances) when > 0.
	MaxInstances int
	// Knowledge computes resource attributes and data source results.
	Knowledge Knowledge
	// StrictVars makes a root variable without a value an error, as in
	// Terraform; otherwise its value is a symbol and a warning lists it.
	StrictVars bool
	// Root confines what is read: configuration files, modules, tfvars
	// found in the directory and files named by functions must resolve
	// inside it. nil confines nothing (still only regular files are read).
	// Files given with --var-file are the user's and are not confined.
	Root *confine.Root
	// ReleaseSyntax drops each resource's syntax tree once every instance
	// of it is evaluated (config.Resource.Release), where no other module
	// instance evaluates the same configuration: it bounds the memory of
	// large configurations. KeepReferences names, by resource type, the
	// arguments whose references the caller still reads after evaluation.
	ReleaseSyntax  bool
	KeepReferences map[string][]string
}

// Knowledge is what the evaluator needs to know about resource types.
type Knowledge interface {
	// Resource returns the value of a managed resource instance: its
	// evaluated configuration plus the attributes AWS would compute.
	Resource(inst *Instance) cty.Value
	// Data returns the result of a data source instance.
	Data(inst *Instance) (cty.Value, hcl.Diagnostics)
}

// Provider is a resolved AWS provider configuration.
type Provider struct {
	Key       string // "aws" or "aws.alias"
	Region    string
	Account   string
	Partition string
	// RegionDefault / AccountPlaceholder tell that nothing named them.
	RegionDefault      bool
	AccountPlaceholder bool
}

// PlaceholderAccount is the account id used when nothing names one.
const PlaceholderAccount = "123456789012"

// DefaultRegion is the region used when nothing names one.
const DefaultRegion = "us-east-1"

// Instance is one resource or data source instance.
type Instance struct {
	Addr     string // full address, e.g. module.api.aws_lambda_function.f["a"]
	Module   *ModuleInstance
	Resource *config.Resource
	Key      cty.Value // cty.NilVal, a number (count) or a string (for_each)
	// Config is the evaluated configuration: arguments as values, nested
	// blocks as tuples of objects. It may contain reasoned unknowns.
	Config cty.Value
	// Value is Config plus computed attributes, as references see it.
	Value    cty.Value
	Provider *Provider
}

// Result is an evaluated configuration.
type Result struct {
	Root      *ModuleInstance
	Modules   []*ModuleInstance // depth-first, calls in name order, instances in key order
	Instances []*Instance       // per module, resources in declaration order
	Default   *Provider         // the root module's default aws provider
	// Unset lists the root variables without a value, by name.
	Unset []UnsetVariable
	// NotExpanded lists resources and modules whose count or for_each is
	// unknown before apply, in evaluation order.
	NotExpanded []NotExpanded
	Diags       hcl.Diagnostics
}

// Evaluate loads and evaluates the configuration rooted at opts.Dir.
func Evaluate(ctx context.Context, opts Options) (*Result, error) {
	dir, err := filepath.Abs(opts.Dir)
	if err != nil {
		return nil, fmt.Errorf("evaluate %s: %w", opts.Dir, err)
	}
	if err := opts.Root.CheckDir(dir); err != nil {
		return nil, err
	}
	e := &evaluator{
		ctx:     ctx,
		opts:    opts,
		dir:     dir,
		configs: map[string]*loadedConfig{},
		env:     envMap(opts.Env),
		missing: map[string]bool{},
		outside: map[string]bool{},
	}
	e.funcs = funcs.TableWith(dir, funcs.Files{Root: opts.Root, OnRead: e.fileRead})
	rootCfg, diags, err := config.LoadIn(ctx, opts.Root, dir, "")
	if err != nil {
		return nil, err
	}
	e.diags = append(e.diags, diags...)
	e.declared += declaredBlocks(rootCfg)
	e.manifest = e.readManifest()
	root := e.newModuleInstance(nil, nil, rootCfg, "", cty.NilVal, nil)
	root.exclusive = true
	e.rootVars(root)
	res := &Result{Root: root}
	e.walk(root, res, 0)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	res.Default = e.provider(root, "aws")
	e.unsetSummary()
	res.Unset = e.unset
	res.NotExpanded = e.unexpanded
	res.Diags = e.diags
	return res, nil
}

type evaluator struct {
	ctx      context.Context
	opts     Options
	dir      string
	funcs    map[string]function.Function
	configs  map[string]*loadedConfig
	manifest map[string]manifestEntry
	env      map[string]string
	diags    hcl.Diagnostics
	count    int
	stopped  bool
	declared int // resource and module blocks of the configurations loaded
	// missing are the files file functions did not find or were refused
	// (outside the root), warned about once each.
	missing map[string]bool
	// outside are the paths refused as outside the scan root, warned
	// about once each.
	outside map[string]bool
	// reads are the files file functions read, in order, so that their
	// contents are kept out of diagnostics.
	reads []fileRead

	rootValues map[string]rootValue
	unset      []UnsetVariable
	unexpanded []NotExpanded
}

// NotExpanded is a resource or module whose instances are not known.
type NotExpanded struct {
	Address string
	Reason  string
	Range   hcl.Range
}

type loadedConfig struct {
	mod *config.Module
	err error
	// claimed: one module instance has it to itself and may release its
	// syntax; later calls of the directory share shared, read once more.
	claimed bool
	shared  *config.Module
}

func envMap(env []string) map[string]string {
	m := map[string]string{}
	for _, kv := range env {
		if i := strings.IndexByte(kv, '='); i > 0 {
			m[kv[:i]] = kv[i+1:]
		}
	}
	return m
}

// walk expands every module call and resolves every resource, depth first.
func (e *evaluator) walk(m *ModuleInstance, res *Result, depth int) {
	res.Modules = append(res.Modules, m)
	if m.Config == nil {
		return
	}
	for _, r := range m.Config.Resources {
		if e.ctx.Err() != nil {
			return
		}
		n := m.resources[r.Key()]
		e.resolve(&n.node)
		res.Instances = append(res.Instances, n.instances...)
	}
	for _, name := range slices.Sorted(maps.Keys(m.calls)) {
		c := m.calls[name]
		e.resolve(&c.node)
		for _, child := range c.instances {
			if depth+1 > MaxModuleDepth {
				e.diags = append(e.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Module nesting too deep",
					Detail: fmt.Sprintf("Modules are nested more than %d levels deep; %s is not evaluated.", MaxModuleDepth, child.Addr), Subject: c.call.Range.Ptr()})
				continue
			}
			e.walk(child, res, depth+1)
		}
	}
}

// node is one vertex of the evaluation graph, resolved on first use.
type node struct {
	name    string
	rng     hcl.Range
	state   int8 // 0 pending, 1 resolving, 2 done
	val     cty.Value
	compute func() cty.Value
}

func (e *evaluator) resolve(n *node) cty.Value {
	switch n.state {
	case 2:
		return n.val
	case 1:
		e.diags = append(e.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Cycle in references",
			Detail: n.name + " depends on itself through its references.", Subject: n.rng.Ptr()})
		return reason.Unknown(cty.DynamicPseudoType, "dependency cycle through "+n.name, n.rng)
	}
	n.state = 1
	v := n.compute()
	n.val, n.state = v, 2
	return v
}

// maxInstances is the expansion budget: instances beyond one per
// declared block.
func (e *evaluator) maxInstances() int {
	if e.opts.MaxInstances > 0 {
		return e.opts.MaxInstances
	}
	return MaxInstances
}

// countInstance reserves room for one more instance; false once the
// configuration has expanded past the budget. Every declared block may
// have one instance, so a large estate written out block by block never
// meets the cap; only count and for_each expansion spend it.
func (e *evaluator) countInstance(rng hcl.Range) bool {
	e.count++
	if e.count > e.maxInstances()+e.declared {
		if !e.stopped {
			e.stopped = true
			e.diags = append(e.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Too many instances",
				Detail: fmt.Sprintf("The configuration expands to more than %d resource and module instances beyond the %d blocks it declares; the rest are not evaluated. Raise the limit with --max-instances.", e.maxInstances(), e.declared), Subject: rng.Ptr()})
		}
		return false
	}
	return true
}

func declaredBlocks(m *config.Module) int {
	if m == nil {
		return 0
	}
	return len(m.Resources) + len(m.ModuleCalls)
}

package rules

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/lambdacheck/lambdacheck/analyzer/confine"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
)

// RootPackage is the package every rule lives under:
// lambdacheck.rules.<short_code with - replaced by _>.
const RootPackage = "lambdacheck.rules"

// Options says where rules come from.
type Options struct {
	// Builtin is the embedded rule set (policies.FS); nil for none.
	Builtin fs.FS
	// BuiltinPrefix names built-in files in messages, e.g. "policies".
	BuiltinPrefix string
	// Dirs are user rule directories (--policy DIR), walked recursively.
	Dirs []string
	// Timeout bounds one evaluation of all rules; zero is DefaultTimeout.
	Timeout time.Duration
	// Memory bounds how far the heap may grow while the rules run; zero
	// is DefaultMemory.
	Memory int64
}

// DefaultTimeout bounds one evaluation of all rules (--rule-timeout): the
// built-in rules take under a second on thousands of functions, and a
// custom rule may loop over a huge range and never end.
const DefaultTimeout = 30 * time.Second

// DefaultMemory bounds how far the heap may grow during one evaluation of
// all rules (--rule-memory): the built-in rules grow it by less than
// 32 MiB on a thousand functions, and a custom rule may build a range or
// a string that fills the runner's memory well before the timeout ends
// it. A rule doubling a string may have one or two allocations as large
// as all it holds in flight when the budget is crossed, so the process
// stays around 1 GiB.
const DefaultMemory int64 = 256 << 20

// Engine holds the compiled rules and the prepared query; it is safe for
// concurrent use and evaluates every rule in one pass.
type Engine struct {
	rules   []Rule
	byPkg   map[string]*Rule // "lambdacheck.rules.x" → rule
	queries []ruleQuery      // in rule order
	line    map[string]int   // package → line of its first deny rule
	timeout time.Duration
	memory  int64 // bytes of heap growth allowed while the rules run
	hasAny  bool
	// fields, for the built-in rules alone, are the names their source
	// spells (object keys, path steps, string literals): the only struct
	// members of the inventory and flows worth converting for them. Nil
	// (any rule loaded from a directory) converts the whole input.
	fields map[string]bool
}

// ruleQuery is the prepared query of one rule's deny set. Rules are
// evaluated one at a time, sharing one cache of computed values (so the
// shared library is computed once), to know which rule was running when
// the timeout ended the evaluation.
type ruleQuery struct {
	rule  *Rule
	query rego.PreparedEvalQuery
}

// WithTimeout returns a copy of e whose evaluations stop after d; d <= 0
// means DefaultTimeout.
func (e *Engine) WithTimeout(d time.Duration) *Engine {
	c := *e
	c.timeout = d
	if d <= 0 {
		c.timeout = DefaultTimeout
	}
	return &c
}

// WithMemory returns a copy of e whose evaluations stop once the heap has
// grown by more than n bytes; n <= 0 means DefaultMemory. The heap is the
// process's, so evaluations running at the same time share the budget.
func (e *Engine) WithMemory(n int64) *Engine {
	c := *e
	c.memory = n
	if n <= 0 {
		c.memory = DefaultMemory
	}
	return &c
}

// Module is one Rego source file.
type Module struct {
	Name    string // shown in messages: policies/x/x.rego or the user's path
	Source  []byte
	Builtin bool
}

var (
	idPattern        = regexp.MustCompile(`^[A-Z][A-Z0-9_-]*[0-9]+$`)
	shortCodePattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
)

// ReadModules gathers the Rego files of the built-in set and the user
// directories. Test files (*_test.rego) are included only when tests is true.
func ReadModules(opts Options, tests bool) ([]Module, error) {
	var mods []Module
	keep := func(name string) bool {
		return strings.HasSuffix(name, ".rego") && (tests || !strings.HasSuffix(name, "_test.rego"))
	}
	if opts.Builtin != nil {
		err := fs.WalkDir(opts.Builtin, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !keep(p) {
				return err
			}
			src, err := fs.ReadFile(opts.Builtin, p)
			if err != nil {
				return err
			}
			name := p
			if opts.BuiltinPrefix != "" {
				name = path.Join(opts.BuiltinPrefix, p)
			}
			mods = append(mods, Module{Name: name, Source: src, Builtin: true})
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("read built-in rules: %w", err)
		}
	}
	for _, dir := range opts.Dirs {
		info, err := os.Stat(dir)
		if err != nil {
			return nil, fmt.Errorf("policy dir: %w", err)
		}
		if !info.IsDir() {
			// A single file is accepted too: --policy my_rule.rego.
			src, err := confine.ReadInput(dir)
			if err != nil {
				return nil, fmt.Errorf("policy: %w", err)
			}
			mods = append(mods, Module{Name: dir, Source: src})
			continue
		}
		n := 0
		err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				if p != dir && strings.HasPrefix(d.Name(), ".") {
					return filepath.SkipDir
				}
				return nil
			}
			if !keep(p) {
				return nil
			}
			src, err := confine.ReadInput(p)
			if err != nil {
				return err
			}
			mods = append(mods, Module{Name: p, Source: src})
			n++
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("policy dir %s: %w", dir, err)
		}
		if n == 0 {
			return nil, fmt.Errorf("policy dir %s: no .rego files", dir)
		}
	}
	return mods, nil
}

// ParseModules parses Rego v1 sources with their METADATA annotations. Errors
// name file and line.
func ParseModules(mods []Module) (map[string]*ast.Module, error) {
	out := make(map[string]*ast.Module, len(mods))
	seen := make(map[string]bool, len(mods)) // sources already loaded
	var errs []error
	for _, m := range mods {
		// The built-in rules given again as a directory (`rules test
		// policies`, `--policy policies` in a clone) are the same files:
		// each source loads once, whatever its path.
		if seen[string(m.Source)] {
			continue
		}
		if _, dup := out[m.Name]; dup {
			return nil, fmt.Errorf("%s: loaded twice, with different contents", m.Name)
		}
		seen[string(m.Source)] = true
		mod, err := ast.ParseModuleWithOpts(m.Name, string(m.Source), ast.ParserOptions{
			ProcessAnnotation: true,
			RegoVersion:       ast.RegoV1,
		})
		if err != nil {
			errs = append(errs, regoError(err))
			continue
		}
		out[m.Name] = mod
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return out, nil
}

// regoError flattens OPA's error lists into one error per line, each
// starting with file:line.
func regoError(err error) error {
	var list ast.Errors
	if errors.As(err, &list) {
		errs := make([]error, 0, len(list))
		for _, e := range list {
			errs = append(errs, errors.New(e.Error()))
		}
		return errors.Join(errs...)
	}
	return err
}

// capabilities are OPA's builtins minus those that reach the network, read
// the clock or the runtime, or draw random numbers: rules judge the input
// and nothing else, so runs are offline and repeatable (the date is
// input.settings.today).
func capabilities() *ast.Capabilities {
	c := ast.CapabilitiesForThisVersion()
	c.Builtins = slices.DeleteFunc(slices.Clone(c.Builtins), func(b *ast.Builtin) bool {
		switch b.Name {
		case "http.send", "net.lookup_ip_addr", "opa.runtime", "time.now_ns", "rand.intn", "uuid.rfc4122", "crypto.x509.parse_and_verify_certificates":
			return true
		}
		return false
	})
	return c
}

// Load reads, parses and compiles the rules once and prepares the query
// that evaluates all of them.
func Load(ctx context.Context, opts Options) (*Engine, error) {
	mods, err := ReadModules(opts, false)
	if err != nil {
		return nil, err
	}
	e, err := Compile(ctx, mods)
	if err != nil {
		return nil, err
	}
	return e.WithTimeout(opts.Timeout).WithMemory(opts.Memory), nil
}

// Compile builds an engine from Rego sources.
func Compile(ctx context.Context, mods []Module) (*Engine, error) {
	parsed, err := ParseModules(mods)
	if err != nil {
		return nil, fmt.Errorf("parse rules: %w", err)
	}
	builtin := map[string]bool{}
	for _, m := range mods {
		builtin[m.Name] = m.Builtin
	}
	e := &Engine{byPkg: map[string]*Rule{}, line: map[string]int{}, timeout: DefaultTimeout, memory: DefaultMemory,
		fields: namedFields(parsed, builtin)}
	if err := e.readMetadata(parsed, builtin); err != nil {
		return nil, err
	}
	compiler := ast.NewCompiler().
		WithCapabilities(capabilities()).
		WithDefaultRegoVersion(ast.RegoV1)
	if compiler.Compile(parsed); compiler.Failed() {
		return nil, fmt.Errorf("compile rules: %w", regoError(compiler.Errors))
	}
	for i := range e.rules {
		r := &e.rules[i]
		q, err := rego.New(
			rego.Query(r.Package+".deny"),
			rego.Compiler(compiler),
		).PrepareForEval(ctx)
		if err != nil {
			return nil, fmt.Errorf("prepare rules query: %w", regoError(err))
		}
		e.queries = append(e.queries, ruleQuery{rule: r, query: q})
	}
	return e, nil
}

// namedFields collects every string the modules spell when all of them are
// built in; nil otherwise. A built-in rule reaches input members only by
// names written in its source — none calls a builtin that lists, walks or
// serializes an object, and their findings on every fixture are the same
// with the projection as without (projection_test.go) — so members named
// nowhere are left out of the input: on a large estate that is most of the
// inventory (policy documents, source spans) and a sixth of the flows. A
// rule of the user's may read anything, so with one the input stays whole.
func namedFields(mods map[string]*ast.Module, builtin map[string]bool) map[string]bool {
	fields := map[string]bool{}
	for name, m := range mods {
		if !builtin[name] {
			return nil
		}
		ast.WalkTerms(m, func(t *ast.Term) bool {
			if s, ok := t.Value.(ast.String); ok {
				fields[string(s)] = true
			}
			return false
		})
	}
	return fields
}

// readMetadata finds every package that defines deny and reads its
// package-scoped METADATA. A rule without complete metadata is an error:
// its findings could not be reported or gated.
func (e *Engine) readMetadata(mods map[string]*ast.Module, builtin map[string]bool) error {
	names := make([]string, 0, len(mods))
	for n := range mods {
		names = append(names, n)
	}
	sort.Strings(names)
	type pkgInfo struct {
		file    string
		deny    bool
		ann     *ast.Annotations
		annFile string
		builtin bool
	}
	pkgs := map[string]*pkgInfo{}
	var order []string
	var errs []error
	for _, n := range names {
		m := mods[n]
		p := strings.TrimPrefix(m.Package.Path.String(), "data.")
		info := pkgs[p]
		if info == nil {
			info = &pkgInfo{file: n, builtin: builtin[n]}
			pkgs[p] = info
			order = append(order, p)
		}
		for _, r := range m.Rules {
			if r.Head.Ref().String() == "deny" || r.Head.Name.String() == "deny" {
				if !info.deny && r.Location != nil {
					e.line[p] = r.Location.Row
				}
				info.deny = true
				info.file = n
			}
		}
		for _, a := range m.Annotations {
			if a.Scope != "package" {
				continue
			}
			if info.ann != nil {
				errs = append(errs, fmt.Errorf("%s:%d: package %s has METADATA in %s already", n, a.Location.Row, p, info.annFile))
				continue
			}
			info.ann, info.annFile = a, n
		}
	}
	ids := map[string]string{}
	for _, p := range order {
		info := pkgs[p]
		if !info.deny {
			continue // helper library or test package
		}
		rest, under := strings.CutPrefix(p, RootPackage+".")
		if !under || strings.Contains(rest, ".") {
			errs = append(errs, fmt.Errorf("%s: package %s defines deny but is not directly under %s (want package %s.<short_code>)", info.file, p, RootPackage, RootPackage))
			continue
		}
		r, err := ruleFromAnnotation(p, info.file, info.ann)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		r.Builtin = info.builtin
		if prev, dup := ids[r.ID]; dup {
			errs = append(errs, fmt.Errorf("%s: rule id %s is already used by %s", info.file, r.ID, prev))
			continue
		}
		ids[r.ID] = info.file
		e.rules = append(e.rules, r)
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	sort.Slice(e.rules, func(i, j int) bool { return e.rules[i].ID < e.rules[j].ID })
	for i := range e.rules {
		e.byPkg[strings.TrimPrefix(e.rules[i].Package, "data.")] = &e.rules[i]
	}
	e.hasAny = len(e.rules) > 0
	return nil
}

func ruleFromAnnotation(pkg, file string, a *ast.Annotations) (Rule, error) {
	if a == nil {
		return Rule{}, fmt.Errorf("%s: package %s has no package-scoped # METADATA (title, custom.id, custom.short_code, custom.severity)", file, pkg)
	}
	where := fmt.Sprintf("%s:%d", file, a.Location.Row)
	str := func(k string) string {
		s, _ := a.Custom[k].(string)
		return strings.TrimSpace(s)
	}
	r := Rule{
		ID:          str("id"),
		ShortCode:   str("short_code"),
		Title:       strings.TrimSpace(a.Title),
		Description: strings.TrimSpace(a.Description),
		Remediation: str("remediation"),
		Package:     "data." + pkg,
		File:        file,
	}
	var missing []string
	if r.Title == "" {
		missing = append(missing, "title")
	}
	if r.ID == "" {
		missing = append(missing, "custom.id")
	}
	if r.ShortCode == "" {
		missing = append(missing, "custom.short_code")
	}
	if str("severity") == "" {
		missing = append(missing, "custom.severity")
	}
	if len(missing) > 0 {
		return Rule{}, fmt.Errorf("%s: METADATA of %s lacks %s", where, pkg, strings.Join(missing, ", "))
	}
	if !idPattern.MatchString(r.ID) {
		return Rule{}, fmt.Errorf("%s: custom.id %q: want upper-case letters then digits, like LC001", where, r.ID)
	}
	if !shortCodePattern.MatchString(r.ShortCode) {
		return Rule{}, fmt.Errorf("%s: custom.short_code %q: want kebab-case", where, r.ShortCode)
	}
	if want := RootPackage + "." + strings.ReplaceAll(r.ShortCode, "-", "_"); want != pkg {
		return Rule{}, fmt.Errorf("%s: custom.short_code %q belongs in package %s, not %s", where, r.ShortCode, want, pkg)
	}
	sev, err := ParseSeverity(str("severity"))
	if err != nil {
		return Rule{}, fmt.Errorf("%s: custom.%w", where, err)
	}
	r.Severity = sev
	for _, rr := range a.RelatedResources {
		r.Related = append(r.Related, rr.Ref.String())
	}
	return r, nil
}

// Rules returns the loaded rules sorted by id.
func (e *Engine) Rules() []Rule { return slices.Clone(e.rules) }

package terraform

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
	"github.com/lambdacheck/lambdacheck/analyzer/loc"
	"github.com/lambdacheck/lambdacheck/analyzer/terraform/eval"
)

// builder accumulates inventory items while decoding, then links items
// that refer to each other by value (ARN, name, queue URL).
type builder struct {
	res     *eval.Result
	catalog PolicyCatalog
	k       *knowledge
	inv     *inventory.Inventory

	functions map[string]*inventory.Function // by unqualified ARN
	roles     map[string]*inventory.Role     // by account + "/" + name
	policies  map[string]*inventory.ManagedPolicy
	resources map[string]*inventory.Resource // by ARN
	queueURLs map[string]string              // queue URL → ARN
	keyIDs    map[string]string              // KMS key id → ARN
	scps      map[string]*inventory.OrgPolicy
	stashed   map[string][]*instance // API Gateway parts, linked at the end

	fnOrder, roleOrder, resOrder []string

	// attachments waiting for link
	pendingInline   []pendingPolicy
	pendingAttach   []pendingAttachment
	pendingFn       []func()
	pendingResPol   []pendingResourcePolicy
	pendingRolePols []func()
}

type pendingPolicy struct {
	account, role string
	policy        inventory.Policy
	origin        inventory.Origin
}

type pendingAttachment struct {
	account, role, arn string
	origin             inventory.Origin
}

type pendingResourcePolicy struct {
	arn    string
	svc    string
	policy inventory.Policy
	origin inventory.Origin
}

func newBuilder(res *eval.Result, c PolicyCatalog, k *knowledge) *builder {
	inv := &inventory.Inventory{Schema: inventory.SchemaVersion, Source: inventory.Source{Kind: "terraform"}}
	if res.Default != nil {
		inv.Partition, inv.Account, inv.Region = res.Default.Partition, res.Default.Account, res.Default.Region
		inv.Source.AccountPlaceholder = res.Default.AccountPlaceholder
		inv.Source.RegionDefault = res.Default.RegionDefault
	}
	return &builder{res: res, catalog: c, k: k, inv: inv,
		functions: map[string]*inventory.Function{}, roles: map[string]*inventory.Role{},
		policies: map[string]*inventory.ManagedPolicy{}, resources: map[string]*inventory.Resource{},
		queueURLs: map[string]string{}, keyIDs: map[string]string{}, scps: map[string]*inventory.OrgPolicy{},
		stashed: map[string][]*instance{}}
}

func stash(b *builder, i *instance) {
	b.stashed[i.Resource.Type] = append(b.stashed[i.Resource.Type], i)
}

// arnParts splits an ARN into partition, service, region, account, resource.
func arnParts(arn string) (partition, service, region, account, resource string, ok bool) {
	p := strings.SplitN(arn, ":", 6)
	if len(p) != 6 || p[0] != "arn" {
		return "", "", "", "", "", false
	}
	return p[1], p[2], p[3], p[4], p[5], true
}

// function returns the function with this unqualified ARN, creating an
// external stub for functions the configuration does not define.
func (b *builder) function(arn string, origin inventory.Origin) *inventory.Function {
	if f, ok := b.functions[arn]; ok {
		return f
	}
	_, _, region, account, res, _ := arnParts(arn)
	name := strings.TrimPrefix(res, "function:")
	f := &inventory.Function{Origin: origin, External: true, Name: name, ARN: arn, Account: account, Region: region, ReservedConcurrency: -1}
	b.functions[arn] = f
	b.fnOrder = append(b.fnOrder, arn)
	return f
}

func (b *builder) addFunction(f *inventory.Function) {
	key := f.ARN
	if key == "" {
		key = "address:" + f.Address
	}
	if prev, ok := b.functions[key]; ok && !prev.External {
		b.diag(hcl.DiagWarning, "Duplicate function", fmt.Sprintf("%s and %s resolve to the same function ARN %s; keeping the first.", prev.Address, f.Address, key), f.Origin)
		return
	} else if ok {
		// A data source or a stub came first; the managed definition wins
		// but keeps what was attached so far.
		f.Aliases, f.Permissions, f.URLs = append(prev.Aliases, f.Aliases...), append(prev.Permissions, f.Permissions...), append(prev.URLs, f.URLs...)
		f.AsyncConfigs, f.ResourcePolicies = append(prev.AsyncConfigs, f.AsyncConfigs...), append(prev.ResourcePolicies, f.ResourcePolicies...)
		*prev = *f
		return
	}
	b.functions[key] = f
	b.fnOrder = append(b.fnOrder, key)
}

func roleKey(account, name string) string { return account + "/" + name }

func (b *builder) addRole(r *inventory.Role) {
	key := roleKey(r.Account, r.Name)
	if r.Name == "" {
		key = "address:" + r.Address
	}
	if prev, ok := b.roles[key]; ok {
		if prev.External {
			*prev = *r
			return
		}
		b.diag(hcl.DiagWarning, "Duplicate role", fmt.Sprintf("%s and %s define the same role %s; keeping the first.", prev.Address, r.Address, r.Name), r.Origin)
		return
	}
	b.roles[key] = r
	b.roleOrder = append(b.roleOrder, key)
}

// role finds a role by account and name (or ARN), creating an external
// stub when the configuration does not define it.
func (b *builder) role(account, nameOrARN string, origin inventory.Origin) *inventory.Role {
	name := nameOrARN
	if _, svc, _, acct, res, ok := arnParts(nameOrARN); ok && svc == "iam" {
		account = acct
		name = res[strings.LastIndexByte(res, '/')+1:]
	}
	key := roleKey(account, name)
	if r, ok := b.roles[key]; ok {
		return r
	}
	r := &inventory.Role{Origin: origin, External: true, Name: name, Account: account}
	if strings.HasPrefix(nameOrARN, "arn:") {
		r.ARN = nameOrARN
	} else {
		r.Unknown = append(r.Unknown, inventory.Unknown{Field: "arn", Reason: "role " + name + " is not defined in this configuration, so its path is unknown", Span: loc.At(origin.File, origin.Line)})
	}
	b.roles[key] = r
	b.roleOrder = append(b.roleOrder, key)
	return r
}

func (b *builder) addResource(r *inventory.Resource) *inventory.Resource {
	key := r.ARN
	if key == "" {
		key = "address:" + r.Address
	}
	if prev, ok := b.resources[key]; ok {
		if prev.External && !r.External {
			if r.Policy == nil {
				r.Policy = prev.Policy
			}
			*prev = *r
			return prev
		}
		if !r.External {
			b.diag(hcl.DiagWarning, "Duplicate resource", fmt.Sprintf("%s and %s resolve to the same ARN %s; keeping the first.", prev.Address, r.Address, key), r.Origin)
		}
		return prev
	}
	b.resources[key] = r
	b.resOrder = append(b.resOrder, key)
	return r
}

// resource finds a resource by ARN, creating an external stub.
func (b *builder) resource(arn, service string, origin inventory.Origin) *inventory.Resource {
	if r, ok := b.resources[arn]; ok {
		return r
	}
	_, svc, region, account, res, ok := arnParts(arn)
	if ok {
		service = svc
	}
	r := &inventory.Resource{Origin: origin, External: true, Type: "external", Service: service, ARN: arn, Account: account, Region: region, Name: lastPart(res)}
	return b.addResource(r)
}

func lastPart(res string) string {
	if i := strings.LastIndexAny(res, ":/"); i >= 0 {
		return res[i+1:]
	}
	return res
}

func (b *builder) diag(sev hcl.DiagnosticSeverity, summary, detail string, o inventory.Origin) {
	s := "error"
	if sev == hcl.DiagWarning {
		s = "warning"
	}
	b.inv.Diags = append(b.inv.Diags, inventory.Diagnostic{Severity: s, Summary: summary, Detail: detail, Span: loc.At(o.File, o.Line)})
}

func (b *builder) unresolved(o inventory.Origin, why string) {
	b.inv.Unknown = append(b.inv.Unknown, inventory.UnknownOutside{Address: o.Address, Reason: why, Span: loc.At(o.File, o.Line)})
}

// policy builds an inline policy from a document argument.
func policyFrom(o obj, attr, name string, origin inventory.Origin) inventory.Policy {
	p := inventory.Policy{Name: name, Origin: origin}
	o.unknown = &p.Unknown
	o.prefix = ""
	doc, ok := o.document(attr, "document")
	if ok {
		p.Document = doc
	}
	return p
}

// link attaches what was decoded separately, resolves managed policies and
// renders function resource policies.
func (b *builder) link() {
	for _, f := range b.pendingFn {
		f()
	}
	b.linkAPIGateway()
	for _, p := range b.pendingInline {
		r := b.role(p.account, p.role, p.origin)
		r.InlinePolicies = append(r.InlinePolicies, p.policy)
	}
	for _, a := range b.pendingAttach {
		r := b.role(a.account, a.role, a.origin)
		dup := false
		for _, p := range r.AttachedPolicies {
			dup = dup || p.ARN == a.arn
		}
		if !dup {
			r.AttachedPolicies = append(r.AttachedPolicies, b.managed(a.arn, a.origin))
		}
	}
	for _, f := range b.pendingRolePols {
		f()
	}
	for _, rp := range b.pendingResPol {
		r := b.resource(rp.arn, rp.svc, rp.origin)
		if r.Policy != nil && r.Policy.Address != rp.policy.Address {
			b.diag(hcl.DiagWarning, "Conflicting resource policies",
				fmt.Sprintf("%s and %s both set the policy of %s; the last applied wins in AWS, lambdacheck keeps %s.", r.Policy.Address, rp.policy.Address, rp.arn, rp.policy.Address), rp.origin)
		}
		pol := rp.policy
		r.Policy = &pol
	}
	for _, key := range b.fnOrder {
		b.renderFunctionPolicies(b.functions[key])
	}
	for i := range b.inv.Triggers {
		t := &b.inv.Triggers[i]
		if t.FunctionARN == "" {
			continue
		}
		if f, ok := b.functions[t.FunctionARN]; ok && !f.External {
			t.FunctionAddress = f.Address
		}
	}
}

// managed resolves an attached policy ARN: a customer managed policy of
// this configuration, or an AWS managed policy from the catalog.
func (b *builder) managed(arn string, origin inventory.Origin) inventory.Policy {
	if p, ok := b.policies[arn]; ok {
		return p.Policy
	}
	if strings.Contains(arn, ":iam::aws:policy/") && b.catalog != nil {
		if mp, ok := b.catalog.ManagedPolicy(arn); ok {
			return inventory.Policy{Name: mp.Name, ARN: arn, Managed: "aws", Deprecated: mp.Deprecated,
				Document: json.RawMessage(mp.Document), Origin: origin}
		}
	}
	p := inventory.Policy{ARN: arn, Origin: origin, Name: lastPart(arn)}
	why := "policy " + arn + " is not defined in this configuration"
	if strings.Contains(arn, ":iam::aws:policy/") {
		p.Managed = "aws"
		why = "AWS managed policy " + arn + " is not in the bundled catalog"
	} else {
		p.Managed = "customer"
	}
	p.Unknown = append(p.Unknown, inventory.Unknown{Field: "document", Reason: why, Span: loc.At(origin.File, origin.Line)})
	return p
}

func (b *builder) finish() {
	for _, key := range b.fnOrder {
		b.inv.Functions = append(b.inv.Functions, *b.functions[key])
	}
	for _, key := range b.roleOrder {
		b.inv.Roles = append(b.inv.Roles, *b.roles[key])
	}
	for _, key := range b.resOrder {
		b.inv.Resources = append(b.inv.Resources, *b.resources[key])
	}
	var pk []string
	for k := range b.policies {
		pk = append(pk, k)
	}
	sort.Strings(pk)
	for _, k := range pk {
		b.inv.Policies = append(b.inv.Policies, *b.policies[k])
	}
	var sk []string
	for k := range b.scps {
		sk = append(sk, k)
	}
	sort.Strings(sk)
	for _, k := range sk {
		b.inv.SCPs = append(b.inv.SCPs, *b.scps[k])
	}
	sort.SliceStable(b.inv.Functions, func(i, j int) bool {
		return less(b.inv.Functions[i].Address, b.inv.Functions[i].ARN, b.inv.Functions[j].Address, b.inv.Functions[j].ARN)
	})
	sort.SliceStable(b.inv.Roles, func(i, j int) bool {
		return less(b.inv.Roles[i].Address, b.inv.Roles[i].Name, b.inv.Roles[j].Address, b.inv.Roles[j].Name)
	})
	sort.SliceStable(b.inv.Resources, func(i, j int) bool {
		return less(b.inv.Resources[i].Address, b.inv.Resources[i].ARN, b.inv.Resources[j].Address, b.inv.Resources[j].ARN)
	})
	sort.SliceStable(b.inv.Policies, func(i, j int) bool {
		return less(b.inv.Policies[i].Address, b.inv.Policies[i].ARN, b.inv.Policies[j].Address, b.inv.Policies[j].ARN)
	})
	sort.SliceStable(b.inv.SCPs, func(i, j int) bool { return less(b.inv.SCPs[i].Address, "", b.inv.SCPs[j].Address, "") })
	sort.SliceStable(b.inv.Triggers, func(i, j int) bool {
		a, c := b.inv.Triggers[i], b.inv.Triggers[j]
		if a.Address != c.Address {
			return a.Address < c.Address
		}
		if a.SourceARN != c.SourceARN {
			return a.SourceARN < c.SourceARN
		}
		return a.Target < c.Target
	})
	sortSkipped(b.inv.Skipped)
	b.inv.Waivers = waivers(b.res.Modules)
	for _, m := range b.res.Modules {
		if m.Parent == nil {
			continue
		}
		mod := inventory.Module{Address: m.Addr, Source: m.Source, Version: m.Version, Loaded: m.Config != nil,
			File: m.Call.Range.Filename, Line: m.Call.Range.Start.Line}
		if m.Config != nil {
			mod.Dir = m.Config.Rel
		} else {
			b.inv.Unknown = append(b.inv.Unknown, inventory.UnknownOutside{Address: m.Addr,
				Reason: m.NotLoaded + "; every value it would produce is unknown", Span: loc.At(mod.File, mod.Line)})
		}
		b.inv.Modules = append(b.inv.Modules, mod)
	}
	for _, n := range b.res.NotExpanded {
		b.inv.Unknown = append(b.inv.Unknown, inventory.UnknownOutside{Address: n.Address, Reason: n.Reason,
			Span: loc.At(n.Range.Filename, n.Range.Start.Line)})
	}
	for _, u := range b.res.Unset {
		b.inv.Unknown = append(b.inv.Unknown, inventory.UnknownOutside{Address: "var." + u.Name,
			Reason: fmt.Sprintf("needs a value: no default, and no --var, --var-file, .tfvars file or TF_VAR_%s sets it; values derived from it are symbolic (<var.%s>)", u.Name, u.Name),
			Span:   loc.At(u.Range.Filename, u.Range.Start.Line)})
	}
	seen := map[string]bool{}
	var diags []inventory.Diagnostic
	for _, d := range b.res.Diags {
		nd := inventory.Diagnostic{Severity: "error", Summary: d.Summary, Detail: d.Detail}
		if d.Severity == hcl.DiagWarning {
			nd.Severity = "warning"
		}
		if d.Subject != nil {
			nd.File, nd.Line, nd.Column = d.Subject.Filename, d.Subject.Start.Line, d.Subject.Start.Column
		}
		key := fmt.Sprintf("%s|%s|%s|%s|%d|%d", nd.Severity, nd.Summary, nd.Detail, nd.File, nd.Line, nd.Column)
		if !seen[key] {
			seen[key] = true
			diags = append(diags, nd)
		}
	}
	b.inv.Diags = capDiags(append(diags, b.inv.Diags...), MaxDiagsPerFile)
}

// MaxDiagsPerFile bounds the diagnostics kept for one file: a file of
// random bytes yields one per token, thousands that say nothing more than
// the first few and bury the rest of the report.
const MaxDiagsPerFile = 20

// capDiags keeps the first max diagnostics of each file, in order, and ends
// with one per file that had more, saying how many were dropped. That one
// is an error when any dropped one was, so the exit status stays the same.
func capDiags(diags []inventory.Diagnostic, max int) []inventory.Diagnostic {
	type dropped struct {
		first       inventory.Diagnostic
		count, errs int
	}
	kept := 0
	seen := map[string]int{}
	over := map[string]*dropped{}
	var order []string
	for _, d := range diags {
		seen[d.File]++
		if seen[d.File] <= max {
			diags[kept] = d
			kept++
			continue
		}
		o := over[d.File]
		if o == nil {
			o = &dropped{first: d}
			over[d.File] = o
			order = append(order, d.File)
		}
		o.count++
		if d.Severity == "error" {
			o.errs++
		}
	}
	out := diags[:kept]
	for _, file := range order {
		o := over[file]
		sev := "warning"
		if o.errs > 0 {
			sev = "error"
		}
		name := file
		if name == "" {
			name = "the configuration"
		}
		out = append(out, inventory.Diagnostic{Severity: sev,
			Summary: fmt.Sprintf("%d more diagnostics in %s not shown", o.count, name),
			Detail: fmt.Sprintf("Only the first %d diagnostics of a file are shown (the diagnostics limit); %d of those not shown are errors. The first not shown is at this line.",
				max, o.errs),
			Span: loc.Span{File: file, Line: o.first.Line, Column: o.first.Column}})
	}
	return out
}

// less orders items by address, then by a second key for items that share
// one (external stubs have the address of what referred to them).
func less(a1, a2, b1, b2 string) bool {
	if a1 != b1 {
		return a1 < b1
	}
	return a2 < b2
}

// waivers collects the inline waivers of every module's files once (a
// module called several times shares its files), in file and line order.
func waivers(mods []*eval.ModuleInstance) []inventory.Waiver {
	seen := map[string]bool{} // by directory: a module read twice is one
	var out []inventory.Waiver
	for _, m := range mods {
		if m.Config == nil || seen[m.Config.Dir] {
			continue
		}
		seen[m.Config.Dir] = true
		for _, w := range m.Config.Waivers {
			out = append(out, inventory.Waiver{Rules: w.Rules, Reason: w.Reason, File: w.File, Line: w.Line, BlockStart: w.BlockStart, BlockEnd: w.BlockEnd})
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].File != out[j].File {
			return out[i].File < out[j].File
		}
		return out[i].Line < out[j].Line
	})
	return out
}

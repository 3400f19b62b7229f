package simulator

import (
	"sync"

	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	catalog "github.com/lambdacheck/lambdacheck/analyzer/awsref"
	"github.com/lambdacheck/lambdacheck/analyzer/iam"
	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
	"github.com/lambdacheck/lambdacheck/analyzer/loc"
	"github.com/lambdacheck/lambdacheck/simulator/flow"
)

// world is the inventory indexed by ARN, with every policy document parsed
// and compiled once.
type world struct {
	inv     *inventory.Inventory
	cat     *catalog.Catalog
	opts    Options
	funcs   map[string]*inventory.Function // unqualified ARN → function
	roles   map[string]*roleInfo           // role ARN → role
	res     map[string]*resourceInfo       // ARN (and stream ARNs) → resource
	scps    [][]*iam.Policy
	resList []*resourceInfo
	fnRes   []*resourceInfo // functions as access targets, in inventory order
	// byService holds resList by the service of each ARN.
	byService map[string][]*resourceInfo
	// actionCache memoizes the catalog actions per service and resource types.
	actionCache map[string][]string
	actionMu    sync.Mutex
	unknown     []flow.UnknownValue
	seenUnk     map[string]bool
	// grantsTo indexes resource policies by the AWS principal an Allow
	// names: a role ARN, "account:ID", or "*".
	grantsTo map[string][]*resourceInfo
	// pollTriggers are the poll triggers by function ARN.
	pollTriggers map[string][]*inventory.Trigger
	agg          aggIndex
	// filters are the triggers' filters by address and source ARN.
	filters map[[2]string]*inventory.Filter
	// outside memoizes outsideGroups for statements with wildcard actions.
	outside memo[[]outsideGroup]
}

// roleInfo is a role with its compiled policies. incomplete is set when a
// document could not be resolved or parsed, so that no decision that
// depends on the role is reported as certain.
type roleInfo struct {
	role     *inventory.Role
	identity []*iam.Policy
	// identityAt is, for each compiled identity policy, its position in
	// the role's inline policies followed by its attached policies.
	identityAt []int
	boundary   []*iam.Policy
	trust      *iam.Policy
	incomplete string // why the policy set is not complete ("" when it is)
}

type resourceInfo struct {
	order      int // position in world.resList
	res        *inventory.Resource
	policy     *iam.Policy
	incomplete string
	// unknownPolicy is set for a resource the source only refers to (a
	// data lookup, an ARN written out): it may have a resource policy
	// nobody here can see. It matters where that policy must grant.
	unknownPolicy string
	class         string // service and resource type (classify)
	shape         string // hash of its policy with its own ARN as a token (policyShape)
}

func newWorld(inv *inventory.Inventory, cat *catalog.Catalog, opts Options) *world {
	w := &world{
		inv: inv, cat: cat, opts: opts,
		funcs:   map[string]*inventory.Function{},
		roles:   map[string]*roleInfo{},
		res:     map[string]*resourceInfo{},
		seenUnk: map[string]bool{},

		actionCache: map[string][]string{},
	}
	for i := range inv.Functions {
		f := &inv.Functions[i]
		if f.ARN != "" {
			w.funcs[f.ARN] = f
		}
	}
	for i := range inv.Roles {
		r := &inv.Roles[i]
		w.roles[r.ARN] = w.compileRole(r)
	}
	infos := make([]*resourceInfo, len(inv.Resources))
	for i := range inv.Resources {
		r := &inv.Resources[i]
		info := &resourceInfo{res: r}
		infos[i] = info
		if r.Policy != nil {
			info.policy, info.incomplete = w.compile(r.Policy, iam.ResourcePolicy, r.Address)
		}
		for _, u := range r.Unknown {
			if u.Field == "policy" || strings.HasPrefix(u.Field, "policy.") {
				info.incomplete = "its policy is unknown: " + u.Reason
			}
		}
		if r.External && r.Policy == nil && info.incomplete == "" {
			info.unknownPolicy = fmt.Sprintf("%s is defined outside the configuration (%s), so its resource policy is not known", nonEmpty(r.Address, r.ARN), r.Type)
		}
		if r.ARN != "" {
			w.res[r.ARN] = info
		}
	}
	// A table's or stream's stream ARN leads to it, unless the stream is an
	// item of its own (with its own resource policy, as a DynamoDB stream
	// has).
	for i := range inv.Resources {
		r := &inv.Resources[i]
		for _, s := range r.StreamARNs {
			if _, own := w.res[s]; s != "" && !own {
				w.res[s] = infos[i]
			}
		}
	}
	// Functions are resources too: a role may invoke or manage them. They
	// join by ARN like any other resource, with their unqualified
	// function's resource policy.
	for i := range inv.Functions {
		f := &inv.Functions[i]
		if f.ARN == "" || w.res[f.ARN] != nil {
			continue
		}
		info := &resourceInfo{res: &inventory.Resource{Origin: f.Origin, External: f.External, Type: "aws_lambda_function",
			Service: "lambda", Name: f.Name, ARN: f.ARN, Account: f.Account, Region: f.Region}}
		fp := w.functionPolicy(f, "")
		info.policy, info.incomplete = fp.pol, fp.why
		if f.External && len(f.ResourcePolicies) == 0 && info.incomplete == "" {
			info.unknownPolicy = fmt.Sprintf("%s is defined outside the configuration, so its resource policy is not known", nonEmpty(f.Address, f.ARN))
		}
		w.res[f.ARN] = info
		w.fnRes = append(w.fnRes, info)
	}
	w.scps = w.compileSCPs()
	w.pollTriggers = map[string][]*inventory.Trigger{}
	for i := range inv.Triggers {
		if t := &inv.Triggers[i]; t.Kind == "poll" {
			w.pollTriggers[t.FunctionARN] = append(w.pollTriggers[t.FunctionARN], t)
		}
	}
	return w
}

// compile parses one inventory policy document. It returns the reason when
// the document is unknown or invalid (and records it as an unknown value).
func (w *world) compile(p *inventory.Policy, kind iam.Kind, owner string) (*iam.Policy, string) {
	name := p.Name
	if name == "" {
		name = owner
	}
	for _, u := range p.Unknown {
		if u.Field == "document" || u.Field == "" {
			w.addUnknown(owner, "policy "+name, u.Reason, u.File, u.Line)
			return nil, fmt.Sprintf("policy %s is unknown: %s", name, u.Reason)
		}
	}
	if len(p.Document) == 0 {
		w.addUnknown(owner, "policy "+name, "the policy document is empty", p.File, p.Line)
		return nil, fmt.Sprintf("policy %s has no document", name)
	}
	// Compact the document so every statement maps to the line that
	// defines the policy in the source.
	var buf bytes.Buffer
	if err := json.Compact(&buf, p.Document); err != nil {
		w.addUnknown(owner, "policy "+name, "invalid JSON: "+err.Error(), p.File, p.Line)
		return nil, fmt.Sprintf("policy %s is not valid JSON", name)
	}
	file, line := p.File, p.Line
	pol, err := iam.Parse(buf.Bytes(), kind, iam.Source{Name: name, File: file, Line: line})
	if err != nil {
		w.addUnknown(owner, "policy "+name, err.Error(), file, line)
		return nil, fmt.Sprintf("policy %s is invalid: %v", name, err)
	}
	return pol, ""
}

func (w *world) compileRole(r *inventory.Role) *roleInfo {
	info := &roleInfo{role: r}
	add := func(p *inventory.Policy, at int) {
		pol, why := w.compile(p, iam.IdentityPolicy, r.Address)
		if pol != nil {
			info.identity = append(info.identity, pol)
			info.identityAt = append(info.identityAt, at)
		} else if info.incomplete == "" {
			info.incomplete = why
		}
	}
	for i := range r.InlinePolicies {
		add(&r.InlinePolicies[i], i)
	}
	for i := range r.AttachedPolicies {
		add(&r.AttachedPolicies[i], len(r.InlinePolicies)+i)
	}
	if r.PermissionsBoundary != nil {
		pol, why := w.compile(r.PermissionsBoundary, iam.BoundaryPolicy, r.Address)
		if pol != nil {
			info.boundary = []*iam.Policy{pol}
		} else if info.incomplete == "" {
			info.incomplete = why
		}
	}
	if r.TrustPolicy != nil {
		info.trust, _ = w.compile(r.TrustPolicy, iam.ResourcePolicy, r.Address)
	}
	for _, u := range r.Unknown {
		if info.incomplete == "" && (strings.Contains(u.Field, "polic") || u.Field == "permissions_boundary") {
			info.incomplete = fmt.Sprintf("%s is unknown: %s", u.Field, u.Reason)
		}
		w.addUnknown(r.Address, u.Field, u.Reason, u.File, u.Line)
	}
	return info
}

// compileSCPs arranges the SCPs attached to the organization root, to OUs
// and to the account into levels (root first). Terraform shows only the
// policies it manages, not the FullAWSAccess policy AWS attaches at every
// level by default, so each level implies it and only Deny statements bite.
func (w *world) compileSCPs() [][]*iam.Policy {
	levels := map[int][]*iam.Policy{}
	for i := range w.inv.SCPs {
		s := &w.inv.SCPs[i]
		if s.Type != "" && s.Type != "SERVICE_CONTROL_POLICY" {
			continue
		}
		pol, _ := w.compile(&s.Policy, iam.ServiceControlPolicy, s.Address)
		if pol == nil {
			continue
		}
		lvl := 2 // account
		for _, t := range s.Targets {
			switch {
			case strings.HasPrefix(t, "r-"):
				lvl = 0
			case strings.HasPrefix(t, "ou-"):
				lvl = 1
			}
		}
		levels[lvl] = append(levels[lvl], pol)
	}
	if len(levels) == 0 {
		return nil
	}
	full, err := iam.Parse([]byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`), iam.ServiceControlPolicy, iam.Source{Name: "FullAWSAccess (implied)"})
	if err != nil {
		return nil
	}
	var keys []int
	for k := range levels {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	var out [][]*iam.Policy
	for _, k := range keys {
		out = append(out, append([]*iam.Policy{full}, levels[k]...))
	}
	return out
}

func (w *world) addUnknown(address, field, reason, file string, line int) {
	key := address + "\x00" + field + "\x00" + reason
	if w.seenUnk[key] {
		return
	}
	w.seenUnk[key] = true
	w.unknown = append(w.unknown, flow.UnknownValue{Address: address, Field: field, Reason: reason, Span: loc.At(file, line)})
}

// funcPolicy is a function's resource policy for one qualifier, as far as the
// source knows it.
type funcPolicy struct {
	pol *iam.Policy
	why string // the whole policy is unknown ("" when it is known or absent)
	// leftOut are permissions the source could not render into statements
	// (a field is unknown). Each can only add a grant, and only for the
	// requests its known fields admit.
	leftOut []inventory.Permission
}

// leftOutField marks, in a rendered resource policy's unknown list, a
// statement the source left out; the rest of the document is complete.
const leftOutField = "statements"

// functionPolicy returns the function's resource policy for a qualifier
// ("" is the unqualified function). Policies are per qualifier: the one of
// the unqualified function does not cover an alias, nor the reverse.
func (w *world) functionPolicy(f *inventory.Function, qualifier string) funcPolicy {
	for i := range f.ResourcePolicies {
		qp := &f.ResourcePolicies[i]
		if qp.Qualifier != qualifier {
			continue
		}
		var fp funcPolicy
		fp.pol, fp.why = w.compile(&qp.Policy, iam.ResourcePolicy, f.Address)
		if fp.why != "" {
			return fp
		}
		pointAtPermissions(fp.pol, f, qp)
		for _, u := range qp.Unknown {
			if u.Field == leftOutField {
				w.addUnknown(f.Address, "policy "+nonEmpty(qp.Name, f.Address), u.Reason, u.File, u.Line)
			}
		}
		if hasUnknown(qp.Unknown, leftOutField) {
			fp.leftOut = leftOutPermissions(f, qualifier)
		}
		return fp
	}
	return funcPolicy{}
}

// pointAtPermissions makes each statement of a resource policy that the
// source assembled from permissions (the policy is located at the function
// itself) point at the permission block that wrote it, matched by statement
// id and qualifier, so a finding or step names that block and its line.
func pointAtPermissions(pol *iam.Policy, f *inventory.Function, qp *inventory.QualifiedPolicy) {
	if pol == nil || qp.Address != f.Address {
		return
	}
	for _, st := range pol.Statements {
		for i := range f.Permissions {
			p := &f.Permissions[i]
			if p.StatementID == st.Sid && p.Qualifier == qp.Qualifier && p.File != "" {
				st.Written = &iam.Source{Name: p.Address, File: p.File, Line: p.Line}
				break
			}
		}
	}
}

// leftOutPermissions lists the permissions on a qualifier that the source
// could not render. When the inventory says statements are missing but
// names none (a snapshot from elsewhere), one permission of unknown
// principal and action stands for them: it may grant anything.
func leftOutPermissions(f *inventory.Function, qualifier string) []inventory.Permission {
	var out []inventory.Permission
	for _, p := range f.Permissions {
		if p.Qualifier == qualifier && (len(p.Unknown) > 0 || p.Principal == "") {
			out = append(out, p)
		}
	}
	if len(out) == 0 {
		out = append(out, inventory.Permission{StatementID: "(unnamed)", Qualifier: qualifier,
			Unknown: []inventory.Unknown{{Field: "principal", Reason: "the statement is not known"}}})
	}
	return out
}

// accountOf returns the account of an ARN, or def when the ARN has none.
func accountOf(arn, def string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) == 6 && parts[4] != "" {
		return parts[4]
	}
	return def
}

// serviceOf returns the service field of an ARN.
func serviceOf(arn string) string {
	rest, ok := strings.CutPrefix(arn, "arn:")
	if !ok {
		return ""
	}
	i := strings.IndexByte(rest, ':')
	if i < 0 {
		return ""
	}
	rest = rest[i+1:]
	if j := strings.IndexByte(rest, ':'); j >= 0 {
		return rest[:j]
	}
	return ""
}

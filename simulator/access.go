package simulator

import (
	"fmt"
	"maps"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"

	catalog "github.com/lambdacheck/lambdacheck/analyzer/awsref"
	"github.com/lambdacheck/lambdacheck/analyzer/iam"
	"github.com/lambdacheck/lambdacheck/analyzer/iam/pattern"
	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
	"github.com/lambdacheck/lambdacheck/analyzer/loc"
	"github.com/lambdacheck/lambdacheck/simulator/eventsource"
	"github.com/lambdacheck/lambdacheck/simulator/flow"
)

// target is one resource ARN (or sub-resource pattern such as a bucket's
// "uploads/*" objects) that some statement may grant the role.
type target struct {
	arn     string
	owner   *resourceInfo // the inventory resource it belongs to
	actions map[string]bool
}

// accessFlows simulates what each function's execution role can do to every
// inventory resource and to resources outside the inventory.
// Instead of trying every action on every resource, it starts from the
// statements that could grant the role something: each Allow statement's
// Resource patterns select the resources (by exact ARN, by sub-resource
// prefix, or by pattern among the resources of the statement's services) and
// its Action patterns select the candidate actions among those the catalog
// says apply to that resource type.
func (w *world) accessFlows() []flow.Flow {
	// Functions are independent: they are decided in parallel, each into
	// its own slot, and joined in inventory order. The world is read-only
	// here but for the action cache, which locks.
	w.uniqueResources()
	per := make([][]flow.Flow, len(w.inv.Functions))
	next := make(chan int)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := range next {
				fn := &w.inv.Functions[i]
				role := w.roles[fn.Role]
				if fn.External || fn.Role == "" || role == nil {
					continue
				}
				per[i] = append(w.functionAccess(fn, role), w.destinationFlows(fn, role)...)
			}
		})
	}
	total := len(w.inv.Functions)
	for i := range w.inv.Functions {
		next <- i
		if w.opts.Progress != nil {
			w.opts.Progress(i+1, total)
		}
	}
	close(next)
	wg.Wait()
	return slices.Concat(per...)
}

func (w *world) functionAccess(fn *inventory.Function, role *roleInfo) []flow.Flow {
	p, ok := sessionPrincipal(role.role.ARN, fn.Name)
	if !ok {
		return nil
	}
	targets := map[string]*target{}
	var outside []*iam.Statement
	addTarget := func(arn string, owner *resourceInfo, s *iam.Statement) {
		t := targets[arn]
		if t == nil {
			t = &target{arn: arn, owner: owner, actions: map[string]bool{}}
			targets[arn] = t
		}
		for _, a := range w.candidateActions(s, arn) {
			t.actions[a] = true
		}
	}
	groups := map[string]*aggGroup{}
	for _, pol := range role.identity {
		for _, s := range pol.Statements {
			if s.Effect != iam.Allow {
				continue
			}
			matchedAny := false
			for _, rp := range statementResources(s) {
				covered := w.coveredByInventory(rp)
				if !w.opts.PerResource && strings.ContainsAny(rp, "*?") && !strings.ContainsAny(rp, "$<") && !covered {
					sp := w.splitFor(rp, statementServices(s), role.role.Account)
					for _, m := range sp.rest {
						addTarget(m.arn, m.owner, s)
					}
					addToGroups(groups, sp, rp, s)
				} else {
					for _, m := range w.resourcesMatching(rp, s) {
						addTarget(m.arn, m.owner, s)
						matchedAny = true
					}
				}
				// A pattern that may reach beyond the inventory is an outside
				// flow too.
				if !covered {
					matchedAny = false
				}
			}
			if !matchedAny || s.NotResource {
				outside = append(outside, s)
			}
		}
	}
	// Resource policies that grant the role (or its account) directly.
	for _, info := range w.grantingResources(role.role) {
		for _, s := range info.policy.Statements {
			if s.Effect != iam.Allow || s.Principal == nil || !namesRole(s.Principal, role.role) {
				continue
			}
			if s.Principal.Any && w.funcs[info.res.ARN] != nil {
				// A function open to everyone is reported by its reach
				// flows; linking every role to it would make every
				// function a caller of it.
				continue
			}
			addTarget(info.res.ARN, info, s)
		}
	}

	ctx := roleContext(role.role.ARN, role.role.Account, w.opts.OrgID)
	var flows []flow.Flow
	gkeys := make([]string, 0, len(groups))
	for k := range groups {
		gkeys = append(gkeys, k)
	}
	sort.Strings(gkeys)
	// Two sets of one type that share members ("*" and "…:acme-*"): the
	// shared ones are decided one by one, with the actions of both.
	for i, ka := range gkeys {
		for _, kb := range gkeys[i+1:] {
			a, b := groups[ka], groups[kb]
			if a.class != b.class {
				continue
			}
			if both := w.overlap(a, b); len(both) > 0 {
				a.forced = append(a.forced, both...)
				b.forced = append(b.forced, both...)
			}
		}
	}
	for _, k := range gkeys {
		flows = append(flows, w.groupFlows(fn, role, p, ctx, groups[k], targets, targets)...)
	}
	arns := make([]string, 0, len(targets))
	for a := range targets {
		arns = append(arns, a)
	}
	sort.Strings(arns)
	for _, arn := range arns {
		t := targets[arn]
		if len(t.actions) == 0 {
			continue
		}
		flows = append(flows, w.targetFlows(fn, role, p, ctx, t)...)
	}
	flows = append(flows, w.outsideFlows(fn, role, p, ctx, outside)...)
	return flows
}

// statementResources returns a statement's Resource patterns ("*" for a
// NotResource statement, which reaches everything it does not exclude).
func statementResources(s *iam.Statement) []string {
	if s.NotResource || s.Resources == nil {
		return []string{"*"}
	}
	return s.Resources
}

type match struct {
	arn   string
	owner *resourceInfo
}

// resourcesMatching finds the inventory resources a Resource pattern covers:
// resource ARNs it matches, and sub-resources under a resource (the pattern
// itself stands for them, e.g. "arn:aws:s3:::b/uploads/*").
func (w *world) resourcesMatching(rp string, s *iam.Statement) []match {
	if !strings.ContainsAny(rp, "*?$") {
		if info, ok := w.res[rp]; ok {
			return []match{{rp, info}}
		}
		if owner := w.ownerOf(rp); owner != nil {
			return []match{{rp, owner}}
		}
		return nil
	}
	// A function is a target only of patterns that name functions
	// ("…:function:…"): an invoke grant on "*" stays an outside flow, or
	// every wildcard role would become a caller of every function.
	return w.matchesFor(rp, statementServices(s))
}

// subResourceSep reports whether c, following a resource's ARN, starts a
// part of it: "/" (objects, indexes, streams), or ":" after a function (its
// aliases and versions).
func subResourceSep(arn string, c byte) bool {
	return c == '/' || c == ':' && serviceOf(arn) == "lambda"
}

// ownerOf finds the inventory resource a sub-resource ARN belongs to, by
// cutting the ARN at '/' boundaries ("…:table/T/index/I" → "…:table/T"),
// or dropping a function ARN's qualifier.
func (w *world) ownerOf(arn string) *resourceInfo {
	if serviceOf(arn) == "lambda" {
		if u := unqualified(arn); u != arn {
			return w.res[u]
		}
	}
	for i := len(arn) - 1; i > 0; i-- {
		if arn[i] == '/' {
			if info, ok := w.res[arn[:i]]; ok {
				return info
			}
		}
	}
	return nil
}

// coveredByInventory reports whether a literal pattern names something the
// inventory holds; wildcard patterns may always reach outside it.
func (w *world) coveredByInventory(rp string) bool {
	if i := strings.IndexAny(rp, "*?$"); i >= 0 {
		// A wildcard pattern stays inside one inventory resource when its
		// literal head already names it: "arn:aws:s3:::b/uploads/*".
		head := rp[:i]
		if h, ok := strings.CutSuffix(head, ":"); ok && serviceOf(h) == "lambda" && w.res[h] != nil {
			return true // "…:function:F:*": the function's aliases and versions
		}
		j := strings.LastIndexByte(head, '/')
		return j > 0 && (w.res[head[:j]] != nil || w.ownerOf(head[:j]) != nil)
	}
	_, ok := w.res[rp]
	return ok || w.ownerOf(rp) != nil
}

func statementServices(s *iam.Statement) map[string]bool {
	out := map[string]bool{}
	if s.NotAction {
		out["*"] = true
		return out
	}
	for _, a := range s.Actions {
		svc, _, _ := strings.Cut(strings.ToLower(a), ":")
		if strings.ContainsAny(svc, "*?") {
			out["*"] = true
		} else {
			out[svc] = true
		}
	}
	return out
}

// candidateActions: the catalog actions that apply to the resource type of
// arn and that the statement's Action (or NotAction) patterns cover.
func (w *world) candidateActions(s *iam.Statement, arn string) []string {
	var out []string
	for _, name := range w.actionsOn(arn) {
		if actionCovered(s, name) {
			out = append(out, name)
		}
	}
	return out
}

// actionsOn lists (and caches by service and resource type) the catalog
// actions that take the resource type of arn.
func (w *world) actionsOn(arn string) []string {
	svc := serviceOf(arn)
	types := w.cat.ResourceTypesOf(arn)
	if svc == "lambda" && (contains(types, "function alias") || contains(types, "function version")) {
		// The reference lists only "function" for most actions; it covers
		// qualified function ARNs too.
		types = append(types, "function")
	}
	key := svc + "\x00" + strings.Join(types, "\x00")
	w.actionMu.Lock()
	defer w.actionMu.Unlock()
	if names, ok := w.actionCache[key]; ok {
		return names
	}
	var names []string
	for _, typ := range types {
		for _, a := range w.cat.ActionsFor(svc, typ) {
			names = append(names, a.FullName())
		}
	}
	w.actionCache[key] = names
	return names
}

func actionCovered(s *iam.Statement, action string) bool {
	hit := false
	for _, p := range s.Actions {
		if pattern.MatchFold(p, action) {
			hit = true
			break
		}
	}
	return hit != s.NotAction
}

// namesRole reports whether a resource policy principal names the role, a
// session of it, or its account.
func namesRole(ps *iam.PrincipalSet, r *inventory.Role) bool {
	if ps.Any {
		return true
	}
	for _, a := range ps.ARNs {
		if a == r.ARN {
			return true
		}
	}
	for _, acct := range ps.Accounts {
		if acct == r.Account {
			return true
		}
	}
	return false
}

// uniqueResources lists each inventory resource once, in inventory order.
func (w *world) uniqueResources() []*resourceInfo {
	if w.resList != nil {
		return w.resList
	}
	seen := map[*inventory.Resource]bool{}
	w.byService = map[string][]*resourceInfo{}
	for i := range w.inv.Resources {
		r := &w.inv.Resources[i]
		if info, ok := w.res[r.ARN]; ok && !seen[r] {
			seen[r] = true
			info.order = len(w.resList)
			w.resList = append(w.resList, info)
			svc := serviceOf(info.res.ARN)
			w.byService[svc] = append(w.byService[svc], info)
		}
	}
	for _, info := range w.fnRes {
		info.order = len(w.resList)
		w.resList = append(w.resList, info)
		w.byService["lambda"] = append(w.byService["lambda"], info)
	}
	for _, info := range w.resList {
		w.classify(info)
	}
	w.agg.sorted = slices.Clone(w.resList)
	slices.SortStableFunc(w.agg.sorted, func(a, b *resourceInfo) int { return strings.Compare(a.res.ARN, b.res.ARN) })
	// Resource policies by the AWS principals they grant, so that each role
	// meets only the policies that may name it.
	w.grantsTo = map[string][]*resourceInfo{}
	for _, info := range w.resList {
		if info.policy == nil {
			continue
		}
		keys := map[string]bool{}
		for _, s := range info.policy.Statements {
			if s.Effect != iam.Allow || s.Principal == nil {
				continue
			}
			if s.Principal.Any {
				keys["*"] = true
			}
			for _, a := range s.Principal.ARNs {
				keys[a] = true
			}
			for _, a := range s.Principal.Accounts {
				keys["account:"+a] = true
			}
		}
		for k := range keys {
			w.grantsTo[k] = append(w.grantsTo[k], info)
		}
	}
	return w.resList
}

// grantingResources lists, in inventory order, the resources whose policy
// has an Allow statement that may name the role: its ARN, its account or
// anyone.
func (w *world) grantingResources(r *inventory.Role) []*resourceInfo {
	w.uniqueResources()
	var out []*resourceInfo
	seen := map[*resourceInfo]bool{}
	for _, k := range []string{r.ARN, "account:" + r.Account, "*"} {
		for _, info := range w.grantsTo[k] {
			if !seen[info] {
				seen[info] = true
				out = append(out, info)
			}
		}
	}
	slices.SortFunc(out, func(a, b *resourceInfo) int { return a.order - b.order })
	return out
}

// levelGroup is the actions of one target decided alike: one access
// level and decision, with the steps (one per deciding statement set).
type levelGroup struct {
	level    string
	decision flow.Decision
	actions  []string
	steps    []flow.Step
}

// decideTarget decides every candidate action on one target and groups the
// allowed and conditional ones by access level and decision, most
// sensitive level first.
func (w *world) decideTarget(role *roleInfo, p iam.Principal, rctx *condCtx, t *target) []levelGroup {
	type group struct {
		actions []string
		steps   map[string]*flow.Step
		order   []string
	}
	groups := map[string]*group{} // level + "\x00" + decision
	actions := make([]string, 0, len(t.actions))
	for a := range t.actions {
		actions = append(actions, a)
	}
	sort.Strings(actions)
	resAcct := t.owner.res.Account
	if resAcct == "" {
		resAcct = accountOf(t.arn, role.role.Account)
	}
	why := role.incomplete
	if why == "" {
		why = t.owner.incomplete
	}
	for _, action := range actions {
		req := &iam.Request{Principal: p, Action: action, Resource: t.arn, ResourceAccount: resAcct, Context: rctx}
		pols := &iam.Policies{Identity: role.identity, Boundary: role.boundary, Resource: t.owner.policy, SCP: w.scps,
			ResourceMustAllow: iam.ResourcePolicyRequired(action, t.arn), RoleTrust: iam.IsRoleTrustRequest(action, t.arn)}
		if pols.ResourceMustAllow && pols.Resource == nil && t.owner.res.Service == "kms" && t.owner.incomplete == "" && t.owner.unknownPolicy == "" {
			pols.Resource = defaultKeyPolicy(t.owner.res.Account)
		}
		st := decideOn(action, req, pols, why, t.owner.unknownPolicy, role.role.Account)
		if st.Decision == flow.Denied {
			continue
		}
		level := "Unknown"
		if a, ok := w.cat.Action(action); ok {
			level = string(a.Level)
		}
		key := level + "\x00" + string(st.Decision)
		g := groups[key]
		if g == nil {
			g = &group{steps: map[string]*flow.Step{}}
			groups[key] = g
		}
		g.actions = append(g.actions, action)
		// Actions decided by the same statements share one step.
		sig := statementSignature(st.Statements) + "\x00" + st.Reason
		if prev, ok := g.steps[sig]; ok {
			prev.What += ", " + action
			continue
		}
		stCopy := st
		stCopy.What = action
		stCopy.Action = ""
		g.steps[sig] = &stCopy
		g.order = append(g.order, sig)
	}
	keys := make([]string, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		return levelRank(keys[i]) < levelRank(keys[j]) || levelRank(keys[i]) == levelRank(keys[j]) && keys[i] < keys[j]
	})
	out := make([]levelGroup, 0, len(keys))
	for _, k := range keys {
		g := groups[k]
		level, decision, _ := strings.Cut(k, "\x00")
		lg := levelGroup{level: level, decision: flow.Decision(decision), actions: g.actions}
		for _, sig := range g.order {
			lg.steps = append(lg.steps, *g.steps[sig])
		}
		out = append(out, lg)
	}
	return out
}

// targetFlows reports one target's decided actions as one flow per access
// level (and decision).
func (w *world) targetFlows(fn *inventory.Function, role *roleInfo, p iam.Principal, rctx *condCtx, t *target) []flow.Flow {
	resAcct := t.owner.res.Account
	if resAcct == "" {
		resAcct = accountOf(t.arn, role.role.Account)
	}
	var out []flow.Flow
	res := t.owner.res
	for _, lg := range w.decideTarget(role, p, rctx, t) {
		fl := flow.Flow{
			ID:           fmt.Sprintf("access/%s->%s/%s", fn.Address, targetName(res, t.arn), lg.level),
			Kind:         flow.KindAccess,
			Decision:     lg.decision,
			Function:     &flow.FunctionRef{Ref: flow.Ref{Address: fn.Address, ARN: fn.ARN, Span: loc.At(fn.File, fn.Line)}},
			Resource:     &flow.Ref{Address: res.Address, ARN: t.arn, Span: loc.At(res.File, res.Line)},
			Level:        lg.level,
			Actions:      lg.actions,
			CrossAccount: resAcct != "" && resAcct != role.role.Account,
			Steps:        lg.steps,
		}
		if lg.decision != flow.Allowed {
			fl.ID += "/" + string(lg.decision)
		}
		fl.Title = fmt.Sprintf("%s → %s: %s (%d action%s)", fn.Address, targetName(res, t.arn), lg.level, len(lg.actions), plural(len(lg.actions)))
		out = append(out, fl)
	}
	return out
}

func targetName(res *inventory.Resource, arn string) string {
	name := nonEmpty(res.Address, res.ARN)
	if arn != res.ARN {
		if rest, ok := strings.CutPrefix(arn, res.ARN); ok {
			return name + rest
		}
		return arn
	}
	return name
}

func statementSignature(ss []flow.Statement) string {
	var b strings.Builder
	for _, s := range ss {
		fmt.Fprintf(&b, "%s#%d/%s/%v;", s.Policy, s.Index, s.Layer, s.Certain)
	}
	return b.String()
}

// levelRank orders access levels from the most to the least sensitive.
func levelRank(key string) int {
	level, _, _ := strings.Cut(key, "\x00")
	switch catalog.AccessLevel(level) {
	case "Permissions management":
		return 0
	case "Write":
		return 1
	case "Tagging":
		return 2
	case "Read":
		return 3
	case "List":
		return 4
	}
	return 5
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// outsideFlows: Allow statements whose resources reach beyond the inventory
// ("*", wildcard patterns, ARNs of other accounts' resources). One flow per
// statement resource pattern and access level, with the actions expanded
// from the catalog; decided on the pattern itself so that boundaries and
// SCPs still cut them.
func (w *world) outsideFlows(fn *inventory.Function, role *roleInfo, p iam.Principal, rctx *condCtx, stmts []*iam.Statement) []flow.Flow {
	type key struct{ pattern, level string }
	// Per pattern and level, the actions each statement grants there.
	groups := map[key][][]string{}
	for _, s := range stmts {
		for _, g := range w.outsideGroups(s) {
			k := key{g.pattern, g.level}
			groups[k] = append(groups[k], g.actions)
		}
	}
	keys := make([]key, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].pattern != keys[j].pattern {
			return keys[i].pattern < keys[j].pattern
		}
		return levelRank(keys[i].level) < levelRank(keys[j].level)
	})
	var out []flow.Flow
	for _, k := range keys {
		actions := groups[k][0]
		if len(groups[k]) > 1 {
			actions = unionSorted(groups[k])
		}
		// Decide a representative action of the group on the pattern: the
		// statement grants it there unless a boundary, SCP or deny cuts it.
		var allowed []string
		var steps []flow.Step
		decision := flow.Denied
		for _, a := range actions {
			// The identity side of the question: what the role's own policies
			// (with boundary and SCPs) allow; the owner's side is added below.
			req := &iam.Request{Principal: p, Action: a, Resource: k.pattern, ResourceAccount: role.role.Account, Context: rctx}
			st := decide(a, req, &iam.Policies{Identity: role.identity, Boundary: role.boundary, SCP: w.scps}, role.incomplete)
			if st.Decision == flow.Denied {
				continue
			}
			allowed = append(allowed, a)
			decision = bestOf(decision, st.Decision)
			if len(steps) == 0 {
				st.What = "e.g. " + a
				steps = append(steps, st)
			}
			if len(allowed) >= 2000 {
				break
			}
		}
		if len(allowed) == 0 {
			continue
		}
		acct := accountOf(k.pattern, "")
		switch {
		case k.pattern == "*" || strings.ContainsAny(acct, "*?"):
		case acct != "" && acct != role.role.Account:
			// Cross-account: the other side's resource policy must grant too,
			// and it is not in the inventory.
			steps = append(steps, note("the resource's own policy", flow.Unknown, "the resource is in account "+acct+", outside the inventory: cross-account access also needs its resource policy to grant this"))
			decision = flow.Combine(decision, flow.Unknown)
		case acct == "" && serviceOf(k.pattern) == "s3":
			steps = append(steps, note("the bucket's owner", flow.Conditional, "the bucket is outside the inventory and S3 ARNs name no account: if it belongs to another account, its bucket policy must grant this too"))
			decision = flow.Combine(decision, flow.Conditional)
		}
		fl := flow.Flow{
			ID:           fmt.Sprintf("access/%s->%s/%s", fn.Address, k.pattern, k.level),
			Kind:         flow.KindAccess,
			Decision:     decision,
			Function:     &flow.FunctionRef{Ref: flow.Ref{Address: fn.Address, ARN: fn.ARN, Span: loc.At(fn.File, fn.Line)}},
			Resource:     &flow.Ref{ARN: k.pattern},
			Level:        k.level,
			Actions:      allowed,
			Outside:      true,
			CrossAccount: acct != "" && acct != "*" && !strings.ContainsAny(acct, "*?") && acct != role.role.Account,
			Steps:        steps,
		}
		fl.Title = fmt.Sprintf("%s → %s (outside the inventory): %s (%d action%s)", fn.Address, k.pattern, k.level, len(allowed), plural(len(allowed)))
		out = append(out, fl)
	}
	return out
}

// outsideGroup is what one statement can grant on a Resource pattern that
// no inventory resource covers, at one access level: its actions there,
// sorted, before any decision.
type outsideGroup struct {
	pattern, level string
	actions        []string
}

// outsideGroups groups s's actions by the Resource patterns outside the
// inventory and by access level. The answer depends on the statement's
// Action and Resource elements alone, so statements that grant the same
// (an administrator policy attached to many roles) share it: expanding
// "*" to every action and grouping them was most of the cost of such a
// role. Statements naming actions without wildcards are grouped each time,
// which costs less than the key.
func (w *world) outsideGroups(s *iam.Statement) []outsideGroup {
	group := func() []outsideGroup {
		type key struct{ pattern, level string }
		acc := map[key]map[string]bool{}
		var order []key
		expanded := w.expandStatement(s)
		for _, rp := range statementResources(s) {
			if w.coveredByInventory(rp) {
				continue
			}
			fits := w.resourceFilter(rp)
			for _, a := range expanded {
				act, ok := w.cat.Action(a)
				if !ok || !fits(act) {
					continue
				}
				k := key{rp, string(act.Level)}
				if acc[k] == nil {
					acc[k] = map[string]bool{}
					order = append(order, k)
				}
				acc[k][a] = true
			}
		}
		out := make([]outsideGroup, 0, len(order))
		for _, k := range order {
			out = append(out, outsideGroup{pattern: k.pattern, level: k.level, actions: slices.Sorted(maps.Keys(acc[k]))})
		}
		return out
	}
	if !s.NotAction && !slices.ContainsFunc(s.Actions, func(a string) bool { return strings.ContainsAny(a, "*?") }) {
		return group()
	}
	// Each text length-prefixed, so that no two statements spell one key.
	var b strings.Builder
	fmt.Fprintf(&b, "%t %t %t", s.NotAction, s.NotResource, s.Resources == nil)
	for _, list := range [][]string{s.Actions, s.Resources} {
		fmt.Fprintf(&b, " %d", len(list))
		for _, x := range list {
			fmt.Fprintf(&b, " %d:%s", len(x), x)
		}
	}
	return w.outside.get(b.String(), group)
}

// unionSorted is the sorted union of lists.
func unionSorted(lists [][]string) []string {
	out := slices.Concat(lists...)
	slices.Sort(out)
	return slices.Compact(out)
}

// resourceFilter keeps the actions that can apply to a Resource pattern:
// any action for "*", else those taking one of the resource types the
// pattern denotes (an action without resource types is only ever requested
// on "*").
func (w *world) resourceFilter(rp string) func(catalog.Action) bool {
	if rp == "*" {
		return func(catalog.Action) bool { return true }
	}
	types := w.cat.ResourceTypesOf(rp)
	if serviceOf(rp) == "lambda" && (contains(types, "function alias") || contains(types, "function version")) {
		types = append(types, "function")
	}
	return func(a catalog.Action) bool {
		if len(a.Resources) == 0 {
			return false
		}
		if len(types) == 0 {
			return true
		}
		for _, r := range a.Resources {
			if contains(types, r.Type) {
				return true
			}
		}
		return false
	}
}

func bestOf(a, b flow.Decision) flow.Decision {
	if b.Rank() < a.Rank() {
		return b
	}
	return a
}

// expandStatement lists the catalog actions a statement's Action or
// NotAction covers.
func (w *world) expandStatement(s *iam.Statement) []string {
	if !s.NotAction {
		seen := map[string]bool{}
		var out []string
		for _, p := range s.Actions {
			for _, a := range w.cat.Expand(p) {
				if !seen[a] {
					seen[a] = true
					out = append(out, a)
				}
			}
		}
		return out
	}
	var out []string
	for _, a := range w.cat.ActionNames() {
		if actionCovered(s, a) {
			out = append(out, a)
		}
	}
	return out
}

// destinationFlows: the execution role must be allowed to deliver to the
// function's dead-letter target and async destinations, and to the
// on-failure destinations of its event source mappings.
func (w *world) destinationFlows(fn *inventory.Function, role *roleInfo) []flow.Flow {
	p, ok := sessionPrincipal(role.role.ARN, fn.Name)
	if !ok {
		return nil
	}
	type dest struct{ arn, kind, purpose, address string }
	var dests []dest
	if fn.DeadLetterTarget != "" {
		dests = append(dests, dest{fn.DeadLetterTarget, "dlq", "dead-letter", fn.Address})
	}
	for _, ac := range fn.AsyncConfigs {
		if ac.OnSuccess != "" {
			dests = append(dests, dest{ac.OnSuccess, "async", "destination-on-success", ac.Address})
		}
		if ac.OnFailure != "" {
			dests = append(dests, dest{ac.OnFailure, "async", "destination-on-failure", ac.Address})
		}
	}
	for _, t := range w.pollTriggers[fn.ARN] {
		if t.OnFailure != "" {
			dests = append(dests, dest{t.OnFailure, "esm", "event-source-on-failure", t.Address})
		}
	}
	var out []flow.Flow
	ref := eventsource.Default()
	for _, d := range dests {
		svc := serviceOf(d.arn)
		actions := ref.DestinationActions(d.kind, svc)
		info := w.res[d.arn]
		fl := flow.Flow{
			ID:       fmt.Sprintf("access/%s->%s/%s", fn.Address, d.arn, d.purpose),
			Kind:     flow.KindAccess,
			Function: &flow.FunctionRef{Ref: flow.Ref{Address: fn.Address, ARN: fn.ARN, Span: loc.At(fn.File, fn.Line)}},
			Resource: &flow.Ref{ARN: d.arn},
			Level:    "Write",
			Actions:  actions,
			Purpose:  d.purpose,
		}
		if info != nil {
			fl.Resource.Address, fl.Resource.File, fl.Resource.Line = info.res.Address, info.res.File, info.res.Line
		}
		fl.Title = fmt.Sprintf("%s %s → %s", fn.Address, d.purpose, nonEmpty(fl.Resource.Address, d.arn))
		if len(actions) == 0 {
			fl.Steps = append(fl.Steps, note("destination type", flow.Unknown, "no delivery actions are known for "+svc+" destinations"))
		}
		why := role.incomplete
		var rp *iam.Policy
		unknownPolicy := ""
		if info != nil {
			rp, unknownPolicy = info.policy, info.unknownPolicy
			if why == "" {
				why = info.incomplete
			}
		}
		rctx := roleContext(role.role.ARN, role.role.Account, w.opts.OrgID)
		for _, a := range actions {
			resource := d.arn
			if !w.actionTakesResource(a, d.arn) {
				resource = "*"
			}
			acct := accountOf(d.arn, role.role.Account)
			if resource == "*" {
				acct = role.role.Account
			}
			req := &iam.Request{Principal: p, Action: a, Resource: resource, ResourceAccount: acct, Context: rctx}
			fl.Steps = append(fl.Steps, decideOn("execution role may "+a, req, &iam.Policies{Identity: role.identity, Boundary: role.boundary, Resource: rp, SCP: w.scps}, why, unknownPolicy, role.role.Account))
		}
		if info != nil && customerKey(info.res.KMSKeyARN) && (svc == "sqs" || svc == "sns") {
			fl.Steps = append(fl.Steps, w.kmsStep(role, p, info.res.KMSKeyARN, "kms:GenerateDataKey"))
			fl.Steps = append(fl.Steps, w.kmsStep(role, p, info.res.KMSKeyARN, "kms:Decrypt"))
		}
		fl.Decision = flow.Combine(stepDecisions(fl.Steps)...)
		out = append(out, fl)
	}
	if why := unknownReason(fn.Unknown, "async_configs"); why != "" {
		out = append(out, unknownDestinationsFlow(fn, why))
	}
	return out
}

// unknownDestinationsFlow stands for the async destinations of a function
// whose invoke configs were not read: they may exist, so the flow is
// unknown rather than absent.
func unknownDestinationsFlow(fn *inventory.Function, why string) flow.Flow {
	fl := flow.Flow{
		ID:       fmt.Sprintf("access/%s->async-destinations/unknown", fn.Address),
		Kind:     flow.KindAccess,
		Function: &flow.FunctionRef{Ref: flow.Ref{Address: fn.Address, ARN: fn.ARN, Span: loc.At(fn.File, fn.Line)}},
		Resource: &flow.Ref{},
		Level:    "Write",
		Purpose:  "destination",
		Title:    fn.Address + " async destinations → unknown",
		Steps:    []flow.Step{note("async destinations", flow.Unknown, "the function's asynchronous invocation destinations are unknown: "+why)},
	}
	fl.Decision = flow.Unknown
	return fl
}

package simulator

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/lambdacheck/lambdacheck/analyzer/iam"
	"github.com/lambdacheck/lambdacheck/analyzer/iam/pattern"
	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
	"github.com/lambdacheck/lambdacheck/analyzer/loc"
	"github.com/lambdacheck/lambdacheck/simulator/flow"
)

// Reach by statement, not by resource.
//
// A grant on "*" or "arn:aws:sqs:*:*:*" covers every queue of the estate.
// Deciding it queue by queue would make work and output grow as functions
// × resources. Instead, the inventory resources a wildcard pattern covers
// are split, once per pattern, into those where nothing but the ARN
// differs (same account, no resource policy that could grant or deny the
// role, not a key or a role) and the rest. The plain ones of one resource
// type form a set; a function's grant on the pattern is decided once, on a
// representative member, and reported as one access flow that covers the
// set. Members that some other pattern of the role's policies, boundary or
// SCPs singles out (a Deny on one queue, a second grant naming it) leave
// the set and get flows of their own, so every decision stays exact.
//
// docs/flows.md describes the record ("covers") and the sets it names.

// aggregateMin is the smallest set reported as one flow: a pattern that
// covers a single resource is reported on that resource, by name.
const aggregateMin = 2

// memo computes each key's value once, even when functions are decided in
// parallel.
type memo[V any] struct {
	mu sync.Mutex
	m  map[string]*memoEntry[V]
}

type memoEntry[V any] struct {
	once sync.Once
	v    V
}

func (m *memo[V]) get(key string, f func() V) V {
	m.mu.Lock()
	if m.m == nil {
		m.m = map[string]*memoEntry[V]{}
	}
	e := m.m[key]
	if e == nil {
		e = &memoEntry[V]{}
		m.m[key] = e
	}
	m.mu.Unlock()
	e.once.Do(func() { e.v = f() })
	return e.v
}

// aggIndex holds what the aggregation shares between functions.
type aggIndex struct {
	sorted    []*resourceInfo // resList by ARN, for prefix search
	matches   memo[[]match]   // pattern + services → inventory matches
	splits    memo[*split]    // pattern + services + account → plain sets and the rest
	relations memo[[]int32]   // pattern + set key → members the pattern singles out
	sets      memo[*resourceSet]
	// used are the sets some flow refers to, for the result.
	usedMu sync.Mutex
	used   map[string]*resourceSet
}

// resourceSet is the set of inventory resources an aggregated flow covers.
type resourceSet struct {
	id      string
	class   string
	members []int32 // resList orders, ascending
	// A set with exceptions is its base set less the members some other
	// statement singles out: kept as the base and the list, never copied.
	base   *resourceSet
	except []int32 // ascending
}

// count is how many resources the set holds.
func (rs *resourceSet) count() int {
	if rs.base != nil {
		return len(rs.base.members) - len(rs.except)
	}
	return len(rs.members)
}

// each calls f for every member, in order.
func (rs *resourceSet) each(f func(int32)) {
	if rs.base == nil {
		for _, o := range rs.members {
			f(o)
		}
		return
	}
	for _, o := range rs.base.members {
		if _, out := slices.BinarySearch(rs.except, o); !out {
			f(o)
		}
	}
}

// split is how one pattern's inventory matches divide for one account.
type split struct {
	plain map[string][]int32 // resource class → members (resList orders, ascending)
	keys  map[string]string  // resource class → a digest of its members
	rest  []match            // decided one by one
}

// classify sets a resource's class, the service and the catalog's
// resource type ("sqs queue"), and the shape of its policy. It runs once
// per resource, before functions are decided in parallel.
func (w *world) classify(info *resourceInfo) {
	types := w.cat.ResourceTypesOf(info.res.ARN)
	t := "resource"
	if len(types) > 0 {
		t = types[0]
	}
	info.class = serviceOf(info.res.ARN) + " " + t
	info.shape = policyShape(info)
}

// groupClass is what members of one aggregated set share: the class, and
// the shape of their resource policy if they have one.
func groupClass(info *resourceInfo) string {
	if info.shape != "" {
		return info.class + "#" + info.shape
	}
	return info.class
}

// displayClass drops the policy shape from a group class.
func displayClass(c string) string {
	display, _, _ := strings.Cut(c, "#")
	return display
}

// wildcardHead is the literal text of a resource pattern before its first
// wildcard or policy variable. (A symbol such as "<var.env>" is matched as
// text, as the ARNs derived from it hold the same text.)
func wildcardHead(p string) string {
	if i := strings.IndexAny(p, "*?$"); i >= 0 {
		return p[:i]
	}
	return p
}

// loosePattern makes policy variables ("${aws:username}") and symbols
// ("<var.env>") wildcards, so that a match test over-approximates what
// the engine may match once they are known.
func loosePattern(p string) string {
	if !strings.ContainsAny(p, "$<") {
		return p
	}
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		switch {
		case p[i] == '$' && i+1 < len(p) && p[i+1] == '{':
			if j := strings.IndexByte(p[i:], '}'); j > 0 {
				b.WriteByte('*')
				i += j
				continue
			}
		case p[i] == '<':
			if j := strings.IndexByte(p[i:], '>'); j > 0 {
				b.WriteByte('*')
				i += j
				continue
			}
		}
		b.WriteByte(p[i])
	}
	return b.String()
}

// prefixRange returns the resources whose ARN starts with head.
func (w *world) prefixRange(head string) []*resourceInfo {
	s := w.agg.sorted
	lo := sort.Search(len(s), func(i int) bool { return s[i].res.ARN >= head })
	hi := lo
	for hi < len(s) && strings.HasPrefix(s[hi].res.ARN, head) {
		hi++
	}
	return s[lo:hi]
}

func servicesKey(services map[string]bool) string {
	if len(services) == 0 || services["*"] {
		return "*"
	}
	keys := make([]string, 0, len(services))
	for k := range services {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return strings.Join(keys, ",")
}

func serviceAllowed(services map[string]bool, svc string) bool {
	return len(services) == 0 || services["*"] || services[svc]
}

// matchesFor is resourcesMatching for a wildcard pattern, memoized: the
// resources whose ARN the pattern matches (found by the pattern's literal
// head, not by scanning the inventory), and the resources it names a part
// of ("arn:aws:s3:::b/uploads/*" stands for objects of bucket b).
func (w *world) matchesFor(rp string, services map[string]bool) []match {
	return w.agg.matches.get(rp+"\x00"+servicesKey(services), func() []match {
		namesFunctions := strings.Contains(rp, ":function:")
		var out []match
		head := wildcardHead(rp)
		for _, info := range w.prefixRange(head) {
			arn := info.res.ARN
			if !serviceAllowed(services, serviceOf(arn)) || (!namesFunctions && w.funcs[arn] != nil) {
				continue
			}
			if pattern.Match(rp, arn) {
				out = append(out, match{arn, info})
			}
		}
		// A resource whose ARN is a literal prefix of the pattern, followed
		// by a separator: the pattern names its parts.
		for i := 1; i < len(head); i++ {
			if head[i] != '/' && head[i] != ':' {
				continue
			}
			info, ok := w.res[head[:i]]
			if !ok || info.res.ARN != head[:i] || !subResourceSep(info.res.ARN, head[i]) {
				continue
			}
			if !serviceAllowed(services, serviceOf(info.res.ARN)) || (!namesFunctions && w.funcs[info.res.ARN] != nil) {
				continue
			}
			out = append(out, match{rp, info})
		}
		slices.SortStableFunc(out, func(a, b match) int { return a.owner.order - b.owner.order })
		return out
	})
}

// aggregatable reports whether nothing but its ARN can make a request on
// info differ from a request on another resource of its type: the same
// account as the role, a known policy that neither denies nor names an AWS
// principal, no symbol in its ARN, and not a key or role (whose own policy
// must always grant), nor a function (a link between functions).
func (w *world) aggregatable(info *resourceInfo, account string) bool {
	r := info.res
	if info.incomplete != "" || info.unknownPolicy != "" || strings.ContainsAny(r.ARN, "<$*?") || w.funcs[r.ARN] != nil {
		return false
	}
	switch serviceOf(r.ARN) {
	case "kms", "iam", "lambda", "sts":
		return false
	}
	acct := r.Account
	if acct == "" {
		acct = accountOf(r.ARN, account)
	}
	if acct != account {
		return false
	}
	return grantsNoAWSPrincipal(info.policy)
}

// grantsNoAWSPrincipal: a resource policy whose Allow statements name no
// AWS principal (an account, a role, anyone) grants a role of the same
// account nothing; its grants to services do not apply to it. Its Deny
// statements may apply; members are grouped by the policy's shape
// (policyShape) so that they apply alike.
func grantsNoAWSPrincipal(p *iam.Policy) bool {
	if p == nil {
		return true
	}
	for _, s := range p.Statements {
		if s.Effect != iam.Allow {
			continue
		}
		if s.Principal == nil || s.NotPrincipal {
			return false
		}
		ps := s.Principal
		if ps.Any || len(ps.ARNs) > 0 || len(ps.Accounts) > 0 {
			return false
		}
	}
	return true
}

// policyShape is what of a resource's policy can apply to a role of its
// account, with the resource's own ARN replaced by a token: its Deny
// statements that may name a role (Principal "*", an AWS principal, or
// NotPrincipal). Its Allow statements name no AWS principal (aggregatable
// checks that) and a Deny to a service does not apply to a role, so they
// tell nothing apart. Resources whose shapes are equal (the usual "deny
// insecure transport" on every bucket; no such statement at all) are
// decided alike. Only whole ARNs and ARNs followed by a separator are
// replaced, at the start of a JSON string, so another resource whose name
// extends this one's is never mistaken for it. "" when nothing applies.
func policyShape(info *resourceInfo) string {
	r := info.res
	if r.Policy == nil || len(r.Policy.Document) == 0 {
		return ""
	}
	doc := string(r.Policy.Document)
	var parsed struct {
		Statement json.RawMessage
	}
	if err := json.Unmarshal(r.Policy.Document, &parsed); err == nil && len(parsed.Statement) > 0 {
		var list []map[string]any
		if parsed.Statement[0] == '{' {
			var one map[string]any
			if json.Unmarshal(parsed.Statement, &one) == nil {
				list = []map[string]any{one}
			}
		} else {
			_ = json.Unmarshal(parsed.Statement, &list)
		}
		if list != nil {
			var kept []map[string]any
			for _, st := range list {
				if effect, _ := st["Effect"].(string); effect == "Deny" && mayNameRole(st) {
					kept = append(kept, st)
				}
			}
			if len(kept) == 0 {
				return ""
			}
			b, err := json.Marshal(kept) // map keys sorted: a canonical form
			if err == nil {
				doc = string(b)
			}
		}
	}
	if r.ARN != "" {
		q := `"` + r.ARN
		doc = strings.NewReplacer(q+`"`, `"{self}"`, q+`/`, `"{self}/`, q+`:`, `"{self}:`).Replace(doc)
	}
	sum := sha256.Sum256([]byte(doc))
	return hex.EncodeToString(sum[:8])
}

// arnDigest identifies a list of resources by their ARNs: 64 bits of
// SHA-256 over the ARNs, each length-prefixed. Sets that share a digest
// are taken for one, so it must not collide by chance: a 32-bit digest
// did, among the thousands of exception lists of a large estate.
func (w *world) arnDigest(orders []int32) string {
	h := sha256.New()
	var n [4]byte
	for _, o := range orders {
		arn := w.resList[o].res.ARN
		binary.BigEndian.PutUint32(n[:], uint32(len(arn)))
		h.Write(n[:])
		h.Write([]byte(arn))
	}
	return hex.EncodeToString(h.Sum(nil)[:8])
}

// mayNameRole: a statement's principal may match a role session.
func mayNameRole(st map[string]any) bool {
	if _, ok := st["NotPrincipal"]; ok {
		return true
	}
	switch p := st["Principal"].(type) {
	case string:
		return true // "*"
	case map[string]any:
		_, aws := p["AWS"]
		return aws
	case nil:
		return true // a resource policy without one is refused earlier; be safe
	}
	return true
}

// splitFor divides a wildcard pattern's matches for a role of account.
func (w *world) splitFor(rp string, services map[string]bool, account string) *split {
	return w.agg.splits.get(rp+"\x00"+servicesKey(services)+"\x00"+account, func() *split {
		sp := &split{plain: map[string][]int32{}, keys: map[string]string{}}
		for _, m := range w.matchesFor(rp, services) {
			if m.arn == m.owner.res.ARN && w.aggregatable(m.owner, account) {
				c := groupClass(m.owner)
				sp.plain[c] = append(sp.plain[c], int32(m.owner.order))
				continue
			}
			sp.rest = append(sp.rest, m)
		}
		// Patterns that cover the same members ("*", "arn:aws:sqs:*:*:*")
		// make one group: the digest tells equal member lists apart.
		for c, members := range sp.plain {
			sp.keys[c] = c + ":" + account + ":" + w.arnDigest(members)
		}
		return sp
	})
}

// singledOut lists the members of a set (identified by setKey) that
// pattern q matches, when it matches some but not all of them: those
// members may be decided differently from the rest.
func (w *world) singledOut(q, setKey string, members []int32) []int32 {
	return w.agg.relations.get(q+"\x00"+setKey, func() []int32 {
		lq := loosePattern(q)
		var hits []int32
		for _, info := range w.prefixRange(wildcardHead(lq)) {
			o := int32(info.order)
			if _, ok := slices.BinarySearch(members, o); ok && pattern.Match(lq, info.res.ARN) {
				hits = append(hits, o)
			}
		}
		if len(hits) == len(members) {
			return nil
		}
		slices.Sort(hits)
		return hits
	})
}

// aggGroup is one function's grant on a wildcard pattern over one
// resource class.
type aggGroup struct {
	patterns []string // the Resource patterns that cover exactly these members
	class    string
	setKey   string
	members  []int32
	stmts    []*iam.Statement
	// forced are members another group of the function overlaps: decided
	// one by one, so each resource has one answer per access level.
	forced []int32
}

func (g *aggGroup) pattern() string { return strings.Join(g.patterns, ", ") }

// addToGroups adds a statement's grant on pattern rp to the function's
// groups, one per set of plain members the split found.
func addToGroups(groups map[string]*aggGroup, sp *split, rp string, s *iam.Statement) {
	for class, members := range sp.plain {
		key := sp.keys[class]
		g := groups[key]
		if g == nil {
			g = &aggGroup{class: class, setKey: key, members: members}
			groups[key] = g
		}
		if !slices.Contains(g.patterns, rp) {
			g.patterns = append(g.patterns, rp)
			slices.Sort(g.patterns)
		}
		if !slices.Contains(g.stmts, s) {
			g.stmts = append(g.stmts, s)
		}
	}
}

// overlap is the members two sets share (memoized by their keys).
func (w *world) overlap(a, b *aggGroup) []int32 {
	ka, kb := a.setKey, b.setKey
	if ka > kb {
		ka, kb = kb, ka
	}
	return w.agg.relations.get("overlap\x00"+ka+"\x00"+kb, func() []int32 {
		var out []int32
		i, j := 0, 0
		for i < len(a.members) && j < len(b.members) {
			switch {
			case a.members[i] < b.members[j]:
				i++
			case a.members[i] > b.members[j]:
				j++
			default:
				out = append(out, a.members[i])
				i++
				j++
			}
		}
		return out
	})
}

// exceptions finds the members of g that some statement of the role's
// policies, boundary or SCPs (other than by the group's own pattern)
// singles out, and the members some literal grant names.
func (w *world) exceptions(g *aggGroup, role *roleInfo, literal map[string]*target, actions []string) map[int32]bool {
	svc, _, _ := strings.Cut(g.class, " ")
	out := map[int32]bool{}
	// A statement can tell members apart only for the actions it covers:
	// one about other actions changes no decision of the group.
	overlaps := func(s *iam.Statement) bool {
		for _, a := range actions {
			if actionCovered(s, a) {
				return true
			}
		}
		return false
	}
	consider := func(s *iam.Statement) {
		if !serviceAllowed(statementServices(s), svc) || !overlaps(s) {
			return
		}
		for _, q := range s.Resources {
			if q == "*" || slices.Contains(g.patterns, q) {
				continue
			}
			if !strings.ContainsAny(q, "*?$<") {
				if info, ok := w.res[q]; ok && info.res.ARN == q {
					if _, in := slices.BinarySearch(g.members, int32(info.order)); in {
						out[int32(info.order)] = true
					}
				}
				continue
			}
			for _, o := range w.singledOut(q, g.setKey, g.members) {
				out[o] = true
			}
		}
	}
	for _, pols := range [][]*iam.Policy{role.identity, role.boundary} {
		for _, p := range pols {
			for _, s := range p.Statements {
				consider(s)
			}
		}
	}
	for _, level := range w.scps {
		for _, p := range level {
			for _, s := range p.Statements {
				consider(s)
			}
		}
	}
	// A member some grant names on its own is decided one by one whatever
	// the actions, so that it has one answer per access level.
	for arn := range literal {
		info, ok := w.res[arn]
		if !ok || info.res.ARN != arn {
			continue
		}
		if _, in := slices.BinarySearch(g.members, int32(info.order)); in {
			out[int32(info.order)] = true
		}
	}
	return out
}

// setFor registers the set of g's members less the exceptions.
func (w *world) setFor(g *aggGroup, ex []int32) *resourceSet {
	base := w.agg.sets.get(g.setKey, func() *resourceSet {
		return &resourceSet{id: g.setKey, class: g.class, members: g.members}
	})
	rs := base
	if len(ex) > 0 {
		key := g.setKey + "~" + w.arnDigest(ex)
		rs = w.agg.sets.get(key, func() *resourceSet {
			return &resourceSet{id: key, class: g.class, base: base, except: ex}
		})
	}
	w.agg.usedMu.Lock()
	if w.agg.used == nil {
		w.agg.used = map[string]*resourceSet{}
	}
	w.agg.used[rs.id] = rs
	if rs.base != nil {
		w.agg.used[base.id] = base
	}
	w.agg.usedMu.Unlock()
	return rs
}

// groupFlows decides g for the function on a representative member and
// returns one flow per access level (and decision). Members that must be
// decided one by one are added to targets instead.
func (w *world) groupFlows(fn *inventory.Function, role *roleInfo, p iam.Principal, rctx *condCtx, g *aggGroup, targets map[string]*target, literal map[string]*target) []flow.Flow {
	// Members share a resource type, so one member's candidate actions are
	// every member's.
	first := w.resList[g.members[0]]
	var actions []string
	seen := map[string]bool{}
	for _, s := range g.stmts {
		for _, a := range w.candidateActions(s, first.res.ARN) {
			if !seen[a] {
				seen[a] = true
				actions = append(actions, a)
			}
		}
	}
	if len(actions) == 0 {
		return nil
	}
	exSet := w.exceptions(g, role, literal, actions)
	for _, o := range g.forced {
		exSet[o] = true
	}
	ex := make([]int32, 0, len(exSet))
	for o := range exSet {
		ex = append(ex, o)
	}
	slices.Sort(ex)
	addAll := func(os []int32) {
		for _, o := range os {
			info := w.resList[o]
			t := targets[info.res.ARN]
			if t == nil {
				t = &target{arn: info.res.ARN, owner: info, actions: map[string]bool{}}
				targets[info.res.ARN] = t
			}
			for _, a := range actions {
				t.actions[a] = true
			}
		}
	}
	addAll(ex)
	if len(g.members)-len(ex) < aggregateMin {
		var rest []int32
		for _, o := range g.members {
			if _, out := slices.BinarySearch(ex, o); !out {
				rest = append(rest, o)
			}
		}
		addAll(rest)
		return nil
	}
	for _, a := range actions {
		if iam.ResourcePolicyRequired(a, first.res.ARN) {
			addAll(g.members) // the owner's policy decides: one by one
			return nil
		}
	}
	rep := first
	for _, o := range g.members {
		if _, out := slices.BinarySearch(ex, o); !out {
			rep = w.resList[o]
			break
		}
	}
	t := &target{arn: rep.res.ARN, owner: rep, actions: seen}
	members := len(g.members) - len(ex)
	rs := w.setFor(g, ex)
	var out []flow.Flow
	for _, lg := range w.decideTarget(role, p, rctx, t) {
		fl := flow.Flow{
			ID:       fmt.Sprintf("access/%s->%s [%s]/%s", fn.Address, g.pattern(), g.class, lg.level),
			Kind:     flow.KindAccess,
			Decision: lg.decision,
			Function: &flow.FunctionRef{Ref: flow.Ref{Address: fn.Address, ARN: fn.ARN, Span: loc.At(fn.File, fn.Line)}},
			Resource: &flow.Ref{ARN: g.patterns[0]},
			Level:    lg.level,
			Actions:  lg.actions,
			Covers:   &flow.Coverage{Type: displayClass(g.class), Pattern: g.pattern(), Count: members, Set: rs.id, DecidedOn: rep.res.ARN},
			Steps:    lg.steps,
		}
		if lg.decision != flow.Allowed {
			fl.ID += "/" + string(lg.decision)
		}
		shape := ""
		if _, h, ok := strings.Cut(g.class, "#"); ok {
			shape = " with resource policy " + h
		}
		fl.Title = fmt.Sprintf("%s → every %s%s matching %s (%d known): %s (%d action%s)", fn.Address, displayClass(g.class), shape, g.pattern(), members, lg.level, len(lg.actions), plural(len(lg.actions)))
		out = append(out, fl)
	}
	return out
}

// resourceSets lists the sets the flows refer to, sorted by id: a set
// with exceptions as its base set's id and the resources it leaves out.
func (w *world) resourceSets() []flow.ResourceSet {
	ids := make([]string, 0, len(w.agg.used))
	for id := range w.agg.used {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	arns := func(os []int32) []string {
		out := make([]string, len(os))
		for i, o := range os {
			out[i] = w.resList[o].res.ARN
		}
		return out
	}
	out := make([]flow.ResourceSet, 0, len(ids))
	for _, id := range ids {
		rs := w.agg.used[id]
		if rs.base != nil {
			out = append(out, flow.ResourceSet{ID: id, Type: displayClass(rs.class), Count: rs.count(), Base: rs.base.id, Except: arns(rs.except)})
			continue
		}
		out = append(out, flow.ResourceSet{ID: id, Type: displayClass(rs.class), Count: rs.count(), Resources: arns(rs.members)})
	}
	return out
}

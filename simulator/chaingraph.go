package simulator

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/lambdacheck/lambdacheck/simulator/flow"
)

// Chains by graph, not by paths.
//
// The function graph is built once: a function's access flow that can make
// a source fire leads to a source node, and the source node leads to every
// function its invoke flows start. A source node stands for one resource,
// one wildcard pattern, or one resource set, so a grant on "every queue"
// is one edge out of the function and one fan-out shared by every function
// holding that grant, not functions × queues edges.
//
// Chains are found by breadth-first search from each entry, visiting each
// function and source node once: every function an entry reaches gets one
// chain, its shortest path. Loops are the strongly connected components of
// the graph: for each function on a cycle, the shortest cycle through it,
// reported once per cycle. Cost is linear in nodes + edges per search.

// srcNode is a source an access flow writes to.
type srcNode struct {
	rep     *flow.Flow // the access flow the node was made from
	set     *resourceSet
	invokes []invEdge
	// except are the sources a set with exceptions leaves out of its base
	// set's invokes (which it shares).
	except map[string]bool
	base   int // the node whose invokes it shares (itself when none)
	rank   int // 0 a named resource, 1 a resource set, 2 a wildcard pattern
	// byKey indexes invokes by source, built when a search first needs it.
	byKey map[string][]invEdge
	// byTarget indexes invokes by the function they start (positions in
	// invokes), built when closingEdge first needs it.
	byTarget map[int][]int
}

// expansion takes each source node's fan-out once per search. Nodes that
// share a base node's invokes (sets with exceptions) take, after the
// first, only the invokes every earlier one left out and they do not:
// exact, and linear in the fan-out however many functions hold a variant.
type expansion struct {
	g *chainGraph
	// pending: base node → sources every expansion so far left out
	// (empty once the whole fan-out was taken).
	pending map[int]map[string]bool
	// stop ends the search: what is left untaken is never taken (the
	// expansion is not used again).
	stop bool
}

func (g *chainGraph) newExpansion() *expansion {
	return &expansion{g: g, pending: map[int]map[string]bool{}}
}

// reset readies the expansion for a new search.
func (x *expansion) reset() {
	clear(x.pending)
	x.stop = false
}

func (x *expansion) expand(i int, f func(invEdge)) {
	n := x.g.srcs[i]
	b := x.g.srcs[n.base]
	left, seen := x.pending[n.base]
	if !seen {
		for _, ie := range n.invokes {
			if x.stop {
				break
			}
			if len(n.except) == 0 || !n.except[ie.key] {
				f(ie)
			}
		}
		left = nil // nothing left out: no map to make
		if len(n.except) > 0 {
			left = make(map[string]bool, len(n.except))
			for k := range n.except {
				left[k] = true
			}
		}
		x.pending[n.base] = left
		return
	}
	if len(left) == 0 {
		return
	}
	if b.byKey == nil {
		b.byKey = map[string][]invEdge{}
		for _, ie := range b.invokes {
			b.byKey[ie.key] = append(b.byKey[ie.key], ie)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(left)) {
		if n.except[k] {
			continue
		}
		delete(left, k)
		for _, ie := range b.byKey[k] {
			if x.stop {
				return
			}
			f(ie)
		}
	}
}

// invEdge: the source fires inv, which starts function to.
type invEdge struct {
	inv    *flow.Flow
	action string
	to     int
	key    string // the source, as sourceKey gives it
}

// fires lists the invoke edges the node leads to.
func (n *srcNode) fires(f func(invEdge)) {
	for _, ie := range n.invokes {
		if !n.except[ie.key] {
			f(ie)
		}
	}
}

// accEdge: function writes (acc) to source node src, or invokes function
// fn directly (src < 0).
type accEdge struct {
	acc *flow.Flow
	src int
	fn  int
}

type chainGraph struct {
	fns   []string       // function ARNs
	fnIdx map[string]int // ARN → index
	out   [][]accEdge    // by function
	srcs  []*srcNode
}

func (g *chainGraph) fn(arn string) int {
	if i, ok := g.fnIdx[arn]; ok {
		return i
	}
	g.fnIdx[arn] = len(g.fns)
	g.fns = append(g.fns, arn)
	g.out = append(g.out, nil)
	return len(g.fns) - 1
}

// buildChainGraph links the access flows that can fire a trigger to the
// invoke flows they fire.
func (w *world) buildChainGraph(invokes, accesses []*flow.Flow) *chainGraph {
	g := &chainGraph{fnIdx: map[string]int{}}
	invByKey := map[string][]*flow.Flow{}
	invByType := map[string][]*flow.Flow{}
	for _, inv := range invokes {
		tr := inv.Trigger
		if len(triggeringActions[tr.Type]) == 0 {
			continue
		}
		key := w.writtenSource(tr)
		invByKey[key] = append(invByKey[key], inv)
		invByType[tr.Type] = append(invByType[tr.Type], inv)
	}
	nodeOf := map[string]int{}
	node := func(key string, make func() *srcNode) int {
		i, ok := nodeOf[key]
		if !ok {
			i = len(g.srcs)
			nodeOf[key] = i
			n := make()
			if n.base < 0 {
				n.base = i
			}
			g.srcs = append(g.srcs, n)
		}
		return i
	}
	for _, acc := range accesses {
		if acc.Function == nil || acc.Resource == nil {
			continue
		}
		from := g.fn(acc.Function.ARN)
		// Direct invocation: lambda:InvokeFunction on another function.
		if serviceOf(acc.Resource.ARN) == "lambda" && contains(acc.Actions, "lambda:InvokeFunction") {
			if target := unqualified(acc.Resource.ARN); w.funcs[target] != nil {
				g.out[from] = append(g.out[from], accEdge{acc: acc, src: -1, fn: g.fn(target)})
			}
		}
		if !hasTriggeringAction(acc.Actions) {
			continue
		}
		var trig []string
		for _, a := range acc.Actions {
			if allTriggeringActions[a] {
				trig = append(trig, a)
			}
		}
		sig := "\x00" + strings.Join(trig, ",")
		linked := func(n *srcNode) func() *srcNode {
			return func() *srcNode {
				w.linkSource(g, n, invByKey, invByType)
				return n
			}
		}
		var i int
		switch {
		case acc.Covers != nil:
			rs := w.agg.used[acc.Covers.Set]
			if rs == nil {
				continue
			}
			base := rs
			if rs.base != nil {
				base = rs.base
			}
			b := node("set\x00"+base.id+sig, linked(&srcNode{rep: acc, set: base, rank: 1, base: -1}))
			i = b
			if rs != base {
				i = node("set\x00"+rs.id+sig, func() *srcNode {
					ex := map[string]bool{}
					for _, o := range rs.except {
						ex[w.resList[o].res.ARN] = true
					}
					return &srcNode{rep: acc, set: rs, rank: 1, invokes: g.srcs[b].invokes, except: ex, base: b}
				})
			}
		case acc.Outside && strings.ContainsAny(acc.Resource.ARN, "*?"):
			i = node("pattern\x00"+acc.Resource.ARN+sig, linked(&srcNode{rep: acc, rank: 2, base: -1}))
		default:
			i = node("arn\x00"+acc.Resource.ARN+sig, linked(&srcNode{rep: acc, base: -1}))
		}
		g.out[from] = append(g.out[from], accEdge{acc: acc, src: i})
	}
	// A named resource is the clearest witness, a wildcard the vaguest.
	for f := range g.out {
		slices.SortStableFunc(g.out[f], func(a, b accEdge) int {
			ra, rb := -1, -1
			if a.src >= 0 {
				ra = g.srcs[a.src].rank
			}
			if b.src >= 0 {
				rb = g.srcs[b.src].rank
			}
			if ra != rb {
				return ra - rb
			}
			return strings.Compare(a.acc.ID, b.acc.ID)
		})
	}
	return g
}

// writtenSource is what a function writes to make a trigger fire: the
// resource its source belongs to, or for an EventBridge rule its bus.
func (w *world) writtenSource(tr *flow.Trigger) string {
	if tr.Type == "eventbridge" {
		return w.busOfRule(tr.Source.ARN)
	}
	return sourceKey(tr.Source.ARN)
}

// linkSource finds the invoke flows a source node fires.
func (w *world) linkSource(g *chainGraph, n *srcNode, invByKey, invByType map[string][]*flow.Flow) {
	var cands []*flow.Flow
	covered := false
	switch n.rank {
	case 0:
		cands = invByKey[sourceKey(n.rep.Resource.ARN)]
	case 1:
		covered = true
		n.set.each(func(o int32) {
			cands = append(cands, invByKey[w.resList[o].res.ARN]...)
		})
	case 2:
		types := make([]string, 0, len(invByType))
		for t := range invByType {
			types = append(types, t)
		}
		sort.Strings(types)
		for _, t := range types {
			for _, a := range triggeringActions[t] {
				if contains(n.rep.Actions, a) {
					cands = append(cands, invByType[t]...)
					break
				}
			}
		}
	}
	for _, inv := range cands {
		if action, ok := w.causes(n.rep, inv, triggeringActions[inv.Trigger.Type], covered); ok {
			n.invokes = append(n.invokes, invEdge{inv: inv, action: action, to: g.fn(inv.Trigger.Function.ARN), key: w.writtenSource(inv.Trigger)})
		}
	}
}

// hopRec is how a search reached a function: from function from, by
// access acc (and invoke inv, unless it invoked directly).
type hopRec struct {
	from   int
	acc    *flow.Flow
	inv    *flow.Flow
	action string
	src    int // source node, or -1
}

// chainFlows links access flows to the invoke flows they can cause, and
// reports the shortest path from each entry to each function it reaches,
// and the invocation loops.
func (w *world) chainFlows(flows []flow.Flow, maxDepth int) []flow.Flow {
	var invokes, accesses []*flow.Flow
	for i := range flows {
		f := &flows[i]
		if f.Decision == flow.Denied {
			continue
		}
		switch f.Kind {
		case flow.KindInvoke:
			invokes = append(invokes, f)
		case flow.KindAccess:
			accesses = append(accesses, f)
		}
	}
	g := w.buildChainGraph(invokes, accesses)

	cb := &chainBuilder{w: w, g: g, seen: map[string]bool{}, searchEveryLoop: w.opts.searchEveryLoop}
	cb.loops(maxDepth)

	// Entries: invoke flows whose source no function writes to, and public
	// or cross-account reach of a function; public ones first, as findings
	// rest on them.
	written := map[*flow.Flow]bool{}
	for _, n := range g.srcs {
		n.fires(func(e invEdge) { written[e.inv] = true })
	}
	var public, ordinary []*flow.Flow
	for i := range flows {
		f := &flows[i]
		if f.Kind == flow.KindReach && f.Decision != flow.Denied && (f.Reach == "public" || f.Reach == "public-url" || f.Reach == "account") && f.Target != nil && serviceOf(f.Target.ARN) == "lambda" {
			public = append(public, f)
		}
	}
	for _, inv := range invokes {
		if !written[inv] {
			ordinary = append(ordinary, inv)
		}
	}
	writes := map[string][]*flow.Flow{}
	for _, acc := range accesses {
		if acc.Function != nil && (acc.Level == "Write" || acc.Level == "Permissions management") && touchesData(acc) {
			writes[acc.Function.ARN] = append(writes[acc.Function.ARN], acc)
		}
	}
	for _, e := range public {
		cb.fromEntry(e, maxDepth, writes)
	}
	for _, e := range ordinary {
		cb.fromEntry(e, maxDepth, nil)
	}
	if cb.truncated {
		w.addUnknown("chains", "", fmt.Sprintf("chain reporting stopped at %d paths per entry and %d in all (each the shortest of its kind); narrow the input or lower --depth", maxChainsPerEntry, maxChains), "", 0)
	}
	return cb.out
}

// Bounds on reported chains: one shortest path per entry and function
// reached, but a report of thousands of them helps nobody.
const (
	maxChainsPerEntry = 100
	maxChains         = 5000
	maxLoops          = 5000
)

type chainBuilder struct {
	w         *world
	g         *chainGraph
	out       []flow.Flow
	seen      map[string]bool
	truncated bool
	perEntry  int
	chains    int
	// searchEveryLoop turns closingEdge off (tests compare both ways).
	searchEveryLoop bool
}

func (cb *chainBuilder) emit(path []string, decisions []flow.Decision, loop bool, title string) bool {
	id := "chain/" + strings.Join(path, " => ")
	if cb.seen[id] {
		return true
	}
	if !loop && (cb.perEntry >= maxChainsPerEntry || cb.chains >= maxChains) {
		cb.truncated = true
		return false
	}
	cb.seen[id] = true
	if !loop {
		cb.perEntry++
		cb.chains++
	}
	fl := flow.Flow{ID: id, Kind: flow.KindChain, Decision: flow.Combine(decisions...), Path: path, Loop: loop, Title: title}
	fl.Steps = append(fl.Steps, note("path", fl.Decision, title))
	cb.out = append(cb.out, fl)
	return true
}

// hopName names a hop for a chain's title: the action and what it wrote
// to (the trigger's source where the access covers many resources).
func hopName(h hopRec) string {
	res := nonEmpty(h.acc.Resource.Address, h.acc.Resource.ARN)
	if h.inv != nil && (h.acc.Covers != nil || (h.acc.Outside && strings.ContainsAny(h.acc.Resource.ARN, "*?"))) {
		res = nonEmpty(h.inv.Trigger.Source.Address, h.inv.Trigger.Source.ARN)
	}
	return h.action + " " + res
}

// appendHop adds one hop's flows, decisions and names.
func (cb *chainBuilder) appendHop(h hopRec, path []string, ds []flow.Decision, names []string, last string) ([]string, []flow.Decision, []string) {
	path = append(path, h.acc.ID)
	ds = append(ds, h.acc.Decision)
	if h.inv != nil {
		path = append(path, h.inv.ID)
		ds = append(ds, h.inv.Decision)
	}
	return path, ds, append(names, hopName(h), last)
}

// fromEntry searches breadth-first from an entry's function. Without
// writes, every function reached beyond the first gets a chain; with
// writes (an outside entry), every data write of every function reached
// does.
func (cb *chainBuilder) fromEntry(e *flow.Flow, maxDepth int, writes map[string][]*flow.Flow) {
	start := entryFunction(e)
	if start == "" || cb.chains >= maxChains {
		if start != "" {
			cb.truncated = true
		}
		return
	}
	g, w := cb.g, cb.w
	cb.perEntry = 0
	s := g.fn(start)
	parent := map[int]hopRec{s: {from: -1}}
	depth := map[int]int{s: 1}
	exp := g.newExpansion()
	queue := []int{s}
	chainTo := func(f int) ([]string, []flow.Decision, []string) {
		var hops []hopRec
		for x := f; x != s; x = parent[x].from {
			hops = append(hops, parent[x])
		}
		slices.Reverse(hops)
		path, ds, names := []string{e.ID}, []flow.Decision{e.Decision}, []string{entryName(e), w.funcName(start)}
		for i, h := range hops {
			to := s
			if i+1 < len(hops) {
				to = hops[i+1].from
			} else {
				to = f
			}
			path, ds, names = cb.appendHop(h, path, ds, names, w.funcName(g.fns[to]))
		}
		return path, ds, names
	}
	visit := func(f int) bool {
		if writes != nil {
			for _, acc := range writes[g.fns[f]] {
				path, ds, names := chainTo(f)
				path = append(path, acc.ID)
				ds = append(ds, acc.Decision)
				names = append(names, acc.Level+" on "+nonEmpty(acc.Resource.Address, acc.Resource.ARN))
				if !cb.emit(path, ds, false, strings.Join(names, " → ")) {
					return false
				}
			}
			return true
		}
		if depth[f] > 1 {
			path, ds, names := chainTo(f)
			return cb.emit(path, ds, false, strings.Join(names, " → "))
		}
		return true
	}
	for len(queue) > 0 {
		f := queue[0]
		queue = queue[1:]
		if !visit(f) {
			return
		}
		if depth[f] >= maxDepth {
			continue
		}
		reach := func(to int, h hopRec) {
			if _, ok := parent[to]; ok {
				return
			}
			parent[to] = h
			depth[to] = depth[f] + 1
			queue = append(queue, to)
		}
		for _, ae := range g.out[f] {
			if ae.src < 0 {
				reach(ae.fn, hopRec{from: f, acc: ae.acc, action: "lambda:InvokeFunction", src: -1})
				continue
			}
			// A source node's fan-out is the same from every function: once
			// taken, taking it again finds nothing nearer.
			exp.expand(ae.src, func(ie invEdge) {
				reach(ie.to, hopRec{from: f, acc: ae.acc, inv: ie.inv, action: ie.action, src: ae.src})
			})
		}
	}
}

// loops reports the invocation loops: taking functions in ARN order, for
// each function on a cycle that no loop reported so far passes through,
// the shortest cycle through it, up to maxDepth functions long (as chains
// are). Every function on such a cycle is thus on some reported loop, each
// loop is reported once, and the search from a function stops at its first
// way back: cost about linear per loop.
func (cb *chainBuilder) loops(maxDepth int) {
	g, w := cb.g, cb.w
	comp := g.components()
	nf := len(g.fns)
	// The search's state is indexed by function and stamped with the
	// search's number, so the searches (one per uncovered function on a
	// cycle) allocate nothing of their own.
	parent := make([]hopRec, nf)
	depth := make([]int, nf)
	stamp := make([]int, nf)
	search := 0
	var queue []int
	var f, x int
	var closing *hopRec
	var closed hopRec
	// early: no first-level closing exists, so the first function the
	// first level reaches that has an edge back to f closes the search (it
	// is the first one the search would visit); checked as it is reached.
	early := false
	exp := g.newExpansion()
	yield := func(to int, h hopRec) {
		switch {
		case closing != nil:
		case to == f:
			closed = h
			closing = &closed
			exp.stop = true // the shortest way back is found
		default:
			if stamp[to] != search && depth[x] < maxDepth {
				stamp[to] = search
				parent[to] = h
				depth[to] = depth[x] + 1
				queue = append(queue, to)
				if early && x == f {
					switch c, found, sure := g.closingEdge(to, f); {
					case !sure:
						early = false
					case found:
						closed = c
						closing = &closed
						exp.stop = true
					}
				}
			}
		}
	}
	// The successors of x within its component; ae is the edge being
	// expanded, read by fired (made once, not once per edge).
	var ae accEdge
	fired := func(ie invEdge) {
		if comp[ie.to] == comp[f] {
			yield(ie.to, hopRec{from: x, acc: ae.acc, inv: ie.inv, action: ie.action, src: ae.src})
		}
	}
	visit := func() {
		for _, ae = range g.out[x] {
			if exp.stop {
				return
			}
			if ae.src < 0 {
				if comp[ae.fn] == comp[f] {
					yield(ae.fn, hopRec{from: x, acc: ae.acc, action: "lambda:InvokeFunction", src: -1})
				}
				continue
			}
			exp.expand(ae.src, fired)
		}
	}
	order := make([]int, nf)
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool { return g.fns[order[a]] < g.fns[order[b]] })
	size := map[int]int{}
	for _, c := range comp {
		size[c]++
	}
	reported := map[string]bool{}
	loops := 0
	covered := make([]bool, nf)
	for _, f = range order {
		if covered[f] || !g.onCycle(f, comp, size) {
			continue
		}
		// Breadth-first from f back to f, within f's component, taking
		// each source node's fan-out once; where the search would close
		// at its first level, the closing hop is found without it.
		closing = nil
		h, found, sure := g.closingEdge(f, f)
		if found && sure && !cb.searchEveryLoop {
			closed = h
			closing = &closed
		} else {
			early = sure && !cb.searchEveryLoop
			search++
			exp.reset()
			queue = append(queue[:0], f)
			stamp[f] = search
			depth[f] = 1
			for len(queue) > 0 && closing == nil {
				x = queue[0]
				queue = queue[1:]
				visit()
			}
		}
		if closing == nil {
			continue
		}
		hops := []hopRec{*closing}
		for x := closing.from; x != f; x = parent[x].from {
			hops = append(hops, parent[x])
		}
		slices.Reverse(hops)
		origin := f
		var path []string
		var ds []flow.Decision
		names := []string{w.funcName(g.fns[origin])}
		for i, h := range hops {
			to := origin
			if i+1 < len(hops) {
				to = hops[i+1].from
			}
			last := w.funcName(g.fns[to])
			if i == len(hops)-1 {
				last += " (loop)"
			}
			path, ds, names = cb.appendHop(h, path, ds, names, last)
		}
		for _, h := range hops {
			covered[h.from] = true
		}
		key := strings.Join(path, " => ")
		if reported[key] {
			continue
		}
		reported[key] = true
		if loops >= maxLoops {
			cb.truncated = true
			return
		}
		loops++
		cb.emit(path, ds, true, strings.Join(names, " → "))
	}
}

// closingEdge finds, without expanding anything, the hop by which a
// search for a cycle through f closes when it visits x: the first of x's
// edges, in order, that invokes f or leads to a source node firing f, with
// that node's invoke of f. For x = f it is the first level of the search;
// for x first reached from f, the second (no node firing f is expanded
// before the search closes, so what x's edges yield of f does not depend
// on what the search expanded before). A function holding a grant on a
// whole service (every queue) reaches its own trigger, or a function that
// does, this way, and expanding "every queue" once per such function made
// the loop search quadratic in the estate. sure is false where the search
// could pick another hop: the node is a variant of a base an earlier edge
// of x also leads to (the search takes it from the earlier one's
// leftovers, in another order), or its base invokes f more than once.
func (g *chainGraph) closingEdge(x, f int) (h hopRec, found, sure bool) {
	var bases map[int]bool
	for _, ae := range g.out[x] {
		if ae.src < 0 {
			if ae.fn == f {
				return hopRec{from: x, acc: ae.acc, action: "lambda:InvokeFunction", src: -1}, true, true
			}
			continue
		}
		n := g.srcs[ae.src]
		b := g.srcs[n.base]
		if b.byTarget == nil {
			b.byTarget = map[int][]int{}
			for i, ie := range b.invokes {
				b.byTarget[ie.to] = append(b.byTarget[ie.to], i)
			}
		}
		at := b.byTarget[f]
		for _, i := range at {
			ie := n.invokes[i]
			if n.except[ie.key] {
				continue
			}
			if bases[n.base] || (x != f && len(at) > 1) {
				return hopRec{}, false, false
			}
			return hopRec{from: x, acc: ae.acc, inv: ie.inv, action: ie.action, src: ae.src}, true, true
		}
		if bases == nil {
			bases = map[int]bool{}
		}
		bases[n.base] = true
	}
	return hopRec{}, false, true
}

// onCycle reports whether function f lies on a cycle: its component holds
// another function, or it reaches itself.
func (g *chainGraph) onCycle(f int, comp []int, size map[int]int) bool {
	if size[comp[f]] > 1 {
		return true
	}
	for _, ae := range g.out[f] {
		if ae.src < 0 && ae.fn == f {
			return true
		}
		if ae.src >= 0 {
			self := false
			g.srcs[ae.src].fires(func(ie invEdge) { self = self || ie.to == f })
			if self {
				return true
			}
		}
	}
	return false
}

// components labels each function with its strongly connected component
// of the function graph (source nodes included as intermediate nodes), by
// Tarjan's algorithm, iteratively.
func (g *chainGraph) components() []int {
	nf := len(g.fns)
	n := nf + len(g.srcs)
	succ := func(v int) []int {
		var out []int
		if v < nf {
			for _, ae := range g.out[v] {
				if ae.src < 0 {
					out = append(out, ae.fn)
				} else {
					out = append(out, nf+ae.src)
				}
			}
			return out
		}
		g.srcs[v-nf].fires(func(ie invEdge) { out = append(out, ie.to) })
		return out
	}
	index := make([]int, n)
	low := make([]int, n)
	onStack := make([]bool, n)
	comp := make([]int, n)
	for i := range index {
		index[i] = -1
	}
	var stack []int
	next, ncomp := 0, 0
	type frame struct {
		v    int
		succ []int
		i    int
	}
	for root := range n {
		if index[root] >= 0 {
			continue
		}
		call := []frame{{v: root, succ: succ(root)}}
		index[root], low[root] = next, next
		next++
		stack = append(stack, root)
		onStack[root] = true
		for len(call) > 0 {
			fr := &call[len(call)-1]
			if fr.i < len(fr.succ) {
				u := fr.succ[fr.i]
				fr.i++
				if index[u] < 0 {
					index[u], low[u] = next, next
					next++
					stack = append(stack, u)
					onStack[u] = true
					call = append(call, frame{v: u, succ: succ(u)})
				} else if onStack[u] && index[u] < low[fr.v] {
					low[fr.v] = index[u]
				}
				continue
			}
			v := fr.v
			call = call[:len(call)-1]
			if len(call) > 0 {
				if p := call[len(call)-1].v; low[v] < low[p] {
					low[p] = low[v]
				}
			}
			if low[v] == index[v] {
				for {
					u := stack[len(stack)-1]
					stack = stack[:len(stack)-1]
					onStack[u] = false
					comp[u] = ncomp
					if u == v {
						break
					}
				}
				ncomp++
			}
		}
	}
	return comp[:nf]
}

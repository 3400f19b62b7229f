// Package graph turns a simulation result into a flow graph a person can
// read: entries (trigger sources, outside principals), functions and
// resources as nodes; invoke, access and reach flows as labelled edges
// styled by decision; chains and loops as highlighted paths.
//
// Pipeline place: inventory → simulator → flows → graph (this package) →
// report (Mermaid, DOT, which also lay it out in sections and clusters). It
// reads the flows, and the inventory only to name things (ARN → Terraform
// address, role → functions); it decides nothing.
//
// Readability rules, chosen for apps of a few dozen functions: one node per
// thing (a bucket that triggers a function and that functions write to is
// one node, so loops show as cycles), resources grouped by service, the
// per-level access flows of one function → resource collapsed into one edge,
// telemetry plumbing (logs, traces, metrics) omitted unless asked for,
// addresses instead of ARNs.
package graph

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
	"github.com/lambdacheck/lambdacheck/simulator/flow"
)

// Options choose what the graph shows.
type Options struct {
	// Kinds are the flow kinds drawn; empty means all of them.
	Kinds []flow.Kind
	// Function, when set, keeps only the flows that touch this function
	// (by Terraform address, or ARN for live sources) and the chains
	// through it.
	Function string
	// All keeps telemetry plumbing: logs, X-Ray and CloudWatch metrics
	// actions on resources outside the inventory. They are omitted by default because
	// every function has them and they drown the graph; they stay when a
	// chain runs through them.
	All bool
}

// DefaultKinds are the flow kinds drawn when none are asked for: every
// kind but chains, which --kinds chain draws with the edges of their paths.
var DefaultKinds = []flow.Kind{flow.KindInvoke, flow.KindAccess, flow.KindReach}

// ParseKinds reads flow kind names (as given on a command line, any case);
// "all" names every kind, chains included; empty names are skipped.
func ParseKinds(values []string) ([]flow.Kind, error) {
	var out []flow.Kind
	for _, v := range values {
		k := flow.Kind(strings.TrimSpace(strings.ToLower(v)))
		switch k {
		case flow.KindInvoke, flow.KindAccess, flow.KindReach, flow.KindChain:
			out = append(out, k)
		case "all":
			out = append(out, flow.KindInvoke, flow.KindAccess, flow.KindReach, flow.KindChain)
		case "":
		default:
			return nil, fmt.Errorf("%q: want invoke, access, reach, chain or all", v)
		}
	}
	return out, nil
}

// NodeKind is the column a node belongs to.
type NodeKind string

const (
	Entry    NodeKind = "entry"    // trigger sources nothing writes to, outside principals
	Function NodeKind = "function" // Lambda functions
	Resource NodeKind = "resource" // what functions reach
)

// Node is one thing in the graph.
type Node struct {
	// ID is deterministic and matches [A-Za-z0-9_]+, so renderers can use
	// it verbatim.
	ID   string   `json:"id"`
	Kind NodeKind `json:"kind"`
	// Group is the service the node belongs to ("S3", "SQS", "Outside
	// principals" …); empty for functions.
	Group   string `json:"group,omitempty"`
	Label   string `json:"label"`
	Address string `json:"address,omitempty"`
	ARN     string `json:"arn,omitempty"`
	// Outside is true for principals and resources outside the inventory.
	Outside bool `json:"outside,omitempty"`
	// Principal is true for outside principals (the public, other
	// accounts, services) of reach flows.
	Principal bool `json:"principal,omitempty"`
	// Unresolved is true for a trigger's target function that the source
	// did not resolve.
	Unresolved bool `json:"unresolved,omitempty"`

	key   string // identity while building
	svc   string // service key, for the id
	count int    // for a resource set: its largest count so far
	oldID string // while a view re-assigns IDs (Collapse)
}

// EdgeKind is the kind of flow an edge draws.
type EdgeKind string

const (
	InvokeEdge EdgeKind = "invoke" // a trigger source invoking a function
	AccessEdge EdgeKind = "access" // a function's role reaching a resource
	ReachEdge  EdgeKind = "reach"  // an outside principal reaching a function
)

// Edge is one or more flows between two nodes.
type Edge struct {
	From     string        `json:"from"` // node IDs
	To       string        `json:"to"`
	Kind     EdgeKind      `json:"kind"`
	Label    string        `json:"label"`
	Decision flow.Decision `json:"decision"`
	// Disabled marks a trigger that is configured but switched off.
	Disabled bool `json:"disabled,omitempty"`
	// Chain and Loop mark edges on a multi-hop path or an invocation loop.
	Chain bool `json:"chain,omitempty"`
	Loop  bool `json:"loop,omitempty"`
	// Actions are the actions the edge's flows carry (plumbing excluded
	// unless Options.All), sorted.
	Actions []string `json:"actions,omitempty"`
	// Flows are the ids of the flows the edge draws, sorted.
	Flows []string `json:"flows"`
}

// Chain is a chain flow drawn as a path of edges.
type Chain struct {
	ID       string        `json:"id"`
	Title    string        `json:"title"`
	Loop     bool          `json:"loop,omitempty"`
	Decision flow.Decision `json:"decision"`
	// Edges are indexes into Graph.Edges in path order; steps of the path
	// that the graph does not draw are left out.
	Edges []int `json:"edges"`
}

// Graph is the drawable model. Nodes are ordered by kind (entries,
// functions, resources), group and label; edges by their end nodes.
type Graph struct {
	Nodes  []Node  `json:"nodes"`
	Edges  []Edge  `json:"edges"`
	Chains []Chain `json:"chains"`
}

// Build makes the graph of res. inv may be nil; with it, sources known only
// by ARN are named by their Terraform address and grouped by service.
func Build(res *flow.Result, inv *inventory.Inventory, opts Options) (*Graph, error) {
	if res == nil {
		return nil, fmt.Errorf("build graph: no simulation result")
	}
	kinds := map[flow.Kind]bool{}
	for _, k := range opts.Kinds {
		switch k {
		case flow.KindInvoke, flow.KindAccess, flow.KindReach, flow.KindChain:
			kinds[k] = true
		default:
			return nil, fmt.Errorf("build graph: unknown flow kind %q (want invoke, access, reach or chain)", k)
		}
	}
	if len(kinds) == 0 {
		// Chains are a view of their own: drawn over every edge they make
		// a large estate unreadable (most edges lie on some chain).
		for _, k := range DefaultKinds {
			kinds[k] = true
		}
	}
	b := newBuilder(res, inv)
	selected, err := b.selectFlows(kinds, opts)
	if err != nil {
		return nil, err
	}
	for _, f := range selected {
		b.add(f, opts.All)
	}
	if opts.Function != "" {
		// A function with no flows still gets its node.
		b.function(flow.FunctionRef{Ref: flow.Ref{Address: b.functionAddress(opts.Function)}})
	}
	g := b.finish()
	if kinds[flow.KindChain] {
		b.chains(g, selected)
	}
	return g, nil
}

// selectFlows applies the kind and function filters. A chain is kept when
// chains are asked for and (with a function filter) it passes through the
// function; its path flows are kept with it so the path can be drawn.
func (b *builder) selectFlows(kinds map[flow.Kind]bool, opts Options) ([]*flow.Flow, error) {
	var out []*flow.Flow
	if opts.Function == "" {
		// Without a function filter every flow of a selected kind is kept,
		// and with chains the flows on their paths, whatever their kind,
		// so a chain view draws its paths.
		onPath := map[string]bool{}
		if kinds[flow.KindChain] {
			for i := range b.res.Flows {
				if f := &b.res.Flows[i]; f.Kind == flow.KindChain {
					for _, id := range f.Path {
						onPath[id] = true
					}
				}
			}
		}
		for i := range b.res.Flows {
			if f := &b.res.Flows[i]; kinds[f.Kind] || onPath[f.ID] {
				out = append(out, f)
			}
		}
		return out, nil
	}
	addr := b.functionAddress(opts.Function)
	if addr == "" {
		return nil, fmt.Errorf("build graph: function %q is not in the simulated application", opts.Function)
	}
	byID := make(map[string]*flow.Flow, len(b.res.Flows))
	for i := range b.res.Flows {
		byID[b.res.Flows[i].ID] = &b.res.Flows[i]
	}
	keep := map[string]bool{}
	for i := range b.res.Flows {
		f := &b.res.Flows[i]
		if f.Kind != flow.KindChain {
			if kinds[f.Kind] && b.touches(f, addr) {
				keep[f.ID] = true
			}
			continue
		}
		if !kinds[flow.KindChain] || !slices.ContainsFunc(f.Path, func(id string) bool {
			p := byID[id]
			return p != nil && b.touches(p, addr)
		}) {
			continue
		}
		keep[f.ID] = true
		for _, id := range f.Path {
			if p := byID[id]; p != nil {
				keep[id] = true
			}
		}
	}
	for i := range b.res.Flows {
		if keep[b.res.Flows[i].ID] {
			out = append(out, &b.res.Flows[i])
		}
	}
	return out, nil
}

// touches reports whether flow f involves the function at addr.
func (b *builder) touches(f *flow.Flow, addr string) bool {
	switch f.Kind {
	case flow.KindInvoke:
		return f.Trigger != nil && b.functionAddress(nonEmpty(f.Trigger.Function.Address, f.Trigger.Function.ARN)) == addr
	case flow.KindAccess:
		if f.Function != nil && b.functionAddress(nonEmpty(f.Function.Address, f.Function.ARN)) == addr {
			return true
		}
		return f.Resource != nil && b.functionAddress(nonEmpty(f.Resource.Address, f.Resource.ARN)) == addr
	case flow.KindReach:
		if f.Target == nil {
			return false
		}
		if b.functionAddress(nonEmpty(f.Target.Address, f.Target.ARN)) == addr {
			return true
		}
		return slices.Contains(b.idx.fnByRole[f.Target.ARN], addr)
	}
	return false
}

// edgeKey identifies an edge while flows are collapsed into it.
type edgeKey struct {
	from, to string // node keys
	kind     EdgeKind
	base     string // label without the decision, for invoke and reach
}

// edgeAcc collects the flows of one edge.
type edgeAcc struct {
	key      edgeKey
	flows    []*flow.Flow
	actions  map[string]bool
	disabled int
}

type builder struct {
	res      *flow.Result
	idx      *index
	nodes    map[string]*Node
	edges    map[edgeKey]*edgeAcc
	order    []edgeKey
	accessTo map[string]bool // node keys that functions reach
	chained  map[string]bool // flow ids on some chain's path, see onChain
}

func newBuilder(res *flow.Result, inv *inventory.Inventory) *builder {
	return &builder{
		res:      res,
		idx:      newIndex(res, inv),
		nodes:    map[string]*Node{},
		edges:    map[edgeKey]*edgeAcc{},
		accessTo: map[string]bool{},
	}
}

// add draws flow f (invoke, access or reach; chains are drawn afterwards).
func (b *builder) add(f *flow.Flow, all bool) {
	switch f.Kind {
	case flow.KindInvoke:
		if f.Trigger == nil {
			return
		}
		t := f.Trigger
		src := b.source(t)
		var fn string
		if t.Function.Address == "" && t.Function.ARN == "" {
			fn = b.unresolved(t)
		} else {
			fn = b.function(t.Function)
		}
		base := invokeBase(t)
		b.edge(edgeKey{src, fn, InvokeEdge, base}, f, nil, !t.Enabled)
	case flow.KindAccess:
		if f.Function == nil || f.Resource == nil {
			return
		}
		actions := f.Actions
		if !all {
			if isPlumbing(f) && !b.onChain(f.ID) {
				return
			}
			actions = withoutPlumbing(actions)
		}
		fn := b.function(*f.Function)
		res := b.resource(*f.Resource, f.Outside)
		if f.Covers != nil {
			res = b.resourceSet(f.Covers)
		}
		b.accessTo[res] = true
		b.edge(edgeKey{fn, res, AccessEdge, ""}, f, actions, false)
	case flow.KindReach:
		if f.Target == nil {
			return
		}
		who := b.principal(f)
		base := reachBase(f)
		var targets []string
		if addr := b.functionAddress(nonEmpty(f.Target.Address, f.Target.ARN)); addr != "" {
			targets = []string{b.function(flow.FunctionRef{Ref: flow.Ref{Address: addr}})}
		} else if fns := b.idx.fnByRole[f.Target.ARN]; len(fns) > 0 {
			// Assuming a role is reaching every function that runs as it.
			for _, addr := range fns {
				targets = append(targets, b.function(flow.FunctionRef{Ref: flow.Ref{Address: addr}}))
			}
		} else {
			targets = []string{b.resource(*f.Target, false)}
		}
		for _, to := range targets {
			b.edge(edgeKey{who, to, ReachEdge, base}, f, f.Actions, false)
		}
	}
}

// onChain reports whether a chain of the result runs through flow id; the
// set is built on first use (only plumbing flows ask).
func (b *builder) onChain(id string) bool {
	if b.chained == nil {
		b.chained = map[string]bool{}
		for i := range b.res.Flows {
			for _, p := range b.res.Flows[i].Path {
				b.chained[p] = true
			}
		}
	}
	return b.chained[id]
}

func (b *builder) edge(k edgeKey, f *flow.Flow, actions []string, disabled bool) {
	acc := b.edges[k]
	if acc == nil {
		acc = &edgeAcc{key: k, actions: map[string]bool{}}
		b.edges[k] = acc
		b.order = append(b.order, k)
	}
	acc.flows = append(acc.flows, f)
	for _, a := range actions {
		acc.actions[a] = true
	}
	if disabled {
		acc.disabled++
	}
}

// finish fixes node kinds, ids and order, and renders edge labels.
func (b *builder) finish() *Graph {
	g := &Graph{Nodes: make([]Node, 0, len(b.nodes)), Edges: []Edge{}, Chains: []Chain{}}
	for _, n := range b.nodes {
		if n.Kind == "" {
			// A source that no function reaches is an entry; one that
			// functions also write to is a resource, so a loop through it
			// shows as a cycle.
			n.Kind = Entry
			if b.accessTo[n.key] {
				n.Kind = Resource
			}
		}
		g.Nodes = append(g.Nodes, *n)
	}
	sort.Slice(g.Nodes, func(i, j int) bool { return nodeLess(&g.Nodes[i], &g.Nodes[j]) })
	assignIDs(g.Nodes)
	id := make(map[string]string, len(g.Nodes))
	pos := make(map[string]int, len(g.Nodes))
	for i := range g.Nodes {
		id[g.Nodes[i].key] = g.Nodes[i].ID
		pos[g.Nodes[i].key] = i
	}
	keys := slices.Clone(b.order)
	sort.SliceStable(keys, func(i, j int) bool {
		a, c := keys[i], keys[j]
		if pos[a.from] != pos[c.from] {
			return pos[a.from] < pos[c.from]
		}
		if pos[a.to] != pos[c.to] {
			return pos[a.to] < pos[c.to]
		}
		if a.kind != c.kind {
			return a.kind < c.kind
		}
		return a.base < c.base
	})
	for _, k := range keys {
		acc := b.edges[k]
		e := Edge{From: id[k.from], To: id[k.to], Kind: k.kind}
		for _, f := range acc.flows {
			e.Flows = append(e.Flows, f.ID)
		}
		sort.Strings(e.Flows)
		for a := range acc.actions {
			e.Actions = append(e.Actions, a)
		}
		sort.Strings(e.Actions)
		switch k.kind {
		case InvokeEdge:
			// A trigger works only if every flow it draws works: the worst
			// decision is the headline.
			e.Decision = worst(acc.flows)
			e.Disabled = acc.disabled == len(acc.flows)
			e.Label = k.base + ": " + string(e.Decision)
			if e.Disabled {
				e.Label = k.base + ": disabled"
			}
		case ReachEdge:
			// Exposure is what the most permissive flow allows.
			e.Decision = best(acc.flows)
			e.Label = k.base + ": " + string(e.Decision)
		case AccessEdge:
			e.Decision, e.Label = accessLabel(acc.flows, e.Actions, b.nodes[k.to])
		}
		g.Edges = append(g.Edges, e)
	}
	return g
}

// chains marks the edges of every selected chain flow.
func (b *builder) chains(g *Graph, selected []*flow.Flow) {
	onPath := map[string]bool{}
	for _, f := range selected {
		for _, id := range f.Path {
			onPath[id] = true
		}
	}
	flowIdx := map[string]int{} // flow id on a chain → the edge drawing it
	for i, e := range g.Edges {
		for _, id := range e.Flows {
			if onPath[id] {
				flowIdx[id] = i
			}
		}
	}
	for _, f := range selected {
		if f.Kind != flow.KindChain {
			continue
		}
		c := Chain{ID: f.ID, Title: f.Title, Loop: f.Loop, Decision: f.Decision, Edges: []int{}}
		for _, id := range f.Path {
			i, ok := flowIdx[id]
			if !ok || slices.Contains(c.Edges, i) {
				continue
			}
			c.Edges = append(c.Edges, i)
			g.Edges[i].Chain = true
			if f.Loop {
				g.Edges[i].Loop = true
			}
		}
		g.Chains = append(g.Chains, c)
	}
	sort.SliceStable(g.Chains, func(i, j int) bool { return g.Chains[i].ID < g.Chains[j].ID })
}

func kindRank(k NodeKind) int {
	switch k {
	case Entry:
		return 0
	case Function:
		return 1
	}
	return 2
}

func nodeLess(a, b *Node) bool {
	if a.Kind != b.Kind {
		return kindRank(a.Kind) < kindRank(b.Kind)
	}
	if a.Group != b.Group {
		return a.Group < b.Group
	}
	if a.Label != b.Label {
		return a.Label < b.Label
	}
	return a.key < b.key
}

func worst(fs []*flow.Flow) flow.Decision {
	d := flow.Allowed
	for _, f := range fs {
		if f.Decision.Rank() > d.Rank() {
			d = f.Decision
		}
	}
	return d
}

func best(fs []*flow.Flow) flow.Decision {
	d := flow.Denied
	for _, f := range fs {
		if f.Decision.Rank() < d.Rank() {
			d = f.Decision
		}
	}
	return d
}

func nonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// levelOrder is the order of the catalog's access levels in labels.
var levelOrder = []string{"List", "Read", "Write", "Permissions management", "Tagging"}

func levelRank(l string) int {
	if i := slices.Index(levelOrder, l); i >= 0 {
		return i
	}
	return len(levelOrder)
}

// accessLabel collapses the access flows of one function → resource: the
// levels it reaches (each at its most permissive decision, since the edge
// shows what the function can do) and the purposes it is needed for
// (dead-letter, destinations: each at its worst, since a broken need is the
// headline). The edge's decision is the worst purpose when one is not
// allowed, otherwise the best level.
func accessLabel(fs []*flow.Flow, actions []string, to *Node) (flow.Decision, string) {
	levels := map[string]flow.Decision{}
	purposes := map[string]flow.Decision{}
	for _, f := range fs {
		if f.Purpose != "" {
			if d, ok := purposes[f.Purpose]; !ok || f.Decision.Rank() > d.Rank() {
				purposes[f.Purpose] = f.Decision
			}
			continue
		}
		if d, ok := levels[f.Level]; !ok || f.Decision.Rank() < d.Rank() {
			levels[f.Level] = f.Decision
		}
	}
	var parts []string
	lv := make([]string, 0, len(levels))
	for l := range levels {
		lv = append(lv, l)
	}
	sort.Slice(lv, func(i, j int) bool {
		if levelRank(lv[i]) != levelRank(lv[j]) {
			return levelRank(lv[i]) < levelRank(lv[j])
		}
		return lv[i] < lv[j]
	})
	decision := flow.Denied
	for _, l := range lv {
		if levels[l].Rank() < decision.Rank() {
			decision = levels[l]
		}
	}
	parts = append(parts, levelParts(lv, levels)...)
	ps := make([]string, 0, len(purposes))
	for p := range purposes {
		ps = append(ps, p)
	}
	sort.Strings(ps)
	broken := flow.Allowed
	for _, p := range ps {
		parts = append(parts, withDecision(p, purposes[p]))
		if purposes[p].Rank() > broken.Rank() {
			broken = purposes[p]
		}
	}
	if len(lv) == 0 || broken != flow.Allowed {
		decision = broken
	}
	label := strings.Join(parts, "; ")
	if to != nil && to.ARN == "*" {
		// Access to "any resource" says little without the services.
		if svcs := services(actions); svcs != "" {
			label += " on " + svcs
		}
	}
	return decision, label
}

// levelParts names the levels reached, grouped by decision so each
// decision is said once and applies to the group it follows: "List; Read,
// Write (conditional)". Every level with one decision reads "all levels".
func levelParts(lv []string, levels map[string]flow.Decision) []string {
	var order []flow.Decision
	groups := map[flow.Decision][]string{}
	for _, l := range lv {
		d := levels[l]
		if _, ok := groups[d]; !ok {
			order = append(order, d)
		}
		groups[d] = append(groups[d], nonEmpty(l, "access"))
	}
	parts := make([]string, 0, len(order))
	for _, d := range order {
		names := strings.Join(groups[d], ", ")
		if slices.Equal(groups[d], levelOrder) {
			names = "all levels"
		}
		parts = append(parts, withDecision(names, d))
	}
	return parts
}

func withDecision(s string, d flow.Decision) string {
	if d == flow.Allowed {
		return s
	}
	return s + " (" + string(d) + ")"
}

// services names the services of actions, at most three.
func services(actions []string) string {
	var svcs []string
	for _, a := range actions {
		svc, _, _ := strings.Cut(a, ":")
		if svc != "" && !slices.Contains(svcs, svc) {
			svcs = append(svcs, svc)
		}
	}
	sort.Strings(svcs)
	const max = 3
	if len(svcs) > max {
		return fmt.Sprintf("%s +%d", strings.Join(svcs[:max], ", "), len(svcs)-max)
	}
	return strings.Join(svcs, ", ")
}

// isPlumbingAction reports whether an action is telemetry every function
// does as a matter of course: writing its logs, traces and metrics.
func isPlumbingAction(a string) bool {
	a = strings.ToLower(a)
	svc, _, _ := strings.Cut(a, ":")
	return svc == "logs" || svc == "xray" || a == "cloudwatch:putmetricdata"
}

// isPlumbing reports whether an access flow is telemetry plumbing: logs,
// X-Ray and metrics actions on resources outside the inventory. A
// log group in the inventory is kept, since a subscription filter can make
// it a trigger.
func isPlumbing(f *flow.Flow) bool {
	if f.Purpose == "logging" {
		return true
	}
	if f.Resource != nil && f.Resource.Address != "" && !f.Outside {
		return false
	}
	if len(f.Actions) == 0 {
		return false
	}
	for _, a := range f.Actions {
		if !isPlumbingAction(a) {
			return false
		}
	}
	return true
}

func withoutPlumbing(actions []string) []string {
	var out []string
	for _, a := range actions {
		if !isPlumbingAction(a) {
			out = append(out, a)
		}
	}
	return out
}

// invokeBase is an invoke edge's label before the decision: the trigger
// type, the route for API Gateway, the qualifier when the trigger targets
// one.
func invokeBase(t *flow.Trigger) string {
	s := nonEmpty(t.Type, "trigger")
	if r := apiRoute(t); r != "" {
		s += " " + r
	}
	if t.Function.Qualifier != "" {
		s += " → " + t.Function.Qualifier
	}
	return s
}

// apiRoute is "POST /orders" from an execute-api ARN
// (…:API_ID/STAGE/METHOD/PATH), "authorizer" for an authorizer.
func apiRoute(t *flow.Trigger) string {
	if t.Type != "apigateway" && t.Type != "apigatewayv2" {
		return ""
	}
	a, ok := parseARN(t.Source.ARN)
	if !ok || a.service != "execute-api" {
		return ""
	}
	parts := strings.SplitN(a.resource, "/", 4)
	if len(parts) >= 2 && parts[1] == "authorizers" {
		return "authorizer"
	}
	if len(parts) < 3 {
		return ""
	}
	path := "/"
	if len(parts) == 4 {
		path += parts[3]
	}
	method := parts[2]
	if method == "*" {
		method = "ANY"
	}
	return method + " " + path
}

// reachBase is a reach edge's label before the decision.
func reachBase(f *flow.Flow) string {
	if f.Reach == "public-url" {
		return "URL without auth"
	}
	var acts []string
	for _, a := range f.Actions {
		switch strings.ToLower(a) {
		case "lambda:invokefunction":
			a = "invoke"
		case "lambda:invokefunctionurl":
			a = "invoke URL"
		case "sts:assumerole":
			a = "assume role"
		}
		if !slices.Contains(acts, a) {
			acts = append(acts, a)
		}
	}
	s := strings.Join(acts, ", ")
	if f.Reach == "service" {
		s += " (any source)"
	}
	return nonEmpty(s, f.Reach)
}

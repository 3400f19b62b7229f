package graph

import (
	"context"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/lambdacheck/lambdacheck/analyzer/awsref"
	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
	"github.com/lambdacheck/lambdacheck/analyzer/terraform"
	"github.com/lambdacheck/lambdacheck/simulator"
	"github.com/lambdacheck/lambdacheck/simulator/flow"
)

type simulated struct {
	inv *inventory.Inventory
	res *flow.Result
}

var (
	fixtureMu    sync.Mutex
	fixtureCache = map[string]simulated{}
)

// fixture loads and simulates fixtures/NAME once per test binary.
func fixture(t *testing.T, name string) (*inventory.Inventory, *flow.Result) {
	t.Helper()
	fixtureMu.Lock()
	defer fixtureMu.Unlock()
	if s, ok := fixtureCache[name]; ok {
		return s.inv, s.res
	}
	dir := filepath.Join("..", "..", "fixtures", name)
	inv, err := terraform.Load(context.Background(), dir, terraform.Options{Account: "123456789012", Region: "eu-west-1", Catalog: awsref.Default()})
	if err != nil {
		t.Fatalf("load %s: %v", dir, err)
	}
	res, err := simulator.Simulate(context.Background(), inv, simulator.Options{})
	if err != nil {
		t.Fatalf("simulate %s: %v", dir, err)
	}
	fixtureCache[name] = simulated{inv, res}
	return inv, res
}

func build(t *testing.T, name string, opts Options) *Graph {
	t.Helper()
	inv, res := fixture(t, name)
	g, err := Build(res, inv, opts)
	if err != nil {
		t.Fatal(err)
	}
	checkWellFormed(t, g)
	return g
}

var idPattern = regexp.MustCompile(`^[A-Za-z0-9_]+$`)

// checkWellFormed asserts the invariants renderers rely on.
func checkWellFormed(t *testing.T, g *Graph) {
	t.Helper()
	ids := map[string]bool{}
	for _, n := range g.Nodes {
		if !idPattern.MatchString(n.ID) {
			t.Errorf("node id %q is not [A-Za-z0-9_]+", n.ID)
		}
		if ids[n.ID] {
			t.Errorf("node id %q is not unique", n.ID)
		}
		ids[n.ID] = true
	}
	for i, e := range g.Edges {
		if !ids[e.From] || !ids[e.To] {
			t.Errorf("edge %d %s → %s names a missing node", i, e.From, e.To)
		}
		if len(e.Flows) == 0 {
			t.Errorf("edge %d %s → %s draws no flow", i, e.From, e.To)
		}
	}
	for _, c := range g.Chains {
		for _, i := range c.Edges {
			if i < 0 || i >= len(g.Edges) || !g.Edges[i].Chain {
				t.Errorf("chain %s points at edge %d that is not marked as a chain edge", c.ID, i)
			}
		}
	}
}

// node finds the node with this label in this group ("" for functions).
func node(t *testing.T, g *Graph, group, label string) *Node {
	t.Helper()
	for i := range g.Nodes {
		if g.Nodes[i].Group == group && g.Nodes[i].Label == label {
			return &g.Nodes[i]
		}
	}
	var have []string
	for _, n := range g.Nodes {
		have = append(have, n.Group+"/"+n.Label)
	}
	t.Fatalf("no node %s/%s; have %s", group, label, strings.Join(have, ", "))
	return nil
}

func findNode(g *Graph, group, label string) *Node {
	for i := range g.Nodes {
		if g.Nodes[i].Group == group && g.Nodes[i].Label == label {
			return &g.Nodes[i]
		}
	}
	return nil
}

// edge finds the edge of this kind between two nodes.
func edge(t *testing.T, g *Graph, from, to *Node, kind EdgeKind) *Edge {
	t.Helper()
	for i := range g.Edges {
		e := &g.Edges[i]
		if e.From == from.ID && e.To == to.ID && e.Kind == kind {
			return e
		}
	}
	t.Fatalf("no %s edge %s → %s", kind, from.ID, to.ID)
	return nil
}

func TestThumbnailsUploadsBucketInvokesThumbnail(t *testing.T) {
	g := build(t, "thumbnails", Options{})
	uploads := node(t, g, "S3", "uploads")
	fn := node(t, g, "", "thumbnail")
	if fn.Kind != Function || fn.Address != "aws_lambda_function.thumbnail" {
		t.Errorf("thumbnail node = %+v", fn)
	}
	e := edge(t, g, uploads, fn, InvokeEdge)
	if e.Decision != flow.Allowed || e.Label != "s3: allowed" {
		t.Errorf("uploads → thumbnail = %s %q, want allowed \"s3: allowed\"", e.Decision, e.Label)
	}
	// The notification's source is known only by ARN in the flow; the
	// inventory names it, so the bucket the function reads is the same node.
	if uploads.Address != "aws_s3_bucket.uploads" || uploads.Kind != Resource {
		t.Errorf("uploads node = %+v, want the inventory bucket in the resources column", uploads)
	}
	read := edge(t, g, fn, uploads, AccessEdge)
	if read.Label != "Read" || read.Decision != flow.Allowed {
		t.Errorf("thumbnail → uploads = %q %s", read.Label, read.Decision)
	}
	write := edge(t, g, fn, node(t, g, "S3", "thumbnails"), AccessEdge)
	if write.Label != "Write" {
		t.Errorf("thumbnail → thumbnails = %q, want Write", write.Label)
	}
	// The dead-letter access and the ordinary Write collapse into one edge.
	dlq := edge(t, g, fn, node(t, g, "SQS", "thumbnail_dlq"), AccessEdge)
	if dlq.Label != "Write; dead-letter" || len(dlq.Flows) != 2 {
		t.Errorf("thumbnail → dlq = %q from %d flows, want \"Write; dead-letter\" from 2", dlq.Label, len(dlq.Flows))
	}
}

func TestPlumbingOmittedUnlessAll(t *testing.T) {
	g := build(t, "thumbnails", Options{})
	if n := findNode(g, "Any resource", "any resource (*)"); n != nil {
		t.Errorf("logs access to * is drawn by default: %+v", n)
	}
	all := build(t, "thumbnails", Options{All: true})
	anyRes := node(t, all, "Any resource", "any resource (*)")
	e := edge(t, all, node(t, all, "", "thumbnail"), anyRes, AccessEdge)
	if e.Label != "Write on logs" || !reflect.DeepEqual(e.Actions, []string{"logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"}) {
		t.Errorf("with All, thumbnail → * = %q %v", e.Label, e.Actions)
	}
}

func TestBrokenTriggersAreDeniedEdges(t *testing.T) {
	g := build(t, "broken-triggers", Options{})
	invokes := 0
	for _, e := range g.Edges {
		if e.Kind != InvokeEdge {
			continue
		}
		invokes++
		if e.Decision != flow.Denied || !strings.HasSuffix(e.Label, ": denied") {
			t.Errorf("invoke edge %s → %s = %s %q, want denied", e.From, e.To, e.Decision, e.Label)
		}
	}
	if invokes != 7 {
		t.Errorf("%d invoke edges, want the fixture's 7 triggers", invokes)
	}
	// The alias the notification targets is named on the edge (AWS: a
	// permission on the unqualified function does not cover an alias).
	resize := edge(t, g, node(t, g, "S3", "media"), node(t, g, "", `fn["resize"]`), InvokeEdge)
	if resize.Label != "s3 → live: denied" {
		t.Errorf("media → resize = %q", resize.Label)
	}
	// A stream source is drawn as its table.
	node(t, g, "DynamoDB", "inventory")
	// A dead-letter target the role cannot write is a denied edge.
	dlq := edge(t, g, node(t, g, "", `fn["notify"]`), node(t, g, "SNS", "notify_dlq"), AccessEdge)
	if dlq.Decision != flow.Denied || dlq.Label != "dead-letter (denied)" {
		t.Errorf("notify → notify_dlq = %s %q", dlq.Decision, dlq.Label)
	}
}

func TestLoopsAreHighlighted(t *testing.T) {
	g := build(t, "recursive-loop", Options{Kinds: []flow.Kind{flow.KindChain}})
	tagger := node(t, g, "", `fn["image-tagger"]`)
	images := node(t, g, "S3", "images")
	for _, e := range []*Edge{edge(t, g, tagger, images, AccessEdge), edge(t, g, images, tagger, InvokeEdge)} {
		if !e.Loop || !e.Chain {
			t.Errorf("edge %s → %s not marked as a loop", e.From, e.To)
		}
	}
	loops := 0
	for _, c := range g.Chains {
		if c.Loop {
			loops++
		}
	}
	if loops == 0 {
		t.Error("no loop chains")
	}
	// The safe look-alike (writes to another prefix) is not a loop.
	g = build(t, "recursive-loop", Options{Kinds: []flow.Kind{flow.KindInvoke, flow.KindAccess, flow.KindReach, flow.KindChain}})
	renamer := node(t, g, "", `fn["doc-renamer"]`)
	if e := edge(t, g, node(t, g, "S3", "documents"), renamer, InvokeEdge); e.Loop {
		t.Error("documents → doc-renamer marked as a loop")
	}
	noChains := build(t, "recursive-loop", Options{Kinds: []flow.Kind{flow.KindInvoke, flow.KindAccess}})
	for _, e := range noChains.Edges {
		if e.Chain || e.Loop {
			t.Errorf("chains drawn without the chain kind: %s → %s", e.From, e.To)
		}
	}
}

func TestReachFromOutside(t *testing.T) {
	g := build(t, "public-exposure", Options{})
	cases := []struct {
		name, who, fn, label string
	}{
		{"public resource policy", "anyone (public)", "webhook", "invoke: allowed"},
		{"function URL with AuthType NONE", "anyone (public)", "public_report", "URL without auth"},
		{"cross-account grant", "account 444455556666", "partner_sync", "invoke: allowed"},
		{"service principal without aws:SourceArn", "sns.amazonaws.com", "alerts", "invoke (any source): allowed"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			who := node(t, g, "Outside principals", c.who)
			if who.Kind != Entry || !who.Principal || !who.Outside {
				t.Errorf("principal node = %+v", who)
			}
			e := edge(t, g, who, node(t, g, "", c.fn), ReachEdge)
			if !strings.HasPrefix(e.Label, c.label) {
				t.Errorf("label %q, want prefix %q", e.Label, c.label)
			}
		})
	}
}

func TestAssumeRoleReachPointsAtTheRolesFunction(t *testing.T) {
	g := build(t, "risky-roles", Options{})
	e := edge(t, g, node(t, g, "Outside principals", "ec2.amazonaws.com"), node(t, g, "", "ops_tool"), ReachEdge)
	if e.Label != "assume role: allowed" {
		t.Errorf("label %q", e.Label)
	}
}

func TestUnresolvedTargetGetsItsOwnNode(t *testing.T) {
	alarm := flow.Ref{Address: "aws_cloudwatch_metric_alarm.charges", ARN: "arn:aws:cloudwatch:us-east-1:111111111111:alarm:charges"}
	res := &flow.Result{Flows: []flow.Flow{
		{ID: "i1", Kind: flow.KindInvoke, Decision: flow.Unknown, Trigger: &flow.Trigger{Type: "alarm", Address: "aws_cloudwatch_metric_alarm.charges", Source: alarm, Enabled: true}},
		{ID: "i2", Kind: flow.KindInvoke, Decision: flow.Unknown, Trigger: &flow.Trigger{Type: "alarm", Address: "aws_cloudwatch_metric_alarm.other", Source: alarm, Enabled: true}},
	}}
	g, err := Build(res, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkWellFormed(t, g)
	n := node(t, g, "", "unresolved target of charges")
	if !n.Unresolved || n.Kind != Function {
		t.Errorf("node = %+v", n)
	}
	e := edge(t, g, node(t, g, "CloudWatch alarms", "charges"), n, InvokeEdge)
	if e.Decision != flow.Unknown || e.Label != "alarm: unknown" {
		t.Errorf("alarm → unresolved = %s %q, want unknown", e.Decision, e.Label)
	}
	// Each unresolved trigger has its own node: they need not be the same function.
	node(t, g, "", "unresolved target of other")
}

func TestKindsFilter(t *testing.T) {
	g := build(t, "public-exposure", Options{Kinds: []flow.Kind{flow.KindInvoke}})
	for _, e := range g.Edges {
		if e.Kind != InvokeEdge {
			t.Errorf("edge of kind %s with --kinds invoke", e.Kind)
		}
	}
	for _, n := range g.Nodes {
		if n.Kind == Resource {
			t.Errorf("resource node %s without access edges", n.ID)
		}
	}
	if _, err := Build(&flow.Result{}, nil, Options{Kinds: []flow.Kind{"bogus"}}); err == nil {
		t.Error("unknown kind accepted")
	}
}

func TestFunctionFilter(t *testing.T) {
	g := build(t, "public-exposure", Options{Function: "aws_lambda_function.partner_sync"})
	fn := node(t, g, "", "partner_sync")
	for _, e := range g.Edges {
		if e.From != fn.ID && e.To != fn.ID {
			t.Errorf("edge %s → %s does not touch partner_sync", e.From, e.To)
		}
	}
	edge(t, g, node(t, g, "Outside principals", "account 444455556666"), fn, ReachEdge)
	edge(t, g, fn, node(t, g, "DynamoDB", "customers"), AccessEdge)
	if findNode(g, "", "webhook") != nil {
		t.Error("webhook drawn in partner_sync's graph")
	}
	// By ARN too.
	byARN := build(t, "public-exposure", Options{Function: fn.ARN})
	if !reflect.DeepEqual(byARN, g) {
		t.Error("filtering by ARN differs from filtering by address")
	}
	inv, res := fixture(t, "public-exposure")
	if _, err := Build(res, inv, Options{Function: "aws_lambda_function.nope"}); err == nil {
		t.Error("unknown function accepted")
	}
}

func TestFunctionFilterKeepsChainsThroughIt(t *testing.T) {
	g := build(t, "event-pipeline", Options{Function: "aws_lambda_function.worker", Kinds: []flow.Kind{flow.KindInvoke, flow.KindAccess, flow.KindReach, flow.KindChain}})
	// order_placed → fulfilment → work queue → worker: the chain through
	// worker brings its first hops along.
	e := edge(t, g, node(t, g, "EventBridge", "order_placed"), node(t, g, "", "fulfilment"), InvokeEdge)
	if !e.Chain {
		t.Error("first hop of the chain through worker not highlighted")
	}
}

func TestDeterministic(t *testing.T) {
	inv, res := fixture(t, "risky-roles")
	a, err := Build(res, inv, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		b, err := Build(res, inv, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(a, b) {
			t.Fatal("two builds of the same result differ")
		}
	}
}

func TestEveryFixtureBuilds(t *testing.T) {
	for _, name := range []string{"archive-packaging", "auth-workflow", "broken-triggers", "event-pipeline", "orders-api", "public-exposure", "recursive-loop", "registry-modules", "risky-roles", "stream-analytics", "thumbnails"} {
		t.Run(name, func(t *testing.T) {
			g := build(t, name, Options{})
			if len(g.Nodes) == 0 || len(g.Edges) == 0 {
				t.Errorf("%d nodes, %d edges", len(g.Nodes), len(g.Edges))
			}
			// Every access edge is one function → resource pair.
			seen := map[[2]string]bool{}
			for _, e := range g.Edges {
				if e.Kind != AccessEdge {
					continue
				}
				k := [2]string{e.From, e.To}
				if seen[k] {
					t.Errorf("two access edges %s → %s", e.From, e.To)
				}
				seen[k] = true
			}
		})
	}
}

// access builds a one-function result with these access flows.
func accessResult(flows ...flow.Flow) *flow.Result {
	fn := &flow.FunctionRef{Ref: flow.Ref{Address: "aws_lambda_function.f", ARN: "arn:aws:lambda:eu-west-1:111111111111:function:f"}}
	for i := range flows {
		flows[i].Kind = flow.KindAccess
		flows[i].Function = fn
		if flows[i].ID == "" {
			flows[i].ID = "access/" + string(rune('a'+i))
		}
	}
	return &flow.Result{Flows: flows}
}

func TestAccessLabelRules(t *testing.T) {
	bucket := &flow.Ref{Address: "aws_s3_bucket.b", ARN: "arn:aws:s3:::b"}
	queue := &flow.Ref{Address: "aws_sqs_queue.q", ARN: "arn:aws:sqs:eu-west-1:111111111111:q"}
	cases := []struct {
		name     string
		flows    []flow.Flow
		label    string
		decision flow.Decision
	}{
		{"levels in catalog order, once each",
			[]flow.Flow{{Resource: bucket, Level: "Write", Decision: flow.Allowed}, {Resource: bucket, Level: "List", Decision: flow.Allowed}, {Resource: bucket, Level: "Write", Decision: flow.Allowed}},
			"List, Write", flow.Allowed},
		{"a level takes its most permissive flow (bucket and bucket/* patterns)",
			[]flow.Flow{{Resource: bucket, Level: "Read", Decision: flow.Conditional}, {Resource: bucket, Level: "Read", Decision: flow.Allowed}},
			"Read", flow.Allowed},
		{"levels grouped by decision, the decision said after its group",
			[]flow.Flow{{Resource: bucket, Level: "List", Decision: flow.Allowed}, {Resource: bucket, Level: "Read", Decision: flow.Conditional}, {Resource: bucket, Level: "Write", Decision: flow.Conditional}},
			"List; Read, Write (conditional)", flow.Allowed},
		{"only conditional access is a conditional edge",
			[]flow.Flow{{Resource: bucket, Level: "Read", Decision: flow.Conditional}},
			"Read (conditional)", flow.Conditional},
		{"every level reads all levels",
			[]flow.Flow{{Resource: bucket, Level: "List"}, {Resource: bucket, Level: "Read"}, {Resource: bucket, Level: "Write"}, {Resource: bucket, Level: "Permissions management"}, {Resource: bucket, Level: "Tagging"}},
			"all levels", flow.Allowed},
		{"a denied destination makes the edge denied despite other access",
			[]flow.Flow{{Resource: queue, Level: "Read", Decision: flow.Allowed}, {Resource: queue, Level: "Write", Purpose: "destination-on-failure", Decision: flow.Denied}},
			"Read; destination-on-failure (denied)", flow.Denied},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for i := range c.flows {
				if c.flows[i].Decision == "" {
					c.flows[i].Decision = flow.Allowed
				}
			}
			g, err := Build(accessResult(c.flows...), nil, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(g.Edges) != 1 {
				t.Fatalf("%d edges, want the flows collapsed into 1", len(g.Edges))
			}
			if e := g.Edges[0]; e.Label != c.label || e.Decision != c.decision {
				t.Errorf("got %q %s, want %q %s", e.Label, e.Decision, c.label, c.decision)
			}
		})
	}
}

func TestOutsideAccess(t *testing.T) {
	res := accessResult(
		flow.Flow{Resource: &flow.Ref{ARN: "arn:aws:s3:::partner-drop/incoming/*"}, Outside: true, Level: "Write", Decision: flow.Allowed, Actions: []string{"s3:PutObject"}},
		flow.Flow{Resource: &flow.Ref{ARN: "arn:aws:s3:::partner-drop"}, Outside: true, Level: "List", Decision: flow.Allowed, Actions: []string{"s3:ListBucket"}},
		flow.Flow{Resource: &flow.Ref{ARN: "arn:aws:sqs:eu-west-1:999999999999:intake"}, Outside: true, Level: "Write", Decision: flow.Allowed, Actions: []string{"sqs:SendMessage"}},
		flow.Flow{Resource: &flow.Ref{ARN: "*"}, Outside: true, Level: "Write", Decision: flow.Allowed, Actions: []string{"logs:PutLogEvents", "xray:PutTraceSegments", "cloudwatch:PutMetricData"}},
		flow.Flow{Resource: &flow.Ref{ARN: "*"}, Outside: true, Level: "Read", Decision: flow.Allowed, Actions: []string{"logs:GetLogEvents", "dynamodb:ListStreams"}},
	)
	inv := &inventory.Inventory{Account: "111111111111"}
	g, err := Build(res, inv, Options{})
	if err != nil {
		t.Fatal(err)
	}
	// An outside bucket's objects and the bucket are one node.
	drop := node(t, g, "S3", "partner-drop")
	if !drop.Outside {
		t.Error("outside bucket not marked outside")
	}
	fn := node(t, g, "", "f")
	if e := edge(t, g, fn, drop, AccessEdge); e.Label != "List, Write" {
		t.Errorf("f → partner-drop = %q", e.Label)
	}
	// Another account's resource says whose it is.
	node(t, g, "SQS", "intake (account 999999999999)")
	// Telemetry-only access to * is dropped, mixed access keeps only the
	// rest and names its services.
	anyRes := node(t, g, "Any resource", "any resource (*)")
	e := edge(t, g, fn, anyRes, AccessEdge)
	if e.Label != "Read on dynamodb" || !reflect.DeepEqual(e.Actions, []string{"dynamodb:ListStreams"}) {
		t.Errorf("f → * = %q %v", e.Label, e.Actions)
	}
}

func TestInvokeEdgeTakesWorstAndNamesRoute(t *testing.T) {
	fn := flow.FunctionRef{Ref: flow.Ref{Address: "aws_lambda_function.api", ARN: "arn:aws:lambda:eu-west-1:111111111111:function:api"}}
	api := flow.Ref{Address: "aws_api_gateway_rest_api.r", ARN: "arn:aws:execute-api:eu-west-1:111111111111:abc/prod/POST/orders/{id}"}
	res := &flow.Result{Flows: []flow.Flow{
		{ID: "i1", Kind: flow.KindInvoke, Decision: flow.Allowed, Trigger: &flow.Trigger{Type: "apigateway", Source: api, Function: fn, Enabled: true}},
		{ID: "i2", Kind: flow.KindInvoke, Decision: flow.Conditional, Trigger: &flow.Trigger{Type: "apigateway", Source: api, Function: fn, Enabled: true}},
		{ID: "i3", Kind: flow.KindInvoke, Decision: flow.Denied, Trigger: &flow.Trigger{Type: "sqs", Source: flow.Ref{ARN: "arn:aws:sqs:eu-west-1:111111111111:q"}, Function: fn}},
	}}
	g, err := Build(res, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	e := edge(t, g, node(t, g, "API Gateway", "r"), node(t, g, "", "api"), InvokeEdge)
	if e.Label != "apigateway POST /orders/{id}: conditional" || e.Decision != flow.Conditional {
		t.Errorf("api edge = %q %s", e.Label, e.Decision)
	}
	// A disabled trigger is drawn as disabled, not as broken.
	d := edge(t, g, node(t, g, "SQS", "q"), node(t, g, "", "api"), InvokeEdge)
	if !d.Disabled || d.Label != "sqs: disabled" {
		t.Errorf("disabled edge = %+v", d)
	}
}

func TestParseKinds(t *testing.T) {
	got, err := ParseKinds([]string{" Invoke", "chain", ""})
	if err != nil || len(got) != 2 || got[0] != flow.KindInvoke || got[1] != flow.KindChain {
		t.Errorf("ParseKinds = %v, %v", got, err)
	}
	if all, err := ParseKinds([]string{"ALL"}); err != nil || len(all) != 4 {
		t.Errorf("ParseKinds(all) = %v, %v", all, err)
	}
	if _, err := ParseKinds([]string{"edges"}); err == nil || err.Error() != `"edges": want invoke, access, reach, chain or all` {
		t.Errorf("ParseKinds(edges) error = %v", err)
	}
}

// TestResourceSetIsOneNode: a grant on "*" over the fixture's queues is one
// node for the set, reached by both workers, not one edge per queue.
func TestResourceSetIsOneNode(t *testing.T) {
	_, res := fixture(t, "registry-modules")
	covering := 0
	for _, f := range res.Flows {
		if f.Covers != nil {
			covering++
		}
	}
	if covering == 0 {
		t.Fatal("registry-modules has no aggregated flow: the test proves nothing")
	}
	g := build(t, "registry-modules", Options{All: true})
	set := node(t, g, "SQS", "every sqs queue matching * (4 known)")
	from := map[string]bool{}
	for _, e := range g.Edges {
		if e.To == set.ID && e.Kind == AccessEdge {
			from[e.From] = true
		}
	}
	if len(from) != 2 {
		t.Errorf("set node reached from %d functions, want the 2 workers", len(from))
	}
	for _, n := range g.Nodes {
		if strings.HasPrefix(n.Label, "every ") && n.ID != set.ID {
			t.Errorf("a second set node: %+v", n)
		}
	}
}

// The views of one application: the default draws no chain, the chain
// view draws only edges on some chain (all highlighted), and all is the
// default with the chains drawn over it.
func TestViews(t *testing.T) {
	def := build(t, "recursive-loop", Options{})
	chains := build(t, "recursive-loop", Options{Kinds: []flow.Kind{flow.KindChain}})
	all := build(t, "recursive-loop", Options{Kinds: []flow.Kind{flow.KindInvoke, flow.KindAccess, flow.KindReach, flow.KindChain}})
	if len(def.Chains) != 0 {
		t.Errorf("default view draws %d chains", len(def.Chains))
	}
	for _, e := range def.Edges {
		if e.Chain || e.Loop {
			t.Errorf("default view highlights %s → %s", e.From, e.To)
		}
	}
	if len(chains.Chains) == 0 || len(chains.Edges) == 0 {
		t.Fatalf("chain view: %d chains, %d edges", len(chains.Chains), len(chains.Edges))
	}
	for _, e := range chains.Edges {
		if !e.Chain {
			t.Errorf("chain view draws %s → %s, on no chain", e.From, e.To)
		}
	}
	if len(chains.Edges) >= len(def.Edges) {
		t.Errorf("chain view has %d edges, the default %d: want fewer", len(chains.Edges), len(def.Edges))
	}
	if len(all.Edges) != len(def.Edges) || len(all.Chains) != len(chains.Chains) {
		t.Errorf("all: %d edges, %d chains; want the default's %d edges and the chain view's %d chains", len(all.Edges), len(all.Chains), len(def.Edges), len(chains.Chains))
	}
}

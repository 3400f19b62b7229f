package report

import (
	"bytes"
	"context"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/lambdacheck/lambdacheck/analyzer/awsref"
	"github.com/lambdacheck/lambdacheck/analyzer/report/clean"
	"github.com/lambdacheck/lambdacheck/analyzer/terraform"
	"github.com/lambdacheck/lambdacheck/simulator"
	"github.com/lambdacheck/lambdacheck/simulator/flow"
	"github.com/lambdacheck/lambdacheck/simulator/graph"
)

// The -update flag may already be registered by another test file of the
// package; register it only when it is not.
func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite golden files")
	}
}

func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

func fixtureGraph(t *testing.T, name string) *graph.Graph {
	t.Helper()
	dir := filepath.Join("..", "..", "fixtures", name)
	inv, err := terraform.Load(context.Background(), dir, terraform.Options{Account: "123456789012", Region: "eu-west-1", Catalog: awsref.Default()})
	if err != nil {
		t.Fatalf("load %s: %v", dir, err)
	}
	res, err := simulator.Simulate(context.Background(), inv, simulator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	g, err := graph.Build(res, inv, graph.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func graphGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "graph", name)
	if updating() {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./analyzer/report -run Graph -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from golden; review and rerun with -update:\n--- got ---\n%s", name, got)
	}
}

var goldenFixtures = []string{"thumbnails", "broken-triggers"}

func TestGraphGolden(t *testing.T) {
	for _, name := range goldenFixtures {
		t.Run(name, func(t *testing.T) {
			g := fixtureGraph(t, name)
			var m, d bytes.Buffer
			if err := Mermaid(&m, g); err != nil {
				t.Fatal(err)
			}
			if err := DOT(&d, g); err != nil {
				t.Fatal(err)
			}
			checkMermaid(t, m.String(), len(g.Edges))
			checkDOT(t, d.String())
			graphGolden(t, name+".mmd", m.Bytes())
			graphGolden(t, name+".dot", d.Bytes())
		})
	}
}

var (
	mermaidID   = `[A-Za-z0-9_]+`
	mermaidNode = regexp.MustCompile(`^(` + mermaidID + `)(\{\{|>|\(\[|\[)"([^"]*)"(\}\}|\]\)|\])$`)
	mermaidEdge = regexp.MustCompile(`^(` + mermaidID + `) (-->|-\.->|--x|==>)\|"([^"|]*)"\| (` + mermaidID + `)$`)
	mermaidSub  = regexp.MustCompile(`^subgraph (` + mermaidID + `)\["([^"]*)"\]$`)
	mermaidLink = regexp.MustCompile(`^linkStyle ([0-9,]+) \S+$`)
	mermaidCls  = regexp.MustCompile(`^class (` + mermaidID + `(?:,` + mermaidID + `)*) (` + mermaidID + `)$`)
	mermaidDef  = regexp.MustCompile(`^classDef (` + mermaidID + `) [a-z-]+:[^;]+$`)
)

// checkMermaid is a syntax sanity check of the flowchart subset the
// renderer emits: every line is one of the known statements, subgraph/end
// balance, ids are [A-Za-z0-9_]+ and declared before use, linkStyle
// indexes name existing links, labels carry no raw quotes or pipes.
func checkMermaid(t *testing.T, src string, edges int) {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(src, "\n"), "\n")
	if len(lines) < 2 || lines[1] != "flowchart LR" {
		t.Fatalf("want a flowchart LR header, got %q", lines[:min(2, len(lines))])
	}
	depth, links := 0, 0
	nodes, subs, classes := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for i, raw := range lines[2:] {
		l := strings.TrimSpace(raw)
		bad := func(why string) { t.Errorf("line %d %q: %s", i+3, raw, why) }
		switch {
		case strings.HasPrefix(l, "%%"):
		case l == "end":
			depth--
			if depth < 0 {
				bad("end without subgraph")
			}
		case mermaidSub.MatchString(l):
			id := mermaidSub.FindStringSubmatch(l)[1]
			if subs[id] || nodes[id] {
				bad("subgraph id reused")
			}
			subs[id] = true
			depth++
		case mermaidNode.MatchString(l):
			id := mermaidNode.FindStringSubmatch(l)[1]
			if nodes[id] || subs[id] {
				bad("node id reused")
			}
			nodes[id] = true
		case mermaidEdge.MatchString(l):
			m := mermaidEdge.FindStringSubmatch(l)
			if !nodes[m[1]] || !nodes[m[4]] {
				bad("edge between undeclared nodes")
			}
			links++
		case mermaidDef.MatchString(l):
			classes[mermaidDef.FindStringSubmatch(l)[1]] = true
		case mermaidCls.MatchString(l):
			m := mermaidCls.FindStringSubmatch(l)
			if !classes[m[2]] {
				bad("class used before classDef")
			}
			for _, id := range strings.Split(m[1], ",") {
				if !nodes[id] {
					bad("class on undeclared node " + id)
				}
			}
		case mermaidLink.MatchString(l):
			for _, s := range strings.Split(mermaidLink.FindStringSubmatch(l)[1], ",") {
				if n, _ := strconv.Atoi(s); n >= links {
					bad("linkStyle index beyond the links")
				}
			}
		default:
			bad("not a statement the renderer emits")
		}
		if strings.Contains(l, "\t") {
			bad("tab")
		}
	}
	if depth != 0 {
		t.Errorf("subgraph/end unbalanced by %d", depth)
	}
	if links != edges {
		t.Errorf("%d links, want %d", links, edges)
	}
}

// checkDOT runs Graphviz over the source when it is installed.
func checkDOT(t *testing.T, src string) {
	t.Helper()
	// Braces balance outside quoted strings, and every string closes.
	depth, quoted := 0, false
	for i := 0; i < len(src); i++ {
		switch c := src[i]; {
		case quoted && c == '\\':
			i++
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == '{':
			depth++
		case c == '}':
			depth--
		}
	}
	if depth != 0 || quoted {
		t.Errorf("unbalanced braces (%d) or an open string (%v)", depth, quoted)
	}
	dot, err := exec.LookPath("dot")
	if err != nil {
		t.Log("graphviz dot not installed; DOT validity not checked (apt-get install graphviz)")
		return
	}
	cmd := exec.Command(dot, "-Tsvg", "-o", os.DevNull)
	cmd.Stdin = strings.NewReader(src)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil || stderr.Len() > 0 {
		t.Errorf("dot rejects the graph: %v %s\n%s", err, stderr.String(), src)
	}
}

// hostileGraph has labels made of everything the formats treat specially.
func hostileGraph() *graph.Graph {
	nasty := `a"b\c [x] {y} <z> |p| #q; %r ` + "`s`\nt\tu &amp; end"
	return &graph.Graph{
		Nodes: []graph.Node{
			{ID: "e_x", Kind: graph.Entry, Group: `grp "1" {]`, Label: nasty},
			{ID: "e_who", Kind: graph.Entry, Group: "Outside principals", Label: `anyone "*"`, Principal: true, Outside: true},
			{ID: "f_y", Kind: graph.Function, Label: `fn["a"]`, Address: `aws_lambda_function.fn["a"]`},
			{ID: "f_u", Kind: graph.Function, Label: "unresolved", Unresolved: true},
			{ID: "r_z", Kind: graph.Resource, Group: "S3", Label: nasty, Outside: true, ARN: `arn:aws:s3:::b\"`},
		},
		Edges: []graph.Edge{
			{From: "e_x", To: "f_y", Kind: graph.InvokeEdge, Label: nasty, Decision: flow.Allowed, Chain: true},
			{From: "e_who", To: "f_y", Kind: graph.ReachEdge, Label: "invoke: conditional", Decision: flow.Conditional},
			{From: "f_y", To: "r_z", Kind: graph.AccessEdge, Label: nasty, Decision: flow.Denied, Actions: []string{`s3:"Get"`}},
			{From: "r_z", To: "f_y", Kind: graph.InvokeEdge, Label: "s3: allowed", Decision: flow.Allowed, Loop: true, Chain: true},
			{From: "e_x", To: "f_u", Kind: graph.InvokeEdge, Label: "sqs: disabled", Decision: flow.Denied, Disabled: true},
		},
	}
}

func TestGraphEscaping(t *testing.T) {
	g := hostileGraph()
	var m, d bytes.Buffer
	if err := Mermaid(&m, g); err != nil {
		t.Fatal(err)
	}
	if err := DOT(&d, g); err != nil {
		t.Fatal(err)
	}
	checkMermaid(t, m.String(), len(g.Edges))
	checkDOT(t, d.String())
	if !strings.Contains(d.String(), `label="a\"b\\c [x] {y} <z> |p| #q; %r `+"`s`"+`\nt u &amp; end"`) {
		t.Errorf("DOT label not escaped as expected:\n%s", d.String())
	}
}

func TestGraphStyles(t *testing.T) {
	g := hostileGraph()
	var m, d bytes.Buffer
	if err := Mermaid(&m, g); err != nil {
		t.Fatal(err)
	}
	if err := DOT(&d, g); err != nil {
		t.Fatal(err)
	}
	ms, ds := m.String(), d.String()
	cases := []struct{ name, in, want string }{
		{"allowed chain edges are thick", ms, `e_x ==>|`},
		{"conditional edges are dashed", ms, `e_who -.->|"invoke: conditional"| f_y`},
		{"denied edges are crossed", ms, `f_y --x|`},
		{"disabled triggers are dashed", ms, `e_x -.->|"sqs: disabled"| f_u`},
		{"denied edges are red", ms, "linkStyle 2 stroke:" + colorDenied},
		{"disabled edges are grey", ms, "linkStyle 4 stroke:" + colorDisabled},
		{"loops are purple", ms, "linkStyle 3 stroke:" + colorLoop},
		{"chains are orange", ms, "linkStyle 0 stroke:" + colorChain},
		{"principals are hexagons", ms, `e_who{{"anyone #quot;*#quot;"}}`},
		{"functions are stadiums", ms, `f_y(["fn[#quot;a#quot;]"])`},
		{"outside resources are dashed", ms, "class r_z outside"},
		{"unresolved targets are marked", ms, "class f_u unresolved"},
		{"DOT denied edges end in a tee", ds, `arrowhead=tee`},
		{"DOT edges from resources to functions are reversed", ds, `"f_y" -> "r_z" [label="s3: allowed", penwidth=2.5, color="` + colorLoop + `", fontcolor="` + colorLoop + `", dir=back];`},
		{"DOT conditional edges are dashed", ds, `"e_who" -> "f_y" [label="invoke: conditional", style=dashed];`},
		{"DOT disabled triggers are dotted", ds, `style=dotted`},
		{"DOT tooltips list actions", ds, `tooltip="s3:\"Get\""`},
		{"DOT clusters per service", ds, `subgraph "cluster_resources_S3" {`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if !strings.Contains(c.in, c.want) {
				t.Errorf("missing %q in\n%s", c.want, c.in)
			}
		})
	}
}

var mermaidEntity = regexp.MustCompile(`^#([a-z]+|[0-9]+);`)

func FuzzMermaidText(f *testing.F) {
	for _, s := range []string{`a"b`, "x|y", "#quot;", "<b>", "%%", "`md`", "a\nb", "\xff", "end"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := mermaidText(s)
		if strings.ContainsAny(out, "\"|<>`%\n\r") {
			t.Fatalf("mermaidText(%q) = %q keeps a special character", s, out)
		}
		// Every # starts one of the entity codes the renderer writes.
		for i := 0; i < len(out); i++ {
			if out[i] == '#' && !mermaidEntity.MatchString(out[i:]) {
				t.Fatalf("mermaidText(%q) = %q has a bare #", s, out)
			}
		}
	})
}

func FuzzDOTString(f *testing.F) {
	for _, s := range []string{`a"b`, `a\b`, `\"`, "a\nb", `\N`, "\x00", "\xff\xfe", "{}[]<>|", "a\x1b[31mb\x1b]8;;u\x07c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := dotString(s)
		if len(out) < 2 || out[0] != '"' || out[len(out)-1] != '"' {
			t.Fatalf("dotString(%q) = %q is not quoted", s, out)
		}
		// Undo the escaping: the body must hold no unescaped quote and
		// must give back the cleaned input (line breaks as \n, tabs as
		// spaces, other controls and escape sequences dropped).
		body := out[1 : len(out)-1]
		var back strings.Builder
		for i := 0; i < len(body); i++ {
			c := body[i]
			if c == '"' {
				t.Fatalf("dotString(%q) = %q has an unescaped quote", s, out)
			}
			if c == '\\' {
				i++
				if i == len(body) {
					t.Fatalf("dotString(%q) = %q ends in a lone backslash", s, out)
				}
				if body[i] == 'n' {
					back.WriteByte('\n')
				} else {
					back.WriteByte(body[i])
				}
				continue
			}
			back.WriteByte(c)
		}
		want := strings.Map(func(r rune) rune {
			if r == '\t' {
				return ' '
			}
			return r
		}, clean.Text(s))
		if back.String() != want {
			t.Fatalf("dotString(%q) decodes to %q, want %q", s, back.String(), want)
		}
	})
}

var clusterID = regexp.MustCompile(`^[A-Za-z0-9_]+$`)

func TestSections(t *testing.T) {
	g := fixtureGraph(t, "broken-triggers")
	var got []string
	for _, s := range sections(g) {
		for _, c := range s.Clusters {
			got = append(got, s.ID+"/"+c.ID)
			if !clusterID.MatchString(c.ID) || c.ID == s.ID && c.Label != "" {
				t.Errorf("cluster id %q", c.ID)
			}
		}
	}
	want := []string{"entries/entries_DynamoDB", "entries/entries_EventBridge", "entries/entries_EventBridge_Scheduler", "entries/entries_SNS",
		"functions/functions_ungrouped", "resources/resources_Any_resource", "resources/resources_S3", "resources/resources_SNS", "resources/resources_SQS"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("sections\n got %v\nwant %v", got, want)
	}
}

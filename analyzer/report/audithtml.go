package report

import (
	"fmt"
	"html/template"
	"io"
	"slices"
	"strings"

	"github.com/lambdacheck/lambdacheck/analyzer/audit"
	"github.com/lambdacheck/lambdacheck/analyzer/report/clean"
)

// The HTML report is one file with nothing to fetch: styles, the drawing
// (SVG laid out here) and the filter script are inline, and its content
// security policy forbids any network request, so an auditor can open it
// offline or attach it to a ticket. Text from the input goes through
// html/template's contextual escaping.

const (
	svgRow      = 30  // vertical distance between nodes
	svgTop      = 40  // room for the column titles
	svgNodeW    = 280 // node box width
	svgNodeH    = 22
	svgColGap   = 140 // horizontal gap between columns
	svgLabelMax = 38  // characters of a node label; the full text is its tooltip
)

type svgNode struct {
	ID, Label, Title, Class string
	X, Y, W, H, TX, TY      int
}

type svgEdge struct {
	From, To, Group, Function, Class string
	X1, Y1, X2, Y2                   int
	Dashed                           bool
	Title                            string
}

type svgGraph struct {
	W, H    int
	Columns []svgColumn
	Nodes   []svgNode
	Edges   []svgEdge
}

type svgColumn struct {
	Title string
	X     int
}

type htmlRow struct {
	audit.Entry
	FilterGroup string
	WhoText     string
	GrantText   string
	Conditions  []string
	Pending     string
}

type htmlSection struct {
	Title string
	Key   string
	Rows  []htmlRow
}

type htmlData struct {
	Scope       string
	Summary     string
	Graph       svgGraph
	Sections    []htmlSection
	Functions   []string
	PerFunction []audit.Function
	Groups      []htmlGroup
	Empty       bool
}

type htmlGroup struct{ Key, Title string }

// filterGroup is the group a row and an edge filter under: the inbound
// groups, and "outbound" for resources reached.
func filterGroup(e audit.Entry) string {
	if e.Direction == "outbound" {
		return "outbound"
	}
	return e.Group
}

func shorten(s string) string {
	s = clean.Line(s)
	if r := []rune(s); len(r) > svgLabelMax {
		return string(r[:svgLabelMax-1]) + "…"
	}
	return s
}

// auditGraph lays out principals (left), functions (middle) and the
// resources they reach in other accounts (right), one edge per entry.
func auditGraph(a *audit.Audit) svgGraph {
	type key struct{ col, name string }
	ids := map[key]*svgNode{}
	cols := [3][]*svgNode{}
	node := func(col int, name, class, title string) *svgNode {
		k := key{fmt.Sprint(col), name}
		if n, ok := ids[k]; ok {
			return n
		}
		n := &svgNode{ID: fmt.Sprintf("n%d", len(ids)), Label: shorten(name), Title: clean.Line(title), Class: class}
		ids[k] = n
		cols[col] = append(cols[col], n)
		return n
	}
	type pending struct {
		from, to *svgNode
		e        audit.Entry
	}
	var edges []pending
	for _, e := range a.Entries {
		fn := node(1, e.Function, "function", e.Function)
		if e.Direction == "inbound" {
			who := entryWho(e)
			p := node(0, e.Group+"\x00"+who, "g-"+e.Group, audit.GroupTitle(e.Group)+": "+who)
			p.Label = shorten(who)
			edges = append(edges, pending{p, fn, e})
		} else {
			r := node(2, entryWho(e), "g-outbound g-"+e.Group, entryWho(e))
			edges = append(edges, pending{fn, r, e})
		}
	}
	g := svgGraph{Columns: []svgColumn{{"Who can invoke", 10}, {"Function", 10 + svgNodeW + svgColGap}, {"Reaches outside its account", 10 + 2*(svgNodeW+svgColGap)}}}
	rows := 0
	for c, list := range cols {
		rows = max(rows, len(list))
		for i, n := range list {
			n.X, n.Y, n.W, n.H = g.Columns[c].X, svgTop+i*svgRow, svgNodeW, svgNodeH
			n.TX, n.TY = n.X+8, n.Y+15
			g.Nodes = append(g.Nodes, *n)
		}
	}
	g.W = 20 + 3*svgNodeW + 2*svgColGap
	g.H = svgTop + max(rows, 1)*svgRow + 10
	for _, p := range edges {
		g.Edges = append(g.Edges, svgEdge{
			From: p.from.ID, To: p.to.ID, Group: filterGroup(p.e), Function: p.e.Function, Class: "e-" + filterGroup(p.e),
			X1: p.from.X + p.from.W, Y1: p.from.Y + svgNodeH/2, X2: p.to.X, Y2: p.to.Y + svgNodeH/2,
			Dashed: p.e.Decision != "allowed",
			Title:  clean.Line(fmt.Sprintf("%s → %s: %s (%s)", p.from.Title, p.to.Title, strings.Join(p.e.Actions, " "), p.e.Decision)),
		})
	}
	return g
}

func auditHTML(w io.Writer, r *Report) error {
	a := r.Audit
	d := htmlData{Scope: auditScope(a), Summary: auditSummary(a), Graph: auditGraph(a), Empty: len(a.Entries) == 0}
	for _, g := range audit.InboundGroups {
		d.Groups = append(d.Groups, htmlGroup{g, audit.GroupTitle(g)})
	}
	d.Groups = append(d.Groups, htmlGroup{"outbound", "Reaches resources outside its account"})
	for _, g := range d.Groups {
		sec := htmlSection{Title: g.Title, Key: g.Key}
		for _, e := range a.Entries {
			if filterGroup(e) != g.Key {
				continue
			}
			row := htmlRow{Entry: e, FilterGroup: g.Key, WhoText: entryWho(e), GrantText: grantNames(e.Granted)}
			for _, gr := range e.Granted {
				row.Conditions = append(row.Conditions, gr.Conditions...)
				if gr.Pending != "" {
					row.Pending = gr.Pending
				}
			}
			sec.Rows = append(sec.Rows, row)
		}
		d.Sections = append(d.Sections, sec)
	}
	for _, f := range a.Functions {
		d.Functions = append(d.Functions, f.Function)
	}
	d.PerFunction = a.Functions
	slices.Sort(d.Functions)
	return auditPage.Execute(w, d)
}

var auditPage = template.Must(template.New("audit").Funcs(template.FuncMap{"join": strings.Join}).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>lambdacheck cross-account report</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#1b1f24}
h1{font-size:1.5em}h2{font-size:1.15em;margin-top:1.6em}
table{border-collapse:collapse;width:100%;margin:.5em 0}
th,td{border:1px solid #d0d7de;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#f6f8fa}
td ul{margin:0;padding-left:1.1em}
.filters{margin:1em 0;display:flex;gap:1em;align-items:center;flex-wrap:wrap}
.d-allowed{color:#a40e26;font-weight:600}.d-conditional,.d-unknown{color:#9a6700}
.trusted{color:#1a7f37}
.graph{overflow-x:auto;border:1px solid #d0d7de;margin:1em 0}
svg text{font:12px system-ui,sans-serif}
.col{font-weight:600}
rect{stroke:#57606a;stroke-width:1}
.function rect{fill:#ddf4ff}
.g-public rect{fill:#ffd8d3}.g-organization rect{fill:#dafbe1}.g-outside rect{fill:#fff1c2}.g-service rect{fill:#eadcff}
.g-outbound rect{fill:#f6f8fa}
line{stroke-width:1.5}
.e-public{stroke:#cf222e}.e-organization{stroke:#1a7f37}.e-outside{stroke:#bf8700}.e-service{stroke:#8250df}.e-outbound{stroke:#0969da}
.dashed{stroke-dasharray:5 4}
.legend .sw{display:inline-block;width:1.6em;border-top:3px solid;margin:0 .3em 0 .8em;vertical-align:middle}
.sw.e-public{border-color:#cf222e}.sw.e-organization{border-color:#1a7f37}.sw.e-outside{border-color:#bf8700}.sw.e-service{border-color:#8250df}.sw.e-outbound{border-color:#0969da}
</style>
</head>
<body>
<h1>Cross-account report</h1>
<p>{{.Scope}}</p>
<p id="summary">{{.Summary}}</p>
<div class="filters">
<label>Group <select id="f-group"><option value="">all</option>{{range .Groups}}<option value="{{.Key}}">{{.Title}}</option>{{end}}</select></label>
<label>Function <select id="f-function"><option value="">all</option>{{range .Functions}}<option value="{{.}}">{{.}}</option>{{end}}</select></label>
<span id="shown"></span>
</div>
{{if .Empty}}<p>No function can be invoked from outside its account or reaches into another account.</p>{{else}}
<div class="graph">
<svg id="graph" xmlns="http://www.w3.org/2000/svg" width="{{.Graph.W}}" height="{{.Graph.H}}" viewBox="0 0 {{.Graph.W}} {{.Graph.H}}" role="img" aria-label="cross-account graph">
{{range .Graph.Columns}}<text class="col" x="{{.X}}" y="20">{{.Title}}</text>
{{end}}{{range .Graph.Edges}}<line data-edge="" data-group="{{.Group}}" data-function="{{.Function}}" data-from="{{.From}}" data-to="{{.To}}" class="{{.Class}}{{if .Dashed}} dashed{{end}}" x1="{{.X1}}" y1="{{.Y1}}" x2="{{.X2}}" y2="{{.Y2}}"><title>{{.Title}}</title></line>
{{end}}{{range .Graph.Nodes}}<g data-node="" id="{{.ID}}" class="{{.Class}}"><title>{{.Title}}</title><rect x="{{.X}}" y="{{.Y}}" width="{{.W}}" height="{{.H}}" rx="4"></rect><text x="{{.TX}}" y="{{.TY}}">{{.Label}}</text></g>
{{end}}</svg>
</div>
<p class="legend">{{range .Groups}}<span class="sw e-{{.Key}}"></span>{{.Title}} {{end}}— solid edges are allowed; dashed ones conditional or unknown.</p>
{{end}}
<section data-section="functions">
<h2>Functions</h2>
<table>
<thead><tr><th>Function</th><th>Account</th><th>Public</th><th>Organization</th><th>Outside</th><th>Services</th><th>Reaches outside its account</th></tr></thead>
<tbody>
{{range .PerFunction}}<tr data-function-row="" data-function="{{.Function}}"><td>{{.Function}}</td><td>{{.Account}}</td><td>{{index .Inbound "public"}}</td><td>{{index .Inbound "organization"}}</td><td>{{index .Inbound "outside"}}</td><td>{{index .Inbound "service"}}</td><td>{{.Outbound}}</td></tr>
{{end}}</tbody>
</table>
</section>
{{range .Sections}}<section data-section="{{.Key}}">
<h2>{{.Title}}</h2>
{{if .Rows}}<table>
<thead><tr><th>Function</th><th>{{if eq .Key "outbound"}}Resource{{else}}Principal{{end}}</th><th>{{if eq .Key "outbound"}}Level{{else}}Reach{{end}}</th><th>Actions</th><th>Decision</th><th>Granted by</th><th>Conditions</th></tr></thead>
<tbody>
{{range .Rows}}<tr data-entry="" data-group="{{.FilterGroup}}" data-function="{{.Function}}">
<td>{{.Function}}</td>
<td{{if .Trusted}} class="trusted"{{end}}>{{.WhoText}}</td>
<td>{{if eq .Direction "outbound"}}{{.Level}}{{else}}{{.Reach}}{{end}}</td>
<td>{{join .Actions " "}}</td>
<td class="d-{{.Decision}}">{{.Decision}}{{if .Pending}}<br><small>if {{.Pending}}</small>{{end}}</td>
<td>{{.GrantText}}</td>
<td>{{if .Conditions}}<ul>{{range .Conditions}}<li>{{.}}</li>{{end}}</ul>{{else}}none{{end}}</td>
</tr>
{{end}}</tbody>
</table>{{else}}<p>None.</p>{{end}}
</section>
{{end}}
<script>
(function () {
  var group = document.getElementById("f-group");
  var fn = document.getElementById("f-function");
  // A link can preselect the filters: report.html#group=public&function=NAME
  var params = new URLSearchParams(location.hash.slice(1));
  if (params.has("group")) { group.value = params.get("group"); }
  if (params.has("function")) { fn.value = params.get("function"); }
  function matches(el) {
    return (group.value === "" || el.dataset.group === group.value) &&
      (fn.value === "" || el.dataset.function === fn.value);
  }
  function apply() {
    var shown = 0;
    document.querySelectorAll("tr[data-entry]").forEach(function (el) {
      var ok = matches(el);
      el.style.display = ok ? "" : "none";
      if (ok) { shown++; }
    });
    document.querySelectorAll("section[data-section]").forEach(function (el) {
      el.style.display = group.value === "" || el.dataset.section === group.value || el.dataset.section === "functions" ? "" : "none";
    });
    document.querySelectorAll("tr[data-function-row]").forEach(function (el) {
      el.style.display = fn.value === "" || el.dataset.function === fn.value ? "" : "none";
    });
    var live = {};
    document.querySelectorAll("[data-edge]").forEach(function (el) {
      var ok = matches(el);
      el.style.display = ok ? "" : "none";
      if (ok) { live[el.dataset.from] = true; live[el.dataset.to] = true; }
    });
    document.querySelectorAll("[data-node]").forEach(function (el) {
      el.style.display = live[el.id] ? "" : "none";
    });
    document.getElementById("shown").textContent = shown + " entr" + (shown === 1 ? "y" : "ies") + " shown";
    document.body.setAttribute("data-filtered", group.value + "|" + fn.value);
  }
  group.addEventListener("change", apply);
  fn.addEventListener("change", apply);
  apply();
})();
</script>
</body>
</html>
`))

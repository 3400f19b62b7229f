package report

import "github.com/lambdacheck/lambdacheck/simulator/graph"

// Drawing layout shared by the Mermaid and DOT formats: the graph's nodes
// in sections (entries, functions, resources) and service clusters.

// section is one column of the graph (entries, functions or resources)
// with its nodes grouped by service.
type section struct {
	Kind     graph.NodeKind
	ID       string // [A-Za-z0-9_]+
	Label    string
	Clusters []cluster
}

// cluster is a service group within a section; a cluster with an empty
// Label holds nodes that belong to the section directly.
type cluster struct {
	ID    string // [A-Za-z0-9_]+
	Label string
	Nodes []*graph.Node
}

// sections groups the nodes for drawing, skipping empty sections.
func sections(g *graph.Graph) []section {
	var out []section
	for _, k := range []graph.NodeKind{graph.Entry, graph.Function, graph.Resource} {
		s := section{Kind: k, ID: sectionID(k), Label: sectionLabel(k)}
		for i := range g.Nodes {
			n := &g.Nodes[i]
			if n.Kind != k {
				continue
			}
			if len(s.Clusters) == 0 || s.Clusters[len(s.Clusters)-1].Label != n.Group {
				s.Clusters = append(s.Clusters, cluster{Label: n.Group})
			}
			c := &s.Clusters[len(s.Clusters)-1]
			c.Nodes = append(c.Nodes, n)
		}
		if len(s.Clusters) == 0 {
			continue
		}
		used := map[string]bool{s.ID: true}
		for i := range s.Clusters {
			c := &s.Clusters[i]
			name := graph.Sanitize(c.Label)
			if name == "" {
				name = "ungrouped"
			}
			c.ID = graph.UniqueID(s.ID+"_"+name, used)
		}
		out = append(out, s)
	}
	return out
}

func sectionID(k graph.NodeKind) string {
	switch k {
	case graph.Entry:
		return "entries"
	case graph.Function:
		return "functions"
	}
	return "resources"
}

func sectionLabel(k graph.NodeKind) string {
	switch k {
	case graph.Entry:
		return "Entries"
	case graph.Function:
		return "Functions"
	}
	return "Resources"
}

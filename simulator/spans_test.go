package simulator

import (
	"context"
	"testing"

	"github.com/lambdacheck/lambdacheck/analyzer/awsref"
	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
	"github.com/lambdacheck/lambdacheck/analyzer/loc"
	"github.com/lambdacheck/lambdacheck/analyzer/terraform"
)

// Every statement that decided a step, and every statement a fact names,
// points at the whole block that wrote it: a policy's definition, or the
// permission that added it to an assembled resource policy. Implied and
// assumed policies have no position.
func TestStatementsPointAtTheirBlock(t *testing.T) {
	for _, dir := range fixtureApps(t) {
		t.Run(dir, func(t *testing.T) {
			inv, err := terraform.Load(context.Background(), dir, terraform.Options{Account: "123456789012", Region: "eu-west-1", Catalog: awsref.Default()})
			if err != nil {
				t.Fatal(err)
			}
			res, err := Simulate(context.Background(), inv, Options{})
			if err != nil {
				t.Fatal(err)
			}
			blocks := map[loc.Span]bool{}
			for _, sp := range writerSpans(inv) {
				blocks[sp] = true
			}
			check := func(what string, sp loc.Span) {
				if sp.File == "" && sp.Line == 0 || blocks[sp] {
					return
				}
				t.Errorf("%s at %#v, which no policy or permission block spans", what, sp)
			}
			n := 0
			for _, f := range res.Flows {
				for _, s := range f.Steps {
					for _, st := range s.Statements {
						check(f.ID+" "+st.Policy, st.Span)
						if st.File != "" {
							n++
						}
					}
				}
			}
			if n == 0 {
				t.Skip("no statement with a position")
			}
			for _, r := range res.Facts.Roles {
				for _, p := range r.Policies {
					for _, g := range p.Wildcards {
						check("wildcard fact of "+p.Name, g.Statement.Span)
					}
					for _, g := range p.Escalations {
						check("escalation fact of "+p.Name, g.Statement.Span)
					}
					for _, g := range p.ForeignResources {
						check("foreign resource fact of "+p.Name, g.Statement.Span)
					}
				}
			}
			for _, rp := range res.Facts.ResourcePolicies {
				for _, g := range rp.Unpinned {
					check("unpinned fact of "+rp.Address, g.Statement.Span)
				}
			}
		})
	}
}

// writerSpans are the spans of every block that can write a statement.
func writerSpans(inv *inventory.Inventory) []loc.Span {
	var out []loc.Span
	for _, sp := range indexBlockSpans(inv) {
		if sp.EndLine > 0 {
			out = append(out, sp)
		}
	}
	return out
}

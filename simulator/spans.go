package simulator

import (
	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
	"github.com/lambdacheck/lambdacheck/analyzer/loc"
	"github.com/lambdacheck/lambdacheck/simulator/flow"
)

// blockSpans are the spans of the blocks that write policy statements —
// policies and permissions — by file and first line. The engine knows a
// statement by the file and line of its policy (or of the permission that
// wrote it); the span makes it point at that whole block.
type blockSpans map[spanKey]loc.Span

type spanKey struct {
	file string
	line int
}

func indexBlockSpans(inv *inventory.Inventory) blockSpans {
	b := blockSpans{}
	add := func(o inventory.Origin) {
		if k := (spanKey{o.File, o.Line}); o.Known() {
			if _, seen := b[k]; !seen {
				b[k] = o.Span
			}
		}
	}
	addPolicy := func(p *inventory.Policy) {
		if p != nil {
			add(p.Origin)
		}
	}
	for i := range inv.Roles {
		r := &inv.Roles[i]
		for j := range r.InlinePolicies {
			addPolicy(&r.InlinePolicies[j])
		}
		for j := range r.AttachedPolicies {
			addPolicy(&r.AttachedPolicies[j])
		}
		addPolicy(r.PermissionsBoundary)
		addPolicy(r.TrustPolicy)
	}
	for i := range inv.Functions {
		f := &inv.Functions[i]
		for j := range f.Permissions {
			add(f.Permissions[j].Origin)
		}
		for j := range f.ResourcePolicies {
			addPolicy(&f.ResourcePolicies[j].Policy)
		}
	}
	for i := range inv.Resources {
		addPolicy(inv.Resources[i].Policy)
	}
	for i := range inv.SCPs {
		addPolicy(&inv.SCPs[i].Policy)
	}
	return b
}

// of is the span of the block at file and line; a position no block of the
// inventory starts at stays a line, and one without a file is none (an
// implied or assumed policy).
func (b blockSpans) of(s loc.Span) loc.Span {
	if s.File == "" {
		return loc.Span{}
	}
	if sp, ok := b[spanKey{s.File, s.Line}]; ok {
		return sp
	}
	return loc.At(s.File, s.Line)
}

// pointAtBlocks gives every statement of the flows and facts the span of
// the block that wrote it.
func (b blockSpans) pointAtBlocks(flows []flow.Flow, facts *flow.Facts) {
	for i := range flows {
		for j := range flows[i].Steps {
			sts := flows[i].Steps[j].Statements
			for k := range sts {
				sts[k].Span = b.of(sts[k].Span)
			}
		}
	}
	if facts == nil {
		return
	}
	for i := range facts.Roles {
		for j := range facts.Roles[i].Policies {
			p := &facts.Roles[i].Policies[j]
			for k := range p.Wildcards {
				p.Wildcards[k].Statement.Span = b.of(p.Wildcards[k].Statement.Span)
			}
			for k := range p.Escalations {
				p.Escalations[k].Statement.Span = b.of(p.Escalations[k].Statement.Span)
			}
			for k := range p.ForeignResources {
				p.ForeignResources[k].Statement.Span = b.of(p.ForeignResources[k].Statement.Span)
			}
		}
	}
	for i := range facts.ResourcePolicies {
		for k := range facts.ResourcePolicies[i].Unpinned {
			u := &facts.ResourcePolicies[i].Unpinned[k]
			u.Statement.Span = b.of(u.Statement.Span)
		}
	}
}

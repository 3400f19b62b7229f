// Package merge joins the inventories of several inputs (snapshots of
// several accounts, Terraform directories of applications that talk to each
// other, a live account beside a configuration) into one, so that flows
// between them are simulated.
//
// Place: between the sources and the simulator; the pipeline calls it after
// loading. It reads and writes only the inventory types.
package merge

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
)

// Inventories combines inventories of several accounts (or regions, or sources)
// into one, so flows between them are simulated: a function of one
// snapshot that another snapshot's role may invoke, a queue of one account
// polled by a function of another.
//
// Items are joined by ARN. An item defined in one input and only referenced
// (External) in another keeps the definition. Two definitions of the same
// ARN keep the first and add a warning diagnostic, except identical ones
// (the same account's IAM read from two regional snapshots). Lists are
// concatenated in input order and the defaults (partition, account,
// region) are the first input's. Inputs must share the schema and the
// partition.
func Inventories(invs ...*inventory.Inventory) (*inventory.Inventory, error) {
	var in []*inventory.Inventory
	for _, inv := range invs {
		if inv != nil {
			in = append(in, inv)
		}
	}
	if len(in) == 0 {
		return nil, fmt.Errorf("merge: no inventory")
	}
	out := &inventory.Inventory{Schema: inventory.SchemaVersion, Partition: in[0].Partition, Account: in[0].Account, Region: in[0].Region}
	kinds, paths := map[string]bool{}, []string{}
	for i, inv := range in {
		if inv.Schema != 0 && (inv.Schema < inventory.OldestSchema || inv.Schema > inventory.SchemaVersion) {
			return nil, fmt.Errorf("merge: input %d has schema %d (want %d to %d)", i+1, inv.Schema, inventory.OldestSchema, inventory.SchemaVersion)
		}
		if inv.Partition != "" && out.Partition != "" && inv.Partition != out.Partition {
			return nil, fmt.Errorf("merge: input %d is in partition %s, the first in %s", i+1, inv.Partition, out.Partition)
		}
		kinds[inv.Source.Kind] = true
		if inv.Source.Path != "" {
			paths = append(paths, inv.Source.Path)
		}
	}
	out.Source.Kind = in[0].Source.Kind
	if len(kinds) > 1 {
		out.Source.Kind = "merged"
	}
	out.Source.Path = strings.Join(paths, ",")
	out.Source.AccountPlaceholder = in[0].Source.AccountPlaceholder
	out.Source.RegionDefault = in[0].Source.RegionDefault

	m := merger{out: out}
	for _, inv := range in {
		for i := range inv.Functions {
			m.function(inv.Functions[i])
		}
		for i := range inv.Roles {
			m.role(inv.Roles[i])
		}
		for i := range inv.Policies {
			m.policy(inv.Policies[i])
		}
		for i := range inv.Resources {
			m.resource(inv.Resources[i])
		}
		for i := range inv.SCPs {
			m.scp(inv.SCPs[i])
		}
		out.Triggers = append(out.Triggers, inv.Triggers...)
		out.Modules = append(out.Modules, inv.Modules...)
		out.Skipped = append(out.Skipped, inv.Skipped...)
		out.Diags = append(out.Diags, inv.Diags...)
		out.Unknown = append(out.Unknown, inv.Unknown...)
		out.Warnings = append(out.Warnings, inv.Warnings...)
		out.Coverage = append(out.Coverage, inv.Coverage...)
		out.Waivers = append(out.Waivers, inv.Waivers...)
	}
	out.Triggers = dedupeTriggers(out.Triggers)
	m.link()
	out.Diags = append(out.Diags, m.diags...)
	return out, nil
}

type merger struct {
	out                                  *inventory.Inventory
	fnIdx, roleIdx, polIdx, resIdx, scpI map[string]int
	diags                                []inventory.Diagnostic
}

// keep decides between an existing item and a new one with the same key:
// replace (the existing one is only a reference), or keep the existing
// one, warning when both are definitions that differ.
func (m *merger) keep(kind, key string, oldExternal, newExternal bool, same bool) (replace bool) {
	switch {
	case oldExternal && !newExternal:
		return true
	case !oldExternal && !newExternal && !same:
		m.diags = append(m.diags, inventory.Diagnostic{Severity: "warning", Summary: "Duplicate " + kind,
			Detail: fmt.Sprintf("%s %s is defined by more than one input; keeping the first.", kind, key)})
	}
	return false
}

func index(idx *map[string]int) map[string]int {
	if *idx == nil {
		*idx = map[string]int{}
	}
	return *idx
}

func (m *merger) function(f inventory.Function) {
	idx := index(&m.fnIdx)
	key := nonEmpty(f.ARN, "address:"+f.Address)
	if i, ok := idx[key]; ok {
		if m.keep("function", key, m.out.Functions[i].External, f.External, sameJSON(m.out.Functions[i], f)) {
			m.out.Functions[i] = f
		}
		return
	}
	idx[key] = len(m.out.Functions)
	m.out.Functions = append(m.out.Functions, f)
}

func (m *merger) role(r inventory.Role) {
	idx := index(&m.roleIdx)
	key := nonEmpty(r.ARN, r.Account+"/"+r.Name)
	if i, ok := idx[key]; ok {
		if m.keep("role", key, m.out.Roles[i].External, r.External, sameJSON(m.out.Roles[i], r)) {
			m.out.Roles[i] = r
		}
		return
	}
	idx[key] = len(m.out.Roles)
	m.out.Roles = append(m.out.Roles, r)
}

func (m *merger) policy(p inventory.ManagedPolicy) {
	idx := index(&m.polIdx)
	key := nonEmpty(p.ARN, "address:"+p.Address)
	if i, ok := idx[key]; ok {
		m.keep("managed policy", key, false, false, sameJSON(m.out.Policies[i], p))
		return
	}
	idx[key] = len(m.out.Policies)
	m.out.Policies = append(m.out.Policies, p)
}

func (m *merger) resource(r inventory.Resource) {
	idx := index(&m.resIdx)
	key := nonEmpty(r.ARN, "address:"+r.Address)
	if i, ok := idx[key]; ok {
		if m.keep("resource", key, m.out.Resources[i].External, r.External, sameJSON(m.out.Resources[i], r)) {
			if r.Policy == nil {
				r.Policy = m.out.Resources[i].Policy
			}
			m.out.Resources[i] = r
		}
		return
	}
	idx[key] = len(m.out.Resources)
	m.out.Resources = append(m.out.Resources, r)
}

// scp joins organization policies by id: the same policy read from two
// accounts of one organization is one policy attached to more targets.
func (m *merger) scp(p inventory.OrgPolicy) {
	idx := index(&m.scpI)
	key := nonEmpty(p.ID, "address:"+p.Address)
	if i, ok := idx[key]; ok {
		cur := &m.out.SCPs[i]
		seen := map[string]bool{}
		for _, t := range cur.Targets {
			seen[t] = true
		}
		for _, t := range p.Targets {
			if !seen[t] {
				cur.Targets = append(cur.Targets, t)
			}
		}
		sort.Strings(cur.Targets)
		return
	}
	idx[key] = len(m.out.SCPs)
	m.out.SCPs = append(m.out.SCPs, p)
}

// link fills, for triggers whose function or source another input
// defines, the function's and the source's address.
func (m *merger) link() {
	fnAddr := map[string]string{}
	for _, f := range m.out.Functions {
		if !f.External && f.ARN != "" {
			fnAddr[f.ARN] = f.Address
		}
	}
	resAddr := map[string]string{}
	for _, r := range m.out.Resources {
		if !r.External && r.ARN != "" {
			resAddr[r.ARN] = r.Address
		}
	}
	for i := range m.out.Triggers {
		t := &m.out.Triggers[i]
		if t.FunctionAddress == "" {
			t.FunctionAddress = fnAddr[t.FunctionARN]
		}
		if t.SourceAddress == "" {
			t.SourceAddress = resAddr[t.SourceARN]
		}
	}
}

// dedupeTriggers drops exact repeats (the same trigger read twice).
func dedupeTriggers(ts []inventory.Trigger) []inventory.Trigger {
	seen := map[string]bool{}
	out := ts[:0]
	for _, t := range ts {
		k := fmt.Sprintf("%s|%s|%s|%s|%s|%s", t.Address, t.Service, t.SourceARN, t.Target, t.Qualifier, strings.Join(t.Events, ","))
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, t)
	}
	return out
}

func nonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// sameJSON reports whether two items encode identically.
func sameJSON(a, b any) bool {
	ja, errA := json.Marshal(a)
	jb, errB := json.Marshal(b)
	return errA == nil && errB == nil && string(ja) == string(jb)
}

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

// add puts item into items under key; when another input already gave
// an item with that key, join decides what the merged item is.
func add[T any](idx *map[string]int, items *[]T, key string, item T, join func(cur *T)) {
	if *idx == nil {
		*idx = map[string]int{}
	}
	if i, ok := (*idx)[key]; ok {
		join(&(*items)[i])
		return
	}
	(*idx)[key] = len(*items)
	*items = append(*items, item)
}

// definition is the join of items defined once: a definition replaces a
// mere reference (external), and of two definitions that differ the first
// is kept, with a warning.
func definition[T any](m *merger, kind, key string, item T, external func(T) bool) func(cur *T) {
	return func(cur *T) {
		if m.keep(kind, key, external(*cur), external(item), sameJSON(*cur, item)) {
			*cur = item
		}
	}
}

func (m *merger) function(f inventory.Function) {
	key := nonEmpty(f.ARN, "address:"+f.Address)
	add(&m.fnIdx, &m.out.Functions, key, f, definition(m, "function", key, f, func(f inventory.Function) bool { return f.External }))
}

func (m *merger) role(r inventory.Role) {
	key := nonEmpty(r.ARN, r.Account+"/"+r.Name)
	add(&m.roleIdx, &m.out.Roles, key, r, definition(m, "role", key, r, func(r inventory.Role) bool { return r.External }))
}

func (m *merger) policy(p inventory.ManagedPolicy) {
	key := nonEmpty(p.ARN, "address:"+p.Address)
	add(&m.polIdx, &m.out.Policies, key, p, definition(m, "managed policy", key, p, func(inventory.ManagedPolicy) bool { return false }))
}

// resource: a definition that replaces a reference keeps the reference's
// policy when it has none of its own (a bucket defined in one input, its
// policy read from the live account).
func (m *merger) resource(r inventory.Resource) {
	key := nonEmpty(r.ARN, "address:"+r.Address)
	add(&m.resIdx, &m.out.Resources, key, r, func(cur *inventory.Resource) {
		if m.keep("resource", key, cur.External, r.External, sameJSON(*cur, r)) {
			if r.Policy == nil {
				r.Policy = cur.Policy
			}
			*cur = r
		}
	})
}

// scp joins organization policies by id: the same policy read from two
// accounts of one organization is one policy attached to more targets.
func (m *merger) scp(p inventory.OrgPolicy) {
	key := nonEmpty(p.ID, "address:"+p.Address)
	add(&m.scpI, &m.out.SCPs, key, p, func(cur *inventory.OrgPolicy) {
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
	})
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

package report

import (
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
	"github.com/lambdacheck/lambdacheck/analyzer/report/clean"
)

// inventoryTables is the inventory as one table per kind of item, then
// what could not be resolved and the load diagnostics.
func inventoryTables(w io.Writer, inv *inventory.Inventory) error {
	where := func(o inventory.Origin) string { return position(o.File, o.Line, 0) }
	account := inv.Account
	if inv.Source.AccountPlaceholder {
		account += " (placeholder)"
	}
	fmt.Fprintf(w, "Source: %s\n\n", clean.Line(fmt.Sprintf("%s %s   account %s   region %s   partition %s", inv.Source.Kind, filepath.ToSlash(inv.Source.Path), account, inv.Region, inv.Partition)))
	section := func(title string, n int, header []string, rows [][]string) error {
		if n == 0 {
			return nil
		}
		fmt.Fprintf(w, "%s (%d)\n", title, n)
		if err := Table(w, header, rows); err != nil {
			return err
		}
		fmt.Fprintln(w)
		return nil
	}
	var rows [][]string
	for _, f := range inv.Functions {
		addr := f.Address
		if f.External {
			addr = "(external) " + addr
		}
		var extra []string
		if len(f.Aliases) > 0 {
			extra = append(extra, fmt.Sprintf("%d alias(es)", len(f.Aliases)))
		}
		if len(f.URLs) > 0 {
			extra = append(extra, "url "+f.URLs[0].AuthType)
		}
		if len(f.Permissions) > 0 {
			extra = append(extra, fmt.Sprintf("%d permission(s)", len(f.Permissions)))
		}
		rows = append(rows, []string{addr, f.ARN, f.Runtime, f.Role, strings.Join(extra, ", "), where(f.Origin)})
	}
	if err := section("Functions", len(inv.Functions), []string{"ADDRESS", "ARN", "RUNTIME", "ROLE", "ATTACHED", "FILE"}, rows); err != nil {
		return err
	}
	rows = nil
	for _, r := range inv.Roles {
		addr := r.Address
		if r.External {
			addr = "(external) " + addr
		}
		var pols []string
		for _, p := range r.InlinePolicies {
			pols = append(pols, "inline:"+p.Name)
		}
		for _, p := range r.AttachedPolicies {
			pols = append(pols, p.Name)
		}
		if r.PermissionsBoundary != nil {
			pols = append(pols, "boundary:"+r.PermissionsBoundary.Name)
		}
		rows = append(rows, []string{addr, r.ARN, strings.Join(pols, "\n"), where(r.Origin)})
	}
	if err := section("Roles", len(inv.Roles), []string{"ADDRESS", "ARN", "POLICIES", "FILE"}, rows); err != nil {
		return err
	}
	rows = nil
	for _, p := range inv.Policies {
		rows = append(rows, []string{p.Address, p.ARN, where(p.Origin)})
	}
	if err := section("Customer managed policies", len(inv.Policies), []string{"ADDRESS", "ARN", "FILE"}, rows); err != nil {
		return err
	}
	rows = nil
	for _, r := range inv.Resources {
		addr := r.Address
		if r.External {
			addr = "(external) " + addr
		}
		pol := ""
		if r.Policy != nil {
			pol = "yes"
		}
		rows = append(rows, []string{addr, r.Type, r.ARN, pol, r.KMSKeyARN, where(r.Origin)})
	}
	if err := section("Resources", len(inv.Resources), []string{"ADDRESS", "TYPE", "ARN", "POLICY", "KMS KEY", "FILE"}, rows); err != nil {
		return err
	}
	rows = nil
	for _, t := range inv.Triggers {
		target := t.Target
		if t.FunctionAddress != "" {
			target = t.FunctionAddress
			if t.Qualifier != "" {
				target += ":" + t.Qualifier
			}
		}
		enabled := "yes"
		if !t.Enabled {
			enabled = "no"
		}
		rows = append(rows, []string{t.Address, t.Kind + "/" + t.Service, t.SourceARN, target, strings.Join(t.Events, " "), enabled, where(t.Origin)})
	}
	if err := section("Triggers", len(inv.Triggers), []string{"ADDRESS", "KIND", "SOURCE", "TARGET", "EVENTS", "ENABLED", "FILE"}, rows); err != nil {
		return err
	}
	rows = nil
	for _, p := range inv.SCPs {
		rows = append(rows, []string{p.Address, p.Type, p.Name, strings.Join(p.Targets, " "), where(p.Origin)})
	}
	if err := section("Organization policies", len(inv.SCPs), []string{"ADDRESS", "TYPE", "NAME", "TARGETS", "FILE"}, rows); err != nil {
		return err
	}
	rows = nil
	for _, s := range inv.Skipped {
		rows = append(rows, []string{s.Type, strconv.Itoa(s.Count)})
	}
	if err := section("Skipped resource types", len(inv.Skipped), []string{"TYPE", "COUNT"}, rows); err != nil {
		return err
	}
	rows = unresolvedRows(inv)
	if err := section("Unresolved", len(rows), []string{"ADDRESS", "FIELD", "REASON", "FILE"}, rows); err != nil {
		return err
	}
	rows = nil
	for _, d := range inv.Diags {
		rows = append(rows, []string{d.Severity, position(d.File, d.Line, d.Column), diagText(d)})
	}
	return section("Diagnostics", len(rows), []string{"SEVERITY", "AT", "MESSAGE"}, rows)
}

// unresolvedRows gathers the unknown fields of every item.
func unresolvedRows(inv *inventory.Inventory) [][]string {
	var rows [][]string
	add := func(addr, prefix string, us []inventory.Unknown) {
		for _, u := range us {
			rows = append(rows, []string{addr, prefix + u.Field, u.Reason, position(u.File, u.Line, 0)})
		}
	}
	pol := func(addr, prefix string, p *inventory.Policy) {
		if p != nil {
			add(addr, prefix, p.Unknown)
		}
	}
	for _, u := range inv.Unknown {
		rows = append(rows, []string{u.Address, "", u.Reason, position(u.File, u.Line, 0)})
	}
	for _, f := range inv.Functions {
		add(f.Address, "", f.Unknown)
		for _, a := range f.Aliases {
			add(a.Address, "", a.Unknown)
		}
		for _, u := range f.URLs {
			add(u.Address, "", u.Unknown)
		}
		for _, c := range f.AsyncConfigs {
			add(c.Address, "", c.Unknown)
		}
		for _, p := range f.Permissions {
			add(p.Address, "", p.Unknown)
		}
		for _, p := range f.ResourcePolicies {
			pol(f.Address, "resource_policy.", &p.Policy)
		}
	}
	for _, r := range inv.Roles {
		add(r.Address, "", r.Unknown)
		pol(r.Address, "trust_policy.", r.TrustPolicy)
		for _, p := range r.InlinePolicies {
			pol(r.Address, "inline_policies["+p.Name+"].", &p)
		}
		for _, p := range r.AttachedPolicies {
			pol(r.Address, "attached_policies["+p.Name+"].", &p)
		}
		pol(r.Address, "permissions_boundary.", r.PermissionsBoundary)
	}
	for _, p := range inv.Policies {
		add(p.Address, "", p.Unknown)
	}
	for _, r := range inv.Resources {
		add(r.Address, "", r.Unknown)
		pol(r.Address, "policy.", r.Policy)
	}
	for _, t := range inv.Triggers {
		add(t.Address, "", t.Unknown)
	}
	for _, p := range inv.SCPs {
		add(p.Address, "", p.Unknown)
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i][0] < rows[j][0] })
	return rows
}

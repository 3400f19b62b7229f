package merge

import (
	"path"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
)

// Rebase prefixes every relative source file named in inv (items, policies,
// triggers, unknowns, diagnostics, modules) with dir, a slash path.
// Inventories of several Terraform directories name their files relative
// to each directory; before they are merged, rebasing them on the
// directories given keeps "main.tf" of one apart from "main.tf" of another.
func Rebase(inv *inventory.Inventory, dir string) {
	if inv == nil || dir == "" || dir == "." {
		return
	}
	r := rebaser(dir)
	for i := range inv.Functions {
		f := &inv.Functions[i]
		r.origin(&f.Origin)
		r.unknowns(f.Unknown)
		for j := range f.Aliases {
			r.origin(&f.Aliases[j].Origin)
			r.unknowns(f.Aliases[j].Unknown)
		}
		for j := range f.URLs {
			r.origin(&f.URLs[j].Origin)
			r.unknowns(f.URLs[j].Unknown)
		}
		for j := range f.AsyncConfigs {
			r.origin(&f.AsyncConfigs[j].Origin)
			r.unknowns(f.AsyncConfigs[j].Unknown)
		}
		for j := range f.Permissions {
			r.origin(&f.Permissions[j].Origin)
			r.unknowns(f.Permissions[j].Unknown)
		}
		for j := range f.ResourcePolicies {
			r.policy(&f.ResourcePolicies[j].Policy)
		}
	}
	for i := range inv.Roles {
		role := &inv.Roles[i]
		r.origin(&role.Origin)
		r.unknowns(role.Unknown)
		r.policy(role.TrustPolicy)
		for j := range role.InlinePolicies {
			r.policy(&role.InlinePolicies[j])
		}
		for j := range role.AttachedPolicies {
			r.policy(&role.AttachedPolicies[j])
		}
		r.policy(role.PermissionsBoundary)
	}
	for i := range inv.Policies {
		r.policy(&inv.Policies[i].Policy)
	}
	for i := range inv.Resources {
		res := &inv.Resources[i]
		r.origin(&res.Origin)
		r.unknowns(res.Unknown)
		r.policy(res.Policy)
	}
	for i := range inv.Triggers {
		r.origin(&inv.Triggers[i].Origin)
		r.unknowns(inv.Triggers[i].Unknown)
	}
	for i := range inv.SCPs {
		r.policy(&inv.SCPs[i].Policy)
	}
	for i := range inv.Modules {
		r.file(&inv.Modules[i].File)
	}
	for i := range inv.Diags {
		r.file(&inv.Diags[i].File)
	}
	for i := range inv.Unknown {
		r.file(&inv.Unknown[i].File)
	}
	for i := range inv.Waivers {
		r.file(&inv.Waivers[i].File)
	}
}

type rebaser string

func (dir rebaser) file(f *string) {
	if *f != "" && !path.IsAbs(*f) {
		*f = path.Join(string(dir), *f)
	}
}

func (dir rebaser) origin(o *inventory.Origin) { dir.file(&o.File) }

func (dir rebaser) unknowns(us []inventory.Unknown) {
	for i := range us {
		dir.file(&us[i].File)
	}
}

func (dir rebaser) policy(p *inventory.Policy) {
	if p == nil {
		return
	}
	dir.origin(&p.Origin)
	dir.unknowns(p.Unknown)
}

package terraform

import (
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
)

func decodeRole(b *builder, i *instance) {
	r := &inventory.Role{Origin: i.origin, Account: i.Provider.Account}
	o := i.obj(&r.Unknown)
	r.Name = o.str("name")
	r.ARN = o.str("arn")
	r.Path = o.str("path")
	r.MaxSessionDuration = o.num("max_session_duration", 3600)
	if o.has("assume_role_policy") {
		p := policyFrom(o, "assume_role_policy", "trust", i.origin)
		r.TrustPolicy = &p
	}
	// inline_policy blocks make the role's inline policies exclusive: any
	// block (even an empty one) means "exactly these".
	if inl := o.blocks("inline_policy"); len(inl) > 0 {
		r.ExclusiveInline = true
		for _, ip := range inl {
			if !ip.has("policy") {
				continue
			}
			r.InlinePolicies = append(r.InlinePolicies, policyFrom(ip, "policy", ip.str("name"), i.origin))
		}
	}
	for _, arn := range o.strs("managed_policy_arns") {
		b.pendingAttach = append(b.pendingAttach, pendingAttachment{account: r.Account, role: r.Name, arn: arn, origin: i.origin})
	}
	if pb := o.strAs("permissions_boundary", "permissions_boundary"); pb != "" {
		b.pendingRolePols = append(b.pendingRolePols, func() {
			p := b.managed(pb, i.origin)
			role := b.role(r.Account, r.Name, i.origin)
			role.PermissionsBoundary = &p
		})
	}
	b.addRole(r)
}

func decodeManagedPolicy(b *builder, i *instance) {
	mp := &inventory.ManagedPolicy{}
	mp.Origin = i.origin
	mp.Managed = "customer"
	o := i.obj(&mp.Unknown)
	mp.Name = o.str("name")
	mp.ARN = o.str("arn")
	mp.Path = o.str("path")
	if doc, ok := o.document("policy", "document"); ok {
		mp.Document = doc
	}
	key := mp.ARN
	if key == "" {
		key = "address:" + i.Addr
	}
	b.policies[key] = mp
}

// roleName reads a role argument, which Terraform accepts as a name (and
// in practice is often given the role's id, which is its name).
func roleName(o obj, attr string) string {
	s := o.str(attr)
	if _, svc, _, _, res, ok := arnParts(s); ok && svc == "iam" {
		return res[strings.LastIndexByte(res, '/')+1:]
	}
	return s
}

func decodeRolePolicy(b *builder, i *instance) {
	var unknown []inventory.Unknown
	o := i.obj(&unknown)
	role := roleName(o, "role")
	p := policyFrom(o, "policy", o.str("name"), i.origin)
	if role == "" {
		b.unresolved(i.origin, "inline policy "+p.Name+": the role is not known"+reasons(unknown))
		return
	}
	b.pendingInline = append(b.pendingInline, pendingPolicy{account: i.Provider.Account, role: role, policy: p, origin: i.origin})
}

func reasons(us []inventory.Unknown) string {
	var parts []string
	for _, u := range us {
		parts = append(parts, u.Reason)
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, "; ") + ")"
}

func decodeRolePolicyAttachment(b *builder, i *instance) {
	var unknown []inventory.Unknown
	o := i.obj(&unknown)
	role, arn := roleName(o, "role"), o.str("policy_arn")
	if role == "" || arn == "" {
		b.unresolved(i.origin, "policy attachment: the role or policy ARN is not known"+reasons(unknown))
		return
	}
	b.pendingAttach = append(b.pendingAttach, pendingAttachment{account: i.Provider.Account, role: role, arn: arn, origin: i.origin})
}

func decodePolicyAttachment(b *builder, i *instance) {
	var unknown []inventory.Unknown
	o := i.obj(&unknown)
	arn := o.str("policy_arn")
	roles := o.strs("roles")
	sort.Strings(roles)
	if arn == "" || len(unknown) > 0 {
		b.unresolved(i.origin, "policy attachment: the roles or policy ARN are not known"+reasons(unknown))
	}
	if arn == "" {
		return
	}
	for _, role := range roles {
		b.pendingAttach = append(b.pendingAttach, pendingAttachment{account: i.Provider.Account, role: role, arn: arn, origin: i.origin})
	}
}

func decodeRolePoliciesExclusive(b *builder, i *instance) {
	var unknown []inventory.Unknown
	o := i.obj(&unknown)
	role := roleName(o, "role_name")
	names := o.strs("policy_names")
	if role == "" {
		b.unresolved(i.origin, "exclusive inline policies: the role is not known"+reasons(unknown))
		return
	}
	b.pendingRolePols = append(b.pendingRolePols, func() {
		r := b.role(i.Provider.Account, role, i.origin)
		r.ExclusiveInline = true
		keep := map[string]bool{}
		for _, n := range names {
			keep[n] = true
		}
		var out []inventory.Policy
		for _, p := range r.InlinePolicies {
			if keep[p.Name] {
				out = append(out, p)
			} else {
				b.diag(hcl.DiagWarning, "Inline policy removed by exclusive management",
					"aws_iam_role_policies_exclusive "+i.Addr+" does not list "+p.Name+"; AWS removes it from role "+role+".", p.Origin)
			}
		}
		r.InlinePolicies = out
	})
}

func decodeRoleAttachmentsExclusive(b *builder, i *instance) {
	var unknown []inventory.Unknown
	o := i.obj(&unknown)
	role := roleName(o, "role_name")
	arns := o.strs("policy_arns")
	sort.Strings(arns)
	if role == "" {
		b.unresolved(i.origin, "exclusive policy attachments: the role is not known"+reasons(unknown))
		return
	}
	for _, arn := range arns {
		b.pendingAttach = append(b.pendingAttach, pendingAttachment{account: i.Provider.Account, role: role, arn: arn, origin: i.origin})
	}
}

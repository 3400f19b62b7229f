// Package casebuild builds one IAM authorization case (an iam.Case: the
// request and the policies that apply) from named values: a principal,
// an action, a resource, key=value context pairs and policy files, or a
// case file in the batch JSON shape refined by context pairs.
//
// Place: beside the engine (analyzer/iam), for callers that describe a
// single request by hand, such as the authz command; it reads the policy
// files it is given, bounded in size, and decides nothing itself.
package casebuild

import (
	"fmt"
	"strings"

	"github.com/lambdacheck/lambdacheck/analyzer/confine"
	"github.com/lambdacheck/lambdacheck/analyzer/iam"
	"github.com/lambdacheck/lambdacheck/analyzer/iam/condition"
)

// Spec describes a case. With File, the case is read from it and only
// Context, Unknown and ManagementAccount apply on top.
type Spec struct {
	File string
	// Principal is an ARN, an account id or a service principal.
	Principal, Action, Resource, ResourceAccount string
	// Context are key=value pairs; a key given several times is
	// multi-valued. Unknown are keys whose value is unknown.
	Context []string
	Unknown []string
	// Identity, Boundary and Session are policy files; ResourcePolicy is
	// the resource-based policy file.
	Identity       []string
	ResourcePolicy string
	Boundary       []string
	Session        []string
	// SCP and RCP are the levels of the organization, root first: each a
	// comma-separated list of the policy files attached at that level.
	SCP, RCP []string
	// ManagementAccount puts the principal in the organization's
	// management account (SCPs do not apply).
	ManagementAccount bool
	// Lenient decides policies AWS refuses when they are written as AWS
	// would if they existed.
	Lenient bool
}

// Case builds the case s describes.
func (s Spec) Case() (*iam.Case, error) {
	var c *iam.Case
	if s.File != "" {
		data, err := confine.ReadInput(s.File)
		if err != nil {
			return nil, err
		}
		if c, err = iam.DecodeCaseWith(data, iam.ParseOptions{Lenient: s.Lenient}); err != nil {
			return nil, fmt.Errorf("%s: %w", s.File, err)
		}
		// The pairs refine the file's request context.
		if err := SetContext(c.Request.Context, s.Context); err != nil {
			return nil, err
		}
	} else {
		var err error
		if c, err = s.request(); err != nil {
			return nil, err
		}
	}
	for _, k := range s.Unknown {
		c.Request.Context.SetUnknown(k)
	}
	c.Request.InManagementAccount = c.Request.InManagementAccount || s.ManagementAccount
	return c, nil
}

// request builds the case from the named values.
func (s Spec) request() (*iam.Case, error) {
	if s.Principal == "" || s.Action == "" {
		return nil, fmt.Errorf("give --principal and --action (and usually --resource and policies), or --file, or --jsonl")
	}
	c := &iam.Case{}
	var err error
	if c.Request.Principal, err = iam.ParsePrincipal(s.Principal); err != nil {
		return nil, fmt.Errorf("--principal: %v", err)
	}
	c.Request.Action = s.Action
	c.Request.Resource = s.Resource
	c.Request.ResourceAccount = s.ResourceAccount
	ctx := condition.NewContext()
	if err := SetContext(ctx, s.Context); err != nil {
		return nil, err
	}
	c.Request.Context = ctx
	load := func(path string, kind iam.Kind) (*iam.Policy, error) {
		data, err := confine.ReadInput(path)
		if err != nil {
			return nil, err
		}
		return iam.ParseWith(data, kind, iam.Source{Name: path, File: path}, iam.ParseOptions{Lenient: s.Lenient})
	}
	list := func(paths []string, kind iam.Kind) ([]*iam.Policy, error) {
		var out []*iam.Policy
		for _, p := range paths {
			pol, err := load(p, kind)
			if err != nil {
				return nil, err
			}
			out = append(out, pol)
		}
		return out, nil
	}
	if c.Policies.Identity, err = list(s.Identity, iam.IdentityPolicy); err != nil {
		return nil, err
	}
	if s.ResourcePolicy != "" {
		if c.Policies.Resource, err = load(s.ResourcePolicy, iam.ResourcePolicy); err != nil {
			return nil, err
		}
	}
	if c.Policies.Boundary, err = list(s.Boundary, iam.BoundaryPolicy); err != nil {
		return nil, err
	}
	if c.Policies.Session, err = list(s.Session, iam.SessionPolicy); err != nil {
		return nil, err
	}
	levels := func(specs []string, kind iam.Kind) ([][]*iam.Policy, error) {
		var out [][]*iam.Policy
		for _, spec := range specs {
			level, err := list(nonEmpty(strings.Split(spec, ",")), kind)
			if err != nil {
				return nil, err
			}
			out = append(out, level)
		}
		return out, nil
	}
	if c.Policies.SCP, err = levels(s.SCP, iam.ServiceControlPolicy); err != nil {
		return nil, err
	}
	if c.Policies.RCP, err = levels(s.RCP, iam.ResourceControlPolicy); err != nil {
		return nil, err
	}
	c.Policies.ResourceMustAllow = iam.ResourcePolicyRequired(c.Request.Action, c.Request.Resource)
	c.Policies.RoleTrust = iam.IsRoleTrustRequest(c.Request.Action, c.Request.Resource)
	return c, nil
}

// nonEmpty drops the empty names of a comma-separated list.
func nonEmpty(paths []string) []string {
	out := paths[:0]
	for _, p := range paths {
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}

// SetContext sets key=value pairs on ctx; a key given several times
// becomes multi-valued, in the order given.
func SetContext(ctx *condition.Context, pairs []string) error {
	multi := map[string][]string{}
	var order []string
	for _, kv := range pairs {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return fmt.Errorf("--context %q: want key=value", kv)
		}
		if _, seen := multi[k]; !seen {
			order = append(order, k)
		}
		multi[k] = append(multi[k], v)
	}
	for _, k := range order {
		if vs := multi[k]; len(vs) == 1 {
			ctx.Set(k, vs[0])
		} else {
			ctx.SetMulti(k, vs)
		}
	}
	return nil
}

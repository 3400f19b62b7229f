package eval

import (
	"strings"

	"github.com/zclconf/go-cty/cty"

	"github.com/lambdacheck/lambdacheck/analyzer/terraform/reason"
)

// provider resolves the provider configuration key ("aws", "aws.east") as
// module m sees it: its own provider block, the parent's configuration it
// was passed through "providers", or (default providers only) the parent's.
func (e *evaluator) provider(m *ModuleInstance, key string) *Provider {
	if p, ok := m.providers[key]; ok {
		return p
	}
	var p *Provider
	switch {
	case m.Config != nil && m.Config.Providers[key] != nil:
		p = e.configuredProvider(m, key)
	case m.Parent != nil && m.Call.Providers[key] != "":
		p = e.provider(m.Parent, m.Call.Providers[key])
	case m.Parent != nil && !strings.Contains(key, "."):
		p = e.provider(m.Parent, key)
	case strings.Contains(key, "."):
		// An alias nobody configured: Terraform would refuse to plan;
		// fall back to the default configuration.
		p = e.provider(m, key[:strings.IndexByte(key, '.')])
	default:
		p = e.fallbackProvider(key)
	}
	m.providers[key] = p
	return p
}

func (e *evaluator) fallbackProvider(key string) *Provider {
	p := &Provider{Key: key}
	e.fillDefaults(p)
	return p
}

func (e *evaluator) fillDefaults(p *Provider) {
	if p.Region == "" {
		for _, r := range []string{e.opts.Region, e.env["AWS_REGION"], e.env["AWS_DEFAULT_REGION"]} {
			if r != "" {
				p.Region = r
				break
			}
		}
		if p.Region == "" {
			p.Region, p.RegionDefault = DefaultRegion, true
		}
	}
	if p.Account == "" {
		p.Account = e.opts.Account
		if p.Account == "" {
			p.Account, p.AccountPlaceholder = PlaceholderAccount, true
		}
	}
	p.Partition = PartitionOf(p.Region)
}

// configuredProvider evaluates a provider block: region, the account of
// assume_role's role, or a single allowed account id.
func (e *evaluator) configuredProvider(m *ModuleInstance, key string) *Provider {
	pc := m.Config.Providers[key]
	p := &Provider{Key: key}
	m.providers[key] = p // guards against a provider block referring to itself
	v := e.bodyValue(pc.Body, &scope{mod: m}, false)
	if s, _, ok := reason.Text(attr(v, "region")); ok {
		// A region from a variable without a value stays its symbol
		// (<var.region>): ARNs and regional service principals built from
		// it then join by identity instead of by a default region.
		p.Region = s
	}
	for _, ar := range blocks(attr(v, "assume_role")) {
		if s, ok := knownString(attr(ar, "role_arn")); ok {
			if parts := strings.SplitN(s, ":", 6); len(parts) == 6 && parts[4] != "" {
				p.Account = parts[4]
			}
		}
	}
	if p.Account == "" {
		if ids := attr(v, "allowed_account_ids"); ids != cty.NilVal {
			ids, _ = reason.Of(ids)
			if ids.IsWhollyKnown() && !ids.IsNull() && ids.CanIterateElements() && ids.LengthInt() == 1 {
				for it := ids.ElementIterator(); it.Next(); {
					_, id := it.Element()
					if id.Type() == cty.String {
						p.Account = id.AsString()
					}
				}
			}
		}
	}
	e.fillDefaults(p)
	return p
}

// PartitionOf returns the AWS partition of a region.
func PartitionOf(region string) string {
	switch {
	case strings.HasPrefix(region, "cn-"):
		return "aws-cn"
	case strings.HasPrefix(region, "us-gov-"):
		return "aws-us-gov"
	case strings.HasPrefix(region, "us-isob-"):
		return "aws-iso-b"
	case strings.HasPrefix(region, "us-iso-"):
		return "aws-iso"
	case strings.HasPrefix(region, "eu-isoe-"):
		return "aws-iso-e"
	case strings.HasPrefix(region, "us-isof-"):
		return "aws-iso-f"
	}
	return "aws"
}

func attr(v cty.Value, name string) cty.Value {
	v, _ = v.Unmark()
	if v == cty.NilVal || !v.IsKnown() || v.IsNull() || !v.Type().IsObjectType() || !v.Type().HasAttribute(name) {
		return cty.NilVal
	}
	return v.GetAttr(name)
}

func knownString(v cty.Value) (string, bool) {
	if v == cty.NilVal {
		return "", false
	}
	v, _ = reason.Of(v)
	if !v.IsKnown() || v.IsNull() || v.Type() != cty.String {
		return "", false
	}
	return v.AsString(), true
}

// blocks returns the objects of a nested block, whether written as blocks
// (a tuple or list of objects) or as an attribute-style object.
func blocks(v cty.Value) []cty.Value {
	if v == cty.NilVal {
		return nil
	}
	v, _ = v.Unmark()
	if !v.IsKnown() || v.IsNull() {
		return nil
	}
	ty := v.Type()
	if ty.IsObjectType() || ty.IsMapType() {
		return []cty.Value{v}
	}
	if ty.IsTupleType() || ty.IsListType() || ty.IsSetType() {
		var out []cty.Value
		for it := v.ElementIterator(); it.Next(); {
			_, e := it.Element()
			out = append(out, e)
		}
		return out
	}
	return nil
}

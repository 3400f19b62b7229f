package plan

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/zclconf/go-cty/cty"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
	"github.com/lambdacheck/lambdacheck/analyzer/terraform"
	"github.com/lambdacheck/lambdacheck/analyzer/terraform/config"
	"github.com/lambdacheck/lambdacheck/analyzer/terraform/eval"
)

// loadWithConfig evaluates the configuration beside the plan with the
// plan's variables and fills what evaluation leaves unknown from the plan.
func loadWithConfig(ctx context.Context, path string, p *tfjson.Plan, opts Options) (*inventory.Inventory, error) {
	planned := map[string]map[string]any{}
	walkState(p.PlannedValues, func(r *tfjson.StateResource) { planned[r.Address] = r.AttributeValues })
	prior := map[string]map[string]any{}
	if p.PriorState != nil {
		walkState(p.PriorState.Values, func(r *tfjson.StateResource) { prior[r.Address] = r.AttributeValues })
	}
	overlay := func(inst *eval.Instance, v cty.Value) cty.Value {
		if inst.Resource.Mode == config.Data {
			if vals, ok := prior[inst.Addr]; ok {
				// What Terraform read when it planned is the data source's
				// result, known or not in the evaluation.
				return fill(v, vals, true)
			}
		}
		if vals, ok := planned[inst.Addr]; ok {
			return fill(v, vals, false)
		}
		return v
	}
	account := opts.Account
	if account == "" {
		account = callerAccount(p)
	}
	inv, err := terraform.Load(ctx, opts.ConfigDir, terraform.Options{
		Vars: varArgs(p), Env: opts.Env, Account: account, Region: opts.Region, Catalog: opts.Catalog,
		Root: opts.Root, AllowReadOutsideRoot: opts.AllowReadOutsideRoot, Overlay: overlay, Kind: "plan",
	})
	if err != nil {
		return nil, fmt.Errorf("load plan %s: %w", path, err)
	}
	// Files stay relative to the configuration directory, as the
	// Terraform source names them.
	inv.Source.Path = filepath.ToSlash(path)
	return inv, nil
}

// fill replaces the top-level attributes of v that are not wholly known
// (all of them when all is set) by the plan's values, where the plan has a
// non-null one.
func fill(v cty.Value, vals map[string]any, all bool) cty.Value {
	u, marks := v.Unmark()
	if !u.IsKnown() || u.IsNull() || !u.Type().IsObjectType() {
		if all {
			// A data source the evaluation knows nothing of: what
			// Terraform read is all of it.
			m := make(map[string]any, len(vals))
			for k, pv := range vals {
				m[k] = pv
			}
			return toCty(m)
		}
		return v
	}
	attrs := u.AsValueMap()
	if attrs == nil {
		attrs = map[string]cty.Value{}
	}
	changed := false
	for k, pv := range vals {
		if pv == nil {
			continue
		}
		cur, has := attrs[k]
		if has && !all {
			if plain, _ := cur.UnmarkDeep(); plain.IsWhollyKnown() && !placeholderOnly(plain, pv) {
				continue
			}
		}
		attrs[k] = toCty(pv)
		changed = true
	}
	if !changed {
		return v
	}
	return cty.ObjectVal(attrs).WithMarks(marks)
}

// placeholderOnly reports whether cur is text holding a placeholder
// ("<aws_kms_key.k.key_id>") where the plan has the real text: the
// attribute of a resource that exists already, known to the plan.
func placeholderOnly(cur cty.Value, planned any) bool {
	s, ok := planned.(string)
	if !ok || strings.Contains(s, "<") || cur.IsNull() || cur.Type() != cty.String {
		return false
	}
	return strings.Contains(cur.AsString(), "<")
}

// walkState calls f on every resource of the state values, root module
// first, child modules depth-first in the order the JSON lists them.
func walkState(sv *tfjson.StateValues, f func(*tfjson.StateResource)) {
	if sv == nil {
		return
	}
	var walk func(m *tfjson.StateModule, depth int)
	walk = func(m *tfjson.StateModule, depth int) {
		if m == nil || depth > eval.MaxModuleDepth {
			return
		}
		for _, r := range m.Resources {
			if r != nil {
				f(r)
			}
		}
		for _, c := range m.ChildModules {
			walk(c, depth+1)
		}
	}
	walk(sv.RootModule, 0)
}

// callerAccount is the account of the first aws_caller_identity the plan
// read, or "".
func callerAccount(p *tfjson.Plan) string {
	acct := ""
	if p.PriorState != nil {
		walkState(p.PriorState.Values, func(r *tfjson.StateResource) {
			if acct == "" && r.Mode == tfjson.DataResourceMode && r.Type == "aws_caller_identity" {
				if s, ok := r.AttributeValues["account_id"].(string); ok {
					acct = s
				}
			}
		})
	}
	return acct
}

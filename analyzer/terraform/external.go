package terraform

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
	"github.com/lambdacheck/lambdacheck/analyzer/terraform/config"
	"github.com/lambdacheck/lambdacheck/analyzer/terraform/eval"
)

// Decoder gives sources other than HCL (a plan's JSON values, templates
// translated to the equivalent Terraform resource types) the decoders and
// the computed-attribute knowledge of this package, so that one resource
// type is understood in one place and every source yields the same
// inventory for the same application.
type Decoder struct {
	catalog PolicyCatalog
	k       *knowledge
}

// NewDecoder returns a Decoder resolving AWS managed policies with c.
func NewDecoder(c PolicyCatalog) *Decoder {
	return &Decoder{catalog: c, k: newKnowledge(c)}
}

// Value is what references to inst see: for a managed resource its
// configuration plus the attributes AWS computes (ARNs built from names),
// for a data source its result. inst.Config must be set.
func (d *Decoder) Value(inst *eval.Instance) (cty.Value, hcl.Diagnostics) {
	if inst.Resource.Mode == config.Data {
		return d.k.Data(inst)
	}
	return d.k.Resource(inst), nil
}

// Build decodes the instances of res (Value set on each) into an
// inventory of the given source kind and path.
func (d *Decoder) Build(res *eval.Result, kind, path string) *inventory.Inventory {
	b := newBuilder(res, d.catalog, d.k)
	b.inv.Source.Kind, b.inv.Source.Path = kind, path
	b.build()
	return b.inv
}

// Overlay lets a caller of Load replace the value of an evaluated instance
// (a plan's known planned values over the evaluated configuration).
type Overlay func(inst *eval.Instance, v cty.Value) cty.Value

type overlaid struct {
	*knowledge
	f Overlay
}

func (o overlaid) Resource(i *eval.Instance) cty.Value { return o.f(i, o.knowledge.Resource(i)) }

func (o overlaid) Data(i *eval.Instance) (cty.Value, hcl.Diagnostics) {
	v, diags := o.knowledge.Data(i)
	return o.f(i, v), diags
}

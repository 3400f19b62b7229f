// Package plan loads the JSON form of a Terraform plan (`terraform show
// -json PLANFILE`, the schema of github.com/hashicorp/terraform-json) into
// the inventory.
//
// A plan knows what HCL alone can not: variable values, data source results
// (its prior state) and the instances of count and for_each. It does not
// know what AWS computes at apply time (most ARNs), and its configuration
// section keeps only the references of an expression, not the expression.
// So values are taken in this order:
//
//  1. When the Terraform configuration lies beside the plan (ConfigDir),
//     the configuration is evaluated as the Terraform source does, with the
//     plan's variable values, and every value that evaluation leaves
//     unknown is taken from the plan's planned values (data sources from
//     its prior state). Positions are the configuration's file:line.
//  2. Otherwise the planned values are decoded directly. An attribute the
//     plan marks unknown until apply takes the value of the reference its
//     expression names when it names exactly one and the attribute is one
//     that names another resource (function_name =
//     aws_lambda_function.f.arn), computed as the Terraform source computes
//     it, so items wired by reference still join; anything else stays a
//     symbol "<ADDRESS.ATTRIBUTE>" (Terraform's JSON keeps only the
//     references of an expression, so "${x.arn}:*" would read as x.arn).
//     Positions are lines of the plan file.
//
// Both paths go through the resource decoders of analyzer/terraform, so a
// resource type is understood in one place.
//
// Pipeline place: source (plan JSON) → inventory.
package plan

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	tfjson "github.com/hashicorp/terraform-json"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
	"github.com/lambdacheck/lambdacheck/analyzer/terraform"
	"github.com/lambdacheck/lambdacheck/analyzer/terraform/eval"
)

// Options configure Load.
type Options struct {
	// Account and Region apply where neither the plan nor its provider
	// configuration names one.
	Account string
	Region  string
	Catalog terraform.PolicyCatalog
	// ConfigDir is the Terraform configuration the plan was made from;
	// empty decodes the plan alone.
	ConfigDir string
	// Root and AllowReadOutsideRoot confine reading ConfigDir, as for the
	// Terraform source.
	Root                 string
	AllowReadOutsideRoot bool
	Env                  []string
}

// Detect reports whether data looks like plan JSON: an object with a
// format_version and at least one of the sections only plans have.
func Detect(data []byte) bool {
	var probe struct {
		FormatVersion   *string          `json:"format_version"`
		PlannedValues   *json.RawMessage `json:"planned_values"`
		ResourceChanges *json.RawMessage `json:"resource_changes"`
		Config          *json.RawMessage `json:"configuration"`
	}
	if json.Unmarshal(data, &probe) != nil || probe.FormatVersion == nil {
		return false
	}
	return probe.PlannedValues != nil || probe.ResourceChanges != nil || probe.Config != nil
}

// Parse decodes plan JSON, checking its format version.
func Parse(data []byte) (*tfjson.Plan, error) {
	var p tfjson.Plan
	if err := json.Unmarshal(data, &p); err != nil {
		return nil, fmt.Errorf("plan JSON: %w", err)
	}
	if p.PlannedValues == nil && len(p.ResourceChanges) == 0 {
		return nil, errors.New("plan JSON has neither planned_values nor resource_changes")
	}
	return &p, nil
}

// Load decodes the plan read from path (its bytes are data).
func Load(ctx context.Context, path string, data []byte, opts Options) (*inventory.Inventory, error) {
	p, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("load plan %s: %w", path, err)
	}
	if opts.ConfigDir != "" {
		return loadWithConfig(ctx, path, p, opts)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	l := newLoader(path, data, p, opts)
	return l.load(), nil
}

// HasConfig reports whether dir holds Terraform configuration files.
func HasConfig(dir string) bool {
	tf, _ := filepath.Glob(filepath.Join(dir, "*.tf"))
	tfj, _ := filepath.Glob(filepath.Join(dir, "*.tf.json"))
	return len(tf)+len(tfj) > 0
}

// varArgs turns the plan's root variable values into --var arguments:
// strings as they are, everything else as its JSON text, which HCL reads
// as the same literal.
func varArgs(p *tfjson.Plan) []eval.VarArg {
	var out []eval.VarArg
	for _, name := range slices.Sorted(maps.Keys(p.Variables)) {
		v := p.Variables[name]
		if v == nil || v.Value == nil {
			continue
		}
		if s, ok := v.Value.(string); ok {
			out = append(out, eval.VarArg{Name: name, Value: s})
			continue
		}
		b, err := json.Marshal(v.Value)
		if err != nil {
			continue
		}
		out = append(out, eval.VarArg{Name: name, Value: string(b)})
	}
	return out
}

// lineIndex finds the line and column of each resource address in the plan text, so
// items decoded from the plan alone point into it.
func lineIndex(data []byte) map[string]hcl.Pos {
	idx := map[string]hcl.Pos{}
	line, lineStart := 1, 0
	for i := 0; i < len(data); i++ {
		if data[i] == '\n' {
			line++
			lineStart = i + 1
			continue
		}
		if data[i] != '"' || !bytes.HasPrefix(data[i:], []byte(`"address"`)) {
			continue
		}
		rest := data[i+len(`"address"`):]
		j := 0
		for j < len(rest) && (rest[j] == ' ' || rest[j] == ':' || rest[j] == '\t') {
			j++
		}
		if j >= len(rest) || rest[j] != '"' {
			continue
		}
		var s string
		dec := json.NewDecoder(bytes.NewReader(rest[j:]))
		if dec.Decode(&s) != nil {
			continue
		}
		if _, seen := idx[s]; !seen {
			idx[s] = hcl.Pos{Line: line, Column: utf8.RuneCount(data[lineStart:i]) + 1}
		}
	}
	return idx
}

// stripKeys removes instance keys from a module address:
// module.a["x"].module.b[0] → module.a.module.b.
func stripKeys(addr string) string {
	var b strings.Builder
	depth := 0
	inStr := false
	for i := 0; i < len(addr); i++ {
		c := addr[i]
		switch {
		case inStr:
			if c == '\\' {
				i++
			} else if c == '"' {
				inStr = false
			}
			continue
		case c == '[':
			depth++
			continue
		case c == ']':
			depth--
			continue
		case depth > 0:
			if c == '"' {
				inStr = true
			}
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// Package cloudformation loads AWS CloudFormation and AWS SAM templates
// (YAML or JSON) into the inventory.
//
// Templates are read as go.yaml.in/yaml/v3 nodes (the maintained home of
// gopkg.in/yaml.v3, already in the build through OPA) rather than decoded
// into maps: nodes keep the line of every value (so each item and each unknown
// points at its file:line), keep the short intrinsic tags (!Ref, !Sub …)
// that a map decoder rejects, and read JSON templates too, JSON being YAML.
//
// Intrinsic functions (Ref, Fn::GetAtt, Fn::Sub in both forms, Fn::Join,
// Fn::Select, Fn::Split, Fn::If with Conditions, Fn::FindInMap,
// Fn::ImportValue, pseudo parameters) are evaluated with the template's
// parameters (defaults, overridden by Options.Parameters). What is decided
// only at deploy time (generated names, the stack name, imported values) is
// a symbol "<TEXT>", the same wherever it appears, so items still join.
//
// Each resource — and each resource the SAM transform would generate for
// an AWS::Serverless::Function: its role, event source permissions,
// subscriptions, rules and mappings, alias and URL — is translated to the
// equivalent Terraform resource type and decoded by analyzer/terraform, so
// one application written in either form yields the same inventory. The
// services that invoke functions by configuration and have no such
// equivalent (SES rules, Config rules, Bedrock agents, Firehose, custom
// resources …) give their triggers directly (invokers.go); SAM connectors
// become the policies and permissions SAM generates (connectors.go), and
// inline OpenAPI definitions their routes (openapi.go).
//
// Pipeline place: source (template) → inventory.
package cloudformation

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
	"github.com/lambdacheck/lambdacheck/analyzer/terraform"
)

//go:generate go run ./internal/gen -in ../../../shared/data/sam-policy-templates.json -out data/policy-templates.json

//go:embed data/policy-templates.json
var policyTemplatesJSON []byte

// Options configure Load.
type Options struct {
	// Parameters override template parameter defaults (--parameter K=V).
	Parameters map[string]string
	// Account and Region are the stack's; empty means the placeholders
	// 123456789012 and us-east-1.
	Account   string
	Region    string
	StackName string
	Catalog   terraform.PolicyCatalog
	// ReadFile, when set, reads a file the template points to (an OpenAPI
	// or state machine definition in DefinitionUri, an AWS::Include
	// Location), by its path relative to the template's directory. The
	// caller confines it to the scan root; nil leaves such files unread,
	// named in the unknowns.
	ReadFile func(rel string) ([]byte, error)
}

// MaxNodes bounds the YAML nodes of one template (aliases expanded).
const MaxNodes = 200000

// Detect reports whether data is a CloudFormation or SAM template: a
// mapping with a Resources mapping whose entries have an AWS:: or Custom::
// Type, or with AWSTemplateFormatVersion or a SAM Transform.
func Detect(data []byte) bool {
	root, err := parse(data)
	if err != nil {
		return false
	}
	if get(root, "AWSTemplateFormatVersion") != nil || isSAM(root) {
		return true
	}
	res := get(root, "Resources")
	if res == nil || res.Kind != yaml.MappingNode {
		return false
	}
	for i := 1; i < len(res.Content); i += 2 {
		t := get(res.Content[i], "Type")
		if t != nil && (strings.HasPrefix(t.Value, "AWS::") || strings.HasPrefix(t.Value, "Custom::")) {
			return true
		}
	}
	return false
}

// LooksLikeTemplate reports whether text that Detect refused still reads
// like a template (it names the template format version, the SAM transform
// or a Resources section), so that its parse error is the one to report.
func LooksLikeTemplate(data []byte) bool {
	return bytes.Contains(data, []byte("AWSTemplateFormatVersion")) || bytes.Contains(data, []byte("AWS::Serverless-2016-10-31")) ||
		bytes.HasPrefix(data, []byte("Resources:")) || bytes.Contains(data, []byte("\nResources:"))
}

// IsSAM reports whether a template uses the SAM transform.
func IsSAM(data []byte) bool {
	root, err := parse(data)
	return err == nil && isSAM(root)
}

func isSAM(root *yaml.Node) bool {
	t := get(root, "Transform")
	if t == nil {
		return false
	}
	if t.Kind == yaml.ScalarNode {
		return strings.HasPrefix(t.Value, "AWS::Serverless")
	}
	for _, c := range t.Content {
		if strings.HasPrefix(c.Value, "AWS::Serverless") {
			return true
		}
	}
	return false
}

var errNotMapping = errors.New("a template is a mapping at the top level")

func parse(data []byte) (*yaml.Node, error) {
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		return nil, err
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, errNotMapping
	}
	if n := countNodes(doc.Content[0], 0); n > MaxNodes {
		return nil, fmt.Errorf("template has more than %d values (aliases expanded)", MaxNodes)
	}
	return doc.Content[0], nil
}

// countNodes counts nodes with aliases followed, stopping past MaxNodes, so
// an alias bomb is refused before it is walked.
func countNodes(n *yaml.Node, depth int) int {
	if n == nil || depth > 200 {
		return MaxNodes + 1
	}
	if n.Kind == yaml.AliasNode {
		return 1 + countNodes(n.Alias, depth+1)
	}
	total := 1
	for _, c := range n.Content {
		total += countNodes(c, depth+1)
		if total > MaxNodes {
			return total
		}
	}
	return total
}

// get returns the value of key in mapping n, or nil.
func get(n *yaml.Node, key string) *yaml.Node {
	n = deref(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return deref(n.Content[i+1])
		}
	}
	return nil
}

func deref(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 100; i++ {
		n = n.Alias
	}
	return n
}

// Load reads the template at path (its bytes are data).
func Load(ctx context.Context, path string, data []byte, opts Options) (*inventory.Inventory, error) {
	root, err := parse(data)
	if err != nil {
		var te *yaml.TypeError
		if errors.As(err, &te) {
			return nil, fmt.Errorf("read template %s: %s", path, strings.Join(te.Errors, "; "))
		}
		return nil, fmt.Errorf("read template %s: %w", path, err)
	}
	if get(root, "Resources") == nil {
		return nil, fmt.Errorf("read template %s: no Resources section", path)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var templates map[string]policyTemplate
	if err := json.Unmarshal(policyTemplatesJSON, &templates); err != nil {
		return nil, fmt.Errorf("policy templates: %w", err)
	}
	t := newTemplate(path, root, opts, templates)
	return t.load(), nil
}

type policyTemplate struct {
	Parameters []string        `json:"p"`
	Definition json.RawMessage `json:"d"`
}

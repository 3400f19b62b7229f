// Package policydoc renders the aws_iam_policy_document data source exactly
// as the hashicorp/aws provider 5.x renders it: statement blocks merged with
// source_policy_documents and override_policy_documents by Sid, sets
// de-duplicated and reverse-sorted, single values collapsed to strings,
// "&{" written as "${", and Go's JSON encoding (HTML characters escaped).
//
// Pipeline place: called by the Terraform loader when it resolves a
// data "aws_iam_policy_document"; its output feeds role, resource and
// function policies in the inventory.
package policydoc

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
)

// Statement is one statement block of the data source.
type Statement struct {
	Sid           string
	Effect        string
	Actions       []string
	NotActions    []string
	Resources     []string
	NotResources  []string
	Principals    []Principal
	NotPrincipals []Principal
	Conditions    []Condition
}

// Principal is a principals or not_principals block.
type Principal struct {
	Type        string
	Identifiers []string
}

// Condition is a condition block.
type Condition struct {
	Test     string
	Variable string
	Values   []string
}

// Config is the data source's configuration.
type Config struct {
	Version                 string // "" means the provider default 2012-10-17
	PolicyID                string
	Statements              []Statement
	SourcePolicyDocuments   []string
	OverridePolicyDocuments []string
}

// Output is what the data source returns.
type Output struct {
	JSON         string // indented, the "json" attribute
	MinifiedJSON string // the "minified_json" attribute
}

type doc struct {
	Version    string  `json:",omitempty"`
	ID         string  `json:"Id,omitempty"`
	Statements []*stmt `json:"Statement"`
}

type stmt struct {
	Sid           string       `json:",omitempty"`
	Effect        string       `json:",omitempty"`
	Actions       any          `json:"Action,omitempty"`
	NotActions    any          `json:"NotAction,omitempty"`
	Resources     any          `json:"Resource,omitempty"`
	NotResources  any          `json:"NotResource,omitempty"`
	Principals    principalSet `json:"Principal,omitempty"`
	NotPrincipals principalSet `json:"NotPrincipal,omitempty"`
	Conditions    conditionSet `json:"Condition,omitempty"`
}

type principal struct {
	Type        string
	Identifiers any // string or []string
}

type principalSet []principal

type condition struct {
	Test     string
	Variable string
	Values   []string
}

type conditionSet []condition

// Render renders the data source.
func Render(cfg Config) (Output, error) {
	version := cfg.Version
	if version == "" {
		version = "2012-10-17"
	}
	merged := &doc{Version: version}
	seen := map[string]bool{}
	for i, src := range cfg.SourcePolicyDocuments {
		d, err := parse(src)
		if err != nil {
			return Output{}, fmt.Errorf("merging source document %d: %w", i, err)
		}
		for _, s := range d.Statements {
			if s == nil || s.Sid == "" {
				continue
			}
			if seen[s.Sid] {
				return Output{}, fmt.Errorf("duplicate Sid (%s) in source_policy_documents (item %d); Sids must be unique", s.Sid, i)
			}
			seen[s.Sid] = true
		}
		merged.merge(d)
	}
	current := &doc{Version: version, ID: cfg.PolicyID}
	sids := map[string]bool{}
	for _, s := range cfg.Statements {
		if s.Sid != "" {
			if sids[s.Sid] {
				return Output{}, fmt.Errorf("duplicate Sid (%s)", s.Sid)
			}
			sids[s.Sid] = true
		}
		current.Statements = append(current.Statements, fromConfig(s))
	}
	merged.merge(current)
	for i, ov := range cfg.OverridePolicyDocuments {
		d, err := parse(ov)
		if err != nil {
			return Output{}, fmt.Errorf("merging override document %d: %w", i, err)
		}
		merged.merge(d)
	}
	indented, err := json.MarshalIndent(merged, "", "  ")
	if err != nil {
		return Output{}, err
	}
	minified, err := json.Marshal(merged)
	if err != nil {
		return Output{}, err
	}
	return Output{JSON: string(indented), MinifiedJSON: string(minified)}, nil
}

// merge adopts other's Id, upgrades the version, and merges statements:
// a statement with the Sid of an existing one replaces it in place, others
// are appended.
func (d *doc) merge(other *doc) {
	if other.ID != "" {
		d.ID = other.ID
	}
	if other.Version > d.Version {
		d.Version = other.Version
	}
next:
	for _, s := range other.Statements {
		if s != nil && s.Sid != "" {
			for i, cur := range d.Statements {
				if cur != nil && cur.Sid == s.Sid {
					d.Statements[i] = s
					continue next
				}
			}
		}
		d.Statements = append(d.Statements, s)
	}
}

var interpolation = strings.NewReplacer("&{", "${")

func fromConfig(s Statement) *stmt {
	out := &stmt{Sid: s.Sid, Effect: s.Effect}
	if out.Effect == "" {
		out.Effect = "Allow"
	}
	out.Actions = setValue(s.Actions)
	out.NotActions = setValue(s.NotActions)
	out.Resources = setValue(s.Resources)
	out.NotResources = setValue(s.NotResources)
	for _, p := range s.Principals {
		out.Principals = append(out.Principals, principal{Type: p.Type, Identifiers: setValue(p.Identifiers)})
	}
	for _, p := range s.NotPrincipals {
		out.NotPrincipals = append(out.NotPrincipals, principal{Type: p.Type, Identifiers: setValue(p.Identifiers)})
	}
	for _, c := range s.Conditions {
		vals := make([]string, len(c.Values))
		for i, v := range c.Values {
			vals[i] = interpolation.Replace(v)
		}
		out.Conditions = append(out.Conditions, condition{Test: c.Test, Variable: c.Variable, Values: vals})
	}
	return out
}

// setValue renders a set-typed argument: nil when empty, a string for one
// element, otherwise the distinct elements in reverse lexical order.
func setValue(in []string) any {
	if len(in) == 0 {
		return nil
	}
	seen := map[string]bool{}
	var out []string
	for _, v := range in {
		v = interpolation.Replace(v)
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	if len(out) == 1 {
		return out[0]
	}
	sort.Sort(sort.Reverse(sort.StringSlice(out)))
	return out
}

func (ps principalSet) MarshalJSON() ([]byte, error) {
	if len(ps) == 1 && ps[0].Type == "*" {
		if s, ok := ps[0].Identifiers.(string); ok && s == "*" {
			return []byte(`"*"`), nil
		}
	}
	raw := map[string]any{}
	for _, p := range ps {
		switch ids := p.Identifiers.(type) {
		case []string:
			sorted := append([]string(nil), ids...)
			sort.Sort(sort.Reverse(sort.StringSlice(sorted)))
			switch cur := raw[p.Type].(type) {
			case nil:
				raw[p.Type] = sorted
			case string:
				raw[p.Type] = append([]string{cur}, sorted...)
			case []string:
				raw[p.Type] = append(cur, sorted...)
			}
		case string:
			switch cur := raw[p.Type].(type) {
			case nil:
				raw[p.Type] = ids
			case string:
				raw[p.Type] = []string{cur, ids}
			case []string:
				raw[p.Type] = append(cur, ids)
			}
		default:
			return nil, fmt.Errorf("principal identifiers of type %T", ids)
		}
	}
	return json.Marshal(raw)
}

func (ps *principalSet) UnmarshalJSON(b []byte) error {
	var data any
	if err := json.Unmarshal(b, &data); err != nil {
		return err
	}
	switch v := data.(type) {
	case string:
		*ps = principalSet{{Type: "*", Identifiers: v}}
		return nil
	case map[string]any:
		var out principalSet
		for _, typ := range slices.Sorted(maps.Keys(v)) {
			switch ids := v[typ].(type) {
			case string:
				out = append(out, principal{Type: typ, Identifiers: ids})
			case []any:
				list := make([]string, 0, len(ids))
				for _, id := range ids {
					s, ok := id.(string)
					if !ok {
						return fmt.Errorf("unsupported principal identifier %v", id)
					}
					list = append(list, s)
				}
				out = append(out, principal{Type: typ, Identifiers: list})
			default:
				return fmt.Errorf("unsupported principal value for %s", typ)
			}
		}
		*ps = out
		return nil
	}
	return errors.New("unsupported principal set")
}

func (cs conditionSet) MarshalJSON() ([]byte, error) {
	vals := map[string]map[string][]string{}
	for _, c := range cs {
		if vals[c.Test] == nil {
			vals[c.Test] = map[string][]string{}
		}
		vals[c.Test][c.Variable] = append(vals[c.Test][c.Variable], c.Values...)
	}
	raw := map[string]map[string]any{}
	for test, vars := range vals {
		raw[test] = map[string]any{}
		for v, list := range vars {
			if len(list) == 1 {
				raw[test][v] = list[0]
			} else {
				raw[test][v] = list
			}
		}
	}
	return json.Marshal(raw)
}

// UnmarshalJSON reads a source document's Condition the way the provider
// does: strings and booleans become strings, lists must hold strings, and
// other values (numbers) drop the condition key.
func (cs *conditionSet) UnmarshalJSON(b []byte) error {
	var data map[string]map[string]any
	if err := json.Unmarshal(b, &data); err != nil {
		return err
	}
	var out conditionSet
	for _, test := range slices.Sorted(maps.Keys(data)) {
		for _, variable := range slices.Sorted(maps.Keys(data[test])) {
			var values []string
			switch v := data[test][variable].(type) {
			case string:
				values = []string{v}
			case bool:
				values = []string{fmt.Sprint(v)}
			case []any:
				for _, x := range v {
					s, ok := x.(string)
					if !ok {
						return fmt.Errorf("condition %s %s: list values must be strings", test, variable)
					}
					values = append(values, s)
				}
			default:
				continue
			}
			out = append(out, condition{Test: test, Variable: variable, Values: values})
		}
	}
	*cs = out
	return nil
}

func parse(src string) (*doc, error) {
	d := &doc{}
	dec := json.NewDecoder(bytes.NewReader([]byte(src)))
	if err := dec.Decode(d); err != nil {
		return nil, err
	}
	return d, nil
}

package eventmatch

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// SNS filter policy scopes.
const (
	ScopeAttributes = "MessageAttributes"
	ScopeBody       = "MessageBody"
)

// MaxSNSCombinations is the most value combinations SNS accepts in one
// filter policy.
const MaxSNSCombinations = 150

// FilterPolicy is a compiled SNS subscription filter policy.
type FilterPolicy struct {
	Scope        string
	Pattern      *Pattern
	Combinations int
}

// Attribute is one SNS message attribute as delivered to subscribers.
type Attribute struct {
	Type  string `json:"Type"`
	Value string `json:"Value"`
}

// CompileFilterPolicy compiles a policy for its scope ("" is
// MessageAttributes, the SNS default) and counts its combinations.
func CompileFilterPolicy(doc []byte, scope string) (*FilterPolicy, error) {
	if scope == "" {
		scope = ScopeAttributes
	}
	if scope != ScopeAttributes && scope != ScopeBody {
		return nil, fmt.Errorf("filter policy scope must be %s or %s", ScopeAttributes, ScopeBody)
	}
	p, err := Compile(doc, SNS)
	if err != nil {
		return nil, err
	}
	if scope == ScopeAttributes && nested(p.root) {
		return nil, fmt.Errorf("%s: nested keys are allowed only with scope %s", SNS, ScopeBody)
	}
	return &FilterPolicy{Scope: scope, Pattern: p, Combinations: combinations(p.root)}, nil
}

func nested(o *object) bool {
	if len(o.children) > 0 {
		return true
	}
	for _, g := range o.ors {
		for _, b := range g {
			if nested(b) {
				return true
			}
		}
	}
	return false
}

// combinations counts a policy the way SNS does: the product of the
// number of values of each key, an $or counting the sum of its branches.
// It saturates well above the limit.
func combinations(o *object) int {
	n := 1
	mul := func(k int) {
		n *= k
		if n > 1<<20 {
			n = 1 << 20
		}
	}
	for _, l := range o.leaves {
		mul(len(l.conds))
	}
	for _, c := range o.children {
		mul(combinations(c))
	}
	for _, g := range o.ors {
		s := 0
		for _, b := range g {
			s += combinations(b)
		}
		mul(s)
	}
	return n
}

// MatchMessage decides a message: its attributes and body. A body that is
// not JSON never matches a MessageBody policy.
func (f *FilterPolicy) MatchMessage(attrs map[string]Attribute, body string) Result {
	if f.Scope == ScopeBody {
		v, err := decode([]byte(body))
		if err != nil {
			return Result{Verdict: NoMatch, Field: "Message", Reason: "message body is not JSON"}
		}
		if _, ok := v.(map[string]any); !ok {
			return Result{Verdict: NoMatch, Field: "Message", Reason: "message body is not a JSON object"}
		}
		return f.Pattern.Match(v)
	}
	return f.Pattern.Match(AttributeValues(attrs))
}

// AttributeValues turns message attributes into the values a policy sees:
// String as a string, Number as a number, String.Array (and Number.Array)
// as its elements;
// Binary attributes are not matched.
func AttributeValues(attrs map[string]Attribute) map[string]any {
	m := map[string]any{}
	for k, a := range attrs {
		switch {
		case a.Type == "Number":
			if f, err := strconv.ParseFloat(a.Value, 64); err == nil {
				m[k] = f
			} else {
				m[k] = a.Value
			}
		case strings.HasSuffix(a.Type, ".Array"):
			var arr []any
			if v, err := decode([]byte(a.Value)); err == nil {
				if x, ok := v.([]any); ok {
					arr = x
				}
			}
			if arr == nil {
				m[k] = a.Value
			} else {
				m[k] = arr
			}
		case strings.HasPrefix(a.Type, "Binary"):
		default:
			m[k] = a.Value
		}
	}
	return m
}

// ParseAttributes reads SNS message attributes in either delivery form:
// {"k": {"Type": "String", "Value": "v"}} (Lambda event) or
// {"k": {"DataType": "String", "StringValue": "v"}} (Publish API).
func ParseAttributes(raw json.RawMessage) (map[string]Attribute, error) {
	if len(raw) == 0 {
		return nil, nil
	}
	var m map[string]struct {
		Type        string `json:"Type"`
		Value       string `json:"Value"`
		DataType    string `json:"DataType"`
		StringValue string `json:"StringValue"`
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("message attributes: %w", err)
	}
	out := map[string]Attribute{}
	for k, a := range m {
		t, v := a.Type, a.Value
		if t == "" {
			t, v = a.DataType, a.StringValue
		}
		out[k] = Attribute{Type: t, Value: v}
	}
	return out, nil
}

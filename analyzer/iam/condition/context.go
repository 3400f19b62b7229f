package condition

import (
	"slices"
	"sort"
	"strings"

	"github.com/lambdacheck/lambdacheck/analyzer/iam/pattern"
)

// Context is a request context: condition key → values. Key names ignore
// case (AWS "IAM JSON policy elements: Condition": "condition key names are
// not case-sensitive"). Static analysis marks what it cannot know as unknown:
// an unknown key is taken to be present with values that could be anything.
//
// A Context is read-only while blocks evaluate it, so one may be shared by
// goroutines once built.
type Context struct {
	vals     map[string]entry
	unknown  map[string]struct{}
	prefixes []string
	// missing and missingPrefixes mark keys known to be absent; they win
	// over unknown prefixes, so a caller can make every key unknown by
	// default (SetUnknownPrefix("")) and still say which ones are absent.
	missing         map[string]struct{}
	missingPrefixes []string
}

type entry struct {
	vals  []string
	multi bool
}

// NewContext returns an empty context: every key is missing.
func NewContext() *Context {
	return &Context{vals: map[string]entry{}, unknown: map[string]struct{}{}}
}

// Reset empties the context, keeping its memory for the next request.
func (c *Context) Reset() {
	clear(c.vals)
	clear(c.unknown)
	clear(c.missing)
	c.prefixes = c.prefixes[:0]
	c.missingPrefixes = c.missingPrefixes[:0]
}

// Set gives key its values: single-valued with one value, multivalued with
// several (or none). It replaces any earlier setting of the key.
func (c *Context) Set(key string, values ...string) {
	c.set(key, values, len(values) != 1)
}

// SetMulti gives key a multivalued value, even with one element (a JSON
// array in a request context is multivalued whatever its length).
func (c *Context) SetMulti(key string, values []string) {
	c.set(key, values, true)
}

// SetShared is Set (multi false) or SetMulti (multi true) for a caller that
// hands over values: they are kept, not copied, and must not change.
func (c *Context) SetShared(key string, values []string, multi bool) {
	k := strings.ToLower(key)
	delete(c.unknown, k)
	c.vals[k] = entry{vals: values, multi: multi || len(values) != 1}
}

// SetLowerShared is SetShared for a key already in lower case, which the
// batch decoder keeps from line to line instead of lowering it again.
func (c *Context) SetLowerShared(key string, values []string, multi bool) {
	delete(c.unknown, key)
	c.vals[key] = entry{vals: values, multi: multi || len(values) != 1}
}

func (c *Context) set(key string, values []string, multi bool) {
	k := strings.ToLower(key)
	delete(c.unknown, k)
	c.vals[k] = entry{vals: slices.Clone(values), multi: multi}
}

// SetUnknown marks key as present with a value static analysis cannot know.
func (c *Context) SetUnknown(key string) {
	k := strings.ToLower(key)
	delete(c.vals, k)
	c.unknown[k] = struct{}{}
}

// SetMissing marks key as known to be absent, overriding unknown prefixes.
func (c *Context) SetMissing(key string) {
	k := strings.ToLower(key)
	delete(c.vals, k)
	delete(c.unknown, k)
	if c.missing == nil {
		c.missing = map[string]struct{}{}
	}
	c.missing[k] = struct{}{}
}

// SetMissingPrefix marks every key starting with prefix as absent unless
// set, overriding unknown prefixes.
func (c *Context) SetMissingPrefix(prefix string) {
	p := strings.ToLower(prefix)
	if !slices.Contains(c.missingPrefixes, p) {
		c.missingPrefixes = append(c.missingPrefixes, p)
	}
}

// SetUnknownPrefix marks every key that starts with prefix (for example
// "aws:principaltag/") as unknown, except keys given values with Set.
func (c *Context) SetUnknownPrefix(prefix string) {
	p := strings.ToLower(prefix)
	if !slices.Contains(c.prefixes, p) {
		c.prefixes = append(c.prefixes, p)
	}
}

// Lookup implements pattern.Resolver. A key with an empty value list is
// reported Missing: AWS treats a key whose values resolve to an empty data
// set like an absent one (ForAllValues true, ForAnyValue false, Null true).
func (c *Context) Lookup(key string) ([]string, pattern.KeyState) {
	vals, state, _ := c.lookup(strings.ToLower(key))
	return vals, state
}

// lookup takes a lower-case key and also says whether it is multivalued.
func (c *Context) lookup(key string) ([]string, pattern.KeyState, bool) {
	if c == nil {
		return nil, pattern.Missing, false
	}
	if e, ok := c.vals[key]; ok {
		if len(e.vals) == 0 {
			return nil, pattern.Missing, e.multi
		}
		return e.vals, pattern.Present, e.multi
	}
	if _, ok := c.unknown[key]; ok {
		return nil, pattern.KeyUnknown, false
	}
	if _, ok := c.missing[key]; ok {
		return nil, pattern.Missing, false
	}
	for _, p := range c.missingPrefixes {
		if strings.HasPrefix(key, p) {
			return nil, pattern.Missing, false
		}
	}
	for _, p := range c.prefixes {
		if strings.HasPrefix(key, p) {
			return nil, pattern.KeyUnknown, false
		}
	}
	return nil, pattern.Missing, false
}

// IsMulti reports whether key was set as multivalued. It implements
// pattern.MultiValued, so that a multivalued key is never substituted for a
// policy variable.
func (c *Context) IsMulti(key string) bool {
	_, _, m := c.lookup(strings.ToLower(key))
	return m
}

// Keys returns the keys with values and the unknown keys, lower-case and
// sorted; unknown prefixes follow as "prefix*".
func (c *Context) Keys() []string {
	if c == nil {
		return nil
	}
	out := make([]string, 0, len(c.vals)+len(c.unknown)+len(c.prefixes))
	for k := range c.vals {
		out = append(out, k)
	}
	for k := range c.unknown {
		out = append(out, k)
	}
	sort.Strings(out)
	ps := slices.Clone(c.prefixes)
	sort.Strings(ps)
	for _, p := range ps {
		out = append(out, p+"*")
	}
	return out
}

// Clone returns an independent copy, for callers that add keys per request.
func (c *Context) Clone() *Context {
	n := NewContext()
	if c == nil {
		return n
	}
	for k, e := range c.vals {
		n.vals[k] = e // value lists are never modified in place
	}
	for k := range c.unknown {
		n.unknown[k] = struct{}{}
	}
	n.prefixes = slices.Clone(c.prefixes)
	n.missingPrefixes = slices.Clone(c.missingPrefixes)
	for k := range c.missing {
		if n.missing == nil {
			n.missing = map[string]struct{}{}
		}
		n.missing[k] = struct{}{}
	}
	return n
}

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
	// keys and ents hold the keys with values, in the order set; most
	// requests carry a handful, which a scan finds faster than a map
	// does. index maps a key to its position once there are more than
	// smallContext.
	keys     []string
	ents     []entry
	index    map[string]int
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

// smallContext is how many keys a context finds by scanning.
const smallContext = 16

// find returns the position of key among the keys with values, or -1.
func (c *Context) find(key string) int {
	if c.index != nil {
		if i, ok := c.index[key]; ok {
			return i
		}
		return -1
	}
	for i, k := range c.keys {
		if k == key {
			return i
		}
	}
	return -1
}

// put gives key the entry e.
func (c *Context) put(key string, e entry) {
	if i := c.find(key); i >= 0 {
		c.ents[i] = e
		return
	}
	c.keys = append(c.keys, key)
	c.ents = append(c.ents, e)
	switch {
	case c.index != nil:
		c.index[key] = len(c.keys) - 1
	case len(c.keys) > smallContext:
		c.index = make(map[string]int, 2*len(c.keys))
		for i, k := range c.keys {
			c.index[k] = i
		}
	}
}

// remove takes key's value away, if it has one.
func (c *Context) remove(key string) {
	i := c.find(key)
	if i < 0 {
		return
	}
	last := len(c.keys) - 1
	c.keys[i], c.ents[i] = c.keys[last], c.ents[last]
	c.keys[last], c.ents[last] = "", entry{}
	c.keys, c.ents = c.keys[:last], c.ents[:last]
	if c.index != nil {
		delete(c.index, key)
		if i < last {
			c.index[c.keys[i]] = i
		}
	}
}

// NewContext returns an empty context: every key is missing.
func NewContext() *Context {
	return &Context{unknown: map[string]struct{}{}}
}

// Reset empties the context, keeping its memory for the next request.
func (c *Context) Reset() {
	clear(c.keys)
	clear(c.ents)
	c.keys, c.ents, c.index = c.keys[:0], c.ents[:0], nil
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
	c.forgetUnknown(k)
	c.put(k, entry{vals: values, multi: multi || len(values) != 1})
}

// SetLowerShared is SetShared for a key already in lower case, which the
// batch decoder keeps from line to line instead of lowering it again.
func (c *Context) SetLowerShared(key string, values []string, multi bool) {
	c.forgetUnknown(key)
	c.put(key, entry{vals: values, multi: multi || len(values) != 1})
}

func (c *Context) set(key string, values []string, multi bool) {
	k := strings.ToLower(key)
	c.forgetUnknown(k)
	c.put(k, entry{vals: slices.Clone(values), multi: multi})
}

func (c *Context) forgetUnknown(key string) {
	if len(c.unknown) > 0 {
		delete(c.unknown, key)
	}
}

// SetUnknown marks key as present with a value static analysis cannot know.
func (c *Context) SetUnknown(key string) {
	k := strings.ToLower(key)
	c.remove(k)
	c.unknown[k] = struct{}{}
}

// SetMissing marks key as known to be absent, overriding unknown prefixes.
func (c *Context) SetMissing(key string) {
	k := strings.ToLower(key)
	c.remove(k)
	c.forgetUnknown(k)
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
	if i := c.find(key); i >= 0 {
		e := c.ents[i]
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
	out := make([]string, 0, len(c.keys)+len(c.unknown)+len(c.prefixes))
	out = append(out, c.keys...)
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
	// Value lists are never modified in place.
	n.keys, n.ents = slices.Clone(c.keys), slices.Clone(c.ents)
	if c.index != nil {
		n.index = make(map[string]int, len(c.index))
		for k, i := range c.index {
			n.index[k] = i
		}
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

package awsref

// Layout of the actions blob, embedded uncompressed so that it is read in
// place: every string the catalog hands out is a substring of it, and a
// service's per-action details are decoded only when the service is first
// used. Integers are uvarints; a string is its number in the string table; a
// list is a count and that many strings:
//
//	"LCACT" version:byte
//	string table: n, (n+1) × uint32 LE offsets, bytes   (sorted)
//	source, total actions
//	services (ordered by "prefix:"), n × {
//	  prefix, name, flags:byte
//	  resource types: n × {name, ARN template, condition keys list}
//	  condition keys: n × {name, type}
//	  action full names: n × string        (sorted)
//	  details: byte length, then {resources total, references total,
//	           per action: level:byte, levels:bitset byte, condition keys list,
//	           dependent actions list, resources: n × {type, required:byte,
//	           condition keys list, dependent actions list}}
//	}
//	global condition keys: n × {name, type, category}

import (
	"fmt"
	"slices"
	"sync"

	"github.com/lambdacheck/lambdacheck/analyzer/awsref/internal/format"
)

// load decodes the actions blob's index now; per-service details, the
// condition key index, the ARN matchers and the policies on first use.
func load(actions, policies string) (*Catalog, error) {
	c, err := decodeActions(actions)
	if err != nil {
		return nil, fmt.Errorf("actions: %w", err)
	}
	c.policies = sync.OnceValue(func() *policySet {
		p, err := decodePolicies(policies)
		if err != nil {
			// Same reasoning as Default: the embedded blob is tested.
			panic(fmt.Sprintf("catalog: embedded managed policies: %v", err))
		}
		return p
	})
	return c, nil
}

func decodeActions(raw string) (*Catalog, error) {
	r := &format.Reader{S: raw}
	r.Expect(format.ActionsMagic)
	if v := r.Byte(); r.Err == nil && v != format.LayoutVersion {
		return nil, fmt.Errorf("layout version %d, want %d", v, format.LayoutVersion)
	}
	tab := r.ReadTable()
	// Counts are bounded by the bytes left, so corrupt data cannot ask for
	// huge allocations.
	left := func() int { return len(r.S) - r.Off }
	c := &Catalog{source: r.Str(tab)}
	nAct := r.Uvarint(left())
	nSvc := r.Uvarint(min(left(), 1<<16-1)) // svcOf holds uint16
	if r.Err != nil {
		return nil, r.Err
	}
	c.names = make([]string, 0, nAct)
	c.svcOf = make([]uint16, 0, nAct)
	c.services = make([]service, nSvc)
	prefixes := make([]string, nSvc)
	for si := range c.services {
		s := &c.services[si]
		s.prefix, s.name, s.rcp = r.Str(tab), r.Str(tab), r.Byte()&format.FlagRCP != 0
		s.types = make([]ResourceType, r.Uvarint(left()))
		for i := range s.types {
			s.types[i] = ResourceType{Service: s.prefix, Name: r.Str(tab), ARN: r.Str(tab), ConditionKeys: readList(r, tab, nil)}
		}
		s.keys = make([]ConditionKey, r.Uvarint(left()))
		for i := range s.keys {
			s.keys[i] = ConditionKey{Name: r.Str(tab), Type: r.Str(tab), Service: s.prefix}
		}
		nA := r.Uvarint(cap(c.names) - len(c.names))
		s.first = len(c.names)
		for range nA {
			full := r.Str(tab)
			if r.Err != nil {
				return nil, r.Err
			}
			if len(full) <= len(s.prefix)+1 || full[:len(s.prefix)] != s.prefix || full[len(s.prefix)] != ':' {
				return nil, fmt.Errorf("action %q outside service %q: %w", full, s.prefix, format.ErrTruncated)
			}
			if n := len(c.names); n > 0 && c.names[n-1] >= full {
				return nil, fmt.Errorf("action %s out of order: %w", full, format.ErrTruncated)
			}
			c.names = append(c.names, full)
			c.svcOf = append(c.svcOf, uint16(si))
		}
		s.end = len(c.names)
		s.detail = r.Bytes()
		if r.Err != nil {
			return nil, r.Err
		}
		prefixes[si] = s.prefix
	}
	c.globals = make([]ConditionKey, r.Uvarint(left()))
	for i := range c.globals {
		c.globals[i] = ConditionKey{Name: r.Str(tab), Type: r.Str(tab), Category: r.Str(tab), Global: true}
	}
	if r.Err != nil {
		return nil, r.Err
	}
	if r.Off != len(r.S) {
		return nil, fmt.Errorf("%d trailing bytes: %w", len(r.S)-r.Off, format.ErrTruncated)
	}
	c.tab = tab
	c.svcIndex = newFoldIndex(prefixes)
	c.prefixes = slices.Clone(prefixes)
	slices.Sort(c.prefixes)
	c.actIndex = newFoldIndex(c.names)
	c.keyIndex = sync.OnceValue(c.buildKeyIndex)
	c.arns = sync.OnceValue(c.buildARNIndex)
	return c, nil
}

// readList reads a list of strings, appending to slab when it has room so
// that one service's lists share one allocation.
func readList(r *format.Reader, tab format.Table, slab *[]string) []string {
	n := r.Uvarint(len(r.S) - r.Off)
	if n == 0 || r.Err != nil {
		return nil
	}
	var out []string
	if slab != nil && cap(*slab)-len(*slab) >= n {
		start := len(*slab)
		for range n {
			*slab = append(*slab, r.Str(tab))
		}
		out = (*slab)[start:len(*slab):len(*slab)]
	} else {
		out = make([]string, n)
		for i := range out {
			out[i] = r.Str(tab)
		}
	}
	return out
}

// actionsOf returns a service's actions, decoding its details on first use.
func (c *Catalog) actionsOf(s *service) []Action {
	s.once.Do(func() { s.actions, s.err = c.decodeDetail(s) })
	if s.err != nil {
		// Only corrupt embedded data gets here; its tests decode every service.
		panic(fmt.Sprintf("catalog: embedded data for service %s: %v", s.prefix, s.err))
	}
	return s.actions
}

func (c *Catalog) decodeDetail(s *service) ([]Action, error) {
	r := &format.Reader{S: s.detail}
	left := len(s.detail)
	res := make([]ActionResource, 0, r.Uvarint(left))
	refs := make([]string, 0, r.Uvarint(left))
	actions := make([]Action, 0, s.end-s.first)
	for _, full := range c.names[s.first:s.end] {
		lvl, mask := int(r.Byte()), int(r.Byte())
		if r.Err == nil && (lvl >= len(format.Levels) || mask >= len(levelSets) || mask&(1<<lvl) == 0) {
			return nil, fmt.Errorf("action %s: bad access level: %w", full, format.ErrTruncated)
		}
		a := Action{
			Service:          full[:len(s.prefix)],
			Name:             full[len(s.prefix)+1:],
			Level:            AccessLevel(format.Levels[lvl]),
			Levels:           levelSets[mask],
			ConditionKeys:    readList(r, c.tab, &refs),
			DependentActions: readList(r, c.tab, &refs),
			full:             full,
		}
		if n := r.Uvarint(cap(res) - len(res)); n > 0 {
			start := len(res)
			for range n {
				res = append(res, ActionResource{Type: r.Str(c.tab), Required: r.Byte() != 0,
					ConditionKeys: readList(r, c.tab, &refs), DependentActions: readList(r, c.tab, &refs)})
			}
			a.Resources = res[start:len(res):len(res)]
		}
		if r.Err != nil {
			return nil, r.Err
		}
		actions = append(actions, a)
	}
	if r.Off != len(r.S) {
		return nil, fmt.Errorf("service %s: %d trailing bytes: %w", s.prefix, len(r.S)-r.Off, format.ErrTruncated)
	}
	return actions, nil
}

// levelSets holds the Levels slice for each bit set of access levels, so
// actions share them.
var levelSets = func() (sets [1 << len(format.Levels)][]AccessLevel) {
	for mask := range sets {
		for i, l := range format.Levels {
			if mask&(1<<i) != 0 {
				sets[mask] = append(sets[mask], AccessLevel(l))
			}
		}
		sets[mask] = slices.Clip(sets[mask])
	}
	return sets
}()

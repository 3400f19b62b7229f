package catalog

// Layout of the actions blob (after gunzip); all integers are uvarints and
// every string is a number into the string table:
//
//	"LCACT" version:byte
//	strings: n, n × (len, bytes)       sorted
//	source
//	totals: actions, resources, string references
//	services: n, n × {
//	  prefix, name, flags:byte
//	  resource types: n × {name, arn template, keys}
//	  condition keys: n × {name, type}
//	  actions: n × {full name, level:byte, levels:bitset byte, keys, dependent actions,
//	                resources: n × {type, required:byte, keys, dependent actions}}
//	}
//	global condition keys: n × {name, type, category}
//
// A list is n followed by n string numbers. The totals let decoding allocate
// every slice once and hand out sub-slices.

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"

	"github.com/lambdacheck/lambdacheck/analyzer/iam/catalog/internal/format"
)

// gunzip decompresses into a string without a second copy, sizing the
// buffer from the gzip trailer (checked against the real length, so a
// forged trailer only costs a resize).
func gunzip(blob []byte) (string, error) {
	zr, err := gzip.NewReader(bytes.NewReader(blob))
	if err != nil {
		return "", err
	}
	var sb strings.Builder
	if len(blob) >= 4 {
		if n := binary.LittleEndian.Uint32(blob[len(blob)-4:]); n < 64<<20 {
			sb.Grow(int(n))
		}
	}
	if _, err := io.Copy(&sb, zr); err != nil {
		return "", err
	}
	return sb.String(), nil
}

// load decodes the actions blob now and the policies blob on first use.
func load(actionsGz, policiesGz []byte) (*Catalog, error) {
	raw, err := gunzip(actionsGz)
	if err != nil {
		return nil, fmt.Errorf("actions: %w", err)
	}
	c, err := decodeActions(raw)
	if err != nil {
		return nil, fmt.Errorf("actions: %w", err)
	}
	c.arns = sync.OnceValue(c.buildARNIndex)
	c.policies = sync.OnceValue(func() *policySet {
		p, err := decodePolicies(policiesGz)
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
	// Every count is bounded by the remaining input so corrupt data cannot
	// ask for huge allocations.
	left := func() int { return len(r.S) - r.Off }
	nStr := r.Uvarint(left())
	strs := make([]string, nStr)
	for i := range strs {
		strs[i] = r.Bytes()
	}
	str := func() string { return strs[r.Uvarint(len(strs)-1)] }
	if r.Err != nil {
		return nil, r.Err
	}
	if nStr == 0 {
		return nil, fmt.Errorf("empty string table: %w", format.ErrTruncated)
	}
	c := &Catalog{source: str()}
	nAct, nRes, nRef := r.Uvarint(left()), r.Uvarint(left()), r.Uvarint(left())
	if r.Err != nil {
		return nil, r.Err
	}
	c.actions = make([]Action, 0, nAct)
	c.names = make([]string, 0, nAct)
	resSlab := make([]ActionResource, 0, nRes)
	refSlab := make([]string, 0, nRef)
	list := func() []string {
		n := r.Uvarint(cap(refSlab) - len(refSlab))
		if n == 0 {
			return nil
		}
		start := len(refSlab)
		for range n {
			refSlab = append(refSlab, str())
		}
		return refSlab[start:len(refSlab):len(refSlab)]
	}
	var levelSets [1 << len(format.Levels)][]AccessLevel

	nSvc := r.Uvarint(left())
	c.services = make([]service, 0, nSvc)
	prefixes := make([]string, 0, nSvc)
	for range nSvc {
		s := service{prefix: str(), name: str(), rcp: r.Byte()&format.FlagRCP != 0}
		nTypes := r.Uvarint(left())
		s.types = make([]ResourceType, 0, nTypes)
		for range nTypes {
			s.types = append(s.types, ResourceType{Service: s.prefix, Name: str(), ARN: str(), ConditionKeys: list()})
		}
		nKeys := r.Uvarint(left())
		s.keys = make([]ConditionKey, 0, nKeys)
		for range nKeys {
			s.keys = append(s.keys, ConditionKey{Name: str(), Type: str(), Service: s.prefix})
		}
		nA := r.Uvarint(cap(c.actions) - len(c.actions))
		s.first = len(c.actions)
		for range nA {
			full := str()
			if r.Err != nil {
				break
			}
			if len(full) <= len(s.prefix)+1 || full[:len(s.prefix)] != s.prefix || full[len(s.prefix)] != ':' {
				return nil, fmt.Errorf("action %q outside service %q: %w", full, s.prefix, format.ErrTruncated)
			}
			lvl, mask := int(r.Byte()), int(r.Byte())
			if lvl >= len(format.Levels) || mask >= len(levelSets) || mask&(1<<lvl) == 0 {
				return nil, fmt.Errorf("action %s: bad access level: %w", full, format.ErrTruncated)
			}
			if levelSets[mask] == nil {
				for i, l := range format.Levels {
					if mask&(1<<i) != 0 {
						levelSets[mask] = append(levelSets[mask], AccessLevel(l))
					}
				}
				levelSets[mask] = levelSets[mask][:len(levelSets[mask]):len(levelSets[mask])]
			}
			a := Action{
				Service:          full[:len(s.prefix)],
				Name:             full[len(s.prefix)+1:],
				Level:            AccessLevel(format.Levels[lvl]),
				Levels:           levelSets[mask],
				ConditionKeys:    list(),
				DependentActions: list(),
				full:             full,
			}
			nR := r.Uvarint(cap(resSlab) - len(resSlab))
			if nR > 0 {
				start := len(resSlab)
				for range nR {
					resSlab = append(resSlab, ActionResource{Type: str(), Required: r.Byte() != 0, ConditionKeys: list(), DependentActions: list()})
				}
				a.Resources = resSlab[start:len(resSlab):len(resSlab)]
			}
			if r.Err != nil {
				break
			}
			if n := len(c.names); n > 0 && c.names[n-1] >= full {
				return nil, fmt.Errorf("action %s out of order: %w", full, format.ErrTruncated)
			}
			c.actions = append(c.actions, a)
			c.names = append(c.names, full)
		}
		s.end = len(c.actions)
		if r.Err != nil {
			return nil, r.Err
		}
		c.services = append(c.services, s)
		prefixes = append(prefixes, s.prefix)
	}
	nGlob := r.Uvarint(left())
	c.keys = make([]ConditionKey, 0, nGlob)
	for range nGlob {
		c.keys = append(c.keys, ConditionKey{Name: str(), Type: str(), Category: str(), Global: true})
	}
	if r.Err != nil {
		return nil, r.Err
	}
	if r.Off != len(r.S) {
		return nil, fmt.Errorf("%d trailing bytes: %w", len(r.S)-r.Off, format.ErrTruncated)
	}

	c.svcIndex = newFoldIndex(prefixes)
	c.prefixes = append([]string(nil), prefixes...)
	sort.Strings(c.prefixes)
	c.actIndex = newFoldIndex(c.names)
	c.indexConditionKeys()
	return c, nil
}

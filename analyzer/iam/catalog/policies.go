package catalog

import (
	"fmt"
	"strings"

	"github.com/lambdacheck/lambdacheck/analyzer/iam/catalog/internal/format"
)

// ManagedPolicy is an AWS managed policy at its default version.
type ManagedPolicy struct {
	Name string
	// ARN and Path ("/service-role/") are empty for the few deprecated
	// policies whose ARN the reference data could not recover.
	ARN, Path string
	Version   string // default version, "v3"
	Document  []byte // the policy JSON (compact); a fresh copy per call
	// Deprecated policies can no longer be attached but may still be
	// attached to old roles (AWSLambdaFullAccess).
	Deprecated bool
	Note       string // caveat recorded with the data, if any
}

type policyEntry struct {
	name, arn, path, version, note, doc string
	deprecated                          bool
}

type policySet struct {
	list  []policyEntry // sorted by name
	names []string
	index foldIndex
}

// Layout of the policies blob (after gunzip), integers as uvarints:
//
//	"LCPOL" version:byte n, n × {name, arn, path, version, flags:byte, note, document}
//
// where each string is a length and its bytes; entries are sorted by name.
func decodePolicies(raw string) (*policySet, error) {
	r := &format.Reader{S: raw}
	r.Expect(format.PoliciesMagic)
	if v := r.Byte(); r.Err == nil && v != format.LayoutVersion {
		return nil, fmt.Errorf("layout version %d, want %d", v, format.LayoutVersion)
	}
	n := r.Uvarint(len(raw) - r.Off)
	if r.Err != nil {
		return nil, r.Err
	}
	p := &policySet{list: make([]policyEntry, 0, n), names: make([]string, 0, n)}
	for range n {
		e := policyEntry{name: r.Bytes(), arn: r.Bytes(), path: r.Bytes(), version: r.Bytes()}
		e.deprecated = r.Byte()&format.FlagDeprecated != 0
		e.note, e.doc = r.Bytes(), r.Bytes()
		if r.Err != nil {
			return nil, r.Err
		}
		if e.name == "" || (len(p.names) > 0 && p.names[len(p.names)-1] >= e.name) {
			return nil, fmt.Errorf("policy %q out of order: %w", e.name, format.ErrTruncated)
		}
		p.list = append(p.list, e)
		p.names = append(p.names, e.name)
	}
	if r.Off != len(raw) {
		return nil, fmt.Errorf("%d trailing bytes: %w", len(raw)-r.Off, format.ErrTruncated)
	}
	p.index = newFoldIndex(p.names)
	return p, nil
}

// ManagedPolicy looks up an AWS managed policy by name, ignoring case as IAM
// does for names ("AWSLambdaBasicExecutionRole"), or by ARN in any partition
// ("arn:aws-cn:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"),
// where name and path must match exactly. A policy whose ARN is unknown is
// found by any ARN of its name.
func (c *Catalog) ManagedPolicy(nameOrARN string) (ManagedPolicy, bool) {
	set := c.policies()
	name, path, isARN := nameOrARN, "", false
	if strings.HasPrefix(nameOrARN, "arn:") {
		var ok bool
		if name, path, ok = parsePolicyARN(nameOrARN); !ok {
			return ManagedPolicy{}, false
		}
		isARN = true
	}
	i := set.index.find(name)
	if i < 0 {
		return ManagedPolicy{}, false
	}
	e := set.list[i]
	if isARN && (e.name != name || (e.path != "" && e.path != path)) {
		return ManagedPolicy{}, false
	}
	return ManagedPolicy{
		Name: e.name, ARN: e.arn, Path: e.path, Version: e.version,
		Document: []byte(e.doc), Deprecated: e.deprecated, Note: e.note,
	}, true
}

// parsePolicyARN splits "arn:PARTITION:iam::aws:policy/PATH/NAME" into the
// name and the IAM path ("/PATH/", or "/").
func parsePolicyARN(arn string) (name, path string, ok bool) {
	rest := arn[len("arn:"):]
	i := strings.IndexByte(rest, ':')
	if i <= 0 {
		return "", "", false
	}
	rest, ok = strings.CutPrefix(rest[i:], ":iam::aws:policy/")
	if !ok {
		return "", "", false
	}
	j := strings.LastIndexByte(rest, '/')
	name, path = rest[j+1:], "/"+rest[:j+1]
	if name == "" {
		return "", "", false
	}
	return name, path, true
}

// ManagedPolicyNames returns the names of all AWS managed policies, sorted.
func (c *Catalog) ManagedPolicyNames() []string {
	return append([]string(nil), c.policies().names...)
}

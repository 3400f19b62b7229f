package awsref

import (
	"compress/flate"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/lambdacheck/lambdacheck/analyzer/awsref/internal/format"
)

// ManagedPolicy is an AWS managed policy at its default version.
type ManagedPolicy struct {
	Name string
	// ARN (in the aws partition, whatever partition it was looked up by)
	// and Path ("/service-role/") are empty for the few deprecated policies
	// whose ARN the reference data could not recover.
	ARN, Path string
	Version   string // default version, "v3"
	Document  []byte // the policy JSON (compact); a fresh copy per call
	// Deprecated policies can no longer be attached but may still be
	// attached to old roles (AWSLambdaFullAccess).
	Deprecated bool
	Note       string // caveat recorded with the data, if any
}

type policyEntry struct {
	name, path, version, note string
	deprecated                bool
	chunk, off, size          int // the document's place in its chunk
}

type policyChunk struct {
	raw  int    // uncompressed length
	z    string // deflated bytes
	once sync.Once
	text string
	err  error
}

type policySet struct {
	list   []policyEntry // sorted by name
	names  []string
	index  foldIndex
	chunks []policyChunk
}

// Layout of the policies blob; integers are uvarints, a string is a length
// and its bytes, and "deflated" is an uncompressed length then a string of
// raw deflate data:
//
//	"LCPOL" version:byte
//	index: deflated {n, n × {name, path ("" when the ARN is unknown),
//	       version, flags:byte, note, chunk, offset, length}}   (sorted by name)
//	chunks: n × deflated {concatenated compact policy documents}
//
// Only the index is inflated on first use; a chunk when a policy in it is
// first asked for.
func decodePolicies(blob string) (*policySet, error) {
	r := &format.Reader{S: blob}
	r.Expect(format.PoliciesMagic)
	if v := r.Byte(); r.Err == nil && v != format.LayoutVersion {
		return nil, fmt.Errorf("layout version %d, want %d", v, format.LayoutVersion)
	}
	rawLen := r.Uvarint(maxInflated)
	z := r.Bytes()
	if r.Err != nil {
		return nil, r.Err
	}
	raw, err := inflate(z, rawLen)
	if err != nil {
		return nil, fmt.Errorf("index: %w", err)
	}
	p := &policySet{}
	p.chunks = make([]policyChunk, r.Uvarint(len(blob)-r.Off))
	for i := range p.chunks {
		p.chunks[i].raw = r.Uvarint(maxInflated)
		p.chunks[i].z = r.Bytes()
	}
	if r.Err != nil {
		return nil, r.Err
	}
	if r.Off != len(blob) {
		return nil, fmt.Errorf("%d trailing bytes: %w", len(blob)-r.Off, format.ErrTruncated)
	}

	ir := &format.Reader{S: raw}
	n := ir.Uvarint(len(raw))
	p.list = make([]policyEntry, 0, n)
	p.names = make([]string, 0, n)
	for range n {
		e := policyEntry{name: ir.Bytes(), path: ir.Bytes(), version: ir.Bytes()}
		e.deprecated = ir.Byte()&format.FlagDeprecated != 0
		e.note = ir.Bytes()
		e.chunk = ir.Uvarint(len(p.chunks) - 1)
		e.off = ir.Uvarint(maxInflated)
		e.size = ir.Uvarint(maxInflated)
		if ir.Err != nil {
			return nil, fmt.Errorf("index: %w", ir.Err)
		}
		if e.name == "" || (len(p.names) > 0 && p.names[len(p.names)-1] >= e.name) {
			return nil, fmt.Errorf("policy %q out of order: %w", e.name, format.ErrTruncated)
		}
		if e.off+e.size > p.chunks[e.chunk].raw {
			return nil, fmt.Errorf("policy %s: document outside its chunk: %w", e.name, format.ErrTruncated)
		}
		p.list = append(p.list, e)
		p.names = append(p.names, e.name)
	}
	if ir.Off != len(raw) {
		return nil, fmt.Errorf("index: %d trailing bytes: %w", len(raw)-ir.Off, format.ErrTruncated)
	}
	p.index = newFoldIndex(p.names)
	return p, nil
}

// maxInflated bounds a declared uncompressed length, so corrupt data cannot
// ask for a huge buffer.
const maxInflated = 64 << 20

// inflate decompresses raw deflate data that must come to exactly n bytes.
func inflate(z string, n int) (string, error) {
	if n > 1032*len(z)+64 { // deflate cannot expand more than ~1032:1
		return "", fmt.Errorf("declared length %d for %d compressed bytes: %w", n, len(z), format.ErrTruncated)
	}
	zr := flate.NewReader(strings.NewReader(z))
	var sb strings.Builder
	sb.Grow(n)
	if _, err := io.Copy(&sb, io.LimitReader(zr, int64(n)+1)); err != nil {
		return "", err
	}
	if sb.Len() != n {
		return "", fmt.Errorf("inflated %d bytes, declared %d: %w", sb.Len(), n, format.ErrTruncated)
	}
	return sb.String(), nil
}

func (p *policySet) chunk(i int) (string, error) {
	c := &p.chunks[i]
	c.once.Do(func() { c.text, c.err = inflate(c.z, c.raw) })
	return c.text, c.err
}

// document returns e's policy JSON, inflating its chunk on first use.
func (p *policySet) document(e *policyEntry) []byte {
	text, err := p.chunk(e.chunk)
	if err != nil {
		// Only corrupt embedded data gets here; its tests read every policy.
		panic(fmt.Sprintf("catalog: embedded managed policy %s: %v", e.name, err))
	}
	return []byte(text[e.off : e.off+e.size])
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
	e := &set.list[i]
	if isARN && (e.name != name || (e.path != "" && e.path != path)) {
		return ManagedPolicy{}, false
	}
	mp := ManagedPolicy{
		Name: e.name, Path: e.path, Version: e.version,
		Document: set.document(e), Deprecated: e.deprecated, Note: e.note,
	}
	if e.path != "" {
		mp.ARN = "arn:aws:iam::aws:policy" + e.path + e.name
	}
	return mp, true
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

// Package build turns the reference data (the AWS Service Authorization
// Reference and the AWS managed policies, both gzip'd JSON) into the compact
// blobs the catalog package embeds. It is the generator's engine, kept apart
// from the command so the catalog's tests can rebuild the blobs and check the
// committed ones are current.
package build

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/lambdacheck/lambdacheck/analyzer/awsref/internal/format"
)

// Input and output file names.
const (
	ServiceReferenceFile = "iam-service-reference.json.gz"
	ManagedPoliciesFile  = "aws-managed-policies.json.gz"
	ActionsFile          = "actions.bin"  // uncompressed: read in place, see the catalog package
	PoliciesFile         = "policies.bin" // an index and chunks of documents, each deflated
)

type serviceReference struct {
	Services            map[string]service `json:"services"`
	GlobalConditionKeys map[string]struct {
		Type     string `json:"type"`
		Category string `json:"category"`
	} `json:"globalConditionKeys"`
	Meta struct {
		Source string `json:"source"`
	} `json:"meta"`
}

type service struct {
	Name          string `json:"name"`
	RCPSupported  bool   `json:"rcpSupported"`
	Actions       map[string]action
	ResourceTypes map[string]struct {
		ARN           string   `json:"arn"`
		ConditionKeys []string `json:"conditionKeys"`
	} `json:"resourceTypes"`
	ConditionKeys map[string]struct {
		Type string `json:"type"`
	} `json:"conditionKeys"`
}

type action struct {
	Level     string   `json:"level"`
	Levels    []string `json:"levels"`
	Resources []struct {
		Type             string   `json:"type"`
		Required         bool     `json:"required"`
		ConditionKeys    []string `json:"conditionKeys"`
		DependentActions []string `json:"dependentActions"`
	} `json:"resources"`
	ConditionKeys    []string `json:"conditionKeys"`
	DependentActions []string `json:"dependentActions"`
}

func readGzipJSON(path string, v any) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	dec := json.NewDecoder(zr)
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("decode %s: %w", path, err)
	}
	return nil
}

// Actions reads the service reference under dataDir and returns the actions
// blob (layout in the catalog package's decode.go).
func Actions(dataDir string) ([]byte, error) {
	path := filepath.Join(dataDir, ServiceReferenceFile)
	var ref serviceReference
	if err := readGzipJSON(path, &ref); err != nil {
		return nil, err
	}
	return encodeActions(&ref)
}

func encodeActions(ref *serviceReference) ([]byte, error) {
	// Order services by "prefix:" so that the concatenation of their sorted
	// action lists is sorted by full action name ("s3-outposts:…" < "s3:…").
	prefixes := slices.Sorted(maps.Keys(ref.Services))
	sort.Slice(prefixes, func(i, j int) bool { return prefixes[i]+":" < prefixes[j]+":" })

	var st format.StringTable
	var nActions int
	st.Add(ref.Meta.Source)
	for _, p := range prefixes {
		s := ref.Services[p]
		if p == "" || strings.ContainsAny(p, ":*?") {
			return nil, fmt.Errorf("service prefix %q: not a plain prefix", p)
		}
		st.Add(p)
		st.Add(s.Name)
		for t, rt := range s.ResourceTypes {
			st.Add(t)
			st.Add(rt.ARN)
			for _, k := range rt.ConditionKeys {
				st.Add(k)
			}
		}
		for k, ck := range s.ConditionKeys {
			st.Add(k)
			st.Add(ck.Type)
		}
		for name, a := range s.Actions {
			if name == "" || strings.ContainsAny(name, ":*?") {
				return nil, fmt.Errorf("action %s:%q: not a plain name", p, name)
			}
			st.Add(p + ":" + name)
			if _, ok := format.LevelIndex(a.Level); !ok {
				return nil, fmt.Errorf("action %s:%s: unknown access level %q", p, name, a.Level)
			}
			for _, l := range a.Levels {
				if _, ok := format.LevelIndex(l); !ok {
					return nil, fmt.Errorf("action %s:%s: unknown access level %q", p, name, l)
				}
			}
			nActions++
			for _, k := range append(slices.Clip(a.ConditionKeys), a.DependentActions...) {
				st.Add(k)
			}
			for _, r := range a.Resources {
				if _, ok := s.ResourceTypes[r.Type]; !ok {
					return nil, fmt.Errorf("action %s:%s: resource type %q not declared by the service", p, name, r.Type)
				}
				for _, k := range append(slices.Clip(r.ConditionKeys), r.DependentActions...) {
					st.Add(k)
				}
			}
		}
	}
	for k, g := range ref.GlobalConditionKeys {
		st.Add(k)
		st.Add(g.Type)
		st.Add(g.Category)
	}

	w := &format.Writer{}
	w.Raw(format.ActionsMagic)
	w.Byte(format.LayoutVersion)
	st.Freeze(w, sort.Strings)
	st.Ref(w, ref.Meta.Source)
	w.Uvarint(nActions)
	list := func(w *format.Writer, keys []string) {
		w.Uvarint(len(keys))
		for _, k := range keys {
			st.Ref(w, k)
		}
	}
	w.Uvarint(len(prefixes))
	for _, p := range prefixes {
		s := ref.Services[p]
		st.Ref(w, p)
		st.Ref(w, s.Name)
		var flags byte
		if s.RCPSupported {
			flags |= format.FlagRCP
		}
		w.Byte(flags)
		types := slices.Sorted(maps.Keys(s.ResourceTypes))
		w.Uvarint(len(types))
		for _, t := range types {
			st.Ref(w, t)
			st.Ref(w, s.ResourceTypes[t].ARN)
			list(w, s.ResourceTypes[t].ConditionKeys)
		}
		keys := slices.Sorted(maps.Keys(s.ConditionKeys))
		w.Uvarint(len(keys))
		for _, k := range keys {
			st.Ref(w, k)
			st.Ref(w, s.ConditionKeys[k].Type)
		}
		names := slices.Sorted(maps.Keys(s.Actions))
		w.Uvarint(len(names))
		for _, name := range names {
			st.Ref(w, p+":"+name)
		}
		// The per-action details go in a length-prefixed section so the
		// reader can skip it until the service is first used.
		d := &format.Writer{}
		nRes, nRefs := 0, 0
		for _, name := range names {
			a := s.Actions[name]
			nRes += len(a.Resources)
			nRefs += len(a.ConditionKeys) + len(a.DependentActions)
			for _, r := range a.Resources {
				nRefs += len(r.ConditionKeys) + len(r.DependentActions)
			}
		}
		d.Uvarint(nRes)
		d.Uvarint(nRefs)
		for _, name := range names {
			a := s.Actions[name]
			lvl, _ := format.LevelIndex(a.Level)
			d.Byte(byte(lvl))
			mask := byte(1) << lvl
			for _, l := range a.Levels {
				i, _ := format.LevelIndex(l)
				mask |= 1 << i
			}
			d.Byte(mask)
			list(d, a.ConditionKeys)
			list(d, a.DependentActions)
			// Resource order is kept as published: it is the reference's own.
			d.Uvarint(len(a.Resources))
			for _, r := range a.Resources {
				st.Ref(d, r.Type)
				if r.Required {
					d.Byte(1)
				} else {
					d.Byte(0)
				}
				list(d, r.ConditionKeys)
				list(d, r.DependentActions)
			}
		}
		if d.Err != nil {
			return nil, fmt.Errorf("encode actions of %s: %w", p, d.Err)
		}
		w.Bytes(d.Buf)
	}
	globals := slices.Sorted(maps.Keys(ref.GlobalConditionKeys))
	w.Uvarint(len(globals))
	for _, k := range globals {
		g := ref.GlobalConditionKeys[k]
		st.Ref(w, k)
		st.Ref(w, g.Type)
		st.Ref(w, g.Category)
	}
	if w.Err != nil {
		return nil, fmt.Errorf("encode actions: %w", w.Err)
	}
	return w.Buf, nil
}

type managedPolicy struct {
	ARN        *string         `json:"arn"`
	Version    string          `json:"version"`
	Document   json.RawMessage `json:"document"`
	Deprecated bool            `json:"deprecated"`
	Note       string          `json:"note"`
}

// ChunkSize is the uncompressed size after which a chunk of policy
// documents is closed. Deflate looks back only 32 KiB, so 64 KiB chunks
// compress about as well as one stream (+9%) while a lookup inflates one
// chunk instead of all 3.4 MB.
const ChunkSize = 64 << 10

// Policies reads the managed policies under dataDir and returns the policies
// blob (layout in the catalog package's policies.go).
func Policies(dataDir string) ([]byte, error) {
	path := filepath.Join(dataDir, ManagedPoliciesFile)
	var all map[string]managedPolicy
	if err := readGzipJSON(path, &all); err != nil {
		return nil, err
	}
	names := slices.Sorted(maps.Keys(all))
	index := &format.Writer{}
	index.Uvarint(len(names))
	var chunks [][]byte
	var chunk, doc bytes.Buffer
	for _, name := range names {
		p := all[name]
		pth := ""
		if p.ARN != nil {
			var err error
			if pth, err = policyPath(*p.ARN, name); err != nil {
				return nil, fmt.Errorf("policy %s: %w", name, err)
			}
		}
		doc.Reset()
		if err := json.Compact(&doc, p.Document); err != nil {
			return nil, fmt.Errorf("policy %s: document: %w", name, err)
		}
		if doc.Len() == 0 || doc.Bytes()[0] != '{' {
			return nil, fmt.Errorf("policy %s: document is not a JSON object", name)
		}
		index.Bytes([]byte(name))
		index.Bytes([]byte(pth))
		index.Bytes([]byte(p.Version))
		var flags byte
		if p.Deprecated {
			flags |= format.FlagDeprecated
		}
		index.Byte(flags)
		index.Bytes([]byte(p.Note))
		index.Uvarint(len(chunks))
		index.Uvarint(chunk.Len())
		index.Uvarint(doc.Len())
		chunk.Write(doc.Bytes())
		if chunk.Len() >= ChunkSize {
			chunks = append(chunks, bytes.Clone(chunk.Bytes()))
			chunk.Reset()
		}
	}
	if chunk.Len() > 0 {
		chunks = append(chunks, bytes.Clone(chunk.Bytes()))
	}
	w := &format.Writer{}
	w.Raw(format.PoliciesMagic)
	w.Byte(format.LayoutVersion)
	for i, part := range append([][]byte{index.Buf}, chunks...) {
		if i == 1 {
			w.Uvarint(len(chunks))
		}
		z, err := deflate(part)
		if err != nil {
			return nil, err
		}
		w.Uvarint(len(part))
		w.Bytes(z)
	}
	if len(chunks) == 0 {
		w.Uvarint(0)
	}
	return w.Buf, nil
}

// policyPath returns the IAM path ("/", "/service-role/") of an AWS managed
// policy ARN, which must be exactly "arn:aws:iam::aws:policy" + path + name:
// the catalog rebuilds the ARN from the path.
func policyPath(arn, name string) (string, error) {
	const head = "arn:aws:iam::aws:policy/"
	if !strings.HasPrefix(arn, head) || !strings.HasSuffix(arn, "/"+name) || len(arn) < len(head)+len(name) {
		return "", fmt.Errorf("ARN %q is not arn:aws:iam::aws:policy/[path/]%s", arn, name)
	}
	return arn[len(head)-1 : len(arn)-len(name)], nil
}

// deflate compresses at the best level, with no header: the output depends
// only on the input (and the Go release's compress/flate).
func deflate(b []byte) ([]byte, error) {
	var buf bytes.Buffer
	zw, err := flate.NewWriter(&buf, flate.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(b); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

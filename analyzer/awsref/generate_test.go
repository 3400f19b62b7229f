package awsref

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/lambdacheck/lambdacheck/analyzer/awsref/internal/build"
	"github.com/lambdacheck/lambdacheck/analyzer/awsref/internal/format"
)

// dataDir is the repo's ../shared/data, seen from this package.
const dataDir = "../../../shared/data"

// The committed blobs must be what the generator makes of the data today.
func TestGeneratedDataUpToDate(t *testing.T) {
	if _, err := os.Stat(filepath.Join(dataDir, build.ServiceReferenceFile)); err != nil {
		t.Skipf("reference data not present at %s (%v); cannot check the generated files", dataDir, err)
	}
	t.Run(build.ActionsFile, func(t *testing.T) {
		want, err := build.Actions(dataDir)
		if err != nil {
			t.Fatal(err)
		}
		if actionsBlob != string(want) {
			t.Errorf("data/%s is stale (%d bytes, generator makes %d): run go generate ./analyzer/awsref", build.ActionsFile, len(actionsBlob), len(want))
		}
	})
	// Compared decoded, so a change in compress/flate cannot fail it.
	t.Run(build.PoliciesFile, func(t *testing.T) {
		fresh, err := build.Policies(dataDir)
		if err != nil {
			t.Fatal(err)
		}
		want, err := dumpPolicies(string(fresh))
		if err != nil {
			t.Fatal(err)
		}
		got, err := dumpPolicies(policiesBlob)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, want) {
			t.Errorf("data/%s is stale (%d policies, generator makes %d): run go generate ./analyzer/awsref", build.PoliciesFile, len(got), len(want))
		}
	})
}

// dumpPolicies renders every policy of a blob, one line each.
func dumpPolicies(blob string) ([]string, error) {
	p, err := decodePolicies(blob)
	if err != nil {
		return nil, err
	}
	if err := p.checkAll(); err != nil {
		return nil, err
	}
	out := make([]string, len(p.list))
	for i := range p.list {
		e := &p.list[i]
		out[i] = fmt.Sprintf("%s %s %s %v %q %s", e.name, e.path, e.version, e.deprecated, e.note, p.document(e))
	}
	return out, nil
}

const miniReference = `{
 "services": {
  "fx": {"name": "Example", "rcpSupported": true,
   "actions": {
    "GetThing": {"level": "Read", "description": "dropped", "resources": [{"type": "thing", "required": true, "conditionKeys": ["fx:Color"], "dependentActions": ["fx:ListThings"]}], "conditionKeys": ["fx:Color"], "dependentActions": ["fx:ListThings"]},
    "ListThings": {"level": "List", "description": "", "resources": [], "conditionKeys": []},
    "TagThing": {"level": "Tagging", "levels": ["Tagging", "Write"], "description": "", "resources": [{"type": "thing", "required": false}], "conditionKeys": ["aws:TagKeys"]}},
   "resourceTypes": {"thing": {"arn": "arn:${Partition}:fx:${Region}:${Account}:thing/${ThingName}", "conditionKeys": []}},
   "conditionKeys": {"fx:Color": {"type": "String", "description": "dropped"}}},
  "fx-two": {"name": "Example Two",
   "actions": {"GetThing": {"level": "Write", "description": "", "resources": [], "conditionKeys": []}},
   "resourceTypes": {}, "conditionKeys": {}}
 },
 "globalConditionKeys": {"aws:SourceArn": {"type": "ARN", "category": "request"}},
 "meta": {"source": "mini"}
}`

const miniPolicies = `{
 "Alpha": {"arn": "arn:aws:iam::aws:policy/service-role/Alpha", "version": "v2", "document": {"Version": "2012-10-17", "Statement": [ {"Effect": "Allow", "Action": "fx:GetThing", "Resource": "*"} ]}},
 "Beta": {"arn": null, "version": "v1", "deprecated": true, "note": "old", "document": {"Statement": []}}
}`

func writeGz(tb testing.TB, path, content string) {
	tb.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write([]byte(content))
	zw.Close()
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		tb.Fatal(err)
	}
}

// miniBlobs runs the generator on a tiny hand-written dataset.
func miniBlobs(tb testing.TB) (actions, policies []byte) {
	tb.Helper()
	dir := tb.TempDir()
	writeGz(tb, filepath.Join(dir, build.ServiceReferenceFile), miniReference)
	writeGz(tb, filepath.Join(dir, build.ManagedPoliciesFile), miniPolicies)
	a, err := build.Actions(dir)
	if err != nil {
		tb.Fatal(err)
	}
	p, err := build.Policies(dir)
	if err != nil {
		tb.Fatal(err)
	}
	return a, p
}

func TestGenerator_roundTripKeepsEngineFields(t *testing.T) {
	rawA, rawP := miniBlobs(t)
	if bytes.Contains(rawA, []byte("dropped")) {
		t.Error("descriptions were kept")
	}
	c, err := load(string(rawA), string(rawP))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.checkAll(); err != nil {
		t.Fatal(err)
	}
	// "fx-two:" sorts before "fx:", and Actions must follow full-name order.
	var names []string
	for _, a := range c.Actions() {
		names = append(names, a.FullName())
	}
	if want := []string{"fx-two:GetThing", "fx:GetThing", "fx:ListThings", "fx:TagThing"}; !slices.Equal(names, want) {
		t.Errorf("actions = %q, want %q", names, want)
	}
	if got := c.Services(); !slices.Equal(got, []string{"fx", "fx-two"}) {
		t.Errorf("Services = %q", got)
	}
	get, _ := c.Action("FX:getthing")
	if len(get.Resources) != 1 || !get.Resources[0].Required || get.Resources[0].Type != "thing" ||
		!slices.Equal(get.Resources[0].ConditionKeys, []string{"fx:Color"}) ||
		!slices.Equal(get.Resources[0].DependentActions, []string{"fx:ListThings"}) ||
		!slices.Equal(get.DependentActions, []string{"fx:ListThings"}) {
		t.Errorf("fx:GetThing = %+v", get)
	}
	tag, _ := c.Action("fx:TagThing")
	if tag.Level != Tagging || !slices.Equal(tag.Levels, []AccessLevel{Write, Tagging}) {
		t.Errorf("fx:TagThing levels = %q %q", tag.Level, tag.Levels)
	}
	if got := c.Expand("fx*:Get*"); !slices.Equal(got, []string{"fx-two:GetThing", "fx:GetThing"}) {
		t.Errorf("Expand = %q", got)
	}
	if got := c.ResourceTypesOf("arn:aws:fx:us-east-1:123456789012:thing/t1"); !slices.Equal(got, []string{"thing"}) {
		t.Errorf("ResourceTypesOf = %q", got)
	}
	if k, ok := c.ConditionKey("fx:color"); !ok || k.Type != "String" || k.Service != "fx" {
		t.Errorf("ConditionKey(fx:color) = %+v %v", k, ok)
	}
	a, ok := c.ManagedPolicy("arn:aws:iam::aws:policy/service-role/Alpha")
	if !ok || a.Version != "v2" || string(a.Document) != `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"fx:GetThing","Resource":"*"}]}` {
		t.Errorf("Alpha = %+v (document keeps key order, compacted)", a)
	}
	b, ok := c.ManagedPolicy("beta")
	if !ok || !b.Deprecated || b.ARN != "" || b.Note != "old" {
		t.Errorf("Beta = %+v", b)
	}
}

func TestGenerator_rejectsUndeclaredResourceType(t *testing.T) {
	dir := t.TempDir()
	bad := bytes.Replace([]byte(miniReference), []byte(`"type": "thing", "required": true`), []byte(`"type": "gadget", "required": true`), 1)
	writeGz(t, filepath.Join(dir, build.ServiceReferenceFile), string(bad))
	if _, err := build.Actions(dir); err == nil {
		t.Error("generator accepted an action naming an undeclared resource type")
	}
}

// Corrupt or truncated blobs give errors, never panics.
func TestDecode_corruptDataIsAnError(t *testing.T) {
	rawA, rawP := miniBlobs(t)
	for _, tt := range []struct {
		name   string
		raw    []byte
		decode func(string) error
	}{
		{"actions", rawA, func(s string) error {
			c, err := decodeActions(s)
			if err == nil {
				err = c.checkAll()
			}
			return err
		}},
		{"policies", rawP, func(s string) error {
			p, err := decodePolicies(s)
			if err == nil {
				err = p.checkAll()
			}
			return err
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.decode(string(tt.raw)); err != nil {
				t.Fatalf("intact blob: %v", err)
			}
			for n := 0; n < len(tt.raw); n++ {
				if err := tt.decode(string(tt.raw[:n])); err == nil {
					t.Errorf("truncated at %d of %d: no error", n, len(tt.raw))
				} else if n > 6 && !errors.Is(err, format.ErrTruncated) {
					t.Errorf("truncated at %d: error %v is not ErrTruncated", n, err)
				}
			}
			if err := tt.decode(string(tt.raw) + "x"); err == nil {
				t.Error("trailing byte: no error")
			}
			// Flipped bytes may still decode (a different string number),
			// but must not panic.
			for i := range tt.raw {
				b := bytes.Clone(tt.raw)
				b[i] ^= 0xff
				tt.decode(string(b))
			}
		})
	}
	if _, err := load("not a catalog", ""); err == nil {
		t.Error("load accepted a blob without the header")
	}
}

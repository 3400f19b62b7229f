package inventory

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/lambdacheck/lambdacheck/analyzer/loc"
)

func TestSnapshotRoundTrip(t *testing.T) {
	in := &Inventory{
		Source:    Source{Kind: "terraform", Path: "app"},
		Partition: "aws", Account: "123456789012", Region: "eu-west-1",
		Functions: []Function{{
			Origin: Origin{Address: `aws_lambda_function.f["a"]`, Span: loc.At("main.tf", 3)},
			Name:   "a", ARN: "arn:aws:lambda:eu-west-1:123456789012:function:a",
			ReservedConcurrency: -1,
			Environment:         []EnvVar{{Key: "DB_PASSWORD", LooksSecret: true}},
			ResourcePolicies: []QualifiedPolicy{{Qualifier: "live", Policy: Policy{
				Document: json.RawMessage(`{"Version":"2012-10-17","Statement":[]}`),
			}}},
			Unknown: []Unknown{{Field: "role", Reason: "var.role has no value", Span: loc.At("main.tf", 5)}},
		}},
	}
	var buf bytes.Buffer
	if err := Write(&buf, in); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `"schema": 2`) {
		t.Fatalf("snapshot lacks schema 2:\n%s", buf.String())
	}
	out, err := Decode(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if out.Schema != SchemaVersion || out.Functions[0].Address != `aws_lambda_function.f["a"]` ||
		out.Functions[0].Unknown[0].Field != "role" ||
		compact(t, out.Functions[0].ResourcePolicies[0].Document) != `{"Version":"2012-10-17","Statement":[]}` {
		t.Fatalf("round trip lost data: %+v", out.Functions[0])
	}
}

// The indented writer re-indents embedded documents; what must survive is
// their content, and a second write must give the same bytes.
func compact(t *testing.T, raw json.RawMessage) string {
	t.Helper()
	var buf bytes.Buffer
	if err := json.Compact(&buf, raw); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func TestSnapshotWriteIsStable(t *testing.T) {
	in := &Inventory{Roles: []Role{{Name: "r", TrustPolicy: &Policy{Document: json.RawMessage(`{"a":[1, 2]}`)}}}}
	var first, second bytes.Buffer
	if err := Write(&first, in); err != nil {
		t.Fatal(err)
	}
	out, err := Decode(first.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if err := Write(&second, out); err != nil {
		t.Fatal(err)
	}
	if first.String() != second.String() {
		t.Fatalf("second write differs:\n%s\n---\n%s", first.String(), second.String())
	}
}

func TestSnapshotSchemaChecks(t *testing.T) {
	cases := []struct {
		name    string
		in      string
		wantErr string
		notSnap bool
	}{
		{name: "schema 1 accepted", in: `{"schema":1,"functions":[]}`},
		{name: "schema 2 accepted", in: `{"schema":2,"functions":[],"coverage":[]}`},
		{name: "unknown fields ignored within a version", in: `{"schema":1,"future":true}`},
		{name: "missing schema is not a snapshot", in: `{"format_version":"1.2"}`, notSnap: true},
		{name: "newer schema refused", in: `{"schema":3}`, wantErr: "schema 3 is not supported"},
		{name: "older schema refused", in: `{"schema":0}`, wantErr: "schema 0 is not supported"},
		{name: "schema must be integer", in: `{"schema":"1"}`, wantErr: "must be an integer"},
		{name: "syntax error has line and column", in: "{\"schema\":1,\n \"functions\": [}", wantErr: "line 2, column"},
		{name: "type error has line and column", in: "{\"schema\":1,\n\"functions\": 3}", wantErr: "line 2, column"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Decode([]byte(tc.in))
			switch {
			case tc.notSnap:
				if !errors.Is(err, ErrNotSnapshot) {
					t.Fatalf("err = %v, want ErrNotSnapshot", err)
				}
			case tc.wantErr == "":
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
			default:
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
			}
		})
	}
}

// A schema 1 snapshot reads as schema 2 without coverage, and is written
// back as schema 2.
func TestSchema1IsUpgraded(t *testing.T) {
	inv, err := Decode([]byte(`{"schema":1,"warnings":[{"service":"Lambda","operation":"GetPolicy","message":"denied"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if inv.Schema != SchemaVersion || len(inv.Coverage) != 0 || len(inv.Warnings) != 1 {
		t.Fatalf("inv = %+v", inv)
	}
	if err := Write(&bytes.Buffer{}, inv); err != nil {
		t.Fatal(err)
	}
	if c := inv.Completeness(); c.Live || len(c.Blocking) != 0 {
		t.Fatalf("a snapshot without coverage is not judged: %+v", c)
	}
}

func TestWriteRefusesOtherSchema(t *testing.T) {
	if err := Write(&bytes.Buffer{}, &Inventory{Schema: 7}); err == nil {
		t.Fatal("Write accepted schema 7")
	}
}

func FuzzDecode(f *testing.F) {
	f.Add([]byte(`{"schema":1,"functions":[{"name":"a"}]}`))
	f.Add([]byte(`{"schema":2}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		inv, err := Decode(data)
		if err != nil {
			return
		}
		// Whatever decodes must write back and read again.
		var buf bytes.Buffer
		if err := Write(&buf, inv); err != nil {
			t.Fatalf("write after decode: %v", err)
		}
		if _, err := Decode(buf.Bytes()); err != nil {
			t.Fatalf("re-decode: %v", err)
		}
	})
}

package policydoc

import (
	"encoding/json"
	"strings"
	"testing"
)

// The expected outputs were produced by hashicorp/aws 5.100's
// aws_iam_policy_document for the same configuration (see
// analyzer/terraform/testdata/plans/policydoc for the planned cases).
func TestRender(t *testing.T) {
	cases := []struct {
		name string
		cfg  Config
		want string // minified
	}{
		{
			name: "set arguments are de-duplicated and reverse sorted, single values collapse",
			cfg: Config{Statements: []Statement{{Actions: []string{"s3:GetObject", "s3:PutObject", "s3:GetObject"},
				Resources: []string{"arn:aws:s3:::b/&{aws:username}"}}}},
			want: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:PutObject","s3:GetObject"],"Resource":"arn:aws:s3:::b/${aws:username}"}]}`,
		},
		{
			name: "principals merge by type and wildcard principal is a string",
			cfg: Config{Statements: []Statement{
				{Effect: "Deny", Actions: []string{"*"}, Principals: []Principal{{Type: "*", Identifiers: []string{"*"}}}},
				{Actions: []string{"a:b"}, Principals: []Principal{{Type: "AWS", Identifiers: []string{"1", "2"}}, {Type: "AWS", Identifiers: []string{"3"}}}},
			}},
			want: `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Principal":"*"},{"Effect":"Allow","Action":"a:b","Principal":{"AWS":["2","1","3"]}}]}`,
		},
		{
			name: "condition values keep their order and same test and key concatenate",
			cfg: Config{Statements: []Statement{{Actions: []string{"a:b"}, Conditions: []Condition{
				{Test: "StringEquals", Variable: "k", Values: []string{"2", "1"}},
				{Test: "StringEquals", Variable: "k", Values: []string{"3"}},
				{Test: "Bool", Variable: "aws:SecureTransport", Values: []string{"false"}},
			}}}},
			want: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"a:b","Condition":{"Bool":{"aws:SecureTransport":"false"},"StringEquals":{"k":["2","1","3"]}}}]}`,
		},
		{
			name: "override replaces a statement by Sid in place and appends others; Id adopted, Version upgraded",
			cfg: Config{Version: "2008-10-17",
				SourcePolicyDocuments:   []string{`{"Version":"2012-10-17","Id":"src","Statement":[{"Sid":"A","Effect":"Allow","Action":["x:y"],"Resource":"*"},{"Sid":"B","Effect":"Allow","Action":"b:b","Resource":"*"}]}`},
				Statements:              []Statement{{Sid: "A", Actions: []string{"q:q"}}},
				OverridePolicyDocuments: []string{`{"Statement":[{"Sid":"B","Effect":"Deny","Action":"b:b","Resource":"*"},{"Effect":"Allow","Action":"o:p","Resource":"*"}]}`},
			},
			want: `{"Version":"2012-10-17","Id":"src","Statement":[{"Sid":"A","Effect":"Allow","Action":"q:q"},{"Sid":"B","Effect":"Deny","Action":"b:b","Resource":"*"},{"Effect":"Allow","Action":"o:p","Resource":"*"}]}`,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out, err := Render(tc.cfg)
			if err != nil {
				t.Fatal(err)
			}
			if out.MinifiedJSON != tc.want {
				t.Fatalf("got  %s\nwant %s", out.MinifiedJSON, tc.want)
			}
			if !strings.HasPrefix(out.JSON, "{\n  \"Version\"") {
				t.Fatalf("json is not indented: %s", out.JSON)
			}
		})
	}
}

func TestRenderErrors(t *testing.T) {
	cases := []struct {
		name string
		cfg  Config
		want string
	}{
		{"duplicate Sid in statements", Config{Statements: []Statement{{Sid: "A"}, {Sid: "A"}}}, "duplicate Sid (A)"},
		{"duplicate Sid across source documents", Config{SourcePolicyDocuments: []string{`{"Statement":[{"Sid":"A"}]}`, `{"Statement":[{"Sid":"A"}]}`}}, "duplicate Sid (A) in source_policy_documents (item 1)"},
		{"source Statement must be a list, as the provider requires", Config{SourcePolicyDocuments: []string{`{"Statement":{"Sid":"A"}}`}}, "merging source document 0"},
		{"source condition lists must hold strings", Config{SourcePolicyDocuments: []string{`{"Statement":[{"Condition":{"Bool":{"k":[true]}}}]}`}}, "must be strings"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Render(tc.cfg)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
		})
	}
}

func FuzzRender(f *testing.F) {
	f.Add(`{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Action":["s3:*"],"Resource":"*","Principal":{"AWS":["a","b"]},"Condition":{"Bool":{"x":true}}}]}`, "q:q")
	f.Add(`{"Statement":[null]}`, "")
	f.Add(`{"Statement":[{"Principal":"*","NotPrincipal":{"AWS":"x"}}]}`, "a")
	f.Fuzz(func(t *testing.T, source, action string) {
		out, err := Render(Config{SourcePolicyDocuments: []string{source}, OverridePolicyDocuments: []string{source},
			Statements: []Statement{{Sid: "A", Actions: []string{action}, Principals: []Principal{{Type: "AWS", Identifiers: []string{action, "x"}}}}}})
		if err != nil {
			return
		}
		if !json.Valid([]byte(out.JSON)) || !json.Valid([]byte(out.MinifiedJSON)) {
			t.Fatalf("invalid JSON: %s", out.JSON)
		}
	})
}

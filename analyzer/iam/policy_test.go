package iam

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// Validation errors name the policy, the JSON path and the line.
func TestParseErrorsNamePathAndLine(t *testing.T) {
	doc := "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"},\n    {\"Effect\": \"allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}\n  ]\n}"
	_, err := Parse([]byte(doc), IdentityPolicy, Source{Name: "app-policy", File: "main.tf", Line: 10})
	var pe *PolicyError
	if !errors.As(err, &pe) {
		t.Fatalf("want *PolicyError, got %v", err)
	}
	if pe.Path != "Statement[1].Effect" || pe.Line != 14 || pe.File != "main.tf" {
		t.Fatalf("error located at %s %s:%d, want Statement[1].Effect main.tf:14 (%v)", pe.Path, pe.File, pe.Line, err)
	}
	for _, want := range []string{`"app-policy"`, "main.tf:14", "Statement[1].Effect", `"allow"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %s", err, want)
		}
	}
}

func TestParseValidation(t *testing.T) {
	cases := []struct {
		name, kind, doc, path, msg string
	}{
		{"unknown top-level element", "identity", `{"Version":"2012-10-17","Statment":[]}`, "Statment", "unknown policy element"},
		{"bad version", "identity", `{"Version":"2012-10-18","Statement":[]}`, "Version", "2012-10-17"},
		{"statement must be object", "identity", `{"Statement":["x"]}`, "Statement[0]", "must be an object"},
		{"missing effect", "identity", `{"Statement":{"Action":"s3:*","Resource":"*"}}`, "Statement", "missing the Effect"},
		{"missing action", "identity", `{"Statement":{"Effect":"Allow","Resource":"*"}}`, "Statement", "missing the Action"},
		{"action and notaction", "identity", `{"Statement":{"Effect":"Allow","Action":"s3:*","NotAction":"s3:*","Resource":"*"}}`, "Statement.NotAction", "not both"},
		{"action without colon", "identity", `{"Statement":{"Effect":"Allow","Action":["s3:*","s3GetObject"],"Resource":"*"}}`, "Statement.Action[1]", "service:action"},
		{"empty action list", "identity", `{"Statement":{"Effect":"Allow","Action":[],"Resource":"*"}}`, "Statement.Action", "empty list"},
		{"action of wrong type", "identity", `{"Statement":{"Effect":"Allow","Action":5,"Resource":"*"}}`, "Statement.Action", "string or a list"},
		{"identity policy with principal", "identity", `{"Statement":{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}}`, "Statement", "cannot have a Principal"},
		{"identity policy without resource", "identity", `{"Statement":{"Effect":"Allow","Action":"s3:*"}}`, "Statement", "missing the Resource"},
		{"resource policy without principal", "resource", `{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}`, "Statement", "need a Principal"},
		{"principal string other than star", "resource", `{"Statement":{"Effect":"Allow","Principal":"111111111111","Action":"s3:*"}}`, "Statement.Principal", "must be"},
		{"unknown principal type", "resource", `{"Statement":{"Effect":"Allow","Principal":{"IAM":"x"},"Action":"s3:*"}}`, "Statement.Principal.IAM", "unknown principal type"},
		{"partial wildcard principal", "resource", `{"Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:role/*"},"Action":"s3:*"}}`, "Statement.Principal.AWS", "wildcards"},
		{"duplicate sid in resource policy", "resource", `{"Statement":[{"Sid":"a","Effect":"Allow","Principal":"*","Action":"s3:*"},{"Sid":"a","Effect":"Allow","Principal":"*","Action":"s3:*"}]}`, "Statement[1].Sid", "duplicate Sid"},
		{"rcp principal must be star", "rcp", `{"Statement":{"Effect":"Deny","Principal":{"AWS":"111111111111"},"Action":"s3:*","Resource":"*"}}`, "Statement", "must have"},
		{"condition value object", "identity", `{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"k":{"x":1}}}}}`, `Statement.Condition.StringEquals["k"]`, "condition values"},
		{"condition operator not object", "identity", `{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":"x"}}}`, "Statement.Condition.StringEquals", "must be an object"},
		{"invalid json", "identity", `{"Statement":`, "", "invalid JSON"},
	}
	kinds := map[string]Kind{"identity": IdentityPolicy, "resource": ResourcePolicy, "rcp": ResourceControlPolicy}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse([]byte(c.doc), kinds[c.kind], Source{Name: "p"})
			var pe *PolicyError
			if !errors.As(err, &pe) {
				t.Fatalf("want *PolicyError, got %v", err)
			}
			if pe.Path != c.path || !strings.Contains(pe.Msg, c.msg) {
				t.Fatalf("got path %q msg %q, want path %q msg containing %q", pe.Path, pe.Msg, c.path, c.msg)
			}
		})
	}
}

func TestParseStatementShapes(t *testing.T) {
	single, err := Parse([]byte(`{"Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}`), IdentityPolicy, Source{})
	if err != nil {
		t.Fatal(err)
	}
	if len(single.Statements) != 1 || single.Statements[0].Actions[0] != "s3:GetObject" {
		t.Fatalf("single-object Statement parsed as %+v", single.Statements)
	}
	// Policy variables are literal text without Version 2012-10-17.
	old, err := Parse([]byte(`{"Version":"2008-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/${aws:username}"}}`), IdentityPolicy, Source{})
	if err != nil {
		t.Fatal(err)
	}
	if old.Statements[0].resources[0].HasVariables() {
		t.Fatal("2008-10-17 policy compiled ${aws:username} as a variable")
	}
}

func TestParsePrincipal(t *testing.T) {
	cases := []struct {
		in      string
		kind    PrincipalKind
		account string
		role    string
	}{
		{"arn:aws:iam::111111111111:user/alice", PrincipalUser, "111111111111", ""},
		{"arn:aws:iam::111111111111:role/path/app", PrincipalRoleSession, "111111111111", "app"},
		{"arn:aws:sts::111111111111:assumed-role/app/sess", PrincipalRoleSession, "111111111111", "app"},
		{"arn:aws:sts::111111111111:federated-user/bob", PrincipalFederatedUser, "111111111111", ""},
		{"arn:aws:iam::111111111111:root", PrincipalRoot, "111111111111", ""},
		{"111111111111", PrincipalRoot, "111111111111", ""},
		{"s3.amazonaws.com", PrincipalService, "", ""},
		{"", PrincipalAnonymous, "", ""},
	}
	for _, c := range cases {
		p, err := ParsePrincipal(c.in)
		if err != nil {
			t.Fatalf("ParsePrincipal(%q): %v", c.in, err)
		}
		if p.Kind != c.kind || p.Account != c.account || p.RoleName != c.role {
			t.Errorf("ParsePrincipal(%q) = kind %d account %q role %q", c.in, p.Kind, p.Account, p.RoleName)
		}
	}
	for _, bad := range []string{"arn:aws:iam::12:user/x", "arn:aws:sts::111111111111:assumed-role/app", "not a principal", "arn:aws:s3:::bucket"} {
		if _, err := ParsePrincipal(bad); err == nil {
			t.Errorf("ParsePrincipal(%q) accepted an invalid principal", bad)
		}
	}
}

func TestARNAccount(t *testing.T) {
	for in, want := range map[string]string{
		"arn:aws:s3:::bucket/key":                               "",
		"arn:aws:sqs:eu-west-1:111111111111:q":                  "111111111111",
		"arn:aws:lambda:eu-west-1:111111111111:function:f:live": "111111111111",
		"*":            "",
		"arn:aws:iam:": "",
	} {
		if got := arnAccount(in); got != want {
			t.Errorf("arnAccount(%q) = %q, want %q", in, got, want)
		}
	}
}

// A repeated key anywhere in a policy is refused with the line of the repeat
// and of the first occurrence: read as "last one wins" a second Statement
// would erase the first, and a second Effect would flip it.
func TestParseDuplicateKeys(t *testing.T) {
	cases := []struct {
		name, doc, key string
		line, first    int
	}{
		{"statement", "{\n\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"},\n\"Statement\":[]\n}", "Statement", 3, 2},
		{"effect", "{\"Statement\":{\n\"Effect\":\"Allow\",\n\"Effect\":\"Deny\",\n\"Action\":\"*\",\"Resource\":\"*\"}}", "Effect", 3, 2},
		{"action", "{\"Statement\":{\"Effect\":\"Allow\",\n\"Action\":\"s3:GetObject\",\n\"Action\":\"s3:PutObject\",\"Resource\":\"*\"}}", "Action", 3, 2},
		{"condition operator", "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{\n\"StringEquals\":{\"aws:SourceAccount\":\"1\"},\n\"StringEquals\":{}}}}", "StringEquals", 3, 2},
		{"condition key", "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{\"StringEquals\":{\n\"aws:SourceAccount\":\"1\",\n\n\"aws:SourceAccount\":\"2\"}}}}", "aws:SourceAccount", 4, 2},
		{"principal type", "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\",\"Principal\":{\n\"AWS\":\"111111111111\",\n\"AWS\":\"*\"}}}", "AWS", 3, 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			kind := IdentityPolicy
			if strings.Contains(c.doc, "Principal") {
				kind = ResourcePolicy
			}
			_, err := Parse([]byte(c.doc), kind, Source{Name: "p", File: "main.tf", Line: 1})
			var pe *PolicyError
			if !errors.As(err, &pe) {
				t.Fatalf("want *PolicyError, got %v", err)
			}
			if pe.Line != c.line || pe.File != "main.tf" {
				t.Errorf("error at %s:%d, want main.tf:%d (%v)", pe.File, pe.Line, c.line, err)
			}
			for _, want := range []string{`duplicate key "` + c.key + `"`, fmt.Sprintf("first at line %d", c.first)} {
				if !strings.Contains(pe.Msg, want) {
					t.Errorf("message %q does not contain %q", pe.Msg, want)
				}
			}
		})
	}
}

// Objects past the linear-scan size find duplicates through the map, both
// among the members before the switch and among those after it.
func TestParseJSONDuplicateKeysInLargeObjects(t *testing.T) {
	for _, dupAt := range []int{3, dupScanLimit + 5} {
		var b strings.Builder
		b.WriteString("{")
		for i := 0; i < 2*dupScanLimit; i++ {
			fmt.Fprintf(&b, "%q:1,", fmt.Sprintf("k%d", i))
		}
		fmt.Fprintf(&b, "%q:2}", fmt.Sprintf("k%d", dupAt))
		_, err := parseJSON([]byte(b.String()))
		var se *jsonSyntaxError
		if !errors.As(err, &se) || !strings.Contains(se.msg, fmt.Sprintf(`duplicate key "k%d"`, dupAt)) || se.first < 0 {
			t.Fatalf("duplicate k%d: got %v", dupAt, err)
		}
	}
	// Distinct keys, and the same key in sibling objects, are fine.
	if _, err := parseJSON([]byte(`{"a":{"x":1},"b":{"x":2},"A":3}`)); err != nil {
		t.Fatal(err)
	}
}

// A statement can repeat neither Action nor NotAction; the message says
// which mistake it is (a tree built without the JSON reader's check).
func TestRepeatedElementMessage(t *testing.T) {
	stmt := &jsonValue{kind: jsonObject, elems: []jsonValue{{key: "Action"}, {key: "Action"}, {key: "NotAction"}}}
	if got := twice(stmt, 1, "Action", "NotAction"); !strings.Contains(got, "duplicate Action element") {
		t.Errorf("repeated Action: %q", got)
	}
	if got := twice(stmt, 2, "Action", "NotAction"); !strings.Contains(got, "not both") {
		t.Errorf("Action with NotAction: %q", got)
	}
}

func TestNotPrincipalWithAllowRaisesNotice(t *testing.T) {
	doc := `{"Version":"2012-10-17","Statement":[
 {"Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"s3:*","Resource":"*"},
 {"Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::111111111111:role/app"},"Action":"s3:GetObject","Resource":"*"}]}`
	p, err := Parse([]byte(doc), ResourcePolicy, Source{Name: "bucket"})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Notices) != 1 || p.Notices[0].Statement != 1 || p.Notices[0].Line != 3 || !strings.Contains(p.Notices[0].Msg, "NotPrincipal") {
		t.Fatalf("want one notice on Statement[1] line 3, got %+v", p.Notices)
	}
}

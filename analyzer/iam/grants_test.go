package iam

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

func parseOne(t *testing.T, statement string) *Statement {
	t.Helper()
	pol, err := Parse([]byte(`{"Version":"2012-10-17","Statement":[`+statement+`]}`), IdentityPolicy, Source{Name: "p"})
	if err != nil {
		t.Fatal(err)
	}
	return pol.Statements[0]
}

func TestActionScope(t *testing.T) {
	cases := []struct {
		pattern string
		want    ActionScope
	}{
		{"*", AllActions},
		{"*:*", AllActions},
		{"**:**", AllActions},
		{"s3:*", ServiceActions},
		{"S3:**", ServiceActions},
		{"s*:*", ServiceActions},
		{"s3:Get*", SomeActions},
		{"s3:?*", SomeActions},
		{"*:GetObject", SomeActions},
		{"iam:PassRole", SomeActions},
	}
	for _, c := range cases {
		s := parseOne(t, `{"Effect":"Allow","Action":"`+c.pattern+`","Resource":"*"}`)
		if got := s.ActionScope(0); got != c.want {
			t.Errorf("ActionScope(%q) = %d, want %d", c.pattern, got, c.want)
		}
	}
}

func TestPatternMatches(t *testing.T) {
	cases := []struct {
		pattern, action string
		want            bool
	}{
		{"iam:PassRole", "IAM:passrole", true},
		{"iam:Put*Policy", "iam:PutRolePolicy", true},
		{"iam:Put*Policy", "iam:PutRolePolicyX", false},
		{"i?m:PassRole", "iam:PassRole", true},
		{"*:CreateAccessKey", "iam:CreateAccessKey", true},
		{"*:CreateAccessKey", "iam:PassRole", false},
		{"*", "iam:PassRole", true},
		{"sts:Assume*", "iam:PassRole", false},
	}
	for _, c := range cases {
		s := parseOne(t, `{"Effect":"Allow","Action":["s3:GetObject","`+c.pattern+`"],"Resource":"*"}`)
		if got := s.PatternMatches(1, c.action); got != c.want {
			t.Errorf("PatternMatches(%q, %q) = %v, want %v", c.pattern, c.action, got, c.want)
		}
	}
	// One pattern alone: NotAction does not invert it.
	if s := parseOne(t, `{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}`); !s.PatternMatches(0, "iam:PassRole") {
		t.Error("PatternMatches inverted by NotAction")
	}
}

// A wildcard service prefix matches only the action names its name part
// matches, in requests as in PatternMatches.
func TestWildcardServicePrefixMatchesItsNamesOnly(t *testing.T) {
	pol, err := Parse([]byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*:GetObject","Resource":"*"}]}`), IdentityPolicy, Source{Name: "p"})
	if err != nil {
		t.Fatal(err)
	}
	p, err := ParsePrincipal("arn:aws:iam::123456789012:role/r")
	if err != nil {
		t.Fatal(err)
	}
	for action, want := range map[string]Decision{"s3:GetObject": Allowed, "s3:PutObject": ImplicitlyDenied} {
		res := Authorize(&Request{Principal: p, Action: action, Resource: "arn:aws:s3:::b/k"}, &Policies{Identity: []*Policy{pol}})
		if res.Decision != want {
			t.Errorf("%s: %s, want %s", action, res.Decision, want)
		}
	}
}

func TestAppliesToEveryResource(t *testing.T) {
	cases := []struct {
		resource string
		want     bool
	}{
		{`"Resource":"*"`, true},
		{`"Resource":["arn:aws:s3:::b","*"]`, true},
		{`"Resource":"arn:aws:s3:::*"`, false},
		{`"Resource":"arn:*"`, false},
		{`"NotResource":"arn:aws:s3:::b"`, false},
		{`"NotResource":"*"`, false},
	}
	for _, c := range cases {
		s := parseOne(t, `{"Effect":"Allow","Action":"s3:*",`+c.resource+`}`)
		if got := s.AppliesToEveryResource(); got != c.want {
			t.Errorf("AppliesToEveryResource(%s) = %v, want %v", c.resource, got, c.want)
		}
	}
}

func TestConditionKeys(t *testing.T) {
	s := parseOne(t, `{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"AWS:SourceAccount":"1","aws:PrincipalTag/team":"${aws:SourceArn}"},"Null":{"aws:sourceaccount":"false"}}}`)
	if got, want := s.ConditionKeys(), []string{"aws:principaltag/team", "aws:sourceaccount"}; !reflect.DeepEqual(got, want) {
		t.Errorf("ConditionKeys = %v, want %v", got, want)
	}
	if got := parseOne(t, `{"Effect":"Allow","Action":"s3:*","Resource":"*"}`).ConditionKeys(); got != nil {
		t.Errorf("ConditionKeys without Condition = %v, want nil", got)
	}
}

// FuzzActionScope: one pattern alone matches as the statement does, and a
// pattern whose scope is a whole service or every action matches every
// action name of its services.
func FuzzActionScope(f *testing.F) {
	for _, s := range [][2]string{{"*", "s3:GetObject"}, {"*:*", "iam:PassRole"}, {"s3:**", "s3:x"}, {"s?:*", "s3:GetObject"}, {"*:Get*", "s3:PutObject"}, {"iam:Put*Policy", "iam:PutRolePolicy"}, {"s3:Get*", "S3:getobject"}, {"s3:Get*", "s3:Ge"}, {"s3:*", "ſ3:GetObject"}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, p, action string) {
		doc, err := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": []any{map[string]any{"Effect": "Allow", "Action": p, "Resource": "*"}}})
		if err != nil {
			t.Skip()
		}
		pol, err := Parse(doc, IdentityPolicy, Source{Name: "p"})
		if err != nil {
			t.Skip()
		}
		s := pol.Statements[0]
		if got, want := s.PatternMatches(0, action), s.matchAction(action, false); got != want {
			t.Fatalf("PatternMatches(%q, %q) = %v, statement says %v", p, action, got, want)
		}
		// The ASCII shortcut answers as the general matcher.
		if isASCII(action) && s.matchAction(action, true) != s.matchAction(action, false) {
			t.Fatalf("%q against %q: the ASCII shortcut says %v", p, action, s.matchAction(action, true))
		}
		name := action
		if i := strings.IndexByte(action, ':'); i >= 0 {
			name = action[i+1:]
		}
		svc := strings.ReplaceAll(strings.ReplaceAll(p[:max(0, strings.IndexByte(p, ':'))], "*", "x"), "?", "y")
		switch s.ActionScope(0) {
		case AllActions:
			// Action names are "service:name"; "*:*" needs the colon.
			if strings.Contains(action, ":") && !s.PatternMatches(0, action) {
				t.Fatalf("%q covers every action but not %q", p, action)
			}
		case ServiceActions:
			if a := svc + ":" + name; name != "" && !s.PatternMatches(0, a) {
				t.Fatalf("%q covers its services but not %q", p, a)
			}
		}
	})
}

package condition

import (
	"testing"

	"github.com/lambdacheck/lambdacheck/analyzer/iam/pattern"
)

func TestContextMissingOverridesUnknownPrefix(t *testing.T) {
	c := NewContext()
	c.SetUnknownPrefix("")
	c.SetMissing("aws:PrincipalOrgID")
	c.SetMissingPrefix("aws:PrincipalTag/")
	c.Set("aws:SourceAccount", "111111111111")
	cases := map[string]pattern.KeyState{
		"aws:sourceaccount":     pattern.Present,
		"aws:principalorgid":    pattern.Missing,
		"aws:principaltag/team": pattern.Missing,
		"aws:sourceip":          pattern.KeyUnknown,
		"s3:prefix":             pattern.KeyUnknown,
	}
	for k, want := range cases {
		if _, got := c.Lookup(k); got != want {
			t.Errorf("Lookup(%q) = %v, want %v", k, got, want)
		}
	}
	if _, got := c.Clone().Lookup("aws:PrincipalTag/x"); got != pattern.Missing {
		t.Errorf("Clone lost missing prefixes: %v", got)
	}
}

package condition

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
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

// Random settings of few and many keys leave the context as a plain map
// of keys would: values, unknown and missing keys, Keys and Clone.
func TestContextAgreesWithAMapModel(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for round := 0; round < 200; round++ {
		c := NewContext()
		vals := map[string][]string{}
		unknown := map[string]bool{}
		nkeys := 1 + rng.IntN(3*smallContext)
		for op := 0; op < 4*nkeys; op++ {
			key := fmt.Sprintf("aws:Key%d", rng.IntN(nkeys))
			k := strings.ToLower(key)
			switch rng.IntN(4) {
			case 0, 1:
				v := []string{fmt.Sprint(op)}
				c.Set(key, v...)
				vals[k], unknown[k] = v, false
			case 2:
				c.SetUnknown(key)
				delete(vals, k)
				unknown[k] = true
			case 3:
				c.SetMissing(key)
				delete(vals, k)
				unknown[k] = false
			}
		}
		for _, ctx := range []*Context{c, c.Clone()} {
			var want []string
			for i := 0; i < nkeys; i++ {
				k := fmt.Sprintf("aws:key%d", i)
				got, state := ctx.Lookup(strings.ToUpper(k))
				switch {
				case vals[k] != nil:
					want = append(want, k)
					if state != pattern.Present || !slices.Equal(got, vals[k]) {
						t.Fatalf("round %d: %s = %v (%v), want %v", round, k, got, state, vals[k])
					}
				case unknown[k]:
					want = append(want, k)
					if state != pattern.KeyUnknown {
						t.Fatalf("round %d: %s is %v, want unknown", round, k, state)
					}
				default:
					if state != pattern.Missing {
						t.Fatalf("round %d: %s is %v, want missing", round, k, state)
					}
				}
			}
			sort.Strings(want)
			if got := ctx.Keys(); !slices.Equal(got, want) {
				t.Fatalf("round %d: keys %v, want %v", round, got, want)
			}
		}
		c.Reset()
		if len(c.Keys()) != 0 {
			t.Fatalf("round %d: keys after Reset: %v", round, c.Keys())
		}
	}
}

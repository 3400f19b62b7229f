package condition

import (
	"slices"
	"strings"
	"testing"

	"github.com/lambdacheck/lambdacheck/analyzer/iam/pattern"
)

// Compile lowers the ASCII keys of a block together; each clause must
// still look up its own key, whatever mix of keys the block holds.
func TestCompileLowersEachKey(t *testing.T) {
	keys := []string{"aws:SourceIp", "s3:prefix", "aws:PrincipalTag/Ünit", "AWS:UserName", "aws:principaltag/Équipe"}
	for n := 1; n <= len(keys); n++ {
		var clauses []Clause
		ctx := NewContext()
		for _, k := range keys[:n] {
			clauses = append(clauses, Clause{Operator: "StringEquals", Key: k, Values: []string{"v-" + k}})
			ctx.Set(k, "v-"+k)
		}
		b, err := Compile(clauses, pattern.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if got := b.Eval(ctx); got != pattern.True {
			t.Fatalf("%d keys: %v, want True (a clause looked up the wrong key)", n, got)
		}
		var want []string
		for _, k := range keys[:n] {
			want = append(want, strings.ToLower(k))
		}
		slices.Sort(want)
		if got := b.Keys(); !slices.Equal(got, want) {
			t.Fatalf("%d keys: Keys() = %q, want %q", n, got, want)
		}
		// A value set for one key must not satisfy another's clause.
		other := NewContext()
		other.Set(keys[0], "v-"+keys[n-1])
		if n > 1 && b.Eval(other) != pattern.False {
			t.Fatalf("%d keys: a context with only %s matched", n, keys[0])
		}
	}
}

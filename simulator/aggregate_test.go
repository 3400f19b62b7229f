package simulator

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	catalog "github.com/lambdacheck/lambdacheck/analyzer/awsref"
	"github.com/lambdacheck/lambdacheck/analyzer/iam/pattern"
	"github.com/lambdacheck/lambdacheck/analyzer/terraform"
	"github.com/lambdacheck/lambdacheck/fixtures/gen/estate"
	"github.com/lambdacheck/lambdacheck/simulator/flow"
)

// decided is one (function, resource, level) answer of an access flow.
type decided struct {
	fn, arn, level string
}

// TestAggregatedReachIsExact decides a broad estate twice: resource by
// resource, and by statement (aggregated sets). Every per-resource answer
// must be found again, with the same decision and actions, either as a
// flow of its own or through a set that covers the resource; and no set
// may cover a resource the per-resource run gave no access to.
func TestAggregatedReachIsExact(t *testing.T) {
	for _, seed := range []uint64{1, 7} {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			dir := t.TempDir()
			if _, err := estate.Write(dir, estate.Options{Functions: 80, Seed: seed, Broad: true}); err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			inv, err := terraform.Load(ctx, dir, terraform.Options{Catalog: catalog.Default()})
			if err != nil {
				t.Fatal(err)
			}
			per, err := Simulate(ctx, inv, Options{PerResource: true})
			if err != nil {
				t.Fatal(err)
			}
			agg, err := Simulate(ctx, inv, Options{})
			if err != nil {
				t.Fatal(err)
			}
			want := map[decided]flow.Flow{}
			for _, f := range per.Flows {
				if f.Kind == flow.KindAccess && !f.Outside && f.Purpose == "" {
					want[decided{f.Function.Address, f.Resource.ARN, f.Level + "/" + string(f.Decision)}] = f
				}
			}
			sets := map[string][]string{}
			for _, rs := range agg.ResourceSets {
				sets[rs.ID] = rs.Resources
			}
			for _, rs := range agg.ResourceSets {
				if rs.Base == "" {
					continue
				}
				var members []string
				for _, arn := range sets[rs.Base] {
					if !slices.Contains(rs.Except, arn) {
						members = append(members, arn)
					}
				}
				if len(members) != rs.Count {
					t.Errorf("set %s: count %d, but base less exceptions holds %d", rs.ID, rs.Count, len(members))
				}
				sets[rs.ID] = members
			}
			got := map[decided][]string{}
			aggregated := 0
			for _, f := range agg.Flows {
				if f.Kind != flow.KindAccess || f.Outside || f.Purpose != "" {
					continue
				}
				level := f.Level + "/" + string(f.Decision)
				if f.Covers == nil {
					got[decided{f.Function.Address, f.Resource.ARN, level}] = f.Actions
					continue
				}
				aggregated++
				members := sets[f.Covers.Set]
				if len(members) != f.Covers.Count || len(members) < aggregateMin {
					t.Errorf("%s: covers %d, set %s lists %d", f.ID, f.Covers.Count, f.Covers.Set, len(members))
				}
				for _, arn := range members {
					k := decided{f.Function.Address, arn, level}
					if _, dup := got[k]; dup {
						t.Errorf("%s: %s is decided twice", f.ID, arn)
					}
					got[k] = f.Actions
				}
			}
			if aggregated == 0 {
				t.Fatal("the broad estate gave no aggregated flow")
			}
			keys := make([]decided, 0, len(want))
			for k := range want {
				keys = append(keys, k)
			}
			sort.Slice(keys, func(i, j int) bool { return fmt.Sprint(keys[i]) < fmt.Sprint(keys[j]) })
			missing := 0
			for _, k := range keys {
				acts, ok := got[k]
				if !ok {
					if missing++; missing <= 5 {
						t.Errorf("per resource %v, aggregated: no answer", k)
					}
					continue
				}
				if !slices.Equal(acts, want[k].Actions) {
					t.Errorf("%v: actions %v per resource, %v aggregated", k, want[k].Actions, acts)
				}
			}
			for k := range got {
				if _, ok := want[k]; !ok {
					t.Errorf("aggregated %v: no such answer per resource", k)
				}
			}
			if missing > 5 {
				t.Errorf("... and %d more missing", missing-5)
			}
			if len(agg.Flows) >= len(per.Flows) {
				t.Errorf("aggregated run has %d flows, per resource %d: nothing aggregated", len(agg.Flows), len(per.Flows))
			}
			t.Logf("%d flows per resource, %d aggregated (%d covering sets)", len(per.Flows), len(agg.Flows), aggregated)
		})
	}
}

// TestChainsFindTheSameLoops: both runs see the same functions on loops.
func TestAggregatedReachSameLoops(t *testing.T) {
	dir := t.TempDir()
	if _, err := estate.Write(dir, estate.Options{Functions: 80, Broad: true, BadRate: 0.2}); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	inv, err := terraform.Load(ctx, dir, terraform.Options{Catalog: catalog.Default()})
	if err != nil {
		t.Fatal(err)
	}
	onLoops := func(opts Options) []string {
		res, err := Simulate(ctx, inv, opts)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, f := range res.Flows {
			if f.Kind == flow.KindChain && f.Loop {
				for _, id := range f.Path {
					if to, ok := strings.CutPrefix(id, "invoke/"); ok {
						_, fn, _ := strings.Cut(to, "->")
						seen[fn] = true
					}
				}
			}
		}
		out := make([]string, 0, len(seen))
		for k := range seen {
			out = append(out, k)
		}
		sort.Strings(out)
		return out
	}
	per, agg := onLoops(Options{PerResource: true}), onLoops(Options{})
	if len(per) == 0 {
		t.Fatal("no loops in the estate: the test proves nothing")
	}
	if !slices.Equal(per, agg) {
		t.Errorf("functions on loops differ:\nper resource %v\naggregated   %v", per, agg)
	}
}

// FuzzLoosePattern: loosening a pattern's variables and symbols into
// wildcards never loses a match (members it singles out are a superset),
// and the literal head is a prefix of every ARN the pattern matches.
func FuzzLoosePattern(f *testing.F) {
	for _, s := range [][2]string{
		{"arn:aws:s3:::home/${aws:username}/*", "arn:aws:s3:::home/alice/x"},
		{"arn:aws:sqs:<var.region>:123456789012:*", "arn:aws:sqs:<var.region>:123456789012:q"},
		{"arn:aws:logs:eu-west-1:*:log-group:/aws/lambda/*", "arn:aws:logs:eu-west-1:1:log-group:/aws/lambda/f"},
		{"${", "$"}, {"<", "<>"}, {"*?$<>", ""},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, p, s string) {
		lp := loosePattern(p)
		if pattern.Match(p, s) && !pattern.Match(lp, s) {
			t.Fatalf("loosePattern(%q) = %q no longer matches %q", p, lp, s)
		}
		if pattern.Match(p, s) && !strings.HasPrefix(s, wildcardHead(p)) {
			t.Fatalf("wildcardHead(%q) = %q is not a prefix of the match %q", p, wildcardHead(p), s)
		}
	})
}

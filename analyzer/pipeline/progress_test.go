package pipeline_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/lambdacheck/lambdacheck/analyzer/pipeline"
)

// Progress is told each stage in pipeline order, and the simulate stage
// counts every function up to the total.
func TestProgressStages(t *testing.T) {
	for _, tc := range []struct {
		name  string
		paths []string
		want  string
	}{
		{"one_path", []string{"../../fixtures/recursive-loop"}, "load 0/0, load 1/0, simulate 0/5 … simulate 5/5, judge 0/0"},
		{"two_paths", []string{"../../fixtures/recursive-loop", "../../fixtures/thumbnails"}, "load 0/2, load 1/2, load 2/2, simulate 0/6 … simulate 6/6, judge 0/0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var seen []string
			_, err := pipeline.Run(context.Background(), pipeline.Options{
				Paths:    tc.paths,
				MaxDepth: 4,
				Judge:    &pipeline.JudgeOptions{FailOn: "none", FailOnExplicit: true, Today: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC), Timeout: time.Minute},
				Progress: func(stage string, done, total int) { seen = append(seen, fmt.Sprintf("%s %d/%d", stage, done, total)) },
			})
			if err != nil {
				t.Fatal(err)
			}
			// Keep the first and last simulate step: the ones between
			// depend on nothing but the count.
			var got []string
			for i, s := range seen {
				if strings.HasPrefix(s, "simulate ") && i > 0 && strings.HasPrefix(seen[i-1], "simulate ") && i+1 < len(seen) && strings.HasPrefix(seen[i+1], "simulate ") {
					if got[len(got)-1] != "…" {
						got = append(got, "…")
					}
					continue
				}
				got = append(got, s)
			}
			if g := strings.ReplaceAll(strings.Join(got, ", "), ", …,", " …"); g != tc.want {
				t.Errorf("stages:\n got %s\nwant %s", g, tc.want)
			}
		})
	}
}

package eventtrace

import (
	"fmt"
	"sort"
	"strings"

	"github.com/lambdacheck/lambdacheck/simulator/eventmatch"
)

// findings are configurations AWS rejects: S3 notification configurations
// of one bucket that overlap, SNS filter policies over the combination
// limit, and filters that do not compile.
func (t *tracer) findings() []Finding {
	var out []Finding
	byBucket := map[string][]int{}
	for i, e := range t.entries {
		switch e.Service {
		case "s3":
			if e.SourceARN != "" && !placeholder(e.SourceARN) {
				byBucket[e.SourceARN] = append(byBucket[e.SourceARN], i)
			}
		case "sns", "eventbridge", "sqs", "kinesis", "dynamodb", "iot", "apigateway", "apigatewayv2":
			if e.Filter == nil || len(e.Filter.Pattern) == 0 && len(e.Filter.Patterns) == 0 && e.Filter.Expression == "" {
				continue
			}
			if e.Service == "eventbridge" && len(e.Filter.Pattern) == 0 {
				continue
			}
			c := t.compile(i, e)
			if c.err != nil {
				out = append(out, Finding{Kind: "invalid-filter", Address: e.Address, File: e.File, Line: e.Line,
					Message: fmt.Sprintf("the %s filter does not compile: %v", e.Service, c.err)})
				continue
			}
			if c.policy != nil && c.policy.Combinations > eventmatch.MaxSNSCombinations {
				out = append(out, Finding{Kind: "sns-combinations", Address: e.Address, File: e.File, Line: e.Line,
					Message: fmt.Sprintf("the filter policy has %d value combinations; SNS accepts at most %d and rejects the subscription's policy", c.policy.Combinations, eventmatch.MaxSNSCombinations)})
			}
		}
	}
	buckets := make([]string, 0, len(byBucket))
	for b := range byBucket {
		buckets = append(buckets, b)
	}
	sort.Strings(buckets)
	for _, b := range buckets {
		idx := byBucket[b]
		cfgs := make([]eventmatch.S3Notification, len(idx))
		for k, i := range idx {
			e := t.entries[i]
			cfgs[k] = eventmatch.S3Notification{Events: e.Events}
			if e.Filter != nil {
				cfgs[k].Prefix, cfgs[k].Suffix = e.Filter.Prefix, e.Filter.Suffix
			}
		}
		for _, o := range eventmatch.S3Overlaps(cfgs) {
			t.rejected[b] = true
			a, c := t.entries[idx[o.A]], t.entries[idx[o.B]]
			out = append(out, Finding{Kind: "s3-overlap", Address: a.Address, File: a.File, Line: a.Line,
				Message: fmt.Sprintf("notifications of %s to %s (%s) and %s (%s) overlap on %s: S3 rejects the configuration (\"Configurations overlap\")",
					strings.TrimPrefix(b, "arn:aws:s3:::"), a.fnAddress, describeFilter(a.Trigger), c.fnAddress, describeFilter(c.Trigger), o.Event)})
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Address != out[j].Address {
			return out[i].Address < out[j].Address
		}
		return out[i].Message < out[j].Message
	})
	return out
}

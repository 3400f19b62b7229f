package rules

import (
	"context"
	"errors"
	"runtime"
	"runtime/metrics"
	"strconv"
	"time"
)

// heapMetric is the memory held by heap objects, live or not yet swept:
// what a rule building a huge range or string makes grow, and what the
// process's resident memory follows.
const heapMetric = "/memory/classes/heap/objects:bytes"

// heapSampleEvery is how often the heap is read while the rules run; a
// rule allocating as fast as it can adds tens of MiB in that time.
const heapSampleEvery = 5 * time.Millisecond

// errRuleMemory is the cause of a context cancelled by watchHeap.
var errRuleMemory = errors.New("rule memory budget exceeded")

// heapBytes reads the current heap size.
func heapBytes() uint64 {
	s := []metrics.Sample{{Name: heapMetric}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return s[0].Value.Uint64()
}

// watchHeap cancels the returned context with errRuleMemory once the heap
// has grown by more than budget bytes over its size now. OPA checks for
// cancellation inside its loops, including the range builtins, so the
// evaluation stops soon after. stop ends the watch.
func watchHeap(ctx context.Context, budget int64) (watched context.Context, stop func()) {
	watched, cancel := context.WithCancelCause(ctx)
	// The base is the live heap: garbage left by earlier work would raise
	// the limit by its size, and the collections below would then keep the
	// heap under it however much the rules hold.
	runtime.GC()
	base := heapBytes()
	limit := base + uint64(budget)
	done := make(chan struct{})
	go func() {
		tick := time.NewTicker(heapSampleEvery)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-watched.Done():
				return
			case <-tick.C:
				if heapBytes() <= limit {
					continue
				}
				// Garbage not yet collected counts in the sample; a
				// collection tells what the rules really hold, so a
				// large estate's churn is not mistaken for a greedy rule.
				runtime.GC()
				if heapBytes() > limit {
					cancel(errRuleMemory)
					return
				}
			}
		}
	}()
	return watched, func() {
		close(done)
		cancel(nil)
	}
}

// mib formats a byte count the way --rule-memory takes it.
func mib(n int64) string {
	return strconv.FormatInt(n>>20, 10) + " MiB"
}

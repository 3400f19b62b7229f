package gcsettings

import (
	"math"
	"runtime/debug"
	"testing"
)

func TestCollectorDefaultsUnlessGOGCOrGOMEMLIMITAreSet(t *testing.T) {
	before := debug.SetMemoryLimit(-1)
	percent := debug.SetGCPercent(100)
	t.Cleanup(func() { debug.SetMemoryLimit(before); debug.SetGCPercent(percent) })

	debug.SetMemoryLimit(math.MaxInt64)
	Apply(func(string) string { return "" })
	if got := debug.SetMemoryLimit(-1); got != DefaultMemoryLimit {
		t.Errorf("limit %d without GOMEMLIMIT, want %d", got, int64(DefaultMemoryLimit))
	}
	if got := debug.SetGCPercent(100); got != DefaultGCPercent {
		t.Errorf("GC percent %d without GOGC, want %d", got, DefaultGCPercent)
	}

	debug.SetMemoryLimit(math.MaxInt64)
	Apply(func(k string) string {
		return map[string]string{"GOMEMLIMIT": "off", "GOGC": "100"}[k]
	})
	if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
		t.Errorf("limit %d with GOMEMLIMIT=off, want the runtime's own (no limit)", got)
	}
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("GC percent %d with GOGC=100, want the runtime's own", got)
	}
}

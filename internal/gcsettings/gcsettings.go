// Package gcsettings sets the Go garbage collector's defaults for a
// lambdacheck run, before any stage of the pipeline starts; the environment
// (GOGC, GOMEMLIMIT) still decides where it says something.
package gcsettings

import "runtime/debug"

// The collector's settings unless GOGC or GOMEMLIMIT say otherwise
// (GOMEMLIMIT=off lifts the limit). A run allocates several times its live
// heap (a parse makes tokens, a simulation intermediate decisions), so
// collecting at three times the live heap instead of two spends less CPU;
// the soft limit bounds what that costs in memory: the collector works
// harder as the heap nears it, so a 10,000-application estate stays under
// 2 GiB, and an estate whose live heap exceeds it still completes, with
// more collection. The limit leaves room for what it does not count: the
// executable's own resident pages (the runs measured stay 70 to 120 MiB
// above it).
const (
	DefaultGCPercent   = 200
	DefaultMemoryLimit = 1800 << 20
)

// Apply sets the defaults that getenv (os.Getenv) leaves open.
func Apply(getenv func(string) string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(DefaultGCPercent)
	}
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(DefaultMemoryLimit)
	}
}

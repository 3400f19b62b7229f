package buildinfo

import (
	"runtime/debug"
	"testing"
)

func TestVersionNamesCommitAndDate(t *testing.T) {
	info := &debug.BuildInfo{
		Main: debug.Module{Version: "v1.2.3"},
		Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "0123456789abcdef0123"},
			{Key: "vcs.time", Value: "2026-12-01T10:00:00Z"},
			{Key: "vcs.modified", Value: "true"},
		},
	}
	if got, want := Version("dev", info, true), "v1.2.3 (commit 0123456789ab-dirty, 2026-12-01T10:00:00Z)"; got != want {
		t.Errorf("Version = %q, want %q", got, want)
	}
	if got, want := Version("v2.0.0", info, true), "v2.0.0 (commit 0123456789ab-dirty, 2026-12-01T10:00:00Z)"; got != want {
		t.Errorf("a version set at build time: %q, want %q", got, want)
	}
	info.Main.Version = "(devel)"
	info.Settings = nil
	if got := Version("dev", info, true); got != "dev" {
		t.Errorf("without VCS data: %q, want dev", got)
	}
	if got := Version("dev", nil, false); got != "dev" {
		t.Errorf("without build info: %q, want dev", got)
	}
}

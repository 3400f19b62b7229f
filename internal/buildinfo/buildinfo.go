// Package buildinfo tells the version of the running binary: the version
// it was built with, else the module version, followed by the VCS commit
// and its date when the binary was built from a checkout.
//
// Place: outside the pipeline; the command line prints it, and the reports
// name it as the tool's version.
package buildinfo

import (
	"fmt"
	"runtime/debug"
)

// Version is base (the version set at build time; "dev" when none was),
// or the module version from info when base is "dev", then the commit (12
// digits, marked when the tree was dirty) and its date. ok says whether
// info was read.
func Version(base string, info *debug.BuildInfo, ok bool) string {
	v := base
	if !ok {
		return v
	}
	if v == "dev" && info.Main.Version != "" && info.Main.Version != "(devel)" {
		v = info.Main.Version
	}
	var commit, date string
	dirty := false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			commit = s.Value
		case "vcs.time":
			date = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if commit == "" {
		return v
	}
	if len(commit) > 12 {
		commit = commit[:12]
	}
	if dirty {
		commit += "-dirty"
	}
	if date != "" {
		return fmt.Sprintf("%s (commit %s, %s)", v, commit, date)
	}
	return fmt.Sprintf("%s (commit %s)", v, commit)
}

// Running is Version of the running binary.
func Running(base string) string {
	info, ok := debug.ReadBuildInfo()
	return Version(base, info, ok)
}

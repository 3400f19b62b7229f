package main

import (
	"fmt"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// version is set at build time with -ldflags "-X main.version=…"; without
// it the module version from the build information is used.
var version = "dev"

// buildVersion is what --version and the version command print: the
// version, then the VCS commit and its date when the binary was built from
// a checkout (go build records them; a dirty tree is marked).
func buildVersion(info *debug.BuildInfo, ok bool) string {
	v := version
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

// versionString is buildVersion of the running binary.
func versionString() string { return buildVersion(debug.ReadBuildInfo()) }

func newVersionCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the lambdacheck version, commit and build date",
		Args:  usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			fmt.Fprintf(cmd.OutOrStdout(), "lambdacheck %s\n", versionString())
			return nil
		},
	}
}

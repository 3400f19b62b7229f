// Command lambdacheck loads AWS Lambda applications (Terraform, snapshots),
// simulates every trigger → invoke → resource-access flow with an IAM policy
// evaluation engine, and judges the flows with Rego rules.
//
// This package only wires the analyzer and simulator packages to the command
// line; each command lives in a file of its own.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
)

func main() {
	setMemoryLimit(os.Getenv)
	os.Exit(run(os.Args[1:]))
}

// The collector's settings unless GOGC or GOMEMLIMIT say otherwise
// (GOMEMLIMIT=off lifts the limit). A run allocates several times its live
// heap (a parse makes tokens, a simulation intermediate decisions), so
// collecting at three times the live heap instead of two spends less CPU
// (15% less on 1,340 functions); the soft limit bounds what that costs in
// memory: the collector works harder as the heap nears it, so a
// 10,000-application estate stays under 2 GiB, and an estate whose live
// heap exceeds it still completes, with more collection.
const (
	defaultGCPercent   = 200
	defaultMemoryLimit = 1800 << 20
)

func setMemoryLimit(getenv func(string) string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(defaultGCPercent)
	}
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(defaultMemoryLimit)
	}
}

// run executes the command line and maps errors to exit codes:
// 0 success, 1 a gate failed (findings, denied request), 2 usage or input error.
func run(args []string) int { return runIO(args, os.Stdin, os.Stdout, os.Stderr) }

// runIO is run with its standard streams given.
func runIO(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	root := newRootCommand()
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	cmd, err := root.ExecuteC()
	err = withHelpHint(cmd, err)
	if err == nil {
		return 0
	}
	if msg := err.Error(); msg != "" {
		fmt.Fprintln(stderr, "lambdacheck:", msg)
	}
	return exitCode(err)
}

// exitCode maps an error to the exit status: an *exitError carries its own,
// anything else is a usage or input error (2).
func exitCode(err error) int {
	var exit *exitError
	if errors.As(err, &exit) {
		return exit.code
	}
	return 2
}

// exitError carries a specific exit code out of a command.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

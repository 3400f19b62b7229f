package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/spf13/cobra"

	"github.com/lambdacheck/lambdacheck/analyzer/confine"
	"github.com/lambdacheck/lambdacheck/analyzer/expect"
	"github.com/lambdacheck/lambdacheck/analyzer/pipeline"
	"github.com/lambdacheck/lambdacheck/analyzer/report"
)

type testFlags struct {
	inventoryFlags
	expectations string
	write        bool
	writeAccess  expect.AccessScope
	accessScope  string
	depth        int
	orgID        string
}

func newTestCommand() *cobra.Command {
	f := &testFlags{}
	cmd := &cobra.Command{
		Use:   "test [PATH]",
		Short: "Check the expectations written in lambdacheck.hcl against the simulated flows",
		Long: `test simulates PATH (default: the working directory; anything simulate
accepts) and checks the expect blocks of lambdacheck.hcl (in PATH, else the
working directory; or --expectations FILE):

  expect "uploads trigger thumbnails" {
    flow   = "aws_s3_bucket.uploads -> aws_lambda_function.thumbnail"
    result = "allowed"
  }
  expect "thumbnail cannot delete originals" {
    function = "aws_lambda_function.thumbnail"
    action   = "s3:DeleteObject"
    resource = "arn:aws:s3:::acme-photos-uploads/*"
    result   = "denied"
  }
  expect "the partner cannot invoke anything" {
    principal = "444455556666"      # or "*": nothing public
    result    = "denied"
  }

Names take "*" and "?" wildcards. A flow expectation needs a matching trigger,
and every matching one must have the result; an access expectation is decided
from the function's access flows (an action none grants is denied); a
principal expectation covers every function (or those matching function).

--write records today's flows as expectations instead: every trigger, every
outside principal's reach, and access (function, action, resource → result):
by default writes and permissions management of named resources and every
access to another account (--write-access risky; all, or none), at most 8
actions of each grant, sorted.

Exit status: 1 when an expectation fails, 2 on an HCL error (with its file,
line and column) or an input error, 0 otherwise.`,
		Example: `  lambdacheck test infra/
  lambdacheck test infra/ --expectations ci/lambdacheck.hcl --format junit --output expectations.xml`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return runTest(cmd, f, args) },
	}
	fl := cmd.Flags()
	registerLoadFlags(fl, &f.inventoryFlags)
	fl.StringVarP(&f.format, "format", "f", "table", "output format: table or junit")
	fl.StringVarP(&f.output, "output", "o", "", "write to FILE instead of standard output")
	fl.StringVar(&f.expectations, "expectations", "", "read the expectations from `FILE` (default: lambdacheck.hcl in PATH, else the working directory)")
	fl.BoolVar(&f.write, "write", false, "record today's triggers, outside principals' reach and the access in --write-access as expectations (appended to the expectations file, skipping names it has) instead of checking")
	fl.StringVar(&f.accessScope, "write-access", "risky", "with --write: the access flows recorded: risky (writes and permissions management to named resources, and every access to another account), all, or none")
	fl.IntVar(&f.depth, "depth", 4, "longest chain to simulate, in functions")
	fl.StringVar(&f.orgID, "org-id", "", "organization id of the application's accounts (aws:PrincipalOrgID)")
	return cmd
}

func runTest(cmd *cobra.Command, f *testFlags, args []string) error {
	path := "."
	if len(args) == 1 {
		path = args[0]
	}
	scope, err := expect.ParseAccessScope(f.accessScope)
	if err != nil {
		return &exitError{code: 2, msg: "--write-" + err.Error()}
	}
	if cmd.Flags().Changed("write-access") && !f.write {
		return &exitError{code: 2, msg: "--write-access goes with --write"}
	}
	f.writeAccess = scope
	format, err := lookupFormat(report.Expect, f.format)
	if err != nil {
		return err
	}
	file, err := findExpectations(f.expectations, path)
	var src []byte
	switch {
	case err == nil:
		if src, err = confine.ReadInput(file); err != nil {
			return &exitError{code: 2, msg: fmt.Sprintf("read %s: %v", file, err)}
		}
	case f.write && f.expectations == "":
		file = filepath.Join(inputDir(path), expect.FileName)
	case !f.write:
		return &exitError{code: 2, msg: err.Error()}
	}
	exps, diags := expect.Parse(src, file)
	if diags.HasErrors() {
		return &exitError{code: 2, msg: hclErrors(diags)}
	}
	if len(exps) == 0 && !f.write {
		return &exitError{code: 2, msg: file + ": no expect blocks"}
	}
	res, err := pipeline.Run(cmd.Context(), pipeline.Options{Paths: []string{path}, Load: f.inventoryFlags.loadOptions(cmd), MaxDepth: f.depth, OrgID: f.orgID})
	if res != nil && res.Inventory != nil {
		if n := report.Diagnostics(cmd.ErrOrStderr(), res.Inventory); n > 0 && err == nil {
			err = partialInput(n)
		}
	}
	if err != nil {
		return inputErr(err)
	}
	if f.write {
		return recordExpectations(cmd, file, src, expect.Record(res.Flows, expect.Names(exps), f.writeAccess))
	}
	outcomes := expect.Check(res.Flows, exps)
	err = writeOutput(cmd, f.output, func(out io.Writer) error {
		bw := bufio.NewWriter(out)
		err := format.Write(bw, &report.Report{Outcomes: outcomes})
		if ferr := bw.Flush(); err == nil && ferr != nil {
			err = &exitError{code: 2, msg: fmt.Sprintf("write output: %v", ferr)}
		}
		return err
	})
	if err != nil {
		return err
	}
	failed := 0
	for _, o := range outcomes {
		if !o.Pass {
			failed++
		}
	}
	if failed > 0 {
		return &exitError{code: 1, msg: fmt.Sprintf("%d of %d expectation(s) failed", failed, len(outcomes))}
	}
	return nil
}

// findExpectations is the explicit file, or lambdacheck.hcl in the input
// directory, else in the working directory.
func findExpectations(explicit, input string) (string, error) {
	if explicit != "" {
		return explicit, nil
	}
	dir := inputDir(input)
	for _, d := range []string{dir, "."} {
		p := filepath.Join(d, expect.FileName)
		if _, err := os.Stat(p); err == nil {
			return p, nil
		} else if !errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
	}
	return "", fmt.Errorf("no %s in %s or the working directory (or give --expectations FILE)", expect.FileName, dir)
}

// hclErrors are HCL diagnostics as "file:line,col: what" lines.
func hclErrors(diags hcl.Diagnostics) string {
	var lines []string
	for _, d := range diags {
		if d.Severity != hcl.DiagError {
			continue
		}
		where := ""
		if d.Subject != nil {
			where = fmt.Sprintf("%s:%d,%d: ", d.Subject.Filename, d.Subject.Start.Line, d.Subject.Start.Column)
		}
		msg := d.Summary
		if d.Detail != "" {
			msg += "; " + d.Detail
		}
		lines = append(lines, where+msg)
	}
	return strings.Join(lines, "\n")
}

// inputDir is the input's directory (a snapshot's or plan's own).
func inputDir(input string) string {
	if info, err := os.Stat(input); err == nil && !info.IsDir() {
		return filepath.Dir(input)
	}
	return input
}

// recordExpectations appends the recorded blocks to the expectations file.
func recordExpectations(cmd *cobra.Command, file string, existing, recorded []byte) error {
	n := strings.Count(string(recorded), "expect \"")
	if len(existing) > 0 && !strings.HasSuffix(string(existing), "\n") {
		existing = append(existing, '\n')
	}
	if len(existing) > 0 && n > 0 {
		existing = append(existing, '\n')
	}
	if err := os.WriteFile(file, append(existing, recorded...), 0o644); err != nil {
		return &exitError{code: 2, msg: fmt.Sprintf("write %s: %v", file, err)}
	}
	fmt.Fprintf(cmd.ErrOrStderr(), "lambdacheck: recorded %d expectation(s) in %s\n", n, file)
	return nil
}

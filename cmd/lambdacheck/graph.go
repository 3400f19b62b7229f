package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/lambdacheck/lambdacheck/analyzer/pipeline"
	"github.com/lambdacheck/lambdacheck/analyzer/report"
	"github.com/lambdacheck/lambdacheck/simulator/graph"
)

type graphFlags struct {
	simulateFlags
	kinds    []string
	function string
	all      bool
	collapse string
}

func newGraphCommand() *cobra.Command {
	f := &graphFlags{}
	cmd := &cobra.Command{
		Use:   "graph [PATH...]",
		Short: "Draw the flow graph of an application as Mermaid or Graphviz DOT",
		Long: `graph simulates PATH (default: the current directory; "-" reads a snapshot
from standard input) like simulate does and draws the result:

  nodes   entries (trigger sources nothing writes to, and outside principals:
          the public, other accounts, services), functions, and resources
          grouped by service;
  edges   invoke (trigger type and decision), access (one edge per function →
          resource with the access levels it reaches), reach from outside;
          solid allowed, dashed conditional or unknown, red crossed denied,
          grey dotted a disabled trigger.

Chains are a view of their own (--kinds chain: each chain thick orange, each
loop purple, with the edges of their paths), as drawn over every edge they make
a large estate unreadable; --kinds all draws everything. --focus FUNCTION
draws one function's neighbourhood: its flows and the chains through it.

Telemetry plumbing (logs, X-Ray and CloudWatch metrics actions on resources
outside the inventory) is left out unless --all is given or a chain runs
through it.
Mermaid renders in GitHub and GitLab markdown; DOT renders with
'dot -Tsvg graph.dot -o graph.svg'.`,
		Example: `  lambdacheck graph fixtures/thumbnails
  lambdacheck graph infra/ --format dot --output flows.dot
  lambdacheck graph infra/ --kinds invoke,reach --focus aws_lambda_function.api
  lambdacheck graph infra/ --kinds chain`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runGraph(cmd, f, defaultPaths(args)) },
	}
	fl := cmd.Flags()
	registerLoadFlags(fl, &f.inventoryFlags)
	fl.StringVar(&f.region, "region", "", "AWS region where the configuration names none")
	fl.StringVarP(&f.format, "format", "f", "mermaid", "output format: mermaid or dot")
	fl.StringVarP(&f.output, "output", "o", "", "write to FILE instead of standard output")
	fl.IntVar(&f.depth, "depth", 4, "longest chain to report, in functions")
	fl.StringVar(&f.orgID, "org-id", "", "organization id of the application's accounts (aws:PrincipalOrgID)")
	fl.StringSliceVar(&f.kinds, "kinds", nil, "flow kinds to draw, comma-separated: invoke, access, reach, chain, or all (default invoke,access,reach; chain draws each chain with the edges of its path)")
	fl.StringVar(&f.function, "focus", "", "draw only FUNCTION's neighbourhood: the flows that touch it (Terraform address or ARN)")
	fl.StringVar(&f.function, "function", "", "the same as --focus")
	fl.BoolVar(&f.all, "all", false, "include telemetry plumbing (logs, traces, metrics)")
	fl.StringVar(&f.collapse, "collapse", "none", "draw each application as one node: module (each top-level module instance), or none")
	return cmd
}

func runGraph(cmd *cobra.Command, f *graphFlags, paths []string) error {
	format, err := lookupFormat(report.Drawing, f.format)
	if err != nil {
		return err
	}
	if f.depth < 1 {
		return &exitError{code: 2, msg: fmt.Sprintf("--depth %d: want at least 1 (functions in the longest chain)", f.depth)}
	}
	kinds, err := graph.ParseKinds(f.kinds)
	if err != nil {
		return &exitError{code: 2, msg: "--kinds " + err.Error()}
	}
	if f.collapse != "none" && f.collapse != "module" {
		return &exitError{code: 2, msg: fmt.Sprintf("--collapse %q: want module or none", f.collapse)}
	}
	res, err := pipeline.Run(cmd.Context(), pipeline.Options{
		Paths: paths, Load: f.inventoryFlags.loadOptions(cmd), MaxDepth: f.depth, OrgID: f.orgID,
	})
	if res == nil || res.Inventory == nil {
		return inputErr(err)
	}
	loadErrs := report.Diagnostics(cmd.ErrOrStderr(), res.Inventory)
	if err != nil {
		return inputErr(err)
	}
	g, err := graph.Build(res.Flows, res.Inventory, graph.Options{Kinds: kinds, Function: f.function, All: f.all})
	if err != nil {
		return &exitError{code: 2, msg: err.Error()}
	}
	if f.collapse == "module" {
		g = graph.Collapse(g)
	}
	err = writeOutput(cmd, f.output, func(out io.Writer) error {
		err := format.Write(out, &report.Report{Graph: g})
		if err != nil && f.output != "" {
			err = fmt.Errorf("write %s: %w", f.output, err)
		}
		return err
	})
	if err != nil {
		return err
	}
	if loadErrs > 0 {
		return partialInput(loadErrs)
	}
	return nil
}

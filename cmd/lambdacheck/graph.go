package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/lambdacheck/lambdacheck/analyzer/pipeline"
	"github.com/lambdacheck/lambdacheck/analyzer/report"
	"github.com/lambdacheck/lambdacheck/simulator/graph"
)

func newGraphCommand() *cobra.Command {
	var run pipeline.Options
	var format, output, collapse string
	var kinds []string
	var opts graph.Options
	cmd := &cobra.Command{
		Use:   "graph [PATH...]",
		Short: "Draw the flow graph of an application as Mermaid or Graphviz DOT",
		Long: `graph simulates PATH (default "."; "-" reads a snapshot from standard input)
like simulate and draws its entries, functions and resources with invoke,
access and reach edges (solid allowed, dashed conditional or unknown, red
crossed denied). Chains are a view of their own (--kinds chain); --focus
draws one function's neighbourhood. DOT renders with 'dot -Tsvg'.`,
		Example: `  lambdacheck graph infra/ --format dot --output flows.dot
  lambdacheck graph infra/ --kinds invoke,reach --focus aws_lambda_function.api`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := lookupFormat(report.Drawing, format)
			if err != nil {
				return err
			}
			if err := pipeline.CheckDepth(run.MaxDepth); err != nil {
				return err
			}
			if opts.Kinds, err = graph.ParseKinds(kinds); err != nil {
				return fmt.Errorf("--kinds %w", err)
			}
			if collapse != "none" && collapse != "module" {
				return fmt.Errorf("--collapse %q: want module or none", collapse)
			}
			run.Paths, run.Load = pipeline.DefaultPaths(args), withStdin(cmd, run.Load)
			res, err := pipeline.Run(cmd.Context(), run)
			partial, err := shown(cmd, res, err, false)
			if err != nil {
				return err
			}
			g, err := graph.Build(res.Flows, res.Inventory, opts)
			if err != nil {
				return err
			}
			if collapse == "module" {
				g = graph.Collapse(g)
			}
			err = report.Output(cmd.OutOrStdout(), output, func(out io.Writer) error {
				err := f.Write(out, &report.Report{Graph: g})
				if err != nil && output != "" {
					err = fmt.Errorf("write %s: %w", output, err)
				}
				return err
			})
			if err != nil {
				return err
			}
			return partial
		},
	}
	fl := cmd.Flags()
	registerLoadFlags(fl, &run.Load)
	fl.StringVar(&run.Load.Region, "region", "", "AWS region where the configuration names none")
	registerOutputFlags(fl, &format, &output, "mermaid", "mermaid or dot")
	fl.IntVar(&run.MaxDepth, "depth", 4, "longest chain to report, in functions")
	fl.StringVar(&run.OrgID, "org-id", "", "organization id of the application's accounts (aws:PrincipalOrgID)")
	fl.StringSliceVar(&kinds, "kinds", nil, "flow kinds to draw, comma-separated: invoke, access, reach, chain, or all (default invoke,access,reach; chain draws each chain with the edges of its path)")
	fl.StringVar(&opts.Function, "focus", "", "draw only FUNCTION's neighbourhood: the flows that touch it (Terraform address or ARN)")
	fl.StringVar(&opts.Function, "function", "", "the same as --focus")
	fl.BoolVar(&opts.All, "all", false, "include telemetry plumbing (logs, traces, metrics)")
	fl.StringVar(&collapse, "collapse", "none", "draw each application as one node: module (each top-level module instance), or none")
	return cmd
}

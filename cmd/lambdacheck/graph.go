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
	var load pipeline.LoadOptions
	var format, output, orgID, collapse string
	var depth int
	var kinds []string
	var opts graph.Options
	cmd := &cobra.Command{
		Use:   "graph [PATH...]",
		Short: "Draw the flow graph of an application as Mermaid or Graphviz DOT",
		Long: `graph simulates PATH (default "."; "-" reads a snapshot from standard input)
like simulate and draws entries (trigger sources, outside principals),
functions and resources grouped by service, with invoke, access and reach
edges: solid allowed, dashed conditional or unknown, red crossed denied, grey
dotted a disabled trigger. Chains are a view of their own (--kinds chain);
--focus FUNCTION draws one function's neighbourhood; telemetry plumbing is
left out unless --all. Mermaid renders in GitHub and GitLab markdown; DOT with
'dot -Tsvg graph.dot -o graph.svg'.`,
		Example: `  lambdacheck graph fixtures/thumbnails
  lambdacheck graph infra/ --format dot --output flows.dot
  lambdacheck graph infra/ --kinds invoke,reach --focus aws_lambda_function.api
  lambdacheck graph infra/ --kinds chain`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := lookupFormat(report.Drawing, format)
			if err != nil {
				return err
			}
			if err := checkDepth(depth); err != nil {
				return err
			}
			if opts.Kinds, err = graph.ParseKinds(kinds); err != nil {
				return fmt.Errorf("--kinds %w", err)
			}
			if collapse != "none" && collapse != "module" {
				return fmt.Errorf("--collapse %q: want module or none", collapse)
			}
			res, err := pipeline.Run(cmd.Context(), pipeline.Options{
				Paths: pipeline.DefaultPaths(args), Load: withStdin(cmd, load), MaxDepth: depth, OrgID: orgID,
			})
			loadErrs, err := shown(cmd, res, err, false)
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
			if loadErrs > 0 {
				return partialInput(loadErrs)
			}
			return nil
		},
	}
	fl := cmd.Flags()
	registerLoadFlags(fl, &load)
	fl.StringVar(&load.Region, "region", "", "AWS region where the configuration names none")
	registerOutputFlags(fl, &format, &output, "mermaid", "mermaid or dot")
	fl.IntVar(&depth, "depth", 4, "longest chain to report, in functions")
	fl.StringVar(&orgID, "org-id", "", "organization id of the application's accounts (aws:PrincipalOrgID)")
	fl.StringSliceVar(&kinds, "kinds", nil, "flow kinds to draw, comma-separated: invoke, access, reach, chain, or all (default invoke,access,reach; chain draws each chain with the edges of its path)")
	fl.StringVar(&opts.Function, "focus", "", "draw only FUNCTION's neighbourhood: the flows that touch it (Terraform address or ARN)")
	fl.StringVar(&opts.Function, "function", "", "the same as --focus")
	fl.BoolVar(&opts.All, "all", false, "include telemetry plumbing (logs, traces, metrics)")
	fl.StringVar(&collapse, "collapse", "none", "draw each application as one node: module (each top-level module instance), or none")
	return cmd
}

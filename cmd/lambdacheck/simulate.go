package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"

	"github.com/spf13/cobra"

	"github.com/lambdacheck/lambdacheck/analyzer/awsapi"
	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
	"github.com/lambdacheck/lambdacheck/analyzer/rules"
	"github.com/lambdacheck/lambdacheck/cmd/lambdacheck/render"
	"github.com/lambdacheck/lambdacheck/simulator"
	"github.com/lambdacheck/lambdacheck/simulator/flow"
)

type simulateFlags struct {
	inventoryFlags
	findingsFlags
	depth   int
	orgID   string
	regions []string
	aws     bool
	live    collectFlags // with --aws
	// allowIncomplete accepts a live inventory that misses a whole service.
	allowIncomplete bool
}

func newSimulateCommand() *cobra.Command {
	f := &simulateFlags{}
	cmd := &cobra.Command{
		Use:   "simulate [PATH...] [--aws]",
		Short: "Simulate every trigger → invoke → resource-access flow of an application",
		Long: `simulate loads PATH (a Terraform directory or a snapshot; several paths, e.g.
the snapshots of several accounts, are merged) and, with --aws, reads the live
account as collect does, then decides every flow with the IAM engine:

  invocation flows   each trigger and function URL → its function: is the trigger
                     enabled, may the source invoke the exact qualifier it targets
                     (resource policy, invoker role, or the execution role's reads on
                     a polled source), may Lambda assume the execution role;
  access flows       what each function's role can do to every known resource and
                     beyond the inventory, by access level, through identity
                     policies, boundary, SCPs and the resource's own policy, and its
                     destinations and dead-letter targets;
  reach              who outside can invoke each function or assume its role;
  chains             multi-hop paths (a function writing to a source that triggers
                     another) and invocation loops.

Each step carries its decision (allowed, conditional, denied, unknown) and the
statements that decided it. Then the Rego rules (built-in, plus --policy DIR)
judge the inventory and the flows; findings can be waived inline
(# lambdacheck:ignore:LC004 reason, on the HCL block), in .lambdacheck.hcl, or
accepted in a --baseline file. On a pull request from a fork, take the settings
from the base branch with --config FILE (the in-tree file is then ignored),
pass --fail-on explicitly (it wins over fail_on in any file), and add
--no-inline-waivers.

Formats: table (flows and findings), json (flows, findings, unknowns), and the
findings alone as sarif (code scanning), junit or markdown (PR comments).

A live inventory (collect, --aws) records what it could not read: the flows
that depend on it are unknown, naming the missing action, and an inventory
with nothing collected or with a trigger service not read fails with exit 2
unless --allow-incomplete, so a gate never passes on missing data.

Exit status: 1 when an unwaived finding reaches --fail-on (default high), 2 on
usage or input errors (including a rule that does not compile, and an
incomplete live inventory as above), 0 otherwise.`,
		Example: `  lambdacheck simulate fixtures/thumbnails
  lambdacheck simulate infra/ --format json > flows.json
  lambdacheck simulate prod-a.json prod-b.json    # snapshots of two accounts
  lambdacheck simulate --aws --profile audit --region eu-west-1
  lambdacheck simulate infra/ --format sarif --output lambdacheck.sarif --fail-on critical
  lambdacheck simulate infra/ --write-baseline .lambdacheck-baseline.json
  lambdacheck simulate infra/ --baseline .lambdacheck-baseline.json --policy policies-acme/
  lambdacheck simulate . --fail-on high --config "$BASE/.lambdacheck.hcl" --no-inline-waivers`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runSimulate(cmd, f, args) },
	}
	fl := cmd.Flags()
	fl.Var(varFlag{list: &f.vars}, "var", "set a root module variable (repeatable)")
	fl.Var(varFlag{list: &f.vars, file: true}, "var-file", "read variables from a .tfvars or .tfvars.json file (repeatable)")
	fl.BoolVar(&f.strict, "strict-vars", false, "a root variable without a value is an error (exit 2), as in Terraform; by default its value is a symbol")
	registerConfineFlags(fl, &f.inventoryFlags)
	fl.StringVar(&f.account, "account", "", "AWS account id where the configuration names none")
	fl.StringArrayVar(&f.regions, "region", nil, "AWS `REGION` where the configuration names none; with --aws, a region to read (repeatable)")
	fl.StringVarP(&f.format, "format", "f", "table", "output format: table, json, sarif, junit or markdown")
	fl.StringVarP(&f.output, "output", "o", "", "write to FILE instead of standard output")
	f.findingsFlags.register(fl)
	fl.IntVar(&f.depth, "depth", 4, "longest chain to report, in functions")
	fl.StringVar(&f.orgID, "org-id", "", "organization id of the application's accounts (aws:PrincipalOrgID)")
	fl.BoolVar(&f.aws, "aws", false, "read the live account first (as collect does) and simulate it with any PATH given")
	fl.StringVar(&f.live.profile, "profile", "", "with --aws: shared config `PROFILE` (default: the standard credential chain)")
	fl.BoolVar(&f.live.allRegions, "all-regions", false, "with --aws: read every region enabled for the account")
	fl.StringArrayVar(&f.live.roleARNs, "role-arn", nil, "with --aws: assume this read-only role `ARN` first (repeatable: one account each)")
	fl.StringVar(&f.live.endpoint, "endpoint-url", "", "with --aws: send every API call to this `URL` (LocalStack, tests)")
	fl.BoolVarP(&f.live.quiet, "quiet", "q", false, "with --aws: no collection progress on standard error")
	fl.BoolVar(&f.allowIncomplete, "allow-incomplete", false, "accept a live inventory with nothing collected or a trigger service not read (exit 2 otherwise)")
	return cmd
}

func runSimulate(cmd *cobra.Command, f *simulateFlags, paths []string) error {
	if f.depth < 1 {
		return &exitError{code: 2, msg: fmt.Sprintf("--depth %d: want at least 1 (functions in the longest chain)", f.depth)}
	}
	if len(paths) == 0 && !f.aws {
		return &exitError{code: 2, msg: "give a PATH (Terraform directory or snapshot), or --aws to read the live account"}
	}
	if !f.aws {
		if f.live.profile != "" || f.live.allRegions || len(f.live.roleARNs) > 0 || f.live.endpoint != "" {
			return &exitError{code: 2, msg: "--profile, --all-regions, --role-arn and --endpoint-url go with --aws"}
		}
		if len(f.regions) > 1 {
			return &exitError{code: 2, msg: "--region names one default region for Terraform; several go with --aws"}
		}
	}
	if len(f.regions) == 1 && !f.aws {
		f.region = f.regions[0]
	}
	path := rulesInput(paths)
	switch f.format {
	case "table", "json", "sarif", "junit", "markdown":
	default:
		return &exitError{code: 2, msg: fmt.Sprintf("--format %q: want table, json, sarif, junit or markdown", f.format)}
	}
	// Independent steps overlap: the rules compile while the input loads,
	// and the inventory is converted for them while the flows are
	// simulated.
	var judge *ruleRun
	var judgeErr error
	var preparing sync.WaitGroup
	preparing.Go(func() { judge, judgeErr = prepareRules(cmd, &f.findingsFlags, path) })
	inv, err := simulateInput(cmd, f, paths)
	preparing.Wait()
	if judgeErr != nil {
		return judgeErr
	}
	judge.printNotes(cmd.ErrOrStderr())
	if err != nil {
		return err
	}
	loadErrs := reportLoadDiagnostics(cmd.ErrOrStderr(), inv)
	coverage := inv.Completeness()
	if s := coverage.Summary(); s != "" {
		fmt.Fprintf(cmd.ErrOrStderr(), "lambdacheck: %s\n", s)
	}
	if len(coverage.Blocking) > 0 && f.allowIncomplete {
		fmt.Fprintf(cmd.ErrOrStderr(), "lambdacheck: accepted with --allow-incomplete: %s\n", strings.Join(coverage.Blocking, "; "))
	}
	orgID := f.orgID
	if orgID == "" {
		orgID = judge.settings.OrgID
	}
	var converted *rules.ConvertedInventory
	var converting sync.WaitGroup
	converting.Go(func() { converted = rules.ConvertInventory(inv) })
	res, err := simulator.Simulate(cmd.Context(), inv, simulator.Options{MaxDepth: f.depth, OrgID: orgID})
	converting.Wait()
	if err != nil {
		return &exitError{code: 2, msg: err.Error()}
	}
	// The flow tables do not depend on the findings: they render while
	// the rules run (on a large estate each takes most of a second).
	var tables bytes.Buffer
	var tablesErr error
	var rendering sync.WaitGroup
	if f.format == "table" {
		// About 440 bytes a row on a large estate: sized once, the buffer
		// is not copied as it grows.
		tables.Grow(len(res.Flows) * 448)
		rendering.Go(func() { tablesErr = writeFlowTables(&tables, res) })
	}
	findings, err := judge.judge(cmd, path, inv, res, orgID, converted)
	rendering.Wait()
	if err != nil {
		return err
	}
	out := cmd.OutOrStdout()
	if f.output != "" {
		file, err := os.Create(f.output)
		if err != nil {
			return &exitError{code: 2, msg: err.Error()}
		}
		defer file.Close()
		out = file
	}
	findings.Color = f.format == "table" && f.output == "" && colorOK(out)
	// Tables of a large estate are tens of thousands of rows, written a
	// line at a time.
	bw := bufio.NewWriterSize(out, 1<<16)
	switch f.format {
	case "json":
		err = writeFlowsJSON(bw, res, findings.Findings)
	case "table":
		if _, err = tables.WriteTo(bw); err == nil && tablesErr == nil {
			fmt.Fprintf(bw, "\nFindings\n")
			err = writeFindings(bw, f.format, findings)
		} else if tablesErr != nil {
			err = tablesErr
		}
	default:
		err = writeFindings(bw, f.format, findings)
	}
	if ferr := bw.Flush(); err == nil && ferr != nil {
		err = &exitError{code: 2, msg: fmt.Sprintf("write output: %v", ferr)}
	}
	if err != nil {
		return err
	}
	if err := coverage.Refusal(f.allowIncomplete); err != nil {
		return &exitError{code: 2, msg: err.Error()}
	}
	if loadErrs > 0 {
		return partialInput(loadErrs)
	}
	// A broken trigger is the broken-trigger rule's finding now: the gate
	// is the findings' severity against --fail-on.
	return gate(findings)
}

// simulateInput loads the paths and, with --aws, the live accounts, and
// merges them.
func simulateInput(cmd *cobra.Command, f *simulateFlags, paths []string) (*inventory.Inventory, error) {
	var invs []*inventory.Inventory
	if f.aws {
		if f.live.allRegions && len(f.regions) > 0 {
			return nil, &exitError{code: 2, msg: "--region and --all-regions exclude each other"}
		}
		live := f.live
		live.regions = f.regions
		live.concurrency = 16
		live.maxRetries = awsapi.DefaultMaxRetries
		live.callTimeout = defaultCallTimeout
		inv, err := collectLive(cmd, &live)
		if err != nil {
			return nil, err
		}
		invs = append(invs, inv)
	}
	if len(paths) > 0 {
		inv, err := loadInventories(cmd, &f.inventoryFlags, paths)
		if err != nil {
			return nil, &exitError{code: 2, msg: err.Error()}
		}
		invs = append(invs, inv)
	}
	return mergeInputs(invs)
}

// writeFlowsJSON writes the §6.6 contract: {"schema", "flows", "findings",
// "unknowns"}, indented as json.MarshalIndent would. It streams one record
// at a time: on a 1,000-function estate the document is tens of megabytes,
// and building it whole (then indenting a copy) cost more than simulating.
// The caller flushes bw.
func writeFlowsJSON(bw *bufio.Writer, res *flow.Result, findings []rules.Finding) error {
	if findings == nil {
		findings = []rules.Finding{}
	}
	a := arrayWriter{w: bw}
	a.enc = json.NewEncoder(&a.buf)
	a.enc.SetIndent("    ", "  ")
	a.enc.SetEscapeHTML(false)
	fmt.Fprintf(bw, "{\n  \"schema\": %d,\n  \"flows\": ", res.Schema)
	writeArray(&a, res.Flows)
	bw.WriteString(",\n  \"findings\": ")
	writeArray(&a, findings)
	bw.WriteString(",\n  \"unknowns\": ")
	writeArray(&a, res.Unknowns)
	bw.WriteString("\n}\n")
	return a.err
}

type arrayWriter struct {
	w   *bufio.Writer
	buf bytes.Buffer
	enc *json.Encoder
	err error
}

// writeArray writes items as the members of a top-level object's array.
func writeArray[T any](a *arrayWriter, items []T) {
	if items == nil {
		a.w.WriteString("null")
		return
	}
	if len(items) == 0 {
		a.w.WriteString("[]")
		return
	}
	a.w.WriteString("[\n")
	for i := range items {
		a.buf.Reset()
		if err := a.enc.Encode(&items[i]); err != nil && a.err == nil {
			a.err = err
		}
		a.w.WriteString("    ")
		a.w.Write(bytes.TrimSuffix(a.buf.Bytes(), []byte("\n")))
		if i < len(items)-1 {
			a.w.WriteString(",")
		}
		a.w.WriteString("\n")
	}
	a.w.WriteString("  ]")
}

func writeFlowTables(w io.Writer, res *flow.Result) error {
	var inv, acc, reach, chains [][]string
	for _, f := range res.Flows {
		switch f.Kind {
		case flow.KindInvoke:
			t := f.Trigger
			inv = append(inv, []string{
				t.Type + " " + nonEmptyStr(t.Source.Address, t.Source.ARN),
				t.Function.Address + qualifierSuffix(t.Function.Qualifier),
				yesNo(t.Enabled), string(f.Decision), flowWhy(f),
			})
		case flow.KindAccess:
			res := nonEmptyStr(f.Resource.Address, f.Resource.ARN)
			if f.Resource.Address != "" && f.Resource.ARN != "" && !strings.HasSuffix(f.Resource.ARN, "/"+f.Resource.Address) && strings.Contains(f.Resource.ARN, "/") && f.Purpose == "" {
				res = f.Resource.ARN
			}
			if f.Outside {
				res += " (outside)"
			}
			if f.Purpose != "" {
				res += " [" + f.Purpose + "]"
			}
			acc = append(acc, []string{f.Function.Address, res, f.Level, summarizeActions(f.Actions), string(f.Decision), grantingStatement(f)})
		case flow.KindReach:
			reach = append(reach, []string{f.Target.Address, f.Reach, f.Principal, strings.Join(f.Actions, ", "), string(f.Decision), flowWhy(f)})
		case flow.KindChain:
			loop := ""
			if f.Loop {
				loop = "loop"
			}
			chains = append(chains, []string{f.Title, loop, string(f.Decision)})
		}
	}
	sections := []struct {
		title  string
		header []string
		rows   [][]string
	}{
		{"Invocation flows", []string{"SOURCE", "FUNCTION", "ENABLED", "INVOKE", "WHY"}, inv},
		{"Function reach", []string{"FUNCTION", "RESOURCE", "LEVEL", "ACTIONS", "DECISION", "GRANTED BY"}, acc},
		{"Reach from outside", []string{"TARGET", "REACH", "WHO", "ACTIONS", "DECISION", "WHY"}, reach},
		{"Chains and loops", []string{"PATH", "LOOP", "DECISION"}, chains},
	}
	for i, s := range sections {
		if i > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "%s (%d)\n", s.title, len(s.rows))
		if len(s.rows) == 0 {
			continue
		}
		if err := render.Table(w, s.header, s.rows); err != nil {
			return err
		}
	}
	if len(res.Unknowns) > 0 {
		fmt.Fprintf(w, "\nUnresolved values (%d)\n", len(res.Unknowns))
		var rows [][]string
		for _, u := range res.Unknowns {
			loc := ""
			if u.File != "" {
				loc = fmt.Sprintf("%s:%d", u.File, u.Line)
			}
			rows = append(rows, []string{u.Address, u.Field, u.Reason, loc})
		}
		return render.Table(w, []string{"ADDRESS", "FIELD", "REASON", "WHERE"}, rows)
	}
	return nil
}

// flowWhy is the reason of the step that decided the flow: the first step
// with the flow's decision.
func flowWhy(f flow.Flow) string {
	for _, s := range f.Steps {
		if s.Decision == f.Decision && (f.Decision != flow.Allowed || len(s.Statements) > 0) {
			why := s.Reason
			if f.Decision != flow.Allowed && s.Action != "" {
				why = s.What + ": " + why
			}
			for _, st := range s.Statements {
				if st.Condition != "" {
					why += " (if " + st.Condition + ")"
				}
			}
			if len(s.Statements) > 0 && f.Decision == flow.Allowed {
				why = statementLabel(s.Statements[0])
				for _, st := range s.Statements {
					if st.Layer == "resource" {
						why = statementLabel(st)
						break
					}
				}
			}
			return why
		}
	}
	if len(f.Steps) > 0 {
		return f.Steps[len(f.Steps)-1].Reason
	}
	return ""
}

func grantingStatement(f flow.Flow) string {
	for _, s := range f.Steps {
		for _, st := range s.Statements {
			if st.Effect == "Allow" && st.Layer != "boundary" && st.Layer != "scp" {
				label := statementLabel(st)
				if !st.Certain && st.Condition != "" {
					label += " if " + st.Condition
				}
				return label
			}
		}
		if s.Decision != flow.Allowed {
			return s.Reason
		}
	}
	return ""
}

func statementLabel(st flow.Statement) string {
	label := fmt.Sprintf("%s #%d", st.Policy, st.Index)
	if st.Sid != "" {
		label = fmt.Sprintf("%s %s", st.Policy, st.Sid)
	}
	if st.File != "" {
		label += fmt.Sprintf(" (%s:%d)", st.File, st.Line)
	}
	return label
}

func summarizeActions(actions []string) string {
	const max = 4
	if len(actions) <= max {
		return strings.Join(actions, ", ")
	}
	return fmt.Sprintf("%s … (+%d)", strings.Join(actions[:max], ", "), len(actions)-max)
}

func qualifierSuffix(q string) string {
	if q == "" {
		return ""
	}
	return ":" + q
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func nonEmptyStr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

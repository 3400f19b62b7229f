package main

import (
	"errors"
	"fmt"
	"github.com/lambdacheck/lambdacheck/analyzer/confine"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/lambdacheck/lambdacheck/analyzer/iam/catalog"
	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
	"github.com/lambdacheck/lambdacheck/analyzer/terraform"
	"github.com/lambdacheck/lambdacheck/analyzer/terraform/eval"
	"github.com/lambdacheck/lambdacheck/cmd/lambdacheck/render"
	"github.com/lambdacheck/lambdacheck/cmd/lambdacheck/render/clean"
)

type inventoryFlags struct {
	vars   []eval.VarArg
	strict bool
	// root and allowOutside confine what a Terraform directory may read.
	root         string
	allowOutside bool
	account      string
	region       string
	format       string
	output       string
}

// varFlag appends --var and --var-file values to one list, keeping their
// command-line order, which decides precedence as in Terraform.
type varFlag struct {
	list *[]eval.VarArg
	file bool
}

func (v varFlag) String() string { return "" }
func (v varFlag) Type() string {
	if v.file {
		return "file"
	}
	return "name=value"
}

func (v varFlag) Set(s string) error {
	if v.file {
		*v.list = append(*v.list, eval.VarArg{File: s})
		return nil
	}
	name, value, ok := strings.Cut(s, "=")
	if !ok || name == "" {
		return fmt.Errorf("%q: want NAME=VALUE", s)
	}
	*v.list = append(*v.list, eval.VarArg{Name: name, Value: value})
	return nil
}

func newInventoryCommand() *cobra.Command {
	f := &inventoryFlags{}
	cmd := &cobra.Command{
		Use:   "inventory PATH...",
		Short: "Show the functions, roles, policies, triggers and resources loaded from PATH",
		Long: `inventory loads a Terraform directory (or a snapshot file) the way Terraform
would resolve it, without running Terraform and without network, and prints
everything found — each item with its Terraform address and file:line — plus
what could not be resolved and why.

--format json prints the snapshot format (schema 2, see docs/snapshot.md),
which every command that takes a path accepts as input. Several paths
(snapshots of several accounts, Terraform directories of applications that
talk to each other) are merged into one inventory, joined by ARN.

Variables come from defaults, terraform.tfvars, *.auto.tfvars, TF_VAR_
environment variables, then --var and --var-file in command-line order.
--account and --region apply where the provider configuration names none;
otherwise the placeholders 123456789012 and us-east-1 are used.`,
		Example: `  lambdacheck inventory fixtures/thumbnails
  lambdacheck inventory infra/ --var env=prod --var-file prod.tfvars --format json`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return runInventory(cmd, f, args) },
	}
	fl := cmd.Flags()
	fl.Var(varFlag{list: &f.vars}, "var", "set a root module variable (repeatable)")
	fl.Var(varFlag{list: &f.vars, file: true}, "var-file", "read variables from a .tfvars or .tfvars.json file (repeatable)")
	fl.BoolVar(&f.strict, "strict-vars", false, "a root variable without a value is an error (exit 2), as in Terraform; by default its value is a symbol")
	registerConfineFlags(fl, f)
	fl.StringVar(&f.account, "account", "", "AWS account id where the configuration names none")
	fl.StringVar(&f.region, "region", "", "AWS region where the configuration names none")
	fl.StringVarP(&f.format, "format", "f", "table", "output format: table or json")
	fl.StringVarP(&f.output, "output", "o", "", "write to FILE instead of standard output")
	return cmd
}

// registerConfineFlags adds the flags that set the scan root Terraform
// inputs must resolve into.
func registerConfineFlags(fl *pflag.FlagSet, f *inventoryFlags) {
	fl.StringVar(&f.root, "root", "", "scan root `DIR`: every file read must resolve inside it (default: the Git work tree holding PATH, else PATH)")
	fl.BoolVar(&f.allowOutside, "allow-read-outside-root", false, "read regular files outside the scan root (never /proc, /dev, FIFOs or devices)")
}

func runInventory(cmd *cobra.Command, f *inventoryFlags, paths []string) error {
	if f.format != "table" && f.format != "json" {
		return &exitError{code: 2, msg: fmt.Sprintf("--format %q: want table or json", f.format)}
	}
	if f.account != "" && !isAccount(f.account) {
		return &exitError{code: 2, msg: fmt.Sprintf("--account %q: want a 12-digit account id", f.account)}
	}
	inv, err := loadInventories(cmd, f, paths)
	if err != nil {
		return &exitError{code: 2, msg: err.Error()}
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
	if f.format == "json" {
		err = inventory.Write(out, inv)
	} else {
		err = inventoryTables(out, inv)
	}
	if err != nil {
		return err
	}
	errs := 0
	for _, d := range inv.Diags {
		if d.Severity == "error" {
			errs++
		}
	}
	if f.format == "json" || f.output != "" {
		// Diagnostics are in the snapshot; repeat errors on stderr.
		for _, d := range inv.Diags {
			if d.Severity == "error" {
				fmt.Fprintf(cmd.ErrOrStderr(), "%s: %s\n", position(d.File, d.Line, d.Column), diagText(d))
			}
		}
	}
	if errs > 0 {
		return &exitError{code: 2, msg: fmt.Sprintf("%d error(s) in the configuration; the inventory above is partial", errs)}
	}
	return nil
}

func isAccount(s string) bool {
	_, err := strconv.ParseUint(s, 10, 64)
	return len(s) == 12 && err == nil
}

// loadInventories loads each path and merges the inventories when there are
// several, so that flows between them (one account's role invoking
// another's function, a queue polled across accounts) are simulated. Their
// files are first rebased on the paths given, so that findings and
// positions of one input are told apart from another's.
func loadInventories(cmd *cobra.Command, f *inventoryFlags, paths []string) (*inventory.Inventory, error) {
	if len(paths) == 1 {
		return loadInventory(cmd, f, paths[0])
	}
	invs := make([]*inventory.Inventory, 0, len(paths))
	for _, p := range paths {
		inv, err := loadInventory(cmd, f, p)
		if err != nil {
			return nil, err
		}
		if info, err := os.Stat(p); err == nil && info.IsDir() {
			inventory.Rebase(inv, filepath.ToSlash(p))
		} else if inv.Source.Kind == "terraform" {
			inventory.Rebase(inv, inv.Source.Path)
		}
		invs = append(invs, inv)
	}
	return mergeInputs(invs)
}

// mergeInputs merges the inventories of several inputs (one is returned as
// it is); a conflict between them is an input error.
func mergeInputs(invs []*inventory.Inventory) (*inventory.Inventory, error) {
	if len(invs) == 1 {
		return invs[0], nil
	}
	merged, err := inventory.Merge(invs...)
	if err != nil {
		return nil, &exitError{code: 2, msg: err.Error()}
	}
	return merged, nil
}

// rulesInput is the path the rules' settings, inline waivers and SARIF
// locations are relative to: the one path given, or the working directory
// when several are merged (their files are rebased on it) or none (--aws).
func rulesInput(paths []string) string {
	if len(paths) == 1 {
		return paths[0]
	}
	return "."
}

// reportLoadDiagnostics prints on w what loading found wrong (errors, and
// warnings such as unset variables or ignored files), one per line with
// its position, and returns how many are errors: the commands that go on
// to simulate still do, and then exit 2, as the results are partial.
func reportLoadDiagnostics(w io.Writer, inv *inventory.Inventory) int {
	// Files are relative to the directory loaded; name them as the user
	// can open them.
	dir := ""
	if inv.Source.Kind == "terraform" && !strings.Contains(inv.Source.Path, ",") {
		dir = inv.Source.Path
	}
	errs := 0
	for _, d := range inv.Diags {
		file := d.File
		if file != "" && dir != "" && !filepath.IsAbs(file) {
			file = filepath.Join(dir, file)
		}
		fmt.Fprintf(w, "lambdacheck: %s: %s: %s\n", position(file, d.Line, d.Column), d.Severity, diagText(d))
		if d.Severity == "error" {
			errs++
		}
	}
	return errs
}

func partialInput(errs int) error {
	return &exitError{code: 2, msg: fmt.Sprintf("%d error(s) in the configuration (above); the results are partial", errs)}
}

// loadInventory reads a snapshot file or a Terraform directory.
func loadInventory(cmd *cobra.Command, f *inventoryFlags, path string) (*inventory.Inventory, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !info.IsDir() {
		data, err := confine.ReadInput(path)
		if err != nil {
			return nil, err
		}
		inv, err := inventory.Decode(data)
		if errors.Is(err, inventory.ErrNotSnapshot) {
			return nil, fmt.Errorf("%s: not a snapshot; give a Terraform directory or a snapshot file", path)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		return inv, nil
	}
	return terraform.Load(cmd.Context(), path, terraform.Options{
		Vars: f.vars, Env: os.Environ(), Account: f.account, Region: f.region, Catalog: catalog.Default(), StrictVars: f.strict,
		Root: f.root, AllowReadOutsideRoot: f.allowOutside,
	})
}

func position(file string, line, col int) string {
	file = clean.Line(file)
	switch {
	case file == "":
		return "-"
	case line == 0:
		return file
	case col == 0:
		return file + ":" + strconv.Itoa(line)
	}
	return file + ":" + strconv.Itoa(line) + ":" + strconv.Itoa(col)
}

// diagText is a diagnostic as one line; it quotes the input (names,
// values), so controls and escape sequences are stripped before it
// reaches a terminal or CI log.
func diagText(d inventory.Diagnostic) string {
	if d.Detail == "" {
		return clean.Line(d.Summary)
	}
	return clean.Line(d.Summary + ": " + d.Detail)
}

func inventoryTables(w io.Writer, inv *inventory.Inventory) error {
	where := func(o inventory.Origin) string { return position(o.File, o.Line, 0) }
	account := inv.Account
	if inv.Source.AccountPlaceholder {
		account += " (placeholder)"
	}
	fmt.Fprintf(w, "Source: %s\n\n", clean.Line(fmt.Sprintf("%s %s   account %s   region %s   partition %s", inv.Source.Kind, filepath.ToSlash(inv.Source.Path), account, inv.Region, inv.Partition)))
	section := func(title string, n int, header []string, rows [][]string) error {
		if n == 0 {
			return nil
		}
		fmt.Fprintf(w, "%s (%d)\n", title, n)
		if err := render.Table(w, header, rows); err != nil {
			return err
		}
		fmt.Fprintln(w)
		return nil
	}
	var rows [][]string
	for _, f := range inv.Functions {
		addr := f.Address
		if f.External {
			addr = "(external) " + addr
		}
		var extra []string
		if len(f.Aliases) > 0 {
			extra = append(extra, fmt.Sprintf("%d alias(es)", len(f.Aliases)))
		}
		if len(f.URLs) > 0 {
			extra = append(extra, "url "+f.URLs[0].AuthType)
		}
		if len(f.Permissions) > 0 {
			extra = append(extra, fmt.Sprintf("%d permission(s)", len(f.Permissions)))
		}
		rows = append(rows, []string{addr, f.ARN, f.Runtime, f.Role, strings.Join(extra, ", "), where(f.Origin)})
	}
	if err := section("Functions", len(inv.Functions), []string{"ADDRESS", "ARN", "RUNTIME", "ROLE", "ATTACHED", "FILE"}, rows); err != nil {
		return err
	}
	rows = nil
	for _, r := range inv.Roles {
		addr := r.Address
		if r.External {
			addr = "(external) " + addr
		}
		var pols []string
		for _, p := range r.InlinePolicies {
			pols = append(pols, "inline:"+p.Name)
		}
		for _, p := range r.AttachedPolicies {
			pols = append(pols, p.Name)
		}
		if r.PermissionsBoundary != nil {
			pols = append(pols, "boundary:"+r.PermissionsBoundary.Name)
		}
		rows = append(rows, []string{addr, r.ARN, strings.Join(pols, "\n"), where(r.Origin)})
	}
	if err := section("Roles", len(inv.Roles), []string{"ADDRESS", "ARN", "POLICIES", "FILE"}, rows); err != nil {
		return err
	}
	rows = nil
	for _, p := range inv.Policies {
		rows = append(rows, []string{p.Address, p.ARN, where(p.Origin)})
	}
	if err := section("Customer managed policies", len(inv.Policies), []string{"ADDRESS", "ARN", "FILE"}, rows); err != nil {
		return err
	}
	rows = nil
	for _, r := range inv.Resources {
		addr := r.Address
		if r.External {
			addr = "(external) " + addr
		}
		pol := ""
		if r.Policy != nil {
			pol = "yes"
		}
		rows = append(rows, []string{addr, r.Type, r.ARN, pol, r.KMSKeyARN, where(r.Origin)})
	}
	if err := section("Resources", len(inv.Resources), []string{"ADDRESS", "TYPE", "ARN", "POLICY", "KMS KEY", "FILE"}, rows); err != nil {
		return err
	}
	rows = nil
	for _, t := range inv.Triggers {
		target := t.Target
		if t.FunctionAddress != "" {
			target = t.FunctionAddress
			if t.Qualifier != "" {
				target += ":" + t.Qualifier
			}
		}
		enabled := "yes"
		if !t.Enabled {
			enabled = "no"
		}
		rows = append(rows, []string{t.Address, t.Kind + "/" + t.Service, t.SourceARN, target, strings.Join(t.Events, " "), enabled, where(t.Origin)})
	}
	if err := section("Triggers", len(inv.Triggers), []string{"ADDRESS", "KIND", "SOURCE", "TARGET", "EVENTS", "ENABLED", "FILE"}, rows); err != nil {
		return err
	}
	rows = nil
	for _, p := range inv.SCPs {
		rows = append(rows, []string{p.Address, p.Type, p.Name, strings.Join(p.Targets, " "), where(p.Origin)})
	}
	if err := section("Organization policies", len(inv.SCPs), []string{"ADDRESS", "TYPE", "NAME", "TARGETS", "FILE"}, rows); err != nil {
		return err
	}
	rows = nil
	for _, s := range inv.Skipped {
		rows = append(rows, []string{s.Type, strconv.Itoa(s.Count)})
	}
	if err := section("Skipped resource types", len(inv.Skipped), []string{"TYPE", "COUNT"}, rows); err != nil {
		return err
	}
	rows = unresolvedRows(inv)
	if err := section("Unresolved", len(rows), []string{"ADDRESS", "FIELD", "REASON", "FILE"}, rows); err != nil {
		return err
	}
	rows = nil
	for _, d := range inv.Diags {
		rows = append(rows, []string{d.Severity, position(d.File, d.Line, d.Column), diagText(d)})
	}
	return section("Diagnostics", len(rows), []string{"SEVERITY", "AT", "MESSAGE"}, rows)
}

// unresolvedRows gathers the unknown fields of every item.
func unresolvedRows(inv *inventory.Inventory) [][]string {
	var rows [][]string
	add := func(addr, prefix string, us []inventory.Unknown) {
		for _, u := range us {
			rows = append(rows, []string{addr, prefix + u.Field, u.Reason, position(u.File, u.Line, 0)})
		}
	}
	pol := func(addr, prefix string, p *inventory.Policy) {
		if p != nil {
			add(addr, prefix, p.Unknown)
		}
	}
	for _, u := range inv.Unknown {
		rows = append(rows, []string{u.Address, "", u.Reason, position(u.File, u.Line, 0)})
	}
	for _, f := range inv.Functions {
		add(f.Address, "", f.Unknown)
		for _, a := range f.Aliases {
			add(a.Address, "", a.Unknown)
		}
		for _, u := range f.URLs {
			add(u.Address, "", u.Unknown)
		}
		for _, c := range f.AsyncConfigs {
			add(c.Address, "", c.Unknown)
		}
		for _, p := range f.Permissions {
			add(p.Address, "", p.Unknown)
		}
		for _, p := range f.ResourcePolicies {
			pol(f.Address, "resource_policy.", &p.Policy)
		}
	}
	for _, r := range inv.Roles {
		add(r.Address, "", r.Unknown)
		pol(r.Address, "trust_policy.", r.TrustPolicy)
		for _, p := range r.InlinePolicies {
			pol(r.Address, "inline_policies["+p.Name+"].", &p)
		}
		for _, p := range r.AttachedPolicies {
			pol(r.Address, "attached_policies["+p.Name+"].", &p)
		}
		pol(r.Address, "permissions_boundary.", r.PermissionsBoundary)
	}
	for _, p := range inv.Policies {
		add(p.Address, "", p.Unknown)
	}
	for _, r := range inv.Resources {
		add(r.Address, "", r.Unknown)
		pol(r.Address, "policy.", r.Policy)
	}
	for _, t := range inv.Triggers {
		add(t.Address, "", t.Unknown)
	}
	for _, p := range inv.SCPs {
		add(p.Address, "", p.Unknown)
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i][0] < rows[j][0] })
	return rows
}

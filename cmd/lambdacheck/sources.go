package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/lambdacheck/lambdacheck/analyzer/cloudformation"
	"github.com/lambdacheck/lambdacheck/analyzer/confine"
	"github.com/lambdacheck/lambdacheck/analyzer/iam/catalog"
	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
	"github.com/lambdacheck/lambdacheck/analyzer/plan"
	"github.com/lambdacheck/lambdacheck/analyzer/source"
)

// sourceFlags pick and parameterize the non-Terraform sources.
type sourceFlags struct {
	kind       string
	parameters []string
}

func registerSourceFlags(fl *pflag.FlagSet, f *sourceFlags) {
	fl.StringVar(&f.kind, "source", "", "input kind: "+strings.Join(source.Kinds, "|")+" (default: detected from the content)")
	fl.StringArrayVar(&f.parameters, "parameter", nil, "set a template parameter `KEY=VALUE` (repeatable; wins over samconfig.toml and the parameter's Default)")
}

// loadSource loads path when it is a plan or a template (detected, or as
// --source says); handled is false for Terraform directories and
// snapshots, which the caller loads.
func loadSource(cmd *cobra.Command, f *inventoryFlags, path string) (inv *inventory.Inventory, handled bool, err error) {
	kind := f.src.kind
	if kind != "" && !source.Valid(kind) {
		return nil, true, fmt.Errorf("--source %q: want one of %s", kind, strings.Join(source.Kinds, ", "))
	}
	info, err := os.Stat(path)
	if err != nil {
		return nil, false, nil
	}
	file := path
	if info.IsDir() {
		switch kind {
		case "", source.Terraform:
			if kind == "" {
				kind, file = source.DetectDir(path)
			}
		case source.Plan:
			file = source.FindIn(path, source.PlanNames)
		case source.SAM, source.CFN:
			file = source.FindIn(path, source.TemplateNames)
		}
		if kind == source.Snapshot {
			return nil, true, fmt.Errorf("%s: --source snapshot needs a snapshot file, not a directory", path)
		}
		if kind == "" || kind == source.Terraform {
			return nil, false, nil
		}
		if file == "" {
			return nil, true, fmt.Errorf("%s: --source %s: no %s file in the directory", path, kind, kind)
		}
	} else if kind == source.Terraform {
		return nil, true, fmt.Errorf("%s: --source terraform needs a directory", path)
	}
	data, err := confine.ReadInput(file)
	if err != nil {
		return nil, true, err
	}
	if kind == "" {
		if kind, err = source.DetectFile(file, data); err != nil {
			return nil, true, err
		}
	}
	ctx := cmd.Context()
	switch kind {
	case source.Plan:
		opts := plan.Options{Account: f.account, Region: f.region, Catalog: catalog.Default(), Env: os.Environ(),
			Root: f.root, AllowReadOutsideRoot: f.allowOutside}
		if dir := filepath.Dir(file); plan.HasConfig(dir) {
			opts.ConfigDir = dir
		}
		// Files are named relative to the input's directory, as for a
		// Terraform directory.
		inv, err := plan.Load(ctx, filepath.Base(file), data, opts)
		if inv != nil {
			inv.Source.Path = filepath.ToSlash(file)
		}
		return inv, true, err
	case source.SAM, source.CFN:
		params := map[string]string{}
		if sc, err := confine.ReadInput(filepath.Join(filepath.Dir(file), "samconfig.toml")); err == nil {
			params = cloudformation.SamConfigParameters(sc)
		}
		for _, p := range f.src.parameters {
			k, v, ok := strings.Cut(p, "=")
			if !ok || k == "" {
				return nil, true, fmt.Errorf("--parameter %q: want KEY=VALUE", p)
			}
			params[k] = v
		}
		inv, err := cloudformation.Load(ctx, filepath.Base(file), data, cloudformation.Options{Parameters: params, Account: f.account, Region: f.region, Catalog: catalog.Default()})
		if inv != nil {
			inv.Source.Path = filepath.ToSlash(file)
		}
		return inv, true, err
	}
	return nil, false, nil
}

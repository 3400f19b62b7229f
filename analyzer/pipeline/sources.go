package pipeline

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/lambdacheck/lambdacheck/analyzer/awsref"
	"github.com/lambdacheck/lambdacheck/analyzer/cloudformation"
	"github.com/lambdacheck/lambdacheck/analyzer/confine"
	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
	"github.com/lambdacheck/lambdacheck/analyzer/plan"
	"github.com/lambdacheck/lambdacheck/analyzer/source"
)

// loadSource loads path when it is a plan or a template (detected, or as
// opts.Source says); handled is false for Terraform directories and
// snapshots, which loadOne reads itself.
func loadSource(ctx context.Context, path string, opts LoadOptions) (inv *inventory.Inventory, handled bool, err error) {
	kind := opts.Source
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
	switch kind {
	case source.Plan:
		po := plan.Options{Account: opts.Account, Region: opts.Region, Catalog: awsref.Default(), Env: os.Environ(),
			Root: opts.Root, AllowReadOutsideRoot: opts.AllowReadOutsideRoot}
		if dir := filepath.Dir(file); plan.HasConfig(dir) {
			po.ConfigDir = dir
		}
		// Files are named relative to the input's directory, as for a
		// Terraform directory.
		inv, err := plan.Load(ctx, filepath.Base(file), data, po)
		if inv != nil {
			inv.Source.Path = filepath.ToSlash(file)
		}
		return inv, true, err
	case source.SAM, source.CFN:
		params := map[string]string{}
		if sc, err := confine.ReadInput(filepath.Join(filepath.Dir(file), "samconfig.toml")); err == nil {
			params = cloudformation.SamConfigParameters(sc)
		}
		for _, p := range opts.Parameters {
			k, v, ok := strings.Cut(p, "=")
			if !ok || k == "" {
				return nil, true, fmt.Errorf("--parameter %q: want KEY=VALUE", p)
			}
			params[k] = v
		}
		co := cloudformation.Options{Parameters: params, Account: opts.Account, Region: opts.Region, Catalog: awsref.Default()}
		// Definitions the template points to (DefinitionUri, AWS::Include)
		// are read like Terraform's files: inside the scan root.
		rootDir := opts.Root
		if rootDir == "" {
			if rootDir, err = confine.Find(file); err != nil {
				return nil, true, err
			}
		}
		root, err := confine.New(rootDir, opts.AllowReadOutsideRoot)
		if err != nil {
			return nil, true, err
		}
		dir := filepath.Dir(file)
		co.ReadFile = func(rel string) ([]byte, error) {
			if filepath.IsAbs(rel) {
				return nil, fmt.Errorf("an absolute path is not read")
			}
			return root.ReadFile(filepath.Join(dir, filepath.FromSlash(rel)))
		}
		inv, err := cloudformation.Load(ctx, filepath.Base(file), data, co)
		if inv != nil {
			inv.Source.Path = filepath.ToSlash(file)
		}
		return inv, true, err
	}
	return nil, false, nil
}

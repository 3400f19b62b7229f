package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/lambdacheck/lambdacheck/analyzer/awsref"
	"github.com/lambdacheck/lambdacheck/analyzer/confine"
	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
	"github.com/lambdacheck/lambdacheck/analyzer/merge"
	"github.com/lambdacheck/lambdacheck/analyzer/terraform"
	"github.com/lambdacheck/lambdacheck/analyzer/terraform/eval"
)

// LoadOptions configure the sources that read files.
type LoadOptions struct {
	// Vars are --var and --var-file values in command-line order.
	Vars       []eval.VarArg
	StrictVars bool
	// Root confines what a Terraform directory may read;
	// AllowReadOutsideRoot lifts that for regular files.
	Root                 string
	AllowReadOutsideRoot bool
	// Account and Region apply where the configuration names none.
	Account string
	Region  string
	// Source forces the input kind (terraform, plan, sam, cfn, snapshot;
	// "" detects it); Parameters are template parameters KEY=VALUE.
	Source     string
	Parameters []string
	// MaxInstances overrides the count/for_each expansion budget when > 0.
	MaxInstances int
	// Stdin is read, as a snapshot, for the path StdinPath; nil refuses it.
	Stdin io.Reader
	// Loaded, when set, is called with the number of paths read so far.
	Loaded func(done int)
}

// StdinPath is the path that names standard input (a snapshot).
const StdinPath = "-"

// InputKind is what a path given on the command line holds.
type InputKind int

const (
	// KindTerraform is a directory of Terraform configuration.
	KindTerraform InputKind = iota + 1
	// KindSnapshot is a snapshot file (docs/snapshot.md).
	KindSnapshot
)

// Detect tells what kind of input path is. New sources add their kind
// here and a case in loadOne.
func Detect(path string) (InputKind, error) {
	info, err := os.Stat(path)
	if err != nil {
		return 0, err
	}
	if info.IsDir() {
		return KindTerraform, nil
	}
	return KindSnapshot, nil
}

// Load reads each path and merges the inventories when there are several,
// so that flows between them (one account's role invoking another's
// function, a queue polled across accounts) are simulated. Their files are
// first rebased on the paths given, so that positions of one input are
// told apart from another's.
func Load(ctx context.Context, paths []string, opts LoadOptions) (*inventory.Inventory, error) {
	loaded := func(done int) {
		if opts.Loaded != nil {
			opts.Loaded(done)
		}
	}
	if len(paths) == 1 {
		inv, err := loadOne(ctx, paths[0], opts)
		loaded(1)
		return inv, err
	}
	invs := make([]*inventory.Inventory, 0, len(paths))
	for i, p := range paths {
		inv, err := loadOne(ctx, p, opts)
		if err != nil {
			return nil, err
		}
		loaded(i + 1)
		if kind, err := Detect(p); err == nil && kind == KindTerraform {
			merge.Rebase(inv, filepath.ToSlash(p))
		} else if inv.Source.Kind == "terraform" {
			merge.Rebase(inv, inv.Source.Path)
		} else if k := inv.Source.Kind; k == "plan" || k == "sam" || k == "cfn" {
			merge.Rebase(inv, filepath.ToSlash(filepath.Dir(p)))
		}
		invs = append(invs, inv)
	}
	return Merge(invs)
}

// Merge merges the inventories of several inputs (one is returned as it
// is); a conflict between them is an input error.
func Merge(invs []*inventory.Inventory) (*inventory.Inventory, error) {
	if len(invs) == 1 {
		return invs[0], nil
	}
	return merge.Inventories(invs...)
}

// loadOne reads one path with the source its kind calls for.
func loadOne(ctx context.Context, path string, opts LoadOptions) (*inventory.Inventory, error) {
	if path == StdinPath {
		return loadStdin(opts)
	}
	if inv, handled, err := loadSource(ctx, path, opts); handled {
		return inv, err
	}
	kind, err := Detect(path)
	if err != nil {
		return nil, err
	}
	switch kind {
	case KindSnapshot:
		return loadSnapshot(path)
	default:
		return terraform.Load(ctx, path, terraform.Options{
			Vars: opts.Vars, Env: os.Environ(), Account: opts.Account, Region: opts.Region, Catalog: awsref.Default(), StrictVars: opts.StrictVars, MaxInstances: opts.MaxInstances,
			Root: opts.Root, AllowReadOutsideRoot: opts.AllowReadOutsideRoot,
		})
	}
}

// loadStdin reads a snapshot from standard input, bounded like a file.
func loadStdin(opts LoadOptions) (*inventory.Inventory, error) {
	const name = "standard input"
	if opts.Stdin == nil {
		return nil, fmt.Errorf("%s: not available here", name)
	}
	if opts.Source != "" && opts.Source != "snapshot" {
		return nil, fmt.Errorf("%s: --source %s: standard input is read as a snapshot", name, opts.Source)
	}
	data, err := io.ReadAll(io.LimitReader(opts.Stdin, confine.MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if len(data) > confine.MaxFileSize {
		return nil, &confine.TooLargeError{Path: name, Limit: confine.MaxFileSize}
	}
	return decodeSnapshot(name, data)
}

func loadSnapshot(path string) (*inventory.Inventory, error) {
	data, err := confine.ReadInput(path)
	if err != nil {
		return nil, err
	}
	return decodeSnapshot(path, data)
}

// decodeSnapshot decodes a snapshot read from name.
func decodeSnapshot(path string, data []byte) (*inventory.Inventory, error) {
	inv, err := inventory.Decode(data)
	if errors.Is(err, inventory.ErrNotSnapshot) {
		return nil, fmt.Errorf("%s: not a snapshot; give a Terraform directory or a snapshot file", path)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return inv, nil
}

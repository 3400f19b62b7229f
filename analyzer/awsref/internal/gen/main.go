// Command gen regenerates the catalog package's embedded data from the
// reference data directory (run by `go generate` in analyzer/awsref).
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/lambdacheck/lambdacheck/analyzer/awsref/internal/build"
)

func main() {
	data := flag.String("data", "", "reference data directory (default: ../shared/data relative to the module root)")
	out := flag.String("out", "data", "output directory for the generated blobs")
	flag.Parse()
	if err := run(*data, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(dataDir, outDir string) error {
	if dataDir == "" {
		root, err := moduleRoot()
		if err != nil {
			return err
		}
		dataDir = filepath.Join(root, "..", "shared", "data")
	}
	actions, err := build.Actions(dataDir)
	if err != nil {
		return err
	}
	policies, err := build.Policies(dataDir)
	if err != nil {
		return err
	}
	for _, f := range []struct {
		name string
		data []byte
	}{{build.ActionsFile, actions}, {build.PoliciesFile, policies}} {
		path := filepath.Join(outDir, f.name)
		if err := os.WriteFile(path, f.data, 0o644); err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
		fmt.Printf("%s: %d bytes\n", path, len(f.data))
	}
	return nil
}

// moduleRoot walks up from the working directory to the directory holding go.mod.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory; pass -data")
		}
		dir = parent
	}
}

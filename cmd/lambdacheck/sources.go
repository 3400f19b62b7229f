package main

import (
	"strings"

	"github.com/spf13/pflag"

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

package eval

import (
	"fmt"
	"strings"
)

// VarFlag is a command-line value that appends to one list: -var
// NAME=VALUE arguments, or with File, -var-file paths. Both kinds share the
// list so that their order, which decides precedence as in Terraform, is
// kept.
type VarFlag struct {
	List *[]VarArg
	File bool
}

func (v VarFlag) String() string { return "" }

// Type names the value in usage lines.
func (v VarFlag) Type() string {
	if v.File {
		return "file"
	}
	return "name=value"
}

// Set appends one argument.
func (v VarFlag) Set(s string) error {
	if v.File {
		*v.List = append(*v.List, VarArg{File: s})
		return nil
	}
	name, value, ok := strings.Cut(s, "=")
	if !ok || name == "" {
		return fmt.Errorf("%q: want NAME=VALUE", s)
	}
	*v.List = append(*v.List, VarArg{Name: name, Value: value})
	return nil
}

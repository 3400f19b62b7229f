// Package policies holds lambdacheck's built-in Rego rules: one
// folder per rule, each with the rule (<short_code>.rego) and its unit tests
// (<short_code>_test.rego), embedded into the binary.
//
// Pipeline place: source → inventory → flows → findings (these rules, run by
// analyzer/rules over the inventory and the simulator's flows) → report. The
// package has no Go logic: the rules engine loads FS, compiles every
// non-test module once and evaluates each rule's `deny` set; `lambdacheck
// rules test` runs the test modules too.
package policies

import "embed"

// FS holds every rule and every test module, under <short_code>/.
//
//go:embed */*.rego
var FS embed.FS

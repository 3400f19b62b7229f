// Package source tells what kind of input a path holds — a Terraform
// directory, a Terraform plan (JSON), an AWS SAM or CloudFormation
// template, or a lambdacheck snapshot — from its content, so the loaders
// (analyzer/terraform, analyzer/plan, analyzer/cloudformation, the snapshot
// reader of analyzer/inventory) are picked without the user saying which.
//
// Pipeline place: before the sources; it reads, never builds an inventory.
package source

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/lambdacheck/lambdacheck/analyzer/cloudformation"
	"github.com/lambdacheck/lambdacheck/analyzer/confine"
	"github.com/lambdacheck/lambdacheck/analyzer/plan"
)

// Input kinds, as --source names them.
const (
	Terraform = "terraform"
	Plan      = "plan"
	SAM       = "sam"
	CFN       = "cfn"
	Snapshot  = "snapshot"
)

// Kinds lists the kinds --source accepts.
var Kinds = []string{Terraform, Plan, SAM, CFN, Snapshot}

// Valid reports whether kind is one of Kinds.
func Valid(kind string) bool {
	for _, k := range Kinds {
		if k == kind {
			return true
		}
	}
	return false
}

// TemplateNames are the file names a directory's template is looked for
// under, in this order (those of the SAM CLI).
var TemplateNames = []string{"template.yaml", "template.yml", "template.json"}

// PlanNames are the file names a directory's plan is looked for under.
var PlanNames = []string{"plan.json", "tfplan.json"}

// DetectFile tells the kind of a file's content: a plan, a SAM or
// CloudFormation template, or a snapshot. Anything else is an error that
// says what was expected.
func DetectFile(name string, data []byte) (string, error) {
	trimmed := bytes.TrimSpace(data)
	isJSON := len(trimmed) > 0 && (trimmed[0] == '{' || trimmed[0] == '[')
	if isJSON {
		var head map[string]json.RawMessage
		if err := json.Unmarshal(trimmed, &head); err == nil {
			if _, ok := head["schema"]; ok {
				return Snapshot, nil
			}
		}
		if plan.Detect(trimmed) {
			return Plan, nil
		}
	}
	if cloudformation.Detect(data) {
		if cloudformation.IsSAM(data) {
			return SAM, nil
		}
		return CFN, nil
	}
	if cloudformation.LooksLikeTemplate(data) {
		// Let the template reader say where it is broken.
		return CFN, nil
	}
	if isJSON {
		if !json.Valid(trimmed) {
			// Let the snapshot reader say where the JSON is broken.
			return Snapshot, nil
		}
		return "", fmt.Errorf("%s: JSON that is neither a Terraform plan (terraform show -json), a CloudFormation or SAM template, nor a lambdacheck snapshot", name)
	}
	return "", fmt.Errorf("%s: not a Terraform plan, a CloudFormation or SAM template (no Resources section), or a lambdacheck snapshot; give a Terraform directory or one of those files", name)
}

// DetectDir tells what a directory holds: Terraform when it has
// configuration files, else a template, else a plan; file is the file to
// load for the latter two. kind is "" when the directory holds none.
func DetectDir(dir string) (kind, file string) {
	if plan.HasConfig(dir) {
		return Terraform, ""
	}
	if f := FindIn(dir, TemplateNames); f != "" {
		return templateKind(f), f
	}
	if f := FindIn(dir, PlanNames); f != "" {
		return Plan, f
	}
	return "", ""
}

// FindIn returns the first of names that is a regular file in dir.
func FindIn(dir string, names []string) string {
	for _, n := range names {
		p := filepath.Join(dir, n)
		if info, err := os.Stat(p); err == nil && info.Mode().IsRegular() {
			return p
		}
	}
	return ""
}

func templateKind(path string) string {
	data, err := confine.ReadInput(path)
	if err == nil && cloudformation.IsSAM(data) {
		return SAM
	}
	return CFN
}

package policies

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/tester"
)

// libDir holds the shared helper package; every other folder is one rule.
const libDir = "lib"

// ruleFolder is one rule: its folder (the short code) and its two modules.
type ruleFolder struct {
	dir        string
	rule, test string // file names inside FS
}

// folders lists the rule folders of FS, sorted.
func folders(t *testing.T) []ruleFolder {
	t.Helper()
	entries, err := fs.ReadDir(FS, ".")
	if err != nil {
		t.Fatal(err)
	}
	var out []ruleFolder
	for _, e := range entries {
		if !e.IsDir() || e.Name() == libDir {
			continue
		}
		out = append(out, ruleFolder{
			dir:  e.Name(),
			rule: path.Join(e.Name(), e.Name()+".rego"),
			test: path.Join(e.Name(), e.Name()+"_test.rego"),
		})
	}
	if len(out) == 0 {
		t.Fatal("no rule folders embedded")
	}
	return out
}

func parse(t *testing.T, name string) *ast.Module {
	t.Helper()
	src, err := fs.ReadFile(FS, name)
	if err != nil {
		t.Fatal(err)
	}
	return parseSource(t, name, string(src))
}

func parseSource(t *testing.T, name, src string) *ast.Module {
	t.Helper()
	m, err := ast.ParseModuleWithOpts(name, src, ast.ParserOptions{ProcessAnnotation: true, RegoVersion: ast.RegoV1})
	if err != nil {
		t.Fatalf("parse %s: %v", name, err)
	}
	return m
}

// allModules parses every embedded .rego file, tests included.
func allModules(t *testing.T) map[string]*ast.Module {
	t.Helper()
	mods := map[string]*ast.Module{}
	err := fs.WalkDir(FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".rego") {
			return err
		}
		mods[p] = parse(t, p)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return mods
}

// runTests runs the Rego unit tests of mods through OPA's Go tester and
// returns the results by "package.test_name".
func runTests(t *testing.T, mods map[string]*ast.Module) map[string]*tester.Result {
	t.Helper()
	ch, err := tester.NewRunner().SetModules(mods).RunTests(context.Background(), nil)
	if err != nil {
		t.Fatalf("compile: %v", err)
	}
	out := map[string]*tester.Result{}
	for r := range ch {
		out[strings.TrimPrefix(r.Package, "data.")+"."+r.Name] = r
	}
	return out
}

func failed(r *tester.Result) bool { return r.Fail || r.Error != nil }

// TestRegoUnitTests runs every *_test.rego of the embedded set, as `make
// test` and `lambdacheck rules test policies/` do.
func TestRegoUnitTests(t *testing.T) {
	results := runTests(t, allModules(t))
	perPackage := map[string]int{}
	names := make([]string, 0, len(results))
	for n, r := range results {
		names = append(names, n)
		perPackage[strings.TrimPrefix(r.Package, "data.")]++
	}
	sort.Strings(names)
	for _, n := range names {
		if r := results[n]; failed(r) {
			t.Errorf("%s:%d: %s failed: %v", r.Location.File, r.Location.Row, n, r.Error)
		}
	}
	for _, f := range folders(t) {
		pkg := "lambdacheck.rules." + strings.ReplaceAll(f.dir, "-", "_")
		if perPackage[pkg] == 0 {
			t.Errorf("%s: no test_ rules in package %s", f.test, pkg)
		}
	}
	if perPackage["lambdacheck.lib"] == 0 {
		t.Errorf("lib: no tests")
	}
	t.Logf("%d Rego tests", len(results))
}

var (
	idPattern        = regexp.MustCompile(`^LC[0-9]{3}$`)
	shortCodePattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	severities       = map[string]bool{"critical": true, "high": true, "medium": true, "low": true}
)

// TestRuleMetadata checks the contract every rule folder must keep: the
// package name, a package-scoped METADATA annotation with title,
// description, AWS documentation links and custom id/short_code/severity/
// remediation, a deny set, and a test module in the same package.
func TestRuleMetadata(t *testing.T) {
	ids := map[string]string{}
	for _, f := range folders(t) {
		t.Run(f.dir, func(t *testing.T) {
			m := parse(t, f.rule)
			wantPkg := "data.lambdacheck.rules." + strings.ReplaceAll(f.dir, "-", "_")
			if got := m.Package.Path.String(); got != wantPkg {
				t.Errorf("package %s, want %s", got, wantPkg)
			}
			var ann *ast.Annotations
			for _, a := range m.Annotations {
				if a.Scope == "package" {
					if ann != nil {
						t.Errorf("two package-scoped METADATA blocks")
					}
					ann = a
				}
			}
			if ann == nil {
				t.Fatal("no package-scoped METADATA")
			}
			if strings.TrimSpace(ann.Title) == "" || strings.TrimSpace(ann.Description) == "" {
				t.Errorf("title %q, description %q: both required", ann.Title, ann.Description)
			}
			if len(ann.RelatedResources) == 0 {
				t.Errorf("no related_resources")
			}
			for _, rr := range ann.RelatedResources {
				if u := rr.Ref.String(); !strings.HasPrefix(u, "https://docs.aws.amazon.com/") {
					t.Errorf("related resource %s: want an AWS documentation link", u)
				}
			}
			str := func(k string) string { s, _ := ann.Custom[k].(string); return strings.TrimSpace(s) }
			id, code, sev := str("id"), str("short_code"), str("severity")
			if !idPattern.MatchString(id) {
				t.Errorf("custom.id %q: want LCnnn", id)
			} else if prev, dup := ids[id]; dup {
				t.Errorf("custom.id %s already used by %s", id, prev)
			}
			ids[id] = f.dir
			if code != f.dir || !shortCodePattern.MatchString(code) {
				t.Errorf("custom.short_code %q: want the kebab-case folder name %q", code, f.dir)
			}
			if !severities[sev] {
				t.Errorf("custom.severity %q: want critical, high, medium or low", sev)
			}
			if str("remediation") == "" {
				t.Errorf("custom.remediation is empty")
			}
			if !definesDeny(m) {
				t.Errorf("no deny rule")
			}
			tm := parse(t, f.test)
			if tm.Package.Path.String() != wantPkg {
				t.Errorf("%s: package %s, want %s", f.test, tm.Package.Path, wantPkg)
			}
		})
	}
	// The library is not a rule: no deny, no METADATA.
	for _, a := range parse(t, path.Join(libDir, "lib.rego")).Annotations {
		if a.Scope == "package" {
			t.Errorf("lib.rego: a helper package must not carry rule METADATA")
		}
	}
}

// TestDocsMatchMetadata keeps the rule table of README.md and the pages of
// docs/rules in step with the METADATA: same id, short code and severity.
func TestDocsMatchMetadata(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	index, err := os.ReadFile(filepath.Join("..", "docs", "rules", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range folders(t) {
		t.Run(f.dir, func(t *testing.T) {
			var ann *ast.Annotations
			for _, a := range parse(t, f.rule).Annotations {
				if a.Scope == "package" {
					ann = a
				}
			}
			if ann == nil {
				t.Fatal("no METADATA")
			}
			id, _ := ann.Custom["id"].(string)
			sev, _ := ann.Custom["severity"].(string)
			row := fmt.Sprintf("| %s | [%s](#%s-%s) | %s |", id, f.dir, strings.ToLower(id), f.dir, sev)
			if !strings.Contains(string(readme), row) {
				t.Errorf("policies/README.md lacks the table row %q", row)
			}
			if !strings.Contains(string(readme), fmt.Sprintf("\n## %s %s\n", id, f.dir)) {
				t.Errorf("policies/README.md lacks the section \"## %s %s\"", id, f.dir)
			}
			page, err := os.ReadFile(filepath.Join("..", "docs", "rules", f.dir+".md"))
			if err != nil {
				t.Fatalf("docs/rules page: %v", err)
			}
			if head := fmt.Sprintf("# %s %s: %s\n", id, f.dir, ann.Title); !strings.HasPrefix(string(page), head) {
				t.Errorf("docs/rules/%s.md should start with %q", f.dir, head)
			}
			if !strings.Contains(string(page), "Severity **"+sev+"**") {
				t.Errorf("docs/rules/%s.md does not give severity %s", f.dir, sev)
			}
			if !strings.Contains(string(index), fmt.Sprintf("| %s | [%s](%s.md) | %s |", id, ann.Title, f.dir, sev)) {
				t.Errorf("docs/rules/README.md lacks the row for %s", id)
			}
		})
	}
}

func definesDeny(m *ast.Module) bool {
	for _, r := range m.Rules {
		if r.Head.Name.String() == "deny" || r.Head.Ref().String() == "deny" {
			return true
		}
	}
	return false
}

// TestEveryRuleHasPositiveAndNegativeTests proves each rule's tests judge
// the rule, by mutation: with deny replaced by an empty set the positive
// tests must fail, and with deny replaced by a set that always holds a
// finding the negative tests must fail. A rule passes when it has at least
// one test of each kind.
func TestEveryRuleHasPositiveAndNegativeTests(t *testing.T) {
	lib := parse(t, path.Join(libDir, "lib.rego"))
	for _, f := range folders(t) {
		t.Run(f.dir, func(t *testing.T) {
			rule := parse(t, f.rule)
			pkg := strings.TrimPrefix(rule.Package.Path.String(), "data.")
			run := func(mutant string) map[string]*tester.Result {
				noDeny := rule.Copy()
				noDeny.Rules = nil
				for _, r := range rule.Copy().Rules {
					if r.Head.Name.String() != "deny" && r.Head.Ref().String() != "deny" {
						noDeny.Rules = append(noDeny.Rules, r)
					}
				}
				// Re-parse so rule back-pointers belong to the new module.
				noDeny = parseSource(t, f.rule, noDeny.String())
				return runTests(t, map[string]*ast.Module{
					"lib.rego":    lib,
					f.rule:        noDeny,
					"mutant.rego": parseSource(t, "mutant.rego", "package "+pkg+"\n\n"+mutant+"\n"),
					f.test:        parse(t, f.test),
				})
			}
			// object.union with an input value keeps the finding's static
			// type open, so tests comparing fields type-check against both.
			none := run(`deny contains f if { f := object.union({"message": "never"}, object.get(input, "__mutant", {})); false }`)
			always := run(`deny contains f if { f := object.union({"message": "mutant finding", "address": "mutant", "file": "mutant.tf", "line": 1, "flows": ["mutant"]}, object.get(input, "__mutant", {})) }`)
			var positive, negative []string
			for name, r := range none {
				switch {
				case failed(r):
					positive = append(positive, name)
				case always[name] != nil && failed(always[name]):
					negative = append(negative, name)
				}
			}
			sort.Strings(positive)
			sort.Strings(negative)
			if len(positive) == 0 {
				t.Errorf("no positive test: every test passes when the rule finds nothing")
			}
			if len(negative) == 0 {
				t.Errorf("no negative test: every test passes when the rule reports everything")
			}
			t.Logf("positive %v; negative %v", positive, negative)
		})
	}
}

// TestRulesReadNoPolicyDocument: what a statement grants is the IAM engine's
// answer (input.facts, docs/flows.md); a rule that walks a document's
// statements or matches IAM patterns itself is a second interpreter of the
// policy language that can disagree with the first.
func TestRulesReadNoPolicyDocument(t *testing.T) {
	forbidden := regexp.MustCompile(`\.Statement\b|"Statement"|\bglob\.match\(|"(Not)?Action"|"(Not)?Resource"|"Condition"|"Effect"`)
	for name := range allModules(t) {
		if strings.HasSuffix(name, "_test.rego") {
			continue
		}
		src, err := fs.ReadFile(FS, name)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(src), "\n") {
			if code, _, _ := strings.Cut(line, "#"); forbidden.MatchString(code) {
				t.Errorf("%s:%d reads a policy document: %s", name, i+1, strings.TrimSpace(line))
			}
		}
	}
}

package terraform

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
)

// secret is the content of the file outside the scan root; it must never
// appear in what the loader returns.
const secret = "TOPSECRET-7f3a"

// confineTree builds base/repo (a Git work tree) with the configuration in
// base/repo/app, and base/outside holding a secret file, a module and a
// tfvars file. Symlinks and FIFOs are made here, at test time.
func confineTree(t *testing.T, files map[string]string, links map[string]string, fifos ...string) (app, outside string) {
	t.Helper()
	base := t.TempDir()
	repo := filepath.Join(base, "repo")
	app, outside = filepath.Join(repo, "app"), filepath.Join(base, "outside")
	all := map[string]string{
		"repo/.git/HEAD":          "ref: refs/heads/main\n",
		"outside/secret.txt":      secret,
		"outside/secret.tpl":      secret + " ${x}",
		"outside/mod/main.tf":     `resource "aws_sqs_queue" "leak" { name = "from-outside-module" }`,
		"outside/vars.tfvars":     `name = "` + secret + `"`,
		"repo/shared/main.tf":     `resource "aws_sqs_queue" "shared" { name = "shared-queue" }`,
		"repo/app/num.txt":        secret + "-not-a-number",
		"repo/app/inside.txt":     "inside",
		"repo/app/variables.tf":   `variable "name" { default = "default-name" }`,
		"repo/app/placeholder.tf": ``,
	}
	for k, v := range files {
		all["repo/app/"+k] = v
	}
	for name, src := range all {
		p := filepath.Join(base, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(strings.ReplaceAll(src, "OUTSIDE", outside)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for name, target := range links {
		if err := os.Symlink(strings.ReplaceAll(target, "OUTSIDE", outside), filepath.Join(app, name)); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range fifos {
		if err := syscall.Mkfifo(filepath.Join(app, name), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return app, outside
}

func queue(name string) string {
	return "resource \"aws_sqs_queue\" \"q\" {\n  name = " + name + "\n}\n"
}

func TestConfinement(t *testing.T) {
	environ, err := os.ReadFile("/proc/self/environ")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name         string
		files        map[string]string
		links        map[string]string
		fifos        []string
		root         string // relative to the app directory; "" for the default
		allowOutside bool
		// diag is the severity and summary of a diagnostic that must be
		// there, in file diagFile when set.
		diag, summary, diagFile string
		// queues that must (true) or must not (false) be loaded.
		queues map[string]bool
		// name is the wanted name of aws_sqs_queue.q; "" checks only that
		// it is unresolved.
		queueName string
		// leaks are extra strings that must not appear anywhere.
		leaks []string
	}{
		{name: "file() of an absolute path outside",
			files: map[string]string{"main.tf": queue(`"r-${file("OUTSIDE/secret.txt")}"`)},
			diag:  "warning", summary: "Outside the scan root", diagFile: "main.tf"},
		{name: "file() escaping with ../",
			files: map[string]string{"main.tf": queue(`"r-${file("../../outside/secret.txt")}"`)},
			diag:  "warning", summary: "Outside the scan root"},
		{name: "file() of /etc/passwd",
			files: map[string]string{"main.tf": queue(`"r-${file("/etc/passwd")}"`)},
			diag:  "warning", summary: "Outside the scan root", leaks: []string{"root:"}},
		{name: "filebase64 of /proc/self/environ",
			files: map[string]string{"main.tf": queue(`"r-${filebase64("/proc/self/environ")}"`)},
			diag:  "error", summary: "Error in function call"},
		{name: "filebase64 of /proc/self/environ with opt-in",
			files:        map[string]string{"main.tf": queue(`"r-${filebase64("/proc/self/environ")}"`)},
			allowOutside: true, diag: "error", summary: "Error in function call"},
		{name: "templatefile outside",
			files: map[string]string{"main.tf": queue(`templatefile("OUTSIDE/secret.tpl", { x = "y" })`)},
			diag:  "warning", summary: "Outside the scan root"},
		{name: "filesha256 outside",
			files: map[string]string{"main.tf": queue(`filesha256("OUTSIDE/secret.txt")`)},
			diag:  "warning", summary: "Outside the scan root"},
		{name: "fileexists outside is unknown, not false",
			files: map[string]string{"main.tf": queue(`fileexists("OUTSIDE/secret.txt") ? "yes" : "no"`)},
			diag:  "warning", summary: "Outside the scan root"},
		{name: "fileset of a directory outside",
			files: map[string]string{"main.tf": queue(`join("-", fileset("OUTSIDE", "*.txt"))`)},
			diag:  "warning", summary: "Outside the scan root"},
		{name: "file() inside the root still reads",
			files:     map[string]string{"main.tf": queue(`file("inside.txt")`)},
			queueName: "inside"},
		{name: "opt-in reads a regular file outside",
			files:        map[string]string{"main.tf": queue(`file("OUTSIDE/secret.txt")`)},
			allowOutside: true, queueName: secret},
		{name: "symlinked .tf to /etc/passwd is not parsed",
			files: map[string]string{"main.tf": queue(`"q"`)},
			links: map[string]string{"passwd.tf": "/etc/passwd"},
			diag:  "warning", summary: "Outside the scan root", diagFile: "passwd.tf", queueName: "q", leaks: []string{"root:"}},
		{name: "symlinked .tf to /dev/zero is refused",
			files: map[string]string{"main.tf": queue(`"q"`)},
			links: map[string]string{"zero.tf": "/dev/zero"},
			diag:  "error", summary: "Not a regular file", diagFile: "zero.tf", queueName: "q"},
		{name: "symlinked .tf to /dev/zero is refused with opt-in",
			files:        map[string]string{"main.tf": queue(`"q"`)},
			links:        map[string]string{"zero.tf": "/dev/zero"},
			allowOutside: true, diag: "error", summary: "Not a regular file", diagFile: "zero.tf", queueName: "q"},
		{name: "FIFO x.tf does not hang",
			files: map[string]string{"main.tf": queue(`"q"`)},
			fifos: []string{"x.tf"},
			diag:  "error", summary: "Not a regular file", diagFile: "x.tf", queueName: "q"},
		{name: "local module outside the root",
			files: map[string]string{"main.tf": queue(`"q"`) + `module "m" { source = "../../outside/mod" }`},
			diag:  "warning", summary: "Outside the scan root", diagFile: "main.tf",
			queues: map[string]bool{"module.m.aws_sqs_queue.leak": false}},
		{name: "local module outside the root with opt-in",
			files:        map[string]string{"main.tf": queue(`"q"`) + `module "m" { source = "../../outside/mod" }`},
			allowOutside: true, queues: map[string]bool{"module.m.aws_sqs_queue.leak": true}, queueName: "q"},
		{name: "local module inside the work tree",
			files:  map[string]string{"main.tf": queue(`"q"`) + `module "s" { source = "../shared" }`},
			queues: map[string]bool{"module.s.aws_sqs_queue.shared": true}, queueName: "q"},
		{name: "--root narrower than the work tree",
			files: map[string]string{"main.tf": queue(`"q"`) + `module "s" { source = "../shared" }`},
			root:  ".", diag: "warning", summary: "Outside the scan root",
			queues: map[string]bool{"module.s.aws_sqs_queue.shared": false}},
		{name: "modules.json Dir outside the root",
			files: map[string]string{
				"main.tf":                         queue(`"q"`) + `module "m" { source = "acme/leak/aws" }`,
				".terraform/modules/modules.json": `{"Modules":[{"Key":"m","Source":"acme/leak/aws","Dir":"OUTSIDE/mod"}]}`,
			},
			diag: "warning", summary: "Outside the scan root",
			queues: map[string]bool{"module.m.aws_sqs_queue.leak": false}},
		{name: "terraform.tfvars symlinked outside",
			files: map[string]string{"main.tf": queue(`var.name`)},
			links: map[string]string{"terraform.tfvars": "OUTSIDE/vars.tfvars"},
			diag:  "warning", summary: "Outside the scan root", diagFile: "terraform.tfvars", queueName: "default-name"},
		{name: "conversion error does not print the file",
			files: map[string]string{"main.tf": queue(`"n-${tonumber(file("num.txt"))}"`)},
			diag:  "error", summary: "Invalid use of file content", leaks: []string{"not-a-number"}},
		{name: "conversion error through a local does not print the file",
			files: map[string]string{"main.tf": `locals { n = file("num.txt") }` + "\n" + queue(`"n-${tonumber(local.n)}"`)},
			diag:  "error", summary: "Invalid use of file content", leaks: []string{"not-a-number"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			app, _ := confineTree(t, c.files, c.links, c.fifos...)
			opts := Options{Catalog: fakeCatalog{}, AllowReadOutsideRoot: c.allowOutside}
			if c.root != "" {
				opts.Root = filepath.Join(app, c.root)
			}
			type result struct {
				inv *inventory.Inventory
				err error
			}
			done := make(chan result, 1)
			go func() { inv, err := Load(context.Background(), app, opts); done <- result{inv, err} }()
			var res result
			select {
			case res = <-done:
			case <-time.After(20 * time.Second):
				t.Fatal("Load blocked")
			}
			if res.err != nil {
				t.Fatal(res.err)
			}
			inv := res.inv
			if c.diag != "" && !hasDiag(inv, c.diag, c.summary, c.diagFile) {
				t.Fatalf("no %s %q in %s: %+v", c.diag, c.summary, c.diagFile, inv.Diags)
			}
			if c.diag == "" {
				for _, d := range inv.Diags {
					if d.Severity == "error" || d.Summary == "Outside the scan root" {
						t.Fatalf("unexpected diagnostic %+v", d)
					}
				}
			}
			for addr, want := range c.queues {
				if got := findResource(inv, addr) != nil; got != want {
					t.Fatalf("%s loaded = %v, want %v", addr, got, want)
				}
			}
			if q := findResource(inv, "aws_sqs_queue.q"); q != nil && c.queueName != "" && q.Name != c.queueName {
				t.Fatalf("queue name %q, want %q", q.Name, c.queueName)
			}
			out, err := json.Marshal(inv)
			if err != nil {
				t.Fatal(err)
			}
			leaks := append([]string{base64.StdEncoding.EncodeToString(environ[:min(len(environ), 30)])}, c.leaks...)
			if !c.allowOutside {
				leaks = append(leaks, secret)
			}
			for _, l := range leaks {
				if strings.Contains(string(out), l) {
					t.Fatalf("%q leaks into the inventory: %s", l, out)
				}
			}
		})
	}
}

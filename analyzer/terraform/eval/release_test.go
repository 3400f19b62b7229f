package eval

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"
)

func writeFiles(t testing.TB, dir string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// releaseConfig calls one module directory from three single calls and from
// a counted call (last in name order, as calls are walked): the first single
// call has it to itself, the others must still see its syntax.
var releaseConfig = map[string]string{
	"main.tf": `
resource "aws_sqs_queue" "q" {
  name = "root-queue"
  tags = { team = "a" }
}
resource "aws_lambda_event_source_mapping" "m" {
  event_source_arn = aws_sqs_queue.q.arn
  function_name    = "f"
}
module "one" {
  source = "./mod"
  name   = "one"
}
module "two" {
  source = "./mod"
  name   = "two"
}
module "twob" {
  source = "./mod"
  name   = "twob"
}
module "zmany" {
  source = "./mod"
  count  = 2
  name   = "many${count.index}"
}
`,
	"mod/main.tf": `
variable "name" {}
resource "aws_sns_topic" "t" {
  name = "topic-${var.name}"
}
`,
}

func evaluateReleased(t *testing.T, release bool) *Result {
	t.Helper()
	dir := t.TempDir()
	writeFiles(t, dir, releaseConfig)
	res, err := Evaluate(context.Background(), Options{Dir: dir, ReleaseSyntax: release,
		KeepReferences: map[string][]string{"aws_lambda_event_source_mapping": {"event_source_arn"}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range res.Diags {
		t.Errorf("diagnostic: %s: %s", d.Summary, d.Detail)
	}
	return res
}

func TestReleaseSyntaxKeepsValuesAndWhatIsReadLater(t *testing.T) {
	kept, released := evaluateReleased(t, false), evaluateReleased(t, true)
	values := func(res *Result) map[string]cty.Value {
		out := map[string]cty.Value{}
		for _, i := range res.Instances {
			out[i.Addr] = i.Config
		}
		return out
	}
	a, b := values(kept), values(released)
	if len(a) != 7 {
		t.Fatalf("instances %d, want 7 (2 root, 5 module): %v", len(a), a)
	}
	for addr, v := range a {
		if !b[addr].RawEquals(v) {
			t.Errorf("%s: released %#v, kept %#v", addr, b[addr], v)
		}
	}
	for _, i := range released.Instances {
		r := i.Resource
		// The root and the first single call have their configuration to
		// themselves; the second single call and the counted call's
		// instances share one second copy, which nobody releases.
		wantReleased := i.Addr == "aws_sqs_queue.q" || i.Addr == "aws_lambda_event_source_mapping.m" || strings.HasPrefix(i.Addr, "module.one.")
		if got := r.Body == nil; got != wantReleased {
			t.Errorf("%s: body released %v, want %v", i.Addr, got, wantReleased)
		}
		if end := r.End(); end.Line <= r.Range.Start.Line || end.Column != 2 {
			t.Errorf("%s: block ends at %d:%d, starts at line %d", i.Addr, end.Line, end.Column, r.Range.Start.Line)
		}
		if file, pos, ok := r.ArgStart("name"); (i.Resource.Type != "aws_lambda_event_source_mapping") != ok || (ok && (pos.Line != r.Range.Start.Line+1 || file == "")) {
			t.Errorf("%s: name argument at %s:%d (found %v)", i.Addr, file, pos.Line, ok)
		}
	}
	// However many calls name the directory, it is read at most twice: the
	// later calls share one copy.
	byAddr := map[string]*Instance{}
	for _, i := range released.Instances {
		byAddr[i.Addr] = i
	}
	shared := byAddr["module.two.aws_sns_topic.t"].Resource
	for _, addr := range []string{"module.twob.aws_sns_topic.t", "module.zmany[0].aws_sns_topic.t", "module.zmany[1].aws_sns_topic.t"} {
		if byAddr[addr] == nil || byAddr[addr].Resource != shared {
			t.Errorf("%s does not share the second copy of ./mod", addr)
		}
	}
	if byAddr["module.one.aws_sns_topic.t"].Resource == shared {
		t.Error("the first call shares the copy it released")
	}
	m := released.Instances[1]
	if m.Resource.Type != "aws_lambda_event_source_mapping" || m.Resource.Body != nil {
		t.Fatalf("instance 1 is %s, body %v", m.Addr, m.Resource.Body)
	}
	refs := m.Resource.Traversals("event_source_arn")
	if len(refs) != 1 || refs[0].RootName() != "aws_sqs_queue" {
		t.Errorf("kept references %v, want aws_sqs_queue.q.arn", refs)
	}
	if got := m.Resource.Traversals("function_name"); got != nil {
		t.Errorf("references of an argument not kept: %v", got)
	}
}

// TestReleaseSyntaxFreesTheSyntaxTrees measures the live heap after
// evaluating a large root module: releasing must leave far less of it.
func TestReleaseSyntaxFreesTheSyntaxTrees(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	for i := range 3000 {
		fmt.Fprintf(&b, `resource "aws_iam_role_policy" "p%d" {
  name   = "p%d"
  role   = "r%d"
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = ["sqs:SendMessage", "sqs:ReceiveMessage"], Resource = "arn:aws:sqs:*:*:q%d" }] })
}
`, i, i, i, i)
	}
	writeFiles(t, dir, map[string]string{"main.tf": b.String()})
	live := func(release bool) uint64 {
		res, err := Evaluate(context.Background(), Options{Dir: dir, ReleaseSyntax: release})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Instances) != 3000 || res.Instances[2999].Config.GetAttr("name") != cty.StringVal("p2999") {
			t.Fatalf("evaluated %d instances", len(res.Instances))
		}
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		runtime.KeepAlive(res)
		return ms.HeapAlloc
	}
	live(true) // warm up what every run shares
	with, without := live(true), live(false)
	t.Logf("live heap after evaluation: %d KiB released, %d KiB kept", with>>10, without>>10)
	if with*10 > without*7 {
		t.Errorf("releasing the syntax left %d KiB live, keeping it %d KiB: want under 70%%", with>>10, without>>10)
	}
}

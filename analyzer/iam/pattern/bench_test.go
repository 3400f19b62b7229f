package pattern

import (
	"strings"
	"testing"
)

// reqR is req already boxed, so that passing it does not allocate.
var reqR Resolver = req

func benchTemplate(b *testing.B, src, s string, want Tri) {
	tm := mustCompile(src, wildVars)
	b.ReportAllocs()
	for b.Loop() {
		if tm.Match(s, false, reqR) != want {
			b.Fatal("wrong answer")
		}
	}
}

func BenchmarkTemplateMatchNoVariables(b *testing.B) {
	benchTemplate(b, "arn:aws:s3:::bucket/uploads/*/data-????.json", "arn:aws:s3:::bucket/uploads/2026/11/data-0001.json", True)
}

func BenchmarkTemplateMatchExact(b *testing.B) {
	benchTemplate(b, "arn:aws:lambda:us-east-1:111111111111:function:app", "arn:aws:lambda:us-east-1:111111111111:function:app", True)
}

func BenchmarkTemplateMatchEscapes(b *testing.B) {
	benchTemplate(b, "arn:aws:s3:::bucket/${*}/*", "arn:aws:s3:::bucket/*/x", True)
}

func BenchmarkTemplateMatchVariable(b *testing.B) {
	benchTemplate(b, "arn:aws:s3:::bucket/home/${aws:username}/*", "arn:aws:s3:::bucket/home/alice/file", True)
}

func BenchmarkMatchPathologicalFold(b *testing.B) {
	p := "*" + strings.Repeat("a", 50) + "b*"
	s := strings.Repeat("a", 100_000)
	b.ReportAllocs()
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		if MatchFold(p, s) {
			b.Fatal("matched")
		}
	}
}

func BenchmarkMatchPathological(b *testing.B) {
	p := strings.Repeat("*a", 100) + "b"
	s := strings.Repeat("a", 100_000)
	b.ReportAllocs()
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		if Match(p, s) {
			b.Fatal("matched")
		}
	}
}

func TestNoVariablePathDoesNotAllocate(t *testing.T) {
	for _, src := range []string{"arn:aws:s3:::bucket/*/x-??", "exact", "a${*}b*"} {
		tm := mustCompile(src, wildVars)
		n := testing.AllocsPerRun(100, func() { tm.Match("arn:aws:s3:::bucket/k/x-01", true, reqR) })
		if n != 0 {
			t.Errorf("Match on %q allocates %v times", src, n)
		}
	}
}

func BenchmarkARNMatch(b *testing.B) {
	a, err := CompileARN("arn:aws:lambda:*:111111111111:function:app-*", Options{Variables: true})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if a.Match("arn:aws:lambda:us-east-1:111111111111:function:app-worker", nil) != True {
			b.Fatal("wrong answer")
		}
	}
}

func BenchmarkTemplateEqualExact(b *testing.B) {
	tm := mustCompile("111111111111", exactVars)
	b.ReportAllocs()
	for b.Loop() {
		if tm.Equal("111111111111", false, reqR) != True {
			b.Fatal("wrong answer")
		}
	}
}

// BenchmarkCompile compiles the resource patterns of a generated batch
// line, which a policy derived from its shape compiles anew for each line.
func BenchmarkCompile(b *testing.B) {
	res := []string{"arn:aws:s3:::bucket-12345", "arn:aws:s3:::bucket-12345/*", "arn:aws:logs:*:111111111111:log-group:/aws/lambda/*"}
	opt := Options{Wildcards: true, Variables: true}
	for b.Loop() {
		for _, s := range res {
			if _, err := Compile(s, opt); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func BenchmarkTemplateMatchPrefix(b *testing.B) {
	benchTemplate(b, "arn:aws:s3:::bucket-12/*", "arn:aws:s3:::bucket-12/key/12", True)
}

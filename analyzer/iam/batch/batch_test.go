package batch

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/iotest"
	"time"

	"github.com/lambdacheck/lambdacheck/analyzer/iam"
	"github.com/lambdacheck/lambdacheck/fixtures/gen/authzcase"
)

func TestRunKeepsOrderAndReportsErrors(t *testing.T) {
	var in strings.Builder
	const n = 1000
	for i := 0; i < n; i++ {
		switch {
		case i%97 == 5:
			in.WriteString(`{"id":"bad` + fmt.Sprint(i) + `","request":{"action":"s3:GetObject","resource":"*"}}`)
		case i%101 == 7:
			in.WriteString(`{"id": not json`)
		default:
			in.WriteString(authzcase.Typical(i))
		}
		in.WriteByte('\n')
	}
	var out bytes.Buffer
	stats, err := Run(context.Background(), strings.NewReader(in.String()), &out, Options{Workers: 4})
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != n || stats.Lines != n {
		t.Fatalf("got %d output lines (stats %d), want %d", len(lines), stats.Lines, n)
	}
	errs := 0
	for i, l := range lines {
		var rec struct {
			ID       any    `json:"id"`
			Decision string `json:"decision"`
			Error    string `json:"error"`
		}
		if err := json.Unmarshal([]byte(l), &rec); err != nil {
			t.Fatalf("line %d is not JSON: %v: %s", i, err, l)
		}
		switch {
		case i%97 == 5:
			if rec.Error == "" || rec.ID != fmt.Sprintf("bad%d", i) || !strings.Contains(rec.Error, "request.principal") {
				t.Fatalf("line %d: want an error naming request.principal with its id, got %s", i, l)
			}
			errs++
		case i%101 == 7:
			if rec.Error == "" || rec.ID != nil {
				t.Fatalf("line %d: want an error with id null, got %s", i, l)
			}
			errs++
		default:
			if rec.ID != fmt.Sprintf("c%d", i) {
				t.Fatalf("line %d: out of order, id %v", i, rec.ID)
			}
			if rec.Decision != "Allowed" {
				t.Fatalf("line %d: decision %s, want Allowed: %s", i, rec.Decision, l)
			}
		}
	}
	if stats.Errors != errs {
		t.Fatalf("stats.Errors = %d, want %d", stats.Errors, errs)
	}
}

func TestAppendStringEscapes(t *testing.T) {
	got := string(appendString(nil, "a\"b\\c\n\x01é\xff"))
	var back string
	if err := json.Unmarshal([]byte(got), &back); err != nil {
		t.Fatalf("%s is not a JSON string: %v", got, err)
	}
	if back != "a\"b\\c\n\x01é\ufffd" {
		t.Fatalf("round trip gave %q", back)
	}
}

func TestDeciderAnswersAsAppendDecision(t *testing.T) {
	d := NewDecider(iam.ParseOptions{})
	for i := 0; i < 300; i++ {
		line := []byte(authzcase.Typical(i % 50)) // repeats, so the cache answers
		if got, want := string(d.Append(nil, line)), string(AppendDecision(nil, line)); got != want {
			t.Fatalf("line %d:\n%s\nwant\n%s", i, got, want)
		}
	}
}

func TestRunReportsNotices(t *testing.T) {
	line := `{"id":1,"request":{"principal":"arn:aws:iam::222222222222:user/x","action":"s3:GetObject","resource":"arn:aws:s3:::b/k","resourceAccount":"111111111111"},"resourcePolicy":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}}` + "\n"
	var out bytes.Buffer
	if _, err := Run(context.Background(), strings.NewReader(line), &out, Options{Workers: 1}); err != nil {
		t.Fatal(err)
	}
	var rec struct {
		Decision string
		Notices  []string
	}
	if err := json.Unmarshal(out.Bytes(), &rec); err != nil {
		t.Fatalf("%v: %s", err, out.String())
	}
	if rec.Decision != "ImplicitlyDenied" || len(rec.Notices) != 1 || !strings.Contains(rec.Notices[0], "resourcePolicy: Statement[0]: NotPrincipal") {
		t.Fatalf("want ImplicitlyDenied with a NotPrincipal notice, got %s", out.String())
	}
}

func TestRunLenient(t *testing.T) {
	line := `{"id":1,"request":{"principal":"arn:aws:iam::111111111111:user/x","action":"s3:GetObject","resource":"arn:aws:s3:::b/k"},"identityPolicies":[{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Principal":"*"}}]}` + "\n"
	for _, lenient := range []bool{false, true} {
		var out bytes.Buffer
		if _, err := Run(context.Background(), strings.NewReader(line), &out, Options{Lenient: lenient}); err != nil {
			t.Fatal(err)
		}
		got := out.String()
		if lenient != strings.Contains(got, `"decision":"Allowed"`) || lenient == strings.Contains(got, `"error"`) {
			t.Fatalf("lenient=%v: %s", lenient, got)
		}
	}
}

// typicalInput is n generated cases, one per line; with distinct > 0 only
// that many different lines repeat.
func typicalInput(n, distinct int) string {
	var in strings.Builder
	for i := 0; i < n; i++ {
		k := i
		if distinct > 0 {
			k = i % distinct
		}
		in.WriteString(authzcase.Typical(k))
		in.WriteByte('\n')
	}
	return in.String()
}

// BenchmarkRun measures the batch in process: "uncached" decides each line
// from scratch (AppendDecision), as every line was decided before policies
// were cached; "cached" is Run. "generated" are the cases of
// fixtures/gen/authzcases, where two of a line's five policies are unique
// to it; "repeating" cycles through 100 of them.
func BenchmarkRun(b *testing.B) {
	const n = 20000
	for _, input := range []struct {
		name     string
		distinct int
	}{{"generated", 0}, {"repeating", 100}} {
		data := typicalInput(n, input.distinct)
		for _, mode := range []struct {
			name   string
			decide func() decideFunc
		}{
			{"uncached", func() decideFunc { return appendDecision }},
			{"cached", func() decideFunc { return NewDecider(iam.ParseOptions{}).appendLine }},
		} {
			b.Run(input.name+"/"+mode.name, func(b *testing.B) {
				b.SetBytes(int64(len(data)))
				b.ReportAllocs()
				// The garbage of building the input is not the batch's.
				runtime.GC()
				// One output buffer for all runs: growing a new one to the
				// output's size each time would be measured with the batch.
				var out bytes.Buffer
				for b.Loop() {
					out.Reset()
					if _, err := run(context.Background(), strings.NewReader(data), &out, 0, maxLineBytes, mode.decide); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "lines/s")
				b.ReportMetric(b.Elapsed().Seconds()*1e9/float64(n)/float64(b.N), "ns/line")
			})
		}
	}
}

// BenchmarkDecide measures one worker's work on a line, without the
// reading, ordering and writing of Run: CPU time per line.
func BenchmarkDecide(b *testing.B) {
	for _, input := range []struct {
		name     string
		distinct int
	}{{"generated", 0}, {"repeating", 100}} {
		lines := strings.Split(strings.TrimSuffix(typicalInput(20000, input.distinct), "\n"), "\n")
		b.Run(input.name, func(b *testing.B) {
			b.ReportAllocs()
			runtime.GC()
			var d *Decider
			var out, line []byte
			i := 0
			for b.Loop() {
				if i%len(lines) == 0 {
					// A new decider, so that generated lines stay new to it.
					d = NewDecider(iam.ParseOptions{})
				}
				line = append(line[:0], lines[i%len(lines)]...)
				out = d.Append(out[:0], line)
				i++
			}
		})
	}
}

// However the input arrives, every line is decided once, in order: lines
// cut across blocks, a line longer than a block, empty lines, CRLF line
// ends and a last line without one.
func TestRunCutsLinesAcrossBlocks(t *testing.T) {
	huge := authzcase.Typical(1)
	// Padding inside the id keeps the case valid and makes it span blocks.
	huge = strings.Replace(huge, `"id":"c1"`, `"id":"`+strings.Repeat("x", 3*chunkBytes)+`"`, 1)
	var lines []string
	for i := 0; i < 400; i++ {
		switch i {
		case 7:
			lines = append(lines, huge)
		case 8, 9:
			lines = append(lines, "")
		default:
			lines = append(lines, authzcase.Typical(i))
		}
	}
	var in strings.Builder
	var want bytes.Buffer
	for i, l := range lines {
		in.WriteString(l)
		if i%3 == 0 {
			in.WriteByte('\r')
		}
		if i < len(lines)-1 {
			in.WriteByte('\n')
		}
		want.Write(AppendDecision(nil, []byte(l)))
	}
	readers := map[string]func() io.Reader{
		"whole":    func() io.Reader { return strings.NewReader(in.String()) },
		"one byte": func() io.Reader { return iotest.OneByteReader(strings.NewReader(in.String()[:300_000])) },
		"halves":   func() io.Reader { return iotest.HalfReader(strings.NewReader(in.String())) },
	}
	for name, r := range readers {
		var out bytes.Buffer
		stats, err := Run(context.Background(), r(), &out, Options{Workers: 3})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		exp := want.String()
		if name == "one byte" {
			// The first 300,000 bytes: the lines before the huge one and
			// the start of it, which is no JSON.
			n := strings.Count(in.String()[:300_000], "\n") + 1
			got := strings.SplitAfter(out.String(), "\n")
			if stats.Lines != n || len(got) != n+1 || !strings.Contains(got[n-1], `"error"`) || strings.Join(got[:n-1], "") != strings.Join(strings.SplitAfter(exp, "\n")[:n-1], "") {
				t.Fatalf("%s: %d lines, stats %+v:\n%.300s", name, len(got)-1, stats, got[n-1])
			}
			continue
		}
		if out.String() != exp || stats.Lines != len(lines) || stats.Errors != 2 {
			t.Fatalf("%s: stats %+v; output differs from deciding line by line", name, stats)
		}
	}
	// A read error ends the run with it, after what was read.
	_, err := Run(context.Background(), io.MultiReader(strings.NewReader(lines[0]+"\n"), iotest.ErrReader(errors.New("disk gone"))), io.Discard, Options{})
	if err == nil || !strings.Contains(err.Error(), "read input: disk gone") {
		t.Fatalf("read error: %v", err)
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

// A write error ends the run with it; every line is still read and counted.
func TestRunReportsWriteErrors(t *testing.T) {
	in := typicalInput(300, 0)
	stats, err := Run(context.Background(), strings.NewReader(in), failingWriter{}, Options{})
	if err == nil || err.Error() != "write output: disk full" {
		t.Fatalf("error %v, want write output: disk full", err)
	}
	if stats.Lines != 300 {
		t.Fatalf("counted %d lines, want 300", stats.Lines)
	}
}

// The decider writes each line as deciding it afresh would, whatever it
// remembers of the line before: over the decision tables, whose lines are
// decided in every way, and over lines read from one buffer, as run reads
// them, that differ only in a Sid.
func TestDeciderWritesEachLineAfresh(t *testing.T) {
	files, err := filepath.Glob("../testdata/decisions/*.jsonl")
	if err != nil || len(files) == 0 {
		t.Fatalf("no decision tables: %v", err)
	}
	d := NewDecider(iam.ParseOptions{})
	n := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range bytes.Split(data, []byte("\n")) {
			if len(bytes.TrimSpace(line)) == 0 || line[0] == '#' {
				continue
			}
			for rep := 0; rep < 2; rep++ {
				if got, want := string(d.Append(nil, line)), string(AppendDecision(nil, line)); got != want {
					t.Fatalf("%s:\n%s\nwant\n%s", line, got, want)
				}
			}
			n++
		}
	}
	if n < 200 {
		t.Fatalf("only %d decision lines", n)
	}
	buf := make([]byte, 0, 4096)
	for _, sid := range []string{"Read", "Xyzw", "Xyzw", "Read"} {
		buf = append(buf[:0], strings.Replace(authzcase.Typical(3), `"Sid":"Read"`, `"Sid":"`+sid+`"`, 1)...)
		got := string(d.Append(nil, buf))
		if !strings.Contains(got, `"sid":"`+sid+`"`) || got != string(AppendDecision(nil, buf)) {
			t.Fatalf("Sid %s: %s", sid, got)
		}
	}
}

// Blocks decided out of order (one slow block among many) are written in
// input order, and no worker runs more than the writer's window ahead.
func TestRunWritesBlocksInOrder(t *testing.T) {
	var in strings.Builder
	const n = 40
	for i := 0; i < n; i++ {
		// Lines of most of a block each, so that every block is one line.
		fmt.Fprintf(&in, "%03d%s\n", i, strings.Repeat("x", chunkBytes/2))
	}
	var mu sync.Mutex
	started, highest := 0, 0
	newDecide := func() decideFunc {
		return func(dst, line []byte) ([]byte, bool) {
			i, _ := strconv.Atoi(string(line[:3]))
			mu.Lock()
			started++
			highest = max(highest, i)
			mu.Unlock()
			if i == 3 {
				time.Sleep(50 * time.Millisecond)
				mu.Lock()
				ahead := highest
				mu.Unlock()
				if ahead-3 > 4*2 {
					t.Errorf("a worker ran to line %d while line 3 was decided", ahead)
				}
			}
			return append(dst, line[:3]...), i%7 == 0
		}
	}
	var out bytes.Buffer
	stats, err := run(context.Background(), strings.NewReader(in.String()), &out, 2, maxLineBytes, newDecide)
	if err != nil {
		t.Fatal(err)
	}
	var want strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&want, "%03d", i)
	}
	if out.String() != want.String() || stats.Lines != n || stats.Errors != 6 || started != n {
		t.Fatalf("output %q, stats %+v, %d started", out.String(), stats, started)
	}
}

// A line at the limit or longer is answered with an error and skipped to
// its end, wherever it ends; the lines around it are decided. A line's
// buffer grows to the limit and no further (the limits are larger than any
// buffer the pool hands out, and one is no size the allocator rounds to).
func TestRunSkipsLinesTooLong(t *testing.T) {
	a, b := authzcase.Typical(1), authzcase.Typical(2)
	for _, maxLine := range []int{maxPooledBuffer + 100, 2*maxPooledBuffer + 100} {
		limit := maxLine
		for name, in := range map[string]string{
			"middle":      a + "\n" + strings.Repeat("x", limit) + "\n" + b + "\n",
			"just under":  a + "\n" + strings.Repeat("x", limit-1) + "\n" + b + "\n",
			"at the end":  a + "\n" + strings.Repeat("x", 2*limit),
			"two":         strings.Repeat("x", limit+7) + "\n" + strings.Repeat("y", 3*limit) + "\n" + b,
			"grown, then": strings.Repeat("x", 2*chunkBytes) + "\n" + a + "\n",
		} {
			for _, r := range []io.Reader{strings.NewReader(in), iotest.HalfReader(strings.NewReader(in))} {
				var out bytes.Buffer
				stats, err := Run(context.Background(), r, &out, Options{maxLine: maxLine})
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				var want strings.Builder
				lines := strings.Split(strings.TrimSuffix(in, "\n"), "\n")
				for _, l := range lines {
					if len(l) >= limit {
						want.WriteString(`{"id":null,"error":"line longer than ` + strconv.Itoa(maxLine>>20) + ` MiB: not read"}` + "\n")
						continue
					}
					want.Write(AppendDecision(nil, []byte(l)))
				}
				if out.String() != want.String() || stats.Lines != len(lines) {
					t.Fatalf("limit %d, %s: %d lines, stats %+v:\n%.400s", limit, name, len(lines), stats, out.String())
				}
			}
		}
	}
}

// chunkedReader hands out its input n bytes at a time.
type chunkedReader struct {
	data []byte
	n    int
}

func (r *chunkedReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, io.EOF
	}
	k := min(len(p), r.n, len(r.data))
	copy(p, r.data[:k])
	r.data = r.data[k:]
	return k, nil
}

// However the input is cut into reads, each line is answered once, in
// order, as deciding it on its own answers it.
func FuzzRunLines(f *testing.F) {
	f.Add([]byte(authzcase.Typical(1)+"\n\r\n"+authzcase.Typical(2)+"\r\n{}"), uint8(7))
	f.Add([]byte("\n\n\nx"), uint8(1))
	f.Fuzz(func(t *testing.T, data []byte, n uint8) {
		var want bytes.Buffer
		lines := 0
		for rest := data; len(rest) > 0; lines++ {
			line := rest
			if i := bytes.IndexByte(rest, '\n'); i >= 0 {
				line, rest = rest[:i], rest[i+1:]
			} else {
				rest = nil
			}
			want.Write(AppendDecision(nil, bytes.TrimRight(line, "\r")))
		}
		var out bytes.Buffer
		stats, err := Run(context.Background(), &chunkedReader{data: data, n: int(n) + 1}, &out, Options{Workers: 2})
		if err != nil {
			t.Fatal(err)
		}
		if out.String() != want.String() || stats.Lines != lines {
			t.Fatalf("%q in reads of %d: %d lines (stats %+v)\n%s\nwant\n%s", data, int(n)+1, lines, stats, out.String(), want.String())
		}
	})
}

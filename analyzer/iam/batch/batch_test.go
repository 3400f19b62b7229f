package batch

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

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
	stats, err := Run(context.Background(), strings.NewReader(in.String()), &out, 4)
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

func BenchmarkRun(b *testing.B) {
	var in strings.Builder
	const n = 20000
	for i := 0; i < n; i++ {
		in.WriteString(authzcase.Typical(i))
		in.WriteByte('\n')
	}
	data := in.String()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		var out bytes.Buffer
		if _, err := Run(context.Background(), strings.NewReader(data), &out, 0); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "lines/s")
}

package eventtrace

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const s3Doc = `{"Records":[{"eventSource":"aws:s3","eventName":"ObjectCreated:Put","s3":{"bucket":{"name":"b"},"object":{"key":"a.jpg"}}},
{"eventSource":"aws:s3","eventName":"ObjectCreated:Put","s3":{"bucket":{"name":"b"},"object":{"key":"b.jpg"}}}]}`

// An input is a shorthand event, a document file, or a document on stdin
// for "-"; the two kinds exclude each other.
func TestInputRead(t *testing.T) {
	sh := Input{Shorthand: Shorthand{S3Event: "ObjectCreated:Put", Bucket: "b", Key: "k", Bus: "default"}}
	if !sh.Given() {
		t.Fatal("a shorthand is not given")
	}
	b, err := sh.Read(nil, "111111111111", "eu-west-1")
	if err != nil || b.Total != 1 || len(b.Events) != 1 || b.Events[0].Kind != "s3" {
		t.Fatalf("shorthand batch = %+v, %v", b, err)
	}
	if (&Input{Shorthand: Shorthand{Bus: "default"}}).Given() {
		t.Error("the bus alone counts as an event")
	}
	file := filepath.Join(t.TempDir(), "event.json")
	if err := os.WriteFile(file, []byte(s3Doc), 0o644); err != nil {
		t.Fatal(err)
	}
	if b, err = (&Input{File: file}).Read(nil, "", ""); err != nil || b.Total != 2 || len(b.Events) != 2 {
		t.Fatalf("file batch = %+v, %v", b, err)
	}
	if b, err = (&Input{File: "-"}).Read(strings.NewReader(s3Doc), "", ""); err != nil || b.Total != 2 {
		t.Fatalf("stdin batch = %+v, %v", b, err)
	}
	for _, c := range []struct {
		in    Input
		stdin string
		want  string
	}{
		{Input{File: file, Shorthand: Shorthand{S3Event: "ObjectCreated:Put"}}, "", "exclude each other"},
		{Input{Shorthand: Shorthand{Bucket: "b"}}, "", "--bucket, --key, --attr, --message and --detail go with"},
		{Input{File: filepath.Join(t.TempDir(), "none.json")}, "", "--event: "},
		{Input{File: "-"}, strings.Repeat(" ", MaxDocument+1), "standard input: event larger than"},
		{Input{File: "-"}, "{", "standard input"},
	} {
		if _, err := c.in.Read(strings.NewReader(c.stdin), "", ""); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want an error with %q", c.in, err, c.want)
		}
	}
}

func TestWriterByFormat(t *testing.T) {
	tr := &Trace{Event: Event{Kind: "s3", Summary: "an upload"}}
	for _, format := range []string{"json", "table"} {
		w, err := Writer(format, strings.ToUpper)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := w(&b, tr); err != nil || b.Len() == 0 {
			t.Errorf("%s: wrote %q, %v", format, b.String(), err)
		}
	}
	if _, err := Writer("sarif", nil); err == nil || err.Error() != `--format "sarif": an event trace is table or json` {
		t.Errorf("sarif: %v", err)
	}
}

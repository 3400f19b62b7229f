package eventtrace

import (
	"fmt"
	"io"
	"os"
)

// Input is where the event to trace comes from: a document in File ("-"
// for stdin), or the fields of a Shorthand. Shorthand.Bus is the
// EventBridge bus either is put on.
type Input struct {
	File string
	Shorthand
}

// Given reports whether any field of the input is set (besides the bus).
func (in *Input) Given() bool {
	return in.File != "" || in.S3Event != "" || in.SNSTopic != "" || in.Source != "" || in.DetailType != "" ||
		in.Bucket != "" || in.Key != "" || len(in.Attrs) > 0 || in.Detail != "" || in.Message != ""
}

// MaxDocument bounds an event document read from a file or stdin.
const MaxDocument = 1 << 20

// Read builds the events of the input: the shorthand's one event (in the
// account and region given), or the records of the document read from
// File, or from stdin for "-".
func (in *Input) Read(stdin io.Reader, account, region string) (Batch, error) {
	shorthand := in.S3Event != "" || in.SNSTopic != "" || in.Source != "" || in.DetailType != ""
	if in.File != "" && shorthand {
		return Batch{}, fmt.Errorf("--event and the shorthand flags (--s3, --sns-topic, --eventbridge-source) exclude each other")
	}
	if in.File == "" {
		if !shorthand {
			return Batch{}, fmt.Errorf("--bucket, --key, --attr, --message and --detail go with --s3, --sns-topic or --eventbridge-source")
		}
		ev, err := in.Shorthand.Build(account, region)
		return Batch{Events: []Event{ev}, Total: 1}, err
	}
	r, name := stdin, "standard input"
	if in.File != "-" {
		f, err := os.Open(in.File)
		if err != nil {
			return Batch{}, fmt.Errorf("--event: %w", err)
		}
		defer f.Close()
		r, name = f, in.File
	}
	doc, err := io.ReadAll(io.LimitReader(r, MaxDocument+1))
	if err != nil {
		return Batch{}, fmt.Errorf("read %s: %w", name, err)
	}
	if len(doc) > MaxDocument {
		return Batch{}, fmt.Errorf("%s: event larger than %d bytes", name, MaxDocument)
	}
	return ParseBatch(name, doc, in.Bus)
}

// Writer is the writer of a trace in format: "json", or "table" (the tree,
// with each input text passed through sanitize).
func Writer(format string, sanitize func(string) string) (func(io.Writer, *Trace) error, error) {
	switch format {
	case "json":
		return WriteJSON, nil
	case "table":
		return func(w io.Writer, t *Trace) error { return WriteTree(w, t, sanitize) }, nil
	}
	return nil, fmt.Errorf("--format %q: an event trace is table or json", format)
}

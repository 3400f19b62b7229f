// Command gen compacts the Lambda event-source reference
// (shared/data/lambda-event-sources.json) into the embedded sources.json of
// package eventsource, dropping the prose the simulator does not use.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
)

func main() {
	data := flag.String("data", "../../../shared/data", "reference data directory")
	out := flag.String("out", "sources.json", "output file")
	flag.Parse()
	if err := run(*data+"/lambda-event-sources.json", *out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(in, out string) error {
	raw, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		return fmt.Errorf("parse %s: %w", in, err)
	}
	delete(doc, "meta")
	strip(doc)
	b, err := json.Marshal(doc) // map keys come out sorted: a stable file
	if err != nil {
		return err
	}
	return os.WriteFile(out, append(b, '\n'), 0o644)
}

// strip removes documentation links and notes at every depth.
func strip(v any) {
	switch x := v.(type) {
	case map[string]any:
		delete(x, "source")
		delete(x, "notes")
		for _, e := range x {
			strip(e)
		}
	case []any:
		for _, e := range x {
			strip(e)
		}
	}
}

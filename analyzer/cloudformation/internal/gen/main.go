// Command gen writes the SAM policy templates the cloudformation package
// embeds: each template's statements and parameter names, minified, from
// the published sam-policy-templates.json.
package main

import (
	"encoding/json"
	"flag"
	"log"
	"os"
	"sort"
)

func main() {
	in := flag.String("in", "", "sam-policy-templates.json")
	out := flag.String("out", "", "output file")
	flag.Parse()
	data, err := os.ReadFile(*in)
	if err != nil {
		log.Fatal(err)
	}
	var src struct {
		Templates map[string]struct {
			Definition json.RawMessage
			Parameters map[string]json.RawMessage
		}
	}
	if err := json.Unmarshal(data, &src); err != nil {
		log.Fatal(err)
	}
	type tmpl struct {
		Parameters []string        `json:"p,omitempty"`
		Definition json.RawMessage `json:"d"`
	}
	outm := map[string]tmpl{}
	for name, t := range src.Templates {
		var ps []string
		for p := range t.Parameters {
			ps = append(ps, p)
		}
		sort.Strings(ps)
		outm[name] = tmpl{Parameters: ps, Definition: t.Definition}
	}
	b, err := json.Marshal(outm)
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(*out, append(b, '\n'), 0o644); err != nil {
		log.Fatal(err)
	}
}

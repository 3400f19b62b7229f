package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// auditTable writes one row per outside principal or outside resource.
func auditTable(w io.Writer, r *Report) error {
	if len(r.Audit) == 0 {
		_, err := fmt.Fprintln(w, "No function can be invoked from outside its accounts or reaches into another account.")
		return err
	}
	var rows [][]string
	for _, e := range r.Audit {
		what := e.Reach
		if e.Direction == "outbound" {
			what = strings.Join(e.Actions, " ")
		}
		rows = append(rows, []string{e.Function, e.Direction, e.Who, what, string(e.Decision), strings.Join(e.Granted, ", ")})
	}
	return Table(w, []string{"Function", "Direction", "Principal or resource", "Reach or actions", "Decision", "Granted by"}, rows)
}

func auditJSON(w io.Writer, r *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(struct {
		Entries any `json:"entries"`
	}{r.Audit})
}

package report

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/lambdacheck/lambdacheck/analyzer/audit"
	"github.com/lambdacheck/lambdacheck/analyzer/report/clean"
)

// auditScope is one line saying which accounts count as the organization
// and which outside ones are trusted.
func auditScope(a *audit.Audit) string {
	var parts []string
	if a.OrgID != "" {
		parts = append(parts, "organization "+a.OrgID)
	}
	parts = append(parts, "its accounts "+orNone(a.Accounts))
	parts = append(parts, "trusted outside accounts "+orNone(a.Trusted))
	return strings.Join(parts, "; ")
}

func orNone(s []string) string {
	if len(s) == 0 {
		return "(none)"
	}
	return strings.Join(s, ", ")
}

// entryWho is the principal or resource, marked when trusted.
func entryWho(e audit.Entry) string {
	who := e.Who
	if e.Who == "*" && e.Direction == "outbound" {
		return "* (any resource the owner's policy opens)"
	}
	if e.Who == "*" {
		who = "* (public)"
		if e.Reach == "public-url" {
			who = "* (function URL, no auth)"
		}
	}
	if e.Account != "" && e.Account != e.Who {
		who += " (account " + e.Account + ")"
	}
	if e.Trusted {
		who += " [trusted]"
	}
	return who
}

// entryWhat is the reach (inbound) or access level (outbound) with the
// actions.
func entryWhat(e audit.Entry) string {
	kind := e.Reach
	if e.Direction == "outbound" {
		kind = e.Level
	}
	return kind + ": " + strings.Join(e.Actions, " ")
}

// grantText lists the granting statements, each with its conditions.
func grantText(gs []audit.Grant) string {
	var out []string
	for _, g := range gs {
		s := g.String()
		if len(g.Conditions) > 0 {
			s += " when " + strings.Join(g.Conditions, " and ")
		}
		out = append(out, s)
	}
	return strings.Join(out, "; ")
}

// auditTable writes one row per outside principal or outside resource.
func auditTable(w io.Writer, r *Report) error {
	a := r.Audit
	if _, err := fmt.Fprintln(w, clean.Line(auditScope(a))); err != nil {
		return err
	}
	if len(a.Entries) == 0 {
		_, err := fmt.Fprintln(w, "No function can be invoked from outside its account or reaches into another account.")
		return err
	}
	var rows [][]string
	for _, e := range a.Entries {
		rows = append(rows, []string{e.Function, e.Direction, e.Group, entryWho(e), entryWhat(e), string(e.Decision), grantText(e.Granted)})
	}
	if err := Table(w, []string{"Function", "Direction", "Group", "Principal or resource", "Reach or level: actions", "Decision", "Granted by"}, rows); err != nil {
		return err
	}
	_, err := fmt.Fprintln(w, auditSummary(a))
	return err
}

// auditSummary counts the entries per group.
func auditSummary(a *audit.Audit) string {
	counts := map[string]int{}
	out := 0
	for _, e := range a.Entries {
		if e.Direction == "inbound" {
			counts[e.Group]++
		} else {
			out++
		}
	}
	var parts []string
	for _, g := range audit.InboundGroups {
		parts = append(parts, fmt.Sprintf("%d %s", counts[g], g))
	}
	return fmt.Sprintf("%d function(s); inbound: %s; outbound: %d grant(s) on resources in other accounts or any account", len(a.Functions), strings.Join(parts, ", "), out)
}

func auditJSON(w io.Writer, r *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(struct {
		Schema int `json:"schema"`
		*audit.Audit
	}{1, r.Audit})
}

// csvSafe keeps a cell from being read as a formula by a spreadsheet: text
// from the input that starts with =, +, -, @ or a control character gets a
// leading apostrophe.
func csvSafe(s string) string {
	s = clean.Line(s)
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func auditCSV(w io.Writer, r *Report) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"function", "direction", "group", "who", "account", "trusted", "reach", "level", "actions", "decision", "granted_by", "conditions", "flow"}); err != nil {
		return err
	}
	for _, e := range r.Audit.Entries {
		var stmts, conds []string
		for _, g := range e.Granted {
			stmts = append(stmts, g.String())
			conds = append(conds, g.Conditions...)
		}
		row := []string{e.Function, e.Direction, e.Group, e.Who, e.Account, strconv.FormatBool(e.Trusted), e.Reach, e.Level,
			strings.Join(e.Actions, " "), string(e.Decision), strings.Join(stmts, "; "), strings.Join(conds, "; "), e.Flow}
		for i := range row {
			row[i] = csvSafe(row[i])
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func auditMarkdown(w io.Writer, r *Report) error {
	a := r.Audit
	var b strings.Builder
	b.WriteString("# Cross-account report\n\n")
	b.WriteString(mdCell(auditScope(a)) + "\n\n")
	b.WriteString(mdCell(auditSummary(a)) + "\n")
	b.WriteString("\n## Functions\n\n| Function | Account | Public | Organization | Outside | Services | Reaches outside its account |\n|---|---|---|---|---|---|---|\n")
	for _, f := range a.Functions {
		fmt.Fprintf(&b, "| %s | %s | %d | %d | %d | %d | %d |\n", mdCell(f.Function), mdCell(f.Account),
			f.Inbound[audit.GroupPublic], f.Inbound[audit.GroupOrganization], f.Inbound[audit.GroupOutside], f.Inbound[audit.GroupService], f.Outbound)
	}
	for _, g := range audit.InboundGroups {
		var rows []audit.Entry
		for _, e := range a.Entries {
			if e.Direction == "inbound" && e.Group == g {
				rows = append(rows, e)
			}
		}
		fmt.Fprintf(&b, "\n## Invoked by: %s\n\n", audit.GroupTitle(g))
		if len(rows) == 0 {
			b.WriteString("None.\n")
			continue
		}
		b.WriteString("| Function | Principal | Actions | Decision | Granted by | Conditions |\n|---|---|---|---|---|---|\n")
		for _, e := range rows {
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s |\n", mdCell(e.Function), mdCell(entryWho(e)), mdCell(strings.Join(e.Actions, " ")),
				e.Decision, mdCell(grantNames(e.Granted)), mdCell(grantConditions(e.Granted)))
		}
	}
	b.WriteString("\n## Reaches: resources outside its account\n\n")
	n := 0
	for _, e := range a.Entries {
		if e.Direction != "outbound" {
			continue
		}
		if n == 0 {
			b.WriteString("| Function | Resource | Group | Level | Actions | Decision | Granted by | Conditions |\n|---|---|---|---|---|---|---|---|\n")
		}
		n++
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s | %s |\n", mdCell(e.Function), mdCell(entryWho(e)), e.Group, mdCell(e.Level),
			mdCell(strings.Join(e.Actions, " ")), e.Decision, mdCell(grantNames(e.Granted)), mdCell(grantConditions(e.Granted)))
	}
	if n == 0 {
		b.WriteString("None.\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func grantNames(gs []audit.Grant) string {
	var out []string
	for _, g := range gs {
		out = append(out, g.String())
	}
	return strings.Join(out, "; ")
}

func grantConditions(gs []audit.Grant) string {
	var out []string
	for _, g := range gs {
		out = append(out, g.Conditions...)
	}
	return strings.Join(out, "; ")
}

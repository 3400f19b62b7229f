package report

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/lambdacheck/lambdacheck/analyzer/iam"
	"github.com/lambdacheck/lambdacheck/analyzer/iam/condition"
	"github.com/lambdacheck/lambdacheck/analyzer/iam/pattern"
)

// Decision is one IAM request with the engine's answer.
type Decision struct {
	Case   *iam.Case
	Result *iam.Result
}

type authzStatementJSON struct {
	Layer     string                   `json:"layer"`
	Level     *int                     `json:"level,omitempty"`
	Policy    string                   `json:"policy"`
	Statement int                      `json:"statement"`
	Sid       string                   `json:"sid,omitempty"`
	Effect    string                   `json:"effect"`
	File      string                   `json:"file,omitempty"`
	Line      int                      `json:"line"`
	Certain   bool                     `json:"certain"`
	Unknown   []condition.ClauseResult `json:"unknownConditions,omitempty"`
}

type authzJSON struct {
	ID          json.RawMessage      `json:"id,omitempty"`
	Decision    string               `json:"decision"`
	Reason      string               `json:"reason"`
	SameAccount bool                 `json:"sameAccount"`
	Statements  []authzStatementJSON `json:"statements"`
	Notices     []string             `json:"notices,omitempty"`
}

// notices lists what the case's policies say that AWS accepts but does not
// act on as written.
func notices(c *iam.Case) []string {
	var out []string
	c.EachPolicy(func(p *iam.Policy) {
		for _, n := range p.Notices {
			where := p.Name
			if p.File != "" {
				where = fmt.Sprintf("%s:%d", p.File, n.Line)
			}
			out = append(out, where+": "+n.Msg)
		}
	})
	return out
}

func statementRows(c *iam.Case, res *iam.Result) []authzStatementJSON {
	out := make([]authzStatementJSON, 0, len(res.Matches))
	for _, m := range res.Matches {
		s := m.Statement
		row := authzStatementJSON{
			Layer: m.Layer.String(), Policy: s.Policy.Name, Statement: s.Index, Sid: s.Sid,
			Effect: s.Effect.String(), File: s.Policy.File, Line: s.Line, Certain: m.Certain,
		}
		if m.Layer == iam.LayerSCP || m.Layer == iam.LayerRCP {
			lvl := m.Level
			row.Level = &lvl
		}
		if !m.Certain && s.Condition() != nil {
			for _, cr := range s.Condition().Explain(c.Request.Context) {
				if cr.Result == pattern.Unknown {
					row.Unknown = append(row.Unknown, cr)
				}
			}
		}
		out = append(out, row)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Layer < out[j].Layer })
	return out
}

func decisionJSON(w io.Writer, r *Report) error {
	c, res := r.Decision.Case, r.Decision.Result
	doc := authzJSON{ID: c.ID, Decision: res.Decision.String(), Reason: res.Reason, SameAccount: res.SameAccount, Statements: statementRows(c, res), Notices: notices(c)}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

func decisionTable(w io.Writer, r *Report) error {
	c, res := r.Decision.Case, r.Decision.Result
	rel := "same account"
	switch {
	case c.Request.Principal.Kind == iam.PrincipalService:
		rel = "service principal"
	case c.Request.Principal.Kind == iam.PrincipalAnonymous:
		rel = "anonymous"
	case !res.SameAccount:
		rel = "cross-account"
	}
	fmt.Fprintf(w, "%s  %s %s on %s (%s)\n", res.Decision, c.Request.Principal.ARN, c.Request.Action, c.Request.Resource, rel)
	fmt.Fprintf(w, "why: %s\n", res.Reason)
	for _, n := range notices(c) {
		fmt.Fprintf(w, "notice: %s\n", n)
	}
	rows := statementRows(c, res)
	if len(rows) == 0 {
		return nil
	}
	fmt.Fprintln(w)
	var table [][]string
	for _, row := range rows {
		layer := row.Layer
		if row.Level != nil {
			layer += " level " + strconv.Itoa(*row.Level)
		}
		where := fmt.Sprintf("line %d", row.Line)
		if row.File != "" {
			where = fmt.Sprintf("%s:%d", row.File, row.Line)
		}
		certain := "yes"
		if !row.Certain {
			var conds []string
			for _, u := range row.Unknown {
				conds = append(conds, u.Sentence)
			}
			certain = "depends: " + strings.Join(conds, "; ")
		}
		table = append(table, []string{layer, row.Policy, strconv.Itoa(row.Statement), row.Sid, row.Effect, certain, where})
	}
	return Table(w, []string{"LAYER", "POLICY", "STATEMENT", "SID", "EFFECT", "APPLIES", "WHERE"}, table)
}

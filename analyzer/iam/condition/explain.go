package condition

import (
	"slices"
	"strings"

	"github.com/lambdacheck/lambdacheck/analyzer/iam/pattern"
)

// ClauseResult is one clause of a block with its verdict for a context.
type ClauseResult struct {
	Operator string      `json:"operator"`
	Key      string      `json:"key"`
	Values   []string    `json:"values"`
	Result   pattern.Tri `json:"result"`
	// Sentence says in words what the clause asks of the request, e.g.
	// "aws:SourceIp must be in 10.0.0.0/8"; it is what a conditional
	// decision hinges on when Result is Unknown.
	Sentence string `json:"sentence"`
	Path     string `json:"path,omitempty"`
}

// Explain evaluates every clause (in policy order) and describes it.
func (b *Block) Explain(ctx *Context) []ClauseResult {
	if b == nil {
		return nil
	}
	out := make([]ClauseResult, len(b.clauses))
	for i := range b.clauses {
		c := &b.clauses[i]
		out[i] = ClauseResult{
			Operator: c.src.Operator,
			Key:      c.src.Key,
			Values:   slices.Clone(c.src.Values),
			Result:   c.eval(ctx, false),
			Sentence: c.describe(),
			Path:     c.src.Path,
		}
	}
	return out
}

// describe renders the clause as a sentence.
func (c *clause) describe() string {
	key := c.src.Key
	if c.info.fam == famNull {
		absent, present := false, false
		for _, w := range c.nulls {
			absent = absent || w
			present = present || !w
		}
		switch {
		case absent && present:
			return key + " may be present or absent"
		case absent:
			return key + " must be absent"
		}
		return key + " must be present"
	}
	var sb strings.Builder
	switch c.set {
	case setForAll:
		sb.WriteString("every value of ")
	case setForAny:
		sb.WriteString("at least one value of ")
	}
	sb.WriteString(key)
	sb.WriteString(" must ")
	if c.info.neg {
		sb.WriteString("not ")
	}
	sb.WriteString(c.verb())
	sb.WriteByte(' ')
	sb.WriteString(joinValues(c.src.Values, c.info.neg))
	switch {
	case c.info.fam == famString && c.info.fold:
		sb.WriteString(" (ignoring case)")
	case c.info.fam == famBinary:
		sb.WriteString(" (base64)")
	}
	switch {
	case c.ifExists:
		sb.WriteString(", if present")
	case c.set == setForAll:
		sb.WriteString(", or be absent")
	}
	return sb.String()
}

func (c *clause) verb() string {
	switch c.info.fam {
	case famString:
		if c.info.like {
			return "match"
		}
		return "equal"
	case famNumeric:
		return [...]string{"equal", "be less than", "be at most", "be greater than", "be at least"}[c.info.cmp]
	case famDate:
		return [...]string{"be", "be before", "be at or before", "be after", "be at or after"}[c.info.cmp]
	case famIP:
		return "be in"
	case famARN:
		return "match the ARN"
	case famBinary:
		return "equal"
	}
	return "be" // Bool
}

// joinValues lists values as "a", "a or b", "a, b or c"; after a negation,
// "any of a, b".
func joinValues(vs []string, neg bool) string {
	if len(vs) == 1 {
		return vs[0]
	}
	if neg {
		return "any of " + strings.Join(vs, ", ")
	}
	return strings.Join(vs[:len(vs)-1], ", ") + " or " + vs[len(vs)-1]
}

// Symbols says what an Unknown verdict of the block waits for: the symbols
// ("<EXPR>", values unknown before apply, in policy values or request
// values) of its Unknown clauses, sorted, and whether some Unknown clause
// also depends on an unknown context key. It is for explaining a
// conditional decision, not for the hot path.
func (b *Block) Symbols(ctx *Context) (syms []string, keys bool) {
	if b == nil {
		return nil, false
	}
	for i := range b.clauses {
		c := &b.clauses[i]
		if c.eval(ctx, false) != pattern.Unknown {
			continue
		}
		n := len(syms)
		vals, state, _ := ctx.lookup(c.key)
		if state == pattern.KeyUnknown {
			keys = true
		}
		for _, v := range vals {
			syms = pattern.AppendSymbols(syms, v)
		}
		for _, v := range c.src.Values {
			syms = pattern.AppendSymbols(syms, v)
		}
		var vars []string
		for _, t := range c.strs {
			vars = append(vars, t.Keys()...)
		}
		for _, a := range c.arns {
			vars = append(vars, a.Template().Keys()...)
		}
		for _, k := range vars {
			vs, st, _ := ctx.lookup(k)
			if st == pattern.KeyUnknown {
				keys = true
			}
			for _, v := range vs {
				syms = pattern.AppendSymbols(syms, v)
			}
		}
		if len(syms) == n {
			keys = true // unknown for a reason other than a symbol
		}
	}
	return pattern.SortSymbols(syms), keys
}

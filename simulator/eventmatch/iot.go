package eventmatch

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

// IoTRule is a parsed IoT rule SQL statement: the topic filter of its FROM
// clause and its WHERE clause, if any.
type IoTRule struct {
	Topic string
	where expr
	Where string
}

// maxSQL bounds the statement length (IoT allows 256 KB; the subset here
// is for routing, not bulk SQL).
const maxSQL = 1 << 16

// ParseIoTSQL reads SELECT … FROM 'topic/filter' [WHERE condition]. The
// WHERE subset: comparisons (=, <>, <, <=, >, >=) between payload fields,
// strings, numbers and booleans, joined by AND, OR, NOT and parentheses.
func ParseIoTSQL(sql string) (*IoTRule, error) {
	if len(sql) > maxSQL {
		return nil, fmt.Errorf("IoT SQL: longer than %d bytes", maxSQL)
	}
	toks, err := lexSQL(sql)
	if err != nil {
		return nil, err
	}
	from := -1
	for i, t := range toks {
		if t.kind == tIdent && strings.EqualFold(t.text, "FROM") {
			from = i
			break
		}
	}
	if len(toks) == 0 || !strings.EqualFold(toks[0].text, "SELECT") || from < 0 || from+1 >= len(toks) || toks[from+1].kind != tString {
		return nil, fmt.Errorf("IoT SQL: want SELECT … FROM 'topic' [WHERE …]")
	}
	r := &IoTRule{Topic: toks[from+1].text}
	if err := checkTopicFilter(r.Topic); err != nil {
		return nil, fmt.Errorf("IoT SQL: %w", err)
	}
	rest := toks[from+2:]
	if len(rest) == 0 {
		return r, nil
	}
	if rest[0].kind != tIdent || !strings.EqualFold(rest[0].text, "WHERE") {
		return nil, fmt.Errorf("IoT SQL: unexpected text after the FROM topic")
	}
	p := &sqlParser{toks: rest[1:]}
	e, err := p.or(0)
	if err != nil {
		return nil, fmt.Errorf("IoT SQL WHERE: %w", err)
	}
	if p.i != len(p.toks) {
		return nil, fmt.Errorf("IoT SQL WHERE: unexpected token at position %d", p.toks[p.i].pos)
	}
	r.where = e
	r.Where = strings.TrimSpace(sql[rest[0].pos+len("WHERE"):])
	return r, nil
}

func checkTopicFilter(f string) error {
	if f == "" {
		return fmt.Errorf("empty topic filter")
	}
	levels := strings.Split(f, "/")
	for i, l := range levels {
		if strings.Contains(l, "#") && (l != "#" || i != len(levels)-1) {
			return fmt.Errorf("'#' must be a whole last level of the topic filter")
		}
		if strings.Contains(l, "+") && l != "+" {
			return fmt.Errorf("'+' must be a whole level of the topic filter")
		}
	}
	return nil
}

// TopicMatches is MQTT topic filter matching: '+' is one level, a final
// '#' is any number of levels (including none); wildcards at the first
// level do not match topics starting with '$'.
func TopicMatches(filter, topic string) bool {
	if strings.HasPrefix(topic, "$") && (strings.HasPrefix(filter, "+") || strings.HasPrefix(filter, "#")) {
		return false
	}
	fl, tl := strings.Split(filter, "/"), strings.Split(topic, "/")
	for i, f := range fl {
		if f == "#" {
			return true
		}
		if i >= len(tl) {
			return false
		}
		if f != "+" && f != tl[i] {
			return false
		}
	}
	return len(fl) == len(tl)
}

// Match decides a message: its topic and decoded JSON payload.
func (r *IoTRule) Match(topic string, payload any) Result {
	if !TopicMatches(r.Topic, topic) {
		return Result{Verdict: NoMatch, Field: "topic", Reason: fmt.Sprintf("topic %q does not match FROM '%s'", topic, r.Topic)}
	}
	if r.where == nil {
		return Result{Verdict: Match}
	}
	if u, ok := payload.(UnknownValue); ok {
		return Result{Verdict: Unknown, Field: "payload", Reason: u.Why}
	}
	v := r.where.eval(payload, topic)
	if b, ok := v.(bool); ok && b {
		return Result{Verdict: Match}
	}
	return Result{Verdict: NoMatch, Field: "WHERE", Reason: "WHERE " + r.Where + " is not true for the payload"}
}

type tokKind int

const (
	tIdent tokKind = iota
	tString
	tNumber
	tOp
	tPunct
)

type token struct {
	kind tokKind
	text string
	pos  int
}

func lexSQL(s string) ([]token, error) {
	var out []token
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '\'':
			j := i + 1
			var b strings.Builder
			for ; j < len(s); j++ {
				if s[j] == '\'' {
					if j+1 < len(s) && s[j+1] == '\'' {
						b.WriteByte('\'')
						j++
						continue
					}
					break
				}
				b.WriteByte(s[j])
			}
			if j >= len(s) {
				return nil, fmt.Errorf("IoT SQL: unterminated string at position %d", i)
			}
			out = append(out, token{tString, b.String(), i})
			i = j + 1
		case c >= '0' && c <= '9' || c == '-' && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9':
			j := i + 1
			for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == '.' || s[j] == 'e' || s[j] == 'E') {
				j++
			}
			out = append(out, token{tNumber, s[i:j], i})
			i = j
		case c == '<' || c == '>' || c == '=' || c == '!':
			j := i + 1
			if j < len(s) && (s[j] == '=' || c == '<' && s[j] == '>') {
				j++
			}
			out = append(out, token{tOp, s[i:j], i})
			i = j
		case c == '(' || c == ')' || c == ',' || c == '*':
			out = append(out, token{tPunct, s[i : i+1], i})
			i++
		case c == '_' || c == '$' || c == '.' || c < 0x80 && unicode.IsLetter(rune(c)) || c == '"':
			j := i
			if c == '"' {
				j = strings.IndexByte(s[i+1:], '"')
				if j < 0 {
					return nil, fmt.Errorf("IoT SQL: unterminated quoted name at position %d", i)
				}
				out = append(out, token{tIdent, s[i+1 : i+1+j], i})
				i += j + 2
				continue
			}
			for j < len(s) && (s[j] == '_' || s[j] == '$' || s[j] == '.' || s[j] == '-' && j > i || s[j] < 0x80 && (unicode.IsLetter(rune(s[j])) || unicode.IsDigit(rune(s[j])))) {
				j++
			}
			out = append(out, token{tIdent, s[i:j], i})
			i = j
		default:
			// Anything else belongs to SELECT expressions this subset does
			// not evaluate; keep it as punctuation.
			out = append(out, token{tPunct, s[i : i+1], i})
			i++
		}
	}
	return out, nil
}

// expr is a WHERE expression node; eval returns a bool, string, float64,
// or nil for SQL's Undefined.
type expr interface {
	eval(payload any, topic string) any
}

type sqlParser struct {
	toks []token
	i    int
}

func (p *sqlParser) peekWord(w string) bool {
	return p.i < len(p.toks) && p.toks[p.i].kind == tIdent && strings.EqualFold(p.toks[p.i].text, w)
}

func (p *sqlParser) or(depth int) (expr, error) {
	if depth > maxDepth {
		return nil, fmt.Errorf("nested too deep")
	}
	l, err := p.and(depth)
	if err != nil {
		return nil, err
	}
	for p.peekWord("OR") {
		p.i++
		r, err := p.and(depth)
		if err != nil {
			return nil, err
		}
		l = logic{or: true, l: l, r: r}
	}
	return l, nil
}

func (p *sqlParser) and(depth int) (expr, error) {
	l, err := p.not(depth)
	if err != nil {
		return nil, err
	}
	for p.peekWord("AND") {
		p.i++
		r, err := p.not(depth)
		if err != nil {
			return nil, err
		}
		l = logic{l: l, r: r}
	}
	return l, nil
}

func (p *sqlParser) not(depth int) (expr, error) {
	if p.peekWord("NOT") {
		p.i++
		if depth > maxDepth {
			return nil, fmt.Errorf("nested too deep")
		}
		e, err := p.not(depth + 1)
		if err != nil {
			return nil, err
		}
		return notExpr{e}, nil
	}
	return p.cmp(depth)
}

func (p *sqlParser) cmp(depth int) (expr, error) {
	l, err := p.operand(depth)
	if err != nil {
		return nil, err
	}
	if p.i < len(p.toks) && p.toks[p.i].kind == tOp {
		op := p.toks[p.i].text
		switch op {
		case "=", "<>", "!=", "<", "<=", ">", ">=":
		default:
			return nil, fmt.Errorf("unsupported operator at position %d", p.toks[p.i].pos)
		}
		p.i++
		r, err := p.operand(depth)
		if err != nil {
			return nil, err
		}
		return compare{op: op, l: l, r: r}, nil
	}
	return l, nil
}

func (p *sqlParser) operand(depth int) (expr, error) {
	if p.i >= len(p.toks) {
		return nil, fmt.Errorf("condition ends early")
	}
	t := p.toks[p.i]
	p.i++
	switch t.kind {
	case tString:
		return literal{t.text}, nil
	case tNumber:
		f, err := strconv.ParseFloat(t.text, 64)
		if err != nil {
			return nil, fmt.Errorf("bad number at position %d", t.pos)
		}
		return literal{f}, nil
	case tPunct:
		if t.text == "(" {
			e, err := p.or(depth + 1)
			if err != nil {
				return nil, err
			}
			if p.i >= len(p.toks) || p.toks[p.i].text != ")" {
				return nil, fmt.Errorf("missing ')' after position %d", t.pos)
			}
			p.i++
			return e, nil
		}
	case tIdent:
		switch strings.ToLower(t.text) {
		case "true":
			return literal{true}, nil
		case "false":
			return literal{false}, nil
		case "topic":
			if p.i < len(p.toks) && p.toks[p.i].text == "(" {
				if p.i+2 < len(p.toks) && p.toks[p.i+1].kind == tNumber && p.toks[p.i+2].text == ")" {
					n, err := strconv.Atoi(p.toks[p.i+1].text)
					if err != nil || n < 1 {
						return nil, fmt.Errorf("topic() takes a level number at position %d", t.pos)
					}
					p.i += 3
					return topicLevel{n}, nil
				}
				if p.i+1 < len(p.toks) && p.toks[p.i+1].text == ")" {
					p.i += 2
					return topicLevel{0}, nil
				}
			}
		}
		if p.i < len(p.toks) && p.toks[p.i].text == "(" {
			return nil, fmt.Errorf("function at position %d is outside the supported subset", t.pos)
		}
		return field{strings.Split(t.text, ".")}, nil
	}
	return nil, fmt.Errorf("unexpected token at position %d", t.pos)
}

type literal struct{ v any }

func (l literal) eval(any, string) any { return l.v }

type field struct{ path []string }

func (f field) eval(payload any, _ string) any {
	v := payload
	for _, k := range f.path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		if v, ok = m[k]; !ok {
			return nil
		}
	}
	s, _ := scalar(v)
	return s
}

type topicLevel struct{ n int }

func (t topicLevel) eval(_ any, topic string) any {
	if t.n == 0 {
		return topic
	}
	levels := strings.Split(topic, "/")
	if t.n > len(levels) {
		return nil
	}
	return levels[t.n-1]
}

type logic struct {
	or   bool
	l, r expr
}

func (e logic) eval(p any, t string) any {
	l, _ := e.l.eval(p, t).(bool)
	r, _ := e.r.eval(p, t).(bool)
	if e.or {
		return l || r
	}
	return l && r
}

type notExpr struct{ e expr }

func (n notExpr) eval(p any, t string) any {
	b, ok := n.e.eval(p, t).(bool)
	if !ok {
		return nil
	}
	return !b
}

type compare struct {
	op   string
	l, r expr
}

// eval compares values of one type; anything else is Undefined, which a
// WHERE clause treats as false.
func (c compare) eval(p any, t string) any {
	l, r := c.l.eval(p, t), c.r.eval(p, t)
	var cmp int
	switch x := l.(type) {
	case float64:
		y, ok := r.(float64)
		if !ok {
			return nil
		}
		cmp = compareOrdered(x, y)
	case string:
		y, ok := r.(string)
		if !ok {
			return nil
		}
		cmp = strings.Compare(x, y)
	case bool:
		y, ok := r.(bool)
		if !ok || (c.op != "=" && c.op != "<>" && c.op != "!=") {
			return nil
		}
		if x == y {
			cmp = 0
		} else {
			cmp = 1
		}
	default:
		return nil
	}
	switch c.op {
	case "=":
		return cmp == 0
	case "<>", "!=":
		return cmp != 0
	case "<":
		return cmp < 0
	case "<=":
		return cmp <= 0
	case ">":
		return cmp > 0
	default:
		return cmp >= 0
	}
}

func compareOrdered(x, y float64) int {
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}

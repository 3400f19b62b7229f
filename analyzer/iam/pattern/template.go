package pattern

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// In the rendered form of a template these bytes stand for the wildcards.
// They never occur in UTF-8 text, so a literal '*' or '?' (from an escape or
// a substituted value) can sit next to them without becoming a wildcard.
const (
	encStar byte = 0xFF
	encOne  byte = 0xFE
)

// Options says how to read a policy string.
type Options struct {
	// Wildcards: '*' and '?' in the text are wildcards (Resource, StringLike,
	// ArnLike); otherwise they are literal (StringEquals).
	Wildcards bool
	// Variables: "${…}" is a policy variable. False for Version "2008-10-17"
	// or an absent Version, where variables are literal text (AWS "IAM JSON
	// policy elements: Version").
	Variables bool
}

// Template is a compiled policy string that may hold wildcards and policy
// variables (AWS "IAM policy elements: Variables and tags").
type Template struct {
	src  string
	wild bool
	// toks is nil when src holds no "${": then src itself is the pattern.
	toks []token
	// enc is the rendered pattern when toks hold no variable (escapes only).
	enc  string
	vars bool
	keys []string
	// sym: src holds '<', so it may hold a symbol and matching takes the
	// symbolic path (symbol.go); plain policies never do.
	sym bool
	// exact: src has no wildcards in effect (or Wildcards is off), so a
	// template without "${" matches only its own text.
	exact bool
}

type tokKind uint8

const (
	tokText   tokKind = iota // policy text; wildcards per Options
	tokEscape                // ${*} ${?} ${$}: one literal character
	tokVar                   // ${key} or ${key, 'default'}
)

type token struct {
	kind   tokKind
	text   string // text, escaped character, or default value
	key    string // lower-case key of a variable
	hasDef bool
}

// HasWildcard reports whether s holds '*' or '?'. Policies are compiled
// by the thousand in batches, and this runs for each of their strings: a
// plain loop beats strings.ContainsAny, which builds its set on every call.
func HasWildcard(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == '*' || s[i] == '?' {
			return true
		}
	}
	return false
}

// Compile reads s. With Options.Variables it parses "${…}" and reports a
// malformed one (unterminated, empty, bad default quoting) with its byte
// offset.
func Compile(s string, opt Options) (Template, error) {
	// One look at each byte for what decides the template's form.
	var sym, wild, dollar bool
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '<':
			sym = true
		case '*', '?':
			wild = true
		case '$':
			dollar = dollar || i+1 < len(s) && s[i+1] == '{'
		}
	}
	t := Template{src: s, wild: opt.Wildcards, sym: sym}
	t.exact = !t.wild || !wild
	if !opt.Variables || !dollar {
		return t, nil
	}
	toks, err := parse(s)
	if err != nil {
		return Template{}, err
	}
	t.toks = toks
	for _, tk := range toks {
		if tk.kind == tokVar {
			t.vars = true
			if !slices.Contains(t.keys, tk.key) {
				t.keys = append(t.keys, tk.key)
			}
		}
	}
	slices.Sort(t.keys)
	if !t.vars {
		buf, _ := t.render(nil, nil)
		t.enc = string(buf)
	}
	return t, nil
}

func parse(s string) ([]token, error) {
	var toks []token
	text := 0 // start of the pending text run
	for i := 0; i < len(s); {
		if s[i] != '$' || i+1 >= len(s) || s[i+1] != '{' {
			i++
			continue
		}
		if text < i {
			toks = append(toks, token{kind: tokText, text: s[text:i]})
		}
		tk, end, err := parseVar(s, i)
		if err != nil {
			return nil, err
		}
		toks = append(toks, tk)
		i, text = end, end
	}
	if text < len(s) {
		toks = append(toks, token{kind: tokText, text: s[text:]})
	}
	return toks, nil
}

// parseVar reads the "${…}" that starts at byte at and returns it with the
// offset just past its closing brace.
func parseVar(s string, at int) (token, int, error) {
	body := at + 2
	if body+1 < len(s) && s[body+1] == '}' {
		switch c := s[body]; c {
		case '*', '?', '$':
			return token{kind: tokEscape, text: s[body : body+1]}, body + 2, nil
		}
	}
	i := body
	for i < len(s) && s[i] != '}' && s[i] != ',' {
		switch s[i] {
		case '$', '{', '\'':
			return token{}, 0, fmt.Errorf("policy variable at byte %d: unexpected %q in key name at byte %d", at, s[i], i)
		}
		i++
	}
	if i == len(s) {
		return token{}, 0, fmt.Errorf("policy variable at byte %d: no closing '}'", at)
	}
	key := strings.TrimSpace(s[body:i])
	if key == "" {
		return token{}, 0, fmt.Errorf("policy variable at byte %d: empty key name", at)
	}
	tk := token{kind: tokVar, key: strings.ToLower(key)}
	if s[i] == '}' {
		return tk, i + 1, nil
	}
	// Default value: ", 'text'" with '' for a quote, spaces allowed around.
	i++
	for i < len(s) && s[i] == ' ' {
		i++
	}
	if i == len(s) || s[i] != '\'' {
		return token{}, 0, fmt.Errorf("policy variable at byte %d: default value must be in single quotes (byte %d)", at, i)
	}
	var def strings.Builder
	i++
	for {
		j := strings.IndexByte(s[i:], '\'')
		if j < 0 {
			return token{}, 0, fmt.Errorf("policy variable at byte %d: unterminated default value", at)
		}
		def.WriteString(s[i : i+j])
		i += j + 1
		if i < len(s) && s[i] == '\'' {
			def.WriteByte('\'')
			i++
			continue
		}
		break
	}
	for i < len(s) && s[i] == ' ' {
		i++
	}
	if i == len(s) || s[i] != '}' {
		if i == len(s) {
			return token{}, 0, fmt.Errorf("policy variable at byte %d: no closing '}'", at)
		}
		return token{}, 0, fmt.Errorf("policy variable at byte %d: unexpected %q after default value at byte %d", at, s[i], i)
	}
	tk.text, tk.hasDef = def.String(), true
	return tk, i + 1, nil
}

// String returns the original text.
func (t Template) String() string { return t.src }

// HasVariables reports whether the template references a policy variable.
func (t Template) HasVariables() bool { return t.vars }

// Keys returns the sorted lower-case keys the template references.
func (t Template) Keys() []string { return slices.Clone(t.keys) }

// Match reports whether s matches the template after substitution. A
// substituted value and an escape are literal text; '*' and '?' written in
// the policy are wildcards if the template was compiled with Wildcards.
//
// A variable whose key is missing (without a default) or multivalued cannot
// be resolved and the match is False. A variable whose key is KeyUnknown
// makes the match Unknown, unless no value could make it match: the unknown
// value is replaced by '*' and if even that fails the answer is False.
//
// When the template or s holds a symbol ("<EXPR>", see symbol.go) the
// answer is True only if it holds whatever the symbols stand for, False
// only if it holds for none of their values, and Unknown otherwise.
func (t Template) Match(s string, fold bool, r Resolver) Tri {
	return t.match3(s, ltScan, fold, r)
}

// MatchKnown is Match for a caller that already knows whether s holds a
// '<' (hasLT), so that matching one value against many templates scans it
// once.
func (t *Template) MatchKnown(s string, hasLT, fold bool, r Resolver) Tri {
	lt := ltNo
	if hasLT {
		lt = ltYes
	}
	return t.match3(s, lt, fold, r)
}

// ltState says whether a value holds '<': not yet looked at, no, or yes.
type ltState uint8

const (
	ltScan ltState = iota
	ltNo
	ltYes
)

func (lt ltState) in(s string) bool {
	return lt == ltYes || lt == ltScan && strings.IndexByte(s, '<') >= 0
}

func (t *Template) match3(s string, lt ltState, fold bool, r Resolver) Tri {
	if t.toks == nil {
		if t.exact && !t.sym && equal(t.src, s, fold) {
			return True // equal to text without '<': s holds no symbol either
		}
		if t.sym || lt.in(s) {
			return symbolic(t.src, s, t.wild, '*', '?', fold)
		}
		return TriOf(t.wild && match(t.src, s, '*', '?', fold))
	}
	if !t.vars {
		if t.sym || lt.in(s) {
			return symbolic(t.enc, s, true, encStar, encOne, fold)
		}
		return TriOf(match(t.enc, s, encStar, encOne, fold))
	}
	buf, res := t.render(nil, r)
	if res == False {
		return False
	}
	var m Tri
	if bytes.IndexByte(buf, '<') >= 0 || lt.in(s) {
		// A substituted context value may itself hold a symbol.
		m = symbolic(string(buf), s, true, encStar, encOne, fold)
	} else {
		m = TriOf(match(string(buf), s, encStar, encOne, fold))
	}
	return res.And(m)
}

// Equal is the comparison for StringEquals and friends: exact after
// substitution. It is Match by another name, for readability at call sites:
// '*' and '?' are literal unless the template was compiled with Wildcards.
func (t Template) Equal(s string, fold bool, r Resolver) Tri {
	if t.toks == nil && t.exact && !t.sym {
		if equal(t.src, s, fold) {
			return True
		}
		if strings.IndexByte(s, '<') < 0 {
			return False
		}
	}
	return t.Match(s, fold, r)
}

// Render returns the text after substitution, with escapes turned into their
// characters. It is False when a variable cannot be resolved and Unknown
// (with empty text) when a variable's key is KeyUnknown.
func (t Template) Render(r Resolver) (string, Tri) {
	if t.toks == nil {
		return t.src, True
	}
	buf, res := t.render(nil, r)
	if res != True {
		return "", res
	}
	// The rendered form marks wildcards with encStar/encOne; turn them back.
	for i, c := range buf {
		switch c {
		case encStar:
			buf[i] = '*'
		case encOne:
			buf[i] = '?'
		}
	}
	return string(buf), True
}

// render appends the encoded pattern to buf. Wildcards in policy text become
// encStar/encOne; an unknown variable becomes encStar and makes the result
// Unknown; an unresolvable one makes it False (and rendering stops).
func (t Template) render(buf []byte, r Resolver) ([]byte, Tri) {
	res := True
	if buf == nil {
		buf = make([]byte, 0, len(t.src)+16)
	}
	mv, _ := r.(MultiValued)
	for _, tk := range t.toks {
		switch tk.kind {
		case tokText:
			if !t.wild {
				buf = appendLiteral(buf, tk.text)
				continue
			}
			for i := 0; i < len(tk.text); i++ {
				switch c := tk.text[i]; c {
				case '*':
					buf = append(buf, encStar)
				case '?':
					buf = append(buf, encOne)
				default:
					buf = appendLiteralByte(buf, c)
				}
			}
		case tokEscape:
			buf = append(buf, tk.text...)
		case tokVar:
			var vals []string
			state := Missing
			if r != nil {
				vals, state = r.Lookup(tk.key)
			}
			switch {
			case state == KeyUnknown:
				buf = append(buf, encStar)
				res = Unknown
			case state == Present && len(vals) == 1 && (mv == nil || !mv.IsMulti(tk.key)):
				buf = appendLiteral(buf, vals[0])
			case tk.hasDef:
				// Missing, or multivalued (which cannot be substituted).
				buf = appendLiteral(buf, tk.text)
			default:
				return buf, False
			}
		}
	}
	return buf, res
}

// appendLiteral appends text that must not act as wildcards. The marker
// bytes cannot occur in valid UTF-8; should invalid text carry them they are
// replaced so that they cannot turn into wildcards.
func appendLiteral(buf []byte, s string) []byte {
	if strings.IndexByte(s, encStar) < 0 && strings.IndexByte(s, encOne) < 0 {
		return append(buf, s...)
	}
	for i := 0; i < len(s); i++ {
		buf = appendLiteralByte(buf, s[i])
	}
	return buf
}

func appendLiteralByte(buf []byte, c byte) []byte {
	if c == encStar || c == encOne {
		return utf8.AppendRune(buf, utf8.RuneError)
	}
	return append(buf, c)
}

// Unresolvable reports whether some policy variable of the template cannot
// be substituted in r: its key is missing or multivalued and it has no
// default. An unknown key (KeyUnknown) is taken to be resolvable.
func (t *Template) Unresolvable(r Resolver) bool {
	if !t.vars {
		return false
	}
	mv, _ := r.(MultiValued)
	for _, tk := range t.toks {
		if tk.kind != tokVar || tk.hasDef {
			continue
		}
		state := Missing
		var vals []string
		if r != nil {
			vals, state = r.Lookup(tk.key)
		}
		switch {
		case state == KeyUnknown:
		case state == Present && len(vals) == 1 && (mv == nil || !mv.IsMulti(tk.key)):
		default:
			return true
		}
	}
	return false
}

// VarInARNPrefix reports whether a policy variable sits in one of the first
// five colon-separated fields of an ARN (partition, service, region,
// account), where AWS documents none: the engine still substitutes it but
// does not rely on the match.
func (t *Template) VarInARNPrefix() bool {
	if !t.vars {
		return false
	}
	colons := 0
	for _, tk := range t.toks {
		switch tk.kind {
		case tokVar:
			if colons < 5 {
				return true
			}
		case tokText:
			colons += strings.Count(tk.text, ":")
		}
		if colons >= 5 {
			return false
		}
	}
	return false
}

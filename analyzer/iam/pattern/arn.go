package pattern

import "strings"

// ARN is a compiled pattern for the ARN condition operators. AWS ("IAM JSON
// policy elements: Condition operators", ARN operators): each of the six
// colon-delimited parts of the ARN is checked separately and each may hold
// '*' and '?'; matching is case-sensitive. So a '*' in the region part cannot
// swallow the account part, unlike StringLike. The sixth part (the resource)
// runs to the end and may itself hold colons.
type ARN struct {
	t Template
	// For templates without variables the parts are split once, here.
	parts     [6]string
	kinds     [6]partKind
	star, one byte
	sixParts  bool // the pattern has six parts
	any       bool // the pattern is a lone "*"
}

// Symbols in ARNs (see symbol.go): the value and the pattern are split at
// colons outside their symbols. A symbol inside one of the first five parts
// stays in that part — a partition, service, region or account never holds
// a ':' — and is matched within it; a symbol in the resource part may hold
// anything. When either side does not show six parts outside its symbols,
// a symbol may stand for several parts at once, and the answer is Unknown
// unless no text could match at all.

// partKind lets the common ARN parts skip the wildcard matcher.
type partKind uint8

const (
	partGlob    partKind = iota
	partLiteral          // no wildcard: plain comparison
	partAny              // "*": anything
)

// CompileARN compiles an ArnLike/ArnEquals value; wildcards are always on.
func CompileARN(s string, opt Options) (ARN, error) {
	opt.Wildcards = true
	t, err := Compile(s, opt)
	if err != nil {
		return ARN{}, err
	}
	a := ARN{t: t}
	if !t.vars {
		src, star, one := t.src, byte('*'), byte('?')
		if t.toks != nil {
			src, star, one = t.enc, encStar, encOne
		}
		a.star, a.one = star, one
		a.any = len(src) == 1 && src[0] == star
		a.parts, a.sixParts = splitARN(src)
		for i, p := range a.parts {
			switch {
			case len(p) == 1 && p[0] == star:
				a.kinds[i] = partAny
			case strings.IndexByte(p, star) < 0 && strings.IndexByte(p, one) < 0:
				a.kinds[i] = partLiteral
			}
		}
	}
	return a, nil
}

// String returns the original text.
func (a ARN) String() string { return a.t.src }

// Template returns the underlying template.
func (a ARN) Template() Template { return a.t }

// Match reports whether s, which must be an ARN (six colon-separated parts),
// matches the pattern part by part. A value that is not an ARN never
// matches. A lone "*" matches every ARN; any other pattern that is not six
// parts matches nothing. Variables behave as in Template.Match.
func (a ARN) Match(s string, r Resolver) Tri {
	if !a.t.vars {
		if a.t.sym || strings.IndexByte(s, '<') >= 0 {
			return a.matchSymbolic(s)
		}
		vp, ok := splitARN(s)
		return TriOf(ok && (a.any || a.sixParts && a.matchCompiled(&vp)))
	}
	buf, res := a.t.render(nil, r)
	if res == False {
		return False
	}
	enc := string(buf)
	if strings.IndexByte(enc, '<') >= 0 || strings.IndexByte(s, '<') >= 0 {
		return res.And(arnSymbolic(enc, s, encStar, encOne))
	}
	vp, ok := splitARN(s)
	if !ok {
		return False
	}
	if len(enc) == 1 && enc[0] == encStar {
		return res
	}
	pp, ok := splitARN(enc)
	if !ok || !matchParts(&pp, &vp, encStar, encOne) {
		return False
	}
	return res
}

// matchSymbolic is Match for a template without variables when it or s may
// hold a symbol.
func (a *ARN) matchSymbolic(s string) Tri {
	src := a.t.src
	if a.t.toks != nil {
		src = a.t.enc
	}
	return arnSymbolic(src, s, a.star, a.one)
}

func (a *ARN) matchCompiled(v *[6]string) bool {
	for i := range a.parts {
		switch a.kinds[i] {
		case partAny:
		case partLiteral:
			if a.parts[i] != v[i] {
				return false
			}
		default:
			if !match(a.parts[i], v[i], a.star, a.one, false) {
				return false
			}
		}
	}
	return true
}

func matchParts(p, v *[6]string, star, one byte) bool {
	for i := range p {
		if !match(p[i], v[i], star, one, false) {
			return false
		}
	}
	return true
}

// splitARN splits s at its first five colons.
func splitARN(s string) (p [6]string, ok bool) {
	for i := 0; i < 5; i++ {
		j := strings.IndexByte(s, ':')
		if j < 0 {
			return p, false
		}
		p[i], s = s[:j], s[j+1:]
	}
	p[5] = s
	return p, true
}

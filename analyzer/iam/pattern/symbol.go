package pattern

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// Symbols. The Terraform loader writes a value unknown before apply as
// "<EXPR>", the value of the Terraform expression EXPR (docs/snapshot.md,
// "Placeholders"): a function name "<var.prefix>-fn", a key id
// "<aws_kms_key.k.key_id>". A symbol stands for one fixed but unknown
// string; the same symbol text is the same value everywhere. '<' and '>'
// never occur in AWS identifiers, so a symbol is recognised as '<', one or
// more bytes other than '<', '>' and the wildcards, then '>'. Any other '<'
// or '>' is plain text.
//
// Matching a pattern against a value when either holds a symbol:
//
//   - True when the pattern matches with every symbol taken as one opaque
//     token: a symbol in the value is matched only by the same symbol in the
//     pattern or absorbed by a '*'; '?' and literal text never match part of
//     a symbol (the symbol may be empty or long). That alignment works for
//     every value of the symbols, so True is certain.
//   - False when no substitution of the symbols could make them match: the
//     two glob languages, with each symbol read as '*', do not intersect.
//   - Unknown otherwise: the answer waits for the symbols' values.
//
// Both tests are dynamic programmes over the two token sequences, bounded by
// len(pattern)·len(value); there is no backtracking. Plain text (no '<'
// anywhere) never takes this path.

// maxSymbolCells bounds the dynamic programme; beyond it the answer is
// Unknown, which is always sound. Values with symbols are short in practice.
const maxSymbolCells = 1 << 22

// Token codes: characters are their rune (or invalidBase+byte for a byte of
// invalid UTF-8, so that distinct bytes stay distinct); the negatives are the
// wildcards and symbols (symBase-k for the k-th distinct symbol text).
const (
	tokStar     int32 = -1
	tokOne      int32 = -2
	symBase     int32 = -3
	invalidBase int32 = utf8.MaxRune + 1
)

// HasSymbol reports whether s holds a symbol.
func HasSymbol(s string) bool {
	for i := strings.IndexByte(s, '<'); i >= 0; {
		if symbolEnd(s, i, false, 0, 0) > 0 {
			return true
		}
		j := strings.IndexByte(s[i+1:], '<')
		if j < 0 {
			return false
		}
		i += 1 + j
	}
	return false
}

// AppendSymbols appends the symbols of s (with their angle brackets) to dst.
func AppendSymbols(dst []string, s string) []string {
	for i := 0; i < len(s); i++ {
		if s[i] != '<' {
			continue
		}
		if end := symbolEnd(s, i, false, 0, 0); end > 0 {
			dst = append(dst, s[i:end])
			i = end - 1
		}
	}
	return dst
}

// SortSymbols sorts and deduplicates a list of symbols in place.
func SortSymbols(syms []string) []string {
	slices.Sort(syms)
	return slices.Compact(syms)
}

// EqualText compares two texts exactly (StringEquals, exact principal
// names): True when equal, also with symbols (the same symbol is the same
// value), Unknown when they differ but symbols could make them equal, False
// otherwise.
func EqualText(a, b string, fold bool) Tri {
	if a == b {
		return True
	}
	if strings.IndexByte(a, '<') < 0 && strings.IndexByte(b, '<') < 0 {
		return TriOf(fold && equal(a, b, true))
	}
	return symbolic(a, b, false, 0, 0, fold)
}

// MatchText is Match (or MatchFold) in three values, aware of symbols on
// either side.
func MatchText(p, v string, fold bool) Tri {
	if strings.IndexByte(p, '<') < 0 && strings.IndexByte(v, '<') < 0 {
		return TriOf(match(p, v, '*', '?', fold))
	}
	return symbolic(p, v, true, '*', '?', fold)
}

// LastIndexOutsideSymbols is strings.LastIndexByte that ignores c inside
// symbols, so that a name cut at the last '/' keeps its symbols whole.
func LastIndexOutsideSymbols(s string, c byte) int {
	last := -1
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case c:
			last = i
		case '<':
			if end := symbolEnd(s, i, false, 0, 0); end > 0 {
				i = end - 1
			}
		}
	}
	return last
}

// symbolEnd returns the offset just past the symbol that starts at s[i]
// (which is '<'), or -1. With wild, the bytes star and one end the attempt:
// a wildcard inside angle brackets keeps its meaning.
func symbolEnd(s string, i int, wild bool, star, one byte) int {
	for j := i + 1; j < len(s); j++ {
		switch c := s[j]; {
		case c == '>':
			if j == i+1 {
				return -1
			}
			return j + 1
		case c == '<':
			return -1
		case wild && (c == star || c == one):
			return -1
		}
	}
	return -1
}

// symTable gives each distinct symbol text of one comparison its code.
type symTable []string

func (t *symTable) code(sym string) int32 {
	k := slices.Index(*t, sym)
	if k < 0 {
		k = len(*t)
		*t = append(*t, sym)
	}
	return symBase - int32(k)
}

// tokens splits s into token codes. With wild the bytes star and one are
// the wildcards; otherwise every byte outside a symbol is text.
func tokens(dst []int32, s string, wild bool, star, one byte, syms *symTable) []int32 {
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case wild && c == star:
			dst = append(dst, tokStar)
			i++
			continue
		case wild && c == one:
			dst = append(dst, tokOne)
			i++
			continue
		case c == '<':
			if end := symbolEnd(s, i, wild, star, one); end > 0 {
				dst = append(dst, syms.code(s[i:end]))
				i = end
				continue
			}
		}
		if c < utf8.RuneSelf {
			dst = append(dst, int32(c))
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			dst = append(dst, invalidBase+int32(c))
		} else {
			dst = append(dst, r)
		}
		i += n
	}
	return dst
}

// symbolic decides pattern p (wildcards star and one when wild) against
// value v (no wildcards) when either holds a symbol; see the package notes.
func symbolic(p, v string, wild bool, star, one byte, fold bool) Tri {
	var syms symTable
	pt := tokens(make([]int32, 0, len(p)), p, wild, star, one, &syms)
	vt := tokens(make([]int32, 0, len(v)), v, false, 0, 0, &syms)
	if (len(pt)+1)*(len(vt)+1) > maxSymbolCells {
		return Unknown
	}
	if tokenMatch(pt, vt, fold) {
		return True
	}
	if intersects(pt, vt, fold) {
		return Unknown
	}
	return False
}

func sameChar(c, d int32, fold bool) bool {
	if c == d {
		return true
	}
	if !fold || c < 0 || d < 0 || c >= invalidBase || d >= invalidBase {
		return false
	}
	if c < utf8.RuneSelf && d < utf8.RuneSelf {
		return lower(byte(c)) == lower(byte(d))
	}
	return foldRune(c, d)
}

// tokenMatch is glob matching over tokens with symbols opaque: a pattern
// symbol matches only the same value symbol, '?' and text match only text,
// '*' matches any run of tokens.
func tokenMatch(pt, vt []int32, fold bool) bool {
	row := make([]bool, 2*(len(vt)+1))
	dp, next := row[:len(vt)+1], row[len(vt)+1:]
	dp[0] = true
	for _, c := range pt {
		next[0] = false
		switch {
		case c == tokStar:
			seen := false
			for j := range dp {
				seen = seen || dp[j]
				next[j] = seen
			}
		default:
			for j := 1; j < len(dp); j++ {
				d := vt[j-1]
				var ok bool
				switch {
				case c == tokOne:
					ok = d >= 0
				case c <= symBase:
					ok = c == d
				default:
					ok = d >= 0 && sameChar(c, d, fold)
				}
				next[j] = dp[j-1] && ok
			}
		}
		dp, next = next, dp
	}
	return dp[len(vt)]
}

// intersects reports whether some text matches both pt and vt when every
// symbol on either side is read as '*'. reach(i, j) says that some common
// prefix text is produced by pt[:i] and vt[:j], where a star at pt[i] or
// vt[j] may still be open. A witness can always be shortened so that no
// character is produced by two stars at once, so the moves are: a star
// ends; an open star takes one non-star token of the other side; or two
// non-star tokens produce the same character.
func intersects(pt, vt []int32, fold bool) bool {
	isStar := func(c int32) bool { return c == tokStar || c <= symBase }
	m := len(vt)
	row := make([]bool, 2*(m+1))
	prev, cur := row[:m+1], row[m+1:]
	for i := 0; i <= len(pt); i++ {
		for j := 0; j <= m; j++ {
			r := i == 0 && j == 0
			if i > 0 && !r {
				pc := pt[i-1]
				switch {
				case isStar(pc):
					r = prev[j] // the pattern's star ends
				case j < m && isStar(vt[j]):
					r = prev[j] // the value's open star takes pc
				}
				if !r && j > 0 && prev[j-1] && !isStar(pc) && !isStar(vt[j-1]) {
					d := vt[j-1]
					r = pc == tokOne || sameChar(pc, d, fold)
				}
			}
			if j > 0 && !r {
				vc := vt[j-1]
				switch {
				case isStar(vc):
					r = cur[j-1] // the value's star ends
				case i < len(pt) && isStar(pt[i]):
					r = cur[j-1] // the pattern's open star takes vc
				}
			}
			cur[j] = r
		}
		prev, cur = cur, prev
	}
	return prev[m]
}

// splitARNSymbolic splits s at its first five colons outside symbols. A
// symbol in one of the first five parts (partition, service, region,
// account) is taken to hold no ':' — those fields never do — so the split is
// the one every value of the symbols gives; a symbol in the resource part
// may hold anything, since that part runs to the end.
func splitARNSymbolic(s string, wild bool, star, one byte) (p [6]string, ok bool) {
	start, n := 0, 0
	for i := 0; i < len(s) && n < 5; i++ {
		switch s[i] {
		case '<':
			if end := symbolEnd(s, i, wild, star, one); end > 0 {
				i = end - 1
			}
		case ':':
			p[n] = s[start:i]
			n++
			start = i + 1
		}
	}
	if n < 5 {
		return p, false
	}
	p[5] = s[start:]
	return p, true
}

// arnSymbolic is ARN matching when the pattern (wildcards star and one) or
// the value holds a symbol. Part by part when both split into six parts
// outside their symbols; otherwise a symbol may stand for several parts at
// once (a whole ARN from one expression), and the answer is False only when
// no text at all could match the pattern read as a plain glob (which
// accepts every text the ARN pattern accepts), else Unknown.
func arnSymbolic(p, v string, star, one byte) Tri {
	vp, vok := splitARNSymbolic(v, false, 0, 0)
	if len(p) == 1 && p[0] == star {
		switch {
		case vok:
			return True
		case HasSymbol(v):
			return Unknown // a lone "*" matches every ARN, but is the value one?
		}
		return False
	}
	pp, pok := splitARNSymbolic(p, true, star, one)
	if !vok && !HasSymbol(v) || !pok && !hasPatternSymbol(p, star, one) {
		return False // not an ARN, or a pattern that matches none
	}
	if !vok || !pok {
		if symbolic(p, v, true, star, one, false) == False {
			return False
		}
		return Unknown
	}
	res := True
	for i := range pp {
		var t Tri
		if strings.IndexByte(pp[i], '<') < 0 && strings.IndexByte(vp[i], '<') < 0 {
			t = TriOf(match(pp[i], vp[i], star, one, false))
		} else {
			t = symbolic(pp[i], vp[i], true, star, one, false)
		}
		if res = res.And(t); res == False {
			return False
		}
	}
	return res
}

// hasPatternSymbol is HasSymbol for a pattern with wildcard bytes.
func hasPatternSymbol(p string, star, one byte) bool {
	for i := 0; i < len(p); i++ {
		if p[i] == '<' && symbolEnd(p, i, true, star, one) > 0 {
			return true
		}
	}
	return false
}

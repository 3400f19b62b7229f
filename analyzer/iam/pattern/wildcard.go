// Package pattern matches IAM wildcard patterns and renders IAM policy
// variables. It is the lowest layer of the IAM engine: actions, resources,
// principals and the String/Arn condition operators all match through it,
// and it knows nothing about policies, requests or decisions.
//
// Matching never backtracks: a pattern is split at '*' into segments and each
// segment is placed once, at its leftmost match, after the previous one. This
// is exact for globs (a '?' always consumes one character, so a segment has a
// fixed length in characters) and keeps pathological patterns such as
// "*a*a*a*…b" linear in the input for '*'-only patterns and bounded by
// len(pattern)·len(input) with '?'.
//
// '?' matches one character (one UTF-8 sequence), not one byte, so that
// "caf?" matches "café". Case folding is ASCII on the fast path and Unicode
// simple folding (as strings.EqualFold) when either side is not ASCII.
//
// Text holding '<' may hold a symbol ("<EXPR>", a value unknown before
// apply); the Template and ARN matchers then take the symbolic path of
// symbol.go, which answers in three values. Plain text never does.
package pattern

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Match reports whether s matches the wildcard pattern p, where '*' matches
// any run of characters (including none) and '?' exactly one character.
// Comparison is case-sensitive, as for ARNs.
func Match(p, s string) bool { return match(p, s, '*', '?', false) }

// MatchFold is Match with case folding, as for action names.
func MatchFold(p, s string) bool { return match(p, s, '*', '?', true) }

// match matches s against p, in which the byte star stands for '*' and the
// byte one for '?'. Templates pass bytes that cannot occur in UTF-8 text so
// that literal '*' and '?' (escapes, substituted values) stay literal.
func match(p, s string, star, one byte, fold bool) bool {
	first := strings.IndexByte(p, star)
	if first < 0 {
		if strings.IndexByte(p, one) < 0 {
			return equal(p, s, fold)
		}
		end := segmentAt(p, s, 0, one, fold)
		return end == len(s)
	}
	if len(p) == 1 {
		return true // p is a lone star
	}
	if first == len(p)-1 && !fold && strings.IndexByte(p, one) < 0 {
		return strings.HasPrefix(s, p[:first]) // "prefix*", the commonest shape
	}
	// The leading segment must match at the start of s.
	i := 0
	if first > 0 {
		if i = segmentAt(p[:first], s, 0, one, fold); i < 0 {
			return false
		}
	}
	p = p[first+1:]
	for {
		next := strings.IndexByte(p, star)
		if next < 0 {
			// The last segment must end at the end of s. It has a fixed number
			// of characters, so it starts that many characters from the end.
			if p == "" {
				return true
			}
			start := len(s)
			for n := utf8.RuneCountInString(p); n > 0; n-- {
				if start <= i {
					return false
				}
				_, size := utf8.DecodeLastRuneInString(s[:start])
				start -= size
			}
			if start < i {
				return false
			}
			return segmentAt(p, s, start, one, fold) == len(s)
		}
		seg := p[:next]
		p = p[next+1:]
		if seg == "" {
			continue
		}
		if i = find(seg, s, i, one, fold); i < 0 {
			return false
		}
	}
}

// find places seg (which holds no star) at its leftmost match in s at or
// after byte offset from, and returns the offset just past it, or -1.
func find(seg, s string, from int, one byte, fold bool) int {
	if !fold && strings.IndexByte(seg, one) < 0 {
		// Plain substring: the standard library search is linear.
		j := strings.Index(s[from:], seg)
		if j < 0 {
			return -1
		}
		return from + j + len(seg)
	}
	for i := from; i < len(s); {
		if end := segmentAt(seg, s, i, one, fold); end >= 0 {
			return end
		}
		if s[i] < utf8.RuneSelf {
			i++
		} else {
			_, size := utf8.DecodeRuneInString(s[i:])
			i += size
		}
	}
	return -1
}

// segmentAt matches seg (which holds no star) against s at byte offset i and
// returns the offset just past the match, or -1.
func segmentAt(seg, s string, i int, one byte, fold bool) int {
	for j := 0; j < len(seg); {
		if i >= len(s) {
			return -1
		}
		c, d := seg[j], s[i]
		switch {
		case c == one:
			j++
			if d < utf8.RuneSelf {
				i++
			} else {
				_, size := utf8.DecodeRuneInString(s[i:])
				i += size
			}
		case c < utf8.RuneSelf && d < utf8.RuneSelf:
			if c != d && (!fold || lower(c) != lower(d)) {
				return -1
			}
			i++
			j++
		case !fold:
			if c != d {
				return -1
			}
			i++
			j++
		default:
			r, n := utf8.DecodeRuneInString(seg[j:])
			q, m := utf8.DecodeRuneInString(s[i:])
			if !foldRune(r, q) {
				return -1
			}
			j += n
			i += m
		}
	}
	return i
}

func equal(a, b string, fold bool) bool {
	if !fold {
		return a == b
	}
	if len(a) == len(b) {
		i := 0
		for ; i < len(a); i++ {
			c, d := a[i], b[i]
			if c >= utf8.RuneSelf || d >= utf8.RuneSelf {
				break
			}
			if c != d && lower(c) != lower(d) {
				return false
			}
		}
		if i == len(a) {
			return true
		}
	}
	return strings.EqualFold(a, b)
}

// foldRune reports whether r and q are equal under Unicode simple folding.
func foldRune(r, q rune) bool {
	if r == q {
		return true
	}
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		if f == q {
			return true
		}
	}
	return false
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// Package pattern matches IAM wildcard patterns and renders IAM policy
// variables. It is the lowest layer of the IAM engine: actions, resources,
// principals and the String/Arn condition operators all match through it.
//
// Matching never backtracks: a pattern is split at '*' into segments and each
// segment is placed once, at its leftmost match, after the previous one. This
// keeps pathological patterns such as "*a*a*a*…b" linear in the input for
// '*'-only patterns and bounded by len(pattern)·len(input) with '?'.
package pattern

// Match reports whether s matches the wildcard pattern p, where '*' matches
// any run of characters (including none) and '?' exactly one character.
// Comparison is case-sensitive, as for ARNs.
func Match(p, s string) bool { return match(p, s, false) }

// MatchFold is Match with ASCII case folding, as for action names.
func MatchFold(p, s string) bool { return match(p, s, true) }

func match(p, s string, fold bool) bool {
	// Fast paths for the common shapes: exact, "*", and "prefix*".
	star := indexByte(p, '*')
	if star < 0 && indexByte(p, '?') < 0 {
		return equal(p, s, fold)
	}
	if p == "*" {
		return true
	}
	// Leading segment must match at the start of s.
	first := p
	if star >= 0 {
		first = p[:star]
	}
	if star < 0 {
		return len(p) == len(s) && segmentAt(p, s, 0, fold)
	}
	if len(first) > len(s) || !segmentAt(first, s, 0, fold) {
		return false
	}
	s = s[len(first):]
	p = p[star+1:]
	for {
		next := indexByte(p, '*')
		if next < 0 {
			// Last segment must match at the end of s.
			if len(p) > len(s) {
				return false
			}
			return segmentAt(p, s, len(s)-len(p), fold)
		}
		seg := p[:next]
		p = p[next+1:]
		if seg == "" {
			continue
		}
		i := find(seg, s, fold)
		if i < 0 {
			return false
		}
		s = s[i+len(seg):]
	}
}

// find returns the leftmost index at which seg (which may hold '?') matches in s.
func find(seg, s string, fold bool) int {
	for i := 0; i+len(seg) <= len(s); i++ {
		if segmentAt(seg, s, i, fold) {
			return i
		}
	}
	return -1
}

// segmentAt reports whether seg matches s at offset i; seg holds no '*'.
func segmentAt(seg, s string, i int, fold bool) bool {
	for j := 0; j < len(seg); j++ {
		c := seg[j]
		if c == '?' {
			continue
		}
		d := s[i+j]
		if c == d {
			continue
		}
		if !fold || lower(c) != lower(d) {
			return false
		}
	}
	return true
}

func equal(a, b string, fold bool) bool {
	if len(a) != len(b) {
		return false
	}
	if !fold {
		return a == b
	}
	for i := 0; i < len(a); i++ {
		if a[i] != b[i] && lower(a[i]) != lower(b[i]) {
			return false
		}
	}
	return true
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func indexByte(s string, c byte) int {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return i
		}
	}
	return -1
}

// Package clean strips from text taken from the input (names, addresses,
// ARNs, messages that quote them, waiver reasons) what could act on the
// reader's terminal or viewer rather than be read: control characters,
// terminal escape sequences (colours, cursor moves, OSC 8 links, window
// titles) and the Unicode controls that reorder text for display. Every
// renderer passes such text through it, whatever the format.
package clean

import (
	"strings"
	"unicode/utf8"
)

// Text returns s with control characters and escape sequences removed,
// keeping line feeds and tabs, for formats where they are layout.
// Invalid UTF-8 becomes U+FFFD.
func Text(s string) string { return clean(s, false) }

// Line is Text for one-line fields: line feeds and tabs become spaces too.
func Line(s string) string { return clean(s, true) }

func clean(s string, oneLine bool) string {
	if !needs(s, oneLine) {
		return s
	}
	// A run of invalid bytes becomes one U+FFFD, as strings.ToValidUTF8 does.
	s = strings.ToValidUTF8(s, "\uFFFD")
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == 0x1b:
			i += escapeLen(s[i+1:]) + 1
			continue
		case r == 0x9b: // CSI as one C1 character
			i += n + csiLen(s[i+n:])
			continue
		case r == 0x90 || r == 0x98 || r == 0x9d || r == 0x9e || r == 0x9f: // DCS, SOS, OSC, PM, APC
			i += n + stringLen(s[i+n:])
			continue
		case r == '\n' || r == '\t':
			if oneLine {
				b.WriteByte(' ')
			} else {
				b.WriteRune(r)
			}
		case r == 0x2028 || r == 0x2029: // line and paragraph separators
			b.WriteByte(' ')
		case dropped(r):
		default:
			b.WriteRune(r)
		}
		i += n
	}
	return b.String()
}

// needs reports whether s has anything clean would change.
func needs(s string, oneLine bool) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == 0x7f {
				if (c != '\n' && c != '\t') || oneLine {
					return true
				}
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 || r == 0x2028 || r == 0x2029 || dropped(r) {
			return true
		}
		i += n
	}
	return false
}

// dropped are the characters removed outright: C0 controls (line feed and
// tab are handled before), DEL, C1 controls, and the bidirectional
// formatting characters that can make text display in another order than
// it reads (marks, embeddings, overrides, isolates).
func dropped(r rune) bool {
	switch {
	case r < 0x20 || r == 0x7f:
		return true
	case r >= 0x80 && r <= 0x9f:
		return true
	case r == 0x061c, r == 0x200e, r == 0x200f:
		return true
	case r >= 0x202a && r <= 0x202e:
		return true
	case r >= 0x2066 && r <= 0x2069:
		return true
	}
	return false
}

// escapeLen is the length of the escape sequence whose ESC precedes s.
func escapeLen(s string) int {
	if s == "" {
		return 0
	}
	switch s[0] {
	case '[': // CSI
		return 1 + csiLen(s[1:])
	case ']', 'P', 'X', '^', '_': // OSC, DCS, SOS, PM, APC: a string to its terminator
		return 1 + stringLen(s[1:])
	}
	// Other escapes: intermediate bytes, then one final byte.
	n := 0
	for n < len(s) && s[n] >= 0x20 && s[n] <= 0x2f {
		n++
	}
	if n < len(s) && s[n] >= 0x30 && s[n] <= 0x7e {
		n++
	}
	return n
}

// csiLen is the length of a control sequence's parameters, intermediates
// and final byte. A sequence cut short ends at the first byte that cannot
// belong to it.
func csiLen(s string) int {
	n := 0
	for n < len(s) && s[n] >= 0x20 && s[n] <= 0x3f {
		n++
	}
	if n < len(s) && s[n] >= 0x40 && s[n] <= 0x7e {
		n++
	}
	return n
}

// stringLen is the length of a control string up to and including its
// terminator (BEL, ESC \ or ST); an unterminated one runs to the end, as a
// terminal would swallow it.
func stringLen(s string) int {
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == 0x07:
			return i + 1
		case s[i] == 0x1b && i+1 < len(s) && s[i+1] == '\\':
			return i + 2
		case s[i] == 0xc2 && i+1 < len(s) && s[i+1] == 0x9c: // ST in UTF-8
			return i + 2
		}
	}
	return len(s)
}

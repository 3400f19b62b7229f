package clean

import (
	"strings"
	"testing"
)

func TestText(t *testing.T) {
	cases := []struct{ name, in, text, line string }{
		{"plain text unchanged", "aws_lambda_function.f <var.prefix>-fn", "aws_lambda_function.f <var.prefix>-fn", "aws_lambda_function.f <var.prefix>-fn"},
		{"layout kept in text only", "a\n\tb", "a\n\tb", "a  b"},
		{"colour", "\x1b[1;31mred\x1b[0m name", "red name", "red name"},
		{"cursor and erase", "ok\x1b[2K\x1b[1A\rforged", "okforged", "okforged"},
		{"OSC 8 link, BEL terminated", "\x1b]8;;https://evil.example\x07click\x1b]8;;\x07", "click", "click"},
		{"window title, ST terminated", "x\x1b]0;pwned\x1b\\y", "xy", "xy"},
		{"unterminated OSC swallows the rest", "x\x1b]0;title", "x", "x"},
		{"two-byte escape", "a\x1bcb\x1b(Bc", "abc", "abc"},
		{"lone ESC at the end", "a\x1b", "a", "a"},
		{"C0 and DEL", "a\x00b\x07c\x08d\x7fe\rf", "abcdef", "abcdef"},
		{"C1 CSI", "a\u009b31mb", "ab", "ab"},
		{"C1 OSC with ST", "a\u009d8;;u\u009cb", "ab", "ab"},
		{"other C1", "a\u0085b", "ab", "ab"},
		{"bidi override and isolates", "admin\u202enimda\u202c \u2066x\u2069\u200f", "adminnimda x", "adminnimda x"},
		{"line separator", "a\u2028b", "a b", "a b"},
		{"invalid UTF-8", "a\xff\xfeb", "a\uFFFDb", "a\uFFFDb"},
		{"non-ASCII kept", "café → ☁", "café → ☁", "café → ☁"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Text(c.in); got != c.text {
				t.Errorf("Text(%q) = %q, want %q", c.in, got, c.text)
			}
			if got := Line(c.in); got != c.line {
				t.Errorf("Line(%q) = %q, want %q", c.in, got, c.line)
			}
		})
	}
}

// Whatever the input, the result holds no control character but the
// layout Text keeps, and cleaning twice changes nothing.
func FuzzText(f *testing.F) {
	for _, s := range []string{"", "a\x1b[31mb", "\x1b]8;;u\x07t", "\u009b1m", "\u202e", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, out := range []string{Text(s), Line(s)} {
			for _, r := range out {
				if r != '\n' && r != '\t' && dropped(r) {
					t.Fatalf("%q left %U in %q", s, r, out)
				}
			}
			if Text(out) != out {
				t.Fatalf("cleaning %q twice changed it", s)
			}
		}
		if strings.ContainsAny(Line(s), "\n\t") {
			t.Fatalf("Line(%q) kept layout", s)
		}
	})
}

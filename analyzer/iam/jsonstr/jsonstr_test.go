package jsonstr

import (
	"strings"
	"testing"
)

// plainPrefix is the definition, a byte at a time.
func plainPrefix(b []byte) int {
	for i, c := range b {
		if c < 0x20 || c >= 0x80 || c == '"' || c == '\\' {
			return i
		}
	}
	return len(b)
}

func TestPlainPrefixFindsEverySpecialByteAtEveryPosition(t *testing.T) {
	base := strings.Repeat("arn:aws:s3:::b/k-", 3)
	for c := 0; c < 256; c++ {
		for at := 0; at < len(base); at++ {
			b := []byte(base)
			b[at] = byte(c)
			// A second special byte later must not hide the first.
			if at+3 < len(b) {
				b[at+3] = '"'
			}
			want := plainPrefix(b)
			if got := PlainPrefix(b); got != want {
				t.Fatalf("byte %#x at %d in %q: %d, want %d", c, at, b, got, want)
			}
			if got := PlainPrefixString(string(b)); got != want {
				t.Fatalf("string: byte %#x at %d: %d, want %d", c, at, got, want)
			}
		}
	}
	if got := PlainPrefix(nil); got != 0 {
		t.Fatalf("empty: %d", got)
	}
}

func FuzzPlainPrefix(f *testing.F) {
	f.Add([]byte(`arn:aws:s3:::bucket/"key`))
	f.Add([]byte("\x7f\x80\x1f ~!"))
	f.Fuzz(func(t *testing.T, b []byte) {
		if got, want := PlainPrefix(b), plainPrefix(b); got != want {
			t.Fatalf("%q: %d, want %d", b, got, want)
		}
	})
}

func BenchmarkPlainPrefix(b *testing.B) {
	s := []byte(`arn:aws:logs:*:111111111111:log-group:/aws/lambda/*"`)
	b.SetBytes(int64(len(s)))
	b.Run("words", func(b *testing.B) {
		for b.Loop() {
			PlainPrefix(s)
		}
	})
	b.Run("bytes", func(b *testing.B) {
		for b.Loop() {
			plainPrefix(s)
		}
	})
}

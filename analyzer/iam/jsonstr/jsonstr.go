// Package jsonstr finds where the plain part of a JSON string ends: the
// bytes that stand for themselves inside quotes (printable ASCII other
// than '"' and '\'). The batch decoder and its output writer read and
// write most strings whole, and this is how they find out they may; it
// looks at eight bytes at a time.
package jsonstr

import (
	"encoding/binary"
	"math/bits"
	"unsafe"
)

const (
	ones  = 0x0101010101010101
	highs = 0x8080808080808080
)

// PlainPrefix returns the length of the longest prefix of b made of
// printable ASCII other than '"' and '\'.
func PlainPrefix(b []byte) int {
	i := 0
	for ; i+8 <= len(b); i += 8 {
		if m := special(binary.LittleEndian.Uint64(b[i:])); m != 0 {
			return i + bits.TrailingZeros64(m)/8
		}
	}
	for ; i < len(b); i++ {
		if c := b[i]; c < 0x20 || c >= 0x80 || c == '"' || c == '\\' {
			return i
		}
	}
	return i
}

// PlainPrefixString is PlainPrefix for a string.
func PlainPrefixString(s string) int {
	// Only read: the string's bytes are not changed through the slice.
	return PlainPrefix(unsafe.Slice(unsafe.StringData(s), len(s)))
}

// special marks, in the high bit of each byte, the bytes of w that are
// control characters, non-ASCII, '"' or '\'. Marks above the lowest one
// may be wrong (a borrow runs on into the next byte); the lowest is exact.
func special(w uint64) uint64 {
	quote := w ^ (ones * '"')
	backslash := w ^ (ones * '\\')
	zeroQuote := (quote - ones) &^ quote
	zeroBackslash := (backslash - ones) &^ backslash
	control := (w - ones*0x20) &^ w
	return (zeroQuote|zeroBackslash|control)&highs | w&highs
}

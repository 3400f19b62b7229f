// Package format is the byte layout shared by the catalog generator (writer)
// and the catalog package (reader): uvarints, a string table, and the magic
// headers of the two embedded blobs. Keeping both sides here means the
// layout is defined once.
package format

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// Magic headers, each followed by a one-byte layout version.
const (
	ActionsMagic   = "LCACT"
	PoliciesMagic  = "LCPOL"
	LayoutVersion  = 2
	FlagRCP        = 1 << 0 // service supports resource control policies
	FlagDeprecated = 1 << 0 // managed policy is deprecated
)

// Access levels, stored as one byte per action; a second byte holds the
// bit set of all levels the reference lists for the action.
var Levels = [...]string{"List", "Read", "Write", "Permissions management", "Tagging"}

// LevelIndex returns the index of an access level name in Levels.
func LevelIndex(name string) (int, bool) {
	for i, l := range Levels {
		if l == name {
			return i, true
		}
	}
	return 0, false
}

// Writer appends the encoding to a byte slice. Err holds the first error
// (a string missing from the table), so callers check it once at the end.
type Writer struct {
	Buf []byte
	Err error
}

func (w *Writer) Uvarint(v int) { w.Buf = binary.AppendUvarint(w.Buf, uint64(v)) }
func (w *Writer) Uint32(v int)  { w.Buf = binary.LittleEndian.AppendUint32(w.Buf, uint32(v)) }
func (w *Writer) Byte(b byte)   { w.Buf = append(w.Buf, b) }
func (w *Writer) Raw(s string)  { w.Buf = append(w.Buf, s...) }

// Bytes writes a length-prefixed byte string.
func (w *Writer) Bytes(b []byte) {
	w.Uvarint(len(b))
	w.Buf = append(w.Buf, b...)
}

// ErrTruncated reports a blob that ends early or holds an out-of-range value.
var ErrTruncated = errors.New("truncated or corrupt data")

// Reader decodes from a string, so that decoded strings can be substrings of
// one backing copy instead of one allocation each.
type Reader struct {
	S   string
	Off int
	Err error
}

func (r *Reader) fail(what string) {
	if r.Err == nil {
		r.Err = fmt.Errorf("%s at offset %d: %w", what, r.Off, ErrTruncated)
	}
}

// Uvarint reads a uvarint no larger than max; on error it returns 0 and
// records the error, so callers check r.Err once per record.
func (r *Reader) Uvarint(max int) int {
	if r.Err != nil {
		return 0
	}
	if max < 0 {
		r.fail("value out of range")
		return 0
	}
	var v uint64
	var shift uint
	for i := 0; ; i++ {
		if r.Off >= len(r.S) || i == binary.MaxVarintLen64 {
			r.fail("uvarint")
			return 0
		}
		b := r.S[r.Off]
		r.Off++
		if b < 0x80 {
			v |= uint64(b) << shift
			break
		}
		v |= uint64(b&0x7f) << shift
		shift += 7
	}
	if v > uint64(max) {
		r.fail("value out of range")
		return 0
	}
	return int(v)
}

// Byte reads one byte.
func (r *Reader) Byte() byte {
	if r.Err != nil {
		return 0
	}
	if r.Off >= len(r.S) {
		r.fail("byte")
		return 0
	}
	b := r.S[r.Off]
	r.Off++
	return b
}

// Bytes reads a length-prefixed byte string as a substring of r.S.
func (r *Reader) Bytes() string {
	n := r.Uvarint(len(r.S)) // bounded again below, once the varint is consumed
	if r.Err != nil {
		return ""
	}
	if n > len(r.S)-r.Off {
		r.fail("string length")
		return ""
	}
	s := r.S[r.Off : r.Off+n]
	r.Off += n
	return s
}

// Skip advances over n bytes and returns them.
func (r *Reader) Skip(n int) string {
	if r.Err != nil {
		return ""
	}
	if n < 0 || n > len(r.S)-r.Off {
		r.fail("section length")
		return ""
	}
	s := r.S[r.Off : r.Off+n]
	r.Off += n
	return s
}

// Table is a string table read in place.
type Table struct {
	offs  string // (n+1) little-endian uint32
	bytes string
	n     int
}

// ReadTable reads a string table written by StringTable.Freeze.
func (r *Reader) ReadTable() Table {
	n := r.Uvarint((len(r.S) - r.Off) / 4)
	offs := r.Skip(4 * (n + 1))
	if r.Err != nil {
		return Table{}
	}
	end := le32(offs, 4*n)
	bytes := r.Skip(end)
	if r.Err != nil {
		return Table{}
	}
	prev := 0
	for i := 0; i <= n; i++ {
		o := le32(offs, 4*i)
		if o < prev || o > end {
			r.Err = fmt.Errorf("string table offset %d: %w", i, ErrTruncated)
			return Table{}
		}
		prev = o
	}
	return Table{offs: offs, bytes: bytes, n: n}
}

// Len is the number of strings.
func (t Table) Len() int { return t.n }

// At returns string i, a substring of the blob; i must be < Len.
func (t Table) At(i int) string {
	a, b := le32(t.offs, 4*i), le32(t.offs, 4*i+4)
	return t.bytes[a:b]
}

func le32(s string, i int) int {
	return int(uint32(s[i]) | uint32(s[i+1])<<8 | uint32(s[i+2])<<16 | uint32(s[i+3])<<24)
}

// Str reads a string number and returns the string; on error "".
func (r *Reader) Str(t Table) string {
	i := r.Uvarint(t.n - 1)
	if r.Err != nil {
		return ""
	}
	return t.At(i)
}

// Expect consumes a literal header.
func (r *Reader) Expect(lit string) {
	if r.Err != nil {
		return
	}
	if len(r.S)-r.Off < len(lit) || r.S[r.Off:r.Off+len(lit)] != lit {
		r.Err = fmt.Errorf("bad header: want %q: %w", lit, ErrTruncated)
		return
	}
	r.Off += len(lit)
}

// StringTable interns strings and numbers them in first-seen order after a
// final sort, so the writer's output is deterministic.
type StringTable struct {
	index map[string]int
	list  []string
}

// Add registers s; call before Freeze.
func (t *StringTable) Add(s string) {
	if t.index == nil {
		t.index = map[string]int{}
	}
	if _, ok := t.index[s]; !ok {
		t.index[s] = -1
		t.list = append(t.list, s)
	}
}

// Freeze fixes the numbering (sorted order) and writes the table: the count,
// count+1 little-endian uint32 offsets into the bytes that follow, then the
// bytes. Fixed-width offsets let the reader use the table in place.
func (t *StringTable) Freeze(w *Writer, sortFn func([]string)) {
	sortFn(t.list)
	for i, s := range t.list {
		t.index[s] = i
	}
	w.Uvarint(len(t.list))
	off := 0
	for _, s := range t.list {
		w.Uint32(off)
		off += len(s)
	}
	w.Uint32(off)
	for _, s := range t.list {
		w.Raw(s)
	}
}

// Ref writes the number of s, which must have been added.
func (t *StringTable) Ref(w *Writer, s string) {
	i, ok := t.index[s]
	if !ok || i < 0 {
		if w.Err == nil {
			w.Err = fmt.Errorf("string %q not in table", s)
		}
		return
	}
	w.Uvarint(i)
}

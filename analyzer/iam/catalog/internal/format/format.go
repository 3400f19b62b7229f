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
	LayoutVersion  = 1
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
	n := r.Uvarint(len(r.S) - r.Off)
	if r.Err != nil {
		return ""
	}
	s := r.S[r.Off : r.Off+n]
	r.Off += n
	return s
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

// Freeze fixes the numbering (sorted order) and writes the table.
func (t *StringTable) Freeze(w *Writer, sortFn func([]string)) {
	sortFn(t.list)
	for i, s := range t.list {
		t.index[s] = i
	}
	w.Uvarint(len(t.list))
	for _, s := range t.list {
		w.Uvarint(len(s))
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

package iam

import (
	"fmt"
	"strconv"
	"sync"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"
)

// A small strict JSON reader that keeps each value's byte offset, so that
// policy errors and explanations can name the line a statement sits on.
// encoding/json drops positions and is several times slower on the batch
// path, where every input line carries whole policy documents.

type jsonKind uint8

const (
	jsonNull jsonKind = iota
	jsonBool
	jsonNumber
	jsonString
	jsonArray
	jsonObject
)

func (k jsonKind) String() string {
	switch k {
	case jsonNull:
		return "null"
	case jsonBool:
		return "boolean"
	case jsonNumber:
		return "number"
	case jsonString:
		return "string"
	case jsonArray:
		return "array"
	default:
		return "object"
	}
}

// jsonValue is one parsed JSON value. Object members carry their name in
// key; strings without escapes alias the input rather than copy it.
type jsonValue struct {
	kind   jsonKind
	off    int32  // byte offset of the value in the document
	end    int32  // byte offset just past the value
	keyOff int32  // byte offset of the member name, for the members of an object
	text   string // string contents (unescaped), number literal, or "true"/"false"
	key    string // member name, for the members of an object
	elems  []jsonValue
}

// member returns the object member named key and whether it exists.
func (v *jsonValue) member(key string) (*jsonValue, bool) {
	for i := range v.elems {
		if v.elems[i].key == key {
			return &v.elems[i], true
		}
	}
	return nil, false
}

// maxJSONDepth bounds nesting; real policies nest at most five levels deep.
const maxJSONDepth = 64

type jsonSyntaxError struct {
	off   int
	msg   string
	first int // for a duplicate key: offset of the first occurrence, else -1
}

func (e *jsonSyntaxError) Error() string { return e.msg }

type jsonParser struct {
	data  []byte
	pos   int
	depth int
	*jsonArena
}

// jsonArena holds the memory of one parse: the stack that collects the
// children of the containers being parsed, and the chunks their exactly
// sized element slices are carved from. The batch path parses one small
// document per line; reusing an arena (through arenaPool) turns dozens of
// allocations per line into none, which is most of the batch's GC cost.
type jsonArena struct {
	data   []byte // the document being parsed
	stack  []jsonValue
	chunks [][]jsonValue
	cur    int // index of the chunk being filled
}

// arenaChunk is the smallest chunk, enough for a typical 2 KB case.
const arenaChunk = 256

// maxPooledValues keeps an arena that parsed a huge document out of the
// pool, so one 10 MB policy does not pin its memory for the process's life.
const maxPooledValues = 1 << 14

var arenaPool = sync.Pool{New: func() any { return new(jsonArena) }}

// take returns an exactly sized slice for n elements that stays valid until
// the arena is reset.
func (a *jsonArena) take(n int) []jsonValue {
	for ; a.cur < len(a.chunks); a.cur++ {
		c := a.chunks[a.cur]
		if cap(c)-len(c) >= n {
			a.chunks[a.cur] = c[:len(c)+n]
			return c[len(c) : len(c)+n : len(c)+n]
		}
	}
	// A first chunk in proportion to the document: most policies are a
	// few hundred bytes, and a fixed large chunk would cost them more than
	// the slices it replaces.
	size := min(arenaChunk, max(16, len(a.data)/16))
	if len(a.chunks) > 0 {
		size = 2 * cap(a.chunks[len(a.chunks)-1])
	}
	size = max(size, n)
	c := make([]jsonValue, n, size)
	a.chunks = append(a.chunks, c)
	a.cur = len(a.chunks) - 1
	return c[:n:n]
}

// reset makes the arena's memory reusable; every value parsed with it is
// invalid afterwards.
func (a *jsonArena) reset() {
	for i := range a.chunks {
		a.chunks[i] = a.chunks[i][:0]
	}
	a.cur = 0
	a.stack = a.stack[:0]
	a.data = nil
}

func (a *jsonArena) size() int {
	n := cap(a.stack)
	for _, c := range a.chunks {
		n += cap(c)
	}
	return n
}

// release returns a pooled arena once nothing refers to its values.
func (a *jsonArena) release() {
	if a.size() > maxPooledValues {
		return
	}
	a.reset()
	arenaPool.Put(a)
}

// maxJSONSize keeps offsets within int32; no policy comes near it.
const maxJSONSize = 1<<31 - 1

// parseJSON parses one JSON document; trailing non-space data is an error.
// Strings alias data, which must not be modified afterwards.
func parseJSON(data []byte) (jsonValue, error) {
	return parseJSONIn(new(jsonArena), data)
}

// parseJSONIn parses with the arena's memory: the values are valid until the
// arena is reset or released.
func parseJSONIn(a *jsonArena, data []byte) (jsonValue, error) {
	if len(data) > maxJSONSize {
		return jsonValue{}, &jsonSyntaxError{msg: "document larger than 2 GiB", first: -1}
	}
	a.data = data
	p := jsonParser{data: data, jsonArena: a}
	p.skipSpace()
	v, err := p.value()
	if err != nil {
		return jsonValue{}, err
	}
	p.skipSpace()
	if p.pos != len(p.data) {
		return jsonValue{}, p.errorf("unexpected %s after the end of the JSON value", p.describe())
	}
	return v, nil
}

func (p *jsonParser) errorf(format string, args ...any) error {
	return &jsonSyntaxError{off: p.pos, msg: fmt.Sprintf(format, args...), first: -1}
}

func (p *jsonParser) describe() string {
	if p.pos >= len(p.data) {
		return "end of input"
	}
	c := p.data[p.pos]
	if c >= 0x20 && c < 0x7f {
		return strconv.QuoteRune(rune(c))
	}
	return fmt.Sprintf("byte 0x%02x", c)
}

func (p *jsonParser) skipSpace() {
	for p.pos < len(p.data) {
		switch p.data[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

func (p *jsonParser) value() (jsonValue, error) {
	v, err := p.value0()
	v.end = int32(p.pos)
	return v, err
}

func (p *jsonParser) value0() (jsonValue, error) {
	if p.pos >= len(p.data) {
		return jsonValue{}, p.errorf("unexpected end of input, expected a value")
	}
	start := int32(p.pos)
	switch c := p.data[p.pos]; {
	case c == '{':
		return p.object()
	case c == '[':
		return p.array()
	case c == '"':
		s, err := p.str()
		return jsonValue{kind: jsonString, text: s, off: start}, err
	case c == 't':
		return p.literal("true", jsonBool)
	case c == 'f':
		return p.literal("false", jsonBool)
	case c == 'n':
		return p.literal("null", jsonNull)
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number()
	default:
		return jsonValue{}, p.errorf("unexpected %s, expected a value", p.describe())
	}
}

func (p *jsonParser) literal(word string, kind jsonKind) (jsonValue, error) {
	start := int32(p.pos)
	if len(p.data)-p.pos < len(word) || string(p.data[p.pos:p.pos+len(word)]) != word {
		return jsonValue{}, p.errorf("invalid literal, expected %s", word)
	}
	p.pos += len(word)
	return jsonValue{kind: kind, text: word, off: start}, nil
}

func (p *jsonParser) number() (jsonValue, error) {
	start := p.pos
	if p.data[p.pos] == '-' {
		p.pos++
	}
	digits := func() int {
		n := 0
		for p.pos < len(p.data) && p.data[p.pos] >= '0' && p.data[p.pos] <= '9' {
			p.pos++
			n++
		}
		return n
	}
	if p.pos < len(p.data) && p.data[p.pos] == '0' {
		p.pos++
	} else if digits() == 0 {
		return jsonValue{}, p.errorf("invalid number")
	}
	if p.pos < len(p.data) && p.data[p.pos] == '.' {
		p.pos++
		if digits() == 0 {
			return jsonValue{}, p.errorf("invalid number: digits expected after '.'")
		}
	}
	if p.pos < len(p.data) && (p.data[p.pos] == 'e' || p.data[p.pos] == 'E') {
		p.pos++
		if p.pos < len(p.data) && (p.data[p.pos] == '+' || p.data[p.pos] == '-') {
			p.pos++
		}
		if digits() == 0 {
			return jsonValue{}, p.errorf("invalid number: digits expected in exponent")
		}
	}
	return jsonValue{kind: jsonNumber, text: alias(p.data[start:p.pos]), off: int32(start)}, nil
}

func (p *jsonParser) str() (string, error) {
	p.pos++ // opening quote
	start := p.pos
	// Fast path: no escapes.
	for p.pos < len(p.data) {
		c := p.data[p.pos]
		if c == '"' {
			s := p.data[start:p.pos]
			p.pos++
			if !utf8.Valid(s) {
				return string(toValidUTF8(s)), nil
			}
			return alias(s), nil
		}
		if c == '\\' {
			break
		}
		if c < 0x20 {
			return "", p.errorf("control character in string")
		}
		p.pos++
	}
	buf := make([]byte, 0, p.pos-start+16)
	buf = append(buf, p.data[start:p.pos]...)
	for p.pos < len(p.data) {
		c := p.data[p.pos]
		switch {
		case c == '"':
			p.pos++
			return string(toValidUTF8(buf)), nil
		case c < 0x20:
			return "", p.errorf("control character in string")
		case c != '\\':
			buf = append(buf, c)
			p.pos++
			continue
		}
		p.pos++
		if p.pos >= len(p.data) {
			break
		}
		e := p.data[p.pos]
		p.pos++
		switch e {
		case '"', '\\', '/':
			buf = append(buf, e)
		case 'b':
			buf = append(buf, '\b')
		case 'f':
			buf = append(buf, '\f')
		case 'n':
			buf = append(buf, '\n')
		case 'r':
			buf = append(buf, '\r')
		case 't':
			buf = append(buf, '\t')
		case 'u':
			r, ok := p.hex4()
			if !ok {
				return "", p.errorf("invalid \\u escape in string")
			}
			if utf16.IsSurrogate(r) {
				if p.pos+1 < len(p.data) && p.data[p.pos] == '\\' && p.data[p.pos+1] == 'u' {
					p.pos += 2
					r2, ok := p.hex4()
					if !ok {
						return "", p.errorf("invalid \\u escape in string")
					}
					r = utf16.DecodeRune(r, r2)
				} else {
					r = utf8.RuneError
				}
			}
			buf = utf8.AppendRune(buf, r)
		default:
			p.pos--
			return "", p.errorf("invalid escape '\\%c' in string", e)
		}
	}
	return "", p.errorf("unterminated string")
}

func (p *jsonParser) hex4() (rune, bool) {
	if len(p.data)-p.pos < 4 {
		return 0, false
	}
	var r rune
	for i := 0; i < 4; i++ {
		c := p.data[p.pos+i]
		var d byte
		switch {
		case c >= '0' && c <= '9':
			d = c - '0'
		case c >= 'a' && c <= 'f':
			d = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			d = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(d)
	}
	p.pos += 4
	return r, true
}

func toValidUTF8(b []byte) []byte {
	if utf8.Valid(b) {
		return b
	}
	out := make([]byte, 0, len(b))
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		out = utf8.AppendRune(out, r)
		b = b[n:]
	}
	return out
}

func (p *jsonParser) enter() error {
	p.depth++
	if p.depth > maxJSONDepth {
		return p.errorf("JSON nested deeper than %d levels", maxJSONDepth)
	}
	return nil
}

func (p *jsonParser) array() (jsonValue, error) {
	v := jsonValue{kind: jsonArray, off: int32(p.pos)}
	if err := p.enter(); err != nil {
		return v, err
	}
	defer func() { p.depth-- }()
	p.pos++
	p.skipSpace()
	if p.pos < len(p.data) && p.data[p.pos] == ']' {
		p.pos++
		return v, nil
	}
	base := len(p.stack)
	defer func() { p.stack = p.stack[:base] }()
	for {
		p.skipSpace()
		e, err := p.value()
		if err != nil {
			return v, err
		}
		p.stack = append(p.stack, e)
		p.skipSpace()
		if p.pos >= len(p.data) {
			return v, p.errorf("unexpected end of input in array")
		}
		switch p.data[p.pos] {
		case ',':
			p.pos++
		case ']':
			p.pos++
			v.elems = p.take(len(p.stack) - base)
			copy(v.elems, p.stack[base:])
			return v, nil
		default:
			return v, p.errorf("unexpected %s in array, expected ',' or ']'", p.describe())
		}
	}
}

func (p *jsonParser) object() (jsonValue, error) {
	v := jsonValue{kind: jsonObject, off: int32(p.pos)}
	if err := p.enter(); err != nil {
		return v, err
	}
	defer func() { p.depth-- }()
	p.pos++
	p.skipSpace()
	if p.pos < len(p.data) && p.data[p.pos] == '}' {
		p.pos++
		return v, nil
	}
	base := len(p.stack)
	defer func() { p.stack = p.stack[:base] }()
	var seen map[string]int32 // built only for objects with many members
	for {
		p.skipSpace()
		if p.pos >= len(p.data) || p.data[p.pos] != '"' {
			return v, p.errorf("unexpected %s in object, expected a member name", p.describe())
		}
		keyOff := p.pos
		k, err := p.str()
		if err != nil {
			return v, err
		}
		if first, dup := p.duplicate(base, k, &seen); dup {
			return v, &jsonSyntaxError{off: keyOff, msg: fmt.Sprintf("duplicate key %q", k), first: int(first)}
		}
		p.skipSpace()
		if p.pos >= len(p.data) || p.data[p.pos] != ':' {
			return v, p.errorf("unexpected %s after member name, expected ':'", p.describe())
		}
		p.pos++
		p.skipSpace()
		e, err := p.value()
		if err != nil {
			return v, err
		}
		e.key = k
		e.keyOff = int32(keyOff)
		p.stack = append(p.stack, e)
		if seen != nil {
			seen[k] = e.keyOff
		}
		p.skipSpace()
		if p.pos >= len(p.data) {
			return v, p.errorf("unexpected end of input in object")
		}
		switch p.data[p.pos] {
		case ',':
			p.pos++
		case '}':
			p.pos++
			v.elems = p.take(len(p.stack) - base)
			copy(v.elems, p.stack[base:])
			return v, nil
		default:
			return v, p.errorf("unexpected %s in object, expected ',' or '}'", p.describe())
		}
	}
}

// Duplicate member names are an error rather than "last one wins": a
// second "Statement": [] would silently erase the statements before it, and
// two "Effect" keys would be read differently by different JSON readers. IAM
// refuses such documents too (AWS "IAM policy validation check reference":
// "Error – Json syntax error", "Error – Duplicate keys with different case").
// Names compare exactly, as JSON defines; the policy layer rejects names it
// does not know, which covers the differently cased ones.

// dupScanLimit is the member count up to which duplicates are found by a
// linear scan; larger objects (a Condition with hundreds of keys) use a map
// so that the check stays linear.
const dupScanLimit = 16

// duplicate reports whether key is already a member of the object whose
// members so far are p.stack[base:], and the byte offset of that member.
func (p *jsonParser) duplicate(base int, key string, seen *map[string]int32) (int32, bool) {
	members := p.stack[base:]
	if len(members) <= dupScanLimit {
		for i := range members {
			if members[i].key == key {
				return members[i].keyOff, true
			}
		}
		return 0, false
	}
	if *seen == nil {
		*seen = make(map[string]int32, 2*len(members))
		for i := range members {
			(*seen)[members[i].key] = members[i].keyOff
		}
	}
	if off, dup := (*seen)[key]; dup {
		return off, true
	}
	return 0, false
}

// alias returns b as a string without copying; the parser's input is never
// modified while the values that alias it are alive.
func alias(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// lineIndex maps byte offsets to line and column numbers in O(log n).
type lineIndex struct {
	starts []int // offset at which each line starts
}

func newLineIndex(data []byte) *lineIndex {
	li := &lineIndex{starts: []int{0}}
	for i, c := range data {
		if c == '\n' {
			li.starts = append(li.starts, i+1)
		}
	}
	return li
}

// lineCol returns 1-based line and column numbers for off.
func (li *lineIndex) lineCol(off int) (line, col int) {
	lo, hi := 0, len(li.starts)-1
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if li.starts[mid] <= off {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return lo + 1, off - li.starts[lo] + 1
}

package iam

import (
	"bytes"
	"slices"
	"unsafe"

	"github.com/lambdacheck/lambdacheck/analyzer/iam/pattern"
)

// policyShape is a policy text with its Resource and NotResource strings
// as holes. Generated batches often hold, slot by slot, policies that
// differ from line to line only in the resources they name (a bucket per
// case): such a policy is the shape's compiled policy with the new
// resources compiled in, which costs a few comparisons and pattern
// compilations instead of reading the whole text.
//
// A text fits a shape when every byte outside the holes is the same and
// every hole holds a string the policy reader takes as written without
// changing anything else it decides: no escapes, no control characters,
// valid UTF-8 and no "$" (a policy variable would change how the text is
// read). Resource strings enter a policy only through pattern.Compile,
// so the policy built this way is the one the reader builds from the new
// text (TestPolicyShapeSameAsReader and FuzzPolicyShape check it).
type policyShape struct {
	text  []byte         // the text the holes are cut from, owned
	holes []resourceSpan // in text order
	pol   *Policy        // compiled from text; nil until a line fits
	out   *Policy        // what derive rewrites for each text that fits
}

// resourceSpan is where Statements[stmt].Resources[idx] sits in a text:
// the string's content, without its quotes.
type resourceSpan struct {
	start, end int32
	stmt, idx  int32
}

// maxShapeText bounds the text of one shape, and maxShapeBytes the texts
// of all shapes of a decoder: a batch of huge or all-different policies
// cannot make them grow without bound.
const (
	maxShapeText  = 64 << 10
	maxShapeBytes = 8 << 20
)

// resourceSpans finds p's resource strings in the text p was read from.
// The policy reader's strings alias that text; where one does not (a
// policy the general parser built, whose strings may be unescaped copies)
// there is no shape.
func resourceSpans(p *Policy, dst []resourceSpan) ([]resourceSpan, bool) {
	dst = dst[:0]
	if len(p.data) == 0 || len(p.data) > maxShapeText {
		return dst, false
	}
	base := uintptr(unsafe.Pointer(unsafe.SliceData(p.data)))
	prev := 0
	for i, s := range p.Statements {
		for j, res := range s.Resources {
			if len(res) == 0 {
				return dst, false
			}
			off := int(uintptr(unsafe.Pointer(unsafe.StringData(res))) - base)
			end := off + len(res)
			// Holes must be quoted strings of the text, in order.
			if off <= prev || off < 1 || end >= len(p.data) || p.data[off-1] != '"' || p.data[end] != '"' || string(p.data[off:end]) != res {
				return dst, false
			}
			dst = append(dst, resourceSpan{start: int32(off), end: int32(end), stmt: int32(i), idx: int32(j)})
			prev = end
		}
	}
	return dst, len(dst) > 0
}

// fit reports whether the text starting at pos in data has the shape, and
// where it ends; holes receives where each hole's new string sits in data.
func (sh *policyShape) fit(data []byte, pos int, holes [][2]int) (int, [][2]int, bool) {
	holes = holes[:0]
	q, off := pos, 0
	for _, h := range sh.holes {
		seg := sh.text[off:h.start]
		if len(data)-q < len(seg) || string(data[q:q+len(seg)]) != string(seg) {
			return 0, holes, false
		}
		q += len(seg)
		end, ok := plainStringEnd(data, q)
		if !ok || end == q || bytes.IndexByte(data[q:end], '$') >= 0 {
			return 0, holes, false
		}
		holes = append(holes, [2]int{q, end})
		q = end
		off = int(h.end)
	}
	seg := sh.text[off:]
	if len(data)-q < len(seg) || string(data[q:q+len(seg)]) != string(seg) {
		return 0, holes, false
	}
	return q + len(seg), holes, true
}

// derive returns the policy of the text data[pos:end] that fits the shape
// with the new strings at holes. The policy is the shape's own, rewritten
// for each text (a batch line's policies live until the next line): only
// the new resources are set and compiled. It fails when a new string is
// not a valid resource pattern: the caller then reads the text the usual
// way, for its error.
func (sh *policyShape) derive(data []byte, pos, end int, holes [][2]int) (*Policy, bool) {
	base := sh.pol
	if sh.out == nil {
		sh.out = sh.copyOfBase()
	}
	p := sh.out
	p.data = data[pos:end]
	opt := pattern.Options{Wildcards: true, Variables: base.Version == "2012-10-17"}
	k := 0     // next hole
	shift := 0 // how much longer the text is than the shape's text before the hole k
	for i, s := range base.Statements {
		t := p.Statements[i]
		if k < len(sh.holes) && int(sh.holes[k].stmt) == i {
			// The Sid keeps its place relative to the holes around it.
			sidShift := shift
			for ; k < len(sh.holes) && int(sh.holes[k].stmt) == i; k++ {
				h, at := sh.holes[k], holes[k]
				if s.sidOff > int(h.start) {
					sidShift = shift + (at[1] - at[0]) - int(h.end-h.start)
				}
				shift += (at[1] - at[0]) - int(h.end-h.start)
				res := alias(data[at[0]:at[1]])
				t.Resources[h.idx] = res
				if res == s.Resources[h.idx] {
					t.resources[h.idx] = s.resources[h.idx]
					continue
				}
				if prev, ok := sh.compiledBefore(k, res, holes, data); ok {
					// A policy often names one resource in several places.
					t.resources[h.idx] = *prev
					continue
				}
				tpl, err := pattern.Compile(res, opt)
				if err != nil {
					return nil, false
				}
				t.resources[h.idx] = tpl
			}
			if s.sidOff > 0 {
				t.sidOff = s.sidOff + sidShift
			}
		} else if s.sidOff > 0 {
			t.sidOff = s.sidOff + shift
		}
	}
	return p, true
}

// compiledBefore returns the template derive compiled for an earlier hole
// of this text that holds res, if any.
func (sh *policyShape) compiledBefore(k int, res string, holes [][2]int, data []byte) (*pattern.Template, bool) {
	for e := 0; e < k; e++ {
		if at := holes[e]; at[1]-at[0] == len(res) && string(data[at[0]:at[1]]) == res {
			h := sh.holes[e]
			return &sh.out.Statements[h.stmt].resources[h.idx], true
		}
	}
	return nil, false
}

// copyOfBase copies the shape's compiled policy into one that derive
// rewrites: its statements and, where holes are, their resources are its
// own; the rest is shared and never written.
func (sh *policyShape) copyOfBase() *Policy {
	base := sh.pol
	p := new(Policy)
	*p = *base
	stmts := make([]Statement, len(base.Statements))
	p.Statements = make([]*Statement, len(base.Statements))
	for i, s := range base.Statements {
		stmts[i] = *s
		stmts[i].Policy = p
		p.Statements[i] = &stmts[i]
	}
	for i, h := range sh.holes {
		if i > 0 && sh.holes[i-1].stmt == h.stmt {
			continue
		}
		t := p.Statements[h.stmt]
		t.Resources = slices.Clone(t.Resources)
		t.resources = slices.Clone(t.resources)
		// Every resource of a shape is a hole (resourceSpans), and what
		// fills one holds no "$" (fit): no variables.
		t.resVars, t.resPrefixVar = false, false
	}
	return p
}

// fromShape returns the policy of the text at pos in data when it fits the
// shape remembered for slot (policyFields[f], i, j), and where it ends.
func (d *CaseDecoder) fromShape(sh *policyShape, data []byte, pos, f, i, j int) (*Policy, int, bool) {
	if len(sh.holes) == 0 {
		return nil, 0, false
	}
	end, holes, ok := sh.fit(data, pos, d.holes)
	d.holes = holes
	if !ok || (end-pos == len(sh.text) && string(data[pos:end]) == string(sh.text)) {
		// The same text again is for the cache, which finds it in its slot
		// next time by one comparison.
		return nil, 0, false
	}
	if sh.pol == nil {
		// The first text to fit: compile the shape's own text, which the
		// policies derived from it share.
		pol, ok := d.reader.read(sh.text, policyFields[f].kind, Source{Name: slotName(policyFields[f].name, i, j)}, d.opt, false)
		if ok {
			d.spans, ok = resourceSpans(pol, d.spans)
			ok = ok && slices.Equal(d.spans, sh.holes)
		}
		if !ok {
			sh.holes = sh.holes[:0]
			return nil, 0, false
		}
		sh.pol = pol
	}
	p, ok := sh.derive(data, pos, end, holes)
	return p, end, ok
}

// rememberShape makes p, read from its own text, the shape of its slot.
func (d *CaseDecoder) rememberShape(sh *policyShape, p *Policy) {
	spans, ok := resourceSpans(p, d.spans)
	d.spans = spans
	if !ok {
		return
	}
	buf := sh.text[:0]
	if sh.pol != nil || cap(buf) < len(p.data) {
		// The compiled shape's strings alias its text, which policies of
		// this line may still use: a new text gets its own buffer.
		if d.shapeBytes+len(p.data) > maxShapeBytes {
			d.shapes = [len(policyFields)][slotNamesMax + 1][slotNamesMax + 1]policyShape{}
			d.shapeBytes = 0
		}
		buf = make([]byte, 0, len(p.data))
		d.shapeBytes += len(p.data)
	}
	sh.text = append(buf, p.data...)
	sh.holes = append(sh.holes[:0], spans...)
	sh.pol, sh.out = nil, nil
}

// Package batch runs the engine's JSON-lines interface: one
// authorization case per input line, one decision per output line, in input
// order. It sits beside the IAM engine and is what `lambdacheck authz
// --jsonl` wires to stdin and stdout; the format is stable because it is
// used to cross-check the engine against other implementations.
package batch

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"runtime"
	"strconv"
	"sync"
	"unicode/utf8"
	"unsafe"

	"github.com/lambdacheck/lambdacheck/analyzer/iam"
	"github.com/lambdacheck/lambdacheck/analyzer/iam/jsonstr"
)

// chunkBytes is the size of the blocks of input a worker takes at once:
// large enough that taking one (under a lock) is rare, about a hundred
// typical lines, small enough to keep both cores busy. A line longer than
// a block travels in a block of its own.
const chunkBytes = 256 << 10

// maxPooledBuffer keeps a buffer that one huge line grew from staying in
// the pool.
const maxPooledBuffer = 4 * chunkBytes

// Stats counts what a run did.
type Stats struct {
	Lines  int
	Errors int
}

// Chunk input and output buffers are recycled: a run moves its whole input
// through them, and fresh buffers per chunk would be most of its garbage.
var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, chunkBytes); return &b }}

func getBuffer() *[]byte {
	b := bufPool.Get().(*[]byte)
	*b = (*b)[:0]
	return b
}

func putBuffer(b *[]byte) {
	if cap(*b) <= maxPooledBuffer {
		bufPool.Put(b)
	}
}

// Options configure a run.
type Options struct {
	// Workers deciding lines in parallel; ≤ 0 means one per CPU. Output
	// stays in input order whatever the number.
	Workers int
	// Lenient decides policies that AWS refuses when they are written as
	// AWS would if they existed (iam.ParseOptions.Lenient).
	Lenient bool
	// maxLine replaces maxLineBytes, for tests.
	maxLine int
}

// Run decides every line of r and writes the results to w. Each worker
// keeps the compiled policies of the lines it has seen and reuses them for
// lines that repeat their text (iam.CaseDecoder). Cancelling ctx stops the
// run after the chunk in flight.
func Run(ctx context.Context, r io.Reader, w io.Writer, opt Options) (Stats, error) {
	popt := iam.ParseOptions{Lenient: opt.Lenient}
	maxLine := opt.maxLine
	if maxLine <= 0 {
		maxLine = maxLineBytes
	}
	return run(ctx, r, w, opt.Workers, maxLine, func() decideFunc {
		return NewDecider(popt).appendLine
	})
}

// decideFunc decides one input line, appends its output line to dst and
// reports whether the output is an error.
type decideFunc func(dst, line []byte) ([]byte, bool)

// run is Run with the per-worker decision function made by newDecide.
//
// There is no reader or writer goroutine: each worker takes the next block
// of input itself, decides its lines and hands their output to the writer
// side, which writes blocks in input order as they complete. Goroutines
// handing blocks to each other cost as much as a tenth of a run.
func run(ctx context.Context, r io.Reader, w io.Writer, workers, maxLine int, newDecide func() decideFunc) (Stats, error) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	in := &blockReader{ctx: ctx, r: r, maxLine: maxLine}
	out := &orderedWriter{w: w, max: 4 * workers}
	out.cond = sync.NewCond(&out.mu)
	var wg sync.WaitGroup
	for i := 0; i < workers; i++ {
		wg.Add(1)
		decide := newDecide()
		go func() {
			defer wg.Done()
			for {
				blk, ok := in.next()
				if !ok {
					return
				}
				out.wait(blk.seq)
				out.put(blk.seq, decideBlock(blk, decide, in.maxLine))
			}
		}()
	}
	wg.Wait()
	if in.err != nil {
		return out.stats, in.err
	}
	if out.err != nil {
		return out.stats, fmt.Errorf("write output: %w", out.err)
	}
	return out.stats, nil
}

// decideBlock decides the lines of blk.
func decideBlock(blk block, decide decideFunc, maxLine int) decided {
	res := decided{out: getBuffer()}
	if blk.tooLong {
		*res.out = append(*res.out, `{"id":null,"error":"line longer than `+strconv.Itoa(maxLine>>20)+` MiB: not read"}`+"\n"...)
		res.lines, res.errors = 1, 1
		return res
	}
	data := *blk.buf
	for len(data) > 0 {
		line := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			data = nil
		}
		for len(line) > 0 && line[len(line)-1] == '\r' {
			line = line[:len(line)-1] // CRLF line ends
		}
		var bad bool
		*res.out, bad = decide(*res.out, line)
		res.lines++
		if bad {
			res.errors++
		}
	}
	putBuffer(blk.buf)
	return res
}

// blockReader hands out the input in blocks of whole lines, numbered in
// input order; workers call next in turn.
type blockReader struct {
	mu      sync.Mutex
	ctx     context.Context
	r       io.Reader
	maxLine int     // a line longer than this (or than a block) is not read
	carry   *[]byte // the start of a line the last block ended in
	seq     int
	done    bool
	err     error
}

// maxLineBytes is how long a line may be (its line break aside, less): a
// longer one is answered with an error and skipped, so that one line
// cannot take all memory.
const maxLineBytes = 64 << 20

// block is a block of whole lines, or a line too long to read (tooLong,
// buf nil), with its place in the input.
type block struct {
	buf     *[]byte
	seq     int
	tooLong bool
}

// next reads the next block. Blocks are read straight into the buffers
// workers decide from and cut after their last line break; the part line
// after it starts the next block.
func (b *blockReader) next() (block, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.done {
		return block{}, false
	}
	if err := b.ctx.Err(); err != nil {
		b.done, b.err = true, err
		return block{}, false
	}
	buf := b.carry
	if buf == nil {
		buf = getBuffer()
	}
	b.carry = nil
	for {
		if len(*buf) == cap(*buf) {
			cut := bytes.LastIndexByte(*buf, '\n') + 1
			if cut == 0 && len(*buf) < b.maxLine {
				// One line fills the block: let it grow, to the limit and
				// no further (make gives the capacity asked for; append
				// may give more), so that a line that fills it is too long.
				grown := make([]byte, len(*buf), min(2*len(*buf), b.maxLine))
				copy(grown, *buf)
				*buf = grown
				continue
			}
			if cut == 0 {
				b.skipLine(buf)
				return b.hand(block{tooLong: true})
			}
			if cut < len(*buf) {
				b.carry = getBuffer()
				*b.carry = append(*b.carry, (*buf)[cut:]...)
			}
			*buf = (*buf)[:cut]
			return b.hand(block{buf: buf})
		}
		n, err := b.r.Read((*buf)[len(*buf):cap(*buf)])
		*buf = (*buf)[:len(*buf)+n]
		if err == nil {
			continue
		}
		b.done = true
		if err != io.EOF {
			b.err = fmt.Errorf("read input: %w", err)
		}
		if len(*buf) == 0 {
			putBuffer(buf)
			return block{}, false
		}
		return b.hand(block{buf: buf})
	}
}

// skipLine reads on, through buf, to the end of a line too long to keep;
// what follows its line break starts the next block.
func (b *blockReader) skipLine(buf *[]byte) {
	defer putBuffer(buf)
	for {
		n, err := b.r.Read((*buf)[:cap(*buf)])
		*buf = (*buf)[:n]
		if i := bytes.IndexByte(*buf, '\n'); i >= 0 {
			if i+1 < n {
				b.carry = getBuffer()
				*b.carry = append(*b.carry, (*buf)[i+1:]...)
			}
			return
		}
		if err != nil {
			b.done = true
			if err != io.EOF {
				b.err = fmt.Errorf("read input: %w", err)
			}
			return
		}
	}
}

func (b *blockReader) hand(blk block) (block, bool) {
	blk.seq = b.seq
	b.seq++
	return blk, true
}

// decided is the output of a block, with its counts.
type decided struct {
	out           *[]byte
	lines, errors int
}

// orderedWriter writes the outputs of blocks in the order of the blocks,
// as they come. A worker whose block is too far ahead of the one written
// next waits, so that a slow block cannot make the others pile up.
type orderedWriter struct {
	mu      sync.Mutex
	cond    *sync.Cond
	w       io.Writer
	max     int
	next    int // the block to write next
	pending map[int]decided
	stats   Stats
	err     error // the first write error; later output is dropped
}

// wait blocks until block seq is near enough to the block written next.
// The block written next is always being decided (blocks are handed out
// in order), so the wait ends.
func (o *orderedWriter) wait(seq int) {
	o.mu.Lock()
	defer o.mu.Unlock()
	for seq-o.next >= o.max {
		o.cond.Wait()
	}
}

// put takes the output of block seq and writes every block now in order.
// Each block's output is written as it is: it is whole lines and large
// enough not to need another buffer.
func (o *orderedWriter) put(seq int, res decided) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.pending == nil {
		o.pending = map[int]decided{}
	}
	o.pending[seq] = res
	for {
		r, ok := o.pending[o.next]
		if !ok {
			break
		}
		delete(o.pending, o.next)
		o.stats.Lines += r.lines
		o.stats.Errors += r.errors
		if o.err == nil {
			_, o.err = o.w.Write(*r.out)
		}
		putBuffer(r.out)
		o.next++
	}
	o.cond.Broadcast()
}

// Decider decides lines one after another, reusing the compiled policies
// of earlier lines. It is not safe for concurrent use.
type Decider struct {
	dec  *iam.CaseDecoder
	memo resultMemo
}

// NewDecider returns a Decider whose policies are parsed with opt.
func NewDecider(opt iam.ParseOptions) *Decider {
	return &Decider{dec: iam.NewCaseDecoder(opt)}
}

// Append decides one input line and appends its output line (with the
// trailing newline) to dst.
func (d *Decider) Append(dst, line []byte) []byte {
	c, err := d.dec.Decode(line)
	dst, _ = d.appendCase(dst, c, err)
	return dst
}

// appendLine is Append for a line without a line break, as run cuts them,
// and reports whether the output is an error.
func (d *Decider) appendLine(dst, line []byte) ([]byte, bool) {
	c, err := d.dec.DecodeLine(line)
	return d.appendCase(dst, c, err)
}

// appendCase decides c (or reports err) and appends its output line.
func (d *Decider) appendCase(dst []byte, c *iam.Case, err error) ([]byte, bool) {
	var res iam.Result
	if err == nil {
		res = d.dec.Authorize(c)
	}
	return appendResult(dst, c, res, err, &d.memo), err != nil
}

// AppendDecision decides one input line on its own, parsing every policy
// afresh, and appends its output line to dst. It answers as Decider.Append.
func AppendDecision(dst, line []byte) []byte {
	dst, _ = appendDecision(dst, line)
	return dst
}

func appendDecision(dst, line []byte) ([]byte, bool) {
	c, err := iam.DecodeCase(line)
	var res iam.Result
	if err == nil {
		res = c.Authorize()
	}
	return appendResult(dst, c, res, err, nil), err != nil
}

// appendResult appends the output line of case c, decided as res, or of
// err.
func appendResult(dst []byte, c *iam.Case, res iam.Result, err error, memo *resultMemo) []byte {
	dst = append(dst, `{"id":`...)
	if c != nil && len(c.ID) > 0 {
		dst = append(dst, c.ID...)
	} else {
		dst = append(dst, "null"...)
	}
	if err != nil {
		dst = append(dst, `,"error":`...)
		dst = appendString(dst, err.Error())
		return append(dst, "}\n"...)
	}
	if memo == nil || c.HasNotices() {
		return appendDecided(dst, c, &res)
	}
	if memo.same(&res) {
		return append(dst, memo.out...)
	}
	start := len(dst)
	dst = appendDecided(dst, c, &res)
	memo.keep(&res, dst[start:])
	return dst
}

// appendDecided appends what follows the id in the output line of c,
// decided as res.
func appendDecided(dst []byte, c *iam.Case, res *iam.Result) []byte {
	dst = append(dst, `,"decision":"`...)
	dst = append(dst, res.Decision.String()...)
	dst = append(dst, `","reason":`...)
	dst = appendString(dst, res.Reason)
	dst = append(dst, `,"statements":[`...)
	for i, m := range res.Matches {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, `{"layer":"`...)
		dst = append(dst, m.Layer.String()...)
		dst = append(dst, `","policy":`...)
		dst = appendString(dst, m.Statement.Policy.Name)
		dst = append(dst, `,"statement":`...)
		dst = strconv.AppendInt(dst, int64(m.Statement.Index), 10)
		if m.Statement.Sid != "" {
			dst = append(dst, `,"sid":`...)
			dst = appendString(dst, m.Statement.Sid)
		}
		dst = append(dst, `,"effect":"`...)
		dst = append(dst, m.Statement.Effect.String()...)
		dst = append(dst, '"')
		if !m.Certain {
			dst = append(dst, `,"certain":false`...)
		}
		dst = append(dst, '}')
	}
	dst = append(dst, ']')
	dst = appendNotices(dst, c)
	return append(dst, "}\n"...)
}

// resultMemo is the output of the result decided last, from its decision
// on, and what it was written from: the lines of a batch are often decided
// alike, and comparing a result with the last one is cheaper than writing
// it out.
type resultMemo struct {
	valid    bool
	decision iam.Decision
	reason   string
	matches  []memoMatch
	strs     []byte // the memo's own copies of its strings
	out      []byte
}

// memoMatch is what the output says of one matching statement.
type memoMatch struct {
	layer     iam.Layer
	name, sid string
	index     int
	effect    iam.Effect
	certain   bool
}

// same reports whether res is written out as the result kept.
func (m *resultMemo) same(res *iam.Result) bool {
	if !m.valid || res.Decision != m.decision || res.Reason != m.reason || len(res.Matches) != len(m.matches) {
		return false
	}
	for i := range res.Matches {
		a, b := &res.Matches[i], &m.matches[i]
		s := a.Statement
		if a.Layer != b.layer || a.Certain != b.certain || s.Index != b.index || s.Effect != b.effect || s.Sid != b.sid || s.Policy.Name != b.name {
			return false
		}
	}
	return true
}

// keep makes res, written out as out, the result kept. Its strings may
// alias the line, whose buffer is reused: the memo keeps copies.
func (m *resultMemo) keep(res *iam.Result, out []byte) {
	need := len(res.Reason)
	for i := range res.Matches {
		need += len(res.Matches[i].Statement.Policy.Name) + len(res.Matches[i].Statement.Sid)
	}
	if cap(m.strs) < need {
		m.strs = make([]byte, 0, 2*need)
	}
	m.strs = m.strs[:0]
	own := func(s string) string {
		start := len(m.strs)
		m.strs = append(m.strs, s...) // within capacity: earlier copies stay put
		return unsafe.String(unsafe.SliceData(m.strs[start:]), len(s))
	}
	m.decision, m.reason = res.Decision, own(res.Reason)
	m.matches = m.matches[:0]
	for i := range res.Matches {
		a := &res.Matches[i]
		s := a.Statement
		m.matches = append(m.matches, memoMatch{layer: a.Layer, name: own(s.Policy.Name), sid: own(s.Sid), index: s.Index, effect: s.Effect, certain: a.Certain})
	}
	m.out = append(m.out[:0], out...)
	m.valid = true
}

// appendNotices appends the notices of the case's policies (iam.Notice):
// things AWS accepts but does not act on as written.
func appendNotices(dst []byte, c *iam.Case) []byte {
	n := 0
	c.EachPolicy(func(p *iam.Policy) {
		for _, nt := range p.Notices {
			if n == 0 {
				dst = append(dst, `,"notices":[`...)
			} else {
				dst = append(dst, ',')
			}
			n++
			dst = appendString(dst, p.Name+": "+nt.Msg)
		}
	})
	if n > 0 {
		dst = append(dst, ']')
	}
	return dst
}

// appendString appends s as a JSON string.
func appendString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	// Most strings (reasons, policy names) need no escaping: copy them
	// whole.
	plain := jsonstr.PlainPrefixString(s)
	dst = append(dst, s[:plain]...)
	for i := plain; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			dst = append(dst, c)
			i++
			continue
		}
		if c >= utf8.RuneSelf {
			r, n := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && n == 1 {
				dst = append(dst, `\ufffd`...)
			} else {
				dst = append(dst, s[i:i+n]...)
			}
			i += n
			continue
		}
		switch c {
		case '"', '\\':
			dst = append(dst, '\\', c)
		case '\n':
			dst = append(dst, '\\', 'n')
		case '\r':
			dst = append(dst, '\\', 'r')
		case '\t':
			dst = append(dst, '\\', 't')
		default:
			dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		}
		i++
	}
	return append(dst, '"')
}

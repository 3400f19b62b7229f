// Package batch runs the engine's JSON-lines interface: one
// authorization case per input line, one decision per output line, in input
// order. It sits beside the IAM engine and is what `lambdacheck authz
// --jsonl` wires to stdin and stdout; the format is stable because it is
// used to cross-check the engine against other implementations.
package batch

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"runtime"
	"strconv"
	"sync"
	"unicode/utf8"

	"github.com/lambdacheck/lambdacheck/analyzer/iam"
)

// chunkLines is how many lines travel to a worker at once: large enough to
// amortise channel traffic, small enough to keep both cores busy.
const chunkLines = 128

// Stats counts what a run did.
type Stats struct {
	Lines  int
	Errors int
}

type chunk struct {
	buf   []byte // the chunk's lines, back to back
	ends  []int  // end offset of each line in buf
	lines [][]byte
	out   chan *[]byte
}

// Chunk input and output buffers are recycled: a run moves its whole input
// through them, and fresh buffers per chunk would be most of its garbage.
var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, 256<<10); return &b }}

// Options configure a run.
type Options struct {
	// Workers deciding lines in parallel; ≤ 0 means one per CPU. Output
	// stays in input order whatever the number.
	Workers int
	// Lenient decides policies that AWS refuses when they are written as
	// AWS would if they existed (iam.ParseOptions.Lenient).
	Lenient bool
}

// Run decides every line of r and writes the results to w. Each worker
// keeps the compiled policies of the lines it has seen and reuses them for
// lines that repeat their text (iam.CaseDecoder). Cancelling ctx stops the
// run after the chunk in flight.
func Run(ctx context.Context, r io.Reader, w io.Writer, opt Options) (Stats, error) {
	popt := iam.ParseOptions{Lenient: opt.Lenient}
	return run(ctx, r, w, opt.Workers, func() func(dst, line []byte) []byte {
		return NewDecider(popt).Append
	})
}

// run is Run with the per-worker decision function made by newDecide.
func run(ctx context.Context, r io.Reader, w io.Writer, workers int, newDecide func() func(dst, line []byte) []byte) (Stats, error) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	var stats Stats
	work := make(chan *chunk, workers*2)
	ordered := make(chan *chunk, workers*4)
	var wg sync.WaitGroup
	for i := 0; i < workers; i++ {
		wg.Add(1)
		decide := newDecide()
		go func() {
			defer wg.Done()
			for c := range work {
				out := bufPool.Get().(*[]byte)
				*out = (*out)[:0]
				for _, line := range c.lines {
					*out = decide(*out, line)
				}
				in := c.buf
				c.lines, c.buf = nil, nil
				bufPool.Put(&in)
				c.out <- out
			}
		}()
	}

	readErr := make(chan error, 1)
	go func() {
		defer close(work)
		defer close(ordered)
		br := bufio.NewReaderSize(r, 1<<20)
		newChunk := func() *chunk {
			b := bufPool.Get().(*[]byte)
			return &chunk{buf: (*b)[:0], out: make(chan *[]byte, 1)}
		}
		cur := newChunk()
		flush := func() bool {
			if len(cur.ends) == 0 {
				return true
			}
			start := 0
			cur.lines = make([][]byte, len(cur.ends))
			for i, end := range cur.ends {
				cur.lines[i] = bytes.TrimRight(cur.buf[start:end], "\r\n")
				start = end
			}
			select {
			case <-ctx.Done():
				return false
			case ordered <- cur:
			}
			work <- cur
			cur = newChunk()
			return true
		}
		for {
			start := len(cur.buf)
			line, err := br.ReadSlice('\n')
			cur.buf = append(cur.buf, line...)
			for err == bufio.ErrBufferFull {
				line, err = br.ReadSlice('\n')
				cur.buf = append(cur.buf, line...)
			}
			if len(cur.buf) > start {
				cur.ends = append(cur.ends, len(cur.buf))
				if len(cur.ends) == chunkLines && !flush() {
					readErr <- ctx.Err()
					return
				}
			}
			if err == io.EOF {
				flush()
				readErr <- nil
				return
			}
			if err != nil {
				flush()
				readErr <- fmt.Errorf("read input: %w", err)
				return
			}
		}
	}()

	bw := bufio.NewWriterSize(w, 1<<20)
	var writeErr error
	for c := range ordered {
		out := <-c.out
		stats.Lines += len(c.ends)
		stats.Errors += bytes.Count(*out, []byte(`,"error":`))
		if writeErr == nil {
			_, writeErr = bw.Write(*out)
		}
		bufPool.Put(out)
	}
	wg.Wait()
	if err := <-readErr; err != nil {
		return stats, err
	}
	if writeErr == nil {
		writeErr = bw.Flush()
	}
	if writeErr != nil {
		return stats, fmt.Errorf("write output: %w", writeErr)
	}
	return stats, nil
}

// Decider decides lines one after another, reusing the compiled policies
// of earlier lines. It is not safe for concurrent use.
type Decider struct {
	dec *iam.CaseDecoder
}

// NewDecider returns a Decider whose policies are parsed with opt.
func NewDecider(opt iam.ParseOptions) *Decider {
	return &Decider{dec: iam.NewCaseDecoder(opt)}
}

// Append decides one input line and appends its output line (with the
// trailing newline) to dst.
func (d *Decider) Append(dst, line []byte) []byte {
	c, err := d.dec.Decode(line)
	return appendResult(dst, c, err)
}

// AppendDecision decides one input line on its own, parsing every policy
// afresh, and appends its output line to dst. It answers as Decider.Append.
func AppendDecision(dst, line []byte) []byte {
	c, err := iam.DecodeCase(line)
	return appendResult(dst, c, err)
}

func appendResult(dst []byte, c *iam.Case, err error) []byte {
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
	res := c.Authorize()
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
	plain := 0
	for plain < len(s) && s[plain] >= 0x20 && s[plain] != '"' && s[plain] != '\\' && s[plain] < utf8.RuneSelf {
		plain++
	}
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

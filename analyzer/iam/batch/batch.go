// Package batch runs the engine's JSON-lines interface (SPEC §4.6): one
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
	lines [][]byte
	out   chan []byte
}

// Run decides every line of r and writes the results to w. workers ≤ 0
// means one per CPU. Cancelling ctx stops the run after the chunk in flight.
func Run(ctx context.Context, r io.Reader, w io.Writer, workers int) (Stats, error) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	var stats Stats
	work := make(chan *chunk, workers*2)
	ordered := make(chan *chunk, workers*4)
	var wg sync.WaitGroup
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf []byte
			for c := range work {
				buf = buf[:0]
				for _, line := range c.lines {
					buf = AppendDecision(buf, line)
				}
				out := make([]byte, len(buf))
				copy(out, buf)
				c.out <- out
			}
		}()
	}

	readErr := make(chan error, 1)
	go func() {
		defer close(work)
		defer close(ordered)
		br := bufio.NewReaderSize(r, 1<<20)
		cur := &chunk{out: make(chan []byte, 1)}
		flush := func() bool {
			if len(cur.lines) == 0 {
				return true
			}
			select {
			case <-ctx.Done():
				return false
			case ordered <- cur:
			}
			work <- cur
			cur = &chunk{out: make(chan []byte, 1)}
			return true
		}
		for {
			line, err := br.ReadBytes('\n')
			if len(line) > 0 {
				line = bytes.TrimRight(line, "\r\n")
				cur.lines = append(cur.lines, line)
				if len(cur.lines) == chunkLines && !flush() {
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
		stats.Lines += len(c.lines)
		stats.Errors += bytes.Count(out, []byte(`,"error":`))
		if writeErr == nil {
			_, writeErr = bw.Write(out)
		}
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

// AppendDecision decides one input line and appends its output line
// (with the trailing newline) to dst.
func AppendDecision(dst, line []byte) []byte {
	c, err := iam.DecodeCase(line)
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
	return append(dst, "]}\n"...)
}

// appendString appends s as a JSON string.
func appendString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	for i := 0; i < len(s); {
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

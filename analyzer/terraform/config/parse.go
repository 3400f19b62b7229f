package config

import (
	"github.com/lambdacheck/lambdacheck/analyzer/hclnesting"

	"bytes"
	"strings"
	"sync"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	hcljson "github.com/hashicorp/hcl/v2/json"
)

// splitPieceSize is the least size of a piece of a large native-syntax
// file parsed on its own. HCL lexes a file into one token slice that grows
// a quarter at a time, so a megabyte-sized file (a generated iam.tf) costs
// several times its token count in copying and fresh memory and occupies
// one core; pieces of this size parse in parallel and their memory is
// reused between pieces.
const splitPieceSize = 64 << 10

// ParseFile parses one configuration file's source; name decides the syntax
// (.tf.json is JSON) and is used in positions. A file nested deeper than
// hclnesting.Max is refused before the parser recurses into it.
func ParseFile(src []byte, name string) (*hcl.File, hcl.Diagnostics) {
	if diags := hclnesting.Check(src, name); diags.HasErrors() {
		return nil, diags
	}
	if strings.HasSuffix(name, ".json") {
		return hcljson.Parse(src, name)
	}
	if len(src) >= 2*splitPieceSize {
		if f, ok := parseSplit(src, name, splitPieceSize); ok {
			return f, nil
		}
	}
	return hclsyntax.ParseConfig(src, name, hcl.InitialPos)
}

// parseSplit parses src as pieces cut at lines that start a top-level item
// (a letter in column 1) and merges their bodies. A cut inside any
// construct — a block, a heredoc, a bracketed expression, a comment —
// leaves the piece before it unterminated, which HCL reports as an error;
// so when every piece parses cleanly the cuts were between top-level items
// and the merged body is the one a whole-file parse builds. Anything else
// (an error or warning in a piece, an attribute defined twice) returns
// false, and the caller parses the whole file to report it as HCL does.
func parseSplit(src []byte, name string, pieceSize int) (*hcl.File, bool) {
	return parseAt(src, name, cutPoints(src, pieceSize))
}

// parseAt parses src in pieces starting at cuts (in order) and merges them,
// or returns false as parseSplit describes.
func parseAt(src []byte, name string, cuts []hcl.Pos) (*hcl.File, bool) {
	if len(cuts) == 0 {
		return nil, false
	}
	type piece struct {
		start hcl.Pos
		end   int
		file  *hcl.File
		diags hcl.Diagnostics
	}
	pieces := make([]piece, 0, len(cuts)+1)
	prev := hcl.InitialPos
	for _, c := range cuts {
		pieces = append(pieces, piece{start: prev, end: c.Byte})
		prev = c
	}
	pieces = append(pieces, piece{start: prev, end: len(src)})
	var wg sync.WaitGroup
	for i := range pieces {
		p := &pieces[i]
		wg.Go(func() {
			p.file, p.diags = hclsyntax.ParseConfig(src[p.start.Byte:p.end], name, p.start)
		})
	}
	wg.Wait()
	merged := &hclsyntax.Body{Attributes: hclsyntax.Attributes{}, Blocks: hclsyntax.Blocks{}}
	for i, p := range pieces {
		if len(p.diags) > 0 {
			return nil, false
		}
		body, ok := p.file.Body.(*hclsyntax.Body)
		if !ok {
			return nil, false
		}
		for k, a := range body.Attributes {
			if _, dup := merged.Attributes[k]; dup {
				return nil, false
			}
			merged.Attributes[k] = a
		}
		merged.Blocks = append(merged.Blocks, body.Blocks...)
		if i == 0 {
			merged.SrcRange.Filename = body.SrcRange.Filename
			merged.SrcRange.Start = body.SrcRange.Start
		}
		merged.SrcRange.End = body.SrcRange.End
		merged.EndRange = body.EndRange
	}
	return &hcl.File{Body: merged, Bytes: src}, true
}

// cutPoints returns the positions of the lines where pieces of at least
// pieceSize bytes start: lines beginning with a letter, as top-level block
// and attribute names do, after a line that ends a block or is blank, and
// outside heredocs (whose text, and closing marker, may start in column 1
// too). One bad cut only costs the split, so this is a cheap guess, not a
// parse. The last piece is at least pieceSize too.
func cutPoints(src []byte, pieceSize int) []hcl.Pos {
	var cuts []hcl.Pos
	var heredoc []byte // closing marker of the heredoc being skipped
	line, last := 1, 0
	prevEndsItem := false
	for off := 0; off < len(src); line++ {
		end := bytes.IndexByte(src[off:], '\n')
		if end < 0 {
			break
		}
		text := bytes.TrimRight(src[off:off+end], " \t\r")
		lineStart := off
		off += end + 1
		if heredoc != nil {
			if bytes.Equal(bytes.TrimLeft(text, " \t"), heredoc) {
				heredoc = nil
			}
			prevEndsItem = false
			continue
		}
		if len(src)-lineStart < pieceSize {
			break
		}
		if c := firstByte(text); prevEndsItem && lineStart-last >= pieceSize && (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			cuts = append(cuts, hcl.Pos{Line: line, Column: 1, Byte: lineStart})
			last = lineStart
		}
		heredoc = hclnesting.HeredocMarker(text)
		prevEndsItem = len(text) == 0 || string(text) == "}"
	}
	return cuts
}

func firstByte(b []byte) byte {
	if len(b) == 0 {
		return 0
	}
	return b[0]
}

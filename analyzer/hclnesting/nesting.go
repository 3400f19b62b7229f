// Package hclnesting refuses HCL sources nested deeper than the HCL parsers
// can recurse, before they parse. Place: every reader of HCL from the scan
// root (Terraform files, templates, settings, expectations, variable values)
// calls it first; it depends on nothing of the pipeline.
package hclnesting

import (
	"bytes"
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// ParseConfig parses a native-syntax file from the scan root after Check,
// so that a reader of such files cannot forget the check.
func ParseConfig(src []byte, name string) (*hcl.File, hcl.Diagnostics) {
	if diags := Check(src, name); diags.HasErrors() {
		return nil, diags
	}
	return hclsyntax.ParseConfig(src, name, hcl.InitialPos)
}

// Max bounds how deeply brackets, string templates and chained
// conditional or unary operators may nest in one file. The HCL parsers
// recurse once per level (and more for each conditional or unary operator
// in a chain), so a file of 100,000 nested parentheses exhausts the
// goroutine stack before any diagnostic; hand-written and generated
// configurations stay far below this.
const Max = 256

// nestKind is what one level of nesting is: a bracket, the inside of a
// template interpolation, or a quoted string or heredoc template.
type nestKind byte

const (
	nestParen   nestKind = iota // ( [
	nestBrace                   // { — newlines separate items inside, as at top level
	nestInterp                  // ${ or %{ inside a template, closed by }
	nestString                  // "…"
	nestHeredoc                 // <<EOT … EOT
)

type nestFrame struct {
	kind   nestKind
	chain  int    // conditional operators since the last item separator
	marker []byte // a heredoc's closing marker
}

// nestScanner is a cheap, conservative pre-scan of a file's bytes: it
// follows comments, strings, heredocs and template interpolations closely
// enough to count nesting without parsing, and may overcount on malformed
// input, which the parser would reject anyway.
type nestScanner struct {
	src     []byte
	name    string
	stack   []nestFrame
	chain   int // conditional operators in the current top-level item
	chains  int // sum of chain over the stack
	unary   int // length of the current run of ! and - operators
	line    int
	lineOff int
}

// Check returns an error diagnostic at the first place src, a
// native-syntax configuration file (or a JSON one when name ends in
// .json), nests more than Max levels deep, or nil.
func Check(src []byte, name string) hcl.Diagnostics {
	s := &nestScanner{src: src, name: name, line: 1}
	if len(name) >= 5 && name[len(name)-5:] == ".json" {
		return s.json()
	}
	return s.native(false)
}

// CheckTemplate is Check for a template file's source, as
// templatefile reads one: literal text with interpolations.
func CheckTemplate(src []byte, name string) hcl.Diagnostics {
	s := &nestScanner{src: src, name: name, line: 1}
	return s.native(true)
}

func (s *nestScanner) depth() int { return len(s.stack) + s.chain + s.chains + s.unary }

func (s *nestScanner) tooDeep(off int) hcl.Diagnostics {
	pos := hcl.Pos{Line: s.line, Column: off - s.lineOff + 1, Byte: off}
	return hcl.Diagnostics{{
		Severity: hcl.DiagError,
		Summary:  "Nesting too deep",
		Detail: fmt.Sprintf("Brackets, templates or chained operators nest more than lambdacheck's limit of %d levels here (the nesting limit); the file is not parsed.",
			Max),
		Subject: &hcl.Range{Filename: s.name, Start: pos, End: pos},
	}}
}

func (s *nestScanner) push(f nestFrame, off int) hcl.Diagnostics {
	s.stack = append(s.stack, f)
	if s.depth() > Max {
		return s.tooDeep(off)
	}
	return nil
}

func (s *nestScanner) pop() {
	top := s.stack[len(s.stack)-1]
	s.chains -= top.chain
	s.stack = s.stack[:len(s.stack)-1]
}

// resetChain ends the conditional chain of the current item.
func (s *nestScanner) resetChain() {
	if n := len(s.stack); n > 0 {
		s.chains -= s.stack[n-1].chain
		s.stack[n-1].chain = 0
	} else {
		s.chain = 0
	}
}

func (s *nestScanner) newline(off int) {
	s.line++
	s.lineOff = off + 1
}

// native scans HCL native syntax; template starts inside literal text (a
// template file) rather than in a body.
func (s *nestScanner) native(template bool) hcl.Diagnostics {
	src := s.src
	if template {
		// A template file is a heredoc without a closing marker.
		s.stack = append(s.stack, nestFrame{kind: nestHeredoc})
	}
	for i := 0; i < len(src); {
		top := nestKind(255)
		if n := len(s.stack); n > 0 {
			top = s.stack[n-1].kind
		}
		c := src[i]
		if top == nestString || top == nestHeredoc {
			switch {
			case c == '\n' && top == nestString:
				// A quoted string ends at the line's end (HCL reports the
				// missing quote); the newline is then read as code.
				s.pop()
				continue
			case c == '\n':
				s.newline(i)
				end := bytes.IndexByte(src[i+1:], '\n')
				if end < 0 {
					end = len(src) - i - 1
				}
				marker := s.stack[len(s.stack)-1].marker
				if marker != nil && bytes.Equal(bytes.Trim(src[i+1:i+1+end], " \t\r"), marker) {
					s.pop()
					i += 1 + end // the newline after the marker is read as code
					continue
				}
			case c == '\\' && top == nestString:
				i++ // the escaped byte is literal
				if i < len(src) && src[i] == '\n' {
					continue
				}
			case (c == '$' || c == '%') && i+2 < len(src) && src[i+1] == c && src[i+2] == '{':
				i += 2 // $${ and %%{ are literal
			case (c == '$' || c == '%') && i+1 < len(src) && src[i+1] == '{':
				if d := s.push(nestFrame{kind: nestInterp}, i); d != nil {
					return d
				}
				i++
			case c == '"' && top == nestString:
				s.pop()
			}
			i++
			continue
		}
		if c != '!' && c != '-' && c != ' ' && c != '\t' && c != '\r' {
			s.unary = 0
		}
		switch c {
		case '\n':
			s.newline(i)
			s.unary = 0
			if top == 255 || top == nestBrace {
				s.resetChain()
			}
		case '#':
			i = lineEnd(src, i) - 1
		case '/':
			if i+1 < len(src) && src[i+1] == '/' {
				i = lineEnd(src, i) - 1
			} else if i+1 < len(src) && src[i+1] == '*' {
				end := bytes.Index(src[i+2:], []byte("*/"))
				if end < 0 {
					return nil // unterminated comment: nothing nests after it
				}
				for j := i; j < i+2+end; j++ {
					if src[j] == '\n' {
						s.newline(j)
					}
				}
				i += 2 + end + 1
			}
		case '"':
			if d := s.push(nestFrame{kind: nestString}, i); d != nil {
				return d
			}
		case '<':
			if m, nl := heredocOpen(src, i); m != nil {
				if d := s.push(nestFrame{kind: nestHeredoc, marker: m}, i); d != nil {
					return d
				}
				i = nl // the heredoc reads its first newline
				continue
			}
		case '(', '[':
			if d := s.push(nestFrame{kind: nestParen}, i); d != nil {
				return d
			}
		case '{':
			if d := s.push(nestFrame{kind: nestBrace}, i); d != nil {
				return d
			}
		case ')', ']', '}':
			if top != 255 {
				s.pop()
			}
		case ',':
			s.resetChain()
		case '?':
			if n := len(s.stack); n > 0 {
				s.stack[n-1].chain++
				s.chains++
			} else {
				s.chain++
			}
			if s.depth() > Max {
				return s.tooDeep(i)
			}
		case '!', '-':
			s.unary++
			if s.depth() > Max {
				return s.tooDeep(i)
			}
		}
		i++
	}
	return nil
}

// lineEnd returns the offset of the newline ending the line at off, or
// len(src).
func lineEnd(src []byte, off int) int {
	if end := bytes.IndexByte(src[off:], '\n'); end >= 0 {
		return off + end
	}
	return len(src)
}

// heredocOpen recognises "<<EOT" or "<<-EOT" at off followed by the end of
// the line, and returns the marker and the offset of that newline.
func heredocOpen(src []byte, off int) ([]byte, int) {
	nl := lineEnd(src, off)
	if nl == len(src) || off+2 >= nl || src[off+1] != '<' {
		return nil, 0
	}
	m := HeredocMarker(bytes.TrimRight(src[off:nl], " \t\r"))
	if m == nil || !bytes.Equal(bytes.TrimPrefix(bytes.TrimRight(src[off+2:nl], " \t\r"), []byte("-")), m) {
		return nil, 0
	}
	return m, nl
}

// json scans JSON syntax. Strings count the brackets inside them too: in a
// .tf.json file they hold HCL templates, parsed (and recursed into) later.
func (s *nestScanner) json() hcl.Diagnostics {
	src := s.src
	for i := 0; i < len(src); i++ {
		switch c := src[i]; c {
		case '\n':
			s.newline(i)
		case '[', '{':
			if d := s.push(nestFrame{kind: nestParen}, i); d != nil {
				return d
			}
		case ']', '}':
			if len(s.stack) > 0 {
				s.pop()
			}
		case '"':
			inner := 0
			for i++; i < len(src) && src[i] != '"' && src[i] != '\n'; i++ {
				switch src[i] {
				case '\\':
					i++
				case '(', '[', '{':
					inner++
					if len(s.stack)+inner > Max {
						return s.tooDeep(i)
					}
				case ')', ']', '}':
					inner = max(inner-1, 0)
				}
			}
			if i < len(src) && src[i] == '\n' {
				s.newline(i)
			}
		}
	}
	return nil
}

// HeredocMarker returns the closing marker of a heredoc the line opens
// ("<<EOT" or "<<-EOT" at its end), or nil.
func HeredocMarker(text []byte) []byte {
	i := bytes.LastIndex(text, []byte("<<"))
	if i < 0 {
		return nil
	}
	m := bytes.TrimPrefix(text[i+2:], []byte("-"))
	if len(m) == 0 {
		return nil
	}
	for j, c := range m {
		letter := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_'
		if !letter && (j == 0 || !(c >= '0' && c <= '9' || c == '-')) {
			return nil
		}
	}
	return m
}

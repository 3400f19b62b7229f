// Package loc is where something is written in a source file: one span
// type that the parsers fill (HCL ranges, YAML and JSON node positions),
// the inventory carries, and findings and reports hand on (SARIF regions,
// Code Quality and GitLab locations). It depends on nothing, so every stage
// of the pipeline can use it.
package loc

import "fmt"

// Span is a file and a range in it. Lines and columns count from 1; a
// column counts characters (Unicode code points) from the line start. Zero
// means not known: an end of zero is "the start line only", and a column
// of zero "the whole line". The JSON names are those positions always had
// (file, line, end_line), with the columns beside them.
type Span struct {
	File      string `json:"file,omitempty"`
	Line      int    `json:"line,omitempty"`
	Column    int    `json:"column,omitempty"`
	EndLine   int    `json:"end_line,omitempty"`
	EndColumn int    `json:"end_column,omitempty"`
}

// At is the span of one line of a file.
func At(file string, line int) Span { return Span{File: file, Line: line} }

// Known reports whether the span names a file and a line.
func (s Span) Known() bool { return s.File != "" && s.Line > 0 }

// Valid reports whether the span is ordered: columns only with their
// line, and an end, when given, not before the start.
func (s Span) Valid() bool {
	if s.Line < 0 || s.Column < 0 || s.EndLine < 0 || s.EndColumn < 0 {
		return false
	}
	if s.Line == 0 && (s.Column != 0 || s.EndLine != 0) {
		return false
	}
	if s.EndLine == 0 {
		return s.EndColumn == 0
	}
	return s.EndLine > s.Line || s.EndLine == s.Line && (s.Column == 0 || s.EndColumn == 0 || s.EndColumn >= s.Column)
}

// String renders "file:line:column" (as far as known).
func (s Span) String() string {
	switch {
	case s.Line == 0:
		return s.File
	case s.Column == 0:
		return fmt.Sprintf("%s:%d", s.File, s.Line)
	}
	return fmt.Sprintf("%s:%d:%d", s.File, s.Line, s.Column)
}

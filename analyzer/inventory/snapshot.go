package inventory

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// ErrNotSnapshot is returned by Decode when the input is JSON but carries no
// "schema" field, so it is some other document (a plan, a template …).
var ErrNotSnapshot = errors.New("not a lambdacheck snapshot: no \"schema\" field")

// Write encodes inv as an indented snapshot. Schema is set to SchemaVersion
// when it is zero; any other version is refused so a snapshot is never
// written under a number this code does not implement.
func Write(w io.Writer, inv *Inventory) error {
	if inv == nil {
		return errors.New("write snapshot: nil inventory")
	}
	out := *inv
	if out.Schema == 0 {
		out.Schema = SchemaVersion
	}
	if out.Schema != SchemaVersion {
		return fmt.Errorf("write snapshot: schema %d is not supported (want %d)", out.Schema, SchemaVersion)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false) // symbols read <var.prefix>, not \u003cvar.prefix\u003e
	if err := enc.Encode(&out); err != nil {
		return fmt.Errorf("write snapshot: %w", err)
	}
	return nil
}

// OldestSchema is the oldest snapshot schema Decode still accepts.
const OldestSchema = 1

// Decode decodes a snapshot and checks its schema version. Fields it does
// not know are ignored, so newer writers may add fields within one version.
func Decode(data []byte) (*Inventory, error) {
	var head struct {
		Schema *json.RawMessage `json:"schema"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return nil, fmt.Errorf("read snapshot: %w", DescribeJSONError(data, err))
	}
	if head.Schema == nil {
		return nil, ErrNotSnapshot
	}
	var version int
	if err := json.Unmarshal(*head.Schema, &version); err != nil {
		return nil, fmt.Errorf("read snapshot: \"schema\" must be an integer, got %s", bytes.TrimSpace(*head.Schema))
	}
	if version < OldestSchema || version > SchemaVersion {
		return nil, fmt.Errorf("read snapshot: schema %d is not supported (this build reads schemas %d to %d)", version, OldestSchema, SchemaVersion)
	}
	var inv Inventory
	if err := json.Unmarshal(data, &inv); err != nil {
		return nil, fmt.Errorf("read snapshot: %w", DescribeJSONError(data, err))
	}
	// Schema 2 only added fields: a schema 1 snapshot is a schema 2 one
	// without coverage (nothing is known about what it left out).
	inv.Schema = SchemaVersion
	return &inv, nil
}

// DescribeJSONError adds the line and column to JSON errors that carry a
// byte offset, so a hand-edited file (a snapshot, a baseline) points at its
// mistake.
func DescribeJSONError(data []byte, err error) error {
	var offset int64 = -1
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		offset = syn.Offset
		// The offset is past the offending byte; point at the byte.
		if offset > 0 && offset <= int64(len(data)) && !strings.Contains(syn.Error(), "unexpected end") {
			offset--
		}
	case errors.As(err, &typ):
		offset = typ.Offset
	}
	if offset < 0 || offset > int64(len(data)) {
		return err
	}
	line, col := 1, 1
	for _, b := range data[:offset] {
		if b == '\n' {
			line++
			col = 1
		} else {
			col++
		}
	}
	return fmt.Errorf("line %d, column %d: %w", line, col, err)
}

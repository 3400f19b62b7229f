package terraform

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	ctyjson "github.com/zclconf/go-cty/cty/json"

	"github.com/lambdacheck/lambdacheck/analyzer/iam"
	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
	"github.com/lambdacheck/lambdacheck/analyzer/loc"
	"github.com/lambdacheck/lambdacheck/analyzer/terraform/config"
	"github.com/lambdacheck/lambdacheck/analyzer/terraform/reason"
)

// obj reads fields of an evaluated resource object for a decoder, recording
// in unknown every field whose value could not be resolved.
type obj struct {
	v       cty.Value
	prefix  string // field path prefix for Unknown entries, "" or "x."
	unknown *[]inventory.Unknown
	rng     hcl.Range // fallback location for reasons without one
	// own is "<ADDRESS." of the instance read: a symbol that starts so
	// names one of its own arguments, unknown for a reason worth listing.
	own string
	// diags receives load errors found while reading (an invalid policy
	// document); res locates the argument they are about. Both are nil
	// when the object is read only for knowledge.
	diags *[]inventory.Diagnostic
	res   *config.Resource // the block, for argument positions
	addr  string
}

func newObj(v cty.Value, unknown *[]inventory.Unknown, rng hcl.Range) obj {
	return obj{v: v, unknown: unknown, rng: rng}
}

// raw returns attribute name without marks at the top level, or NilVal.
func (o obj) raw(name string) cty.Value {
	v, _ := o.v.Unmark()
	if v == cty.NilVal || !v.IsKnown() || v.IsNull() {
		return cty.NilVal
	}
	ty := v.Type()
	switch {
	case ty.IsObjectType():
		if !ty.HasAttribute(name) {
			return cty.NilVal
		}
	case ty.IsMapType():
		if !v.HasIndex(cty.StringVal(name)).True() {
			return cty.NilVal
		}
		return v.Index(cty.StringVal(name))
	default:
		return cty.NilVal
	}
	return v.GetAttr(name)
}

// has reports whether the attribute is set (to anything but null).
func (o obj) has(name string) bool {
	v := o.raw(name)
	if v == cty.NilVal {
		return false
	}
	u, _ := v.Unmark()
	return !(u.IsKnown() && u.IsNull())
}

// known returns the attribute fully unmarked, or false (recording the
// unknown under field) when it is not wholly known. Null and absent
// attributes are known and returned as NilVal.
func (o obj) known(name, field string) (cty.Value, bool) {
	v := o.raw(name)
	if v == cty.NilVal {
		// the whole object may be unknown
		if u, rs := reason.Of(o.v); u != cty.NilVal && !u.IsKnown() {
			o.record(field, rs)
			return cty.NilVal, false
		}
		return cty.NilVal, true
	}
	u, rs := reason.Of(v)
	if !u.IsWhollyKnown() {
		o.record(field, rs)
		return cty.NilVal, false
	}
	if u.IsNull() {
		return cty.NilVal, true
	}
	return u, true
}

// text is known for values that are read as text (names, ARNs, policy
// documents): a value unknown before apply but symbolic (see
// reason.Symbol) reads as its symbol text, "<var.prefix>-fn", which joins
// by identity and which the IAM engine never mistakes for a concrete
// value. A symbolic field is not listed as unknown: its symbols name what
// it waits for, and the flows they decide say so.
func (o obj) text(name, field string) (cty.Value, bool) {
	v := o.raw(name)
	if v != cty.NilVal {
		if u, rs := reason.Of(v); !u.IsWhollyKnown() {
			if c, ok := reason.Concretize(v); ok {
				if o.own != "" && c.Type() == cty.String && strings.Contains(c.AsString(), o.own) {
					// Its own symbol stands in for a value no symbol could
					// carry: say why it is unknown.
					o.record(field, rs)
				}
				if c.IsNull() {
					return cty.NilVal, true
				}
				return c, true
			}
		}
	}
	return o.known(name, field)
}

func (o obj) record(field string, rs []reason.Mark) {
	if o.unknown == nil {
		return
	}
	if field == "" {
		return
	}
	*o.unknown = append(*o.unknown, unknownEntry(o.prefix+field, rs, o.rng))
}

func unknownEntry(field string, rs []reason.Mark, rng hcl.Range) inventory.Unknown {
	u := inventory.Unknown{Field: field}
	var texts []string
	for _, r := range rs {
		texts = append(texts, r.Text)
		if u.File == "" && r.File != "" {
			u.File, u.Line = r.File, r.Line
		}
	}
	if len(texts) == 0 {
		texts = append(texts, "the value is only known after apply")
	}
	if u.File == "" {
		u.File, u.Line = rng.Filename, rng.Start.Line
	}
	u.Reason = strings.Join(texts, "; ")
	return u
}

// str returns a string attribute ("" when absent, null or unknown).
func (o obj) str(name string) string { return o.strAs(name, name) }

func (o obj) strAs(name, field string) string {
	v, ok := o.text(name, field)
	if !ok || v == cty.NilVal {
		return ""
	}
	return toString(v)
}

func toString(v cty.Value) string {
	if v.Type() == cty.String {
		return v.AsString()
	}
	if c, err := convert.Convert(v, cty.String); err == nil && !c.IsNull() {
		return c.AsString()
	}
	return ""
}

// strs returns a list/set/tuple of strings (a single string is a list of
// one).
func (o obj) strs(name string) []string { return o.strsAs(name, name) }

func (o obj) strsAs(name, field string) []string {
	v, ok := o.text(name, field)
	if !ok || v == cty.NilVal {
		return nil
	}
	return stringList(v)
}

func stringList(v cty.Value) []string {
	if v.Type() == cty.String {
		return []string{v.AsString()}
	}
	if !v.CanIterateElements() {
		return nil
	}
	var out []string
	for it := v.ElementIterator(); it.Next(); {
		_, e := it.Element()
		if e.IsNull() {
			continue
		}
		if s := toString(e); s != "" || e.Type() == cty.String {
			out = append(out, s)
		}
	}
	return out
}

// num returns a whole-number attribute, def when absent.
func (o obj) num(name string, def int) int {
	v, ok := o.known(name, name)
	if !ok || v == cty.NilVal {
		return def
	}
	if v.Type() == cty.String {
		n, err := cty.ParseNumberVal(v.AsString())
		if err != nil {
			return def
		}
		v = n
	}
	if v.Type() != cty.Number {
		return def
	}
	i, acc := v.AsBigFloat().Int64()
	if acc != big.Exact {
		return def
	}
	return int(i)
}

// numPtr is num for optional settings where absence matters.
func (o obj) numPtr(name string) *int {
	if !o.has(name) {
		return nil
	}
	n := o.num(name, -1<<31)
	if n == -1<<31 {
		return nil
	}
	return &n
}

// boolean returns a bool attribute, def when absent or unknown.
func (o obj) boolean(name string, def bool) bool {
	v, ok := o.known(name, name)
	if !ok || v == cty.NilVal {
		return def
	}
	if c, err := convert.Convert(v, cty.Bool); err == nil && !c.IsNull() {
		return c.True()
	}
	return def
}

// block returns the first nested block (or attribute-style object).
func (o obj) block(name string) (obj, bool) {
	bs := o.blocks(name)
	if len(bs) == 0 {
		return obj{}, false
	}
	return bs[0], true
}

// blocks returns the nested blocks named name, in order. An unknown block
// list (a dynamic block over unknown values) is recorded as unknown.
func (o obj) blocks(name string) []obj {
	v := o.raw(name)
	if v == cty.NilVal {
		return nil
	}
	u, rs := reason.Of(v)
	if !u.IsKnown() {
		o.record(name, rs)
		return nil
	}
	v, _ = v.Unmark()
	if v.IsNull() {
		return nil
	}
	child := func(i int, e cty.Value) obj {
		// A nested block's attributes are not in the resource's body: its
		// errors point at the resource.
		return obj{v: e, prefix: fmt.Sprintf("%s%s[%d].", o.prefix, name, i), unknown: o.unknown, rng: o.rng, own: o.own, diags: o.diags, addr: o.addr}
	}
	ty := v.Type()
	if ty.IsObjectType() || ty.IsMapType() {
		return []obj{child(0, v)}
	}
	if !v.CanIterateElements() {
		return nil
	}
	var out []obj
	i := 0
	for it := v.ElementIterator(); it.Next(); {
		_, e := it.Element()
		ue, _ := e.Unmark()
		if ue.IsKnown() && ue.IsNull() {
			continue
		}
		out = append(out, child(i, e))
		i++
	}
	return out
}

// document reads a policy argument: a JSON string (jsonencode, heredoc,
// file, data source json) or, leniently, an object. The text is kept as
// written after compacting; a Statement written as a single object stays
// so, since IAM accepts it.
func (o obj) document(name, field string) (json.RawMessage, bool) {
	if raw := o.raw(name); raw != cty.NilVal {
		if c, ok := reason.Concretize(raw); ok && c.Type() == cty.String && reason.IsBare(c.AsString()) {
			// A document that is only a symbol has no statements to read.
			_, ok = o.known(name, field)
			return nil, ok
		}
	}
	v, ok := o.text(name, field)
	if !ok {
		return nil, false
	}
	if v == cty.NilVal {
		return nil, true
	}
	bad := func(msg string) {
		if o.unknown != nil {
			*o.unknown = append(*o.unknown, inventory.Unknown{Field: o.prefix + field, Reason: msg, Span: loc.At(o.rng.Filename, o.rng.Start.Line)})
		}
	}
	// A policy written out in full that is not a valid document would be
	// refused by IAM on apply: a load error, not only an unknown. Text with
	// symbols standing in for values unknown before apply is not judged:
	// a symbol may sit where the JSON needs a number or a list.
	written := field == "document" && o.diags != nil && o.whollyKnown(name)
	if !written {
		return documentJSON(v, bad)
	}
	doc, ok := documentJSON(v, func(msg string) {
		bad(msg)
		o.loadError(name, "Invalid policy document", msg)
	})
	if !ok || v.Type() != cty.String {
		return doc, ok
	}
	// The JSON is read again as policies are, so that duplicate keys are
	// refused here, at the argument, rather than later as an unknown.
	if err := iam.CheckJSON([]byte(v.AsString()), iam.Source{}); err != nil {
		msg := "policy is not a valid document: " + err.Error()
		var pe *iam.PolicyError
		if errors.As(err, &pe) {
			msg = fmt.Sprintf("policy is not a valid document: line %d, column %d of the document: %s", pe.Line, pe.Col, pe.Msg)
		}
		bad(msg)
		o.loadError(name, "Invalid policy document", msg)
		return nil, false
	}
	return doc, true
}

// whollyKnown reports whether attribute name is known in full, without
// symbols for values only known after apply.
func (o obj) whollyKnown(name string) bool {
	v := o.raw(name)
	if v == cty.NilVal {
		return false
	}
	u, _ := reason.Of(v)
	return u.IsWhollyKnown()
}

// loadError records an error diagnostic at attribute name, or at the
// resource when the attribute cannot be located.
func (o obj) loadError(name, summary, detail string) {
	if o.diags == nil {
		return
	}
	d := inventory.Diagnostic{Severity: "error", Summary: summary, Span: loc.At(o.rng.Filename, o.rng.Start.Line)}
	if o.res != nil && o.prefix == "" {
		if file, pos, ok := o.res.ArgStart(name); ok {
			d.File, d.Line, d.Column = file, pos.Line, pos.Column
		}
	}
	field := o.prefix + name
	if o.addr != "" {
		field = o.addr + "." + field
	}
	d.Detail = field + ": " + detail
	*o.diags = append(*o.diags, d)
}

func documentJSON(v cty.Value, bad func(string)) (json.RawMessage, bool) {
	var text []byte
	if v.Type() == cty.String {
		text = []byte(strings.TrimSpace(v.AsString()))
		if len(text) == 0 {
			return nil, true
		}
	} else {
		b, err := ctyjson.Marshal(v, v.Type())
		if err != nil {
			bad("policy is not a JSON document: " + err.Error())
			return nil, false
		}
		text = b
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, text); err != nil {
		bad("policy is not valid JSON: " + err.Error())
		return nil, false
	}
	return json.RawMessage(buf.Bytes()), true
}

// ctyNil is cty.NilVal, named for comparisons in decoders.
var ctyNil = cty.NilVal

func numberOf(v cty.Value) (float64, bool) {
	u, _ := reason.Of(v)
	if !u.IsKnown() || u.IsNull() {
		return 0, false
	}
	n, err := convert.Convert(u, cty.Number)
	if err != nil || n.IsNull() {
		return 0, false
	}
	f, _ := n.AsBigFloat().Float64()
	return f, true
}

func ctyString(s string) cty.Value { return cty.StringVal(s) }

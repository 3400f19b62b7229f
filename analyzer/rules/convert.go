package rules

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/open-policy-agent/opa/v1/ast"
)

// converter turns Go values into Rego values the way encoding/json would
// see them (json tags, omitempty, embedded structs flattened, RawMessage
// parsed), without the JSON text in between: on a large estate the text
// round trip dominated the rules' cost. Equal strings and equal small
// comparable structs (flow statements and references repeat across
// thousands of flows) share one term; terms are never mutated once built,
// so sharing is safe. Small structs that hold a list of strings besides
// scalars (a flow statement with its conditions, repeated in every flow its
// policy decides) share one term too, found by a key spelled from them.
type converter struct {
	strings map[string]*ast.Term
	values  map[any]*ast.Term
	raw     map[string]*ast.Term
	lists   map[string]*ast.Term
	// keyed: keyable struct type → contents spelled by appendKey → term.
	keyed map[reflect.Type]map[string]*ast.Term
	key   []byte // scratch for keys
	// fields, when not nil, are the only struct members converted (see
	// Engine.fields); map keys and embedded JSON documents are data and
	// are kept whole.
	fields map[string]bool
}

func newConverter(fields map[string]bool) *converter {
	return &converter{strings: map[string]*ast.Term{}, values: map[any]*ast.Term{}, raw: map[string]*ast.Term{},
		lists: map[string]*ast.Term{}, keyed: map[reflect.Type]map[string]*ast.Term{}, fields: fields}
}

var rawMessageType = reflect.TypeFor[json.RawMessage]()

// fieldPlan is how one JSON member is read from a struct.
type fieldPlan struct {
	name      string
	key       *ast.Term
	index     []int
	omitEmpty bool
}

type structPlan struct {
	fields []fieldPlan
	// shareable types are comparable and hold no references, so equal
	// values convert to equal terms and can be cached by value.
	shareable bool
	// keyable types hold only scalars and lists of strings (at any depth
	// of embedded or nested structs), so equal values can be cached by a
	// key spelled from them; larger structs rarely repeat.
	keyable bool
}

// plans caches the field plan of each struct type (immutable once built).
var plans sync.Map // reflect.Type → *structPlan

func planFor(t reflect.Type) *structPlan {
	if p, ok := plans.Load(t); ok {
		return p.(*structPlan)
	}
	p := &structPlan{shareable: t.Comparable() && flat(t)}
	p.keyable = !p.shareable && keyable(t)
	var walk func(t reflect.Type, index []int)
	seen := map[string]bool{}
	walk = func(t reflect.Type, index []int) {
		for i := range t.NumField() {
			f := t.Field(i)
			idx := append(append([]int{}, index...), i)
			tag := f.Tag.Get("json")
			if tag == "-" {
				continue
			}
			name, opts, _ := strings.Cut(tag, ",")
			if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
				walk(f.Type, idx)
				continue
			}
			if !f.IsExported() {
				continue
			}
			if name == "" {
				name = f.Name
			}
			if seen[name] {
				continue // the shallower field wins, as in encoding/json
			}
			seen[name] = true
			p.fields = append(p.fields, fieldPlan{
				name: name, key: ast.InternedTerm(name), index: idx,
				omitEmpty: strings.Contains(","+opts+",", ",omitempty,"),
			})
		}
	}
	walk(t, nil)
	// Object keys sorted once here, so objects are built in key order.
	sort.Slice(p.fields, func(i, j int) bool { return p.fields[i].name < p.fields[j].name })
	actual, _ := plans.LoadOrStore(t, p)
	return actual.(*structPlan)
}

// keyable reports whether appendKey spells every value of a struct type:
// its fields are scalars, string lists or such structs.
func keyable(t reflect.Type) bool {
	for i := range t.NumField() {
		switch f := t.Field(i).Type; f.Kind() {
		case reflect.Struct:
			if !keyable(f) {
				return false
			}
		case reflect.Slice:
			if f.Elem().Kind() != reflect.String {
				return false
			}
		case reflect.Array, reflect.Pointer, reflect.Map, reflect.Interface, reflect.Func, reflect.Chan, reflect.UnsafePointer, reflect.Complex64, reflect.Complex128:
			return false
		}
	}
	return true
}

// appendKey spells v, of a keyable type, so that two values have the same
// key exactly when they are equal (strings are length-prefixed, and a nil
// list differs from an empty one, as null differs from []).
func appendKey(b []byte, v reflect.Value) []byte {
	switch v.Kind() {
	case reflect.String:
		b = strconv.AppendInt(b, int64(v.Len()), 10)
		b = append(b, ':')
		return append(b, v.String()...)
	case reflect.Bool:
		if v.Bool() {
			return append(b, 't')
		}
		return append(b, 'f')
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return append(strconv.AppendInt(b, v.Int(), 10), ';')
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return append(strconv.AppendUint(b, v.Uint(), 10), ';')
	case reflect.Float32, reflect.Float64:
		return append(strconv.AppendFloat(b, v.Float(), 'g', -1, 64), ';')
	case reflect.Slice:
		if v.IsNil() {
			return append(b, 'n')
		}
		b = strconv.AppendInt(append(b, '['), int64(v.Len()), 10)
		for i := range v.Len() {
			b = appendKey(append(b, ','), v.Index(i))
		}
		return append(b, ']')
	case reflect.Struct:
		b = append(b, '{')
		for i := range v.NumField() {
			b = appendKey(b, v.Field(i))
		}
		return append(b, '}')
	}
	return b
}

// flat reports whether a type holds no pointers, slices, maps or
// interfaces, at any depth.
func flat(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Struct:
		for i := range t.NumField() {
			if !flat(t.Field(i).Type) {
				return false
			}
		}
		return true
	case reflect.Array:
		return flat(t.Elem())
	case reflect.Pointer, reflect.Slice, reflect.Map, reflect.Interface, reflect.Func, reflect.Chan, reflect.UnsafePointer:
		return false
	}
	return true
}

func (c *converter) str(s string) *ast.Term {
	if t, ok := c.strings[s]; ok {
		return t
	}
	t := ast.StringTerm(s)
	c.strings[s] = t
	return t
}

// term converts v; ok is false for values encoding/json would write as
// null (nil pointers, slices and maps).
func (c *converter) term(v reflect.Value) (*ast.Term, error) {
	switch v.Kind() {
	case reflect.String:
		return c.str(v.String()), nil
	case reflect.Bool:
		return ast.InternedTerm(v.Bool()), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return ast.InternedTerm(int(v.Int())), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return ast.NumberTerm(json.Number(strconv.FormatUint(v.Uint(), 10))), nil
	case reflect.Float32, reflect.Float64:
		return ast.NumberTerm(json.Number(strconv.FormatFloat(v.Float(), 'g', -1, 64))), nil
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return ast.NullTerm(), nil
		}
		return c.term(v.Elem())
	case reflect.Slice:
		if v.Type() == rawMessageType {
			return c.rawJSON(v.Bytes())
		}
		if v.IsNil() {
			return ast.NullTerm(), nil
		}
		if v.Type().Elem().Kind() == reflect.String {
			return c.stringList(v), nil
		}
		fallthrough
	case reflect.Array:
		terms := make([]*ast.Term, v.Len())
		for i := range terms {
			t, err := c.term(v.Index(i))
			if err != nil {
				return nil, err
			}
			terms[i] = t
		}
		return ast.NewTerm(ast.NewArray(terms...)), nil
	case reflect.Map:
		if v.IsNil() {
			return ast.NullTerm(), nil
		}
		if v.Type().Key().Kind() != reflect.String {
			return nil, fmt.Errorf("convert %s: map keys must be strings", v.Type())
		}
		pairs := make([][2]*ast.Term, 0, v.Len())
		iter := v.MapRange()
		for iter.Next() {
			val, err := c.term(iter.Value())
			if err != nil {
				return nil, err
			}
			pairs = append(pairs, [2]*ast.Term{c.str(iter.Key().String()), val})
		}
		return ast.NewTerm(ast.NewObject(pairs...)), nil
	case reflect.Struct:
		p := planFor(v.Type())
		var key any
		var byKey map[string]*ast.Term
		var k string
		if p.shareable {
			key = v.Interface()
			if t, ok := c.values[key]; ok {
				return t, nil
			}
		} else if p.keyable {
			c.key = appendKey(c.key[:0], v)
			byKey = c.keyed[v.Type()]
			if byKey == nil {
				byKey = map[string]*ast.Term{}
				c.keyed[v.Type()] = byKey
			}
			// Looked up without copying the key; copied only to store it
			// (the fields' conversion below reuses the scratch).
			if t, ok := byKey[string(c.key)]; ok {
				return t, nil
			}
			k = string(c.key)
		}
		pairs := make([][2]*ast.Term, 0, len(p.fields))
		for _, f := range p.fields {
			if c.fields != nil && !c.fields[f.name] {
				continue
			}
			fv := v.FieldByIndex(f.index)
			if f.omitEmpty && isEmpty(fv) {
				continue
			}
			t, err := c.term(fv)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", f.name, err)
			}
			pairs = append(pairs, [2]*ast.Term{f.key, t})
		}
		t := ast.NewTerm(ast.NewObject(pairs...))
		if p.shareable {
			c.values[key] = t
		} else if p.keyable {
			byKey[k] = t
		}
		return t, nil
	}
	return nil, fmt.Errorf("convert: unsupported %s", v.Type())
}

// stringList converts a []string; equal lists (the actions of access
// flows: a few dozen distinct lists over thousands of flows) share a term.
func (c *converter) stringList(v reflect.Value) *ast.Term {
	var key strings.Builder
	for i := range v.Len() {
		key.WriteString(v.Index(i).String())
		key.WriteByte(0)
	}
	k := key.String()
	if t, ok := c.lists[k]; ok {
		return t
	}
	terms := make([]*ast.Term, v.Len())
	for i := range terms {
		terms[i] = c.str(v.Index(i).String())
	}
	t := ast.NewTerm(ast.NewArray(terms...))
	c.lists[k] = t
	return t
}

// rawJSON parses an embedded JSON document (a policy); identical documents
// (the same trust policy on many roles) are parsed once.
func (c *converter) rawJSON(b []byte) (*ast.Term, error) {
	if len(b) == 0 {
		return ast.NullTerm(), nil
	}
	if t, ok := c.raw[string(b)]; ok {
		return t, nil
	}
	v, err := ast.ValueFromReader(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("embedded JSON: %w", err)
	}
	t := ast.NewTerm(v)
	c.raw[string(b)] = t
	return t, nil
}

// isEmpty is encoding/json's omitempty test.
func isEmpty(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool:
		return !v.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int() == 0
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return v.Uint() == 0
	case reflect.Float32, reflect.Float64:
		return v.Float() == 0
	case reflect.Pointer, reflect.Interface:
		return v.IsNil()
	}
	return false
}

package loc

import "reflect"

// All returns every span in v — through pointers, slices, arrays, maps and
// exported struct fields, at any depth — so that a check can hold for each
// position a whole result carries (fuzz targets assert they are Valid).
func All(v any) []Span {
	var out []Span
	collect(reflect.ValueOf(v), &out, 0)
	return out
}

func collect(v reflect.Value, out *[]Span, depth int) {
	if depth > 64 || !v.IsValid() {
		return
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			collect(v.Elem(), out, depth+1)
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			collect(v.Index(i), out, depth+1)
		}
	case reflect.Map:
		for it := v.MapRange(); it.Next(); {
			collect(it.Value(), out, depth+1)
		}
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[Span]() {
			*out = append(*out, v.Interface().(Span))
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				collect(v.Field(i), out, depth+1)
			}
		}
	}
}

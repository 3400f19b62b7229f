package inventory

import (
	"path"
	"reflect"
)

// Rebase prefixes every relative source file named in inv (items, policies,
// triggers, unknowns, diagnostics) with dir, a slash path. Inventories of
// several Terraform directories name their files relative to each
// directory; before they are merged, rebasing them on the directories given
// keeps "main.tf" of one apart from "main.tf" of another.
func Rebase(inv *Inventory, dir string) {
	if inv == nil || dir == "" || dir == "." {
		return
	}
	rebaseValue(reflect.ValueOf(inv).Elem(), dir)
}

var stringType = reflect.TypeOf("")

func rebaseValue(v reflect.Value, dir string) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			rebaseValue(v.Elem(), dir)
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			rebaseValue(v.Index(i), dir)
		}
	case reflect.Map:
		// Map values are not addressable: rebase a copy and store it back.
		it := v.MapRange()
		for it.Next() {
			e := reflect.New(it.Value().Type()).Elem()
			e.Set(it.Value())
			rebaseValue(e, dir)
			v.SetMapIndex(it.Key(), e)
		}
	case reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			fv := v.Field(i)
			if f.Name == "File" && f.Type == stringType {
				if s := fv.String(); s != "" && !path.IsAbs(s) {
					fv.SetString(path.Join(dir, s))
				}
				continue
			}
			rebaseValue(fv, dir)
		}
	}
}

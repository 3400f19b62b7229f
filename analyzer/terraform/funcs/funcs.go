// Package funcs is Terraform's built-in function table for the HCL
// evaluator: go-cty's stdlib where its behaviour is Terraform's, and the
// functions Terraform adds (file, templatefile, path and encoding helpers,
// Terraform's own length, coalesce and replace …). Functions whose result
// only exists at apply time (timestamp, uuid, bcrypt …) return unknown
// values with a reason instead of an invented literal.
//
// Pipeline place: used by the Terraform evaluator (package eval) for every
// expression it evaluates; it reads files below the root module directory.
package funcs

import (
	"bytes"
	"compress/gzip"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io/fs"
	"math/big"
	"net/url"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/tryfunc"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"

	"github.com/lambdacheck/lambdacheck/analyzer/confine"
	"github.com/lambdacheck/lambdacheck/analyzer/hclnesting"
	"github.com/lambdacheck/lambdacheck/analyzer/terraform/reason"
)

// MaxFileSize bounds what file() and friends read.
const MaxFileSize = confine.MaxFileSize

// Files says how the file functions read: through Root (nil confines to
// nothing but still reads only bounded regular files), telling OnRead
// (when set) the name and content of every file read, so the evaluator can
// keep contents out of diagnostics.
type Files struct {
	Root   *confine.Root
	OnRead func(name string, content []byte)
}

// TableWith returns Terraform's functions with relative paths resolved
// against baseDir, the root module directory (Terraform's working
// directory); the file functions read through files.
func TableWith(baseDir string, files Files) map[string]function.Function {
	fr := &fileReader{baseDir: baseDir, files: files}
	t := map[string]function.Function{
		"abs":              stdlib.AbsoluteFunc,
		"alltrue":          allTrueFunc,
		"anytrue":          anyTrueFunc,
		"base64decode":     base64DecodeFunc,
		"base64encode":     base64EncodeFunc,
		"base64gzip":       base64GzipFunc,
		"base64sha256":     hashFunc(sha256.New, true),
		"base64sha512":     hashFunc(sha512.New, true),
		"bcrypt":           applyTimeFunc("bcrypt", "a bcrypt hash uses a random salt chosen when Terraform runs", cty.String, 1),
		"can":              tryfunc.CanFunc,
		"ceil":             stdlib.CeilFunc,
		"chomp":            stdlib.ChompFunc,
		"chunklist":        stdlib.ChunklistFunc,
		"cidrhost":         cidrHostFunc,
		"cidrnetmask":      cidrNetmaskFunc,
		"cidrsubnet":       cidrSubnetFunc,
		"cidrsubnets":      cidrSubnetsFunc,
		"coalesce":         coalesceFunc,
		"coalescelist":     stdlib.CoalesceListFunc,
		"compact":          stdlib.CompactFunc,
		"concat":           stdlib.ConcatFunc,
		"contains":         stdlib.ContainsFunc,
		"csvdecode":        stdlib.CSVDecodeFunc,
		"distinct":         stdlib.DistinctFunc,
		"element":          stdlib.ElementFunc,
		"endswith":         endsWithFunc,
		"flatten":          stdlib.FlattenFunc,
		"floor":            stdlib.FloorFunc,
		"format":           stdlib.FormatFunc,
		"formatdate":       stdlib.FormatDateFunc,
		"formatlist":       stdlib.FormatListFunc,
		"indent":           stdlib.IndentFunc,
		"index":            stdlib.IndexFunc,
		"join":             stdlib.JoinFunc,
		"jsondecode":       stdlib.JSONDecodeFunc,
		"jsonencode":       stdlib.JSONEncodeFunc,
		"keys":             stdlib.KeysFunc,
		"length":           lengthFunc,
		"log":              stdlib.LogFunc,
		"lookup":           lookupFunc,
		"lower":            stdlib.LowerFunc,
		"matchkeys":        matchKeysFunc,
		"max":              stdlib.MaxFunc,
		"md5":              hashFunc(md5.New, false),
		"merge":            stdlib.MergeFunc,
		"min":              stdlib.MinFunc,
		"nonsensitive":     identityFunc,
		"one":              oneFunc,
		"parseint":         stdlib.ParseIntFunc,
		"plantimestamp":    applyTimeFunc("plantimestamp", "the plan time is only known when Terraform runs", cty.String, 0),
		"pow":              stdlib.PowFunc,
		"range":            stdlib.RangeFunc,
		"regex":            stdlib.RegexFunc,
		"regexall":         stdlib.RegexAllFunc,
		"replace":          replaceFunc,
		"reverse":          stdlib.ReverseListFunc,
		"rsadecrypt":       applyTimeFunc("rsadecrypt", "decrypting needs the private key", cty.String, 2),
		"sensitive":        identityFunc,
		"issensitive":      isSensitiveFunc,
		"ephemeralasnull":  identityFunc,
		"setintersection":  stdlib.SetIntersectionFunc,
		"setproduct":       stdlib.SetProductFunc,
		"setsubtract":      stdlib.SetSubtractFunc,
		"setunion":         stdlib.SetUnionFunc,
		"sha1":             hashFunc(sha1.New, false),
		"sha256":           hashFunc(sha256.New, false),
		"sha512":           hashFunc(sha512.New, false),
		"signum":           stdlib.SignumFunc,
		"slice":            stdlib.SliceFunc,
		"sort":             stdlib.SortFunc,
		"split":            stdlib.SplitFunc,
		"startswith":       startsWithFunc,
		"strcontains":      strContainsFunc,
		"strrev":           stdlib.ReverseFunc,
		"substr":           stdlib.SubstrFunc,
		"sum":              sumFunc,
		"textdecodebase64": textDecodeBase64Func,
		"textencodebase64": textEncodeBase64Func,
		"timeadd":          stdlib.TimeAddFunc,
		"timecmp":          timeCmpFunc,
		"timestamp":        applyTimeFunc("timestamp", "the current time is only known when Terraform applies", cty.String, 0),
		"title":            stdlib.TitleFunc,
		"tobool":           stdlib.MakeToFunc(cty.Bool),
		"tolist":           stdlib.MakeToFunc(cty.List(cty.DynamicPseudoType)),
		"tomap":            stdlib.MakeToFunc(cty.Map(cty.DynamicPseudoType)),
		"tonumber":         stdlib.MakeToFunc(cty.Number),
		"toset":            stdlib.MakeToFunc(cty.Set(cty.DynamicPseudoType)),
		"tostring":         stdlib.MakeToFunc(cty.String),
		"transpose":        transposeFunc,
		"trim":             stdlib.TrimFunc,
		"trimprefix":       stdlib.TrimPrefixFunc,
		"trimspace":        stdlib.TrimSpaceFunc,
		"trimsuffix":       stdlib.TrimSuffixFunc,
		"try":              tryfunc.TryFunc,
		"upper":            stdlib.UpperFunc,
		"urlencode":        urlEncodeFunc,
		"uuid":             applyTimeFunc("uuid", "a random UUID is chosen when Terraform runs", cty.String, 0),
		"uuidv5":           uuidV5Func,
		"values":           stdlib.ValuesFunc,
		"yamldecode":       applyTimeFunc("yamldecode", "YAML decoding is not supported by lambdacheck", cty.DynamicPseudoType, 1),
		"yamlencode":       applyTimeFunc("yamlencode", "YAML encoding is not supported by lambdacheck", cty.String, 1),
		"zipmap":           stdlib.ZipmapFunc,

		"abspath":          pathFunc(func(p string) (string, error) { return abs(baseDir, p), nil }),
		"basename":         pathFunc(func(p string) (string, error) { return filepath.Base(p), nil }),
		"dirname":          pathFunc(func(p string) (string, error) { return filepath.Dir(p), nil }),
		"pathexpand":       pathFunc(func(p string) (string, error) { return p, nil }),
		"file":             fileFunc(fr, readText),
		"filebase64":       fileFunc(fr, func(b []byte) (cty.Value, error) { return cty.StringVal(base64.StdEncoding.EncodeToString(b)), nil }),
		"filemd5":          fileFunc(fr, fileHash(md5.New, false)),
		"filesha1":         fileFunc(fr, fileHash(sha1.New, false)),
		"filesha256":       fileFunc(fr, fileHash(sha256.New, false)),
		"filesha512":       fileFunc(fr, fileHash(sha512.New, false)),
		"filebase64sha256": fileFunc(fr, fileHash(sha256.New, true)),
		"filebase64sha512": fileFunc(fr, fileHash(sha512.New, true)),
		"fileexists":       fileExistsFunc(fr),
		"fileset":          fileSetFunc(fr),
	}
	withBudgets(t)
	// templatefile and templatestring evaluate templates with every other
	// function, but Terraform forbids them from calling themselves.
	inner := make(map[string]function.Function, len(t))
	for k, v := range t {
		inner[k] = v
	}
	t["templatefile"] = templateFileFunc(fr, inner)
	t["templatestring"] = templateStringFunc(inner)
	return t
}

func abs(baseDir, p string) string {
	if !filepath.IsAbs(p) {
		p = filepath.Join(baseDir, p)
	}
	return filepath.ToSlash(filepath.Clean(p))
}

var identityFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "value", Type: cty.DynamicPseudoType, AllowUnknown: true, AllowNull: true, AllowMarked: true, AllowDynamicType: true}},
	Type:   function.StaticReturnType(cty.DynamicPseudoType),
	Impl:   func(args []cty.Value, _ cty.Type) (cty.Value, error) { return args[0], nil },
})

var isSensitiveFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "value", Type: cty.DynamicPseudoType, AllowUnknown: true, AllowNull: true, AllowDynamicType: true}},
	Type:   function.StaticReturnType(cty.Bool),
	Impl:   func([]cty.Value, cty.Type) (cty.Value, error) { return cty.False, nil },
})

// applyTimeFunc is a function whose value Terraform only learns when it
// runs; it always returns an unknown value carrying why.
func applyTimeFunc(name, why string, ret cty.Type, nargs int) function.Function {
	params := make([]function.Parameter, nargs)
	for i := range params {
		params[i] = function.Parameter{Name: fmt.Sprintf("arg%d", i), Type: cty.DynamicPseudoType, AllowUnknown: true, AllowNull: true, AllowDynamicType: true}
	}
	return function.New(&function.Spec{
		Params:   params,
		VarParam: &function.Parameter{Name: "more", Type: cty.DynamicPseudoType, AllowUnknown: true, AllowNull: true, AllowDynamicType: true},
		Type:     function.StaticReturnType(ret),
		Impl: func([]cty.Value, cty.Type) (cty.Value, error) {
			return reason.Unknown(ret, name+"(): "+why, hcl.Range{}), nil
		},
	})
}

// lengthFunc is Terraform's length: collections, and strings counted in
// grapheme clusters.
var lengthFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "value", Type: cty.DynamicPseudoType, AllowDynamicType: true, AllowUnknown: true}},
	Type: func(args []cty.Value) (cty.Type, error) {
		ty := args[0].Type()
		switch {
		case ty == cty.String || ty.IsTupleType() || ty.IsObjectType() || ty.IsListType() || ty.IsMapType() || ty.IsSetType() || ty == cty.DynamicPseudoType:
			return cty.Number, nil
		}
		return cty.Number, fmt.Errorf("argument must be a string, a collection type, or a structural type")
	},
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		v := args[0]
		ty := v.Type()
		if !v.IsKnown() || ty == cty.DynamicPseudoType {
			return cty.UnknownVal(cty.Number), nil
		}
		if v.IsNull() {
			return cty.NilVal, fmt.Errorf("argument must not be null")
		}
		switch {
		case ty == cty.String:
			return stdlib.Strlen(v)
		case ty.IsTupleType():
			return cty.NumberIntVal(int64(ty.Length())), nil
		case ty.IsObjectType():
			return cty.NumberIntVal(int64(len(ty.AttributeTypes()))), nil
		}
		return v.Length(), nil
	},
})

// coalesceFunc is Terraform's coalesce: the first argument that is neither
// null nor an empty string.
var coalesceFunc = function.New(&function.Spec{
	VarParam: &function.Parameter{Name: "vals", Type: cty.DynamicPseudoType, AllowUnknown: true, AllowDynamicType: true, AllowNull: true},
	Type: func(args []cty.Value) (cty.Type, error) {
		types := make([]cty.Type, len(args))
		for i, a := range args {
			types[i] = a.Type()
		}
		ty, _ := convert.UnifyUnsafe(types)
		if ty == cty.NilType {
			return cty.NilType, fmt.Errorf("all arguments must have the same type")
		}
		return ty, nil
	},
	Impl: func(args []cty.Value, retType cty.Type) (cty.Value, error) {
		for _, a := range args {
			if !a.IsKnown() {
				return cty.UnknownVal(retType), nil
			}
			if a.IsNull() {
				continue
			}
			conv, err := convert.Convert(a, retType)
			if err != nil {
				return cty.NilVal, err
			}
			if conv.Type() == cty.String && conv.AsString() == "" {
				continue
			}
			return conv, nil
		}
		return cty.NilVal, fmt.Errorf("no non-null, non-empty-string arguments")
	},
})

// replaceFunc is Terraform's replace: a substring wrapped in slashes is a
// regular expression.
var replaceFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "str", Type: cty.String}, {Name: "substr", Type: cty.String}, {Name: "replace", Type: cty.String}},
	Type:   function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		sub := args[1].AsString()
		if len(sub) > 1 && sub[0] == '/' && sub[len(sub)-1] == '/' {
			return stdlib.RegexReplace(args[0], cty.StringVal(sub[1:len(sub)-1]), args[2])
		}
		return cty.StringVal(strings.ReplaceAll(args[0].AsString(), sub, args[2].AsString())), nil
	},
})

func boolListFunc(any bool) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "list", Type: cty.List(cty.Bool)}},
		Type:   function.StaticReturnType(cty.Bool),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			result := !any
			for it := args[0].ElementIterator(); it.Next(); {
				_, v := it.Element()
				if !v.IsKnown() {
					return cty.UnknownVal(cty.Bool), nil
				}
				if v.IsNull() {
					if any {
						continue
					}
					return cty.False, nil
				}
				if v.True() == any {
					return cty.BoolVal(any), nil
				}
			}
			return cty.BoolVal(result), nil
		},
	})
}

var allTrueFunc = boolListFunc(false)
var anyTrueFunc = boolListFunc(true)

var sumFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "list", Type: cty.DynamicPseudoType}},
	Type:   function.StaticReturnType(cty.Number),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		v := args[0]
		if !v.CanIterateElements() || v.LengthInt() == 0 {
			return cty.NilVal, fmt.Errorf("cannot sum an empty list or a non-collection")
		}
		total := new(big.Float)
		for it := v.ElementIterator(); it.Next(); {
			_, e := it.Element()
			if !e.IsKnown() {
				return cty.UnknownVal(cty.Number), nil
			}
			n, err := convert.Convert(e, cty.Number)
			if err != nil || n.IsNull() {
				return cty.NilVal, fmt.Errorf("sum can only add numbers")
			}
			total.Add(total, n.AsBigFloat())
		}
		return cty.NumberVal(total), nil
	},
})

var oneFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "list", Type: cty.DynamicPseudoType}},
	Type: func(args []cty.Value) (cty.Type, error) {
		ty := args[0].Type()
		switch {
		case ty.IsListType() || ty.IsSetType():
			return ty.ElementType(), nil
		case ty.IsTupleType():
			switch ty.Length() {
			case 0:
				return cty.DynamicPseudoType, nil
			case 1:
				return ty.TupleElementType(0), nil
			}
			return cty.NilType, fmt.Errorf("must be a list, set, or tuple value with either zero or one elements")
		}
		return cty.NilType, fmt.Errorf("must be a list, set, or tuple value with either zero or one elements")
	},
	Impl: func(args []cty.Value, ret cty.Type) (cty.Value, error) {
		v := args[0]
		switch v.LengthInt() {
		case 0:
			return cty.NullVal(ret), nil
		case 1:
			it := v.ElementIterator()
			it.Next()
			_, e := it.Element()
			return e, nil
		}
		return cty.NilVal, fmt.Errorf("must be a list, set, or tuple value with either zero or one elements")
	},
})

func stringPairFunc(f func(a, b string) bool) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "str", Type: cty.String}, {Name: "other", Type: cty.String}},
		Type:   function.StaticReturnType(cty.Bool),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			return cty.BoolVal(f(args[0].AsString(), args[1].AsString())), nil
		},
	})
}

var startsWithFunc = stringPairFunc(strings.HasPrefix)
var endsWithFunc = stringPairFunc(strings.HasSuffix)
var strContainsFunc = stringPairFunc(strings.Contains)

var matchKeysFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "values", Type: cty.List(cty.DynamicPseudoType)},
		{Name: "keys", Type: cty.List(cty.DynamicPseudoType)}, {Name: "searchset", Type: cty.List(cty.DynamicPseudoType)}},
	Type: func(args []cty.Value) (cty.Type, error) { return args[0].Type(), nil },
	Impl: func(args []cty.Value, ret cty.Type) (cty.Value, error) {
		vals, keys, search := args[0].AsValueSlice(), args[1].AsValueSlice(), args[2].AsValueSlice()
		if len(vals) != len(keys) {
			return cty.NilVal, fmt.Errorf("length of keys and values should be equal")
		}
		var out []cty.Value
		for i, k := range keys {
			for _, s := range search {
				if eq := k.Equals(s); eq.IsKnown() && eq.True() {
					out = append(out, vals[i])
					break
				}
			}
		}
		if len(out) == 0 {
			return cty.ListValEmpty(ret.ElementType()), nil
		}
		return cty.ListVal(out), nil
	},
})

var transposeFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "values", Type: cty.Map(cty.List(cty.String))}},
	Type:   function.StaticReturnType(cty.Map(cty.List(cty.String))),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		tmp := map[string][]string{}
		for it := args[0].ElementIterator(); it.Next(); {
			k, list := it.Element()
			for li := list.ElementIterator(); li.Next(); {
				_, v := li.Element()
				tmp[v.AsString()] = append(tmp[v.AsString()], k.AsString())
			}
		}
		out := map[string]cty.Value{}
		for k, vs := range tmp {
			sort.Strings(vs)
			l := make([]cty.Value, len(vs))
			for i, v := range vs {
				l[i] = cty.StringVal(v)
			}
			out[k] = cty.ListVal(l)
		}
		if len(out) == 0 {
			return cty.MapValEmpty(cty.List(cty.String)), nil
		}
		return cty.MapVal(out), nil
	},
})

func stringFunc(f func(string) (string, error)) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "str", Type: cty.String}},
		Type:   function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			s, err := f(args[0].AsString())
			if err != nil {
				return cty.NilVal, err
			}
			return cty.StringVal(s), nil
		},
	})
}

var base64EncodeFunc = stringFunc(func(s string) (string, error) { return base64.StdEncoding.EncodeToString([]byte(s)), nil })
var base64DecodeFunc = stringFunc(func(s string) (string, error) {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return "", fmt.Errorf("failed to decode base64 data %q", s)
	}
	if !utf8.Valid(b) {
		return "", fmt.Errorf("the result of decoding the provided string is not valid UTF-8")
	}
	return string(b), nil
})
var base64GzipFunc = stringFunc(func(s string) (string, error) {
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	if _, err := w.Write([]byte(s)); err != nil {
		return "", err
	}
	if err := w.Close(); err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(buf.Bytes()), nil
})
var urlEncodeFunc = stringFunc(func(s string) (string, error) { return url.QueryEscape(s), nil })

func pathFunc(f func(string) (string, error)) function.Function { return stringFunc(f) }

func hashFunc(h func() hash.Hash, b64 bool) function.Function {
	return stringFunc(func(s string) (string, error) {
		return digest(h, []byte(s), b64), nil
	})
}

func digest(h func() hash.Hash, data []byte, b64 bool) string {
	hh := h()
	hh.Write(data)
	sum := hh.Sum(nil)
	if b64 {
		return base64.StdEncoding.EncodeToString(sum)
	}
	return hex.EncodeToString(sum)
}

func fileHash(h func() hash.Hash, b64 bool) func([]byte) (cty.Value, error) {
	return func(b []byte) (cty.Value, error) { return cty.StringVal(digest(h, b, b64)), nil }
}

func readText(b []byte) (cty.Value, error) {
	if !utf8.Valid(b) {
		return cty.NilVal, fmt.Errorf("contents of the file are not valid UTF-8; use the filebase64 function to obtain the Base64 encoded contents or the other file functions (e.g. filemd5, filesha256) to obtain file hashing results instead")
	}
	return cty.StringVal(string(b)), nil
}

// MissingFileError is the error of a file function (file, filebase64,
// the file hashes, templatefile) whose file does not exist. Terraform fails
// the same way; the evaluator tells it from other errors because such a
// file is often a build artifact made before terraform apply (a zip whose
// hash is source_code_hash), so what was read from it is unknown, not wrong.
type MissingFileError struct {
	Name string // as written in the call
	Rel  string // slash-separated, relative to the root module directory
}

func (e *MissingFileError) Error() string {
	return fmt.Sprintf("no file exists at %q; this function works only with files that are distributed as part of the configuration source code, so if this file will be created by a resource in this configuration you must instead obtain this result from an attribute of that resource", e.Name)
}

// fileReader reads the files the functions name, relative to baseDir.
type fileReader struct {
	baseDir string
	files   Files
}

func (r *fileReader) read(name string) ([]byte, error) {
	p := abs(r.baseDir, name)
	b, err := r.files.Root.ReadFile(p)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			rel, rerr := filepath.Rel(filepath.FromSlash(abs(r.baseDir, ".")), filepath.FromSlash(p))
			if rerr != nil {
				rel = p
			}
			return nil, &MissingFileError{Name: name, Rel: filepath.ToSlash(rel)}
		}
		if confine.Refused(err) {
			return nil, confine.Named(err, name)
		}
		return nil, fmt.Errorf("failed to read file %q: %w", name, err)
	}
	if r.files.OnRead != nil {
		r.files.OnRead(name, b)
	}
	return b, nil
}

func fileFunc(r *fileReader, conv func([]byte) (cty.Value, error)) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "path", Type: cty.String}},
		Type:   function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			b, err := r.read(args[0].AsString())
			if err != nil {
				return cty.NilVal, err
			}
			return conv(b)
		},
	})
}

func fileExistsFunc(r *fileReader) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "path", Type: cty.String}},
		Type:   function.StaticReturnType(cty.Bool),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			info, err := r.files.Root.Stat(abs(r.baseDir, args[0].AsString()))
			if err != nil {
				if errors.Is(err, fs.ErrNotExist) {
					return cty.False, nil
				}
				return cty.NilVal, confine.Named(err, args[0].AsString())
			}
			if !info.Mode().IsRegular() {
				return cty.NilVal, fmt.Errorf("%q is not a regular file", args[0].AsString())
			}
			return cty.True, nil
		},
	})
}

// fileSetFunc is fileset(path, pattern); "**" patterns are not supported and
// give an unknown set rather than a wrong one.
func fileSetFunc(r *fileReader) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "path", Type: cty.String}, {Name: "pattern", Type: cty.String}},
		Type:   function.StaticReturnType(cty.Set(cty.String)),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			dir, pattern := args[0].AsString(), args[1].AsString()
			if strings.Contains(pattern, "**") {
				return reason.Unknown(cty.Set(cty.String), "fileset(): \"**\" patterns are not supported by lambdacheck", hcl.Range{}), nil
			}
			root := abs(r.baseDir, dir)
			if _, err := r.files.Root.Resolve(root); err != nil && confine.Refused(err) {
				return cty.NilVal, confine.Named(err, dir)
			}
			matches, err := filepath.Glob(filepath.Join(root, pattern))
			if err != nil {
				return cty.NilVal, fmt.Errorf("failed to glob pattern %q: %w", pattern, err)
			}
			var out []cty.Value
			for _, m := range matches {
				// Entries that resolve outside the root are left out, as a
				// file() of them would be refused.
				if info, err := r.files.Root.Stat(m); err != nil || !info.Mode().IsRegular() {
					continue
				}
				rel, err := filepath.Rel(root, m)
				if err != nil {
					continue
				}
				out = append(out, cty.StringVal(filepath.ToSlash(rel)))
			}
			if len(out) == 0 {
				return cty.SetValEmpty(cty.String), nil
			}
			return cty.SetVal(out), nil
		},
	})
}

func templateFileFunc(r *fileReader, fns map[string]function.Function) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "path", Type: cty.String},
			{Name: "vars", Type: cty.DynamicPseudoType, AllowUnknown: true, AllowDynamicType: true}},
		Type: function.StaticReturnType(cty.DynamicPseudoType),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			name := args[0].AsString()
			src, err := r.read(name)
			if err != nil {
				return cty.NilVal, err
			}
			if !utf8.Valid(src) {
				return cty.NilVal, fmt.Errorf("contents of %s are not valid UTF-8", name)
			}
			return renderTemplate(src, name, args[1], fns)
		},
	})
}

func templateStringFunc(fns map[string]function.Function) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "template", Type: cty.String},
			{Name: "vars", Type: cty.DynamicPseudoType, AllowUnknown: true, AllowDynamicType: true}},
		Type: function.StaticReturnType(cty.DynamicPseudoType),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			return renderTemplate([]byte(args[0].AsString()), "<templatestring>", args[1], fns)
		},
	})
}

// renderTemplate evaluates a template with only vars in scope, as
// templatefile does, returning the template's own result type (a template
// that is a single interpolation keeps its value's type).
func renderTemplate(src []byte, name string, vars cty.Value, fns map[string]function.Function) (cty.Value, error) {
	// A template nested deeper than the parser can recurse would exhaust
	// the stack: a hostile template file must be an error, not a crash.
	if diags := hclnesting.CheckTemplate(src, name); diags.HasErrors() {
		return cty.NilVal, diags
	}
	expr, diags := hclsyntax.ParseTemplate(src, name, hcl.InitialPos)
	if diags.HasErrors() {
		return cty.NilVal, diags
	}
	if !vars.IsKnown() {
		return cty.DynamicVal, nil
	}
	if vars.IsNull() || !(vars.Type().IsObjectType() || vars.Type().IsMapType()) {
		return cty.NilVal, fmt.Errorf("invalid vars value: must be a map")
	}
	ctx := &hcl.EvalContext{Variables: map[string]cty.Value{}, Functions: fns}
	for it := vars.ElementIterator(); it.Next(); {
		k, v := it.Element()
		if !hclsyntax.ValidIdentifier(k.AsString()) {
			return cty.NilVal, fmt.Errorf("invalid template variable name %q: must start with a letter, followed by zero or more letters, digits, and underscores", k.AsString())
		}
		ctx.Variables[k.AsString()] = v
	}
	for _, t := range expr.Variables() {
		if _, ok := ctx.Variables[t.RootName()]; !ok {
			return cty.NilVal, fmt.Errorf("%s:%d,%d: vars map does not contain key %q, referenced at this position", name, t.SourceRange().Start.Line, t.SourceRange().Start.Column, t.RootName())
		}
	}
	v, diags := expr.Value(ctx)
	if diags.HasErrors() {
		return cty.NilVal, diags
	}
	return v, nil
}

var textEncodeBase64Func = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "string", Type: cty.String}, {Name: "encoding", Type: cty.String}},
	Type:   function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		switch strings.ToUpper(args[1].AsString()) {
		case "UTF-8", "UTF8":
			return cty.StringVal(base64.StdEncoding.EncodeToString([]byte(args[0].AsString()))), nil
		}
		return reason.Unknown(cty.String, "textencodebase64(): only UTF-8 is supported by lambdacheck", hcl.Range{}), nil
	},
})

var textDecodeBase64Func = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "source", Type: cty.String}, {Name: "encoding", Type: cty.String}},
	Type:   function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		switch strings.ToUpper(args[1].AsString()) {
		case "UTF-8", "UTF8":
			return base64DecodeFunc.Call([]cty.Value{args[0]})
		}
		return reason.Unknown(cty.String, "textdecodebase64(): only UTF-8 is supported by lambdacheck", hcl.Range{}), nil
	},
})

var timeCmpFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "a", Type: cty.String}, {Name: "b", Type: cty.String}},
	Type:   function.StaticReturnType(cty.Number),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		ta, err := parseTime(args[0].AsString())
		if err != nil {
			return cty.NilVal, err
		}
		tb, err := parseTime(args[1].AsString())
		if err != nil {
			return cty.NilVal, err
		}
		return cty.NumberIntVal(int64(ta.Compare(tb))), nil
	},
})

var uuidV5Func = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "namespace", Type: cty.String}, {Name: "name", Type: cty.String}},
	Type:   function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		ns, err := uuidNamespace(args[0].AsString())
		if err != nil {
			return cty.NilVal, err
		}
		return cty.StringVal(uuidV5(ns, args[1].AsString())), nil
	},
})

package funcs

import (
	"fmt"
	"math/big"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// Budgets for functions whose result can grow far beyond their input:
// a configuration from a pull request must not exhaust the runner.
const (
	// MaxElements bounds the collections range, setproduct and formatlist
	// may build.
	MaxElements = 100000
	// MaxDecodeBytes bounds the text jsondecode and the regex functions
	// read.
	MaxDecodeBytes = 1 << 20
)

// budgeted returns fn with check run on its arguments first; a check
// error is the function's error, which the evaluator reports at the call.
func budgeted(fn function.Function, check func(args []cty.Value) error) function.Function {
	return function.New(&function.Spec{
		Description: fn.Description(),
		Params:      fn.Params(),
		VarParam:    fn.VarParam(),
		Type: func(args []cty.Value) (cty.Type, error) {
			// Some functions (jsondecode) do their work to learn the type.
			if err := check(args); err != nil {
				return cty.NilType, err
			}
			return fn.ReturnTypeForValues(args)
		},
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			if err := check(args); err != nil {
				return cty.NilVal, err
			}
			return fn.Call(args)
		},
	})
}

func tooMany(name string, n *big.Float) error {
	return fmt.Errorf("%s would build %s elements, more than lambdacheck's limit of %d", name, n.Text('g', 6), MaxElements)
}

// rangeCheck refuses a range(args...) that would yield too many numbers.
func rangeCheck(args []cty.Value) error {
	nums := make([]*big.Float, 0, 3)
	for _, a := range args {
		if !a.IsKnown() || a.IsNull() || a.Type() != cty.Number {
			return nil // the function reports it
		}
		nums = append(nums, a.AsBigFloat())
	}
	start, end, step := big.NewFloat(0), big.NewFloat(0), big.NewFloat(1)
	switch len(nums) {
	case 1:
		end = nums[0]
	case 2:
		start, end = nums[0], nums[1]
	case 3:
		start, end, step = nums[0], nums[1], nums[2]
	default:
		return nil
	}
	if step.Sign() == 0 {
		return nil
	}
	n := new(big.Float).Quo(new(big.Float).Sub(end, start), step)
	if n.Cmp(big.NewFloat(MaxElements)) > 0 {
		return tooMany("range", n)
	}
	return nil
}

func productCheck(args []cty.Value) error {
	n := big.NewFloat(1)
	for _, a := range args {
		if !a.IsKnown() || a.IsNull() || !a.CanIterateElements() {
			return nil
		}
		n.Mul(n, big.NewFloat(float64(a.LengthInt())))
	}
	if n.Cmp(big.NewFloat(MaxElements)) > 0 {
		return tooMany("setproduct", n)
	}
	return nil
}

func listLengthCheck(name string) func([]cty.Value) error {
	return func(args []cty.Value) error {
		for _, a := range args {
			if a.IsKnown() && !a.IsNull() && a.CanIterateElements() && a.LengthInt() > MaxElements {
				return tooMany(name, big.NewFloat(float64(a.LengthInt())))
			}
		}
		return nil
	}
}

func textSizeCheck(name string) func([]cty.Value) error {
	return func(args []cty.Value) error {
		for _, a := range args {
			if a.IsKnown() && !a.IsNull() && a.Type() == cty.String && len(a.AsString()) > MaxDecodeBytes {
				return fmt.Errorf("%s of %d bytes of text: more than lambdacheck's limit of %d", name, len(a.AsString()), MaxDecodeBytes)
			}
		}
		return nil
	}
}

// withBudgets wraps the functions of t that can build huge results.
func withBudgets(t map[string]function.Function) {
	wrap := map[string]func([]cty.Value) error{
		"range":      rangeCheck,
		"setproduct": productCheck,
		"formatlist": listLengthCheck("formatlist"),
		"jsondecode": textSizeCheck("jsondecode"),
		"regex":      textSizeCheck("regex"),
		"regexall":   textSizeCheck("regexall"),
		"replace":    textSizeCheck("replace"),
	}
	for name, check := range wrap {
		if fn, ok := t[name]; ok {
			t[name] = budgeted(fn, check)
		}
	}
}

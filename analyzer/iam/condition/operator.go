package condition

import (
	"fmt"
	"strings"
)

// family is the kind of comparison an operator makes.
type family uint8

const (
	famString family = iota
	famNumeric
	famDate
	famBool
	famBinary
	famIP
	famARN
	famNull
)

// cmp is the relation a Numeric or Date operator tests.
type cmp uint8

const (
	cmpEq cmp = iota
	cmpLt
	cmpLe
	cmpGt
	cmpGe
)

type setOp uint8

const (
	setNone setOp = iota
	setForAll
	setForAny
)

// opInfo describes a base operator (without set qualifier or IfExists).
type opInfo struct {
	fam  family
	neg  bool // negated matching: StringNotEquals, NotIpAddress, …
	cmp  cmp  // Numeric and Date
	fold bool // StringEqualsIgnoreCase and its negation
	like bool // StringLike: wildcards in policy values
}

// baseOperator looks up an operator name as AWS spells it. Names are
// case-sensitive: IAM rejects "stringEquals" with "Invalid Condition type"
// (MalformedPolicyDocument).
func baseOperator(name string) (opInfo, bool) {
	switch name {
	case "StringEquals":
		return opInfo{fam: famString}, true
	case "StringNotEquals":
		return opInfo{fam: famString, neg: true}, true
	case "StringEqualsIgnoreCase":
		return opInfo{fam: famString, fold: true}, true
	case "StringNotEqualsIgnoreCase":
		return opInfo{fam: famString, fold: true, neg: true}, true
	case "StringLike":
		return opInfo{fam: famString, like: true}, true
	case "StringNotLike":
		return opInfo{fam: famString, like: true, neg: true}, true
	case "NumericEquals":
		return opInfo{fam: famNumeric, cmp: cmpEq}, true
	case "NumericNotEquals":
		return opInfo{fam: famNumeric, cmp: cmpEq, neg: true}, true
	case "NumericLessThan":
		return opInfo{fam: famNumeric, cmp: cmpLt}, true
	case "NumericLessThanEquals":
		return opInfo{fam: famNumeric, cmp: cmpLe}, true
	case "NumericGreaterThan":
		return opInfo{fam: famNumeric, cmp: cmpGt}, true
	case "NumericGreaterThanEquals":
		return opInfo{fam: famNumeric, cmp: cmpGe}, true
	case "DateEquals":
		return opInfo{fam: famDate, cmp: cmpEq}, true
	case "DateNotEquals":
		return opInfo{fam: famDate, cmp: cmpEq, neg: true}, true
	case "DateLessThan":
		return opInfo{fam: famDate, cmp: cmpLt}, true
	case "DateLessThanEquals":
		return opInfo{fam: famDate, cmp: cmpLe}, true
	case "DateGreaterThan":
		return opInfo{fam: famDate, cmp: cmpGt}, true
	case "DateGreaterThanEquals":
		return opInfo{fam: famDate, cmp: cmpGe}, true
	case "Bool":
		return opInfo{fam: famBool}, true
	case "BinaryEquals":
		return opInfo{fam: famBinary}, true
	case "IpAddress":
		return opInfo{fam: famIP}, true
	case "NotIpAddress":
		return opInfo{fam: famIP, neg: true}, true
	case "ArnEquals", "ArnLike":
		// AWS: "The ArnEquals and ArnLike condition operators behave identically."
		return opInfo{fam: famARN, like: true}, true
	case "ArnNotEquals", "ArnNotLike":
		return opInfo{fam: famARN, like: true, neg: true}, true
	case "Null":
		return opInfo{fam: famNull}, true
	}
	return opInfo{}, false
}

// parseOperator splits "ForAnyValue:StringLikeIfExists" into its parts.
func parseOperator(name string) (opInfo, setOp, bool, error) {
	base, set := name, setNone
	if q, rest, ok := strings.Cut(name, ":"); ok {
		switch q {
		case "ForAllValues":
			set = setForAll
		case "ForAnyValue":
			set = setForAny
		default:
			return opInfo{}, 0, false, fmt.Errorf("unknown set operator %q (want ForAllValues: or ForAnyValue:)", q+":")
		}
		base = rest
		if strings.Contains(base, ":") {
			return opInfo{}, 0, false, fmt.Errorf("condition operator %q has more than one set operator", name)
		}
		if base == "" {
			return opInfo{}, 0, false, fmt.Errorf("set operator %q needs a condition operator after it", q+":")
		}
	}
	ifExists := false
	if b, ok := strings.CutSuffix(base, "IfExists"); ok {
		base, ifExists = b, true
	}
	info, ok := baseOperator(base)
	if !ok {
		if hint := caseHint(base); hint != "" {
			return opInfo{}, 0, false, fmt.Errorf("unknown condition operator %q (operator names are case-sensitive; did you mean %q?)", name, hint)
		}
		return opInfo{}, 0, false, fmt.Errorf("unknown condition operator %q", name)
	}
	if info.fam == famNull && ifExists {
		// AWS: "You can add IfExists to the end of any condition operator
		// name except the Null condition."
		return opInfo{}, 0, false, fmt.Errorf("condition operator %q: IfExists cannot be used with Null", name)
	}
	return info, set, ifExists, nil
}

// caseHint returns the correctly spelled operator that name matches when
// case is ignored, or "".
func caseHint(name string) string {
	for _, op := range operatorNames() {
		if strings.EqualFold(op, name) {
			return op
		}
	}
	return ""
}

// operatorNames lists every base operator AWS defines.
func operatorNames() []string {
	return []string{
		"StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase",
		"StringLike", "StringNotLike",
		"NumericEquals", "NumericNotEquals", "NumericLessThan", "NumericLessThanEquals",
		"NumericGreaterThan", "NumericGreaterThanEquals",
		"DateEquals", "DateNotEquals", "DateLessThan", "DateLessThanEquals",
		"DateGreaterThan", "DateGreaterThanEquals",
		"Bool", "BinaryEquals", "IpAddress", "NotIpAddress",
		"ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike", "Null",
	}
}

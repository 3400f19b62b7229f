package condition

import (
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/lambdacheck/lambdacheck/analyzer/iam/pattern"
)

// negatedOf maps each negated operator to its positive counterpart.
var negatedOf = map[string]string{
	"StringNotEquals":           "StringEquals",
	"StringNotEqualsIgnoreCase": "StringEqualsIgnoreCase",
	"StringNotLike":             "StringLike",
	"NumericNotEquals":          "NumericEquals",
	"DateNotEquals":             "DateEquals",
	"NotIpAddress":              "IpAddress",
	"ArnNotEquals":              "ArnEquals",
	"ArnNotLike":                "ArnLike",
}

// FuzzCondition compiles random clauses and checks the documented laws on
// contexts where the key is single-valued, multivalued, missing and unknown.
func FuzzCondition(f *testing.F) {
	f.Add(uint8(0), uint8(0), "aws:SourceIp", "10.0.0.0/8", "192.0.2.0/24", "10.1.2.3", "b")
	f.Add(uint8(5), uint8(1), "s3:prefix", "home/${aws:username}/*", "*", "home/alice/x", "alice")
	f.Add(uint8(14), uint8(2), "aws:CurrentTime", "2020-01-01T00:00:00Z", "1577836800", "2020-06-01", "x")
	f.Add(uint8(24), uint8(0), "aws:SourceArn", "arn:aws:s3:::b*", "*", "arn:aws:s3:::bucket", "y")
	f.Add(uint8(8), uint8(3), "k", "9007199254740993", "-1.5", "10", "z")
	f.Add(uint8(26), uint8(0), "k", "true", "false", "v", "w")
	f.Add(uint8(200), uint8(7), "k", "${", "'", "", "")
	names := operatorNames()
	f.Fuzz(func(t *testing.T, opIdx, form uint8, key, v1, v2, req, other string) {
		base := names[int(opIdx)%len(names)]
		op := base
		switch form % 8 {
		case 1:
			op = "ForAllValues:" + base
		case 2:
			op = "ForAnyValue:" + base
		case 3:
			op = base + "IfExists"
		case 7:
			op = v2 // a random operator name must fail cleanly, not panic
		}
		cl := Clause{Operator: op, Key: key, Values: []string{v1, v2}, Path: "P"}
		b, err := Compile([]Clause{cl}, vars)
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("Compile error %T is not *Error", err)
			}
			return
		}
		if strings.TrimSpace(key) == "" {
			t.Fatal("empty key accepted")
		}
		single := NewContext()
		single.Set(key, req)
		single.Set("aws:username", other)
		multiCtx := NewContext()
		multiCtx.SetMulti(key, []string{req, other})
		missing := NewContext()
		unknown := NewContext()
		unknown.SetUnknown(key)

		for _, ctx := range []*Context{single, multiCtx, missing, unknown} {
			got := b.Eval(ctx)
			ex := b.Explain(ctx)
			if len(ex) != 1 || ex[0].Result != got || ex[0].Sentence == "" {
				t.Fatalf("Explain %+v disagrees with Eval %v", ex, got)
			}
			// The Allow reading never holds where the Deny reading does not.
			if a := b.EvalAllow(ctx); a == pattern.True && got != pattern.True || a == pattern.Unknown && got == pattern.False {
				t.Fatalf("EvalAllow %v is more permissive than Eval %v", a, got)
			}
		}
		isNull := base == "Null"
		set, ifExists := form%8 == 1 || form%8 == 2, form%8 == 3
		if !isNull {
			if got := b.Eval(unknown); got != pattern.Unknown {
				t.Fatalf("%s on an unknown key = %v, want unknown", op, got)
			}
			switch got := b.Eval(missing); {
			case ifExists && got != pattern.True:
				t.Fatalf("%s on a missing key = %v, want true (IfExists)", op, got)
			case form%8 == 1 && got != pattern.True:
				t.Fatalf("%s on a missing key = %v, want true (ForAllValues)", op, got)
			case form%8 == 2 && got != pattern.False:
				t.Fatalf("%s on a missing key = %v, want false (ForAnyValue)", op, got)
			}
			if !set && b.Eval(multiCtx) != pattern.False {
				t.Fatalf("%s without a set operator on a multivalued key = %v, want false", op, b.Eval(multiCtx))
			}
		}
		// A negated operator is the negation of its positive counterpart on
		// a present single value, and true on a missing key.
		if pos, ok := negatedOf[op]; ok {
			pb, err := Compile([]Clause{{Operator: pos, Key: key, Values: cl.Values}}, vars)
			if err != nil {
				t.Fatalf("%s compiles but %s does not: %v", op, pos, err)
			}
			if got, want := b.Eval(single), pb.Eval(single).Not(); got != want {
				t.Fatalf("%s = %v but %s = %v", op, got, pos, pb.Eval(single))
			}
			if b.Eval(missing) != pattern.True {
				t.Fatalf("%s on a missing key is not true", op)
			}
		}
	})
}

// FuzzLiterals checks the date and number parsers against the standard
// library on whatever both accept, and that neither panics.
func FuzzLiterals(f *testing.F) {
	f.Add("2020-01-01T00:00:00.5+01:00", "9007199254740993")
	f.Add("1577836800", "-0.001")
	f.Add("2020", ".5")
	f.Fuzz(func(t *testing.T, date, num string) {
		if d, ok := parseDate(date); ok {
			if d.nsec < 0 || d.nsec >= 1e9 {
				t.Fatalf("parseDate(%q) nsec out of range: %d", date, d.nsec)
			}
			if want, err := time.Parse(time.RFC3339Nano, date); err == nil && (want.Unix() != d.sec || int64(want.Nanosecond()) != d.nsec) {
				t.Fatalf("parseDate(%q) = %d.%09d, time says %d.%09d", date, d.sec, d.nsec, want.Unix(), want.Nanosecond())
			}
		}
		a, okA := parseDecimal(num)
		r, okR := new(big.Rat).SetString(num)
		if !okA {
			return
		}
		if !okR {
			t.Fatalf("parseDecimal accepted %q, which is not a number", num)
		}
		for _, other := range []string{"0", "1", "-1", "0.5", "123456789012345678901234567890"} {
			b, _ := parseDecimal(other)
			o, _ := new(big.Rat).SetString(other)
			if got, want := a.compare(b), r.Cmp(o); got != want {
				t.Fatalf("compare(%q, %q) = %d, big.Rat says %d", num, other, got, want)
			}
		}
	})
}

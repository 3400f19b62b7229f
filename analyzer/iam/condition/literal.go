package condition

import (
	"encoding/base64"
	"net/netip"
	"strings"
	"time"
)

// decimal is an exact decimal number held as slices of its text, so that
// comparing request values needs no allocation and large integers (account
// ids, byte counts) keep every digit, which float64 would not.
type decimal struct {
	neg       bool
	int, frac string // int without leading zeros, frac without trailing zeros
}

// parseDecimal reads [+-]digits[.digits] (at least one digit). AWS numeric
// operators compare "an integer or decimal value".
func parseDecimal(s string) (decimal, bool) {
	var d decimal
	if s != "" && (s[0] == '-' || s[0] == '+') {
		d.neg = s[0] == '-'
		s = s[1:]
	}
	ip, fp, dot := strings.Cut(s, ".")
	if ip == "" && fp == "" || !allDigits(ip) || !allDigits(fp) || dot && strings.ContainsRune(fp, '.') {
		return decimal{}, false
	}
	d.int = strings.TrimLeft(ip, "0")
	d.frac = strings.TrimRight(fp, "0")
	if d.int == "" && d.frac == "" {
		d.neg = false // -0 is 0
	}
	return d, true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// compare returns -1, 0 or +1.
func (a decimal) compare(b decimal) int {
	if a.neg != b.neg {
		if a.neg {
			return -1
		}
		return 1
	}
	c := a.magnitude(b)
	if a.neg {
		return -c
	}
	return c
}

func (a decimal) magnitude(b decimal) int {
	if len(a.int) != len(b.int) {
		if len(a.int) < len(b.int) {
			return -1
		}
		return 1
	}
	if c := strings.Compare(a.int, b.int); c != 0 {
		return c
	}
	// Fractions without trailing zeros compare as strings: "5" > "45".
	return strings.Compare(a.frac, b.frac)
}

// instant is a point in time with nanosecond precision.
type instant struct {
	sec  int64
	nsec int64
}

func (a instant) compare(b instant) int {
	switch {
	case a.sec < b.sec || a.sec == b.sec && a.nsec < b.nsec:
		return -1
	case a == b:
		return 0
	}
	return 1
}

// parseDate reads the date forms AWS accepts for Date operators: "one of the
// W3C implementations of the ISO 8601 date formats or in epoch (UNIX) time".
// W3C forms: YYYY, YYYY-MM, YYYY-MM-DD, YYYY-MM-DDThh:mmTZD,
// YYYY-MM-DDThh:mm:ssTZD, YYYY-MM-DDThh:mm:ss.sTZD with TZD = Z or ±hh:mm.
// Leniently, TZD may be left out (UTC) or written ±hhmm or ±hh. Epoch time
// is digits, optionally signed and with a fraction; a bare four-digit
// string is read as a year (the W3C "YYYY" form), not as epoch seconds.
func parseDate(s string) (instant, bool) {
	if len(s) != 4 || !allDigits(s) {
		if t, ok := parseEpoch(s); ok {
			return t, true
		}
	}
	return parseISO(s)
}

func parseEpoch(s string) (instant, bool) {
	neg := false
	if s != "" && s[0] == '-' {
		neg, s = true, s[1:]
	}
	ip, fp, _ := strings.Cut(s, ".")
	if ip == "" || !allDigits(ip) || !allDigits(fp) || len(ip) > 12 {
		return instant{}, false // 12 digits reach year 33658
	}
	var t instant
	for i := 0; i < len(ip); i++ {
		t.sec = t.sec*10 + int64(ip[i]-'0')
	}
	t.nsec = fraction(fp)
	if neg {
		t.sec, t.nsec = -t.sec, -t.nsec
		if t.nsec < 0 {
			t.sec--
			t.nsec += 1e9
		}
	}
	return t, true
}

// fraction turns the digits after a decimal point into nanoseconds; digits
// past the ninth are dropped.
func fraction(fp string) int64 {
	var n int64
	for i := 0; i < 9; i++ {
		n *= 10
		if i < len(fp) {
			n += int64(fp[i] - '0')
		}
	}
	return n
}

func parseISO(s string) (instant, bool) {
	num := func(from, n int) (int, bool) {
		if from+n > len(s) || !allDigits(s[from:from+n]) {
			return 0, false
		}
		v := 0
		for i := from; i < from+n; i++ {
			v = v*10 + int(s[i]-'0')
		}
		return v, true
	}
	year, ok := num(0, 4)
	if !ok {
		return instant{}, false
	}
	month, day := 1, 1
	var hour, min, sec int
	var nsec int64
	i := 4
	if i < len(s) {
		if s[i] != '-' {
			return instant{}, false
		}
		if month, ok = num(i+1, 2); !ok {
			return instant{}, false
		}
		i += 3
	}
	if i < len(s) {
		if s[i] != '-' {
			return instant{}, false
		}
		if day, ok = num(i+1, 2); !ok {
			return instant{}, false
		}
		i += 3
	}
	offset := 0
	if i < len(s) {
		if s[i] != 'T' && s[i] != 't' || len(s) < i+6 || s[i+3] != ':' {
			return instant{}, false
		}
		h, ok1 := num(i+1, 2)
		m, ok2 := num(i+4, 2)
		if !ok1 || !ok2 {
			return instant{}, false
		}
		hour, min = h, m
		i += 6
		if i < len(s) && s[i] == ':' {
			if sec, ok = num(i+1, 2); !ok {
				return instant{}, false
			}
			i += 3
			if i < len(s) && s[i] == '.' {
				j := i + 1
				for j < len(s) && s[j] >= '0' && s[j] <= '9' {
					j++
				}
				if j == i+1 {
					return instant{}, false
				}
				nsec = fraction(s[i+1 : j])
				i = j
			}
		}
		if offset, ok = parseZone(s[i:]); !ok {
			return instant{}, false
		}
	}
	if month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour > 23 || min > 59 || sec > 59 {
		return instant{}, false
	}
	unix := time.Date(year, time.Month(month), day, hour, min, sec, 0, time.UTC).Unix()
	return instant{sec: unix - int64(offset), nsec: nsec}, true
}

// parseZone reads a time zone designator and returns its offset in seconds.
func parseZone(z string) (int, bool) {
	switch {
	case z == "" || z == "Z" || z == "z":
		return 0, true
	case z[0] != '+' && z[0] != '-':
		return 0, false
	}
	sign, z := z[0], z[1:]
	var hh, mm string
	switch {
	case len(z) == 5 && z[2] == ':':
		hh, mm = z[:2], z[3:]
	case len(z) == 4:
		hh, mm = z[:2], z[2:]
	case len(z) == 2:
		hh, mm = z, "00"
	default:
		return 0, false
	}
	if !allDigits(hh) || !allDigits(mm) {
		return 0, false
	}
	h := int(hh[0]-'0')*10 + int(hh[1]-'0')
	m := int(mm[0]-'0')*10 + int(mm[1]-'0')
	if h > 23 || m > 59 {
		return 0, false
	}
	off := h*3600 + m*60
	if sign == '-' {
		off = -off
	}
	return off, true
}

func daysIn(year, month int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// parsePrefix reads an IpAddress value: CIDR, or a plain address, which AWS
// takes as /32 (and which we take as /128 for IPv6). Host bits are cleared.
func parsePrefix(s string) (netip.Prefix, bool) {
	if strings.IndexByte(s, '/') >= 0 {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return netip.Prefix{}, false
		}
		return p.Masked(), true
	}
	a, err := netip.ParseAddr(s)
	if err != nil || a.Zone() != "" {
		return netip.Prefix{}, false
	}
	return netip.PrefixFrom(a, a.BitLen()), true
}

// inPrefix reports whether the request value v (an address, or a range that
// must lie wholly inside) is in p. IPv4-mapped IPv6 addresses count as IPv4.
func inPrefix(p netip.Prefix, v string) (bool, bool) {
	if strings.IndexByte(v, '/') < 0 {
		a, err := netip.ParseAddr(v)
		if err != nil {
			return false, false
		}
		return p.Contains(a.WithZone("").Unmap()), true
	}
	q, err := netip.ParsePrefix(v)
	if err != nil {
		return false, false
	}
	q = q.Masked()
	return q.Bits() >= p.Bits() && p.Contains(q.Addr()), true
}

// parseBase64 reads a BinaryEquals value: standard base64, padded or not.
func parseBase64(s string) ([]byte, bool) {
	if b, err := base64.StdEncoding.DecodeString(s); err == nil {
		return b, true
	}
	if b, err := base64.RawStdEncoding.DecodeString(s); err == nil {
		return b, true
	}
	return nil, false
}

// binaryValue is a BinaryEquals policy value in the two canonical base64
// spellings a request may carry, so that comparing needs no decoding.
type binaryValue struct{ padded, raw string }

func newBinaryValue(b []byte) binaryValue {
	return binaryValue{base64.StdEncoding.EncodeToString(b), base64.RawStdEncoding.EncodeToString(b)}
}

// equal reports whether the base64 request value v holds the same bytes.
func (b binaryValue) equal(v string) bool { return v == b.padded || v == b.raw }

// parseBool reads "true" or "false" in any case.
func parseBool(s string) (bool, bool) {
	switch {
	case strings.EqualFold(s, "true"):
		return true, true
	case strings.EqualFold(s, "false"):
		return false, true
	}
	return false, false
}

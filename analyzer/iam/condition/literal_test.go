package condition

import (
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	const y2020 = 1577836800 // 2020-01-01T00:00:00Z
	tests := []struct {
		name string
		in   string
		sec  int64
		nsec int64
		ok   bool
	}{
		{"w3c_complete_date_time_seconds", "2020-01-01T00:00:00Z", y2020, 0, true},
		{"w3c_complete_date", "2020-01-01", y2020, 0, true},
		{"w3c_year_and_month", "2020-01", y2020, 0, true},
		{"w3c_year", "2020", y2020, 0, true},
		{"w3c_hours_minutes", "2020-01-01T00:00Z", y2020, 0, true},
		{"w3c_fraction_of_second", "2020-01-01T00:00:00.123456789Z", y2020, 123456789, true},
		{"w3c_fraction_longer_than_nanoseconds_truncated", "2020-01-01T00:00:00.1234567891Z", y2020, 123456789, true},
		{"w3c_positive_offset", "2020-01-01T01:00:00+01:00", y2020, 0, true},
		{"w3c_negative_offset", "2019-12-31T19:00:00-05:00", y2020, 0, true},
		{"offset_without_colon", "2020-01-01T01:00:00+0100", y2020, 0, true},
		{"offset_hours_only", "2020-01-01T01:00:00+01", y2020, 0, true},
		{"no_zone_is_utc", "2020-01-01T00:00:00", y2020, 0, true},
		{"lowercase_t_and_z", "2020-01-01t00:00:00z", y2020, 0, true},
		{"epoch_seconds", "1577836800", y2020, 0, true},
		{"epoch_with_fraction", "1577836800.5", y2020, 500000000, true},
		{"epoch_negative", "-1", -1, 0, true},
		{"epoch_negative_fraction", "-0.5", -1, 500000000, true},
		{"epoch_zero", "0", 0, 0, true},
		{"leap_day", "2024-02-29", 1709164800, 0, true},
		{"not_leap_day", "2023-02-29", 0, 0, false},
		{"century_not_leap", "1900-02-29", 0, 0, false},
		{"month_13", "2020-13-01", 0, 0, false},
		{"month_0", "2020-00-01", 0, 0, false},
		{"day_32", "2020-01-32", 0, 0, false},
		{"hour_24", "2020-01-01T24:00:00Z", 0, 0, false},
		{"minute_60", "2020-01-01T00:60:00Z", 0, 0, false},
		{"second_60", "2020-01-01T00:00:60Z", 0, 0, false},
		{"single_digit_month", "2020-1-01", 0, 0, false},
		{"hour_without_minutes", "2020-01-01T00Z", 0, 0, false},
		{"empty_fraction", "2020-01-01T00:00:00.Z", 0, 0, false},
		{"bad_zone", "2020-01-01T00:00:00UTC", 0, 0, false},
		{"zone_hour_out_of_range", "2020-01-01T00:00:00+25:00", 0, 0, false},
		{"trailing_text", "2020-01-01junk", 0, 0, false},
		{"empty", "", 0, 0, false},
		{"words", "now", 0, 0, false},
		{"slashes", "2020/01/01", 0, 0, false},
		{"epoch_too_long", "1234567890123", 0, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := parseDate(tt.in)
			if ok != tt.ok {
				t.Fatalf("parseDate(%q) ok = %v, want %v", tt.in, ok, tt.ok)
			}
			if ok && (got.sec != tt.sec || got.nsec != tt.nsec) {
				t.Errorf("parseDate(%q) = %d.%09d, want %d.%09d", tt.in, got.sec, got.nsec, tt.sec, tt.nsec)
			}
		})
	}
}

// The date parser must agree with the standard library on RFC 3339 text.
func TestParseDateAgreesWithTimePackage(t *testing.T) {
	for _, s := range []string{"1999-12-31T23:59:59Z", "2038-01-19T03:14:08+05:30", "1970-01-01T00:00:00.000000001Z", "2400-02-29T12:00:00-11:45"} {
		want, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := parseDate(s)
		if !ok || got.sec != want.Unix() || got.nsec != int64(want.Nanosecond()) {
			t.Errorf("parseDate(%q) = %+v %v, time says %d.%09d", s, got, ok, want.Unix(), want.Nanosecond())
		}
	}
}

func TestDecimalCompare(t *testing.T) {
	tests := []struct {
		name string
		a, b string
		want int
	}{
		{"equal_integers", "10", "10", 0},
		{"trailing_fraction_zeros", "10.000", "10", 0},
		{"leading_zeros", "007", "7", 0},
		{"plus_sign", "+7", "7", 0},
		{"negative_zero", "-0", "0", 0},
		{"fraction_only", ".5", "0.5", 0},
		{"trailing_dot", "5.", "5", 0},
		{"longer_integer_is_bigger", "100", "99", 1},
		{"fraction_order", "2.5", "2.45", 1},
		{"negative_order", "-2.5", "-2.45", -1},
		{"negative_below_positive", "-1", "0.1", -1},
		{"beyond_float_precision", "9007199254740993", "9007199254740992", 1},
		{"tiny_fraction", "0.0000000000000000001", "0", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, ok1 := parseDecimal(tt.a)
			b, ok2 := parseDecimal(tt.b)
			if !ok1 || !ok2 {
				t.Fatalf("parse %q / %q failed", tt.a, tt.b)
			}
			if got := a.compare(b); got != tt.want {
				t.Errorf("compare(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
			}
			if got := b.compare(a); got != -tt.want {
				t.Errorf("compare is not antisymmetric for %q, %q", tt.a, tt.b)
			}
		})
	}
	for _, bad := range []string{"", "-", "+", ".", "1.2.3", "1e3", "0x10", " 1", "1 ", "NaN", "∞", "1,000"} {
		if _, ok := parseDecimal(bad); ok {
			t.Errorf("parseDecimal(%q) accepted", bad)
		}
	}
}

package batch

import "testing"

func TestStatsErr(t *testing.T) {
	if err := (Stats{Lines: 3}).Err(); err != nil {
		t.Errorf("no errors: %v", err)
	}
	if err := (Stats{Lines: 3, Errors: 2}).Err(); err == nil || err.Error() != `2 of 3 lines could not be decided (see their "error" fields)` {
		t.Errorf("two errors: %v", err)
	}
}

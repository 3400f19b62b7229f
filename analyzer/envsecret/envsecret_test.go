package envsecret

import "testing"

func TestCheck(t *testing.T) {
	cases := []struct {
		key, value string
		secret     bool
	}{
		{"ANYTHING", "AKIAABCDEFGHIJKLMNOP", true},
		{"DB_URL", "postgres://app:hunter22@db:5432/app", true},
		{"DB_PASSWORD", "correct-horse-battery", true},
		{"DB_PASSWORD_ARN", "correct-horse-battery", false},
		{"DB_PASSWORD", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db", false},
		{"DB_PASSWORD", "/app/db/password", false},
		{"DB_PASSWORD", "{{resolve:secretsmanager:db}}", false},
		{"DB_PASSWORD", "<random_password.db.result>", false},
		{"DB_PASSWORD", "${var.db_password}", false},
		{"DB_PASSWORD", "short", false},
		{"DB_PASSWORD", "", false},
		{"LOG_LEVEL", "debug-verbose-mode", false},
	}
	for _, c := range cases {
		got, why := Check(c.key, c.value)
		if got != c.secret || (got && why == "") {
			t.Errorf("Check(%q, %q) = %v, %q; want %v", c.key, c.value, got, why, c.secret)
		}
	}
}

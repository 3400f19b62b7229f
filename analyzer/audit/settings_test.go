package audit

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// The settings' accounts come first, the extra ones are added, and an
// extra organization wins over org_id.
func TestWithSettings(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, ".lambdacheck.hcl")
	if err := os.WriteFile(cfg, []byte("accounts = [\"111111111111\"]\ntrusted_accounts = [\"222222222222\"]\norg_id = \"o-settings01\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := WithSettings("", dir, Options{Accounts: []string{"333333333333"}, Trusted: []string{"444444444444"}})
	want := Options{Accounts: []string{"111111111111", "333333333333"}, Trusted: []string{"222222222222", "444444444444"}, OrgID: "o-settings01"}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("options = %+v, %v; want %+v", got, err, want)
	}
	if got, err = WithSettings(cfg, ".", Options{OrgID: "o-flag000001"}); err != nil || got.OrgID != "o-flag000001" || len(got.Accounts) != 1 {
		t.Errorf("an explicit file and organization: %+v, %v", got, err)
	}
	for _, c := range []struct {
		extra Options
		want  string
	}{
		{Options{Accounts: []string{"12"}}, `--org-account "12": want a 12-digit account id`},
		{Options{Trusted: []string{"x"}}, `--trusted-account "x": want a 12-digit account id`},
		{Options{OrgID: "acme"}, `--org-id "acme": want an organization id like o-abc123def4`},
	} {
		if _, err := WithSettings("", dir, c.extra); err == nil || err.Error() != c.want {
			t.Errorf("%+v: %v, want %q", c.extra, err, c.want)
		}
	}
	if _, err := WithSettings(filepath.Join(dir, "missing.hcl"), dir, Options{}); err == nil || !strings.Contains(err.Error(), "missing.hcl") {
		t.Errorf("a missing settings file: %v", err)
	}
}

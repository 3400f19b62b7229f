package awsapi

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lambdacheck/lambdacheck/internal/fakeaws"
)

func TestAccountsOptionsCheck(t *testing.T) {
	if err := (&AccountsOptions{}).Check(); err == nil {
		t.Error("no concurrency accepted")
	}
	o := DefaultAccountsOptions()
	if err := o.Check(); err != nil || o.Catalog == nil {
		t.Fatalf("defaults: %v, catalog %v", err, o.Catalog)
	}
	for _, c := range []struct {
		change func(*AccountsOptions)
		want   string
	}{
		{func(o *AccountsOptions) { o.Concurrency = 0 }, "--concurrency must be at least 1"},
		{func(o *AccountsOptions) { o.MaxRetries = -1 }, "--max-retries must be 0 or more"},
		{func(o *AccountsOptions) { o.CallTimeout = 0 }, "--call-timeout must be positive"},
		{func(o *AccountsOptions) { o.AllRegions, o.Regions = true, []string{"eu-west-1"} }, "--region and --all-regions exclude each other"},
	} {
		o := DefaultAccountsOptions()
		c.change(&o)
		if err := o.Check(); err == nil || err.Error() != c.want {
			t.Errorf("%v, want %q", err, c.want)
		}
		if _, err := CollectAccounts(context.Background(), o); err == nil || err.Error() != c.want {
			t.Errorf("collect: %v, want %q", err, c.want)
		}
	}
}

// offline points the standard credential chain at static test keys and
// away from any real configuration.
func offline(t *testing.T) {
	for k, v := range map[string]string{"AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "SECRETEXAMPLE", "AWS_SESSION_TOKEN": "",
		"AWS_PROFILE": "", "AWS_EC2_METADATA_DISABLED": "true", "AWS_REGION": ""} {
		t.Setenv(k, v)
	}
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(t.TempDir(), "none"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(t.TempDir(), "none"))
}

// One account is read as Collect reads it; a cancelled collection returns
// nothing but ErrInterrupted, and a Progress with Stop is stopped.
func TestCollectAccounts(t *testing.T) {
	offline(t)
	f := fakeaws.New(t, "testdata/thumbnails")
	o := DefaultAccountsOptions()
	o.EndpointURL, o.Regions = f.URL(), []string{"eu-west-1"}
	p := &stoppedProgress{}
	o.Progress = p
	inv, err := CollectAccounts(context.Background(), o)
	if err != nil || len(inv.Functions) != 1 || p.stops != 1 {
		t.Fatalf("inventory %v, stops %d, %v", inv, p.stops, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if inv, err = CollectAccounts(ctx, o); !errors.Is(err, ErrInterrupted) || inv != nil {
		t.Errorf("cancelled: %v, %v", inv, err)
	}
	o.RoleARNs = []string{"arn:aws:iam::123456789012:role/a", "arn:aws:iam::123456789012:role/b"}
	p.stops = 0
	if inv, err = CollectAccounts(context.Background(), o); err != nil || len(inv.Functions) != 1 || p.stops != 2 {
		t.Errorf("two roles of one account, merged: %v, stops %d, %v", inv, p.stops, err)
	}
	o.EndpointURL = "http://127.0.0.1:1"
	o.MaxRetries = 0
	if _, err = CollectAccounts(context.Background(), o); err == nil || !strings.HasPrefix(err.Error(), "collect: arn:aws:iam::123456789012:role/a: ") {
		t.Errorf("an unreachable endpoint names the role: %v", err)
	}
}

type stoppedProgress struct {
	noProgress
	stops int
}

func (p *stoppedProgress) Stop() { p.stops++ }

package awsapi

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/lambdacheck/lambdacheck/analyzer/awsref"
	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
	"github.com/lambdacheck/lambdacheck/analyzer/merge"
)

// AccountsOptions say which accounts to read and how to reach them.
type AccountsOptions struct {
	// Profile, EndpointURL and MaxRetries are as in ConfigOptions; the
	// first of Options.Regions is the home region.
	Profile     string
	EndpointURL string
	MaxRetries  int
	// RoleARNs are assumed in turn, one account each; none reads the
	// account of the credentials.
	RoleARNs []string
	Options
}

// DefaultCallTimeout bounds one API call with its retries: long enough
// for a throttled call's backoff, short enough that an endpoint that never
// answers is recorded as failed and the collection goes on.
const DefaultCallTimeout = 2 * time.Minute

// DefaultAccountsOptions read the account of the credentials with the
// default concurrency, retries and call timeout, resolving AWS managed
// policies from the built-in reference data.
func DefaultAccountsOptions() AccountsOptions {
	return AccountsOptions{MaxRetries: DefaultMaxRetries, Options: Options{Concurrency: defaultConcurrency, CallTimeout: DefaultCallTimeout, Catalog: awsref.Default()}}
}

// Check reports options that cannot be collected with.
func (o *AccountsOptions) Check() error {
	switch {
	case o.Concurrency < 1:
		return errors.New("--concurrency must be at least 1")
	case o.MaxRetries < 0:
		return errors.New("--max-retries must be 0 or more")
	case o.CallTimeout <= 0:
		return errors.New("--call-timeout must be positive")
	case o.AllRegions && len(o.Regions) > 0:
		return errors.New("--region and --all-regions exclude each other")
	}
	return nil
}

// ErrInterrupted is returned when the context ends during a collection:
// nothing is returned, not even what was read.
var ErrInterrupted = errors.New("interrupted: no snapshot written")

// CollectAccounts checks o and reads every account of it (one per role,
// merged into one inventory so flows between them are simulated). A Progress with a Stop
// method is stopped after each account.
func CollectAccounts(ctx context.Context, o AccountsOptions) (*inventory.Inventory, error) {
	if err := o.Check(); err != nil {
		return nil, err
	}
	roles := o.RoleARNs
	if len(roles) == 0 {
		roles = []string{""}
	}
	home := ""
	if len(o.Regions) > 0 {
		home = o.Regions[0]
	}
	var invs []*inventory.Inventory
	for _, role := range roles {
		cfg, err := LoadConfig(ctx, ConfigOptions{Profile: o.Profile, Region: home, RoleARN: role, EndpointURL: o.EndpointURL, MaxRetries: o.MaxRetries})
		if err != nil {
			return nil, err
		}
		inv, err := Collect(ctx, cfg, o.Options)
		if s, ok := o.Progress.(interface{ Stop() }); ok {
			s.Stop()
		}
		if err != nil {
			if errors.Is(err, context.Canceled) || ctx.Err() != nil {
				return nil, ErrInterrupted
			}
			if role != "" {
				err = fmt.Errorf("%s: %w", role, err)
			}
			return nil, fmt.Errorf("collect: %w", err)
		}
		invs = append(invs, inv)
	}
	if len(invs) == 1 {
		return invs[0], nil
	}
	return merge.Inventories(invs...)
}

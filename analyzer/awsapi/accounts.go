package awsapi

import (
	"context"
	"errors"
	"fmt"

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

// ErrInterrupted is returned when the context ends during a collection:
// nothing is returned, not even what was read.
var ErrInterrupted = errors.New("interrupted: no snapshot written")

// CollectAccounts reads every account of o (one per role, merged into one
// inventory so flows between them are simulated). A Progress with a Stop
// method is stopped after each account.
func CollectAccounts(ctx context.Context, o AccountsOptions) (*inventory.Inventory, error) {
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

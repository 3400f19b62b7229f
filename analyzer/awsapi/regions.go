package awsapi

import (
	"context"
	"sort"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/account"
	accounttypes "github.com/aws/aws-sdk-go-v2/service/account/types"
)

// resolveRegions returns the regions to read: the ones asked for, every
// enabled one (--all-regions, from account:ListRegions), or the
// configuration's. When ListRegions is denied it warns and falls back to
// the asked or configured regions.
func (c *collector) resolveRegions(ctx context.Context, p *part) ([]string, error) {
	asked := uniqueSorted(c.opts.Regions)
	if len(asked) == 0 {
		asked = []string{c.cfg.Region}
	}
	if !c.opts.AllRegions {
		return asked, nil
	}
	cl := account.NewFromConfig(c.cfg)
	pg := account.NewListRegionsPaginator(cl, &account.ListRegionsInput{
		RegionOptStatusContains: []accounttypes.RegionOptStatus{accounttypes.RegionOptStatusEnabled, accounttypes.RegionOptStatusEnabledByDefault},
	})
	var out []string
	for pg.HasMorePages() {
		page, err := pg.NextPage(ctx)
		denied, fatal := p.check(call{c.account, c.cfg.Region, "Account", "ListRegions", ""}, err)
		if fatal != nil {
			return nil, fatal
		}
		if denied {
			return asked, nil
		}
		for _, r := range page.Regions {
			out = append(out, aws.ToString(r.RegionName))
		}
	}
	return uniqueSorted(out), nil
}

func uniqueSorted(in []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range in {
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return out
}

package awsapi

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/vpclattice"
	"github.com/aws/aws-sdk-go-v2/service/vpclattice/types"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
)

// collectVPCLattice reads a region's VPC Lattice target groups of type
// LAMBDA and the functions registered in them.
func collectVPCLattice(ctx context.Context, c *collector, region string, p *part) error {
	cl := vpclattice.NewFromConfig(c.cfg, func(o *vpclattice.Options) { o.Region = region })
	var groups []types.TargetGroupSummary
	pg := vpclattice.NewListTargetGroupsPaginator(cl, &vpclattice.ListTargetGroupsInput{TargetGroupType: types.TargetGroupTypeLambda})
	for pg.HasMorePages() {
		page, err := pg.NextPage(ctx)
		k := call{c.account, region, "VPC Lattice", "ListTargetGroups", ""}
		denied, fatal := p.check(k, err)
		if fatal != nil {
			return fatal
		}
		if denied {
			break
		}
		for _, g := range page.Items {
			if g.Type == types.TargetGroupTypeLambda && p.validARN(k, "arn", aws.ToString(g.Arn), "vpc-lattice") {
				groups = append(groups, g)
			}
		}
	}
	return forEach(ctx, c.limit, len(groups), func(ctx context.Context, i int) error {
		g := groups[i]
		arn := aws.ToString(g.Arn)
		r := inventory.Resource{Origin: inventory.Origin{Address: arn}, Type: "AWS::VpcLattice::TargetGroup", Service: "vpc-lattice",
			Name: aws.ToString(g.Name), ARN: arn, Account: nonEmpty(accountOf(arn), c.account), Region: region}
		k := call{c.account, region, "VPC Lattice", "ListTargets", arn}
		var targets []types.TargetSummary
		tp := vpclattice.NewListTargetsPaginator(cl, &vpclattice.ListTargetsInput{TargetGroupIdentifier: aws.String(arn)})
		for tp.HasMorePages() {
			page, err := tp.NextPage(ctx)
			denied, fatal := p.check(k, err)
			if fatal == nil && p.isGone(k) {
				return nil // deleted since it was listed: a warning says so
			}
			if fatal != nil {
				return fatal
			}
			if denied {
				p.addResource(r) // a stand-in trigger names the targets not read (gaps.go)
				return nil
			}
			targets = append(targets, page.Items...)
		}
		p.addResource(r)
		for _, tg := range targets {
			fn := aws.ToString(tg.Id)
			if !p.validARN(k, "Id", fn, "lambda") {
				continue
			}
			t := inventory.Trigger{Origin: inventory.Origin{Address: arn + "#target/" + fn}, Kind: "push", Service: "vpc_lattice",
				SourceARN: arn, SourceAddress: arn, Target: fn, Enabled: true}
			setFunctionTarget(&t)
			p.addTrigger(t)
		}
		return nil
	})
}

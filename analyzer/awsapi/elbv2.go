package awsapi

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
)

// collectELB reads a region's load balancer target groups of type lambda
// and the functions registered in them (Application Load Balancer →
// Lambda).
func collectELB(ctx context.Context, c *collector, region string, p *part) error {
	cl := elbv2.NewFromConfig(c.cfg, func(o *elbv2.Options) { o.Region = region })
	var groups []types.TargetGroup
	pg := elbv2.NewDescribeTargetGroupsPaginator(cl, &elbv2.DescribeTargetGroupsInput{})
	for pg.HasMorePages() {
		page, err := pg.NextPage(ctx)
		k := call{c.account, region, "Elastic Load Balancing v2", "DescribeTargetGroups", ""}
		denied, fatal := p.check(k, err)
		if fatal != nil {
			return fatal
		}
		if denied {
			break
		}
		for _, g := range page.TargetGroups {
			if g.TargetType == types.TargetTypeEnumLambda && p.validARN(k, "TargetGroupArn", aws.ToString(g.TargetGroupArn), "elasticloadbalancing") {
				groups = append(groups, g)
			}
		}
	}
	return forEach(ctx, c.limit, len(groups), func(ctx context.Context, i int) error {
		g := groups[i]
		arn := aws.ToString(g.TargetGroupArn)
		r := inventory.Resource{Origin: inventory.Origin{Address: arn}, Type: "AWS::ElasticLoadBalancingV2::TargetGroup", Service: "elasticloadbalancing",
			Name: aws.ToString(g.TargetGroupName), ARN: arn, Account: nonEmpty(accountOf(arn), c.account), Region: region}
		setAttr(&r, "target_type", string(g.TargetType))
		k := call{c.account, region, "Elastic Load Balancing v2", "DescribeTargetHealth", arn}
		out, err := cl.DescribeTargetHealth(ctx, &elbv2.DescribeTargetHealthInput{TargetGroupArn: aws.String(arn)})
		denied, fatal := p.check(k, err)
		if fatal == nil && p.isGone(k) {
			return nil // deleted since it was listed: a warning says so
		}
		p.addResource(r)
		switch {
		case fatal != nil:
			return fatal
		case denied:
			return nil // a stand-in trigger names the targets not read (gaps.go)
		}
		for _, d := range out.TargetHealthDescriptions {
			if d.Target == nil {
				continue
			}
			fn := aws.ToString(d.Target.Id)
			if !p.validARN(k, "Target.Id", fn, "lambda") {
				continue
			}
			t := inventory.Trigger{Origin: inventory.Origin{Address: arn + "#target/" + fn}, Kind: "push", Service: "alb",
				SourceARN: arn, SourceAddress: arn, Target: fn, Enabled: true}
			setFunctionTarget(&t)
			p.addTrigger(t)
		}
		return nil
	})
}

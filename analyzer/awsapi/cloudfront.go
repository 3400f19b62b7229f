package awsapi

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront/types"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
)

// cloudFrontRegion is where CloudFront's global API is signed, and where
// Lambda@Edge functions live.
const cloudFrontRegion = "us-east-1"

// collectCloudFront reads the account's distributions and their Lambda@Edge
// associations (default and path cache behaviors), one trigger per
// association with its event type.
func collectCloudFront(ctx context.Context, c *collector, _ string, p *part) error {
	cl := cloudfront.NewFromConfig(c.cfg, func(o *cloudfront.Options) { o.Region = cloudFrontRegion })
	pg := cloudfront.NewListDistributionsPaginator(cl, &cloudfront.ListDistributionsInput{})
	k := call{c.account, cloudFrontRegion, "CloudFront", "ListDistributions", ""}
	for pg.HasMorePages() {
		page, err := pg.NextPage(ctx)
		denied, fatal := p.check(k, err)
		if fatal != nil {
			return fatal
		}
		if denied || page.DistributionList == nil {
			break
		}
		for _, d := range page.DistributionList.Items {
			addDistribution(c, p, k, d)
		}
	}
	return nil
}

func addDistribution(c *collector, p *part, k call, d types.DistributionSummary) {
	arn := aws.ToString(d.ARN)
	if !p.validARN(k, "ARN", arn, "cloudfront") {
		return
	}
	r := inventory.Resource{Origin: inventory.Origin{Address: arn}, Type: "AWS::CloudFront::Distribution", Service: "cloudfront",
		Name: aws.ToString(d.Id), ARN: arn, Account: nonEmpty(accountOf(arn), c.account)}
	p.addResource(r)
	add := func(behavior string, assocs *types.LambdaFunctionAssociations) {
		if assocs == nil {
			return
		}
		for _, a := range assocs.Items {
			fn := aws.ToString(a.LambdaFunctionARN)
			if !p.validARN(k, "LambdaFunctionARN", fn, "lambda") {
				continue
			}
			event := string(a.EventType)
			t := inventory.Trigger{Origin: inventory.Origin{Address: arn + "#" + behavior + "/" + event}, Kind: "push", Service: "cloudfront",
				SourceARN: arn, SourceAddress: arn, Target: fn, Enabled: aws.ToBool(d.Enabled), Events: []string{event}}
			setFunctionTarget(&t)
			p.addTrigger(t)
		}
	}
	if d.DefaultCacheBehavior != nil {
		add("default", d.DefaultCacheBehavior.LambdaFunctionAssociations)
	}
	if d.CacheBehaviors != nil {
		for _, b := range d.CacheBehaviors.Items {
			add("path/"+aws.ToString(b.PathPattern), b.LambdaFunctionAssociations)
		}
	}
}

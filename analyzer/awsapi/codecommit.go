package awsapi

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codecommit"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
)

// collectCodeCommit reads a region's repositories and their triggers that
// invoke functions.
func collectCodeCommit(ctx context.Context, c *collector, region string, p *part) error {
	cl := codecommit.NewFromConfig(c.cfg, func(o *codecommit.Options) { o.Region = region })
	var names []string
	pg := codecommit.NewListRepositoriesPaginator(cl, &codecommit.ListRepositoriesInput{})
	for pg.HasMorePages() {
		page, err := pg.NextPage(ctx)
		denied, fatal := p.check(call{c.account, region, "CodeCommit", "ListRepositories", ""}, err)
		if fatal != nil {
			return fatal
		}
		if denied {
			break
		}
		for _, r := range page.Repositories {
			if n := aws.ToString(r.RepositoryName); n != "" {
				names = append(names, n)
			}
		}
	}
	return forEach(ctx, c.limit, len(names), func(ctx context.Context, i int) error {
		arn := "arn:" + c.partition + ":codecommit:" + region + ":" + c.account + ":" + names[i]
		r := inventory.Resource{Origin: inventory.Origin{Address: arn}, Type: "AWS::CodeCommit::Repository", Service: "codecommit",
			Name: names[i], ARN: arn, Account: c.account, Region: region}
		k := call{c.account, region, "CodeCommit", "GetRepositoryTriggers", arn}
		out, err := cl.GetRepositoryTriggers(ctx, &codecommit.GetRepositoryTriggersInput{RepositoryName: aws.String(names[i])})
		denied, fatal := p.check(k, err)
		if fatal == nil && p.isGone(k) {
			return nil // deleted since it was listed: a warning says so
		}
		p.addResource(r)
		switch {
		case fatal != nil:
			return fatal
		case denied:
			return nil // a stand-in trigger names the triggers not read (gaps.go)
		}
		for _, tr := range out.Triggers {
			dest := aws.ToString(tr.DestinationArn)
			if !p.validARN(k, "destinationArn", dest, "") {
				continue
			}
			if _, svc, _, _, _, _ := arnParts(dest); svc != "lambda" {
				continue // SNS destinations invoke no function directly
			}
			var events []string
			for _, e := range tr.Events {
				events = append(events, string(e))
			}
			t := inventory.Trigger{Origin: inventory.Origin{Address: arn + "#trigger/" + aws.ToString(tr.Name)}, Kind: "push", Service: "codecommit",
				SourceARN: arn, SourceAddress: arn, Target: dest, Enabled: true, Events: events}
			setFunctionTarget(&t)
			p.addTrigger(t)
		}
		return nil
	})
}

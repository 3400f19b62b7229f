package awsapi

import (
	"context"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
)

// collectLogs reads a region's log groups and their subscription filters
// that deliver to functions, with the filter pattern.
func collectLogs(ctx context.Context, c *collector, region string, p *part) error {
	cl := cloudwatchlogs.NewFromConfig(c.cfg, func(o *cloudwatchlogs.Options) { o.Region = region })
	var groups []inventory.Resource
	pg := cloudwatchlogs.NewDescribeLogGroupsPaginator(cl, &cloudwatchlogs.DescribeLogGroupsInput{})
	for pg.HasMorePages() {
		page, err := pg.NextPage(ctx)
		k := call{c.account, region, "CloudWatch Logs", "DescribeLogGroups", ""}
		denied, fatal := p.check(k, err)
		if fatal != nil {
			return fatal
		}
		if denied {
			break
		}
		for _, g := range page.LogGroups {
			// LogGroupArn is the group's own ARN; Arn adds ":*".
			arn := nonEmpty(aws.ToString(g.LogGroupArn), strings.TrimSuffix(aws.ToString(g.Arn), ":*"))
			name := aws.ToString(g.LogGroupName)
			if !p.validARN(k, "logGroupArn", arn, "logs") {
				continue
			}
			if name == "" {
				p.invalid(k, badValue("logGroupName", name, "a log group name"))
				continue
			}
			groups = append(groups, inventory.Resource{Origin: inventory.Origin{Address: arn}, Type: "AWS::Logs::LogGroup", Service: "logs",
				Name: name, ARN: arn, Account: nonEmpty(accountOf(arn), c.account), Region: region, KMSKeyARN: aws.ToString(g.KmsKeyId)})
		}
	}
	return forEach(ctx, c.limit, len(groups), func(ctx context.Context, i int) error {
		r := groups[i]
		p.addResource(r)
		k := call{c.account, region, "CloudWatch Logs", "DescribeSubscriptionFilters", r.ARN}
		fp := cloudwatchlogs.NewDescribeSubscriptionFiltersPaginator(cl, &cloudwatchlogs.DescribeSubscriptionFiltersInput{LogGroupName: aws.String(r.Name)})
		var filters []types.SubscriptionFilter
		for fp.HasMorePages() {
			page, err := fp.NextPage(ctx)
			denied, fatal := p.check(k, err)
			if fatal != nil {
				return fatal
			}
			if denied {
				return nil // a stand-in trigger names the gap (gaps.go)
			}
			filters = append(filters, page.SubscriptionFilters...)
		}
		for _, f := range filters {
			dest := aws.ToString(f.DestinationArn)
			if !p.validARN(k, "destinationArn", dest, "") {
				continue
			}
			if _, svc, _, _, _, _ := arnParts(dest); svc != "lambda" {
				continue // Kinesis and Firehose destinations invoke no function
			}
			// Logs invokes with the group's ARN ending in ":*" as source.
			t := inventory.Trigger{Origin: inventory.Origin{Address: r.ARN + "#subscription-filter/" + aws.ToString(f.FilterName)},
				Kind: "push", Service: "logs", SourceARN: r.ARN + ":*", SourceAddress: r.ARN, Target: dest,
				InvokeRole: aws.ToString(f.RoleArn), Enabled: true, Filter: &inventory.Filter{Expression: aws.ToString(f.FilterPattern)}}
			setFunctionTarget(&t)
			p.addTrigger(t)
		}
		return nil
	})
}

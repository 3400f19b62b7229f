package awsapi

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/configservice"
	"github.com/aws/aws-sdk-go-v2/service/configservice/types"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
)

// collectConfigRules reads a region's AWS Config rules whose evaluation
// is a custom Lambda function.
func collectConfigRules(ctx context.Context, c *collector, region string, p *part) error {
	cl := configservice.NewFromConfig(c.cfg, func(o *configservice.Options) { o.Region = region })
	pg := configservice.NewDescribeConfigRulesPaginator(cl, &configservice.DescribeConfigRulesInput{})
	k := call{c.account, region, "Config Service", "DescribeConfigRules", ""}
	for pg.HasMorePages() {
		page, err := pg.NextPage(ctx)
		denied, fatal := p.check(k, err)
		if fatal != nil {
			return fatal
		}
		if denied {
			break
		}
		for _, rule := range page.ConfigRules {
			if rule.Source == nil || rule.Source.Owner != types.OwnerCustomLambda {
				continue
			}
			arn := aws.ToString(rule.ConfigRuleArn)
			if !p.validARN(k, "ConfigRuleArn", arn, "config") {
				continue
			}
			r := inventory.Resource{Origin: inventory.Origin{Address: arn}, Type: "AWS::Config::ConfigRule", Service: "config",
				Name: aws.ToString(rule.ConfigRuleName), ARN: arn, Account: nonEmpty(accountOf(arn), c.account), Region: region}
			p.addResource(r)
			fn := aws.ToString(rule.Source.SourceIdentifier)
			if !p.validARN(k, "Source.SourceIdentifier", fn, "lambda") {
				continue
			}
			var events []string
			for _, d := range rule.Source.SourceDetails {
				if m := string(d.MessageType); m != "" {
					events = append(events, m)
				}
			}
			t := inventory.Trigger{Origin: inventory.Origin{Address: arn + "#function"}, Kind: "push", Service: "config",
				SourceARN: arn, SourceAddress: arn, Target: fn, Enabled: rule.ConfigRuleState == types.ConfigRuleStateActive, Events: events}
			setFunctionTarget(&t)
			p.addTrigger(t)
		}
	}
	return nil
}

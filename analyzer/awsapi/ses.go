package awsapi

import (
	"context"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ses"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
)

// collectSES reads a region's active receipt rule set: only the active set
// receives mail, so only its rules' Lambda actions invoke.
func collectSES(ctx context.Context, c *collector, region string, p *part) error {
	cl := ses.NewFromConfig(c.cfg, func(o *ses.Options) { o.Region = region })
	k := call{c.account, region, "SES", "DescribeActiveReceiptRuleSet", ""}
	out, err := cl.DescribeActiveReceiptRuleSet(ctx, &ses.DescribeActiveReceiptRuleSetInput{})
	denied, fatal := p.check(k, err)
	if fatal != nil || denied || out.Metadata == nil {
		return fatal // denied: a stand-in trigger names the gap (gaps.go)
	}
	set := aws.ToString(out.Metadata.Name)
	if set == "" {
		p.invalid(k, badValue("Metadata.Name", set, "a rule set name"))
		return nil
	}
	for _, rule := range out.Rules {
		name := aws.ToString(rule.Name)
		// Receipt rule ARNs carry the account (unlike S3 buckets).
		arn := "arn:" + c.partition + ":ses:" + region + ":" + c.account + ":receipt-rule-set/" + set + ":receipt-rule/" + name
		r := inventory.Resource{Origin: inventory.Origin{Address: arn}, Type: "AWS::SES::ReceiptRule", Service: "ses",
			Name: name, ARN: arn, Account: c.account, Region: region}
		setAttr(&r, "rule_set_name", set)
		p.addResource(r)
		for i, a := range rule.Actions {
			if a.LambdaAction == nil {
				continue
			}
			fn := aws.ToString(a.LambdaAction.FunctionArn)
			if !p.validARN(k, "LambdaAction.FunctionArn", fn, "lambda") {
				continue
			}
			invocation := string(a.LambdaAction.InvocationType)
			if invocation == "" {
				invocation = "Event" // the API's default
			}
			t := inventory.Trigger{Origin: inventory.Origin{Address: arn + "#action/" + strconv.Itoa(i)}, Kind: "push", Service: "ses",
				SourceARN: arn, SourceAddress: arn, Target: fn, Enabled: rule.Enabled, Events: []string{invocation}}
			setFunctionTarget(&t)
			p.addTrigger(t)
		}
	}
	return nil
}

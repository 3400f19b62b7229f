package awsapi

import (
	"context"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iot"
	"github.com/aws/aws-sdk-go-v2/service/iot/types"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
)

// collectIoT reads a region's IoT topic rules and their Lambda actions
// (error action included), with the rule's SQL as the filter.
func collectIoT(ctx context.Context, c *collector, region string, p *part) error {
	cl := iot.NewFromConfig(c.cfg, func(o *iot.Options) { o.Region = region })
	var rules []types.TopicRuleListItem
	pg := iot.NewListTopicRulesPaginator(cl, &iot.ListTopicRulesInput{})
	for pg.HasMorePages() {
		page, err := pg.NextPage(ctx)
		k := call{c.account, region, "IoT", "ListTopicRules", ""}
		denied, fatal := p.check(k, err)
		if fatal != nil {
			return fatal
		}
		if denied {
			break
		}
		for _, r := range page.Rules {
			if p.validARN(k, "ruleArn", aws.ToString(r.RuleArn), "iot") {
				rules = append(rules, r)
			}
		}
	}
	return forEach(ctx, c.limit, len(rules), func(ctx context.Context, i int) error {
		item := rules[i]
		arn := aws.ToString(item.RuleArn)
		r := inventory.Resource{Origin: inventory.Origin{Address: arn}, Type: "AWS::IoT::TopicRule", Service: "iot",
			Name: aws.ToString(item.RuleName), ARN: arn, Account: nonEmpty(accountOf(arn), c.account), Region: region}
		k := call{c.account, region, "IoT", "GetTopicRule", arn}
		out, err := cl.GetTopicRule(ctx, &iot.GetTopicRuleInput{RuleName: item.RuleName})
		denied, fatal := p.check(k, err)
		if fatal == nil && p.isGone(k) {
			return nil // deleted since it was listed: a warning says so
		}
		switch {
		case fatal != nil:
			return fatal
		case denied || out.Rule == nil:
			// A stand-in trigger names the actions not read (gaps.go).
			p.addResource(r)
			return nil
		}
		rule := out.Rule
		sql := aws.ToString(rule.Sql)
		setAttr(&r, "sql", sql)
		p.addResource(r)
		enabled := !aws.ToBool(rule.RuleDisabled)
		add := func(a *types.Action, addr string, events []string) {
			if a == nil || a.Lambda == nil {
				return
			}
			fn := aws.ToString(a.Lambda.FunctionArn)
			if !p.validARN(k, "lambda.functionArn", fn, "lambda") {
				return
			}
			t := inventory.Trigger{Origin: inventory.Origin{Address: arn + addr}, Kind: "push", Service: "iot", SourceARN: arn, SourceAddress: arn,
				Target: fn, Enabled: enabled, Events: events, Filter: &inventory.Filter{Expression: sql}}
			setFunctionTarget(&t)
			p.addTrigger(t)
		}
		for j := range rule.Actions {
			add(&rule.Actions[j], "#action/"+strconv.Itoa(j), nil)
		}
		add(rule.ErrorAction, "#error_action", []string{"error_action"})
		return nil
	})
}

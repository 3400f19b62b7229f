package awsapi

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge/types"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
)

// collectEventBridge reads a region's event buses (with their policies),
// their rules and the rules' targets. The list calls have no SDK
// paginators: each loops on NextToken.
func collectEventBridge(ctx context.Context, c *collector, region string, p *part) error {
	cl := eventbridge.NewFromConfig(c.cfg, func(o *eventbridge.Options) { o.Region = region })
	var buses []types.EventBus
	for token := (*string)(nil); ; {
		out, err := cl.ListEventBuses(ctx, &eventbridge.ListEventBusesInput{NextToken: token})
		denied, fatal := p.check(call{c.account, region, "EventBridge", "ListEventBuses", ""}, err)
		if fatal != nil {
			return fatal
		}
		if denied {
			break
		}
		buses = append(buses, out.EventBuses...)
		if token = out.NextToken; aws.ToString(token) == "" {
			break
		}
	}
	return forEach(ctx, c.limit, len(buses), func(ctx context.Context, i int) error {
		b := buses[i]
		name, arn := aws.ToString(b.Name), aws.ToString(b.Arn)
		r := inventory.Resource{Origin: inventory.Origin{Address: arn}, Type: "AWS::Events::EventBus", Service: "events", Name: name, ARN: arn,
			Account: nonEmpty(accountOf(arn), c.account), Region: region}
		if b.Policy != nil {
			r.Policy = p.resourcePolicy(call{c.account, region, "EventBridge", "ListEventBuses", arn}, "bus-policy", arn, aws.ToString(b.Policy))
		}
		p.addResource(r)
		return c.eventRules(ctx, cl, region, name, p)
	})
}

func (c *collector) eventRules(ctx context.Context, cl *eventbridge.Client, region, bus string, p *part) error {
	var rules []types.Rule
	for token := (*string)(nil); ; {
		out, err := cl.ListRules(ctx, &eventbridge.ListRulesInput{EventBusName: aws.String(bus), NextToken: token})
		denied, fatal := p.check(call{c.account, region, "EventBridge", "ListRules", bus}, err)
		if fatal != nil {
			return fatal
		}
		if denied {
			break
		}
		rules = append(rules, out.Rules...)
		if token = out.NextToken; aws.ToString(token) == "" {
			break
		}
	}
	for _, rule := range rules {
		arn := aws.ToString(rule.Arn)
		r := inventory.Resource{Origin: inventory.Origin{Address: arn}, Type: "AWS::Events::Rule", Service: "events", Name: aws.ToString(rule.Name), ARN: arn,
			Account: nonEmpty(accountOf(arn), c.account), Region: region}
		setAttr(&r, "event_bus_name", bus)
		sched := aws.ToString(rule.ScheduleExpression)
		setAttr(&r, "schedule_expression", sched)
		enabled := rule.State != types.RuleStateDisabled
		if !enabled {
			setAttr(&r, "state", string(rule.State))
		}
		setAttr(&r, "managed_by", aws.ToString(rule.ManagedBy))
		p.addResource(r)

		base := inventory.Trigger{Kind: "push", Service: "eventbridge", SourceARN: arn, SourceAddress: arn, Enabled: enabled}
		switch {
		case sched != "":
			base.Service = "schedule"
			base.Filter = &inventory.Filter{Expression: sched}
		case aws.ToString(rule.EventPattern) != "":
			doc, err := decodePolicy(aws.ToString(rule.EventPattern))
			if err != nil || doc == nil {
				p.invalid(call{c.account, region, "EventBridge", "ListRules", arn}, "EventPattern is not JSON")
				base.Unknown = append(base.Unknown, inventory.Unknown{Field: "filter.pattern", Reason: "the event pattern is not JSON"})
			} else {
				base.Filter = &inventory.Filter{Pattern: doc}
			}
		}
		k := call{c.account, region, "EventBridge", "ListTargetsByRule", arn}
		for token := (*string)(nil); ; {
			out, err := cl.ListTargetsByRule(ctx, &eventbridge.ListTargetsByRuleInput{Rule: rule.Name, EventBusName: aws.String(bus), NextToken: token})
			denied, fatal := p.check(k, err)
			if fatal != nil {
				return fatal
			}
			if p.isGone(k) {
				break // the rule was deleted since it was listed: a warning says so
			}
			if denied {
				t := base
				t.Origin = inventory.Origin{Address: arn + "#targets"}
				t.Unknown = append(append([]inventory.Unknown(nil), base.Unknown...), inventory.Unknown{Field: "target", Reason: p.reason(k)})
				p.addTrigger(t)
				break
			}
			for _, tg := range out.Targets {
				t := base
				t.Origin = inventory.Origin{Address: arn + "#target/" + aws.ToString(tg.Id)}
				t.Target = aws.ToString(tg.Arn)
				t.InvokeRole = aws.ToString(tg.RoleArn)
				if tg.DeadLetterConfig != nil {
					t.OnFailure = aws.ToString(tg.DeadLetterConfig.Arn)
				}
				setFunctionTarget(&t)
				p.addTrigger(t)
			}
			if token = out.NextToken; aws.ToString(token) == "" {
				break
			}
		}
	}
	return nil
}

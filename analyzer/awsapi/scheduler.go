package awsapi

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/scheduler"
	"github.com/aws/aws-sdk-go-v2/service/scheduler/types"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
)

// collectScheduler reads a region's EventBridge Scheduler schedules; the
// list gives summaries, GetSchedule the target with its invoke role.
func collectScheduler(ctx context.Context, c *collector, region string, p *part) error {
	cl := scheduler.NewFromConfig(c.cfg, func(o *scheduler.Options) { o.Region = region })
	var sums []types.ScheduleSummary
	pg := scheduler.NewListSchedulesPaginator(cl, &scheduler.ListSchedulesInput{})
	for pg.HasMorePages() {
		page, err := pg.NextPage(ctx)
		denied, fatal := p.check(call{c.account, region, "Scheduler", "ListSchedules", ""}, err)
		if fatal != nil {
			return fatal
		}
		if denied {
			break
		}
		sums = append(sums, page.Schedules...)
	}
	return forEach(ctx, c.limit, len(sums), func(ctx context.Context, i int) error {
		s := sums[i]
		arn, group := aws.ToString(s.Arn), aws.ToString(s.GroupName)
		r := inventory.Resource{Origin: inventory.Origin{Address: arn}, Type: "AWS::Scheduler::Schedule", Service: "scheduler", Name: aws.ToString(s.Name), ARN: arn,
			Account: nonEmpty(accountOf(arn), c.account), Region: region}
		setAttr(&r, "group_name", group)
		t := inventory.Trigger{Origin: inventory.Origin{Address: arn}, Kind: "push", Service: "scheduler", SourceARN: arn, SourceAddress: arn,
			Enabled: s.State != types.ScheduleStateDisabled}
		if s.Target != nil {
			t.Target = aws.ToString(s.Target.Arn)
		}
		k := call{c.account, region, "Scheduler", "GetSchedule", arn}
		out, err := cl.GetSchedule(ctx, &scheduler.GetScheduleInput{Name: s.Name, GroupName: s.GroupName})
		denied, fatal := p.check(k, err)
		if fatal == nil && p.isGone(k) {
			return nil // deleted since it was listed: a warning says so
		}
		switch {
		case fatal != nil:
			return fatal
		case denied:
			t.Unknown = append(t.Unknown, inventory.Unknown{Field: "invoke_role", Reason: p.reason(k)})
		default:
			expr := aws.ToString(out.ScheduleExpression)
			setAttr(&r, "schedule_expression", expr)
			setAttr(&r, "schedule_expression_timezone", aws.ToString(out.ScheduleExpressionTimezone))
			t.Filter = &inventory.Filter{Expression: expr}
			t.Enabled = out.State != types.ScheduleStateDisabled
			if tg := out.Target; tg != nil {
				t.Target = aws.ToString(tg.Arn)
				t.InvokeRole = aws.ToString(tg.RoleArn)
				if tg.DeadLetterConfig != nil {
					t.OnFailure = aws.ToString(tg.DeadLetterConfig.Arn)
				}
				// The universal target arn:aws:scheduler:::aws-sdk:lambda:invoke
				// names the function in its input.
				if strings.HasSuffix(t.Target, ":aws-sdk:lambda:invoke") {
					var in struct{ FunctionName string }
					if json.Unmarshal([]byte(aws.ToString(tg.Input)), &in) == nil && in.FunctionName != "" {
						t.Target = in.FunctionName
					}
				}
			}
		}
		setFunctionTarget(&t)
		p.addResource(r)
		p.addTrigger(t)
		return nil
	})
}

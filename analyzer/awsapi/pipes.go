package awsapi

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/pipes"
	"github.com/aws/aws-sdk-go-v2/service/pipes/types"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
)

// collectPipes reads a region's EventBridge Pipes whose enrichment or
// target is a function; a pipe invokes with its role.
func collectPipes(ctx context.Context, c *collector, region string, p *part) error {
	cl := pipes.NewFromConfig(c.cfg, func(o *pipes.Options) { o.Region = region })
	var list []types.Pipe
	pg := pipes.NewListPipesPaginator(cl, &pipes.ListPipesInput{})
	for pg.HasMorePages() {
		page, err := pg.NextPage(ctx)
		k := call{c.account, region, "Pipes", "ListPipes", ""}
		denied, fatal := p.check(k, err)
		if fatal != nil {
			return fatal
		}
		if denied {
			break
		}
		for _, pp := range page.Pipes {
			if p.validARN(k, "Arn", aws.ToString(pp.Arn), "pipes") {
				list = append(list, pp)
			}
		}
	}
	return forEach(ctx, c.limit, len(list), func(ctx context.Context, i int) error {
		pp := list[i]
		arn := aws.ToString(pp.Arn)
		r := inventory.Resource{Origin: inventory.Origin{Address: arn}, Type: "AWS::Pipes::Pipe", Service: "pipes",
			Name: aws.ToString(pp.Name), ARN: arn, Account: nonEmpty(accountOf(arn), c.account), Region: region}
		k := call{c.account, region, "Pipes", "DescribePipe", arn}
		out, err := cl.DescribePipe(ctx, &pipes.DescribePipeInput{Name: pp.Name})
		denied, fatal := p.check(k, err)
		if fatal == nil && p.isGone(k) {
			return nil // deleted since it was listed: a warning says so
		}
		var role string
		enrichment, target := aws.ToString(pp.Enrichment), aws.ToString(pp.Target)
		enabled := pp.DesiredState != types.RequestedPipeStateStopped
		switch {
		case fatal != nil:
			return fatal
		case denied:
		default:
			role = aws.ToString(out.RoleArn)
			enrichment, target = aws.ToString(out.Enrichment), aws.ToString(out.Target)
			enabled = out.DesiredState != types.RequestedPipeStateDescribeResponseStopped
		}
		setAttr(&r, "role_arn", role)
		p.addResource(r)
		for _, step := range []struct{ name, arn string }{{"enrichment", enrichment}, {"target", target}} {
			if _, svc, _, _, _, ok := arnParts(step.arn); !ok || svc != "lambda" {
				continue
			}
			t := inventory.Trigger{Origin: inventory.Origin{Address: arn + "#" + step.name}, Kind: "push", Service: "pipes",
				SourceARN: arn, SourceAddress: arn, Target: step.arn, InvokeRole: role, Enabled: enabled}
			if denied {
				t.Unknown = append(t.Unknown, inventory.Unknown{Field: "invoke_role", Reason: p.reason(k)})
			}
			setFunctionTarget(&t)
			p.addTrigger(t)
		}
		return nil
	})
}

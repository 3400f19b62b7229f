package awsapi

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
	"github.com/lambdacheck/lambdacheck/analyzer/statemachine"
)

// collectStepFunctions reads a region's state machines: their role, which
// invokes, and the functions their Task states invoke.
func collectStepFunctions(ctx context.Context, c *collector, region string, p *part) error {
	cl := sfn.NewFromConfig(c.cfg, func(o *sfn.Options) { o.Region = region })
	var machines []types.StateMachineListItem
	pg := sfn.NewListStateMachinesPaginator(cl, &sfn.ListStateMachinesInput{})
	for pg.HasMorePages() {
		page, err := pg.NextPage(ctx)
		k := call{c.account, region, "SFN", "ListStateMachines", ""}
		denied, fatal := p.check(k, err)
		if fatal != nil {
			return fatal
		}
		if denied {
			break
		}
		for _, m := range page.StateMachines {
			if p.validARN(k, "stateMachineArn", aws.ToString(m.StateMachineArn), "states") {
				machines = append(machines, m)
			}
		}
	}
	return forEach(ctx, c.limit, len(machines), func(ctx context.Context, i int) error {
		m := machines[i]
		arn := aws.ToString(m.StateMachineArn)
		r := inventory.Resource{Origin: inventory.Origin{Address: arn}, Type: "AWS::StepFunctions::StateMachine", Service: "states",
			Name: aws.ToString(m.Name), ARN: arn, Account: nonEmpty(accountOf(arn), c.account), Region: region}
		setAttr(&r, "type", string(m.Type))
		k := call{c.account, region, "SFN", "DescribeStateMachine", arn}
		out, err := cl.DescribeStateMachine(ctx, &sfn.DescribeStateMachineInput{StateMachineArn: aws.String(arn)})
		denied, fatal := p.check(k, err)
		if fatal == nil && p.isGone(k) {
			return nil // deleted since it was listed: a warning says so
		}
		switch {
		case fatal != nil:
			return fatal
		case denied:
			r.Unknown = append(r.Unknown, inventory.Unknown{Field: "role_arn", Reason: p.reason(k)})
			p.addResource(r) // a stand-in trigger names the tasks not read (gaps.go)
			return nil
		}
		role := aws.ToString(out.RoleArn)
		if role != "" && !p.validARN(k, "roleArn", role, "iam") {
			role = ""
			r.Unknown = append(r.Unknown, inventory.Unknown{Field: "role_arn", Reason: "DescribeStateMachine returned a malformed role ARN"})
		}
		setAttr(&r, "role_arn", role)
		p.addResource(r)
		var def any
		if err := json.Unmarshal([]byte(aws.ToString(out.Definition)), &def); err != nil {
			p.invalid(k, "definition is not JSON")
			p.addTrigger(inventory.Trigger{Origin: inventory.Origin{Address: arn + "#definition"}, Kind: "push", Service: "sfn",
				SourceARN: arn, SourceAddress: arn, InvokeRole: role, Enabled: true,
				Unknown: []inventory.Unknown{{Field: "function_arn", Reason: "the state machine's definition is not JSON"}}})
			return nil
		}
		for _, fn := range statemachine.LambdaTasks(def) {
			t := inventory.Trigger{Origin: inventory.Origin{Address: arn + "#task/" + fn}, Kind: "push", Service: "sfn",
				SourceARN: arn, SourceAddress: arn, Target: fn, InvokeRole: role, Enabled: true}
			if strings.HasPrefix(fn, "$") {
				t.Target = ""
				t.Unknown = append(t.Unknown, inventory.Unknown{Field: "target", Reason: "the function is chosen at run time by the path " + fn})
			}
			setFunctionTarget(&t)
			p.addTrigger(t)
		}
		return nil
	})
}

package awsapi

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockagent"
	"github.com/aws/aws-sdk-go-v2/service/bedrockagent/types"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
)

// agentVersion is the version whose action groups are read: the working
// draft, which is what infrastructure code configures and every new
// version is made from.
const agentVersion = "DRAFT"

// collectBedrock reads a region's Bedrock agents and the functions their
// action groups run.
func collectBedrock(ctx context.Context, c *collector, region string, p *part) error {
	cl := bedrockagent.NewFromConfig(c.cfg, func(o *bedrockagent.Options) { o.Region = region })
	var agents []types.AgentSummary
	pg := bedrockagent.NewListAgentsPaginator(cl, &bedrockagent.ListAgentsInput{})
	for pg.HasMorePages() {
		page, err := pg.NextPage(ctx)
		k := call{c.account, region, "Bedrock Agent", "ListAgents", ""}
		denied, fatal := p.check(k, err)
		if fatal != nil {
			return fatal
		}
		if denied {
			break
		}
		for _, a := range page.AgentSummaries {
			if aws.ToString(a.AgentId) == "" {
				p.invalid(k, badValue("agentId", "", "an agent id"))
				continue
			}
			agents = append(agents, a)
		}
	}
	return forEach(ctx, c.limit, len(agents), func(ctx context.Context, i int) error {
		a := agents[i]
		id := aws.ToString(a.AgentId)
		arn := "arn:" + c.partition + ":bedrock:" + region + ":" + c.account + ":agent/" + id
		r := inventory.Resource{Origin: inventory.Origin{Address: arn}, Type: "AWS::Bedrock::Agent", Service: "bedrock",
			Name: aws.ToString(a.AgentName), ARN: arn, Account: c.account, Region: region}
		p.addResource(r)
		k := call{c.account, region, "Bedrock Agent", "ListAgentActionGroups", arn}
		var groups []types.ActionGroupSummary
		gp := bedrockagent.NewListAgentActionGroupsPaginator(cl, &bedrockagent.ListAgentActionGroupsInput{AgentId: aws.String(id), AgentVersion: aws.String(agentVersion)})
		for gp.HasMorePages() {
			page, err := gp.NextPage(ctx)
			denied, fatal := p.check(k, err)
			if fatal != nil {
				return fatal
			}
			if denied {
				return nil // a stand-in trigger names the action groups not read (gaps.go)
			}
			groups = append(groups, page.ActionGroupSummaries...)
		}
		for _, g := range groups {
			gk := call{c.account, region, "Bedrock Agent", "GetAgentActionGroup", arn}
			out, err := cl.GetAgentActionGroup(ctx, &bedrockagent.GetAgentActionGroupInput{AgentId: aws.String(id), AgentVersion: aws.String(agentVersion), ActionGroupId: g.ActionGroupId})
			denied, fatal := p.check(gk, err)
			switch {
			case fatal != nil:
				return fatal
			case denied || out.AgentActionGroup == nil:
				continue // denied: a stand-in trigger names the action group (gaps.go)
			}
			ag := out.AgentActionGroup
			exec, ok := ag.ActionGroupExecutor.(*types.ActionGroupExecutorMemberLambda)
			if !ok {
				continue // returned to the caller (RETURN_CONTROL): nothing is invoked
			}
			if !p.validARN(gk, "actionGroupExecutor.lambda", exec.Value, "lambda") {
				continue
			}
			t := inventory.Trigger{Origin: inventory.Origin{Address: arn + "#action-group/" + aws.ToString(ag.ActionGroupName)}, Kind: "push", Service: "bedrock",
				SourceARN: arn, SourceAddress: arn, Target: exec.Value, Enabled: ag.ActionGroupState != types.ActionGroupStateDisabled}
			setFunctionTarget(&t)
			p.addTrigger(t)
		}
		return nil
	})
}

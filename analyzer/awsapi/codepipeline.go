package awsapi

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
)

// collectCodePipeline reads a region's pipelines and their Lambda invoke
// actions; CodePipeline invokes with the action's role, else the
// pipeline's.
func collectCodePipeline(ctx context.Context, c *collector, region string, p *part) error {
	cl := codepipeline.NewFromConfig(c.cfg, func(o *codepipeline.Options) { o.Region = region })
	var names []string
	pg := codepipeline.NewListPipelinesPaginator(cl, &codepipeline.ListPipelinesInput{})
	for pg.HasMorePages() {
		page, err := pg.NextPage(ctx)
		denied, fatal := p.check(call{c.account, region, "CodePipeline", "ListPipelines", ""}, err)
		if fatal != nil {
			return fatal
		}
		if denied {
			break
		}
		for _, s := range page.Pipelines {
			if n := aws.ToString(s.Name); n != "" {
				names = append(names, n)
			}
		}
	}
	return forEach(ctx, c.limit, len(names), func(ctx context.Context, i int) error {
		arn := "arn:" + c.partition + ":codepipeline:" + region + ":" + c.account + ":" + names[i]
		k := call{c.account, region, "CodePipeline", "GetPipeline", arn}
		out, err := cl.GetPipeline(ctx, &codepipeline.GetPipelineInput{Name: aws.String(names[i])})
		denied, fatal := p.check(k, err)
		if fatal == nil && p.isGone(k) {
			return nil // deleted since it was listed: a warning says so
		}
		r := inventory.Resource{Origin: inventory.Origin{Address: arn}, Type: "AWS::CodePipeline::Pipeline", Service: "codepipeline",
			Name: names[i], ARN: arn, Account: c.account, Region: region}
		switch {
		case fatal != nil:
			return fatal
		case denied || out.Pipeline == nil:
			p.addResource(r) // a stand-in trigger names the actions not read (gaps.go)
			return nil
		}
		if out.Metadata != nil {
			if a := aws.ToString(out.Metadata.PipelineArn); a != "" && p.validARN(k, "pipelineArn", a, "codepipeline") {
				arn = a
				r.ARN, r.Origin.Address = a, a
			}
		}
		role := aws.ToString(out.Pipeline.RoleArn)
		setAttr(&r, "role_arn", role)
		p.addResource(r)
		for _, st := range out.Pipeline.Stages {
			for _, a := range st.Actions {
				if a.ActionTypeId == nil || a.ActionTypeId.Category != types.ActionCategoryInvoke || aws.ToString(a.ActionTypeId.Provider) != "Lambda" {
					continue
				}
				fn := a.Configuration["FunctionName"]
				if fn == "" {
					p.invalid(k, badValue("configuration.FunctionName", fn, "a function name"))
					continue
				}
				if !isARN(fn) {
					// The action names a function of the pipeline's account and region.
					fn = "arn:" + c.partition + ":lambda:" + nonEmpty(aws.ToString(a.Region), region) + ":" + c.account + ":function:" + fn
				}
				t := inventory.Trigger{Origin: inventory.Origin{Address: arn + "#" + aws.ToString(st.Name) + "/" + aws.ToString(a.Name)},
					Kind: "push", Service: "codepipeline", SourceARN: arn, SourceAddress: arn, Target: fn,
					InvokeRole: nonEmpty(aws.ToString(a.RoleArn), role), Enabled: true}
				setFunctionTarget(&t)
				p.addTrigger(t)
			}
		}
		return nil
	})
}

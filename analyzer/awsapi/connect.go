package awsapi

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
)

// collectConnect reads a region's Amazon Connect instances and the
// functions associated with them, which contact flows may invoke.
func collectConnect(ctx context.Context, c *collector, region string, p *part) error {
	cl := connect.NewFromConfig(c.cfg, func(o *connect.Options) { o.Region = region })
	var instances []types.InstanceSummary
	pg := connect.NewListInstancesPaginator(cl, &connect.ListInstancesInput{})
	for pg.HasMorePages() {
		page, err := pg.NextPage(ctx)
		k := call{c.account, region, "Connect", "ListInstances", ""}
		denied, fatal := p.check(k, err)
		if fatal != nil {
			return fatal
		}
		if denied {
			break
		}
		for _, in := range page.InstanceSummaryList {
			if p.validARN(k, "Arn", aws.ToString(in.Arn), "connect") {
				instances = append(instances, in)
			}
		}
	}
	return forEach(ctx, c.limit, len(instances), func(ctx context.Context, i int) error {
		in := instances[i]
		arn := aws.ToString(in.Arn)
		p.addResource(inventory.Resource{Origin: inventory.Origin{Address: arn}, Type: "AWS::Connect::Instance", Service: "connect",
			Name: aws.ToString(in.InstanceAlias), ARN: arn, Account: nonEmpty(accountOf(arn), c.account), Region: region})
		k := call{c.account, region, "Connect", "ListLambdaFunctions", arn}
		var fns []string
		fp := connect.NewListLambdaFunctionsPaginator(cl, &connect.ListLambdaFunctionsInput{InstanceId: in.Id})
		for fp.HasMorePages() {
			page, err := fp.NextPage(ctx)
			denied, fatal := p.check(k, err)
			if fatal != nil {
				return fatal
			}
			if denied || p.isGone(k) {
				return nil // denied: a stand-in trigger names the functions not read (gaps.go)
			}
			fns = append(fns, page.LambdaFunctions...)
		}
		for _, fn := range fns {
			if !p.validARN(k, "LambdaFunctions", fn, "lambda") {
				continue
			}
			t := inventory.Trigger{Origin: inventory.Origin{Address: arn + "#lambda/" + fn}, Kind: "push", Service: "connect",
				SourceARN: arn, SourceAddress: arn, Target: fn, Enabled: in.InstanceStatus == types.InstanceStatusActive}
			setFunctionTarget(&t)
			p.addTrigger(t)
		}
		return nil
	})
}

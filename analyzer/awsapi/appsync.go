package awsapi

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/appsync"
	"github.com/aws/aws-sdk-go-v2/service/appsync/types"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
)

// collectAppSync reads a region's GraphQL APIs: their Lambda authorizers
// (invoked through the function's resource policy) and their Lambda data
// sources (invoked with the data source's service role).
func collectAppSync(ctx context.Context, c *collector, region string, p *part) error {
	cl := appsync.NewFromConfig(c.cfg, func(o *appsync.Options) { o.Region = region })
	var apis []types.GraphqlApi
	pg := appsync.NewListGraphqlApisPaginator(cl, &appsync.ListGraphqlApisInput{})
	for pg.HasMorePages() {
		page, err := pg.NextPage(ctx)
		k := call{c.account, region, "AppSync", "ListGraphqlApis", ""}
		denied, fatal := p.check(k, err)
		if fatal != nil {
			return fatal
		}
		if denied {
			break
		}
		for _, a := range page.GraphqlApis {
			if p.validARN(k, "arn", aws.ToString(a.Arn), "appsync") {
				apis = append(apis, a)
			}
		}
	}
	return forEach(ctx, c.limit, len(apis), func(ctx context.Context, i int) error {
		a := apis[i]
		arn := aws.ToString(a.Arn)
		p.addResource(inventory.Resource{Origin: inventory.Origin{Address: arn}, Type: "AWS::AppSync::GraphQLApi", Service: "appsync",
			Name: aws.ToString(a.Name), ARN: arn, Account: nonEmpty(accountOf(arn), c.account), Region: region})
		lk := call{c.account, region, "AppSync", "ListGraphqlApis", ""}
		authorizers := []*types.LambdaAuthorizerConfig{a.LambdaAuthorizerConfig}
		for _, extra := range a.AdditionalAuthenticationProviders {
			authorizers = append(authorizers, extra.LambdaAuthorizerConfig)
		}
		seen := map[string]bool{}
		for _, az := range authorizers {
			fn := ""
			if az != nil {
				fn = aws.ToString(az.AuthorizerUri)
			}
			if fn == "" || seen[fn] || !p.validARN(lk, "lambdaAuthorizerConfig.authorizerUri", fn, "lambda") {
				continue
			}
			seen[fn] = true
			t := inventory.Trigger{Origin: inventory.Origin{Address: arn + "#authorizer/" + fn}, Kind: "push", Service: "appsync",
				SourceARN: arn, SourceAddress: arn, Target: fn, Enabled: true, Events: []string{"authorizer"}}
			setFunctionTarget(&t)
			p.addTrigger(t)
		}
		k := call{c.account, region, "AppSync", "ListDataSources", arn}
		dp := appsync.NewListDataSourcesPaginator(cl, &appsync.ListDataSourcesInput{ApiId: a.ApiId})
		var sources []types.DataSource
		for dp.HasMorePages() {
			page, err := dp.NextPage(ctx)
			denied, fatal := p.check(k, err)
			if fatal != nil {
				return fatal
			}
			if denied || p.isGone(k) {
				return nil // denied: a stand-in trigger names the data sources not read (gaps.go)
			}
			sources = append(sources, page.DataSources...)
		}
		for _, ds := range sources {
			if ds.Type != types.DataSourceTypeAwsLambda || ds.LambdaConfig == nil {
				continue
			}
			fn := aws.ToString(ds.LambdaConfig.LambdaFunctionArn)
			if !p.validARN(k, "lambdaConfig.lambdaFunctionArn", fn, "lambda") {
				continue
			}
			t := inventory.Trigger{Origin: inventory.Origin{Address: arn + "#datasource/" + aws.ToString(ds.Name)}, Kind: "push", Service: "appsync",
				SourceARN: arn, SourceAddress: arn, Target: fn, InvokeRole: aws.ToString(ds.ServiceRoleArn), Enabled: true, Events: []string{"data_source"}}
			if t.InvokeRole == "" {
				t.Unknown = append(t.Unknown, inventory.Unknown{Field: "invoke_role", Reason: "the data source names no service role"})
			}
			setFunctionTarget(&t)
			p.addTrigger(t)
		}
		return nil
	})
}

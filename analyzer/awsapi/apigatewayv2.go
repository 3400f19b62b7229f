package awsapi

import (
	"context"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
)

// collectAPIGatewayV2 reads a region's HTTP and WebSocket APIs: routes,
// their Lambda integrations, stages and Lambda authorizers. None of these
// list calls has an SDK paginator: each loops on NextToken.
func collectAPIGatewayV2(ctx context.Context, c *collector, region string, p *part) error {
	cl := apigatewayv2.NewFromConfig(c.cfg, func(o *apigatewayv2.Options) { o.Region = region })
	var apis []types.Api
	for token := (*string)(nil); ; {
		out, err := cl.GetApis(ctx, &apigatewayv2.GetApisInput{NextToken: token})
		denied, fatal := p.check(call{c.account, region, "ApiGatewayV2", "GetApis", ""}, err)
		if fatal != nil {
			return fatal
		}
		if denied {
			break
		}
		apis = append(apis, out.Items...)
		if token = out.NextToken; aws.ToString(token) == "" {
			break
		}
	}
	return forEach(ctx, c.limit, len(apis), func(ctx context.Context, i int) error {
		return c.httpAPI(ctx, cl, region, apis[i], p)
	})
}

func (c *collector) httpAPI(ctx context.Context, cl *apigatewayv2.Client, region string, api types.Api, p *part) error {
	id := aws.ToString(api.ApiId)
	arn := c.executeAPIARN(region, id)
	r := inventory.Resource{Origin: inventory.Origin{Address: arn}, Type: "AWS::ApiGatewayV2::Api", Service: "execute-api",
		Name: aws.ToString(api.Name), ARN: arn, Account: c.account, Region: region, URL: aws.ToString(api.ApiEndpoint)}
	setAttr(&r, "id", id)
	setAttr(&r, "protocol_type", string(api.ProtocolType))
	p.addResource(r)
	k := func(op string) call { return call{c.account, region, "ApiGatewayV2", op, arn} }

	var stages []string
	stagesDenied := false
	for token := (*string)(nil); ; {
		out, err := cl.GetStages(ctx, &apigatewayv2.GetStagesInput{ApiId: aws.String(id), NextToken: token})
		denied, fatal := p.check(k("GetStages"), err)
		if fatal != nil {
			return fatal
		}
		if stagesDenied = denied; denied {
			break
		}
		for _, s := range out.Items {
			stages = append(stages, aws.ToString(s.StageName))
		}
		if token = out.NextToken; aws.ToString(token) == "" {
			break
		}
	}
	sort.Strings(stages)

	type integ struct{ fn, role string }
	integrations := map[string]integ{}
	for token := (*string)(nil); ; {
		out, err := cl.GetIntegrations(ctx, &apigatewayv2.GetIntegrationsInput{ApiId: aws.String(id), NextToken: token})
		denied, fatal := p.check(k("GetIntegrations"), err)
		if fatal != nil {
			return fatal
		}
		if denied {
			break
		}
		for _, in := range out.Items {
			integrations[aws.ToString(in.IntegrationId)] = integ{fn: lambdaFromURI(aws.ToString(in.IntegrationUri)), role: aws.ToString(in.CredentialsArn)}
		}
		if token = out.NextToken; aws.ToString(token) == "" {
			break
		}
	}

	for token := (*string)(nil); ; {
		out, err := cl.GetRoutes(ctx, &apigatewayv2.GetRoutesInput{ApiId: aws.String(id), NextToken: token})
		denied, fatal := p.check(k("GetRoutes"), err)
		if fatal != nil {
			return fatal
		}
		if denied {
			break
		}
		for _, rt := range out.Items {
			in, ok := integrations[strings.TrimPrefix(aws.ToString(rt.Target), "integrations/")]
			if !ok || in.fn == "" {
				continue
			}
			key := aws.ToString(rt.RouteKey)
			arnRoute := key
			if method, path, found := strings.Cut(key, " "); found {
				if method == "ANY" {
					method = "*"
				}
				arnRoute = method + path
			}
			auth := string(rt.AuthorizationType)
			if auth == "" {
				auth = "NONE"
			}
			base := inventory.Trigger{Origin: inventory.Origin{Address: c.apiGatewayARN(region, "/apis/"+id+"/routes/"+aws.ToString(rt.RouteId))},
				Kind: "push", Service: "apigatewayv2", SourceAddress: arn, Target: in.fn, InvokeRole: in.role, Authorization: auth,
				Enabled: true, Events: []string{key}, Filter: &inventory.Filter{Expression: key}}
			setFunctionTarget(&base)
			p.addTrigger(apiTriggers(base, arn, stages, stagesDenied, arnRoute, p.reason(k("GetStages")))...)
		}
		if token = out.NextToken; aws.ToString(token) == "" {
			break
		}
	}

	for token := (*string)(nil); ; {
		out, err := cl.GetAuthorizers(ctx, &apigatewayv2.GetAuthorizersInput{ApiId: aws.String(id), NextToken: token})
		denied, fatal := p.check(k("GetAuthorizers"), err)
		if fatal != nil {
			return fatal
		}
		if denied {
			break
		}
		for _, a := range out.Items {
			// JWT authorizers invoke no function.
			if t, ok := c.authorizerTrigger(region, "apigatewayv2", "/apis/"+id, arn, aws.ToString(a.AuthorizerId), aws.ToString(a.AuthorizerUri), aws.ToString(a.AuthorizerCredentialsArn)); ok {
				p.addTrigger(t)
			}
		}
		if token = out.NextToken; aws.ToString(token) == "" {
			break
		}
	}
	return nil
}

package awsapi

import (
	"context"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	"github.com/aws/aws-sdk-go-v2/service/apigateway/types"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
)

// collectAPIGateway reads a region's REST APIs: the API policy (returned
// as JSON with its quotes escaped once more), the stages, every method's
// Lambda integration (GetResources with embed=methods brings methods and
// integrations in one paginated call) and Lambda authorizers.
func collectAPIGateway(ctx context.Context, c *collector, region string, p *part) error {
	cl := apigateway.NewFromConfig(c.cfg, func(o *apigateway.Options) { o.Region = region })
	var apis []types.RestApi
	pg := apigateway.NewGetRestApisPaginator(cl, &apigateway.GetRestApisInput{})
	for pg.HasMorePages() {
		page, err := pg.NextPage(ctx)
		denied, fatal := p.check(call{c.account, region, "API Gateway", "GetRestApis", ""}, err)
		if fatal != nil {
			return fatal
		}
		if denied {
			break
		}
		apis = append(apis, page.Items...)
	}
	return forEach(ctx, c.limit, len(apis), func(ctx context.Context, i int) error {
		return c.restAPI(ctx, cl, region, apis[i], p)
	})
}

// executeAPIARN is the ARN API Gateway invokes with (aws:SourceArn).
func (c *collector) executeAPIARN(region, apiID string) string {
	return "arn:" + c.partition + ":execute-api:" + region + ":" + c.account + ":" + apiID
}

// apiGatewayARN is the management ARN of an API Gateway sub-resource.
func (c *collector) apiGatewayARN(region, path string) string {
	return "arn:" + c.partition + ":apigateway:" + region + "::" + path
}

func (c *collector) restAPI(ctx context.Context, cl *apigateway.Client, region string, api types.RestApi, p *part) error {
	id := aws.ToString(api.Id)
	arn := c.executeAPIARN(region, id)
	r := inventory.Resource{Origin: inventory.Origin{Address: arn}, Type: "AWS::ApiGateway::RestApi", Service: "execute-api",
		Name: aws.ToString(api.Name), ARN: arn, Account: c.account, Region: region}
	setAttr(&r, "id", id)
	if api.Policy != nil {
		r.Policy = p.resourcePolicy(call{c.account, region, "API Gateway", "GetRestApis", arn}, "api-policy", arn, aws.ToString(api.Policy))
	}
	if api.EndpointConfiguration != nil && len(api.EndpointConfiguration.Types) > 0 {
		setAttr(&r, "endpoint_type", string(api.EndpointConfiguration.Types[0]))
	}
	p.addResource(r)

	k := func(op string) call { return call{c.account, region, "API Gateway", op, arn} }
	var stages []string
	st, err := cl.GetStages(ctx, &apigateway.GetStagesInput{RestApiId: aws.String(id)})
	stagesDenied, fatal := p.check(k("GetStages"), err)
	if fatal != nil {
		return fatal
	}
	if !stagesDenied {
		for _, s := range st.Item {
			stages = append(stages, aws.ToString(s.StageName))
		}
		sort.Strings(stages)
	}

	rp := apigateway.NewGetResourcesPaginator(cl, &apigateway.GetResourcesInput{RestApiId: aws.String(id), Embed: []string{"methods"}})
	for rp.HasMorePages() {
		page, err := rp.NextPage(ctx)
		denied, fatal := p.check(k("GetResources"), err)
		if fatal != nil {
			return fatal
		}
		if denied {
			break
		}
		for _, res := range page.Items {
			path := aws.ToString(res.Path)
			methods := make([]string, 0, len(res.ResourceMethods))
			for m := range res.ResourceMethods {
				methods = append(methods, m)
			}
			sort.Strings(methods)
			for _, method := range methods {
				m := res.ResourceMethods[method]
				in := m.MethodIntegration
				if in == nil {
					continue
				}
				fn := lambdaFromURI(aws.ToString(in.Uri))
				if fn == "" {
					continue // not a Lambda integration
				}
				route := method + " " + path
				arnMethod := method
				if method == "ANY" {
					arnMethod = "*"
				}
				base := inventory.Trigger{Kind: "push", Service: "apigateway", SourceAddress: arn, Target: fn,
					InvokeRole: aws.ToString(in.Credentials), Authorization: aws.ToString(m.AuthorizationType),
					Enabled: true, Events: []string{route}, Filter: &inventory.Filter{Expression: route}}
				base.Origin = inventory.Origin{Address: c.apiGatewayARN(region, "/restapis/"+id+"/resources/"+aws.ToString(res.Id)+"/methods/"+method+"/integration")}
				setFunctionTarget(&base)
				p.addTrigger(apiTriggers(base, arn, stages, stagesDenied, arnMethod+path, p.reason(k("GetStages")))...)
			}
		}
	}

	// GetAuthorizers has no paginator: loop on position.
	for pos := (*string)(nil); ; {
		out, err := cl.GetAuthorizers(ctx, &apigateway.GetAuthorizersInput{RestApiId: aws.String(id), Position: pos})
		denied, fatal := p.check(k("GetAuthorizers"), err)
		if fatal != nil {
			return fatal
		}
		if denied {
			break
		}
		for _, a := range out.Items {
			// Cognito authorizers invoke no function.
			if t, ok := c.authorizerTrigger(region, "apigateway", "/restapis/"+id, arn, aws.ToString(a.Id), aws.ToString(a.AuthorizerUri), aws.ToString(a.AuthorizerCredentials)); ok {
				p.addTrigger(t)
			}
		}
		if pos = out.Position; aws.ToString(pos) == "" {
			break
		}
	}
	return nil
}

// authorizerTrigger is the trigger of a Lambda authorizer of the API at
// apiPath ("/restapis/ID", "/apis/ID"), or false for an authorizer that
// invokes no function.
func (c *collector) authorizerTrigger(region, service, apiPath, apiARN, id, uri, credentials string) (inventory.Trigger, bool) {
	fn := lambdaFromURI(uri)
	if fn == "" {
		return inventory.Trigger{}, false
	}
	t := inventory.Trigger{Origin: inventory.Origin{Address: c.apiGatewayARN(region, apiPath+"/authorizers/"+id)}, Kind: "push",
		Service: service, SourceARN: apiARN + "/authorizers/" + id, SourceAddress: apiARN, Target: fn,
		InvokeRole: credentials, Enabled: true, Events: []string{"authorizer"}}
	setFunctionTarget(&t)
	return t, true
}

// apiTriggers makes one trigger per stage: API Gateway invokes with the
// source ARN API/STAGE/METHOD/PATH. With no stage the API is not deployed
// and the stage part is unknown.
func apiTriggers(base inventory.Trigger, apiARN string, stages []string, stagesDenied bool, arnRoute, why string) []inventory.Trigger {
	if len(stages) == 0 {
		t := base
		reason := "no stage deploys the API, so the stage in the source ARN is unknown"
		if stagesDenied {
			reason = why
		}
		t.Unknown = append(t.Unknown, inventory.Unknown{Field: "source_arn", Reason: reason})
		return []inventory.Trigger{t}
	}
	out := make([]inventory.Trigger, 0, len(stages))
	for _, s := range stages {
		t := base
		t.SourceARN = apiARN + "/" + s + "/" + arnRoute
		out = append(out, t)
	}
	return out
}

// lambdaFromURI extracts the function ARN from an integration or
// authorizer URI (arn:…:apigateway:REGION:lambda:path/2015-03-31/functions/ARN/invocations);
// a plain function ARN is returned as is.
func lambdaFromURI(uri string) string {
	const marker = ":lambda:path/2015-03-31/functions/"
	if j := strings.Index(uri, marker); j >= 0 {
		return strings.TrimSuffix(uri[j+len(marker):], "/invocations")
	}
	if _, svc, _, _, res, ok := arnParts(uri); ok && svc == "lambda" && strings.HasPrefix(res, "function:") {
		return uri
	}
	return ""
}

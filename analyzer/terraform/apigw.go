package terraform

import (
	"sort"
	"strings"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
	"github.com/lambdacheck/lambdacheck/analyzer/loc"
)

func decodeRestAPI(b *builder, i *instance) {
	r, o := newResource(i, "execute-api")
	r.Type = i.Resource.Type
	r.ARN = o.str("execution_arn")
	r.Name = o.str("name")
	setAttr(r, "id", o.str("id"))
	r.Policy = resourcePolicy(i, o, "policy")
	b.addResource(r)
}

func decodeHTTPAPI(b *builder, i *instance) {
	r, o := newResource(i, "execute-api")
	r.ARN = o.str("execution_arn")
	r.Name = o.str("name")
	r.URL = o.str("api_endpoint")
	proto := o.str("protocol_type")
	setAttr(r, "id", o.str("id"))
	setAttr(r, "protocol_type", proto)
	b.addResource(r)
	// Quick create: target makes a $default route and stage.
	if target := o.str("target"); target != "" && r.ARN != "" {
		t := inventory.Trigger{Origin: i.origin, Kind: "push", Service: "apigatewayv2", SourceAddress: i.Addr,
			SourceARN: r.ARN + "/$default/$default", Target: lambdaFromURI(target), Enabled: true,
			Events: []string{"$default"}, Filter: &inventory.Filter{Expression: "$default"}, Authorization: "NONE"}
		setFunctionTarget(i, &t)
		b.inv.Triggers = append(b.inv.Triggers, t)
	}
}

// lambdaFromURI extracts the function ARN from an API Gateway integration
// URI (arn:…:apigateway:REGION:lambda:path/2015-03-31/functions/ARN/invocations);
// a plain function ARN is returned as is.
func lambdaFromURI(uri string) string {
	const marker = ":lambda:path/2015-03-31/functions/"
	if j := strings.Index(uri, marker); j >= 0 {
		rest := uri[j+len(marker):]
		return strings.TrimSuffix(rest, "/invocations")
	}
	if strings.Contains(uri, ":lambda:") && strings.Contains(uri, ":function:") {
		return uri
	}
	return ""
}

func executeAPI(i *instance, apiID string) string {
	p := i.Provider
	return "arn:" + p.Partition + ":execute-api:" + p.Region + ":" + p.Account + ":" + apiID
}

// stages collects stage names per API id from the stashed stage and
// deployment resources.
func (b *builder) stages(stageType, apiAttr, nameAttr string, extra func(map[string][]string)) map[string][]string {
	out := map[string][]string{}
	for _, s := range b.stashed[stageType] {
		o := s.obj(nil)
		api, name := o.str(apiAttr), o.str(nameAttr)
		if api != "" && name != "" {
			out[api] = append(out[api], name)
		}
	}
	if extra != nil {
		extra(out)
	}
	for k, v := range out {
		sort.Strings(v)
		uniq := v[:0]
		for j, s := range v {
			if j == 0 || s != v[j-1] {
				uniq = append(uniq, s)
			}
		}
		out[k] = uniq
	}
	return out
}

func (b *builder) linkAPIGateway() {
	rest := b.stages("aws_api_gateway_stage", "rest_api_id", "stage_name", func(m map[string][]string) {
		for _, d := range b.stashed["aws_api_gateway_deployment"] {
			o := d.obj(nil)
			if api, name := o.str("rest_api_id"), o.str("stage_name"); api != "" && name != "" {
				m[api] = append(m[api], name)
			}
		}
	})
	methodAuth := map[string]string{}
	for _, m := range b.stashed["aws_api_gateway_method"] {
		o := m.obj(nil)
		methodAuth[o.str("rest_api_id")+"|"+o.str("resource_id")+"|"+o.str("http_method")] = o.str("authorization")
	}
	for _, i := range b.stashed["aws_api_gateway_integration"] {
		var unknown []inventory.Unknown
		o := i.obj(&unknown)
		fn := lambdaFromURI(o.str("uri"))
		if fn == "" && len(unknown) == 0 {
			continue // not a Lambda integration
		}
		api, method := o.str("rest_api_id"), o.str("http_method")
		path, ok := b.k.apiPaths[o.str("resource_id")]
		if !ok {
			unknown = append(unknown, inventory.Unknown{Field: "source_arn", Reason: "the API resource path is not known", Span: loc.At(i.origin.File, i.origin.Line)})
		}
		route := method + " " + path
		arnMethod := method
		if method == "ANY" {
			arnMethod = "*"
		}
		auth := methodAuth[api+"|"+o.str("resource_id")+"|"+method]
		b.apiTriggers(i, "apigateway", api, rest[api], arnMethod+path, route, fn, o.str("credentials"), auth, unknown, ok && api != "" && method != "")
	}
	for _, i := range b.stashed["aws_api_gateway_authorizer"] {
		b.authorizer(i, "apigateway", "rest_api_id", "authorizer_credentials")
	}
	v2 := b.stages("aws_apigatewayv2_stage", "api_id", "name", nil)
	type integ struct {
		fn, role string
		unknown  []inventory.Unknown
	}
	integrations := map[string]integ{}
	for _, i := range b.stashed["aws_apigatewayv2_integration"] {
		var unknown []inventory.Unknown
		o := i.obj(&unknown)
		uri := o.str("integration_uri")
		fn := lambdaFromURI(uri)
		if fn == "" && strings.Contains(uri, "<") && o.str("integration_type") == "AWS_PROXY" && o.str("integration_subtype") == "" {
			// A Lambda proxy integration whose URI is known only after
			// apply (a module's output): the symbol names the function.
			fn = uri
		}
		integrations[o.str("id")] = integ{fn: fn, role: o.str("credentials_arn"), unknown: unknown}
	}
	for _, i := range b.stashed["aws_apigatewayv2_route"] {
		var unknown []inventory.Unknown
		o := i.obj(&unknown)
		target := o.str("target")
		in, ok := integrations[strings.TrimPrefix(target, "integrations/")]
		if !ok || (in.fn == "" && len(in.unknown) == 0) {
			continue
		}
		unknown = append(unknown, in.unknown...)
		key := o.str("route_key")
		arnRoute := key
		if method, path, found := strings.Cut(key, " "); found {
			if method == "ANY" {
				method = "*"
			}
			arnRoute = method + path
		}
		api := o.str("api_id")
		auth := o.str("authorization_type")
		if auth == "" {
			auth = "NONE"
		}
		b.apiTriggers(i, "apigatewayv2", api, v2[api], arnRoute, key, in.fn, in.role, auth, unknown, api != "" && key != "")
	}
	for _, i := range b.stashed["aws_apigatewayv2_authorizer"] {
		b.authorizer(i, "apigatewayv2", "api_id", "authorizer_credentials_arn")
	}
}

// apiTriggers adds one trigger per stage of the API for a route. The
// source ARN is the one API Gateway invokes with:
// arn:PARTITION:execute-api:REGION:ACCOUNT:API/STAGE/METHOD/PATH.
func (b *builder) apiTriggers(i *instance, service, api string, stages []string, arnRoute, route, fn, role, auth string, unknown []inventory.Unknown, known bool) {
	base := inventory.Trigger{Origin: i.origin, Kind: "push", Service: service, Target: fn, InvokeRole: role, Authorization: auth,
		Enabled: true, Events: []string{route}, Filter: &inventory.Filter{Expression: route}, Unknown: unknown}
	if r, ok := b.resources[executeAPI(i, api)]; ok {
		base.SourceAddress = r.Address
	}
	setFunctionTarget(i, &base)
	if !known || len(stages) == 0 {
		t := base
		if known {
			t.Unknown = append(append([]inventory.Unknown(nil), unknown...), inventory.Unknown{Field: "source_arn",
				Reason: "no stage of this configuration deploys the API, so the stage in the source ARN is unknown", Span: loc.At(i.origin.File, i.origin.Line)})
		}
		b.inv.Triggers = append(b.inv.Triggers, t)
		return
	}
	for _, stage := range stages {
		t := base
		t.SourceARN = executeAPI(i, api) + "/" + stage + "/" + arnRoute
		b.inv.Triggers = append(b.inv.Triggers, t)
	}
}

func (b *builder) authorizer(i *instance, service, apiAttr, credAttr string) {
	t := inventory.Trigger{Origin: i.origin, Kind: "push", Service: service, Enabled: true, Events: []string{"authorizer"}}
	o := i.obj(&t.Unknown)
	t.Target = lambdaFromURI(o.str("authorizer_uri"))
	if t.Target == "" && len(t.Unknown) == 0 {
		return // JWT or Cognito authorizers invoke no function
	}
	t.InvokeRole = o.str(credAttr)
	api, id := o.str(apiAttr), o.str("id")
	if api != "" && id != "" {
		// API Gateway invokes authorizers with this source ARN.
		t.SourceARN = executeAPI(i, api) + "/authorizers/" + id
	}
	if r, ok := b.resources[executeAPI(i, api)]; ok {
		t.SourceAddress = r.Address
	}
	setFunctionTarget(i, &t)
	b.inv.Triggers = append(b.inv.Triggers, t)
}

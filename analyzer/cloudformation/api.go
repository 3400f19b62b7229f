package cloudformation

import (
	"regexp"
	"strings"

	"github.com/zclconf/go-cty/cty"
	"go.yaml.in/yaml/v3"

	"github.com/lambdacheck/lambdacheck/analyzer/terraform/eval"
)

// restAPI is an API Gateway REST API, explicit (AWS::Serverless::Api,
// AWS::ApiGateway::RestApi) or the implicit ServerlessRestApi SAM makes
// for Api events that name none.
type restAPI struct {
	inst  *eval.Instance
	paths map[string]cty.Value // path → resource id
	auth  apiAuth
	// routes are the "METHOD /path" an event or the definition declares.
	routes map[string]bool
	body   *yaml.Node // the OpenAPI definition, read once all events are
}

type httpAPI struct {
	inst   *eval.Instance
	auth   apiAuth
	routes map[string]bool
	body   *yaml.Node
}

// apiKey is the logical id an event's API property refers to, or the
// implicit API's.
func apiKey(props *yaml.Node, prop, implicit string) string {
	n := get(props, prop)
	if fn, arg, ok := intrinsic(n); ok && fn == "Ref" {
		return arg.Value
	}
	return implicit
}

func (t *template) restAPI(key string, depth int) *restAPI {
	if a := t.rest[key]; a != nil {
		return a
	}
	n := t.root
	name := t.generated(key, n)
	stage := cty.StringVal("Prod")
	if r := t.resources[key]; r != nil {
		n = r.key
		if v := t.prop(r.props, "Name", depth); v != cty.NilVal {
			name = v
		}
		if v := t.prop(r.props, "StageName", depth); v != cty.NilVal {
			stage = v
		}
	}
	inst := t.emit(key, "aws_api_gateway_rest_api", n, map[string]cty.Value{"name": name})
	a := &restAPI{inst: inst, paths: map[string]cty.Value{"/": attr(inst.Value, "root_resource_id")}}
	if t.rest == nil {
		t.rest = map[string]*restAPI{}
	}
	t.rest[key] = a
	a.routes = map[string]bool{}
	if r := t.resources[key]; r != nil {
		a.body = t.definition(r, "Body", "DefinitionBody")
	}
	if r := t.resources[key]; r != nil && r.typ == "AWS::ApiGateway::RestApi" {
		return a // its stages are its own resources
	}
	t.emit(key+"Stage", "aws_api_gateway_stage", n, map[string]cty.Value{"rest_api_id": attr(inst.Value, "id"), "stage_name": stage})
	a.auth = t.restAuth(key, attr(inst.Value, "id"), attr(inst.Value, "execution_arn"), t.samAuth(key, "Api"), depth)
	return a
}

// resource returns the id of the API resource for path, creating the
// chain of resources down to it.
func (t *template) resourceFor(a *restAPI, path string, n *yaml.Node) cty.Value {
	path = "/" + strings.Trim(path, "/")
	if id, ok := a.paths[path]; ok {
		return id
	}
	parent := path[:strings.LastIndexByte(path, '/')]
	if parent == "" {
		parent = "/"
	}
	pid := t.resourceFor(a, parent, n)
	inst := t.emit(a.inst.Addr+".Resource"+path, "aws_api_gateway_resource", n, map[string]cty.Value{
		"rest_api_id": attr(a.inst.Value, "id"), "parent_id": pid, "path_part": cty.StringVal(path[strings.LastIndexByte(path, '/')+1:])})
	id := attr(inst.Value, "id")
	a.paths[path] = id
	return id
}

var pathParam = regexp.MustCompile(`\{[^}]*\}`)

// arnPath is a route's part of an execute-api source ARN: methods and
// path parameters become wildcards, as SAM writes its permissions.
func arnPath(method, path string) string {
	if strings.EqualFold(method, "any") || method == "" {
		method = "*"
	}
	return strings.ToUpper(method) + pathParam.ReplaceAllString("/"+strings.Trim(path, "/"), "*")
}

func (t *template) apiEvent(addr string, e eventDef, target cty.Value, depth int) {
	key := apiKey(e.props, "RestApiId", "ServerlessRestApi")
	a := t.restAPI(key, depth)
	path, _ := textOf(t.prop(e.props, "Path", depth))
	method, _ := textOf(t.prop(e.props, "Method", depth))
	method = strings.ToUpper(method)
	if method == "" {
		method = "ANY"
	}
	rid := t.resourceFor(a, path, e.node)
	a.routes[method+" /"+strings.Trim(path, "/")] = true
	t.authz[addr+"Integration"] = a.auth.of(t.eventAuthorizer(e, depth))
	uri := t.concat([]cty.Value{cty.StringVal("arn:" + t.partition + ":apigateway:" + t.region + ":lambda:path/2015-03-31/functions/"), target, cty.StringVal("/invocations")}, "", e.node)
	t.emit(addr+"Integration", "aws_api_gateway_integration", e.node, map[string]cty.Value{"rest_api_id": attr(a.inst.Value, "id"),
		"resource_id": rid, "http_method": cty.StringVal(method), "type": cty.StringVal("AWS_PROXY"), "integration_http_method": cty.StringVal("POST"), "uri": uri})
	src := t.concat([]cty.Value{attr(a.inst.Value, "execution_arn"), cty.StringVal("/*/" + arnPath(method, path))}, "", e.node)
	t.permission(addr+"Permission", "apigateway.amazonaws.com", target, src, e.node, false)
}

// samAuth is the Auth of a SAM API (implicit or declared), or the one
// Globals gives every API of its kind.
func (t *template) samAuth(key, kind string) *yaml.Node {
	if r := t.resources[key]; r != nil {
		if a := get(r.props, "Auth"); a != nil {
			return a
		}
	}
	return get(get(get(t.root, "Globals"), kind), "Auth")
}

func (t *template) httpAPI(key string, depth int) *httpAPI {
	if a := t.http[key]; a != nil {
		return a
	}
	n := t.root
	name := t.generated(key, n)
	stage := cty.StringVal("$default")
	if r := t.resources[key]; r != nil {
		n = r.key
		if v := t.prop(r.props, "Name", depth); v != cty.NilVal {
			name = v
		}
		if v := t.prop(r.props, "StageName", depth); v != cty.NilVal {
			stage = v
		}
	}
	attrs := map[string]cty.Value{"name": name, "protocol_type": cty.StringVal("HTTP")}
	if r := t.resources[key]; r != nil && r.typ == "AWS::ApiGatewayV2::Api" {
		// A WebSocket API, or an HTTP API made by quick create (Target).
		if v := t.prop(r.props, "ProtocolType", depth); v != cty.NilVal {
			attrs["protocol_type"] = v
		}
		attrs["target"] = t.prop(r.props, "Target", depth)
	}
	inst := t.emit(key, "aws_apigatewayv2_api", n, attrs)
	a := &httpAPI{inst: inst}
	if t.http == nil {
		t.http = map[string]*httpAPI{}
	}
	t.http[key] = a
	a.routes = map[string]bool{}
	if r := t.resources[key]; r != nil {
		a.body = t.definition(r, "Body", "DefinitionBody")
	}
	if r := t.resources[key]; r == nil || r.typ != "AWS::ApiGatewayV2::Api" {
		t.emit(key+"Stage", "aws_apigatewayv2_stage", n, map[string]cty.Value{"api_id": attr(inst.Value, "id"), "name": stage})
		a.auth = t.httpAuth(key, attr(inst.Value, "id"), attr(inst.Value, "execution_arn"), t.samAuth(key, "HttpApi"), depth)
	}
	return a
}

func (t *template) httpEvent(addr string, e eventDef, target cty.Value, depth int) {
	a := t.httpAPI(apiKey(e.props, "ApiId", "ServerlessHttpApi"), depth)
	path, _ := textOf(t.prop(e.props, "Path", depth))
	method, _ := textOf(t.prop(e.props, "Method", depth))
	route, arnRoute := "$default", "*"
	if path != "" {
		m := strings.ToUpper(method)
		if m == "" || m == "X-AMAZON-APIGATEWAY-ANY-METHOD" {
			m = "ANY"
		}
		route, arnRoute = m+" "+path, arnPath(m, path)
	}
	integ := t.emit(addr+"Integration", "aws_apigatewayv2_integration", e.node, map[string]cty.Value{"api_id": attr(a.inst.Value, "id"),
		"integration_type": cty.StringVal("AWS_PROXY"), "integration_uri": target, "payload_format_version": cty.StringVal("2.0")})
	a.routes[route] = true
	auth := cty.StringVal(a.auth.of(t.eventAuthorizer(e, depth)))
	t.emit(addr+"Route", "aws_apigatewayv2_route", e.node, map[string]cty.Value{"api_id": attr(a.inst.Value, "id"),
		"route_key": cty.StringVal(route), "target": t.concat([]cty.Value{cty.StringVal("integrations/"), attr(integ.Value, "id")}, "", e.node),
		"authorization_type": auth})
	src := t.concat([]cty.Value{attr(a.inst.Value, "execution_arn"), cty.StringVal("/*/" + arnRoute)}, "", e.node)
	t.permission(addr+"Permission", "apigateway.amazonaws.com", target, src, e.node, false)
}

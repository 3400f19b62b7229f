package cloudformation

import (
	"fmt"
	"sort"
	"strings"

	"github.com/zclconf/go-cty/cty"
	"go.yaml.in/yaml/v3"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
	"github.com/lambdacheck/lambdacheck/analyzer/loc"
)

// apiAuth is what an API's Auth property (SAM) or its OpenAPI security
// schemes say about how callers are authorized.
type apiAuth struct {
	kinds map[string]string // authorizer name → authorization type
	def   string            // the default authorizer's name
}

// of is the authorization type of a route naming authorizer name ("" for
// the API's default).
func (a apiAuth) of(name string) string {
	if name == "" {
		name = a.def
	}
	switch name {
	case "", "NONE":
		return "NONE"
	case "AWS_IAM":
		return "AWS_IAM"
	}
	return a.kinds[name] // "" when the API defines no such authorizer
}

// eventAuthorizer is the authorizer an Api or HttpApi event names.
func (t *template) eventAuthorizer(e eventDef, depth int) string {
	s, _ := textOf(t.prop(get(e.props, "Auth"), "Authorizer", depth))
	return s
}

// invokeURI is the API Gateway integration URI of function fn.
func (t *template) invokeURI(fn cty.Value, n *yaml.Node) cty.Value {
	return t.concat([]cty.Value{cty.StringVal("arn:" + t.partition + ":apigateway:" + t.region + ":lambda:path/2015-03-31/functions/"), fn,
		cty.StringVal("/invocations")}, "", n)
}

// authorizers lists the Authorizers of a SAM Auth property in order.
func authorizers(auth *yaml.Node) (names []string, nodes []*yaml.Node) {
	azs := get(auth, "Authorizers")
	for i := 0; azs != nil && azs.Kind == yaml.MappingNode && i+1 < len(azs.Content); i += 2 {
		names = append(names, azs.Content[i].Value)
		nodes = append(nodes, deref(azs.Content[i+1]))
	}
	return names, nodes
}

// restAuth reads the Auth of an AWS::Serverless::Api: a Lambda authorizer
// becomes an authorizer and, unless DisableFunctionDefaultPermissions, the
// permission SAM adds for API Gateway on "API/authorizers/*".
func (t *template) restAuth(key string, apiID, execARN cty.Value, auth *yaml.Node, depth int) apiAuth {
	a := apiAuth{kinds: map[string]string{}}
	a.def, _ = textOf(t.prop(auth, "DefaultAuthorizer", depth))
	names, nodes := authorizers(auth)
	for i, name := range names {
		n := nodes[i]
		switch {
		case get(n, "FunctionArn") != nil:
			a.kinds[name] = "CUSTOM"
			fn := t.prop(n, "FunctionArn", depth)
			typ := "TOKEN"
			if s, _ := textOf(t.prop(n, "FunctionPayloadType", depth)); s == "REQUEST" {
				typ = "REQUEST"
			}
			t.emit(key+name+"Authorizer", "aws_api_gateway_authorizer", n, map[string]cty.Value{"rest_api_id": apiID, "name": cty.StringVal(name),
				"type": cty.StringVal(typ), "authorizer_uri": t.invokeURI(fn, n), "authorizer_credentials": t.prop(n, "FunctionInvokeRole", depth)})
			if off, _ := boolean(t.prop(n, "DisableFunctionDefaultPermissions", depth), false); !off {
				t.permission(key+name+"AuthorizerPermission", "apigateway.amazonaws.com", fn,
					t.concat([]cty.Value{execARN, cty.StringVal("/authorizers/*")}, "", n), n, false)
			}
		case get(n, "UserPoolArn") != nil:
			a.kinds[name] = "COGNITO_USER_POOLS"
		}
	}
	return a
}

// httpAuth reads the Auth of an AWS::Serverless::HttpApi: SAM adds the
// permission for a Lambda authorizer only with
// EnableFunctionDefaultPermissions.
func (t *template) httpAuth(key string, apiID, execARN cty.Value, auth *yaml.Node, depth int) apiAuth {
	a := apiAuth{kinds: map[string]string{}}
	a.def, _ = textOf(t.prop(auth, "DefaultAuthorizer", depth))
	names, nodes := authorizers(auth)
	for i, name := range names {
		n := nodes[i]
		switch {
		case get(n, "FunctionArn") != nil:
			a.kinds[name] = "CUSTOM"
			fn := t.prop(n, "FunctionArn", depth)
			t.emit(key+name+"Authorizer", "aws_apigatewayv2_authorizer", n, map[string]cty.Value{"api_id": apiID, "name": cty.StringVal(name),
				"authorizer_type": cty.StringVal("REQUEST"), "authorizer_uri": t.invokeURI(fn, n), "authorizer_credentials_arn": t.prop(n, "FunctionInvokeRole", depth)})
			if on, _ := boolean(t.prop(n, "EnableFunctionDefaultPermissions", depth), false); on {
				t.permission(key+name+"AuthorizerPermission", "apigateway.amazonaws.com", fn,
					t.concat([]cty.Value{execARN, cty.StringVal("/authorizers/*")}, "", n), n, false)
			}
		case get(n, "JwtConfiguration") != nil:
			a.kinds[name] = "JWT"
		}
	}
	return a
}

// definition is an API's inline OpenAPI definition; one kept in a file
// (DefinitionUri, BodyS3Location) or pulled in by a transform is named in
// the unknowns.
func (t *template) definition(r *resource, keys ...string) *yaml.Node {
	for _, k := range []string{"DefinitionUri", "BodyS3Location"} {
		if n := get(r.props, k); n != nil {
			if k == "DefinitionUri" {
				if doc := t.includedFile(r.id, n, "the API definition"); doc != nil {
					return doc
				}
				continue
			}
			t.outside = append(t.outside, inventory.UnknownOutside{Address: r.id, Span: loc.At(t.path, n.Line),
				Reason: "the API definition is in a file the template points to (" + k + "); its routes and integrations are not read"})
		}
	}
	for _, k := range keys {
		n := get(r.props, k)
		if n == nil {
			continue
		}
		if inc := t.awsInclude(r.id, n, "the API definition"); inc != nil {
			return inc
		}
		if _, _, fn := intrinsic(n); fn || n.Kind != yaml.MappingNode {
			t.outside = append(t.outside, inventory.UnknownOutside{Address: r.id, Span: loc.At(t.path, n.Line),
				Reason: "the API definition (" + k + ") is built at deploy time; its routes and integrations are not read"})
			return nil
		}
		return n
	}
	return nil
}

// httpMethods are the operations of an OpenAPI path item that API
// Gateway routes, with the method they stand for.
var httpMethods = map[string]string{"get": "GET", "put": "PUT", "post": "POST", "delete": "DELETE", "patch": "PATCH",
	"head": "HEAD", "options": "OPTIONS", "x-amazon-apigateway-any-method": "ANY"}

// operation is one path and method of a definition with an API Gateway
// integration.
type operation struct {
	path, method string
	node, integ  *yaml.Node
	security     string // the first security requirement's scheme
}

// operations lists the integrated operations of an OpenAPI definition in
// the order written.
func operations(body *yaml.Node) (out []operation, chosen []*yaml.Node) {
	paths := get(body, "paths")
	global := firstScheme(get(body, "security"))
	for i := 0; paths != nil && paths.Kind == yaml.MappingNode && i+1 < len(paths.Content); i += 2 {
		path, item := paths.Content[i].Value, deref(paths.Content[i+1])
		if _, _, fn := intrinsic(item); fn {
			chosen = append(chosen, paths.Content[i])
			continue
		}
		for j := 0; item != nil && item.Kind == yaml.MappingNode && j+1 < len(item.Content); j += 2 {
			m, ok := httpMethods[strings.ToLower(item.Content[j].Value)]
			op := deref(item.Content[j+1])
			integ := get(op, "x-amazon-apigateway-integration")
			if !ok || integ == nil {
				continue
			}
			sec := global
			if s := get(op, "security"); s != nil {
				sec = firstScheme(s)
			}
			out = append(out, operation{path: path, method: m, node: item.Content[j], integ: integ, security: sec})
		}
	}
	return out, chosen
}

// operationsOf lists a definition's operations; a path whose operations
// are chosen at deploy time (Fn::If) is named in the unknowns.
func (t *template) operationsOf(key string, body *yaml.Node) []operation {
	ops, chosen := operations(body)
	for _, n := range chosen {
		t.outside = append(t.outside, inventory.UnknownOutside{Address: fmt.Sprintf("%s.paths[%q]", key, n.Value), Span: loc.At(t.path, n.Line),
			Reason: "the operations of this path are chosen at deploy time; its integrations are not read"})
	}
	return ops
}

// firstScheme is the scheme named by a security requirement list; "NONE"
// for an empty list, which turns security off.
func firstScheme(sec *yaml.Node) string {
	if sec == nil || sec.Kind != yaml.SequenceNode {
		return ""
	}
	if len(sec.Content) == 0 {
		return "NONE"
	}
	req := deref(sec.Content[0])
	if req == nil || req.Kind != yaml.MappingNode || len(req.Content) < 2 {
		return "NONE"
	}
	return req.Content[0].Value
}

// schemes reads the security schemes of a definition (OpenAPI 3
// components.securitySchemes, Swagger 2 securityDefinitions) into
// authorization types, and adds an authorizer for each Lambda authorizer
// the API does not define already.
func (t *template) schemes(body *yaml.Node, auth *apiAuth, key, service string, apiID cty.Value, depth int) {
	defs := get(get(body, "components"), "securitySchemes")
	if defs == nil {
		defs = get(body, "securityDefinitions")
	}
	if auth.kinds == nil {
		auth.kinds = map[string]string{}
	}
	for i := 0; defs != nil && defs.Kind == yaml.MappingNode && i+1 < len(defs.Content); i += 2 {
		name, n := defs.Content[i].Value, deref(defs.Content[i+1])
		if _, done := auth.kinds[name]; done {
			continue
		}
		az := get(n, "x-amazon-apigateway-authorizer")
		authType, _ := textOf(t.prop(n, "x-amazon-apigateway-authtype", depth))
		typ, _ := textOf(t.prop(az, "type", depth))
		switch {
		case strings.EqualFold(authType, "awsSigv4"):
			auth.kinds[name] = "AWS_IAM"
		case strings.EqualFold(typ, "jwt"):
			auth.kinds[name] = "JWT"
		case strings.EqualFold(typ, "cognito_user_pools") || strings.EqualFold(authType, "cognito_user_pools"):
			auth.kinds[name] = "COGNITO_USER_POOLS"
		case strings.EqualFold(typ, "token") || strings.EqualFold(typ, "request"):
			auth.kinds[name] = "CUSTOM"
			uri := t.prop(az, "authorizerUri", depth)
			if uri == cty.NilVal {
				continue
			}
			addr := fmt.Sprintf("%s.securitySchemes[%q]", key, name)
			if service == "apigateway" {
				t.emit(addr, "aws_api_gateway_authorizer", n, map[string]cty.Value{"rest_api_id": apiID, "name": cty.StringVal(name),
					"type": cty.StringVal(strings.ToUpper(typ)), "authorizer_uri": uri, "authorizer_credentials": t.prop(az, "authorizerCredentials", depth)})
			} else {
				t.emit(addr, "aws_apigatewayv2_authorizer", n, map[string]cty.Value{"api_id": apiID, "name": cty.StringVal(name),
					"authorizer_type": cty.StringVal("REQUEST"), "authorizer_uri": uri, "authorizer_credentials_arn": t.prop(az, "authorizerCredentials", depth)})
			}
		}
	}
}

// openAPIs adds the routes the inline definitions of the template's APIs
// integrate with, once every event has added its own: a route an event
// declares is the event's (SAM merges the two).
func (t *template) openAPIs() {
	keys := make([]string, 0, len(t.rest))
	for k := range t.rest {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		a := t.rest[k]
		if a.body == nil {
			continue
		}
		apiID := attr(a.inst.Value, "id")
		t.schemes(a.body, &a.auth, k, "apigateway", apiID, 0)
		for _, op := range t.operationsOf(k, a.body) {
			route := op.method + " /" + strings.Trim(op.path, "/")
			if a.routes[route] {
				continue
			}
			a.routes[route] = true
			addr := fmt.Sprintf("%s.paths[%q].%s", k, op.path, strings.ToLower(op.method))
			typ, _ := textOf(t.prop(op.integ, "type", 0))
			rid := t.resourceFor(a, op.path, op.node)
			t.authz[addr] = a.auth.of(op.security)
			t.emit(addr, "aws_api_gateway_integration", op.node, map[string]cty.Value{"rest_api_id": apiID, "resource_id": rid,
				"http_method": cty.StringVal(op.method), "type": cty.StringVal(strings.ToUpper(typ)),
				"integration_http_method": t.prop(op.integ, "httpMethod", 0), "uri": t.prop(op.integ, "uri", 0),
				"credentials": t.prop(op.integ, "credentials", 0)})
		}
	}
	keys = keys[:0]
	for k := range t.http {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		a := t.http[k]
		if a.body == nil {
			continue
		}
		apiID := attr(a.inst.Value, "id")
		t.schemes(a.body, &a.auth, k, "apigatewayv2", apiID, 0)
		for _, op := range t.operationsOf(k, a.body) {
			route := op.method + " " + op.path
			if op.path == "$default" {
				route = "$default"
			}
			if a.routes[route] {
				continue
			}
			a.routes[route] = true
			addr := fmt.Sprintf("%s.paths[%q].%s", k, op.path, strings.ToLower(op.method))
			typ, _ := textOf(t.prop(op.integ, "type", 0))
			integ := t.emit(addr+".Integration", "aws_apigatewayv2_integration", op.node, map[string]cty.Value{"api_id": apiID,
				"integration_type": cty.StringVal(strings.ToUpper(typ)), "integration_uri": t.prop(op.integ, "uri", 0),
				"payload_format_version": t.prop(op.integ, "payloadFormatVersion", 0), "credentials_arn": t.prop(op.integ, "credentials", 0)})
			auth := a.auth.of(op.security)
			if auth == "" {
				auth = "NONE"
			}
			t.emit(addr, "aws_apigatewayv2_route", op.node, map[string]cty.Value{"api_id": apiID, "route_key": cty.StringVal(route),
				"target": t.concat([]cty.Value{cty.StringVal("integrations/"), attr(integ.Value, "id")}, "", op.node), "authorization_type": cty.StringVal(auth)})
		}
	}
}

// includedFile reads a definition kept in a local file the template points
// to (DefinitionUri: ./openapi.yaml): YAML or JSON, bounded like a
// template, located at the line that names it (its own lines belong to
// another file). An S3 location, a reader not given, or a file that can
// not be read or parsed is named in the unknowns, and nil returned.
func (t *template) includedFile(id string, n *yaml.Node, what string) *yaml.Node {
	n = deref(n)
	unknown := func(why string) *yaml.Node {
		t.outside = append(t.outside, inventory.UnknownOutside{Address: id, Span: loc.At(t.path, n.Line),
			Reason: what + " " + why + "; what it defines is not read"})
		return nil
	}
	if n.Kind != yaml.ScalarNode {
		return unknown("is in S3 (a Bucket and Key)")
	}
	rel := n.Value
	if strings.HasPrefix(rel, "s3://") || strings.Contains(rel, "://") {
		return unknown("is at " + rel)
	}
	if t.opts.ReadFile == nil {
		return unknown("is in the file " + rel)
	}
	data, err := t.opts.ReadFile(rel)
	if err != nil {
		return unknown("in " + rel + " could not be read: " + err.Error())
	}
	doc, err := parse(data)
	if err != nil {
		return unknown("in " + rel + " is not a YAML or JSON mapping: " + err.Error())
	}
	relocate(doc, n.Line, n.Column)
	t.duplicateKeys(doc, 0)
	return doc
}

// awsInclude reads the snippet of a Fn::Transform AWS::Include (its
// Location a local file), or returns nil when n is not one.
func (t *template) awsInclude(id string, n *yaml.Node, what string) *yaml.Node {
	n = deref(n)
	tr := get(n, "Fn::Transform")
	if tr == nil || n.Kind != yaml.MappingNode || len(n.Content) != 2 {
		return nil
	}
	if name := get(tr, "Name"); name == nil || name.Value != "AWS::Include" {
		return nil
	}
	loc := get(get(tr, "Parameters"), "Location")
	if loc == nil {
		return nil
	}
	if doc := t.includedFile(id, loc, what); doc != nil {
		return doc
	}
	return &yaml.Node{Kind: yaml.MappingNode, Line: n.Line, Column: n.Column}
}

// relocate gives every node of an included document the position of the
// template line that includes it.
func relocate(n *yaml.Node, line, col int) {
	if n == nil || n.Kind == yaml.AliasNode {
		return
	}
	n.Line, n.Column = line, col
	for _, c := range n.Content {
		relocate(c, line, col)
	}
}

package cloudformation

import (
	"testing"
)

const samAuth = `
Transform: AWS::Serverless-2016-10-31
Resources:
  Authz:
    Type: AWS::Serverless::Function
    Properties: {FunctionName: authz, Runtime: python3.12, Handler: a.h, CodeUri: .}
  Skill:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: skill
      Runtime: python3.12
      Handler: a.h
      CodeUri: .
      Events:
        Voice:
          Type: AlexaSkill
          Properties: {SkillId: amzn1.ask.skill.1234}
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      Auth:
        DefaultAuthorizer: Token
        Authorizers:
          Token: {FunctionArn: !GetAtt Authz.Arn}
          Users: {UserPoolArn: arn:aws:cognito-idp:eu-west-1:111122223333:userpool/eu-west-1_x}
      DefinitionBody:
        openapi: "3.0.1"
        paths:
          /legacy/{id}:
            get:
              security: [{Users: []}]
              x-amazon-apigateway-integration:
                type: aws_proxy
                httpMethod: POST
                uri: !Sub "arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Handler.Arn}/invocations"
          /maybe:
            Fn::If: [Never, {get: {}}, !Ref AWS::NoValue]
          /items:
            get:
              x-amazon-apigateway-integration:
                type: aws_proxy
                httpMethod: POST
                uri: !Sub "arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Handler.Arn}/invocations"
            options:
              x-amazon-apigateway-integration: {type: mock}
  Http:
    Type: AWS::Serverless::HttpApi
    Properties:
      Auth:
        DefaultAuthorizer: Jwt
        Authorizers:
          Jwt: {JwtConfiguration: {issuer: "https://issuer", audience: [a]}, IdentitySource: $request.header.Authorization}
          Lam: {FunctionArn: !GetAtt Authz.Arn, EnableFunctionDefaultPermissions: true}
          Quiet: {FunctionArn: !GetAtt Authz.Arn}
  External:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      DefinitionUri: api.yaml
  Handler:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: handler
      Runtime: python3.12
      Handler: a.h
      CodeUri: .
      Events:
        List:
          Type: Api
          Properties: {RestApiId: !Ref Api, Path: /items, Method: get}
        Open:
          Type: Api
          Properties: {RestApiId: !Ref Api, Path: /open, Method: post, Auth: {Authorizer: NONE}}
        Signed:
          Type: Api
          Properties: {RestApiId: !Ref Api, Path: /signed, Method: put, Auth: {Authorizer: AWS_IAM}}
        H1:
          Type: HttpApi
          Properties: {ApiId: !Ref Http, Path: /a, Method: get}
        H2:
          Type: HttpApi
          Properties: {ApiId: !Ref Http, Path: /b, Method: get, Auth: {Authorizer: Lam}}
`

// SAM Auth and inline OpenAPI definitions: Lambda authorizers get their
// permission as SAM writes it, routes their authorization, and routes only
// the definition declares their integration (and no permission).
func TestSAMAuthAndDefinitionBody(t *testing.T) {
	inv := load(t, samAuth, nil)
	const api = "arn:aws:execute-api:eu-west-1:111122223333:<Api.id>"
	const http = "arn:aws:execute-api:eu-west-1:111122223333:<Http.id>"
	type want struct{ service, source, function, auth, event string }
	cases := map[string]want{
		"HandlerListIntegration":        {"apigateway", api + "/prod/GET/items", "handler", "CUSTOM", "GET /items"},
		"HandlerOpenIntegration":        {"apigateway", api + "/prod/POST/open", "handler", "NONE", "POST /open"},
		"HandlerSignedIntegration":      {"apigateway", api + "/prod/PUT/signed", "handler", "AWS_IAM", "PUT /signed"},
		`Api.paths["/legacy/{id}"].get`: {"apigateway", api + "/prod/GET/legacy/{id}", "handler", "COGNITO_USER_POOLS", "GET /legacy/{id}"},
		"ApiTokenAuthorizer":            {"apigateway", api + "/authorizers/<ApiTokenAuthorizer.id>", "authz", "", "authorizer"},
		"HandlerH1Route":                {"apigatewayv2", http + "/$default/GET/a", "handler", "JWT", "GET /a"},
		"HandlerH2Route":                {"apigatewayv2", http + "/$default/GET/b", "handler", "CUSTOM", "GET /b"},
		"HttpLamAuthorizer":             {"apigatewayv2", http + "/authorizers/<HttpLamAuthorizer.id>", "authz", "", "authorizer"},
		"HttpQuietAuthorizer":           {"apigatewayv2", http + "/authorizers/<HttpQuietAuthorizer.id>", "authz", "", "authorizer"},
	}
	seen := map[string]bool{}
	for _, tr := range inv.Triggers {
		w, ok := cases[tr.Address]
		if !ok && tr.Service == "alexa" {
			continue // the permission's trigger, built by the decoder
		}
		if !ok {
			t.Errorf("unexpected trigger %s: %+v", tr.Address, tr)
			continue
		}
		seen[tr.Address] = true
		fn := "arn:aws:lambda:eu-west-1:111122223333:function:" + w.function
		if tr.Service != w.service || tr.SourceARN != w.source || tr.FunctionARN != fn || tr.Authorization != w.auth || len(tr.Events) != 1 || tr.Events[0] != w.event {
			t.Errorf("%s: got %+v\nwant %+v", tr.Address, tr, w)
		}
	}
	for addr := range cases {
		if !seen[addr] {
			t.Errorf("no trigger %s", addr)
		}
	}
	// Permissions: SAM's, and no more (the definition's route gets none;
	// an HTTP API authorizer only with EnableFunctionDefaultPermissions).
	perms := map[string][]string{}
	for _, f := range inv.Functions {
		for _, p := range f.Permissions {
			perms[f.Name] = append(perms[f.Name], p.Principal+" "+p.SourceARN+" "+p.EventSourceToken)
		}
	}
	wantPerms := map[string][]string{
		"authz": {"apigateway.amazonaws.com " + api + "/authorizers/* ", "apigateway.amazonaws.com " + http + "/authorizers/* "},
		"skill": {"alexa-appkit.amazon.com  amzn1.ask.skill.1234"},
		"handler": {"apigateway.amazonaws.com " + api + "/*/GET/items ", "apigateway.amazonaws.com " + api + "/*/POST/open ",
			"apigateway.amazonaws.com " + api + "/*/PUT/signed ", "apigateway.amazonaws.com " + http + "/*/GET/a ", "apigateway.amazonaws.com " + http + "/*/GET/b "},
	}
	for name, w := range wantPerms {
		got := perms[name]
		if len(got) != len(w) {
			t.Errorf("%s permissions %q, want %q", name, got, w)
			continue
		}
		for i := range w {
			if got[i] != w[i] {
				t.Errorf("%s permission %d: %q, want %q", name, i, got[i], w[i])
			}
		}
	}
	external, chosen := false, false
	for _, u := range inv.Unknown {
		external = external || u.Address == "External" && u.Line > 0
		chosen = chosen || u.Address == `Api.paths["/maybe"]` && u.Line > 0
	}
	if !external || !chosen {
		t.Errorf("a definition in a file or a path chosen at deploy time is not named in the unknowns: %+v", inv.Unknown)
	}
}

// A plain CloudFormation method's AuthorizationType is its trigger's
// authorization.
func TestMethodAuthorization(t *testing.T) {
	inv := load(t, `
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties: {FunctionName: f, Role: arn:aws:iam::111122223333:role/r}
  Api:
    Type: AWS::ApiGateway::RestApi
    Properties: {Name: a}
  Items:
    Type: AWS::ApiGateway::Resource
    Properties: {RestApiId: !Ref Api, ParentId: !GetAtt Api.RootResourceId, PathPart: items}
  Get:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !Ref Items
      HttpMethod: GET
      AuthorizationType: AWS_IAM
      Integration:
        Type: AWS_PROXY
        IntegrationHttpMethod: POST
        Uri: !Sub "arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations"
  Stage:
    Type: AWS::ApiGateway::Stage
    Properties: {RestApiId: !Ref Api, StageName: prod}
`, nil)
	if len(inv.Triggers) != 1 || inv.Triggers[0].Authorization != "AWS_IAM" || inv.Triggers[0].Address != "Get" {
		t.Errorf("triggers %+v", inv.Triggers)
	}
}

// Globals.Api.Auth applies to the implicit API and to APIs without Auth.
func TestGlobalsAPIAuth(t *testing.T) {
	inv := load(t, `
Transform: AWS::Serverless-2016-10-31
Globals:
  Api:
    Auth:
      DefaultAuthorizer: Pool
      Authorizers:
        Pool: {UserPoolArn: arn:aws:cognito-idp:eu-west-1:111122223333:userpool/eu-west-1_x}
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: f
      Runtime: python3.12
      Handler: a.h
      CodeUri: .
      Events:
        Get:
          Type: Api
          Properties: {Path: /x, Method: get}
`, nil)
	if len(inv.Triggers) != 1 || inv.Triggers[0].Authorization != "COGNITO_USER_POOLS" {
		t.Errorf("triggers %+v", inv.Triggers)
	}
}

// A plain CloudFormation HTTP API made by quick create routes $default to
// its target; a WebSocket API keeps its protocol.
func TestQuickCreateAndWebSocket(t *testing.T) {
	inv := load(t, `
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties: {FunctionName: f, Role: arn:aws:iam::111122223333:role/r}
  Quick:
    Type: AWS::ApiGatewayV2::Api
    Properties: {Name: q, ProtocolType: HTTP, Target: !GetAtt Fn.Arn}
  Socket:
    Type: AWS::ApiGatewayV2::Api
    Properties: {Name: s, ProtocolType: WEBSOCKET, RouteSelectionExpression: $request.body.action}
`, nil)
	if len(inv.Triggers) != 1 || inv.Triggers[0].Service != "apigatewayv2" || inv.Triggers[0].FunctionARN != "arn:aws:lambda:eu-west-1:111122223333:function:f" ||
		inv.Triggers[0].SourceARN != "arn:aws:execute-api:eu-west-1:111122223333:<Quick.id>/$default/$default" {
		t.Errorf("triggers %+v", inv.Triggers)
	}
	socket := ""
	for _, r := range inv.Resources {
		if r.Address == "Socket" {
			socket = r.Attributes["protocol_type"]
		}
	}
	if socket != "WEBSOCKET" {
		t.Errorf("WebSocket API protocol %q", socket)
	}
}

package cloudformation

import (
	"fmt"
	"strings"

	"github.com/zclconf/go-cty/cty"
	"go.yaml.in/yaml/v3"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
	"github.com/lambdacheck/lambdacheck/analyzer/loc"
)

// SAM connectors (AWS::Serverless::Connector, and Connectors embedded in a
// resource) grant a source access to a destination: SAM writes a managed
// policy attached to the role of the side that acts, or a Lambda
// permission when a service invokes a function. Only pairs with a function
// on one side are modelled; any other pair is named in the unknowns.

// endpoint is one side of a connector.
type endpoint struct {
	typ                   string    // CloudFormation type; SAM types as the type they become
	arn, name             cty.Value // the resource's ARN and name
	role                  string    // the name of the role it acts with ("" when none is known)
	resourceID, qualifier cty.Value // APIs: the API id and the stage/method/path part
}

var samTypeOf = map[string]string{
	"AWS::Serverless::Function": "AWS::Lambda::Function", "AWS::Serverless::SimpleTable": "AWS::DynamoDB::Table",
	"AWS::Serverless::Api": "AWS::ApiGateway::RestApi", "AWS::Serverless::HttpApi": "AWS::ApiGatewayV2::Api",
	"AWS::Serverless::StateMachine": "AWS::StepFunctions::StateMachine",
}

// roleName is the name of a role given by ARN (the part after the path).
func roleName(arn cty.Value) string {
	s, ok := textOf(arn)
	if !ok || !strings.Contains(s, ":role/") {
		return ""
	}
	return s[strings.LastIndexByte(s, '/')+1:]
}

// endpointOf reads a connector's Source or Destination: {Id} of a
// resource of the template, or {Type, Arn, RoleName, …}.
func (t *template) endpointOf(n *yaml.Node, depth int) (endpoint, string) {
	if id := get(n, "Id"); id != nil {
		r := t.resources[id.Value]
		if r == nil {
			return endpoint{}, "Id " + id.Value + " names no resource of the template"
		}
		t.translate(r, depth+1)
		e := endpoint{typ: r.typ, name: t.resourceRef(r, depth)}
		if s, ok := samTypeOf[r.typ]; ok {
			e.typ = s
		}
		switch e.typ {
		case "AWS::SNS::Topic":
			e.arn = e.name
		case "AWS::ApiGateway::RestApi", "AWS::ApiGatewayV2::Api":
			e.resourceID, e.qualifier = e.name, cty.StringVal("*")
		case "AWS::AppSync::GraphQLApi":
			e.resourceID = t.getAtt(r.id, "ApiId", n, depth)
		default:
			e.arn = t.getAtt(r.id, "Arn", n, depth)
		}
		switch e.typ {
		case "AWS::Lambda::Function", "AWS::StepFunctions::StateMachine":
			if r.primary != nil {
				e.role = roleName(attr(r.primary.Value, map[bool]string{true: "role", false: "role_arn"}[e.typ == "AWS::Lambda::Function"]))
			}
			if e.typ == "AWS::Lambda::Function" {
				e.name = attr(r.primary.Value, "function_name")
			} else if r.primary != nil {
				e.name = attr(r.primary.Value, "name")
			}
		case "AWS::AppSync::DataSource":
			e.role = roleName(t.prop(r.props, "ServiceRoleArn", depth))
		}
		return e, ""
	}
	e := endpoint{arn: t.prop(n, "Arn", depth), name: t.prop(n, "Name", depth), resourceID: t.prop(n, "ResourceId", depth), qualifier: t.prop(n, "Qualifier", depth)}
	e.typ, _ = textOf(t.prop(n, "Type", depth))
	if s, ok := samTypeOf[e.typ]; ok {
		e.typ = s
	}
	e.role, _ = textOf(t.prop(n, "RoleName", depth))
	if e.qualifier == cty.NilVal {
		e.qualifier = cty.StringVal("*")
	}
	if e.typ == "" {
		return e, "the endpoint names neither an Id nor a Type"
	}
	return e, ""
}

// grant is what one access category of a pair gives.
type grant struct {
	actions   []string
	resources func(e endpoint) []cty.Value // on the other side
}

func (t *template) withSuffix(e endpoint, suffix string) []cty.Value {
	return []cty.Value{e.arn, t.concat([]cty.Value{e.arn, cty.StringVal(suffix)}, "", nil)}
}

// roleGrants are, by source type, destination type and access category,
// the statements of the policy SAM attaches to the role of the side that
// acts: the source's (for a function reading or writing a resource), or
// the destination function's (for a queue or stream it polls).
func (t *template) roleGrants(src, dst string) (acting string, byCategory map[string][]grant) {
	own := func(e endpoint) []cty.Value { return []cty.Value{e.arn} }
	if src == "AWS::Lambda::Function" {
		switch dst {
		case "AWS::S3::Bucket":
			objects := func(e endpoint) []cty.Value { return t.withSuffix(e, "/*") }
			return "source", map[string][]grant{
				"Read": {{[]string{"s3:GetObject", "s3:GetObjectAcl", "s3:GetObjectLegalHold", "s3:GetObjectRetention", "s3:GetObjectTorrent",
					"s3:GetObjectVersion", "s3:GetObjectVersionAcl", "s3:GetObjectVersionForReplication", "s3:GetObjectVersionTorrent",
					"s3:ListBucket", "s3:ListBucketMultipartUploads", "s3:ListBucketVersions", "s3:ListMultipartUploadParts"}, objects}},
				"Write": {{[]string{"s3:AbortMultipartUpload", "s3:DeleteObject", "s3:DeleteObjectVersion", "s3:PutObject",
					"s3:PutObjectLegalHold", "s3:PutObjectRetention", "s3:RestoreObject"}, objects}}}
		case "AWS::DynamoDB::Table":
			items := func(e endpoint) []cty.Value { return t.withSuffix(e, "/index/*") }
			return "source", map[string][]grant{
				"Read": {{[]string{"dynamodb:GetItem", "dynamodb:Query", "dynamodb:Scan", "dynamodb:BatchGetItem", "dynamodb:ConditionCheckItem",
					"dynamodb:PartiQLSelect"}, items}},
				"Write": {{[]string{"dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem",
					"dynamodb:PartiQLDelete", "dynamodb:PartiQLInsert", "dynamodb:PartiQLUpdate"}, items}}}
		case "AWS::SQS::Queue":
			return "source", map[string][]grant{
				"Read":  {{[]string{"sqs:ReceiveMessage", "sqs:GetQueueAttributes"}, own}},
				"Write": {{[]string{"sqs:DeleteMessage", "sqs:SendMessage", "sqs:ChangeMessageVisibility", "sqs:PurgeQueue"}, own}}}
		case "AWS::SNS::Topic":
			return "source", map[string][]grant{"Write": {{[]string{"sns:Publish"}, own}}}
		case "AWS::Events::EventBus":
			return "source", map[string][]grant{"Write": {{[]string{"events:PutEvents"}, own}}}
		case "AWS::Lambda::Function":
			return "source", map[string][]grant{"Write": {{[]string{"lambda:InvokeAsync", "lambda:InvokeFunction"}, own}}}
		case "AWS::StepFunctions::StateMachine":
			executions := func(e endpoint) []cty.Value {
				return []cty.Value{t.concat([]cty.Value{cty.StringVal(t.arn("states", "execution:")), e.name, cty.StringVal(":*")}, "", nil)}
			}
			return "source", map[string][]grant{
				"Read": {{[]string{"states:DescribeStateMachine", "states:ListExecutions"}, own},
					{[]string{"states:DescribeExecution", "states:DescribeStateMachineForExecution", "states:GetExecutionHistory"}, executions}},
				"Write": {{[]string{"states:StartExecution", "states:StartSyncExecution"}, own}, {[]string{"states:StopExecution"}, executions}}}
		}
		return "", nil
	}
	if dst != "AWS::Lambda::Function" {
		return "", nil
	}
	switch src {
	case "AWS::SQS::Queue":
		return "destination", map[string][]grant{
			"Read":  {{[]string{"sqs:ReceiveMessage", "sqs:GetQueueAttributes"}, own}},
			"Write": {{[]string{"sqs:DeleteMessage"}, own}}}
	case "AWS::DynamoDB::Table":
		return "destination", map[string][]grant{"Read": {{[]string{"dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator",
			"dynamodb:ListStreams"}, func(e endpoint) []cty.Value {
			return []cty.Value{t.concat([]cty.Value{e.arn, cty.StringVal("/stream/*")}, "", nil)}
		}}}}
	case "AWS::StepFunctions::StateMachine", "AWS::AppSync::DataSource":
		return "source", map[string][]grant{"Write": {{[]string{"lambda:InvokeAsync", "lambda:InvokeFunction"}, func(e endpoint) []cty.Value {
			if src == "AWS::AppSync::DataSource" {
				return []cty.Value{e.arn, t.concat([]cty.Value{e.arn, cty.StringVal(":*")}, "", nil)}
			}
			return []cty.Value{e.arn}
		}}}}
	}
	return "", nil
}

// invokePermission is the Lambda permission SAM adds for a service source
// writing to (invoking) a function: the principal and source ARN.
func (t *template) invokePermission(src endpoint) (principal string, sourceARN cty.Value, account bool) {
	api := func() cty.Value {
		return t.concat([]cty.Value{cty.StringVal(t.arn("execute-api", "")), src.resourceID, cty.StringVal("/"), src.qualifier}, "", nil)
	}
	switch src.typ {
	case "AWS::SNS::Topic":
		return "sns.amazonaws.com", src.arn, false
	case "AWS::Events::Rule":
		return "events.amazonaws.com", src.arn, false
	case "AWS::S3::Bucket":
		return "s3.amazonaws.com", src.arn, true
	case "AWS::ApiGateway::RestApi", "AWS::ApiGatewayV2::Api":
		return "apigateway.amazonaws.com", api(), false
	case "AWS::AppSync::GraphQLApi":
		return "appsync.amazonaws.com", cty.StringVal(t.appSyncAPIARN(t.str(src.resourceID))), false
	}
	return "", cty.NilVal, false
}

// connector translates one connector with logical id id.
func (t *template) connector(id string, props, at *yaml.Node, source *yaml.Node, depth int) {
	outside := func(why string) {
		t.outside = append(t.outside, inventory.UnknownOutside{Address: id, Span: loc.At(t.path, lineOf(at)), Reason: "connector: " + why})
	}
	src, why := t.endpointOf(source, depth)
	if why != "" {
		outside("source: " + why)
		return
	}
	var perms []string
	for _, p := range elems(t.prop(props, "Permissions", depth)) {
		if s, ok := textOf(p); ok {
			perms = append(perms, s)
		}
	}
	dests := get(props, "Destination")
	list := []*yaml.Node{dests}
	if dests != nil && dests.Kind == yaml.SequenceNode {
		list = dests.Content
	}
	for i, dn := range list {
		suffix := ""
		if len(list) > 1 {
			suffix = fmt.Sprintf("Destination%d", i)
		}
		dst, why := t.endpointOf(deref(dn), depth)
		if why != "" {
			outside("destination: " + why)
			continue
		}
		if acting, grants := t.roleGrants(src.typ, dst.typ); grants != nil {
			on, other := src, dst
			if acting == "destination" {
				on, other = dst, src
			}
			if on.role == "" {
				outside("the role of the " + acting + " (" + on.typ + ") is not known, so the policy SAM attaches to it is missing")
				continue
			}
			var stmts []cty.Value
			for _, p := range perms {
				for _, g := range grants[p] {
					var acts []cty.Value
					for _, a := range g.actions {
						acts = append(acts, cty.StringVal(a))
					}
					stmts = append(stmts, cty.ObjectVal(map[string]cty.Value{"Effect": cty.StringVal("Allow"), "Action": cty.TupleVal(acts),
						"Resource": cty.TupleVal(g.resources(other))}))
				}
			}
			if len(stmts) == 0 {
				outside(fmt.Sprintf("no access category of %v applies from %s to %s", perms, src.typ, dst.typ))
				continue
			}
			pid := id + "Policy" + suffix
			doc := t.document(cty.ObjectVal(map[string]cty.Value{"Version": cty.StringVal("2012-10-17"), "Statement": cty.TupleVal(stmts)}), at)
			pol := t.emit(pid, "aws_iam_policy", at, map[string]cty.Value{"name": t.generated(pid, at), "policy": doc})
			t.emit(pid+".Roles[0]", "aws_iam_role_policy_attachment", at, map[string]cty.Value{"role": cty.StringVal(on.role), "policy_arn": attr(pol.Value, "arn")})
			continue
		}
		if dst.typ == "AWS::Lambda::Function" {
			if principal, srcARN, account := t.invokePermission(src); principal != "" {
				for _, p := range perms {
					if p == "Write" {
						t.permission(id+"WriteLambdaPermission"+suffix, principal, dst.arn, srcARN, at, account)
					}
				}
				continue
			}
		}
		outside("access from " + src.typ + " to " + dst.typ + " is not modelled")
	}
}

// embeddedConnectors translates the Connectors of resource r: each is a
// connector from r named <r><name>.
func (t *template) embeddedConnectors(r *resource) {
	cs := get(r.node, "Connectors")
	if cs == nil || cs.Kind != yaml.MappingNode {
		return
	}
	if c := get(r.node, "Condition"); c != nil {
		if v, known := t.condition(c.Value, c, 0); known && !v {
			return
		}
	}
	source := &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{{Kind: yaml.ScalarNode, Value: "Id"}, {Kind: yaml.ScalarNode, Value: r.id}}}
	for i := 0; i+1 < len(cs.Content); i += 2 {
		t.connector(r.id+cs.Content[i].Value, get(cs.Content[i+1], "Properties"), cs.Content[i], source, 0)
	}
}

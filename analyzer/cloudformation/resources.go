package cloudformation

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/zclconf/go-cty/cty"
	ctyjson "github.com/zclconf/go-cty/cty/json"
	"go.yaml.in/yaml/v3"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
	"github.com/lambdacheck/lambdacheck/analyzer/loc"
	"github.com/lambdacheck/lambdacheck/analyzer/terraform"
	"github.com/lambdacheck/lambdacheck/analyzer/terraform/config"
	"github.com/lambdacheck/lambdacheck/analyzer/terraform/eval"
	"github.com/lambdacheck/lambdacheck/analyzer/terraform/reason"
)

type resource struct {
	id, typ string
	node    *yaml.Node // the resource's mapping
	key     *yaml.Node // its logical id, where items point
	props   *yaml.Node
	state   int // 0 new, 1 translating, 2 done
	primary *eval.Instance
	// attrs, for types with no Terraform equivalent in the decoder, is
	// what Ref ("") and Fn::GetAtt (by attribute name) return.
	attrs map[string]cty.Value
}

type template struct {
	path                       string
	root                       *yaml.Node
	opts                       Options
	polTmpl                    map[string]policyTemplate
	params                     map[string]cty.Value
	conditions                 *yaml.Node
	mappings                   *yaml.Node
	globals                    *yaml.Node
	condCache                  map[string]condResult
	resources                  map[string]*resource
	order                      []string
	dec                        *terraform.Decoder
	prov                       *eval.Provider
	insts                      []*eval.Instance
	region, account, partition string
	diags                      []inventory.Diagnostic
	outside                    []inventory.UnknownOutside
	skipped                    map[string][]string
	triggers                   []inventory.Trigger // built without a Terraform equivalent (invokers.go)
	// definitions maps each resource's logical id node to its definition
	// (the mapping as written, not followed through aliases), so that an
	// item pointing at the id spans the whole definition.
	definitions map[*yaml.Node]*yaml.Node
	// authz is the authorization of REST API methods by the address of
	// their integration: the decoder reads it from no resource.
	authz map[string]string
	rest  map[string]*restAPI
	http  map[string]*httpAPI
	// gen holds what Ref and GetAtt see of resources SAM generates
	// (<Function>Role, <Function>Alias<Name>, <Function>.Alias).
	gen map[string]map[string]cty.Value
}

func newTemplate(path string, root *yaml.Node, opts Options, pt map[string]policyTemplate) *template {
	t := &template{path: path, root: root, opts: opts, polTmpl: pt, params: map[string]cty.Value{},
		condCache: map[string]condResult{}, resources: map[string]*resource{}, dec: terraform.NewDecoder(opts.Catalog),
		skipped: map[string][]string{}, gen: map[string]map[string]cty.Value{}, authz: map[string]string{}}
	p := &eval.Provider{Key: "aws", Region: opts.Region, Account: opts.Account}
	if p.Region == "" {
		p.Region, p.RegionDefault = eval.DefaultRegion, true
	}
	if p.Account == "" {
		p.Account, p.AccountPlaceholder = eval.PlaceholderAccount, true
	}
	p.Partition = eval.PartitionOf(p.Region)
	t.prov, t.region, t.account, t.partition = p, p.Region, p.Account, p.Partition
	t.conditions, t.mappings = get(root, "Conditions"), get(root, "Mappings")
	t.globals = get(get(root, "Globals"), "Function")
	if ps := get(root, "Parameters"); ps != nil && ps.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(ps.Content); i += 2 {
			name, def := ps.Content[i].Value, deref(ps.Content[i+1])
			typ := ""
			if tn := get(def, "Type"); tn != nil {
				typ = tn.Value
			}
			var val *string
			if d := get(def, "Default"); d != nil && d.Kind == yaml.ScalarNode {
				s := d.Value
				val = &s
			}
			if v, ok := opts.Parameters[name]; ok {
				val = &v
			}
			switch {
			case val == nil:
				t.params[name] = t.symbol(name, "parameter "+name+" has no default and no --parameter value", ps.Content[i])
				t.outside = append(t.outside, inventory.UnknownOutside{Address: "Parameters." + name, Span: loc.At(path, ps.Content[i].Line),
					Reason: "needs a value: no Default and no --parameter " + name + "=VALUE; values derived from it are symbolic (<" + name + ">)"})
			case strings.HasPrefix(typ, "List<") || typ == "CommaDelimitedList":
				var elems []cty.Value
				for _, s := range strings.Split(*val, ",") {
					elems = append(elems, cty.StringVal(strings.TrimSpace(s)))
				}
				t.params[name] = cty.TupleVal(elems)
			default:
				t.params[name] = cty.StringVal(*val)
			}
		}
	}
	if rs := get(root, "Resources"); rs != nil && rs.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(rs.Content); i += 2 {
			id, n := rs.Content[i].Value, deref(rs.Content[i+1])
			typ := ""
			if tn := get(n, "Type"); tn != nil {
				typ = tn.Value
			}
			if _, dup := t.resources[id]; dup {
				t.diag(rs.Content[i], "Duplicate resource", "logical id "+id+" is defined twice; keeping the first")
				continue
			}
			t.resources[id] = &resource{id: id, typ: typ, node: n, key: rs.Content[i], props: get(n, "Properties")}
			t.order = append(t.order, id)
			if t.definitions == nil {
				t.definitions = map[*yaml.Node]*yaml.Node{}
			}
			t.definitions[rs.Content[i]] = rs.Content[i+1]
		}
	}
	return t
}

func (t *template) diag(n *yaml.Node, summary, detail string) {
	line := 0
	if n != nil {
		line = n.Line
	}
	t.diags = append(t.diags, inventory.Diagnostic{Severity: "error", Summary: summary, Detail: detail, Span: loc.At(t.path, line)})
}

func (t *template) warn(n *yaml.Node, summary, detail string) {
	line := 0
	if n != nil {
		line = n.Line
	}
	t.diags = append(t.diags, inventory.Diagnostic{Severity: "warning", Summary: summary, Detail: detail, Span: loc.At(t.path, line)})
}

func (t *template) load() *inventory.Inventory {
	t.duplicateKeys(t.root, 0)
	for _, id := range t.order {
		t.translate(t.resources[id], 0)
	}
	t.openAPIs()
	for _, id := range t.order {
		t.embeddedConnectors(t.resources[id])
	}
	res := &eval.Result{Default: t.prov, Instances: t.insts}
	kind := "cfn"
	if isSAM(t.root) {
		kind = "sam"
	}
	inv := t.dec.Build(res, kind, t.path)
	t.addTriggers(inv)
	inv.Diags = append(inv.Diags, t.diags...)
	inv.Unknown = append(inv.Unknown, t.outside...)
	types := make([]string, 0, len(t.skipped))
	for k := range t.skipped {
		types = append(types, k)
	}
	sort.Strings(types)
	for _, k := range types {
		inv.Skipped = append(inv.Skipped, inventory.SkippedType{Type: k, Count: len(t.skipped[k]), Addresses: t.skipped[k]})
	}
	return inv
}

// emit adds a Terraform-typed instance for logical id addr at node n.
func (t *template) emit(addr, typ string, n *yaml.Node, attrs map[string]cty.Value) *eval.Instance {
	for k, v := range attrs {
		if v == cty.NilVal || isNoValue(v) {
			delete(attrs, k)
		}
	}
	inst := &eval.Instance{Addr: addr, Resource: &config.Resource{Mode: config.Managed, Type: typ, Name: addr, Range: t.extent(n)},
		Provider: t.prov, Config: cty.ObjectVal(attrs)}
	inst.Value, _ = t.dec.Value(inst)
	t.insts = append(t.insts, inst)
	return inst
}

// prop evaluates property name of r (cty.NilVal when absent).
func (t *template) prop(props *yaml.Node, name string, depth int) cty.Value {
	n := get(props, name)
	if n == nil {
		return cty.NilVal
	}
	v := t.value(n, depth)
	if isNoValue(v) {
		return cty.NilVal
	}
	return v
}

// generated is the symbol of a name CloudFormation generates.
func (t *template) generated(id string, n *yaml.Node) cty.Value {
	return t.symbol(id+".name", "CloudFormation generates the physical name of "+id+" at deploy time", n)
}

func (t *template) nameOr(props *yaml.Node, key, id string, n *yaml.Node, depth int) cty.Value {
	if v := t.prop(props, key, depth); v != cty.NilVal {
		return v
	}
	return t.generated(id, n)
}

// document renders a policy document value as JSON text, symbols as
// their text.
func (t *template) document(v cty.Value, n *yaml.Node) cty.Value {
	if v == cty.NilVal {
		return v
	}
	if u, _ := v.Unmark(); u.IsKnown() && !u.IsNull() && u.Type() == cty.String {
		return v
	}
	c, ok := reason.Concretize(v)
	if !ok {
		return t.unknown("the policy document holds a value unknown until deploy", n)
	}
	b, err := ctyjson.Marshal(c, c.Type())
	if err != nil {
		return t.unknown("the policy document is not JSON: "+err.Error(), n)
	}
	// Written as AWS stores it: no HTML escaping of <, > and &.
	var doc any
	if json.Unmarshal(b, &doc) == nil {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if enc.Encode(doc) == nil {
			b = bytes.TrimSpace(buf.Bytes())
		}
	}
	return cty.StringVal(string(b))
}

func attr(v cty.Value, name string) cty.Value {
	u, _ := v.Unmark()
	if u == cty.NilVal || !u.IsKnown() || u.IsNull() || !u.Type().IsObjectType() || !u.Type().HasAttribute(name) {
		return cty.NilVal
	}
	return u.GetAttr(name)
}

// refAttr says, per CloudFormation type, which Terraform attribute Ref
// returns and which GetAtt attributes map to.
var refAttr = map[string]string{
	"AWS::Lambda::Function": "function_name", "AWS::Serverless::Function": "function_name",
	"AWS::IAM::Role": "name", "AWS::S3::Bucket": "bucket", "AWS::SQS::Queue": "url", "AWS::SNS::Topic": "arn",
	"AWS::DynamoDB::Table": "name", "AWS::Serverless::SimpleTable": "name", "AWS::Kinesis::Stream": "name",
	"AWS::Events::Rule": "name", "AWS::Events::EventBus": "name", "AWS::Logs::LogGroup": "name",
	"AWS::IAM::ManagedPolicy": "arn", "AWS::Lambda::Alias": "arn", "AWS::KMS::Key": "key_id",
	"AWS::Scheduler::Schedule": "name", "AWS::StepFunctions::StateMachine": "arn",
	"AWS::ApiGateway::Resource": "id", "AWS::ApiGatewayV2::Integration": "id", "AWS::ApiGateway::Stage": "stage_name",
	"AWS::ApiGatewayV2::Authorizer": "id", "AWS::ApiGateway::Authorizer": "id", "AWS::ApiGateway::Deployment": "id",
	"AWS::Cognito::UserPool": "id", "AWS::Organizations::Policy": "id", "AWS::ElasticLoadBalancingV2::TargetGroup": "arn", "AWS::SecretsManager::Secret": "arn", "AWS::Serverless::StateMachine": "arn",
	"AWS::Lambda::LayerVersion": "arn", "AWS::Serverless::LayerVersion": "arn",
	"AWS::ApiGatewayV2::Stage": "name", "AWS::AmazonMQ::Broker": "id", "AWS::IoT::TopicRule": "name", "AWS::CloudWatch::Alarm": "alarm_name",
	"AWS::Serverless::Api": "id", "AWS::ApiGateway::RestApi": "id", "AWS::Serverless::HttpApi": "id", "AWS::ApiGatewayV2::Api": "id",
}

var getAttAttr = map[string]string{
	"Arn": "arn", "QueueName": "name", "QueueUrl": "url", "TopicName": "name", "TopicArn": "arn", "StreamArn": "stream_arn",
	"RoleId": "unique_id", "FunctionUrl": "function_url", "KeyId": "key_id", "Name": "name",
	"RootResourceId": "root_resource_id", "TargetGroupArn": "arn", "ProviderName": "endpoint", "ApiEndpoint": "api_endpoint", "ApiId": "id",
}

func (t *template) resourceRef(r *resource, depth int) cty.Value {
	t.translate(r, depth+1)
	if v, ok := r.attrs[""]; ok {
		return v
	}
	if r.primary == nil {
		return t.symbol(r.id, "Ref "+r.id+" ("+r.typ+") is known only after deploy", r.node)
	}
	if a := refAttr[r.typ]; a != "" {
		if v := attr(r.primary.Value, a); v != cty.NilVal {
			return v
		}
	}
	return t.symbol(r.id, "Ref "+r.id+" is known only after deploy", r.node)
}

func (t *template) getAtt(id, name string, n *yaml.Node, depth int) cty.Value {
	r := t.resources[id]
	if r == nil {
		if v, ok := t.generatedRef(id, name, depth); ok {
			return v
		}
		t.diag(n, "Unresolved reference", "Fn::GetAtt "+id+"."+name+" names no resource of the template")
		return t.unknown("GetAtt names nothing", n)
	}
	t.translate(r, depth+1)
	if v, ok := r.attrs[name]; ok {
		return v
	}
	if r.primary != nil {
		a := getAttAttr[name]
		if r.typ == "AWS::Lambda::Url" && name == "FunctionUrl" {
			a = "function_url"
		}
		if a != "" {
			if v := attr(r.primary.Value, a); v != cty.NilVal {
				if u, _ := v.Unmark(); u.IsKnown() || reasonHasSymbol(v) {
					return v
				}
			}
		}
	}
	return t.symbol(id+"."+name, id+"."+name+" is known only after deploy", n)
}

func reasonHasSymbol(v cty.Value) bool {
	_, ok := reason.SymbolName(v)
	return ok
}

// translate turns resource r (once) into Terraform-typed instances.
func (t *template) translate(r *resource, depth int) {
	if r.state != 0 || depth > maxDepth {
		return
	}
	r.state = 1
	defer func() { r.state = 2 }()
	if c := get(r.node, "Condition"); c != nil {
		if v, known := t.condition(c.Value, c, depth); known && !v {
			return
		}
	}
	p, n, id := r.props, r.key, r.id
	pv := func(k string) cty.Value { return t.prop(p, k, depth) }
	switch r.typ {
	case "AWS::Serverless::Function":
		t.samFunction(r, depth)
	case "AWS::Serverless::Api", "AWS::ApiGateway::RestApi":
		r.primary = t.restAPI(id, depth).inst
	case "AWS::Serverless::HttpApi", "AWS::ApiGatewayV2::Api":
		r.primary = t.httpAPI(id, depth).inst
	case "AWS::Lambda::Function":
		r.primary = t.emit(id, "aws_lambda_function", n, t.functionAttrs(p, id, n, depth))
		t.recursion(r.primary, p, n, depth)
	case "AWS::Lambda::Permission":
		r.primary = t.emit(id, "aws_lambda_permission", n, map[string]cty.Value{
			"statement_id": cty.StringVal(id), "action": pv("Action"), "function_name": pv("FunctionName"),
			"principal": pv("Principal"), "source_arn": pv("SourceArn"), "source_account": pv("SourceAccount"),
			"function_url_auth_type": pv("FunctionUrlAuthType"), "principal_org_id": pv("PrincipalOrgID"),
			"event_source_token": pv("EventSourceToken")})
	case "AWS::Lambda::EventSourceMapping":
		r.primary = t.emit(id, "aws_lambda_event_source_mapping", n, t.esmAttrs(p, pv("FunctionName"), depth))
	case "AWS::Lambda::Url":
		r.primary = t.emit(id, "aws_lambda_function_url", n, map[string]cty.Value{
			"function_name": pv("TargetFunctionArn"), "authorization_type": pv("AuthType"), "qualifier": pv("Qualifier"), "invoke_mode": pv("InvokeMode")})
	case "AWS::Lambda::EventInvokeConfig":
		r.primary = t.emit(id, "aws_lambda_function_event_invoke_config", n, t.invokeConfig(pv("FunctionName"), pv("Qualifier"), p, depth))
	case "AWS::Lambda::Alias":
		r.primary = t.emit(id, "aws_lambda_alias", n, map[string]cty.Value{"name": pv("Name"), "function_name": pv("FunctionName"), "function_version": pv("FunctionVersion")})
	case "AWS::IAM::Role":
		r.primary = t.role(id, n, p, depth)
	case "AWS::IAM::Policy":
		doc := t.document(pv("PolicyDocument"), n)
		for i, role := range elems(pv("Roles")) {
			t.emit(fmt.Sprintf("%s.Roles[%d]", id, i), "aws_iam_role_policy", n, map[string]cty.Value{"name": pv("PolicyName"), "role": role, "policy": doc})
		}
	case "AWS::IAM::ManagedPolicy":
		r.primary = t.emit(id, "aws_iam_policy", n, map[string]cty.Value{"name": t.nameOr(p, "ManagedPolicyName", id, n, depth),
			"path": pv("Path"), "policy": t.document(pv("PolicyDocument"), n)})
		for i, role := range elems(pv("Roles")) {
			t.emit(fmt.Sprintf("%s.Roles[%d]", id, i), "aws_iam_role_policy_attachment", n, map[string]cty.Value{"role": role, "policy_arn": attr(r.primary.Value, "arn")})
		}
	case "AWS::S3::Bucket":
		r.primary = t.emit(id, "aws_s3_bucket", n, map[string]cty.Value{"bucket": t.nameOr(p, "BucketName", id, n, depth)})
		var fns []cty.Value
		for _, lc := range elems(t.prop(get(p, "NotificationConfiguration"), "LambdaConfigurations", depth)) {
			fn := map[string]cty.Value{"lambda_function_arn": attr(lc, "Function"), "events": cty.TupleVal([]cty.Value{attr(lc, "Event")})}
			for _, rule := range elems(attr(attr(attr(lc, "Filter"), "S3Key"), "Rules")) {
				k, _ := textOf(attr(rule, "Name"))
				fn["filter_"+strings.ToLower(k)] = attr(rule, "Value")
			}
			fns = append(fns, cty.ObjectVal(nonNil(fn)))
		}
		if len(fns) > 0 {
			t.emit(id+"Notification", "aws_s3_bucket_notification", n, map[string]cty.Value{"bucket": attr(r.primary.Value, "bucket"), "lambda_function": cty.TupleVal(fns)})
		}
	case "AWS::SQS::Queue":
		name := t.nameOr(p, "QueueName", id, n, depth)
		r.primary = t.emit(id, "aws_sqs_queue", n, map[string]cty.Value{"name": name, "kms_master_key_id": pv("KmsMasterKeyId"),
			"fifo_queue": pv("FifoQueue"), "sqs_managed_sse_enabled": pv("SqsManagedSseEnabled"), "redrive_policy": t.document(pv("RedrivePolicy"), n),
			"visibility_timeout_seconds": pv("VisibilityTimeout")})
	case "AWS::SQS::QueuePolicy":
		doc := t.document(pv("PolicyDocument"), n)
		for i, q := range elems(pv("Queues")) {
			t.emit(fmt.Sprintf("%s.Queues[%d]", id, i), "aws_sqs_queue_policy", n, map[string]cty.Value{"queue_url": q, "policy": doc})
		}
	case "AWS::SNS::TopicPolicy":
		doc := t.document(pv("PolicyDocument"), n)
		for i, tp := range elems(pv("Topics")) {
			t.emit(fmt.Sprintf("%s.Topics[%d]", id, i), "aws_sns_topic_policy", n, map[string]cty.Value{"arn": tp, "policy": doc})
		}
	case "AWS::S3::BucketPolicy":
		r.primary = t.emit(id, "aws_s3_bucket_policy", n, map[string]cty.Value{"bucket": pv("Bucket"), "policy": t.document(pv("PolicyDocument"), n)})
	case "AWS::ApiGateway::Resource":
		r.primary = t.emit(id, "aws_api_gateway_resource", n, map[string]cty.Value{"rest_api_id": pv("RestApiId"), "parent_id": pv("ParentId"), "path_part": pv("PathPart")})
	case "AWS::ApiGateway::Method":
		in := get(p, "Integration")
		if s, ok := textOf(pv("AuthorizationType")); ok {
			t.authz[id] = s
		}
		r.primary = t.emit(id, "aws_api_gateway_integration", n, map[string]cty.Value{"rest_api_id": pv("RestApiId"), "resource_id": pv("ResourceId"),
			"http_method": pv("HttpMethod"), "type": t.prop(in, "Type", depth), "uri": t.prop(in, "Uri", depth), "credentials": t.prop(in, "Credentials", depth)})
	case "AWS::ApiGateway::Stage":
		r.primary = t.emit(id, "aws_api_gateway_stage", n, map[string]cty.Value{"rest_api_id": pv("RestApiId"), "stage_name": pv("StageName")})
	case "AWS::ApiGateway::Deployment":
		r.primary = t.emit(id, "aws_api_gateway_deployment", n, map[string]cty.Value{"rest_api_id": pv("RestApiId"), "stage_name": pv("StageName")})
	case "AWS::ApiGatewayV2::Integration":
		r.primary = t.emit(id, "aws_apigatewayv2_integration", n, map[string]cty.Value{"api_id": pv("ApiId"), "integration_type": pv("IntegrationType"),
			"integration_uri": pv("IntegrationUri"), "credentials_arn": pv("CredentialsArn")})
	case "AWS::ApiGatewayV2::Route":
		r.primary = t.emit(id, "aws_apigatewayv2_route", n, map[string]cty.Value{"api_id": pv("ApiId"), "route_key": pv("RouteKey"),
			"target": pv("Target"), "authorization_type": pv("AuthorizationType")})
	case "AWS::ApiGatewayV2::Authorizer":
		r.primary = t.emit(id, "aws_apigatewayv2_authorizer", n, map[string]cty.Value{"api_id": pv("ApiId"), "name": pv("Name"),
			"authorizer_type": pv("AuthorizerType"), "authorizer_uri": pv("AuthorizerUri"), "authorizer_credentials_arn": pv("AuthorizerCredentialsArn")})
	case "AWS::ApiGateway::Authorizer":
		r.primary = t.emit(id, "aws_api_gateway_authorizer", n, map[string]cty.Value{"rest_api_id": pv("RestApiId"), "name": pv("Name"),
			"type": pv("Type"), "authorizer_uri": pv("AuthorizerUri"), "authorizer_credentials": pv("AuthorizerCredentials")})
	case "AWS::ApiGatewayV2::Stage":
		r.primary = t.emit(id, "aws_apigatewayv2_stage", n, map[string]cty.Value{"api_id": pv("ApiId"), "name": pv("StageName")})
	case "AWS::AmazonMQ::Broker":
		r.primary = t.emit(id, "aws_mq_broker", n, map[string]cty.Value{"broker_name": t.nameOr(p, "BrokerName", id, n, depth), "engine_type": pv("EngineType")})
	case "AWS::IoT::TopicRule":
		payload := get(p, "TopicRulePayload")
		var fns []cty.Value
		for _, a := range elems(t.prop(payload, "Actions", depth)) {
			if arn := attr(attr(a, "Lambda"), "FunctionArn"); arn != cty.NilVal {
				fns = append(fns, cty.ObjectVal(map[string]cty.Value{"function_arn": arn}))
			}
		}
		enabled := cty.True
		if d := t.prop(payload, "RuleDisabled", depth); d != cty.NilVal {
			if u, _ := d.Unmark(); u.IsKnown() && u.Type() == cty.Bool {
				enabled = cty.BoolVal(!u.True())
			}
		}
		attrs := map[string]cty.Value{"name": t.nameOr(p, "RuleName", id, n, depth), "sql": t.prop(payload, "Sql", depth), "enabled": enabled,
			"sql_version": t.prop(payload, "AwsIotSqlVersion", depth)}
		if len(fns) > 0 {
			attrs["lambda"] = cty.TupleVal(fns)
		}
		r.primary = t.emit(id, "aws_iot_topic_rule", n, attrs)
	case "AWS::CloudWatch::Alarm":
		r.primary = t.emit(id, "aws_cloudwatch_metric_alarm", n, map[string]cty.Value{"alarm_name": t.nameOr(p, "AlarmName", id, n, depth),
			"alarm_actions": pv("AlarmActions")})
	case "AWS::Cognito::UserPool":
		lc := map[string]cty.Value{}
		if v := pv("LambdaConfig"); v != cty.NilVal {
			if u, _ := v.Unmark(); u.IsKnown() && !u.IsNull() && u.Type().IsObjectType() {
				for k, fn := range u.AsValueMap() {
					lc[snake(k)] = fn
				}
			}
		}
		// Functions a SAM Cognito event attaches to this pool.
		for _, ct := range t.cognitoEvents(id, depth) {
			lc[snake(ct.trigger)] = ct.target
		}
		attrs := map[string]cty.Value{"name": t.nameOr(p, "UserPoolName", id, n, depth)}
		if len(lc) > 0 {
			attrs["lambda_config"] = cty.TupleVal([]cty.Value{cty.ObjectVal(lc)})
		}
		r.primary = t.emit(id, "aws_cognito_user_pool", n, attrs)
	case "AWS::StepFunctions::StateMachine", "AWS::Serverless::StateMachine":
		def := pv("DefinitionString")
		switch {
		case def != cty.NilVal:
		case get(p, "Definition") != nil:
			if inc := t.awsInclude(id, get(p, "Definition"), "the state machine definition"); inc != nil {
				def = t.document(t.value(inc, depth), n)
			} else {
				def = t.document(pv("Definition"), n)
			}
		case get(p, "DefinitionUri") != nil:
			if doc := t.includedFile(id, get(p, "DefinitionUri"), "the state machine definition"); doc != nil {
				def = t.document(t.value(doc, depth), n)
			}
		}
		def = t.substituteDefinition(def, get(p, "DefinitionSubstitutions"), n, depth)
		roleARN := pv(map[bool]string{true: "Role", false: "RoleArn"}[r.typ == "AWS::Serverless::StateMachine"])
		if r.typ == "AWS::Serverless::StateMachine" && roleARN == cty.NilVal {
			// SAM generates <Id>Role trusting Step Functions, with the
			// state machine's Policies (managed names or ARNs, documents,
			// policy templates) and PermissionsBoundary, as for a function.
			rid := id + "Role"
			role := t.emit(rid, "aws_iam_role", n, map[string]cty.Value{"name": t.generated(rid, n), "assume_role_policy": trust("states.amazonaws.com"),
				"permissions_boundary": pv("PermissionsBoundary")})
			roleARN = attr(role.Value, "arn")
			t.gen[rid] = map[string]cty.Value{"": attr(role.Value, "name"), "Arn": roleARN}
			t.samPolicies(rid, attr(role.Value, "name"), get(p, "Policies"), depth)
		}
		r.primary = t.emit(id, "aws_sfn_state_machine", n, map[string]cty.Value{"name": t.nameOr(p, "StateMachineName", id, n, depth),
			"definition": def, "role_arn": roleARN})
	case "AWS::SecretsManager::Secret":
		r.primary = t.emit(id, "aws_secretsmanager_secret", n, map[string]cty.Value{"name": t.nameOr(p, "Name", id, n, depth), "kms_key_id": pv("KmsKeyId")})
	case "AWS::Lambda::LayerVersion", "AWS::Serverless::LayerVersion":
		r.primary = t.emit(id, "aws_lambda_layer_version", n, map[string]cty.Value{"layer_name": t.nameOr(p, "LayerName", id, n, depth)})
	case "AWS::Lambda::LayerVersionPermission":
		// The layer version ARN ends in ":VERSION"; Terraform names the
		// layer and the version apart.
		arn := pv("LayerVersionArn")
		layer, version := cty.NilVal, cty.NilVal
		if s, ok := textOf(arn); ok && strings.Count(s, ":") >= 7 {
			i := strings.LastIndexByte(s, ':')
			layer, version = cty.StringVal(s[:i]), cty.StringVal(s[i+1:])
		} else {
			layer = t.unknown("the layer version ARN is known only after deploy", n)
		}
		r.primary = t.emit(id, "aws_lambda_layer_version_permission", n, map[string]cty.Value{"layer_name": layer, "version_number": version,
			"statement_id": cty.StringVal(id), "action": pv("Action"), "principal": pv("Principal"), "organization_id": pv("OrganizationId")})
	case "AWS::Organizations::Policy":
		r.primary = t.emit(id, "aws_organizations_policy", n, map[string]cty.Value{"name": pv("Name"), "type": pv("Type"),
			"content": t.document(pv("Content"), n)})
		for i, target := range elems(pv("TargetIds")) {
			t.emit(fmt.Sprintf("%s.TargetIds[%d]", id, i), "aws_organizations_policy_attachment", n, map[string]cty.Value{
				"policy_id": attr(r.primary.Value, "id"), "target_id": target})
		}
	case "AWS::ElasticLoadBalancingV2::TargetGroup":
		r.primary = t.emit(id, "aws_lb_target_group", n, map[string]cty.Value{"name": t.nameOr(p, "Name", id, n, depth), "target_type": pv("TargetType")})
		for i, tg := range elems(pv("Targets")) {
			t.emit(fmt.Sprintf("%s.Targets[%d]", id, i), "aws_lb_target_group_attachment", n, map[string]cty.Value{
				"target_group_arn": attr(r.primary.Value, "arn"), "target_id": attr(tg, "Id")})
		}
	case "AWS::KMS::Key":
		r.primary = t.emit(id, "aws_kms_key", n, map[string]cty.Value{"description": pv("Description"), "policy": t.document(pv("KeyPolicy"), n),
			"enable_key_rotation": pv("EnableKeyRotation")})
	case "AWS::KMS::Alias":
		r.primary = t.emit(id, "aws_kms_alias", n, map[string]cty.Value{"name": pv("AliasName"), "target_key_id": pv("TargetKeyId")})
	case "AWS::SNS::Topic":
		r.primary = t.emit(id, "aws_sns_topic", n, map[string]cty.Value{"name": t.nameOr(p, "TopicName", id, n, depth), "kms_master_key_id": pv("KmsMasterKeyId")})
		for i, s := range elems(pv("Subscription")) {
			t.emit(fmt.Sprintf("%sSubscription%d", id, i), "aws_sns_topic_subscription", n, map[string]cty.Value{
				"topic_arn": attr(r.primary.Value, "arn"), "protocol": attr(s, "Protocol"), "endpoint": attr(s, "Endpoint")})
		}
	case "AWS::SNS::Subscription":
		r.primary = t.emit(id, "aws_sns_topic_subscription", n, map[string]cty.Value{"topic_arn": pv("TopicArn"), "protocol": pv("Protocol"),
			"endpoint": pv("Endpoint"), "filter_policy": t.document(pv("FilterPolicy"), n), "filter_policy_scope": pv("FilterPolicyScope")})
	case "AWS::DynamoDB::Table", "AWS::Serverless::SimpleTable":
		attrs := map[string]cty.Value{"name": t.nameOr(p, "TableName", id, n, depth)}
		if vt := attr(pv("StreamSpecification"), "StreamViewType"); vt != cty.NilVal {
			attrs["stream_enabled"], attrs["stream_view_type"] = cty.True, vt
		}
		r.primary = t.emit(id, "aws_dynamodb_table", n, attrs)
	case "AWS::Kinesis::Stream":
		r.primary = t.emit(id, "aws_kinesis_stream", n, map[string]cty.Value{"name": t.nameOr(p, "Name", id, n, depth)})
	case "AWS::Logs::LogGroup":
		r.primary = t.emit(id, "aws_cloudwatch_log_group", n, map[string]cty.Value{"name": t.nameOr(p, "LogGroupName", id, n, depth)})
	case "AWS::Events::EventBus":
		r.primary = t.emit(id, "aws_cloudwatch_event_bus", n, map[string]cty.Value{"name": pv("Name")})
	case "AWS::Events::Rule":
		t.rule(r, id, n, pv("Name"), pv("EventBusName"), t.document(pv("EventPattern"), n), pv("ScheduleExpression"), pv("State"), depth)
		for i, tg := range elems(pv("Targets")) {
			tid, _ := textOf(attr(tg, "Id"))
			if tid == "" {
				tid = fmt.Sprint(i)
			}
			t.emit(id+"Target"+tid, "aws_cloudwatch_event_target", n, map[string]cty.Value{"rule": attr(r.primary.Value, "name"),
				"event_bus_name": pv("EventBusName"), "arn": attr(tg, "Arn"), "role_arn": attr(tg, "RoleArn"), "target_id": attr(tg, "Id")})
		}
	case "AWS::Scheduler::Schedule":
		tg := pv("Target")
		r.primary = t.emit(id, "aws_scheduler_schedule", n, map[string]cty.Value{"name": t.nameOr(p, "Name", id, n, depth),
			"schedule_expression": pv("ScheduleExpression"), "group_name": pv("GroupName"), "state": pv("State"),
			"target": cty.TupleVal([]cty.Value{cty.ObjectVal(nonNil(map[string]cty.Value{"arn": attr(tg, "Arn"), "role_arn": attr(tg, "RoleArn")}))})})
	case "AWS::Logs::SubscriptionFilter":
		r.primary = t.emit(id, "aws_cloudwatch_log_subscription_filter", n, map[string]cty.Value{"name": t.nameOr(p, "FilterName", id, n, depth),
			"log_group_name": pv("LogGroupName"), "destination_arn": pv("DestinationArn"), "filter_pattern": pv("FilterPattern"), "role_arn": pv("RoleArn")})
	default:
		if t.invoker(r, depth) {
			return
		}
		t.skipped[r.typ] = append(t.skipped[r.typ], id)
	}
}

// invokeConfig is an asynchronous invocation configuration's attributes.
func (t *template) invokeConfig(fn, qualifier cty.Value, p *yaml.Node, depth int) map[string]cty.Value {
	a := map[string]cty.Value{"function_name": fn, "qualifier": qualifier,
		"maximum_event_age_in_seconds": t.prop(p, "MaximumEventAgeInSeconds", depth), "maximum_retry_attempts": t.prop(p, "MaximumRetryAttempts", depth)}
	dc := t.prop(p, "DestinationConfig", depth)
	dest := map[string]cty.Value{}
	for key, tf := range map[string]string{"OnSuccess": "on_success", "OnFailure": "on_failure"} {
		if d := attr(attr(dc, key), "Destination"); d != cty.NilVal {
			dest[tf] = cty.TupleVal([]cty.Value{cty.ObjectVal(map[string]cty.Value{"destination": d})})
		}
	}
	if len(dest) > 0 {
		a["destination_config"] = cty.TupleVal([]cty.Value{cty.ObjectVal(dest)})
	}
	return a
}

// recursion adds the function's recursive loop setting, as Terraform's
// separate recursion config resource carries it.
func (t *template) recursion(fn *eval.Instance, p, n *yaml.Node, depth int) {
	if v := t.prop(p, "RecursiveLoop", depth); v != cty.NilVal {
		t.emit(fn.Addr+".RecursiveLoop", "aws_lambda_function_recursion_config", n, map[string]cty.Value{
			"function_name": attr(fn.Value, "function_name"), "recursive_loop": v})
	}
}

func (t *template) rule(r *resource, id string, n *yaml.Node, name, bus, pattern, schedule, state cty.Value, depth int) {
	if name == cty.NilVal {
		name = t.generated(id, n)
	}
	r.primary = t.emit(id, "aws_cloudwatch_event_rule", n, map[string]cty.Value{"name": name, "event_bus_name": bus,
		"event_pattern": pattern, "schedule_expression": schedule, "state": state})
}

func nonNil(m map[string]cty.Value) map[string]cty.Value {
	for k, v := range m {
		if v == cty.NilVal {
			delete(m, k)
		}
	}
	return m
}

// elems lists a tuple's (or a single value's) elements.
func elems(v cty.Value) []cty.Value {
	u, _ := v.Unmark()
	if u == cty.NilVal || !u.IsKnown() || u.IsNull() {
		return nil
	}
	if u.Type().IsTupleType() || u.Type().IsListType() {
		var out []cty.Value
		for it := u.ElementIterator(); it.Next(); {
			_, e := it.Element()
			out = append(out, e)
		}
		return out
	}
	return []cty.Value{v}
}

func (t *template) functionAttrs(p *yaml.Node, id string, n *yaml.Node, depth int) map[string]cty.Value {
	pv := func(k string) cty.Value { return t.prop(p, k, depth) }
	a := map[string]cty.Value{"function_name": t.nameOr(p, "FunctionName", id, n, depth), "role": pv("Role"), "runtime": pv("Runtime"),
		"handler": pv("Handler"), "memory_size": pv("MemorySize"), "timeout": pv("Timeout"), "package_type": pv("PackageType"),
		"architectures": pv("Architectures"), "layers": pv("Layers"), "kms_key_arn": pv("KmsKeyArn"),
		"reserved_concurrent_executions": pv("ReservedConcurrentExecutions")}
	if vars := attr(pv("Environment"), "Variables"); vars != cty.NilVal {
		a["environment"] = cty.TupleVal([]cty.Value{cty.ObjectVal(map[string]cty.Value{"variables": vars})})
	}
	if dl := attr(pv("DeadLetterConfig"), "TargetArn"); dl != cty.NilVal {
		a["dead_letter_config"] = cty.TupleVal([]cty.Value{cty.ObjectVal(map[string]cty.Value{"target_arn": dl})})
	}
	if m := attr(pv("TracingConfig"), "Mode"); m != cty.NilVal {
		a["tracing_config"] = cty.TupleVal([]cty.Value{cty.ObjectVal(map[string]cty.Value{"mode": m})})
	}
	return a
}

func (t *template) esmAttrs(p *yaml.Node, fn cty.Value, depth int) map[string]cty.Value {
	pv := func(k string) cty.Value { return t.prop(p, k, depth) }
	a := map[string]cty.Value{"event_source_arn": pv("EventSourceArn"), "function_name": fn, "batch_size": pv("BatchSize"),
		"starting_position": pv("StartingPosition"), "enabled": pv("Enabled"), "maximum_batching_window_in_seconds": pv("MaximumBatchingWindowInSeconds"),
		"parallelization_factor": pv("ParallelizationFactor"), "maximum_retry_attempts": pv("MaximumRetryAttempts"),
		"bisect_batch_on_function_error": pv("BisectBatchOnFunctionError"), "function_response_types": pv("FunctionResponseTypes")}
	if a["event_source_arn"] == cty.NilVal {
		a["event_source_arn"] = pv("Queue")
		if a["event_source_arn"] == cty.NilVal {
			a["event_source_arn"] = pv("Stream")
		}
	}
	if fc := pv("FilterCriteria"); fc != cty.NilVal {
		var filters []cty.Value
		for _, f := range elems(attr(fc, "Filters")) {
			filters = append(filters, cty.ObjectVal(map[string]cty.Value{"pattern": t.document(attr(f, "Pattern"), p)}))
		}
		if len(filters) > 0 {
			a["filter_criteria"] = cty.TupleVal([]cty.Value{cty.ObjectVal(map[string]cty.Value{"filter": cty.TupleVal(filters)})})
		}
	}
	if d := attr(attr(pv("DestinationConfig"), "OnFailure"), "Destination"); d != cty.NilVal {
		a["destination_config"] = cty.TupleVal([]cty.Value{cty.ObjectVal(map[string]cty.Value{"on_failure": cty.TupleVal([]cty.Value{
			cty.ObjectVal(map[string]cty.Value{"destination_arn": d})})})})
	}
	if mc := attr(pv("ScalingConfig"), "MaximumConcurrency"); mc != cty.NilVal {
		a["scaling_config"] = cty.TupleVal([]cty.Value{cty.ObjectVal(map[string]cty.Value{"maximum_concurrency": mc})})
	}
	// The secrets and VPC access Lambda reads the source with.
	var access []cty.Value
	for _, c := range elems(pv("SourceAccessConfigurations")) {
		access = append(access, cty.ObjectVal(nonNil(map[string]cty.Value{"type": attr(c, "Type"), "uri": attr(c, "URI")})))
	}
	if len(access) > 0 {
		a["source_access_configuration"] = cty.TupleVal(access)
	}
	if servers := attr(attr(pv("SelfManagedEventSource"), "Endpoints"), "KafkaBootstrapServers"); servers != cty.NilVal {
		a["self_managed_event_source"] = cty.TupleVal([]cty.Value{cty.ObjectVal(map[string]cty.Value{
			"endpoints": cty.ObjectVal(map[string]cty.Value{"KAFKA_BOOTSTRAP_SERVERS": t.concat(elems(servers), ",", p)})})})
	}
	return a
}

func (t *template) role(id string, n, p *yaml.Node, depth int) *eval.Instance {
	pv := func(k string) cty.Value { return t.prop(p, k, depth) }
	r := t.emit(id, "aws_iam_role", n, map[string]cty.Value{"name": t.nameOr(p, "RoleName", id, n, depth), "path": pv("Path"),
		"assume_role_policy": t.document(pv("AssumeRolePolicyDocument"), n), "permissions_boundary": pv("PermissionsBoundary"),
		"max_session_duration": pv("MaxSessionDuration")})
	name := attr(r.Value, "name")
	at := func(key string, i int) *yaml.Node {
		if l := get(p, key); l != nil && l.Kind == yaml.SequenceNode && i < len(l.Content) {
			return l.Content[i]
		}
		return n
	}
	for i, pol := range elems(pv("Policies")) {
		pn := attr(pol, "PolicyName")
		if pn == cty.NilVal {
			pn = cty.StringVal(fmt.Sprintf("%sPolicy%d", id, i))
		}
		t.emit(fmt.Sprintf("%s.Policies[%d]", id, i), "aws_iam_role_policy", at("Policies", i), map[string]cty.Value{"name": pn, "role": name, "policy": t.document(attr(pol, "PolicyDocument"), n)})
	}
	for i, arn := range elems(pv("ManagedPolicyArns")) {
		t.emit(fmt.Sprintf("%s.ManagedPolicyArns[%d]", id, i), "aws_iam_role_policy_attachment", at("ManagedPolicyArns", i), map[string]cty.Value{"role": name, "policy_arn": arn})
	}
	return r
}

// trust is the trust policy of a role the SAM transform generates for a
// service.
func trust(service string) cty.Value {
	b, _ := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": []any{map[string]any{
		"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": map[string]any{"Service": service}}}})
	return cty.StringVal(string(b))
}

// snake turns a CloudFormation property name into the Terraform argument
// name: PreSignUp → pre_sign_up.
func snake(s string) string {
	var b strings.Builder
	for i, r := range s {
		if r >= 'A' && r <= 'Z' {
			if i > 0 {
				b.WriteByte('_')
			}
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

type cognitoTrigger struct {
	trigger string
	target  cty.Value
}

// cognitoEvents are the SAM Cognito events that name pool: SAM adds the
// function to the pool's LambdaConfig and a permission for Cognito.
func (t *template) cognitoEvents(pool string, depth int) []cognitoTrigger {
	var out []cognitoTrigger
	for _, id := range t.order {
		r := t.resources[id]
		if r.typ != "AWS::Serverless::Function" {
			continue
		}
		ev := get(t.withGlobals(r.props), "Events")
		for i := 0; ev != nil && i+1 < len(ev.Content); i += 2 {
			e := deref(ev.Content[i+1])
			if tn := get(e, "Type"); tn == nil || tn.Value != "Cognito" {
				continue
			}
			props := get(e, "Properties")
			if apiKey(props, "UserPool", "") != pool {
				continue
			}
			target := t.getAtt(id, "Arn", e, depth+1)
			for _, trig := range elems(t.prop(props, "Trigger", depth)) {
				if s, ok := textOf(trig); ok {
					out = append(out, cognitoTrigger{trigger: s, target: target})
				}
			}
		}
	}
	return out
}

// substituteDefinition replaces each ${Key} of a state machine definition
// by its DefinitionSubstitutions value, as Step Functions does at deploy
// time. A value not known as text leaves the definition unknown, naming
// the key.
func (t *template) substituteDefinition(def cty.Value, subs *yaml.Node, n *yaml.Node, depth int) cty.Value {
	subs = deref(subs)
	if subs == nil || subs.Kind != yaml.MappingNode {
		return def
	}
	text, ok := textOf(def)
	if !ok {
		return def
	}
	for i := 0; i+1 < len(subs.Content); i += 2 {
		key := "${" + subs.Content[i].Value + "}"
		if !strings.Contains(text, key) {
			continue
		}
		v, ok := textOf(t.value(subs.Content[i+1], depth))
		if !ok {
			return t.unknown("definition substitution "+subs.Content[i].Value+" is known only after deploy", n)
		}
		// The definition is JSON: the value goes in as string content.
		quoted, _ := json.Marshal(v)
		text = strings.ReplaceAll(text, key, string(quoted[1:len(quoted)-1]))
	}
	return cty.StringVal(text)
}

// duplicateKeys warns of a key given twice in one mapping: YAML forbids
// it and CloudFormation refuses the template, while lambdacheck reads the
// first and would otherwise drop the second without a word. Resources
// repeated under Resources have their own error.
func (t *template) duplicateKeys(n *yaml.Node, depth int) {
	if n == nil || depth > 200 || n.Kind == yaml.AliasNode {
		return
	}
	if n.Kind == yaml.MappingNode && n != get(t.root, "Resources") {
		seen := map[string]bool{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if seen[k.Value] {
				t.warn(k, "Duplicate key", fmt.Sprintf("%q is given twice in this mapping; the first is read", k.Value))
			}
			seen[k.Value] = true
		}
	}
	for _, c := range n.Content {
		t.duplicateKeys(c, depth+1)
	}
}

package terraform

import (
	"slices"
	"sort"
	"strings"

	"github.com/zclconf/go-cty/cty"
	"go.yaml.in/yaml/v3"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
	"github.com/lambdacheck/lambdacheck/analyzer/loc"
)

// Decoders of the services that invoke a function with a role of their own
// (Aurora, Firehose, CodePipeline, AppSync data sources, EventBridge Pipes,
// CloudFormation stacks with a service role) and of the special paths
// (Lambda@Edge, S3 Object Lambda, AppSync Lambda authorizers). Each trigger
// follows the trigger-kind table of docs/flows.md ("Role-based and special
// invokers").

// computedInvokers gives the ARNs and ids AWS assigns to the resources of
// this file, so that references to them join by value.
func computedInvokers(i inst, c map[string]cty.Value) bool {
	r, a := i.region(), i.account()
	switch i.Resource.Type {
	case "aws_codepipeline":
		name := i.get("name")
		c["arn"], c["id"] = i.arn("codepipeline", r, a, name), name
	case "aws_appsync_graphql_api":
		id := i.placeholder("id")
		c["id"] = cty.StringVal(id)
		c["arn"] = i.arn("appsync", r, a, "apis/"+id)
	case "aws_appsync_datasource":
		c["arn"] = i.arn("appsync", r, a, concat("apis/", i.get("api_id"), "/datasources/", i.get("name")))
	case "aws_pipes_pipe":
		name := i.name("name", "name_prefix")
		c["name"], c["id"] = name, name
		c["arn"] = i.arn("pipes", r, a, concat("pipe/", name))
	case "aws_cloudfront_distribution":
		id := i.placeholder("id")
		c["id"] = cty.StringVal(id)
		c["arn"] = i.arn("cloudfront", "", a, "distribution/"+id)
		c["domain_name"] = cty.StringVal(id + ".cloudfront.net")
	case "aws_s3control_object_lambda_access_point":
		c["arn"] = i.arn("s3-object-lambda", r, a, concat("accesspoint/", i.get("name")))
		c["alias"] = cty.StringVal(i.placeholder("alias"))
	case "aws_db_instance":
		id := i.name("identifier", "identifier_prefix")
		c["identifier"] = id
		c["arn"] = i.arn("rds", r, a, concat("db:", id))
	case "aws_cloudformation_stack":
		id := i.arn("cloudformation", r, a, concat("stack/", i.get("name"), "/", i.placeholder("stack_id")))
		c["id"] = id
	default:
		return false
	}
	return true
}

// invokerTriggers counts the triggers a decoder adds, so that a resource
// whose invocations could not be read (a dynamic block over unknown values,
// a template known only after apply) is reported rather than passed over.
type invokerTriggers struct {
	b       *builder
	i       *instance
	unknown *[]inventory.Unknown
	fields  []string // the top-level arguments that say what is invoked
	n       int
}

func (b *builder) invokers(i *instance, unknown *[]inventory.Unknown, fields ...string) *invokerTriggers {
	return &invokerTriggers{b: b, i: i, unknown: unknown, fields: fields}
}

func (it *invokerTriggers) add(t inventory.Trigger) {
	it.n++
	it.b.inv.Triggers = append(it.b.inv.Triggers, t)
}

// done reports the resource when it added no trigger and something it
// needed was unknown.
func (it *invokerTriggers) done() {
	if it.n > 0 {
		return
	}
	var parts []string
	for _, u := range *it.unknown {
		top := u.Field
		if j := strings.IndexAny(top, ".["); j >= 0 {
			top = top[:j]
		}
		if slices.Contains(it.fields, top) {
			parts = append(parts, u.Field+": "+u.Reason)
		}
	}
	if len(parts) == 0 {
		return
	}
	it.b.unresolved(it.i.origin, it.i.Resource.Type+": the functions it invokes could not be read ("+strings.Join(parts, "; ")+")")
}

// roleTrigger is a push trigger that a service makes with a role.
func roleTrigger(i *instance, service, sourceARN string, enabled bool) inventory.Trigger {
	return inventory.Trigger{Origin: i.origin, Kind: "push", Service: service, SourceARN: sourceARN, SourceAddress: i.Addr, Enabled: enabled}
}

func (i *instance) arnOf(service, region, resource string) string {
	p := i.Provider
	return "arn:" + p.Partition + ":" + service + ":" + region + ":" + p.Account + ":" + resource
}

// decodeClusterRoleAssociation: an Aurora cluster (or an RDS for PostgreSQL
// instance) whose role is associated for the feature "Lambda" may invoke,
// from SQL, any function the role allows. The trigger names no function;
// the simulator finds the functions.
func decodeClusterRoleAssociation(b *builder, i *instance) {
	var unknown []inventory.Unknown
	o := i.obj(&unknown)
	if f := o.str("feature_name"); f != "Lambda" {
		return
	}
	t := roleTrigger(i, "rds", "", true)
	t.SourceAddress, t.Unknown = "", unknown
	if id := o.str("db_cluster_identifier"); id != "" {
		t.SourceARN = i.arnOf("rds", i.Provider.Region, "cluster:"+id)
	} else if id := o.str("db_instance_identifier"); id != "" {
		// RDS for PostgreSQL invokes from an instance (aws_db_instance_role_association).
		t.SourceARN = i.arnOf("rds", i.Provider.Region, "db:"+id)
	}
	t.InvokeRole = o.str("role_arn")
	b.pendingFn = append(b.pendingFn, func() {
		if r, ok := b.resources[t.SourceARN]; ok {
			t.SourceAddress = r.Address
		}
		b.inv.Triggers = append(b.inv.Triggers, t)
	})
}

// firehoseDestinations are the destination blocks of a delivery stream
// that may carry a processing configuration.
var firehoseDestinations = []string{
	"extended_s3_configuration", "redshift_configuration", "elasticsearch_configuration", "opensearch_configuration",
	"opensearchserverless_configuration", "splunk_configuration", "http_endpoint_configuration", "snowflake_configuration",
	"iceberg_configuration",
}

// decodeDeliveryStream: Firehose record transformation. Each Lambda
// processor invokes its LambdaArn with the destination's role, or with the
// processor's RoleArn parameter when it has one.
func decodeDeliveryStream(b *builder, i *instance) {
	// The stream is also a resource: a function allowed to put records
	// into it starts a chain to the transformation.
	r, o := newResource(i, "firehose")
	r.Name = o.str("name")
	b.addResource(r)
	arn, unknown := r.ARN, r.Unknown
	it := b.invokers(i, &unknown, "extended_s3_configuration", "redshift_configuration", "elasticsearch_configuration", "opensearch_configuration", "opensearchserverless_configuration", "splunk_configuration", "http_endpoint_configuration", "snowflake_configuration", "iceberg_configuration")
	defer it.done()
	for _, dest := range firehoseDestinations {
		for _, d := range o.blocks(dest) {
			role := d.str("role_arn")
			if role == "" {
				if s3, ok := d.block("s3_configuration"); ok {
					role = s3.str("role_arn")
				}
			}
			for _, pc := range d.blocks("processing_configuration") {
				enabled := pc.boolean("enabled", false)
				for _, pr := range pc.blocks("processors") {
					if pr.str("type") != "Lambda" {
						continue
					}
					t := roleTrigger(i, "firehose", arn, enabled)
					t.Unknown = append(t.Unknown, unknown...)
					t.InvokeRole = role
					t.Events = []string{dest}
					for _, param := range pr.blocks("parameters") {
						switch param.str("parameter_name") {
						case "LambdaArn":
							t.Target = param.strAs("parameter_value", "target")
						case "RoleArn":
							t.InvokeRole = param.strAs("parameter_value", "invoke_role")
						}
					}
					if t.Target == "" {
						t.Unknown = append(t.Unknown, inventory.Unknown{Field: "target", Reason: "the Lambda processor has no known LambdaArn parameter", Span: loc.At(i.origin.File, i.origin.Line)})
					}
					setFunctionTarget(i, &t)
					it.add(t)
				}
			}
		}
	}
}

// decodePipeline: CodePipeline Invoke actions of provider Lambda invoke
// configuration.FunctionName with the action's role or the pipeline's.
func decodePipeline(b *builder, i *instance) {
	var unknown []inventory.Unknown
	o := i.obj(&unknown)
	it := b.invokers(i, &unknown, "stage")
	defer it.done()
	arn := i.arnOf("codepipeline", i.Provider.Region, o.str("name"))
	role := o.str("role_arn")
	for _, st := range o.blocks("stage") {
		for _, ac := range st.blocks("action") {
			if ac.str("category") != "Invoke" || ac.str("provider") != "Lambda" {
				continue
			}
			t := roleTrigger(i, "codepipeline", arn, true)
			t.Unknown = append(t.Unknown, unknown...)
			t.InvokeRole = role
			if r := ac.str("role_arn"); r != "" {
				t.InvokeRole = r
			}
			t.Events = []string{st.str("name") + "/" + ac.str("name")}
			if cfg, ok := ac.block("configuration"); ok {
				t.Target = cfg.strAs("FunctionName", "target")
			}
			if t.Target == "" {
				t.Unknown = append(t.Unknown, inventory.Unknown{Field: "target", Reason: "the Invoke action has no known FunctionName", Span: loc.At(i.origin.File, i.origin.Line)})
			}
			setFunctionTarget(i, &t)
			if region := ac.str("region"); region != "" && t.Target != "" && !strings.HasPrefix(t.Target, "arn:") {
				// A cross-region action names a function of its own region.
				p := i.Provider
				t.FunctionARN, t.Qualifier = splitFunctionRef(t.Target, p.Partition, region, p.Account)
			}
			it.add(t)
		}
	}
}

// decodeAppSyncDataSource: an AWS_LAMBDA data source invokes its function
// with the data source's service role.
func decodeAppSyncDataSource(b *builder, i *instance) {
	var unknown []inventory.Unknown
	o := i.obj(&unknown)
	it := b.invokers(i, &unknown, "type", "lambda_config")
	defer it.done()
	if o.str("type") != "AWS_LAMBDA" {
		return
	}
	t := roleTrigger(i, "appsync", i.arnOf("appsync", i.Provider.Region, "apis/"+o.str("api_id")), true)
	t.Unknown = unknown
	t.InvokeRole = o.strAs("service_role_arn", "invoke_role")
	t.Events = []string{"data_source"}
	if lc, ok := o.block("lambda_config"); ok {
		t.Target = lc.strAs("function_arn", "target")
	}
	if t.InvokeRole == "" && !hasUnknownField(t.Unknown, "invoke_role") {
		t.Unknown = append(t.Unknown, inventory.Unknown{Field: "invoke_role", Reason: "the data source names no service_role_arn", Span: loc.At(i.origin.File, i.origin.Line)})
	}
	setFunctionTarget(i, &t)
	it.add(t)
}

// decodeGraphQLAPI: a Lambda authorizer (the default or an additional
// provider) is invoked by appsync.amazonaws.com through the function's
// resource policy.
func decodeGraphQLAPI(b *builder, i *instance) {
	var unknown []inventory.Unknown
	o := i.obj(&unknown)
	it := b.invokers(i, &unknown, "authentication_type", "lambda_authorizer_config", "additional_authentication_provider")
	defer it.done()
	id := "<" + i.Addr + ".id>"
	arn := i.arnOf("appsync", i.Provider.Region, "apis/"+id)
	add := func(cfg obj) {
		t := roleTrigger(i, "appsync", arn, true)
		t.Unknown = append(t.Unknown, unknown...)
		t.Events = []string{"authorizer"}
		t.Target = cfg.strAs("authorizer_uri", "target")
		setFunctionTarget(i, &t)
		it.add(t)
	}
	if o.str("authentication_type") == "AWS_LAMBDA" {
		for _, cfg := range o.blocks("lambda_authorizer_config") {
			add(cfg)
		}
	}
	for _, extra := range o.blocks("additional_authentication_provider") {
		if extra.str("authentication_type") != "AWS_LAMBDA" {
			continue
		}
		for _, cfg := range extra.blocks("lambda_authorizer_config") {
			add(cfg)
		}
	}
}

// decodePipe: a pipe invokes a function enrichment or target with its role;
// a stopped pipe invokes nothing.
func decodePipe(b *builder, i *instance) {
	var unknown []inventory.Unknown
	o := i.obj(&unknown)
	it := b.invokers(i, &unknown, "enrichment", "target")
	defer it.done()
	arn := i.arnOf("pipes", i.Provider.Region, "pipe/"+o.str("name"))
	enabled := o.str("desired_state") != "STOPPED"
	for _, part := range []string{"enrichment", "target"} {
		target := o.str(part)
		if target == "" || strings.HasPrefix(target, "arn:") && !strings.Contains(target, ":lambda:") {
			continue
		}
		t := roleTrigger(i, "pipes", arn, enabled)
		t.Unknown = append(t.Unknown, unknown...)
		t.InvokeRole = o.str("role_arn")
		t.Events = []string{part}
		t.Target = target
		setFunctionTarget(i, &t)
		it.add(t)
	}
}

// decodeDistribution: Lambda@Edge associations of the default and ordered
// cache behaviours. CloudFront replicates the function version and runs it
// without a resource policy.
func decodeDistribution(b *builder, i *instance) {
	var unknown []inventory.Unknown
	o := i.obj(&unknown)
	it := b.invokers(i, &unknown, "default_cache_behavior", "ordered_cache_behavior")
	defer it.done()
	arn := "arn:" + i.Provider.Partition + ":cloudfront::" + i.Provider.Account + ":distribution/<" + i.Addr + ".id>"
	enabled := o.boolean("enabled", true)
	add := func(behaviour string, cb obj) {
		for _, a := range cb.blocks("lambda_function_association") {
			t := roleTrigger(i, "cloudfront", arn, enabled)
			t.Unknown = append(t.Unknown, unknown...)
			t.Events = []string{a.str("event_type")}
			t.Filter = &inventory.Filter{Expression: behaviour}
			t.Target = a.strAs("lambda_arn", "target")
			setFunctionTarget(i, &t)
			it.add(t)
		}
	}
	for _, cb := range o.blocks("default_cache_behavior") {
		add("default cache behaviour", cb)
	}
	for _, cb := range o.blocks("ordered_cache_behavior") {
		add("path "+cb.str("path_pattern"), cb)
	}
}

// decodeObjectLambdaAccessPoint: S3 Object Lambda invokes each
// transformation's function with the credentials of the caller.
func decodeObjectLambdaAccessPoint(b *builder, i *instance) {
	var unknown []inventory.Unknown
	o := i.obj(&unknown)
	it := b.invokers(i, &unknown, "configuration")
	defer it.done()
	account := o.str("account_id")
	if account == "" {
		account = i.Provider.Account
	}
	arn := "arn:" + i.Provider.Partition + ":s3-object-lambda:" + i.Provider.Region + ":" + account + ":accesspoint/" + o.str("name")
	for _, cfg := range o.blocks("configuration") {
		for _, tc := range cfg.blocks("transformation_configuration") {
			actions := tc.strs("actions")
			sort.Strings(actions)
			for _, ct := range tc.blocks("content_transformation") {
				for _, fn := range ct.blocks("aws_lambda") {
					t := roleTrigger(i, "s3_object_lambda", arn, true)
					t.Unknown = append(t.Unknown, unknown...)
					t.Events = actions
					t.Target = fn.strAs("function_arn", "target")
					setFunctionTarget(i, &t)
					it.add(t)
				}
			}
		}
	}
}

// maxTemplateBody bounds the template a stack's template_body may hold
// (CloudFormation itself accepts 51,200 bytes inline).
const maxTemplateBody = 1 << 20

// decodeStack: the Lambda-backed custom resources of a stack's template.
// CloudFormation invokes each ServiceToken with the stack's service role,
// or without one with the credentials of whoever deploys the stack.
func decodeStack(b *builder, i *instance) {
	var unknown []inventory.Unknown
	o := i.obj(&unknown)
	it := b.invokers(i, &unknown, "template_body")
	defer it.done()
	name := o.str("name")
	arn := i.arnOf("cloudformation", i.Provider.Region, "stack/"+name+"/<"+i.Addr+".stack_id>")
	role := o.str("iam_role_arn")
	if !o.has("template_body") {
		if o.has("template_url") {
			b.unresolved(i.origin, "cloudformation stack: the template at template_url is not read, so its custom resources are unknown")
		}
		return
	}
	body := o.str("template_body")
	if body == "" {
		return // unknown: recorded in unknown by str
	}
	if len(body) > maxTemplateBody {
		b.unresolved(i.origin, "cloudformation stack: template_body is larger than 1 MiB and is not read")
		return
	}
	tokens, others, err := customResourceTokens([]byte(body))
	if err != nil {
		b.unresolved(i.origin, "cloudformation stack: template_body is not a JSON or YAML template: "+err.Error())
		return
	}
	if len(others) > 0 {
		// The stack's own resources are not loaded: a delivery stream or a
		// rule in there may invoke a function, unseen.
		b.unresolved(i.origin, "cloudformation stack: the template's resources other than custom resources are not loaded ("+strings.Join(others, ", ")+"); what they invoke is unknown")
	}
	params, _ := o.block("parameters")
	for _, tok := range tokens {
		if tok.Ref != "" && params.v != ctyNil {
			// Terraform passes the stack's parameters: a Ref to one is its value.
			tok.Token = params.strAs(tok.Ref, "parameters."+tok.Ref)
		}
		t := roleTrigger(i, "cloudformation", arn, true)
		t.Unknown = append(t.Unknown, unknown...)
		t.InvokeRole = role
		t.Events = []string{tok.Resource}
		if tok.Token == "" {
			t.Unknown = append(t.Unknown, inventory.Unknown{Field: "target", Reason: "the ServiceToken of " + tok.Resource + " is not a literal ARN (" + tok.Why + ")", Span: loc.At(i.origin.File, i.origin.Line)})
		} else if !strings.Contains(tok.Token, ":lambda:") && strings.HasPrefix(tok.Token, "arn:") {
			continue // an SNS-backed custom resource
		}
		t.Target = tok.Token
		setFunctionTarget(i, &t)
		it.add(t)
	}
}

// customToken is one custom resource of a template and its ServiceToken
// when written as a literal; Why says what it is otherwise, and Ref names
// the template parameter it refers to, if it does.
type customToken struct {
	Resource string
	Token    string
	Ref      string
	Why      string
}

// customResourceTokens lists the custom resources (Custom::* and
// AWS::CloudFormation::CustomResource) of a JSON or YAML template, in
// logical id order, and the other resource types it holds, sorted.
func customResourceTokens(body []byte) ([]customToken, []string, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(body, &doc); err != nil {
		return nil, nil, err
	}
	if len(doc.Content) == 0 {
		return nil, nil, nil
	}
	resources := mapValue(doc.Content[0], "Resources")
	if resources == nil || resources.Kind != yaml.MappingNode {
		return nil, nil, nil
	}
	var out []customToken
	seen := map[string]bool{}
	var others []string
	for k := 0; k+1 < len(resources.Content); k += 2 {
		id, res := resources.Content[k].Value, resources.Content[k+1]
		typ := mapValue(res, "Type")
		if typ == nil || typ.Kind != yaml.ScalarNode {
			continue
		}
		if !strings.HasPrefix(typ.Value, "Custom::") && typ.Value != "AWS::CloudFormation::CustomResource" {
			if !seen[typ.Value] {
				seen[typ.Value] = true
				others = append(others, typ.Value)
			}
			continue
		}
		ct := customToken{Resource: id}
		tok := mapValue(mapValue(res, "Properties"), "ServiceToken")
		switch {
		case tok == nil:
			ct.Why = "it has none"
		case tok.Kind == yaml.ScalarNode && tok.Tag == "!!str":
			ct.Token = tok.Value
		case tok.Kind == yaml.ScalarNode && tok.Tag == "!Ref":
			ct.Ref, ct.Why = tok.Value, "Ref "+tok.Value
		case tok.Kind == yaml.ScalarNode && strings.HasPrefix(tok.Tag, "!"):
			ct.Why = "an intrinsic function " + tok.Tag
		case tok.Kind == yaml.MappingNode && len(tok.Content) == 2 && tok.Content[0].Value == "Ref" && tok.Content[1].Kind == yaml.ScalarNode:
			ct.Ref, ct.Why = tok.Content[1].Value, "Ref "+tok.Content[1].Value
		case tok.Kind == yaml.MappingNode && len(tok.Content) == 2:
			ct.Why = "an intrinsic function " + tok.Content[0].Value
		default:
			ct.Why = "an expression"
		}
		out = append(out, ct)
	}
	sort.Slice(out, func(a, b int) bool { return out[a].Resource < out[b].Resource })
	sort.Strings(others)
	return out, others, nil
}

// mapValue is the value under key in a YAML mapping, or nil.
func mapValue(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for k := 0; k+1 < len(n.Content); k += 2 {
		if n.Content[k].Value == key {
			return n.Content[k+1]
		}
	}
	return nil
}

// decodeSourceAccess reads an event source mapping's source access
// configurations and a self-managed source's bootstrap servers.
func decodeSourceAccess(o obj, t *inventory.Trigger) {
	for _, sa := range o.blocks("source_access_configuration") {
		t.SourceAccess = append(t.SourceAccess, inventory.SourceAccess{Type: sa.str("type"), URI: sa.str("uri")})
	}
	for _, sm := range o.blocks("self_managed_event_source") {
		if ep, ok := sm.block("endpoints"); ok {
			for _, s := range strings.Split(ep.str("KAFKA_BOOTSTRAP_SERVERS"), ",") {
				if s = strings.TrimSpace(s); s != "" {
					t.Endpoints = append(t.Endpoints, s)
				}
			}
		}
	}
}

func hasUnknownField(us []inventory.Unknown, field string) bool {
	for _, u := range us {
		if u.Field == field {
			return true
		}
	}
	return false
}

package terraform

import (
	"fmt"
	"strings"

	"github.com/zclconf/go-cty/cty"

	"github.com/lambdacheck/lambdacheck/analyzer/terraform/eval"
	"github.com/lambdacheck/lambdacheck/analyzer/terraform/reason"
)

// inst wraps a resource instance for computing its attributes.
type inst struct {
	*eval.Instance
}

func (i inst) region() string    { return i.Provider.Region }
func (i inst) account() string   { return i.Provider.Account }
func (i inst) partition() string { return i.Provider.Partition }

// get returns a configuration attribute (marks kept), or cty.NilVal.
func (i inst) get(name string) cty.Value { return getAttr(i.Config, name) }

func getAttr(v cty.Value, name string) cty.Value {
	if v == cty.NilVal {
		return cty.NilVal
	}
	u, _ := v.Unmark()
	if !u.IsKnown() || u.IsNull() || !u.Type().IsObjectType() || !u.Type().HasAttribute(name) {
		return cty.NilVal
	}
	a := u.GetAttr(name)
	if ua, _ := a.Unmark(); ua.IsKnown() && ua.IsNull() {
		return cty.NilVal
	}
	return a
}

// placeholder is the documented stand-in for a value AWS or Terraform
// assigns at creation: "<ADDRESS.ATTRIBUTE>".
func (i inst) placeholder(attr string) string { return "<" + i.Addr + "." + attr + ">" }

// concat joins Go strings and cty values into one string value; if any
// value is unknown the result is unknown and carries their reasons, and,
// when every unknown part is symbolic, the symbol of the whole, so a name
// built from a variable still joins by identity.
func concat(parts ...any) cty.Value {
	var b, sym strings.Builder
	var marks []reason.Mark
	unknown, symbolic := false, true
	for _, p := range parts {
		switch x := p.(type) {
		case string:
			b.WriteString(x)
			sym.WriteString(x)
		case cty.Value:
			if x == cty.NilVal {
				unknown, symbolic = true, false
				continue
			}
			u, rs := reason.Of(x)
			if !u.IsWhollyKnown() {
				unknown = true
				marks = append(marks, rs...)
				if s, ok := reason.SymbolOf(x); ok {
					sym.WriteString(s)
				} else {
					symbolic = false
				}
				continue
			}
			if u.IsNull() {
				unknown, symbolic = true, false
				continue
			}
			b.WriteString(toString(u))
			sym.WriteString(toString(u))
		}
	}
	if unknown {
		v := cty.UnknownVal(cty.String)
		for _, m := range marks {
			v = v.Mark(m)
		}
		if symbolic {
			v = reason.WithSymbol(v, sym.String())
		}
		return v
	}
	return cty.StringVal(b.String())
}

// name returns the configured name, prefix plus placeholder for name_prefix,
// or the placeholder for a name Terraform generates ("terraform-2024…").
func (i inst) name(attr, prefixAttr string) cty.Value {
	if v := i.get(attr); v != cty.NilVal {
		return v
	}
	if prefixAttr != "" {
		if p := i.get(prefixAttr); p != cty.NilVal {
			return concat(p, i.placeholder(attr))
		}
	}
	return cty.StringVal(i.placeholder(attr))
}

func (i inst) arn(service, region, account, resource any) cty.Value {
	return concat("arn:", i.partition(), ":", service, ":", region, ":", account, ":", resource)
}

// lastSegment returns the part of an ARN or path after the last sep.
func lastSegment(v cty.Value, sep string) cty.Value {
	u, _ := reason.Of(v)
	if v == cty.NilVal || !u.IsKnown() || u.IsNull() || u.Type() != cty.String {
		return v
	}
	s := u.AsString()
	if i := strings.LastIndex(s, sep); i >= 0 {
		return cty.StringVal(s[i+len(sep):])
	}
	return v
}

func isARN(v cty.Value) (string, bool) {
	u, _ := reason.Of(v)
	if v == cty.NilVal || !u.IsKnown() || u.IsNull() || u.Type() != cty.String {
		return "", false
	}
	s := u.AsString()
	return s, strings.HasPrefix(s, "arn:")
}

// functionARN resolves a Lambda function reference given as a name, a full
// or partial ARN, with an optional ":qualifier", to the unqualified ARN and
// the qualifier.
func (i inst) functionARN(ref cty.Value) (cty.Value, string) {
	if ref == cty.NilVal {
		return cty.NilVal, ""
	}
	text, symbolic, ok := reason.Text(ref)
	if !ok {
		return concat(ref), ""
	}
	arn, qual := splitFunctionRef(text, i.partition(), i.region(), i.account())
	if symbolic {
		// Still unknown, but named: the ARN of a function whose name is
		// symbolic joins with the function by that name.
		return reason.WithSymbol(concat(ref), arn), qual
	}
	return cty.StringVal(arn), qual
}

// splitFunctionRef handles the FunctionName forms Lambda accepts: name,
// name:qualifier, ACCOUNT:function:name[:qualifier] and the full ARN.
func splitFunctionRef(s, partition, region, account string) (arn, qualifier string) {
	if symbolNamesARN(s) {
		// <module.fn.lambda_function_arn> is an ARN, not a name: written
		// into a function ARN it would join with nothing.
		return s, ""
	}
	if strings.HasPrefix(s, "arn:") {
		parts := strings.Split(s, ":")
		if len(parts) >= 7 && parts[5] == "function" {
			if len(parts) >= 8 {
				qualifier = parts[7]
			}
			return strings.Join(parts[:7], ":"), qualifier
		}
		return s, ""
	}
	parts := strings.Split(s, ":")
	switch {
	case len(parts) >= 3 && parts[1] == "function":
		if len(parts) >= 4 {
			qualifier = parts[3]
		}
		return fmt.Sprintf("arn:%s:lambda:%s:%s:function:%s", partition, region, parts[0], parts[2]), qualifier
	case len(parts) == 2:
		return fmt.Sprintf("arn:%s:lambda:%s:%s:function:%s", partition, region, account, parts[0]), parts[1]
	}
	return fmt.Sprintf("arn:%s:lambda:%s:%s:function:%s", partition, region, account, s), ""
}

// symbolNamesARN: the text is one symbol whose expression ends in an
// attribute named for an ARN (.arn, .lambda_function_arn, .qualified_arn).
func symbolNamesARN(s string) bool {
	if !reason.IsBare(s) {
		return false
	}
	last := s[strings.LastIndexByte(s, '.')+1 : len(s)-1]
	return last == "arn" || strings.HasSuffix(last, "_arn") || strings.HasPrefix(last, "arn_")
}

func dnsSuffix(partition string) string {
	switch partition {
	case "aws-cn":
		return "amazonaws.com.cn"
	case "aws-iso":
		return "c2s.ic.gov"
	case "aws-iso-b":
		return "sc2s.sgov.gov"
	}
	return "amazonaws.com"
}

// computed returns the attributes AWS computes for a managed resource of
// a type lambdacheck knows; ok is false for other types.
func (k *knowledge) computed(i inst) (map[string]cty.Value, bool) {
	c := map[string]cty.Value{}
	p, r, a := i.partition(), i.region(), i.account()
	switch i.Resource.Type {
	case "aws_lambda_function":
		name := i.get("function_name")
		arn := i.arn("lambda", r, a, concat("function:", name))
		version := cty.StringVal("$LATEST")
		if truthy(i.get("publish")) {
			version = cty.StringVal(i.placeholder("version"))
		}
		c["arn"], c["id"], c["version"] = arn, name, version
		c["qualified_arn"] = concat(arn, ":", version)
		c["invoke_arn"] = concat("arn:", p, ":apigateway:", r, ":lambda:path/2015-03-31/functions/", arn, "/invocations")
		c["qualified_invoke_arn"] = concat("arn:", p, ":apigateway:", r, ":lambda:path/2015-03-31/functions/", c["qualified_arn"], "/invocations")
	case "aws_lambda_alias":
		fn, _ := i.functionARN(i.get("function_name"))
		arn := concat(fn, ":", i.get("name"))
		c["arn"], c["id"] = arn, arn
		c["invoke_arn"] = concat("arn:", p, ":apigateway:", r, ":lambda:path/2015-03-31/functions/", arn, "/invocations")
	case "aws_lambda_function_url":
		fn, q := i.functionARN(i.get("function_name"))
		id := i.placeholder("url_id")
		c["url_id"] = cty.StringVal(id)
		c["function_url"] = cty.StringVal("https://" + id + ".lambda-url." + r + ".on.aws/")
		c["function_arn"] = fn
		c["id"] = concat(i.get("function_name"))
		if qv := i.get("qualifier"); qv != cty.NilVal && q == "" {
			c["id"] = concat(i.get("function_name"), "/", qv)
		}
	case "aws_lambda_permission":
		c["id"] = i.name("statement_id", "statement_id_prefix")
		c["statement_id"] = c["id"]
	case "aws_lambda_event_source_mapping":
		id := i.placeholder("uuid")
		c["uuid"], c["id"] = cty.StringVal(id), cty.StringVal(id)
		c["arn"] = i.arn("lambda", r, a, "event-source-mapping:"+id)
		fn, q := i.functionARN(i.get("function_name"))
		if q != "" {
			fn = concat(fn, ":", q)
		}
		c["function_arn"] = fn
	case "aws_lambda_layer_version":
		layer := i.arn("lambda", r, a, concat("layer:", i.get("layer_name")))
		v := i.placeholder("version")
		c["layer_arn"], c["version"] = layer, cty.StringVal(v)
		c["arn"] = concat(layer, ":", v)
		c["id"] = c["arn"]
	case "aws_iam_role":
		name := i.name("name", "name_prefix")
		path := i.get("path")
		if path == cty.NilVal {
			path = cty.StringVal("/")
		}
		c["name"], c["id"], c["path"] = name, name, path
		c["arn"] = i.arn("iam", "", a, concat("role", path, name))
		c["unique_id"] = cty.StringVal(i.placeholder("unique_id"))
	case "aws_iam_user":
		name := i.get("name")
		path := i.get("path")
		if path == cty.NilVal {
			path = cty.StringVal("/")
		}
		c["id"], c["path"] = name, path
		c["arn"] = i.arn("iam", "", a, concat("user", path, name))
	case "aws_iam_policy":
		name := i.name("name", "name_prefix")
		path := i.get("path")
		if path == cty.NilVal {
			path = cty.StringVal("/")
		}
		c["name"], c["path"] = name, path
		c["arn"] = i.arn("iam", "", a, concat("policy", path, name))
		c["id"] = c["arn"]
		c["policy_id"] = cty.StringVal(i.placeholder("policy_id"))
	case "aws_iam_role_policy":
		name := i.name("name", "name_prefix")
		c["name"] = name
		c["id"] = concat(i.get("role"), ":", name)
	case "aws_s3_bucket":
		b := i.name("bucket", "bucket_prefix")
		c["bucket"], c["id"] = b, b
		c["arn"] = concat("arn:", p, ":s3:::", b)
		c["bucket_domain_name"] = concat(b, ".s3.", dnsSuffix(p))
		c["bucket_regional_domain_name"] = concat(b, ".s3.", r, ".", dnsSuffix(p))
		c["region"] = cty.StringVal(r)
	case "aws_s3_bucket_policy", "aws_s3_bucket_notification", "aws_s3_bucket_server_side_encryption_configuration",
		"aws_s3_bucket_public_access_block", "aws_s3_bucket_versioning", "aws_s3_bucket_ownership_controls", "aws_s3_bucket_acl",
		"aws_s3_bucket_lifecycle_configuration", "aws_s3_bucket_cors_configuration", "aws_s3_bucket_logging":
		c["id"] = concat(i.get("bucket"))
	case "aws_sqs_queue":
		name := i.name("name", "name_prefix")
		if i.get("name") == cty.NilVal && truthy(i.get("fifo_queue")) {
			name = concat(name, ".fifo")
		}
		c["name"] = name
		c["arn"] = i.arn("sqs", r, a, name)
		c["url"] = concat("https://sqs.", r, ".", dnsSuffix(p), "/", a, "/", name)
		c["id"] = c["url"]
	case "aws_sqs_queue_policy", "aws_sqs_queue_redrive_policy", "aws_sqs_queue_redrive_allow_policy":
		c["id"] = concat(i.get("queue_url"))
	case "aws_sns_topic":
		name := i.name("name", "name_prefix")
		if i.get("name") == cty.NilVal && truthy(i.get("fifo_topic")) {
			name = concat(name, ".fifo")
		}
		c["name"] = name
		c["arn"] = i.arn("sns", r, a, name)
		c["id"] = c["arn"]
	case "aws_sns_topic_policy":
		c["id"] = concat(i.get("arn"))
	case "aws_sns_topic_subscription":
		c["arn"] = concat(i.get("topic_arn"), ":", i.placeholder("subscription_id"))
		c["id"] = c["arn"]
	case "aws_dynamodb_table":
		name := i.get("name")
		arn := i.arn("dynamodb", r, a, concat("table/", name))
		c["arn"], c["id"] = arn, name
		if truthy(i.get("stream_enabled")) {
			label := i.placeholder("stream_label")
			c["stream_label"] = cty.StringVal(label)
			c["stream_arn"] = concat(arn, "/stream/", label)
		} else {
			c["stream_arn"], c["stream_label"] = cty.StringVal(""), cty.StringVal("")
		}
	case "aws_kinesis_stream":
		name := i.get("name")
		c["arn"] = i.arn("kinesis", r, a, concat("stream/", name))
		c["id"] = c["arn"]
	case "aws_kinesis_stream_consumer":
		c["arn"] = concat(i.get("stream_arn"), "/consumer/", i.get("name"), ":", i.placeholder("creation_timestamp"))
		c["id"] = c["arn"]
	case "aws_kinesis_firehose_delivery_stream":
		c["arn"] = i.arn("firehose", r, a, concat("deliverystream/", i.get("name")))
		c["id"] = c["arn"]
	case "aws_kms_key":
		id := i.placeholder("key_id")
		c["key_id"], c["id"] = cty.StringVal(id), cty.StringVal(id)
		c["arn"] = i.arn("kms", r, a, "key/"+id)
	case "aws_kms_alias":
		name := i.name("name", "name_prefix")
		c["name"], c["id"] = name, name
		c["arn"] = i.arn("kms", r, a, name)
		c["target_key_arn"] = k.kmsKeyARN(i, i.get("target_key_id"))
	case "aws_kms_key_policy":
		c["id"] = concat(i.get("key_id"))
	case "aws_secretsmanager_secret":
		name := i.name("name", "name_prefix")
		c["name"] = name
		c["arn"] = i.arn("secretsmanager", r, a, concat("secret:", name, "-", i.placeholder("suffix")))
		c["id"] = c["arn"]
	case "aws_secretsmanager_secret_version":
		c["arn"] = concat(i.get("secret_id"))
		c["version_id"] = cty.StringVal(i.placeholder("version_id"))
	case "aws_ssm_parameter":
		name := i.get("name")
		c["arn"] = i.arn("ssm", r, a, concat("parameter", ssmSlash(name), name))
		c["id"] = name
	case "aws_cloudwatch_event_bus":
		name := i.get("name")
		c["arn"] = i.arn("events", r, a, concat("event-bus/", name))
		c["id"] = name
	case "aws_cloudwatch_event_rule":
		name := i.name("name", "name_prefix")
		c["name"] = name
		bus := lastSegment(i.get("event_bus_name"), "event-bus/")
		if bus == cty.NilVal || knownEquals(bus, "default") {
			c["arn"] = i.arn("events", r, a, concat("rule/", name))
			c["id"] = name
		} else {
			c["arn"] = i.arn("events", r, a, concat("rule/", bus, "/", name))
			c["id"] = concat(bus, "/", name)
		}
	case "aws_cloudwatch_event_target":
		tid := i.name("target_id", "")
		c["target_id"] = tid
		c["id"] = concat(i.get("rule"), "-", tid)
	case "aws_scheduler_schedule":
		name := i.name("name", "name_prefix")
		group := i.get("group_name")
		if group == cty.NilVal {
			group = cty.StringVal("default")
		}
		c["name"], c["group_name"] = name, group
		c["arn"] = i.arn("scheduler", r, a, concat("schedule/", group, "/", name))
		c["id"] = concat(group, "/", name)
	case "aws_scheduler_schedule_group":
		name := i.name("name", "name_prefix")
		c["name"], c["id"] = name, name
		c["arn"] = i.arn("scheduler", r, a, concat("schedule-group/", name))
	case "aws_cloudwatch_log_group":
		name := i.name("name", "name_prefix")
		c["name"], c["id"] = name, name
		c["arn"] = i.arn("logs", r, a, concat("log-group:", name))
	case "aws_cloudwatch_log_subscription_filter":
		c["id"] = cty.StringVal(i.placeholder("id"))
	case "aws_cloudwatch_metric_alarm":
		name := i.get("alarm_name")
		c["arn"] = i.arn("cloudwatch", r, a, concat("alarm:", name))
		c["id"] = name
	case "aws_api_gateway_rest_api":
		id := i.placeholder("id")
		c["id"] = cty.StringVal(id)
		root := i.placeholder("root_resource_id")
		c["root_resource_id"] = cty.StringVal(root)
		c["execution_arn"] = i.arn("execute-api", r, a, id)
		c["arn"] = concat("arn:", p, ":apigateway:", r, "::/restapis/", id)
		k.apiPaths[root] = "/"
	case "aws_api_gateway_resource":
		id := i.placeholder("id")
		c["id"] = cty.StringVal(id)
		if parent, ok := knownStr(i.get("parent_id")); ok {
			if pp, ok := k.apiPaths[parent]; ok {
				if part, ok := knownStr(i.get("path_part")); ok {
					path := strings.TrimSuffix(pp, "/") + "/" + part
					k.apiPaths[id] = path
					c["path"] = cty.StringVal(path)
				}
			}
		}
	case "aws_api_gateway_stage":
		api := i.get("rest_api_id")
		stage := i.get("stage_name")
		c["id"] = cty.StringVal(i.placeholder("id"))
		c["execution_arn"] = i.arn("execute-api", r, a, concat(api, "/", stage))
		c["invoke_url"] = concat("https://", api, ".execute-api.", r, ".amazonaws.com/", stage)
		c["arn"] = concat("arn:", p, ":apigateway:", r, "::/restapis/", api, "/stages/", stage)
	case "aws_api_gateway_deployment":
		api := i.get("rest_api_id")
		c["id"] = cty.StringVal(i.placeholder("id"))
		c["execution_arn"] = i.arn("execute-api", r, a, concat(api, "/"))
	case "aws_apigatewayv2_api":
		id := i.placeholder("id")
		c["id"] = cty.StringVal(id)
		c["execution_arn"] = i.arn("execute-api", r, a, id)
		c["arn"] = concat("arn:", p, ":apigateway:", r, "::/apis/", id)
		c["api_endpoint"] = cty.StringVal("https://" + id + ".execute-api." + r + ".amazonaws.com")
	case "aws_apigatewayv2_stage":
		api := i.get("api_id")
		stage := i.get("name")
		c["id"] = stage
		c["execution_arn"] = i.arn("execute-api", r, a, concat(api, "/", stage))
		c["invoke_url"] = concat("https://", api, ".execute-api.", r, ".amazonaws.com/", stage)
	case "aws_iot_topic_rule":
		name := i.get("name")
		c["arn"] = i.arn("iot", r, a, concat("rule/", name))
		c["id"] = name
	case "aws_cognito_user_pool":
		id := i.placeholder("id")
		c["id"] = cty.StringVal(id)
		c["arn"] = i.arn("cognito-idp", r, a, "userpool/"+id)
		c["endpoint"] = cty.StringVal("cognito-idp." + r + ".amazonaws.com/" + id)
	case "aws_sfn_state_machine":
		name := i.name("name", "name_prefix")
		c["name"] = name
		c["arn"] = i.arn("states", r, a, concat("stateMachine:", name))
		c["id"] = c["arn"]
	case "aws_lb_target_group", "aws_alb_target_group":
		name := i.name("name", "name_prefix")
		suffix := concat("targetgroup/", name, "/", i.placeholder("tg_id"))
		c["name"], c["arn_suffix"] = name, suffix
		c["arn"] = i.arn("elasticloadbalancing", r, a, suffix)
		c["id"] = c["arn"]
	case "aws_lb_listener", "aws_alb_listener":
		// A listener is listener/app/LB-NAME/LB-ID/LISTENER-ID: its load
		// balancer's ARN with the resource type changed, and an id.
		id := i.placeholder("listener_id")
		if lb, _, ok := reason.Text(i.get("load_balancer_arn")); ok && strings.Contains(lb, ":loadbalancer/") {
			c["arn"] = concat(strings.Replace(lb, ":loadbalancer/", ":listener/", 1), "/", id)
		} else {
			c["arn"] = i.arn("elasticloadbalancing", r, a, concat("listener/app/", id))
		}
		c["id"] = c["arn"]
	case "aws_lb_listener_rule", "aws_alb_listener_rule":
		id := i.placeholder("rule_id")
		if l, _, ok := reason.Text(i.get("listener_arn")); ok && strings.Contains(l, ":listener/") {
			c["arn"] = concat(strings.Replace(l, ":listener/", ":listener-rule/", 1), "/", id)
		} else {
			c["arn"] = i.arn("elasticloadbalancing", r, a, concat("listener-rule/app/", id))
		}
		c["id"] = c["arn"]
	case "aws_lb", "aws_alb":
		name := i.name("name", "name_prefix")
		suffix := concat("loadbalancer/app/", name, "/", i.placeholder("lb_id"))
		c["name"], c["arn_suffix"] = name, suffix
		c["arn"] = i.arn("elasticloadbalancing", r, a, suffix)
		c["id"] = c["arn"]
	case "aws_rds_cluster":
		id := i.name("cluster_identifier", "cluster_identifier_prefix")
		c["cluster_identifier"], c["id"] = id, id
		c["arn"] = i.arn("rds", r, a, concat("cluster:", id))
	case "aws_mq_broker":
		// Actions, resources, and condition keys for Amazon MQ: a broker is
		// broker:NAME:ID, the id Amazon MQ assigns.
		id := cty.StringVal(i.placeholder("id"))
		c["id"] = id
		c["arn"] = i.arn("mq", r, a, concat("broker:", i.get("broker_name"), ":", id))
	case "aws_msk_cluster", "aws_msk_serverless_cluster":
		// Actions, resources, and condition keys for Amazon Managed Streaming
		// for Apache Kafka: a cluster is cluster/NAME/UUID; the provider's id
		// is the ARN.
		uuid := cty.StringVal(i.placeholder("cluster_uuid"))
		c["cluster_uuid"] = uuid
		c["arn"] = i.arn("kafka", r, a, concat("cluster/", i.get("cluster_name"), "/", uuid))
		c["id"] = c["arn"]
	case "aws_docdb_cluster":
		// DocumentDB clusters are RDS resources: cluster:IDENTIFIER.
		id := i.name("cluster_identifier", "cluster_identifier_prefix")
		c["cluster_identifier"], c["id"] = id, id
		c["arn"] = i.arn("rds", r, a, concat("cluster:", id))
	case "aws_organizations_policy":
		id := i.placeholder("id")
		c["id"] = cty.StringVal(id)
	default:
		if !computedInvokers(i, c) {
			return nil, false
		}
	}
	return c, true
}

func ssmSlash(name cty.Value) string {
	if s, ok := knownStr(name); ok && strings.HasPrefix(s, "/") {
		return ""
	}
	return "/"
}

func knownStr(v cty.Value) (string, bool) {
	if v == cty.NilVal {
		return "", false
	}
	u, _ := reason.Of(v)
	if !u.IsKnown() || u.IsNull() || u.Type() != cty.String {
		return "", false
	}
	return u.AsString(), true
}

func knownEquals(v cty.Value, s string) bool {
	got, ok := knownStr(v)
	return ok && got == s
}

func truthy(v cty.Value) bool {
	if v == cty.NilVal {
		return false
	}
	u, _ := reason.Of(v)
	if !u.IsKnown() || u.IsNull() {
		return false
	}
	if u.Type() == cty.Bool {
		return u.True()
	}
	if u.Type() == cty.String {
		return u.AsString() == "true"
	}
	return false
}

// kmsKeyARN resolves a key reference (id, ARN, alias name or alias ARN).
// Aliases resolve only through aws_kms_alias resources of this
// configuration, since otherwise AWS decides.
func (k *knowledge) kmsKeyARN(i inst, ref cty.Value) cty.Value {
	s, ok := knownStr(ref)
	if !ok {
		return concat(ref)
	}
	switch {
	case strings.HasPrefix(s, "arn:") && strings.Contains(s, ":key/"):
		return cty.StringVal(s)
	case strings.HasPrefix(s, "alias/") || (strings.HasPrefix(s, "arn:") && strings.Contains(s, ":alias/")):
		return reason.Unknown(cty.String, "KMS alias "+s+" is resolved by AWS", i.Resource.Range)
	}
	return cty.StringVal(fmt.Sprintf("arn:%s:kms:%s:%s:key/%s", i.partition(), i.region(), i.account(), s))
}

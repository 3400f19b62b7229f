package cloudformation

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/zclconf/go-cty/cty"
	"go.yaml.in/yaml/v3"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
	"github.com/lambdacheck/lambdacheck/analyzer/loc"
	"github.com/lambdacheck/lambdacheck/analyzer/terraform/eval"
	"github.com/lambdacheck/lambdacheck/analyzer/terraform/reason"
)

// withGlobals returns the function's properties with Globals.Function
// under them: the function's own values win, Environment.Variables merge.
func (t *template) withGlobals(p *yaml.Node) *yaml.Node {
	if t.globals == nil || t.globals.Kind != yaml.MappingNode {
		return p
	}
	out := &yaml.Node{Kind: yaml.MappingNode, Line: t.globals.Line}
	if p != nil {
		out.Line = p.Line
	}
	for i := 0; i+1 < len(t.globals.Content); i += 2 {
		k := t.globals.Content[i].Value
		own := get(p, k)
		if own == nil {
			out.Content = append(out.Content, t.globals.Content[i], t.globals.Content[i+1])
			continue
		}
		if _, _, isFn := intrinsic(own); k == "Environment" && own.Kind == yaml.MappingNode && !isFn {
			merged := &yaml.Node{Kind: yaml.MappingNode, Line: own.Line}
			vars := &yaml.Node{Kind: yaml.MappingNode, Line: own.Line}
			if gv := get(get(t.globals, k), "Variables"); gv != nil {
				vars.Content = append(vars.Content, gv.Content...)
			}
			if ov := get(own, "Variables"); ov != nil {
				vars.Content = append(vars.Content, ov.Content...)
			}
			merged.Content = []*yaml.Node{{Kind: yaml.ScalarNode, Value: "Variables"}, vars}
			out.Content = append(out.Content, t.globals.Content[i], merged)
		}
	}
	if p != nil {
		for i := 0; i+1 < len(p.Content); i += 2 {
			if own := deref(p.Content[i+1]); p.Content[i].Value == "Environment" && get(t.globals, "Environment") != nil {
				if _, _, isFn := intrinsic(own); own.Kind == yaml.MappingNode && !isFn {
					continue // merged above
				}
			}
			out.Content = append(out.Content, p.Content[i], p.Content[i+1])
		}
	}
	return out
}

// samFunction expands AWS::Serverless::Function as the SAM transform
// does: the function, its generated role (<Id>Role), alias, URL and, per
// event, the permission, subscription, rule or mapping.
func (t *template) samFunction(r *resource, depth int) {
	id, n := r.id, r.key
	p := t.withGlobals(r.props)
	pv := func(k string) cty.Value { return t.prop(p, k, depth) }
	attrs := t.functionAttrs(p, id, n, depth)
	if dlq := pv("DeadLetterQueue"); dlq != cty.NilVal {
		attrs["dead_letter_config"] = cty.TupleVal([]cty.Value{cty.ObjectVal(map[string]cty.Value{"target_arn": attr(dlq, "TargetArn")})})
	}
	if tr, _ := textOf(pv("Tracing")); tr == "Active" || tr == "PassThrough" {
		attrs["tracing_config"] = cty.TupleVal([]cty.Value{cty.ObjectVal(map[string]cty.Value{"mode": cty.StringVal(tr)})})
	}
	alias, _ := textOf(pv("AutoPublishAlias"))
	if alias != "" {
		attrs["publish"] = cty.True
	}
	var events []eventDef
	if ev := get(p, "Events"); ev != nil && ev.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(ev.Content); i += 2 {
			e := deref(ev.Content[i+1])
			typ := ""
			if tn := get(e, "Type"); tn != nil {
				typ = tn.Value
			}
			events = append(events, eventDef{name: ev.Content[i].Value, typ: typ, node: e, props: get(e, "Properties")})
		}
	}
	roleName := cty.NilVal
	if attrs["role"] == cty.NilVal {
		// The generated execution role.
		rid := id + "Role"
		managed := []string{"service-role/AWSLambdaBasicExecutionRole"}
		if tr, _ := textOf(pv("Tracing")); tr == "Active" {
			managed = append(managed, "AWSXrayWriteOnlyAccess")
		}
		for _, e := range events {
			switch e.typ {
			case "SQS":
				managed = append(managed, "service-role/AWSLambdaSQSQueueExecutionRole")
			case "Kinesis":
				managed = append(managed, "service-role/AWSLambdaKinesisExecutionRole")
			case "DynamoDB":
				managed = append(managed, "service-role/AWSLambdaDynamoDBExecutionRole")
			case "MSK":
				managed = append(managed, "service-role/AWSLambdaMSKExecutionRole")
			}
		}
		role := t.emit(rid, "aws_iam_role", n, map[string]cty.Value{"name": t.generated(rid, n), "assume_role_policy": trust("lambda.amazonaws.com"),
			"permissions_boundary": pv("PermissionsBoundary")})
		roleName = attr(role.Value, "name")
		attrs["role"] = attr(role.Value, "arn")
		t.gen[rid] = map[string]cty.Value{"": roleName, "Arn": attr(role.Value, "arn")}
		for i, m := range managed {
			t.emit(fmt.Sprintf("%s.ManagedPolicyArns[%d]", rid, i), "aws_iam_role_policy_attachment", n, map[string]cty.Value{"role": roleName,
				"policy_arn": cty.StringVal("arn:" + t.partition + ":iam::aws:policy/" + m)})
		}
		t.samPolicies(rid, roleName, get(p, "Policies"), depth)
		for _, e := range events {
			if name, doc := t.pollerPolicy(e, depth); doc != cty.NilVal {
				t.emit(rid+"."+e.name+"Policy", "aws_iam_role_policy", e.node, map[string]cty.Value{"name": cty.StringVal(name), "role": roleName, "policy": doc})
			}
		}
	}
	fn := t.emit(id, "aws_lambda_function", n, attrs)
	r.primary = fn
	t.recursion(fn, p, n, depth)
	target := attr(fn.Value, "arn")
	if alias != "" {
		a := t.emit(id+"Alias"+alias, "aws_lambda_alias", n, map[string]cty.Value{"name": cty.StringVal(alias),
			"function_name": attr(fn.Value, "function_name"), "function_version": attr(fn.Value, "version")})
		target = attr(a.Value, "arn")
		t.gen[id+"Alias"+alnum(alias)] = map[string]cty.Value{"": target}
		t.gen[id+".Alias"] = map[string]cty.Value{"": target}
	}
	t.gen[id+".Version"] = map[string]cty.Value{"": attr(fn.Value, "version")}
	if ic := get(p, "EventInvokeConfig"); ic != nil {
		q := cty.StringVal("$LATEST")
		if alias != "" {
			q = cty.StringVal(alias)
		}
		cfg := t.invokeConfig(attr(fn.Value, "function_name"), q, ic, depth)
		t.samDestinations(id, cfg, get(ic, "DestinationConfig"), roleName, depth)
		t.emit(id+"EventInvokeConfig", "aws_lambda_function_event_invoke_config", ic, cfg)
	}
	if u := get(p, "FunctionUrlConfig"); u != nil {
		auth := t.prop(u, "AuthType", depth)
		ua := map[string]cty.Value{"function_name": attr(fn.Value, "function_name"), "authorization_type": auth, "invoke_mode": t.prop(u, "InvokeMode", depth)}
		if alias != "" {
			ua["qualifier"] = cty.StringVal(alias)
		}
		url := t.emit(id+"Url", "aws_lambda_function_url", u, ua)
		t.gen[id+"Url"] = map[string]cty.Value{"FunctionUrl": attr(url.Value, "function_url"), "FunctionArn": target}
		if s, _ := textOf(auth); s == "NONE" {
			pa := map[string]cty.Value{"statement_id": cty.StringVal("FunctionURLAllowPublicAccess"), "action": cty.StringVal("lambda:InvokeFunctionUrl"),
				"function_name": target, "principal": cty.StringVal("*"), "function_url_auth_type": cty.StringVal("NONE")}
			t.emit(id+"UrlPublicPermissions", "aws_lambda_permission", u, pa)
		}
	}
	for _, e := range events {
		t.samEvent(id, e, target, depth)
	}
	t.deploymentHooks(id, get(p, "DeploymentPreference"), depth)
}

// deploymentHooks turns the PreTraffic and PostTraffic hooks of a SAM
// DeploymentPreference into triggers: CodeDeploy invokes each hook
// function at every deployment with the preference's Role, or with the
// CodeDeployServiceRole SAM generates once per template (trusting
// codedeploy.amazonaws.com, with the AWS managed policy
// AWSCodeDeployRoleForLambda, which lets it invoke only functions named
// CodeDeployHook_*).
func (t *template) deploymentHooks(id string, dp *yaml.Node, depth int) {
	dp = deref(dp)
	hooks := deref(get(dp, "Hooks"))
	if hooks == nil {
		return
	}
	role := t.prop(dp, "Role", depth)
	if role == cty.NilVal {
		const rid = "CodeDeployServiceRole"
		if g, ok := t.gen[rid]; ok {
			role = g["Arn"]
		} else {
			rr := t.emit(rid, "aws_iam_role", dp, map[string]cty.Value{"name": t.generated(rid, dp), "assume_role_policy": trust("codedeploy.amazonaws.com")})
			t.emit(rid+".ManagedPolicyArns[0]", "aws_iam_role_policy_attachment", dp, map[string]cty.Value{"role": attr(rr.Value, "name"),
				"policy_arn": cty.StringVal("arn:" + t.partition + ":iam::aws:policy/service-role/AWSCodeDeployRoleForLambda")})
			role = attr(rr.Value, "arn")
			t.gen[rid] = map[string]cty.Value{"": attr(rr.Value, "name"), "Arn": role}
		}
	}
	for _, h := range []string{"PreTraffic", "PostTraffic"} {
		n := get(hooks, h)
		if n == nil {
			continue
		}
		tr := t.newTrigger(id+".DeploymentPreference.Hooks."+h, "codedeploy", n)
		tr.SourceAddress = id + "DeploymentGroup"
		tr.SourceARN = t.join("source_arn", n, &tr.Unknown, cty.StringVal(t.arn("codedeploy", "deploymentgroup:")),
			t.generated("ServerlessDeploymentApplication", dp), cty.StringVal("/"), t.generated(id+"DeploymentGroup", dp))
		tr.InvokeRole = t.text(role, "invoke_role", n, &tr.Unknown)
		t.setEnabled(&tr, t.prop(dp, "Enabled", depth), true, n)
		tr.Events = []string{h}
		t.setTarget(&tr, t.value(n, depth), n)
		if reason.IsBare(tr.FunctionARN) {
			// Ref of a function whose name CloudFormation generates: the
			// hook names the function, so its ARN is built around it.
			tr.FunctionARN = t.arn("lambda", "function:"+tr.FunctionARN)
		}
		t.triggers = append(t.triggers, tr)
	}
}

type eventDef struct {
	name, typ   string
	node, props *yaml.Node
}

func (t *template) permission(id, principal string, target, sourceARN cty.Value, n *yaml.Node, account bool) {
	a := map[string]cty.Value{"statement_id": cty.StringVal(id), "action": cty.StringVal("lambda:InvokeFunction"),
		"function_name": target, "principal": cty.StringVal(principal), "source_arn": sourceARN}
	if account {
		a["source_account"] = cty.StringVal(t.account)
	}
	t.emit(id, "aws_lambda_permission", n, a)
}

func (t *template) samEvent(fid string, e eventDef, target cty.Value, depth int) {
	pv := func(k string) cty.Value { return t.prop(e.props, k, depth) }
	addr, n := fid+e.name, e.node
	switch e.typ {
	case "S3":
		bucket := pv("Bucket")
		fn := map[string]cty.Value{"lambda_function_arn": target, "events": cty.TupleVal(elems(pv("Events")))}
		for _, rule := range elems(attr(attr(pv("Filter"), "S3Key"), "Rules")) {
			k, _ := textOf(attr(rule, "Name"))
			fn["filter_"+strings.ToLower(k)] = attr(rule, "Value")
		}
		// SAM pins the permission to the account only: the bucket's ARN
		// would make the permission and the notification depend on each
		// other.
		t.permission(addr+"Permission", "s3.amazonaws.com", target, cty.NilVal, n, true)
		t.emit(addr+"Notification", "aws_s3_bucket_notification", n, map[string]cty.Value{"bucket": bucket,
			"lambda_function": cty.TupleVal([]cty.Value{cty.ObjectVal(nonNil(fn))})})
	case "SNS":
		topic := pv("Topic")
		t.permission(addr+"Permission", "sns.amazonaws.com", target, topic, n, false)
		t.emit(addr, "aws_sns_topic_subscription", n, map[string]cty.Value{"topic_arn": topic, "protocol": cty.StringVal("lambda"),
			"endpoint": target, "filter_policy": t.document(pv("FilterPolicy"), n), "filter_policy_scope": pv("FilterPolicyScope"),
			"region": pv("Region")})
	case "SQS", "Kinesis", "DynamoDB", "MSK", "MQ", "DocumentDB", "SelfManagedKafka":
		a := t.esmAttrs(e.props, target, depth)
		for _, k := range []string{"Broker", "Cluster"} {
			if v := pv(k); v != cty.NilVal {
				a["event_source_arn"] = v
			}
		}
		a["topics"], a["queues"] = pv("Topics"), pv("Queues")
		if e.typ == "SelfManagedKafka" {
			a["self_managed_event_source"] = cty.TupleVal([]cty.Value{cty.ObjectVal(map[string]cty.Value{
				"endpoints": cty.ObjectVal(map[string]cty.Value{"KAFKA_BOOTSTRAP_SERVERS": t.concat(elems(pv("KafkaBootstrapServers")), ",", n)})})})
		}
		if e.typ == "DocumentDB" {
			a["document_db_event_source_config"] = cty.TupleVal([]cty.Value{cty.ObjectVal(nonNil(map[string]cty.Value{
				"database_name": pv("DatabaseName"), "collection_name": pv("CollectionName")}))})
		}
		t.emit(addr, "aws_lambda_event_source_mapping", n, a)
	case "Api":
		t.apiEvent(addr, e, target, depth)
	case "HttpApi":
		t.httpEvent(addr, e, target, depth)
	case "Cognito":
		// The pool's LambdaConfig gets the function when the pool is
		// translated (cognitoEvents); here, the permission.
		pool := apiKey(e.props, "UserPool", "")
		if r := t.resources[pool]; r != nil && r.typ == "AWS::Cognito::UserPool" {
			// The pool's ARN holds only its id, which Cognito assigns: the
			// placeholder the pool's own ARN is built from. Translating the
			// pool here would read this function before it is complete.
			arn := cty.StringVal("arn:" + t.partition + ":cognito-idp:" + t.region + ":" + t.account + ":userpool/<" + pool + ".id>")
			t.permission(addr+"Permission", "cognito-idp.amazonaws.com", target, arn, n, false)
			return
		}
		t.outside = append(t.outside, inventory.UnknownOutside{Address: addr, Span: loc.At(t.path, n.Line),
			Reason: "Cognito event on a user pool that is not a resource of this template"})
	case "IoTRule":
		name := t.symbol(addr+".name", "SAM names the topic rule at deploy time", n)
		rule := t.emit(addr, "aws_iot_topic_rule", n, map[string]cty.Value{"name": name, "sql": pv("Sql"), "enabled": cty.True,
			"sql_version": pv("AwsIotSqlVersion"), "lambda": cty.TupleVal([]cty.Value{cty.ObjectVal(map[string]cty.Value{"function_arn": target})})})
		t.permission(addr+"Permission", "iot.amazonaws.com", target, attr(rule.Value, "arn"), n, true)
	case "Schedule", "CloudWatchEvent", "EventBridgeRule":
		r := &resource{id: addr, node: n}
		name := pv("Name")
		if name == cty.NilVal {
			name = pv("RuleName")
		}
		schedule, pattern := pv("Schedule"), t.document(pv("Pattern"), n)
		state := pv("State")
		if en := pv("Enabled"); en != cty.NilVal && state == cty.NilVal {
			if u, _ := en.Unmark(); u.IsKnown() && u.Type() == cty.Bool {
				state = cty.StringVal(map[bool]string{true: "ENABLED", false: "DISABLED"}[u.True()])
			}
		}
		t.rule(r, addr, n, name, pv("EventBusName"), pattern, schedule, state, depth)
		t.emit(addr+"LambdaTarget", "aws_cloudwatch_event_target", n, map[string]cty.Value{"rule": attr(r.primary.Value, "name"),
			"event_bus_name": pv("EventBusName"), "arn": target})
		t.permission(addr+"Permission", "events.amazonaws.com", target, attr(r.primary.Value, "arn"), n, false)
	case "ScheduleV2":
		role := pv("RoleArn")
		if role == cty.NilVal {
			rid := addr + "Role"
			rr := t.emit(rid, "aws_iam_role", n, map[string]cty.Value{"name": t.generated(rid, n), "assume_role_policy": trust("scheduler.amazonaws.com")})
			doc, _ := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": []any{map[string]any{"Effect": "Allow",
				"Action": "lambda:InvokeFunction", "Resource": mustText(target)}}})
			t.emit(rid+".Policies[0]", "aws_iam_role_policy", n, map[string]cty.Value{"name": cty.StringVal(addr + "LambdaPolicy"), "role": attr(rr.Value, "name"), "policy": cty.StringVal(string(doc))})
			role = attr(rr.Value, "arn")
		}
		t.emit(addr, "aws_scheduler_schedule", n, map[string]cty.Value{"name": t.nameOr(e.props, "Name", addr, n, depth),
			"schedule_expression": pv("ScheduleExpression"), "group_name": pv("GroupName"), "state": pv("State"),
			"schedule_expression_timezone": pv("ScheduleExpressionTimezone"),
			"target":                       cty.TupleVal([]cty.Value{cty.ObjectVal(map[string]cty.Value{"arn": target, "role_arn": role})})})
	case "AlexaSkill":
		// The skill id pins the permission (lambda:EventSourceToken); SAM
		// leaves it out when SkillId is not given.
		t.emit(addr+"Permission", "aws_lambda_permission", n, map[string]cty.Value{"statement_id": cty.StringVal(addr + "Permission"),
			"action": cty.StringVal("lambda:InvokeFunction"), "function_name": target, "principal": cty.StringVal("alexa-appkit.amazon.com"),
			"event_source_token": pv("SkillId")})
	case "CloudWatchLogs":
		lg := pv("LogGroupName")
		lgARN := t.concat([]cty.Value{cty.StringVal("arn:" + t.partition + ":logs:" + t.region + ":" + t.account + ":log-group:"), lg, cty.StringVal(":*")}, "", n)
		t.permission(addr+"Permission", "logs.amazonaws.com", target, lgARN, n, false)
		t.emit(addr, "aws_cloudwatch_log_subscription_filter", n, map[string]cty.Value{"name": t.generated(addr, n), "log_group_name": lg,
			"destination_arn": target, "filter_pattern": pv("FilterPattern")})
	default:
		t.outside = append(t.outside, inventory.UnknownOutside{Address: addr, Span: loc.At(t.path, n.Line),
			Reason: fmt.Sprintf("event type %s is not modelled; its trigger is not in the inventory", e.typ)})
	}
}

func mustText(v cty.Value) string {
	s, _ := textOf(v)
	return s
}

// samPolicies adds the Policies of a SAM function to its generated role:
// AWS managed policy names or ARNs, policy documents, and SAM policy
// templates expanded with their parameters.
func (t *template) samPolicies(rid string, role cty.Value, n *yaml.Node, depth int) {
	if n == nil {
		return
	}
	items := []*yaml.Node{n}
	if n.Kind == yaml.SequenceNode {
		items = n.Content
	}
	for i, it := range items {
		it = deref(it)
		name := cty.StringVal(fmt.Sprintf("%sPolicy%d", rid, i))
		if it.Kind == yaml.ScalarNode || isRefLike(it) {
			v := t.value(it, depth)
			s, ok := textOf(v)
			if !ok {
				continue
			}
			if !strings.HasPrefix(s, "arn:") {
				// A name is an AWS managed policy, wherever its path is.
				arn := "arn:" + t.partition + ":iam::aws:policy/" + s
				if t.opts.Catalog != nil {
					if mp, ok := t.opts.Catalog.ManagedPolicy(s); ok && mp.ARN != "" {
						arn = strings.Replace(mp.ARN, "arn:aws:", "arn:"+t.partition+":", 1)
					}
				}
				s = arn
			}
			t.emit(fmt.Sprintf("%s.Policies[%d]", rid, i), "aws_iam_role_policy_attachment", it, map[string]cty.Value{"role": role, "policy_arn": cty.StringVal(s)})
			continue
		}
		if get(it, "Statement") != nil {
			t.emit(fmt.Sprintf("%s.Policies[%d]", rid, i), "aws_iam_role_policy", it, map[string]cty.Value{"name": name, "role": role, "policy": t.document(t.value(it, depth), it)})
			continue
		}
		if it.Kind == yaml.MappingNode && len(it.Content) == 2 {
			tn := it.Content[0].Value
			pt, ok := t.polTmpl[tn]
			if !ok {
				t.diag(it, "Unknown policy template", tn+" is not a SAM policy template")
				continue
			}
			doc := t.expandTemplate(pt, deref(it.Content[1]), it, depth)
			t.emit(fmt.Sprintf("%s.Policies[%d]", rid, i), "aws_iam_role_policy", it, map[string]cty.Value{"name": name, "role": role, "policy": doc})
		}
	}
}

func isRefLike(n *yaml.Node) bool {
	_, _, ok := intrinsic(n)
	return ok
}

// expandTemplate evaluates a policy template's definition with Ref to its
// parameters bound to the values given.
func (t *template) expandTemplate(pt policyTemplate, args *yaml.Node, n *yaml.Node, depth int) cty.Value {
	var def yaml.Node
	if err := yaml.Unmarshal(pt.Definition, &def); err != nil || len(def.Content) == 0 {
		return t.unknown("policy template definition unreadable", n)
	}
	saved := map[string]cty.Value{}
	for _, p := range pt.Parameters {
		if old, ok := t.params[p]; ok {
			saved[p] = old
		}
		v := cty.NilVal
		if a := get(args, p); a != nil {
			v = t.value(a, depth)
		}
		if v == cty.NilVal {
			v = t.symbol(p, "policy template parameter "+p+" is not given", n)
		}
		t.params[p] = v
	}
	setLines(def.Content[0], n.Line)
	doc := t.value(def.Content[0], depth)
	for _, p := range pt.Parameters {
		delete(t.params, p)
		if old, ok := saved[p]; ok {
			t.params[p] = old
		}
	}
	return t.document(doc, n)
}

func setLines(n *yaml.Node, line int) {
	n.Line = line
	for _, c := range n.Content {
		setLines(c, line)
	}
}

func alnum(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// generatedRef resolves Ref (attr "") or GetAtt of a resource SAM
// generates, translating the functions that could have made it.
func (t *template) generatedRef(name, attrName string, depth int) (cty.Value, bool) {
	if g, ok := t.gen[name]; ok {
		v, ok := g[attrName]
		return v, ok && v != cty.NilVal
	}
	for _, id := range t.order {
		r := t.resources[id]
		if r.typ == "AWS::Serverless::Function" && strings.HasPrefix(name, id) && r.state == 0 {
			t.translate(r, depth+1)
		}
	}
	if g, ok := t.gen[name]; ok {
		v, ok := g[attrName]
		return v, ok && v != cty.NilVal
	}
	if name == "ServerlessRestApi" || name == "ServerlessHttpApi" {
		// The implicit APIs exist once a function's Api or HttpApi
		// event made them: translate every function first.
		for _, id := range t.order {
			if r := t.resources[id]; r.typ == "AWS::Serverless::Function" && r.state == 0 {
				t.translate(r, depth+1)
			}
		}
		var inst *eval.Instance
		if a := t.rest[name]; a != nil {
			inst = a.inst
		} else if a := t.http[name]; a != nil {
			inst = a.inst
		}
		if inst != nil {
			switch attrName {
			case "":
				return attr(inst.Value, "id"), true
			case "RootResourceId":
				return attr(inst.Value, "root_resource_id"), true
			case "ApiEndpoint":
				return attr(inst.Value, "api_endpoint"), true
			}
		}
	}
	return cty.NilVal, false
}

// pollerPolicy is the inline policy the SAM transform adds to a generated
// role for an MQ or DocumentDB event: reading the broker or cluster and
// the secret that authenticates to it, and (DocumentDB) the network
// interfaces Lambda creates in its VPC.
func (t *template) pollerPolicy(e eventDef, depth int) (string, cty.Value) {
	pv := func(k string) cty.Value { return t.prop(e.props, k, depth) }
	stmt := func(resource cty.Value, actions ...string) cty.Value {
		var as []cty.Value
		for _, a := range actions {
			as = append(as, cty.StringVal(a))
		}
		if resource == cty.NilVal {
			resource = t.unknown("the event names no such resource", e.node)
		}
		return cty.ObjectVal(map[string]cty.Value{"Effect": cty.StringVal("Allow"), "Action": cty.TupleVal(as), "Resource": resource})
	}
	secret := cty.NilVal
	for _, c := range elems(pv("SourceAccessConfigurations")) {
		if typ, _ := textOf(attr(c, "Type")); typ == "BASIC_AUTH" || typ == "VIRTUAL_HOST" {
			if secret == cty.NilVal {
				secret = attr(c, "URI")
			}
		}
	}
	var stmts []cty.Value
	name := ""
	rds := "arn:" + t.partition + ":rds:" + t.region + ":" + t.account
	switch e.typ {
	case "MQ":
		name = "SamAutoGeneratedAMQPolicy"
		if b, _ := textOf(pv("DynamicPolicyName")); b == "true" {
			name = e.name + "AMQPolicy"
		}
		stmts = append(stmts, stmt(secret, "secretsmanager:GetSecretValue"), stmt(pv("Broker"), "mq:DescribeBroker"))
	case "DocumentDB":
		name = "SamAutoGeneratedDocumentDBPolicy"
		stmts = append(stmts, stmt(secret, "secretsmanager:GetSecretValue"),
			stmt(cty.StringVal(rds+":cluster-pg:*"), "rds:DescribeDBClusterParameters"),
			stmt(cty.StringVal(rds+":subgrp:*"), "rds:DescribeDBSubnetGroups"),
			stmt(pv("Cluster"), "rds:DescribeDBClusters"),
			stmt(cty.StringVal("*"), "ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DeleteNetworkInterface",
				"ec2:DescribeVpcs", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups"))
	default:
		return "", cty.NilVal
	}
	if k, ok := textOf(pv("SecretsManagerKmsKeyId")); ok && k != "" {
		stmts = append(stmts, stmt(cty.StringVal("arn:"+t.partition+":kms:"+t.region+":"+t.account+":key/"+k), "kms:Decrypt"))
	}
	doc := cty.ObjectVal(map[string]cty.Value{"Version": cty.StringVal("2012-10-17"), "Statement": cty.TupleVal(stmts)})
	return name, t.document(doc, e.node)
}

// destinationActions are the actions an execution role needs on an
// asynchronous invocation destination, by the SAM destination Type (AWS
// Lambda Developer Guide, "Retaining records of asynchronous invocations";
// S3 is an on-failure destination only).
var destinationActions = map[string][]string{
	"SQS":         {"sqs:SendMessage"},
	"SNS":         {"sns:Publish"},
	"Lambda":      {"lambda:InvokeFunction"},
	"EventBridge": {"events:PutEvents"},
	"S3":          {"s3:PutObject", "s3:ListBucket"},
}

// samDestinations does what the SAM transform does for EventInvokeConfig
// destinations: an SQS or SNS destination without Destination gets a queue
// or topic of its own (referable as FN.DestinationQueue or
// FN.DestinationTopic), and the generated execution role (role, when not
// NilVal) gets the permission each destination needs. cfg is the invoke
// config's attributes, completed with the generated destinations.
func (t *template) samDestinations(id string, cfg map[string]cty.Value, dc *yaml.Node, role cty.Value, depth int) {
	dc = deref(dc)
	if dc == nil {
		return
	}
	dest := map[string]cty.Value{}
	if v, ok := cfg["destination_config"]; ok && v.LengthInt() == 1 {
		for k, d := range v.Index(cty.NumberIntVal(0)).AsValueMap() {
			dest[k] = d
		}
	}
	for _, key := range []string{"OnSuccess", "OnFailure"} {
		n := deref(get(dc, key))
		if n == nil {
			continue
		}
		typ, _ := textOf(t.prop(n, "Type", depth))
		target := t.prop(n, "Destination", depth)
		tf := map[string]string{"OnSuccess": "on_success", "OnFailure": "on_failure"}[key]
		if target == cty.NilVal {
			switch typ {
			case "SQS":
				q := t.emit(id+"EventInvokeConfig"+key+"Queue", "aws_sqs_queue", n, map[string]cty.Value{"name": t.generated(id+"EventInvokeConfig"+key+"Queue", n)})
				target = attr(q.Value, "arn")
				t.gen[id+".DestinationQueue"] = map[string]cty.Value{"": attr(q.Value, "url"), "Arn": target, "QueueName": attr(q.Value, "name")}
			case "SNS":
				tp := t.emit(id+"EventInvokeConfig"+key+"Topic", "aws_sns_topic", n, map[string]cty.Value{"name": t.generated(id+"EventInvokeConfig"+key+"Topic", n)})
				target = attr(tp.Value, "arn")
				t.gen[id+".DestinationTopic"] = map[string]cty.Value{"": target, "TopicName": attr(tp.Value, "name")}
			default:
				continue
			}
			dest[tf] = cty.TupleVal([]cty.Value{cty.ObjectVal(map[string]cty.Value{"destination": target})})
		}
		actions, known := destinationActions[typ]
		if role == cty.NilVal || !known {
			continue
		}
		resources := []cty.Value{target}
		if typ == "S3" {
			// PutObject is on the objects, ListBucket on the bucket.
			resources = append(resources, t.concat([]cty.Value{target, cty.StringVal("/*")}, "", n))
		}
		stmt := cty.ObjectVal(map[string]cty.Value{"Effect": cty.StringVal("Allow"), "Action": toList(actions), "Resource": cty.TupleVal(resources)})
		doc := t.document(cty.ObjectVal(map[string]cty.Value{"Version": cty.StringVal("2012-10-17"), "Statement": cty.TupleVal([]cty.Value{stmt})}), n)
		t.emit(id+"Role.EventInvokeConfig"+key+"Policy", "aws_iam_role_policy", n, map[string]cty.Value{
			"name": cty.StringVal(id + "EventInvokeConfig" + key + "Policy"), "role": role, "policy": doc})
	}
	if len(dest) > 0 {
		cfg["destination_config"] = cty.TupleVal([]cty.Value{cty.ObjectVal(dest)})
	}
}

func toList(ss []string) cty.Value {
	vs := make([]cty.Value, len(ss))
	for i, s := range ss {
		vs[i] = cty.StringVal(s)
	}
	return cty.TupleVal(vs)
}

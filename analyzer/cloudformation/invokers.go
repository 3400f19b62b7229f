package cloudformation

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/zclconf/go-cty/cty"
	"go.yaml.in/yaml/v3"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
	"github.com/lambdacheck/lambdacheck/analyzer/loc"
	"github.com/lambdacheck/lambdacheck/analyzer/terraform/reason"
)

// The resource types below invoke Lambda functions but have no Terraform
// equivalent the decoder reads, so their triggers are built here, in the
// shape every source gives them (docs/flows.md, trigger types). Each type
// also answers Ref and Fn::GetAtt with the identifiers the triggers use, so
// that a permission naming the source with !GetAtt joins with the trigger.

// unmodelledInvokers are types that can make AWS invoke a function and
// whose invocation is not modelled: each one is named in the unknowns,
// never passed over in silence.
var unmodelledInvokers = map[string]string{
	"AWS::AppConfig::Extension":                  "an AppConfig extension's actions may invoke a function",
	"AWS::AppFlow::Connector":                    "a custom AppFlow connector runs in a function",
	"AWS::Athena::DataCatalog":                   "a LAMBDA data catalog is queried through a function",
	"AWS::Bedrock::DataSource":                   "a knowledge base data source may transform documents with a function",
	"AWS::Bedrock::Flow":                         "a Bedrock flow may invoke functions from its nodes",
	"AWS::CloudFormation::LambdaHook":            "a CloudFormation Lambda hook invokes its function on stack operations",
	"AWS::CloudFormation::Macro":                 "CloudFormation invokes a macro's function when a template uses it",
	"AWS::CloudFormation::Stack":                 "a nested stack's resources (functions, triggers, permissions) are not read",
	"AWS::Serverless::Application":               "a nested application's resources (functions, triggers, permissions) are not read",
	"AWS::Config::OrganizationConfigRule":        "an organization custom rule invokes its function from member accounts",
	"AWS::IoT::Authorizer":                       "an IoT custom authorizer invokes its function",
	"AWS::IoTAnalytics::Pipeline":                "an IoT Analytics pipeline may run Lambda activities",
	"AWS::IoTEvents::AlarmModel":                 "an IoT Events alarm model may invoke functions in its actions",
	"AWS::IoTEvents::DetectorModel":              "an IoT Events detector model may invoke functions in its actions",
	"AWS::Kendra::DataSource":                    "a Kendra data source may enrich documents with functions",
	"AWS::KinesisAnalytics::Application":         "a Kinesis Analytics application may preprocess input with a function",
	"AWS::KinesisAnalytics::ApplicationOutput":   "a Kinesis Analytics output may deliver to a function",
	"AWS::Pinpoint::ApplicationSettings":         "a Pinpoint campaign hook invokes a function",
	"AWS::Pinpoint::Campaign":                    "a Pinpoint campaign hook invokes a function",
	"AWS::SSM::MaintenanceWindowTask":            "a LAMBDA maintenance window task invokes a function",
	"AWS::Transfer::Server":                      "a Transfer Family server may authenticate users with a function",
	"AWS::Transfer::Workflow":                    "a Transfer Family workflow may invoke functions in custom steps",
	"AWS::KinesisAnalyticsV2::ApplicationOutput": "a Kinesis Analytics output may deliver to a function",
}

// invoker translates r when its type is one that invokes functions; it
// reports whether r's type is handled.
func (t *template) invoker(r *resource, depth int) bool {
	switch r.typ {
	case "AWS::SES::ReceiptRule":
		t.sesReceiptRule(r, depth)
	case "AWS::Config::ConfigRule":
		t.configRule(r, depth)
	case "AWS::CloudFront::Distribution":
		t.distribution(r, depth)
	case "AWS::Bedrock::Agent":
		t.bedrockAgent(r, depth)
	case "AWS::KinesisFirehose::DeliveryStream":
		t.deliveryStream(r, depth)
	case "AWS::S3ObjectLambda::AccessPoint":
		t.objectLambdaAccessPoint(r, depth)
	case "AWS::RDS::DBCluster":
		t.dbCluster(r, depth)
	case "AWS::RDS::DBInstance":
		return t.dbInstance(r, depth)
	case "AWS::VpcLattice::TargetGroup":
		t.latticeTargetGroup(r, depth)
	case "AWS::AppSync::GraphQLApi":
		t.graphQLAPI(r, depth)
	case "AWS::AppSync::DataSource":
		t.appSyncDataSource(r, depth)
	case "AWS::CodePipeline::Pipeline":
		t.pipeline(r, depth)
	case "AWS::Pipes::Pipe":
		t.pipe(r, depth)
	case "AWS::Connect::Instance":
		id := t.placeholder(r.id, "id")
		arn := cty.StringVal(t.arn("connect", "instance/") + id)
		r.attrs = map[string]cty.Value{"": arn, "Arn": arn, "Id": cty.StringVal(id)}
	case "AWS::Connect::IntegrationAssociation":
		t.connectAssociation(r, depth)
	case "AWS::Lex::Bot":
		t.lexBot(r, depth)
	case "AWS::Lex::BotAlias":
		t.lexBotAlias(r, depth)
	case "AWS::CodeCommit::Repository":
		t.codeCommit(r, depth)
	case "AWS::SecretsManager::RotationSchedule":
		t.rotationSchedule(r, depth)
	case "AWS::Serverless::Connector":
		t.connector(r.id, r.props, r.key, get(r.props, "Source"), depth)
	default:
		if strings.HasPrefix(r.typ, "Custom::") || r.typ == "AWS::CloudFormation::CustomResource" {
			return t.customResource(r, depth)
		}
		if why, ok := unmodelledInvokers[r.typ]; ok {
			t.unmodelled(r, why, depth)
		}
		return false
	}
	return true
}

// unmodelled reports a resource of a type that can invoke functions and
// is not modelled: a warning naming the type and, per function it names,
// an unknown trigger of type "unmodelled", so the function's flows show
// it; one that names none (a nested stack) is listed as unknown.
func (t *template) unmodelled(r *resource, why string, depth int) {
	t.warn(r.key, "Lambda invoker not modelled: "+r.typ, why+"; its invocation flows are unknown.")
	fns := map[string]bool{}
	functionsIn(t.value(r.props, depth), fns, 0)
	if len(fns) == 0 {
		t.outside = append(t.outside, inventory.UnknownOutside{Address: r.id, Span: loc.At(t.path, r.key.Line),
			Reason: r.typ + " is not modelled: " + why + "; any invocation it makes is missing from the flows"})
		return
	}
	targets := make([]string, 0, len(fns))
	for fn := range fns {
		targets = append(targets, fn)
	}
	sort.Strings(targets)
	for _, fn := range targets {
		tr := t.newTrigger(r.id, "unmodelled", r.key)
		tr.SourceAddress = r.id
		tr.Events = []string{r.typ}
		tr.Unknown = []inventory.Unknown{{Field: "kind", Span: loc.At(t.path, r.key.Line),
			Reason: "lambdacheck does not model how " + r.typ + " invokes Lambda: " + why}}
		t.setTarget(&tr, cty.StringVal(fn), r.key)
		t.triggers = append(t.triggers, tr)
	}
}

// functionsIn collects the function ARNs written anywhere in v.
func functionsIn(v cty.Value, out map[string]bool, depth int) {
	u, _ := v.Unmark()
	if depth > maxDepth || u == cty.NilVal || !u.IsKnown() || u.IsNull() {
		return
	}
	switch {
	case u.Type() == cty.String:
		if s := u.AsString(); isFunction(s) {
			out[s] = true
		}
	case u.Type().IsObjectType() || u.Type().IsTupleType() || u.Type().IsListType() || u.Type().IsMapType():
		for it := u.ElementIterator(); it.Next(); {
			_, e := it.Element()
			functionsIn(e, out, depth+1)
		}
	}
}

// arn is the ARN prefix of a regional resource of service in the stack's
// account: arn:PARTITION:SERVICE:REGION:ACCOUNT:resource.
func (t *template) arn(service, resource string) string {
	return "arn:" + t.partition + ":" + service + ":" + t.region + ":" + t.account + ":" + resource
}

// placeholder stands for an identifier AWS assigns to resource id.
func (t *template) placeholder(id, attribute string) string {
	return "<" + id + "." + attribute + ">"
}

func lineOf(n *yaml.Node) int {
	if n == nil {
		return 0
	}
	return n.Line
}

func (t *template) newTrigger(addr, service string, n *yaml.Node) inventory.Trigger {
	return inventory.Trigger{Origin: inventory.Origin{Address: addr, Span: t.span(n)}, Kind: "push", Service: service, Enabled: true}
}

// text is the text of v for the trigger field named field; a value known
// only after deploy, with no symbol to stand for it, is named in unknown.
func (t *template) text(v cty.Value, field string, n *yaml.Node, unknown *[]inventory.Unknown) string {
	if v == cty.NilVal {
		return ""
	}
	if u, _ := v.Unmark(); u.IsKnown() && u.IsNull() {
		return ""
	}
	if s, ok := textOf(v); ok {
		return s
	}
	why := "the value is known only after deploy"
	if _, marks := reason.Of(v); len(marks) > 0 {
		why = marks[0].Text
	}
	*unknown = append(*unknown, inventory.Unknown{Field: field, Reason: why, Span: loc.At(t.path, lineOf(n))})
	return ""
}

// boolean reads a boolean property (true/false, also as text); absent is
// def; ok is false when the value is known only after deploy.
func boolean(v cty.Value, def bool) (val, ok bool) {
	if v == cty.NilVal {
		return def, true
	}
	u, _ := v.Unmark()
	if !u.IsKnown() {
		return def, false
	}
	if u.IsNull() {
		return def, true
	}
	if u.Type() == cty.Bool {
		return u.True(), true
	}
	if s, ok := textOf(v); ok {
		switch strings.ToLower(s) {
		case "true":
			return true, true
		case "false":
			return false, true
		}
	}
	return def, false
}

// setEnabled sets the trigger's on/off state from v (absent: def).
func (t *template) setEnabled(tr *inventory.Trigger, v cty.Value, def bool, n *yaml.Node) {
	val, ok := boolean(v, def)
	tr.Enabled = val
	if !ok {
		tr.Unknown = append(tr.Unknown, inventory.Unknown{Field: "enabled", Reason: "whether it is enabled is known only after deploy", Span: loc.At(t.path, lineOf(n))})
	}
}

// setTarget sets what the trigger delivers to and, when that is a
// function, its unqualified ARN and qualifier.
func (t *template) setTarget(tr *inventory.Trigger, v cty.Value, n *yaml.Node) {
	tr.Target = t.text(v, "target", n, &tr.Unknown)
	if tr.Target == "" || strings.HasPrefix(tr.Target, "arn:") && !strings.Contains(tr.Target, ":lambda:") {
		return
	}
	tr.FunctionARN, tr.Qualifier = t.splitFunction(tr.Target)
}

// isFunction reports whether a configured target names a Lambda function:
// a Lambda ARN, or a reference to a function of the template.
func isFunction(s string) bool {
	return strings.HasPrefix(s, "arn:") && strings.Contains(s, ":lambda:") && strings.Contains(s, ":function:")
}

// targetsFunction reports whether a target that may be a function or
// another kind of resource is a function; a target known only at deploy
// time is named in the unknowns.
func (t *template) targetsFunction(v cty.Value, addr string, n *yaml.Node) bool {
	s, ok := textOf(v)
	if ok && isFunction(s) {
		return true
	}
	if !ok || reason.IsBare(s) {
		t.outside = append(t.outside, inventory.UnknownOutside{Address: addr, Span: loc.At(t.path, lineOf(n)),
			Reason: "the target is known only at deploy time; if it is a function, its invocation is missing from the flows"})
	}
	return false
}

// splitFunction turns a function name, partial ARN or ARN, qualified or
// not, into the unqualified ARN and the qualifier.
func (t *template) splitFunction(s string) (arn, qualifier string) {
	if reason.IsBare(s) {
		return s, "" // an imported or generated value: the symbol is all there is
	}
	parts := strings.Split(s, ":")
	if strings.HasPrefix(s, "arn:") {
		if len(parts) >= 7 && parts[5] == "function" {
			if len(parts) >= 8 {
				qualifier = parts[7]
			}
			return strings.Join(parts[:7], ":"), qualifier
		}
		return s, ""
	}
	switch {
	case len(parts) >= 3 && parts[1] == "function": // ACCOUNT:function:NAME[:Q]
		if len(parts) >= 4 {
			qualifier = parts[3]
		}
		return "arn:" + t.partition + ":lambda:" + t.region + ":" + parts[0] + ":function:" + parts[2], qualifier
	case len(parts) == 2: // NAME:Q
		return t.arn("lambda", "function:"+parts[0]), parts[1]
	}
	return t.arn("lambda", "function:"+s), ""
}

// join concatenates parts into text for field; unknown parts are named.
func (t *template) join(field string, n *yaml.Node, unknown *[]inventory.Unknown, parts ...cty.Value) string {
	return t.text(t.concat(parts, "", n), field, n, unknown)
}

// propNode is the node of a property, or the resource's own when absent,
// so that each trigger points at the line that configures it.
func propNode(props *yaml.Node, path ...any) *yaml.Node {
	n := props
	for _, p := range path {
		var next *yaml.Node
		switch k := p.(type) {
		case string:
			next = get(n, k)
		case int:
			if n = deref(n); n != nil && n.Kind == yaml.SequenceNode && k < len(n.Content) {
				next = deref(n.Content[k])
			}
		}
		if next == nil {
			return n
		}
		n = next
	}
	return n
}

func (t *template) sesReceiptRule(r *resource, depth int) {
	rule := t.prop(r.props, "Rule", depth)
	name := attr(rule, "Name")
	if name == cty.NilVal {
		name = t.generated(r.id, r.key)
	}
	r.attrs = map[string]cty.Value{"": name}
	set := t.prop(r.props, "RuleSetName", depth)
	for i, a := range elems(attr(rule, "Actions")) {
		la := attr(a, "LambdaAction")
		if la == cty.NilVal {
			continue
		}
		n := propNode(r.props, "Rule", "Actions", i)
		tr := t.newTrigger(fmt.Sprintf("%s.Actions[%d]", r.id, i), "ses", n)
		tr.SourceAddress = r.id
		tr.SourceARN = t.join("source_arn", n, &tr.Unknown, cty.StringVal(t.arn("ses", "receipt-rule-set/")), set, cty.StringVal(":receipt-rule/"), name)
		// A rule is disabled unless it says otherwise.
		t.setEnabled(&tr, attr(rule, "Enabled"), false, n)
		if tr.Enabled {
			tr.Unknown = append(tr.Unknown, inventory.Unknown{Field: "enabled", Span: loc.At(t.path, lineOf(n)),
				Reason: "SES runs only the rules of the active receipt rule set, and a template cannot make a set active"})
		}
		inv := "Event"
		if s := t.text(attr(la, "InvocationType"), "events", n, &tr.Unknown); s != "" {
			inv = s
		}
		tr.Events = []string{inv}
		t.setTarget(&tr, attr(la, "FunctionArn"), n)
		t.triggers = append(t.triggers, tr)
	}
}

func (t *template) configRule(r *resource, depth int) {
	name := t.nameOr(r.props, "ConfigRuleName", r.id, r.key, depth)
	ruleID := "config-rule-" + t.placeholder(r.id, "config_rule_id")
	arn := t.arn("config", "config-rule/"+ruleID)
	r.attrs = map[string]cty.Value{"": name, "Arn": cty.StringVal(arn), "ConfigRuleId": cty.StringVal(ruleID)}
	src := t.prop(r.props, "Source", depth)
	if owner, _ := textOf(attr(src, "Owner")); owner != "CUSTOM_LAMBDA" {
		return // AWS managed and Guard rules invoke no function of the account
	}
	n := propNode(r.props, "Source", "SourceIdentifier")
	tr := t.newTrigger(r.id, "config", n)
	tr.SourceAddress, tr.SourceARN = r.id, arn
	t.setTarget(&tr, attr(src, "SourceIdentifier"), n)
	t.triggers = append(t.triggers, tr)
}

// customResource: CloudFormation itself invokes a function named as a
// custom resource's service token, on stack create, update and delete.
func (t *template) customResource(r *resource, depth int) bool {
	tok := t.prop(r.props, "ServiceToken", depth)
	if tok == cty.NilVal {
		return false // not deployable; nothing is invoked
	}
	n := propNode(r.props, "ServiceToken")
	s, ok := textOf(tok)
	switch {
	case ok && isFunction(s):
	case ok && strings.HasPrefix(s, "arn:"):
		return false // an SNS topic: no function is invoked by CloudFormation
	default:
		t.outside = append(t.outside, inventory.UnknownOutside{Address: r.id, Span: loc.At(t.path, lineOf(n)),
			Reason: "custom resource " + r.typ + ": its service token is known only at deploy time; if it is a function, CloudFormation invokes it"})
		return false
	}
	tr := t.newTrigger(r.id, "cloudformation", n)
	tr.SourceAddress = r.id
	stack, _ := textOf(t.ref("AWS::StackName", n, depth))
	tr.SourceARN = t.arn("cloudformation", "stack/"+stack+"/"+t.placeholder("AWS", "StackUUID"))
	tr.Events = []string{"Create", "Update", "Delete"}
	t.setTarget(&tr, tok, n)
	tr.Unknown = append(tr.Unknown, inventory.Unknown{Field: "invoke_role", Span: loc.At(t.path, lineOf(n)),
		Reason: "CloudFormation invokes with the stack's service role when it has one, else with the credentials of whoever deploys the stack; neither is in the template"})
	t.triggers = append(t.triggers, tr)
	return true
}

func (t *template) distribution(r *resource, depth int) {
	id := t.placeholder(r.id, "id")
	arn := "arn:" + t.partition + ":cloudfront::" + t.account + ":distribution/" + id
	r.attrs = map[string]cty.Value{"": cty.StringVal(id), "Id": cty.StringVal(id)}
	// Only the associations are read: origins and the rest may name what
	// the template does not define, and are not a trigger's business.
	dc := get(r.props, "DistributionConfig")
	if _, _, fn := intrinsic(dc); fn {
		t.outside = append(t.outside, inventory.UnknownOutside{Address: r.id, Span: loc.At(t.path, dc.Line),
			Reason: "the distribution's configuration is built at deploy time; its Lambda@Edge associations are not read"})
		return
	}
	enabled := t.prop(dc, "Enabled", depth)
	add := func(addr string, b *yaml.Node) {
		for i, a := range elems(t.prop(b, "LambdaFunctionAssociations", depth)) {
			n := propNode(b, "LambdaFunctionAssociations", i)
			tr := t.newTrigger(fmt.Sprintf("%s.LambdaFunctionAssociations[%d]", addr, i), "cloudfront", n)
			tr.SourceAddress, tr.SourceARN = r.id, arn
			t.setEnabled(&tr, enabled, true, n)
			if ev := t.text(attr(a, "EventType"), "events", n, &tr.Unknown); ev != "" {
				tr.Events = []string{ev}
			}
			t.setTarget(&tr, attr(a, "LambdaFunctionARN"), n)
			t.triggers = append(t.triggers, tr)
		}
	}
	add(r.id+".DefaultCacheBehavior", get(dc, "DefaultCacheBehavior"))
	if cbs := get(dc, "CacheBehaviors"); cbs != nil && cbs.Kind == yaml.SequenceNode {
		for i, b := range cbs.Content {
			add(fmt.Sprintf("%s.CacheBehaviors[%d]", r.id, i), deref(b))
		}
	}
}

func (t *template) bedrockAgent(r *resource, depth int) {
	id := t.placeholder(r.id, "agent_id")
	arn := t.arn("bedrock", "agent/"+id)
	r.attrs = map[string]cty.Value{"": cty.StringVal(id), "AgentId": cty.StringVal(id), "AgentArn": cty.StringVal(arn)}
	for i, ag := range elems(t.prop(r.props, "ActionGroups", depth)) {
		fn := attr(attr(ag, "ActionGroupExecutor"), "Lambda")
		if fn == cty.NilVal {
			continue // returns control to the caller, or a built-in action group
		}
		n := propNode(r.props, "ActionGroups", i)
		tr := t.newTrigger(fmt.Sprintf("%s.ActionGroups[%d]", r.id, i), "bedrock", n)
		tr.SourceAddress, tr.SourceARN = r.id, arn
		if st, ok := textOf(attr(ag, "ActionGroupState")); ok && st == "DISABLED" {
			tr.Enabled = false
		}
		t.setTarget(&tr, fn, n)
		t.triggers = append(t.triggers, tr)
	}
}

func (t *template) deliveryStream(r *resource, depth int) {
	name := t.nameOr(r.props, "DeliveryStreamName", r.id, r.key, depth)
	arn := t.concat([]cty.Value{cty.StringVal(t.arn("firehose", "deliverystream/")), name}, "", r.key)
	r.attrs = map[string]cty.Value{"": name, "Arn": arn}
	p := deref(r.props)
	if p == nil || p.Kind != yaml.MappingNode {
		return
	}
	for k := 0; k+1 < len(p.Content); k += 2 {
		key := p.Content[k].Value
		if !strings.HasSuffix(key, "DestinationConfiguration") {
			continue
		}
		dest := t.prop(p, key, depth)
		pc := attr(dest, "ProcessingConfiguration")
		for i, proc := range elems(attr(pc, "Processors")) {
			if typ, _ := textOf(attr(proc, "Type")); typ != "Lambda" {
				continue
			}
			n := propNode(p, key, "ProcessingConfiguration", "Processors", i)
			tr := t.newTrigger(fmt.Sprintf("%s.%s.Processors[%d]", r.id, key, i), "firehose", n)
			tr.SourceAddress = r.id
			tr.SourceARN = t.text(arn, "source_arn", n, &tr.Unknown)
			tr.InvokeRole = t.text(attr(dest, "RoleARN"), "invoke_role", n, &tr.Unknown)
			if v := attr(pc, "Enabled"); v != cty.NilVal {
				t.setEnabled(&tr, v, true, n)
			} else {
				tr.Unknown = append(tr.Unknown, inventory.Unknown{Field: "enabled", Span: loc.At(t.path, lineOf(n)),
					Reason: "ProcessingConfiguration sets no Enabled; whether Firehose runs the processors is not stated"})
			}
			fn := cty.NilVal
			for _, prm := range elems(attr(proc, "Parameters")) {
				if pn, _ := textOf(attr(prm, "ParameterName")); pn == "LambdaArn" {
					fn = attr(prm, "ParameterValue")
				}
			}
			if fn == cty.NilVal {
				tr.Unknown = append(tr.Unknown, inventory.Unknown{Field: "target", Reason: "the Lambda processor has no LambdaArn parameter", Span: loc.At(t.path, lineOf(n))})
			}
			t.setTarget(&tr, fn, n)
			t.triggers = append(t.triggers, tr)
		}
	}
}

func (t *template) objectLambdaAccessPoint(r *resource, depth int) {
	name := t.nameOr(r.props, "Name", r.id, r.key, depth)
	arn := t.concat([]cty.Value{cty.StringVal(t.arn("s3-object-lambda", "accesspoint/")), name}, "", r.key)
	r.attrs = map[string]cty.Value{"": name, "Arn": arn}
	olc := t.prop(r.props, "ObjectLambdaConfiguration", depth)
	for i, tc := range elems(attr(olc, "TransformationConfigurations")) {
		fn := attr(attr(attr(tc, "ContentTransformation"), "AwsLambda"), "FunctionArn")
		if fn == cty.NilVal {
			continue
		}
		n := propNode(r.props, "ObjectLambdaConfiguration", "TransformationConfigurations", i)
		tr := t.newTrigger(fmt.Sprintf("%s.TransformationConfigurations[%d]", r.id, i), "s3_object_lambda", n)
		tr.SourceAddress = r.id
		tr.SourceARN = t.text(arn, "source_arn", n, &tr.Unknown)
		for _, a := range elems(attr(tc, "Actions")) {
			if s, ok := textOf(a); ok {
				tr.Events = append(tr.Events, s)
			}
		}
		t.setTarget(&tr, fn, n)
		t.triggers = append(t.triggers, tr)
	}
}

// dbCluster is an Aurora cluster; a role associated for the feature
// "Lambda" lets its SQL invoke functions (the decoder's role association).
func (t *template) dbCluster(r *resource, depth int) {
	// RDS stores cluster identifiers in lower case.
	ident := t.nameOr(r.props, "DBClusterIdentifier", r.id, r.key, depth)
	if s, ok := textOf(ident); ok && !reason.IsBare(s) {
		ident = cty.StringVal(strings.ToLower(s))
	}
	r.primary = t.emit(r.id, "aws_rds_cluster", r.key, map[string]cty.Value{"cluster_identifier": ident, "kms_key_id": t.prop(r.props, "KmsKeyId", depth)})
	arn := cty.StringVal(t.arn("rds", "cluster:"))
	if s, ok := textOf(ident); ok {
		arn = cty.StringVal(t.arn("rds", "cluster:"+s))
	}
	r.attrs = map[string]cty.Value{"": ident, "DBClusterArn": arn}
	for i, ar := range elems(t.prop(r.props, "AssociatedRoles", depth)) {
		feature := attr(ar, "FeatureName")
		if s, _ := textOf(feature); s != "Lambda" {
			continue
		}
		n := propNode(r.props, "AssociatedRoles", i)
		t.emit(fmt.Sprintf("%s.AssociatedRoles[%d]", r.id, i), "aws_rds_cluster_role_association", n, map[string]cty.Value{
			"db_cluster_identifier": ident, "role_arn": attr(ar, "RoleArn"), "feature_name": feature})
	}
}

// dbInstance: an RDS for PostgreSQL instance whose role is associated for
// the feature "Lambda" invokes, from SQL, any function the role allows.
func (t *template) dbInstance(r *resource, depth int) bool {
	ident := t.nameOr(r.props, "DBInstanceIdentifier", r.id, r.key, depth)
	if s, ok := textOf(ident); ok && !reason.IsBare(s) {
		ident = cty.StringVal(strings.ToLower(s))
	}
	arn := t.concat([]cty.Value{cty.StringVal(t.arn("rds", "db:")), ident}, "", r.key)
	r.attrs = map[string]cty.Value{"": ident, "DBInstanceArn": arn}
	found := false
	for i, ar := range elems(t.prop(r.props, "AssociatedRoles", depth)) {
		if s, _ := textOf(attr(ar, "FeatureName")); s != "Lambda" {
			continue
		}
		found = true
		n := propNode(r.props, "AssociatedRoles", i)
		tr := t.newTrigger(fmt.Sprintf("%s.AssociatedRoles[%d]", r.id, i), "rds", n)
		tr.SourceAddress = r.id
		tr.SourceARN = t.text(arn, "source_arn", n, &tr.Unknown)
		tr.InvokeRole = t.text(attr(ar, "RoleArn"), "invoke_role", n, &tr.Unknown)
		tr.Unknown = append(tr.Unknown, inventory.Unknown{Field: "target", Span: loc.At(t.path, lineOf(n)),
			Reason: "the database may invoke any function its role allows; the function is chosen in SQL"})
		t.triggers = append(t.triggers, tr)
	}
	return found
}

func (t *template) latticeTargetGroup(r *resource, depth int) {
	id := t.placeholder(r.id, "id")
	arn := t.arn("vpc-lattice", "targetgroup/"+id)
	r.attrs = map[string]cty.Value{"": cty.StringVal(arn), "Arn": cty.StringVal(arn), "Id": cty.StringVal(id)}
	if typ, _ := textOf(t.prop(r.props, "Type", depth)); typ != "LAMBDA" {
		return
	}
	for i, tg := range elems(t.prop(r.props, "Targets", depth)) {
		n := propNode(r.props, "Targets", i)
		tr := t.newTrigger(fmt.Sprintf("%s.Targets[%d]", r.id, i), "vpc_lattice", n)
		tr.SourceAddress, tr.SourceARN = r.id, arn
		t.setTarget(&tr, attr(tg, "Id"), n)
		t.triggers = append(t.triggers, tr)
	}
}

func (t *template) appSyncAPIARN(apiID string) string {
	return t.arn("appsync", "apis/"+apiID)
}

// graphQLAPI: a Lambda authorizer is invoked by AppSync through the
// function's resource policy.
func (t *template) graphQLAPI(r *resource, depth int) {
	id := t.placeholder(r.id, "api_id")
	arn := t.appSyncAPIARN(id)
	r.attrs = map[string]cty.Value{"": cty.StringVal(arn), "Arn": cty.StringVal(arn), "ApiId": cty.StringVal(id)}
	add := func(addr string, cfg cty.Value, n *yaml.Node) {
		uri := attr(cfg, "AuthorizerUri")
		if uri == cty.NilVal {
			return
		}
		tr := t.newTrigger(addr, "appsync", n)
		tr.SourceAddress, tr.SourceARN = r.id, arn
		tr.Events = []string{"authorizer"}
		t.setTarget(&tr, uri, n)
		t.triggers = append(t.triggers, tr)
	}
	add(r.id+".LambdaAuthorizerConfig", t.prop(r.props, "LambdaAuthorizerConfig", depth), propNode(r.props, "LambdaAuthorizerConfig"))
	for i, ap := range elems(t.prop(r.props, "AdditionalAuthenticationProviders", depth)) {
		add(fmt.Sprintf("%s.AdditionalAuthenticationProviders[%d]", r.id, i), attr(ap, "LambdaAuthorizerConfig"), propNode(r.props, "AdditionalAuthenticationProviders", i))
	}
}

// appSyncDataSource: AppSync invokes a Lambda data source with the data
// source's service role.
func (t *template) appSyncDataSource(r *resource, depth int) {
	var unknown []inventory.Unknown
	apiID := t.text(t.prop(r.props, "ApiId", depth), "source_arn", r.key, &unknown)
	name := t.prop(r.props, "Name", depth)
	dsARN := t.concat([]cty.Value{cty.StringVal(t.appSyncAPIARN(apiID) + "/datasources/"), name}, "", r.key)
	r.attrs = map[string]cty.Value{"": dsARN, "DataSourceArn": dsARN, "Name": name}
	if typ, _ := textOf(t.prop(r.props, "Type", depth)); typ != "AWS_LAMBDA" {
		return
	}
	n := propNode(r.props, "LambdaConfig")
	tr := t.newTrigger(r.id, "appsync", n)
	tr.Unknown = unknown
	tr.SourceAddress = r.id
	if apiID != "" {
		tr.SourceARN = t.appSyncAPIARN(apiID)
	}
	tr.InvokeRole = t.text(t.prop(r.props, "ServiceRoleArn", depth), "invoke_role", r.key, &tr.Unknown)
	if tr.InvokeRole == "" && len(tr.Unknown) == len(unknown) {
		tr.Unknown = append(tr.Unknown, inventory.Unknown{Field: "invoke_role", Reason: "the data source names no service role, so AppSync cannot invoke the function", Span: loc.At(t.path, lineOf(r.key))})
	}
	t.setTarget(&tr, attr(t.prop(r.props, "LambdaConfig", depth), "LambdaFunctionArn"), n)
	t.triggers = append(t.triggers, tr)
}

func (t *template) pipeline(r *resource, depth int) {
	name := t.nameOr(r.props, "Name", r.id, r.key, depth)
	r.attrs = map[string]cty.Value{"": name}
	role := t.prop(r.props, "RoleArn", depth)
	for si, st := range elems(t.prop(r.props, "Stages", depth)) {
		for ai, a := range elems(attr(st, "Actions")) {
			at := attr(a, "ActionTypeId")
			cat, _ := textOf(attr(at, "Category"))
			prov, _ := textOf(attr(at, "Provider"))
			if cat != "Invoke" || prov != "Lambda" {
				continue
			}
			n := propNode(r.props, "Stages", si, "Actions", ai)
			tr := t.newTrigger(fmt.Sprintf("%s.Stages[%d].Actions[%d]", r.id, si, ai), "codepipeline", n)
			tr.SourceAddress = r.id
			tr.SourceARN = t.join("source_arn", n, &tr.Unknown, cty.StringVal(t.arn("codepipeline", "")), name)
			actionRole := attr(a, "RoleArn")
			if actionRole == cty.NilVal {
				actionRole = role
			}
			tr.InvokeRole = t.text(actionRole, "invoke_role", n, &tr.Unknown)
			t.setTarget(&tr, attr(attr(a, "Configuration"), "FunctionName"), n)
			t.triggers = append(t.triggers, tr)
		}
	}
}

func (t *template) pipe(r *resource, depth int) {
	name := t.nameOr(r.props, "Name", r.id, r.key, depth)
	arn := t.concat([]cty.Value{cty.StringVal(t.arn("pipes", "pipe/")), name}, "", r.key)
	r.attrs = map[string]cty.Value{"": name, "Arn": arn}
	running := true
	if s, _ := textOf(t.prop(r.props, "DesiredState", depth)); s == "STOPPED" {
		running = false
	}
	for _, part := range []string{"Enrichment", "Target"} {
		v := t.prop(r.props, part, depth)
		n := propNode(r.props, part)
		if v == cty.NilVal || !t.targetsFunction(v, r.id+"."+part, n) {
			continue
		}
		tr := t.newTrigger(r.id+"."+part, "pipes", n)
		tr.SourceAddress = r.id
		tr.SourceARN = t.text(arn, "source_arn", n, &tr.Unknown)
		tr.Enabled = running
		tr.Events = []string{strings.ToLower(part)}
		tr.InvokeRole = t.text(t.prop(r.props, "RoleArn", depth), "invoke_role", n, &tr.Unknown)
		t.setTarget(&tr, v, n)
		t.triggers = append(t.triggers, tr)
	}
}

func (t *template) connectAssociation(r *resource, depth int) {
	if typ, _ := textOf(t.prop(r.props, "IntegrationType", depth)); typ != "LAMBDA_FUNCTION" {
		return
	}
	n := propNode(r.props, "IntegrationArn")
	tr := t.newTrigger(r.id, "connect", n)
	inst := t.text(t.prop(r.props, "InstanceId", depth), "source_arn", n, &tr.Unknown)
	if inst != "" && !strings.HasPrefix(inst, "arn:") {
		inst = t.arn("connect", "instance/"+inst)
	}
	tr.SourceARN = inst
	for _, id := range t.order {
		if o := t.resources[id]; o.typ == "AWS::Connect::Instance" {
			if a, ok := textOf(o.attrs["Arn"]); ok && a == inst {
				tr.SourceAddress = id
			}
		}
	}
	t.setTarget(&tr, t.prop(r.props, "IntegrationArn", depth), n)
	t.triggers = append(t.triggers, tr)
}

// lexLocales adds a trigger per locale whose code hook is a function.
func (t *template) lexLocales(r *resource, addr, arn string, settings cty.Value, path ...any) {
	for i, ls := range elems(settings) {
		s := attr(ls, "BotAliasLocaleSetting")
		fn := attr(attr(attr(s, "CodeHookSpecification"), "LambdaCodeHook"), "LambdaArn")
		if fn == cty.NilVal {
			continue
		}
		n := propNode(r.props, append(path, i)...)
		tr := t.newTrigger(fmt.Sprintf("%s[%d]", addr, i), "lexv2", n)
		tr.SourceAddress, tr.SourceARN = r.id, arn
		t.setEnabled(&tr, attr(s, "Enabled"), false, n)
		if l, ok := textOf(attr(ls, "LocaleId")); ok {
			tr.Events = []string{l}
		}
		t.setTarget(&tr, fn, n)
		t.triggers = append(t.triggers, tr)
	}
}

func (t *template) lexBot(r *resource, depth int) {
	id := t.placeholder(r.id, "id")
	r.attrs = map[string]cty.Value{"": cty.StringVal(id), "Id": cty.StringVal(id), "Arn": cty.StringVal(t.arn("lex", "bot/"+id))}
	// The draft version's test alias has a fixed id.
	arn := t.arn("lex", "bot-alias/"+id+"/TSTALIASID")
	tba := t.prop(r.props, "TestBotAliasSettings", depth)
	t.lexLocales(r, r.id+".TestBotAliasSettings.BotAliasLocaleSettings", arn, attr(tba, "BotAliasLocaleSettings"), "TestBotAliasSettings", "BotAliasLocaleSettings")
}

func (t *template) lexBotAlias(r *resource, depth int) {
	var unknown []inventory.Unknown
	bot := t.text(t.prop(r.props, "BotId", depth), "source_arn", r.key, &unknown)
	id := t.placeholder(r.id, "bot_alias_id")
	arn := t.arn("lex", "bot-alias/"+bot+"/"+id)
	r.attrs = map[string]cty.Value{"": cty.StringVal(id), "BotAliasId": cty.StringVal(id), "Arn": cty.StringVal(arn)}
	if len(unknown) > 0 {
		t.outside = append(t.outside, inventory.UnknownOutside{Address: r.id, Span: loc.At(t.path, r.key.Line),
			Reason: "the bot of this alias is known only after deploy: " + unknown[0].Reason})
		return
	}
	t.lexLocales(r, r.id+".BotAliasLocaleSettings", arn, t.prop(r.props, "BotAliasLocaleSettings", depth), "BotAliasLocaleSettings")
}

func (t *template) codeCommit(r *resource, depth int) {
	name := t.prop(r.props, "RepositoryName", depth)
	arn := t.concat([]cty.Value{cty.StringVal(t.arn("codecommit", "")), name}, "", r.key)
	r.attrs = map[string]cty.Value{"": cty.StringVal(t.placeholder(r.id, "repository_id")), "Arn": arn, "Name": name}
	for i, trg := range elems(t.prop(r.props, "Triggers", depth)) {
		dest := attr(trg, "DestinationArn")
		n := propNode(r.props, "Triggers", i)
		if !t.targetsFunction(dest, fmt.Sprintf("%s.Triggers[%d]", r.id, i), n) {
			continue
		}
		tr := t.newTrigger(fmt.Sprintf("%s.Triggers[%d]", r.id, i), "codecommit", n)
		tr.SourceAddress = r.id
		tr.SourceARN = t.text(arn, "source_arn", n, &tr.Unknown)
		for _, e := range elems(attr(trg, "Events")) {
			if s, ok := textOf(e); ok {
				tr.Events = append(tr.Events, s)
			}
		}
		sort.Strings(tr.Events)
		t.setTarget(&tr, dest, n)
		t.triggers = append(t.triggers, tr)
	}
}

func (t *template) rotationSchedule(r *resource, depth int) {
	if get(r.props, "HostedRotationLambda") != nil {
		t.outside = append(t.outside, inventory.UnknownOutside{Address: r.id, Span: loc.At(t.path, r.key.Line),
			Reason: "hosted rotation: Secrets Manager deploys the rotation function in a nested stack that is not read"})
		return
	}
	fn := t.prop(r.props, "RotationLambdaARN", depth)
	if fn == cty.NilVal {
		return
	}
	r.primary = t.emit(r.id, "aws_secretsmanager_secret_rotation", r.key, map[string]cty.Value{
		"secret_id": t.prop(r.props, "SecretId", depth), "rotation_lambda_arn": fn})
}

// addTriggers adds the triggers built here to inv, linked to the functions
// the decoder found, in the decoder's order.
func (t *template) addTriggers(inv *inventory.Inventory) {
	for i := range inv.Triggers {
		tr := &inv.Triggers[i]
		if a, ok := t.authz[tr.Address]; ok && tr.Service == "apigateway" && tr.Authorization == "" && !slices.Contains(tr.Events, "authorizer") {
			tr.Authorization = a
		}
	}
	if len(t.triggers) == 0 {
		return
	}
	defined := map[string]string{}
	for _, f := range inv.Functions {
		if !f.External {
			defined[f.ARN] = f.Address
		}
	}
	for _, tr := range t.triggers {
		tr.FunctionAddress = defined[tr.FunctionARN]
		inv.Triggers = append(inv.Triggers, tr)
	}
	sort.SliceStable(inv.Triggers, func(i, j int) bool {
		a, c := inv.Triggers[i], inv.Triggers[j]
		if a.Address != c.Address {
			return a.Address < c.Address
		}
		if a.SourceARN != c.SourceARN {
			return a.SourceARN < c.SourceARN
		}
		return a.Target < c.Target
	})
}

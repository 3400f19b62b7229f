package terraform

import (
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
	"github.com/lambdacheck/lambdacheck/analyzer/loc"
	"github.com/lambdacheck/lambdacheck/analyzer/terraform/config"
	"github.com/lambdacheck/lambdacheck/analyzer/terraform/reason"
)

// Services that invoke a function through its resource-based policy and
// that the loader reads beyond the core event sources: SES receipt rules,
// Alexa skills, AWS Config custom rules, Lex V1 code hooks, Amazon Connect,
// Bedrock agent action groups, CodeCommit triggers, VPC Lattice target
// groups and Pinpoint campaign hooks. Each becomes a push trigger whose
// SourceARN is what the service sends as aws:SourceArn (docs/triggers.md).
// Resource types that can invoke Lambda but are not read are listed in
// unmodelledInvokers: they give an unknown trigger and a warning, never
// nothing.

// computedInvoker returns the attributes AWS computes for the invoking
// resource types of this file (ok is false for other types).
func computedInvoker(i inst) (map[string]cty.Value, bool) {
	c := map[string]cty.Value{}
	r, a := i.region(), i.account()
	switch i.Resource.Type {
	case "aws_ses_receipt_rule_set", "aws_ses_active_receipt_rule_set":
		set := i.get("rule_set_name")
		c["id"], c["arn"] = set, i.arn("ses", r, a, concat("receipt-rule-set/", set))
	case "aws_ses_receipt_rule":
		name := i.get("name")
		c["id"] = name
		c["arn"] = i.arn("ses", r, a, concat("receipt-rule-set/", i.get("rule_set_name"), ":receipt-rule/", name))
	case "aws_config_config_rule":
		// AWS assigns the rule id ("config-rule-" and a random suffix); the
		// rule ARN is built from it, not from the name.
		id := concat("config-rule-", i.placeholder("rule_id"))
		c["id"], c["rule_id"] = i.get("name"), id
		c["arn"] = i.arn("config", r, a, concat("config-rule/", id))
	case "aws_connect_instance":
		id := cty.StringVal(i.placeholder("id"))
		c["id"], c["arn"] = id, i.arn("connect", r, a, concat("instance/", id))
	case "aws_bedrockagent_agent":
		id := cty.StringVal(i.placeholder("agent_id"))
		c["id"], c["agent_id"] = id, id
		c["agent_arn"] = i.arn("bedrock", r, a, concat("agent/", id))
	case "aws_codecommit_repository":
		name := i.get("repository_name")
		c["id"], c["repository_id"] = name, cty.StringVal(i.placeholder("repository_id"))
		c["arn"] = i.arn("codecommit", r, a, name)
	case "aws_vpclattice_target_group":
		id := cty.StringVal(i.placeholder("id"))
		c["id"], c["arn"] = id, i.arn("vpc-lattice", r, a, concat("targetgroup/", id))
	case "aws_lex_intent":
		name := i.get("name")
		c["id"], c["arn"] = name, i.arn("lex", r, a, concat("intent:", name))
		c["version"] = cty.StringVal("$LATEST")
		if truthy(i.get("create_version")) {
			c["version"] = cty.StringVal(i.placeholder("version"))
		}
	case "aws_pinpoint_app":
		id := cty.StringVal(i.placeholder("application_id"))
		c["id"], c["application_id"] = id, id
		c["arn"] = i.arn("mobiletargeting", r, a, concat("apps/", id))
	default:
		return nil, false
	}
	return c, true
}

// pushTrigger starts a push trigger of service from the instance.
func pushTrigger(i *instance, service, sourceARN string) inventory.Trigger {
	return inventory.Trigger{Origin: i.origin, Kind: "push", Service: service, SourceARN: sourceARN, SourceAddress: i.Addr, Enabled: true}
}

func decodeSESRuleSet(b *builder, i *instance) {
	r, o := newResource(i, "ses")
	r.Name = o.str("rule_set_name")
	b.addResource(r)
}

// decodeSESReceiptRule: a receipt rule's Lambda actions. SES invokes as
// ses.amazonaws.com with the rule's ARN as aws:SourceArn (Amazon SES
// Developer Guide, "Giving permissions to Amazon SES for email receiving").
// A rule runs only when it is enabled (the provider's default is false)
// and its rule set is the active one.
func decodeSESReceiptRule(b *builder, i *instance) {
	var unknown []inventory.Unknown
	o := i.obj(&unknown)
	src := o.str("arn")
	set := o.str("rule_set_name")
	enabled := o.boolean("enabled", false)
	active, why := activeRuleSet(b, set)
	for _, la := range o.blocks("lambda_action") {
		t := pushTrigger(i, "ses", src)
		t.Unknown = append(t.Unknown, unknown...)
		la.unknown, la.prefix = &t.Unknown, ""
		t.Target = la.strAs("function_arn", "target")
		typ := la.str("invocation_type")
		if typ == "" {
			typ = "Event"
		}
		t.Events = []string{typ}
		if rcpt := o.strs("recipients"); len(rcpt) > 0 {
			t.Filter = &inventory.Filter{Expression: "recipients " + strings.Join(rcpt, ", ")}
		}
		switch {
		case !enabled:
			t.Enabled = false
		case active == "no":
			t.Enabled = false
		case active == "unknown":
			t.Unknown = append(t.Unknown, inventory.Unknown{Field: "enabled", Reason: why, Span: loc.At(i.origin.File, i.origin.Line)})
		}
		setFunctionTarget(i, &t)
		b.inv.Triggers = append(b.inv.Triggers, t)
	}
}

// activeRuleSet says whether the rule set is the region's active one:
// "yes", "no" (another set is made active), or "unknown" with why.
func activeRuleSet(b *builder, set string) (string, string) {
	declared, unsure := false, ""
	for _, ei := range b.res.Instances {
		if ei.Resource.Type != "aws_ses_active_receipt_rule_set" || ei.Resource.Mode == config.Data {
			continue
		}
		declared = true
		// Names are compared as text: a symbol ("<var.app>-rules") stands
		// for one value, so the same symbolic name is the same set.
		name := newObj(ei.Value, nil, ei.Resource.Range).str("rule_set_name")
		switch {
		case name == set:
			return "yes", ""
		case name == "" || strings.Contains(name+set, "<"):
			unsure = ei.Addr
		}
	}
	if unsure != "" {
		return "unknown", "whether " + unsure + " makes rule set " + set + " the active one is unknown before apply"
	}
	if declared {
		return "no", ""
	}
	return "unknown", "no aws_ses_active_receipt_rule_set in this configuration: whether rule set " + set + " is active is decided outside it"
}

// decodePermissionAndSkill decodes a permission and, for the Alexa service
// principals, the skill trigger it stands for: Terraform has no skill
// resource, so the permission is all the configuration says of the skill.
func decodePermissionAndSkill(b *builder, i *instance) {
	decodePermission(b, i)
	var unknown []inventory.Unknown
	o := i.obj(&unknown)
	service := ""
	switch o.str("principal") {
	case "alexa-appkit.amazon.com":
		service = "alexa"
	case "alexa-connectedhome.amazon.com":
		service = "alexa_smart_home"
	default:
		return
	}
	t := pushTrigger(i, service, "")
	t.Unknown = unknown
	fn, q := fnRef(i, o, "function_name")
	if qq := o.str("qualifier"); qq != "" {
		q = qq
	}
	t.Target = qualified(fn, q)
	t.FunctionARN, t.Qualifier = fn, q
	// The skill id is the lambda:EventSourceToken pin; without one any
	// skill may invoke, which the source-pin rule reports.
	if tok := o.str("event_source_token"); tok != "" {
		t.Filter = &inventory.Filter{Expression: tok}
	}
	b.inv.Triggers = append(b.inv.Triggers, t)
}

// decodeConfigRule: a custom Lambda rule (source owner CUSTOM_LAMBDA, the
// function ARN as source identifier). AWS Config invokes as
// config.amazonaws.com with the rule ARN as source (AWS Lambda Developer
// Guide, "Using AWS Lambda with AWS Config").
func decodeConfigRule(b *builder, i *instance) {
	r, o := newResource(i, "config")
	r.Name = o.str("name")
	b.addResource(r)
	src, ok := o.block("source")
	if !ok || src.str("owner") != "CUSTOM_LAMBDA" {
		return
	}
	t := pushTrigger(i, "config", r.ARN)
	src.unknown, src.prefix = &t.Unknown, ""
	t.Target = src.strAs("source_identifier", "target")
	for _, d := range src.blocks("source_detail") {
		if m := d.str("message_type"); m != "" {
			t.Events = append(t.Events, m)
		}
	}
	sort.Strings(t.Events)
	setFunctionTarget(i, &t)
	b.inv.Triggers = append(b.inv.Triggers, t)
}

// decodeLexIntent: Lex V1 dialog and fulfillment code hooks. Lex invokes
// as lex.amazonaws.com for the intent version the bot uses (the console
// grants "intent:NAME:*"; AWS Lambda Developer Guide, "Using AWS Lambda
// with Amazon Lex").
func decodeLexIntent(b *builder, i *instance) {
	r, o := newResource(i, "lex")
	r.Name = o.str("name")
	b.addResource(r)
	src := ""
	if r.ARN != "" {
		src = r.ARN + ":" + nonEmptyStr(o.str("version"), "$LATEST")
	}
	add := func(hook obj, event string) {
		t := pushTrigger(i, "lex", src)
		hook.unknown, hook.prefix = &t.Unknown, ""
		t.Target = hook.strAs("uri", "target")
		t.Events = []string{event}
		setFunctionTarget(i, &t)
		b.inv.Triggers = append(b.inv.Triggers, t)
	}
	for _, h := range o.blocks("dialog_code_hook") {
		add(h, "dialog_code_hook")
	}
	for _, fa := range o.blocks("fulfillment_activity") {
		for _, h := range fa.blocks("code_hook") {
			add(h, "fulfillment")
		}
	}
}

func nonEmptyStr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// decodeConnectAssociation: an Amazon Connect instance may call the
// function from its contact flows (principal connect.amazonaws.com, source
// the instance ARN).
func decodeConnectAssociation(b *builder, i *instance) {
	var unknown []inventory.Unknown
	o := i.obj(&unknown)
	id := o.strAs("instance_id", "source_arn")
	t := pushTrigger(i, "connect", "")
	t.Unknown = unknown
	if id != "" {
		p := i.Provider
		t.SourceARN = id
		if !strings.HasPrefix(id, "arn:") {
			t.SourceARN = "arn:" + p.Partition + ":connect:" + p.Region + ":" + p.Account + ":instance/" + id
		}
	}
	t.SourceAddress = ""
	t.Target = o.strAs("function_arn", "target")
	setFunctionTarget(i, &t)
	b.pendingFn = append(b.pendingFn, func() {
		if r, ok := b.resources[t.SourceARN]; ok {
			t.SourceAddress = r.Address
		}
		b.inv.Triggers = append(b.inv.Triggers, t)
	})
}

func decodeConnectInstance(b *builder, i *instance) {
	r, o := newResource(i, "connect")
	r.Name = o.str("instance_alias")
	b.addResource(r)
}

func decodeBedrockAgent(b *builder, i *instance) {
	r, o := newResource(i, "bedrock")
	r.ARN = o.str("agent_arn")
	r.Name = o.str("agent_name")
	b.addResource(r)
}

// decodeBedrockActionGroup: an agent's action group whose executor is a
// function (principal bedrock.amazonaws.com, source the agent ARN; Amazon
// Bedrock User Guide, "Resource-based policy to allow Amazon Bedrock to
// invoke an action group Lambda function").
func decodeBedrockActionGroup(b *builder, i *instance) {
	var unknown []inventory.Unknown
	o := i.obj(&unknown)
	ex, ok := o.block("action_group_executor")
	if !ok || !ex.has("lambda") {
		return
	}
	t := pushTrigger(i, "bedrock", "")
	t.Unknown = unknown
	if id := o.strAs("agent_id", "source_arn"); id != "" {
		p := i.Provider
		t.SourceARN = "arn:" + p.Partition + ":bedrock:" + p.Region + ":" + p.Account + ":agent/" + id
	}
	t.SourceAddress = ""
	ex.unknown, ex.prefix = &t.Unknown, ""
	t.Target = ex.strAs("lambda", "target")
	t.Enabled = o.str("action_group_state") != "DISABLED"
	if n := o.str("action_group_name"); n != "" {
		t.Events = []string{n}
	}
	setFunctionTarget(i, &t)
	b.pendingFn = append(b.pendingFn, func() {
		if r, ok := b.resources[t.SourceARN]; ok {
			t.SourceAddress = r.Address
		}
		b.inv.Triggers = append(b.inv.Triggers, t)
	})
}

// decodeCodeCommitTrigger: repository triggers whose destination is a
// function (principal codecommit.amazonaws.com, source the repository ARN).
func decodeCodeCommitTrigger(b *builder, i *instance) {
	var unknown []inventory.Unknown
	o := i.obj(&unknown)
	repo := o.strAs("repository_name", "source_arn")
	src := ""
	if repo != "" {
		p := i.Provider
		src = "arn:" + p.Partition + ":codecommit:" + p.Region + ":" + p.Account + ":" + repo
	}
	for _, tr := range o.blocks("trigger") {
		t := pushTrigger(i, "codecommit", src)
		t.Unknown = append(t.Unknown, unknown...)
		t.SourceAddress = ""
		tr.unknown, tr.prefix = &t.Unknown, ""
		t.Target = tr.strAs("destination_arn", "target")
		if strings.HasPrefix(t.Target, "arn:") && !strings.Contains(t.Target, ":lambda:") {
			continue // an SNS topic
		}
		t.Events = tr.strs("events")
		if br := tr.strs("branches"); len(br) > 0 {
			t.Filter = &inventory.Filter{Expression: "branches " + strings.Join(br, ", ")}
		}
		setFunctionTarget(i, &t)
		b.pendingFn = append(b.pendingFn, func() {
			if r, ok := b.resources[t.SourceARN]; ok {
				t.SourceAddress = r.Address
			}
			b.inv.Triggers = append(b.inv.Triggers, t)
		})
	}
}

func decodeLatticeTargetGroup(b *builder, i *instance) {
	r, o := newResource(i, "vpc-lattice")
	r.Name = o.str("name")
	setAttr(r, "type", o.str("type"))
	b.addResource(r)
}

// decodeLatticeAttachment: a function registered in a VPC Lattice target
// group of type LAMBDA (principal vpc-lattice.amazonaws.com, source the
// target group ARN; Amazon VPC Lattice User Guide, "Lambda functions as
// targets").
func decodeLatticeAttachment(b *builder, i *instance) {
	var unknown []inventory.Unknown
	o := i.obj(&unknown)
	tg := o.strAs("target_group_identifier", "source_arn")
	src := tg
	if tg != "" && !strings.HasPrefix(tg, "arn:") {
		p := i.Provider
		src = "arn:" + p.Partition + ":vpc-lattice:" + p.Region + ":" + p.Account + ":targetgroup/" + tg
	}
	for _, tgt := range o.blocks("target") {
		t := pushTrigger(i, "vpc_lattice", src)
		t.Unknown = append(t.Unknown, unknown...)
		t.SourceAddress = ""
		tgt.unknown, tgt.prefix = &t.Unknown, ""
		t.Target = tgt.strAs("id", "target")
		if !strings.Contains(t.Target, ":lambda:") {
			continue // an instance, IP or ALB target
		}
		setFunctionTarget(i, &t)
		b.pendingFn = append(b.pendingFn, func() {
			if r, ok := b.resources[t.SourceARN]; ok {
				t.SourceAddress = r.Address
			}
			b.inv.Triggers = append(b.inv.Triggers, t)
		})
	}
}

// decodePinpointApp: a campaign hook that calls a function (regional
// principal pinpoint.REGION.amazonaws.com, source the app ARN).
func decodePinpointApp(b *builder, i *instance) {
	r, o := newResource(i, "mobiletargeting")
	r.Name = o.str("name")
	b.addResource(r)
	for _, h := range o.blocks("campaign_hook") {
		if !h.has("lambda_function_name") {
			continue
		}
		t := pushTrigger(i, "pinpoint", r.ARN)
		h.unknown, h.prefix = &t.Unknown, ""
		t.Target = h.strAs("lambda_function_name", "target")
		if m := h.str("mode"); m != "" {
			t.Events = []string{m}
		}
		setFunctionTarget(i, &t)
		b.inv.Triggers = append(b.inv.Triggers, t)
	}
}

// unmodelledInvokers are resource types that can invoke a Lambda function
// and whose invoke model lambdacheck does not read (docs/triggers.md). A
// resource of one of them that names a function (or leaves a function
// attribute unresolved) gives an unknown push trigger per function and a
// warning: never a silent pass. Types modelled for role-based invokers
// (RDS, Firehose, CodePipeline, AppSync data sources and authorizers,
// Pipes, CloudFront, S3 Object Lambda, CloudFormation) are not listed.
var unmodelledInvokers = map[string]string{
	"aws_iotevents_detector_model":                                     "IoT Events detector model Lambda actions",
	"aws_iot_authorizer":                                               "IoT Core custom authorizer",
	"aws_config_organization_custom_rule":                              "AWS Config organization custom rule",
	"aws_ec2_client_vpn_endpoint":                                      "Client VPN client connect handler",
	"aws_kendra_data_source":                                           "Kendra custom document enrichment hooks",
	"aws_kinesis_analytics_application":                                "Kinesis Data Analytics (SQL) Lambda preprocessor or output",
	"aws_kinesisanalyticsv2_application":                               "Kinesis Data Analytics (SQL) Lambda preprocessor or output",
	"aws_bedrockagent_data_source":                                     "Bedrock knowledge base custom transformation",
	"aws_chimesdkvoice_sip_media_application":                          "Chime SDK SIP media application",
	"aws_chimesdkmediapipelines_media_insights_pipeline_configuration": "Chime SDK media insights Lambda sink",
	"aws_appsync_function":                                             "AppSync conflict handler",
	"aws_appsync_resolver":                                             "AppSync conflict handler",
	"aws_ssm_maintenance_window_task":                                  "Systems Manager maintenance window Lambda task",
	"aws_transfer_server":                                              "Transfer Family custom identity provider",
	"aws_ivschat_room":                                                 "IVS chat message review handler",
	"aws_appconfig_extension":                                          "AppConfig extension action",
	"aws_lexv2models_intent":                                           "Lex V2 code hook (the function is set on a bot alias)",
	"aws_cloudwatch_composite_alarm":                                   "CloudWatch composite alarm Lambda action",
}

// decodeUnmodelledInvoker gives one unknown trigger per function the
// resource names, so that the flow list says the path exists and is not
// decided.
func decodeUnmodelledInvoker(b *builder, i *instance) {
	b.skip(i)
	what := unmodelledInvokers[i.Resource.Type]
	fns, unresolved := lambdaRefs(i.Value, "")
	if i.Resource.Type == "aws_lexv2models_intent" && codeHookEnabled(i.Value) {
		unresolved = append(unresolved, "code hook")
	}
	if len(fns) == 0 && len(unresolved) == 0 {
		return
	}
	why := "lambdacheck does not model how " + i.Resource.Type + " (" + what + ") invokes Lambda"
	b.diag(hcl.DiagWarning, "Lambda invoker not modelled: "+i.Resource.Type,
		why+"; its invocation flows are unknown.", i.origin)
	src := ""
	if s, ok := knownStr(getAttr(i.Value, "arn")); ok && !strings.Contains(s, "<") {
		src = s
	}
	add := func(target string, u []inventory.Unknown) {
		t := pushTrigger(i, "unmodelled", src)
		t.Target = target
		t.Events = []string{i.Resource.Type}
		t.Unknown = append(u, inventory.Unknown{Field: "kind", Reason: why, Span: loc.At(i.origin.File, i.origin.Line)})
		setFunctionTarget(i, &t)
		b.inv.Triggers = append(b.inv.Triggers, t)
	}
	for _, fn := range fns {
		add(fn, nil)
	}
	if len(fns) == 0 {
		add("", []inventory.Unknown{{Field: "target", Reason: "the function is not resolved from " + strings.Join(unresolved, ", "), Span: loc.At(i.origin.File, i.origin.Line)}})
	}
}

// lambdaRefs walks a value for Lambda function ARNs (sorted, distinct)
// and for unresolved values under attributes named for a function.
func lambdaRefs(v cty.Value, key string) (fns, unresolved []string) {
	seen := map[string]bool{}
	var walk func(v cty.Value, key string, depth int)
	walk = func(v cty.Value, key string, depth int) {
		if v == cty.NilVal || depth > 32 {
			return
		}
		u, _ := reason.Of(v)
		if !u.IsKnown() {
			k := strings.ToLower(key)
			if strings.Contains(k, "lambda") || strings.Contains(k, "function") {
				unresolved = append(unresolved, key)
			}
			return
		}
		if u.IsNull() {
			return
		}
		ty := u.Type()
		switch {
		case ty == cty.String:
			s := u.AsString()
			if strings.HasPrefix(s, "arn:") && strings.Contains(s, ":lambda:") && strings.Contains(s, ":function:") && !seen[s] {
				seen[s] = true
				fns = append(fns, s)
			}
		case ty.IsObjectType() || ty.IsMapType():
			for k, e := range u.AsValueMap() {
				walk(e, k, depth+1)
			}
		case ty.IsListType() || ty.IsSetType() || ty.IsTupleType():
			for it := u.ElementIterator(); it.Next(); {
				_, e := it.Element()
				walk(e, key, depth+1)
			}
		}
	}
	walk(v, key, 0)
	sort.Strings(fns)
	sort.Strings(unresolved)
	return fns, unresolved
}

// codeHookEnabled: a Lex V2 intent with an enabled dialog or fulfillment
// code hook calls the function its bot alias names.
func codeHookEnabled(v cty.Value) bool {
	for _, attr := range []string{"dialog_code_hook", "fulfillment_code_hook"} {
		hooks := getAttr(v, attr)
		u, _ := reason.Of(hooks)
		if hooks == cty.NilVal || !u.IsKnown() || u.IsNull() || !u.CanIterateElements() {
			continue
		}
		for it := u.ElementIterator(); it.Next(); {
			_, h := it.Element()
			if truthy(getAttr(h, "enabled")) {
				return true
			}
		}
	}
	return false
}

// secretARN resolves a rotation's secret_id given by name: Secrets Manager
// invokes with the secret's ARN, which ends in a suffix AWS assigns, so
// only a secret of this configuration can give it.
func (b *builder) secretARN(t *inventory.Trigger) {
	name := t.SourceARN
	if name == "" || strings.HasPrefix(name, "arn:") {
		return
	}
	for _, arn := range b.resOrder {
		if r := b.resources[arn]; r != nil && r.Service == "secretsmanager" && r.Name == name {
			t.SourceARN, t.SourceAddress = r.ARN, r.Address
			return
		}
	}
	t.SourceARN = ""
	t.Unknown = append(t.Unknown, inventory.Unknown{Field: "source_arn", Reason: "secret " + name + " is named, not given by ARN, and is not defined in this configuration; its ARN ends in a suffix AWS assigns", Span: loc.At(t.File, t.Line)})
}

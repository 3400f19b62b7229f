package terraform

import (
	"encoding/json"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/lambdacheck/lambdacheck/analyzer/awsref"
	"github.com/lambdacheck/lambdacheck/analyzer/envsecret"
	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
	"github.com/lambdacheck/lambdacheck/analyzer/loc"
	"github.com/lambdacheck/lambdacheck/analyzer/terraform/config"
	"github.com/lambdacheck/lambdacheck/analyzer/terraform/reason"
)

// fnRef resolves a function reference argument (name, partial or full
// ARN, optionally qualified) to the unqualified ARN and the qualifier.
func fnRef(i *instance, o obj, attr string) (string, string) {
	s := o.str(attr)
	if s == "" {
		return "", ""
	}
	p := i.Provider
	return splitFunctionRef(s, p.Partition, p.Region, p.Account)
}

func decodeFunction(b *builder, i *instance) {
	f := &inventory.Function{Origin: i.origin, Account: i.Provider.Account, Region: i.Provider.Region}
	o := i.obj(&f.Unknown)
	f.Name = o.strAs("function_name", "name")
	f.ARN = o.str("arn")
	f.Runtime = o.str("runtime")
	f.Handler = o.str("handler")
	f.PackageType = o.str("package_type")
	if f.PackageType == "" && !o.has("package_type") {
		f.PackageType = "Zip"
	}
	f.Architectures = o.strs("architectures")
	if len(f.Architectures) == 0 && !o.has("architectures") {
		f.Architectures = []string{"x86_64"}
	}
	f.Role = o.str("role")
	f.MemorySize = o.num("memory_size", 128)
	f.Timeout = o.num("timeout", 3)
	f.ReservedConcurrency = o.num("reserved_concurrent_executions", -1)
	f.KMSKeyARN = o.str("kms_key_arn")
	f.Layers = o.strs("layers")
	if env, ok := o.block("environment"); ok {
		f.Environment = envVars(env)
	}
	if vpc, ok := o.block("vpc_config"); ok {
		f.VPC = &inventory.VPCConfig{SubnetIDs: vpc.strs("subnet_ids"), SecurityGroupIDs: vpc.strs("security_group_ids")}
		sort.Strings(f.VPC.SubnetIDs)
		sort.Strings(f.VPC.SecurityGroupIDs)
	}
	f.TracingMode = "PassThrough"
	if t, ok := o.block("tracing_config"); ok {
		if m := t.str("mode"); m != "" {
			f.TracingMode = m
		}
	}
	if d, ok := o.block("dead_letter_config"); ok {
		f.DeadLetterTarget = d.str("target_arn")
	}
	f.Publish = o.boolean("publish", false)
	f.Version = o.str("version")
	f.RecursiveLoop = "Terminate"
	b.addFunction(f)
}

func decodeDataFunction(b *builder, i *instance) {
	f := &inventory.Function{Origin: i.origin, External: true, ReservedConcurrency: -1}
	o := i.obj(&f.Unknown)
	f.ARN = o.str("arn")
	if f.ARN == "" {
		return
	}
	_, _, f.Region, f.Account, _, _ = arnParts(f.ARN)
	f.Name = lastPart(f.ARN)
	if _, ok := b.functions[f.ARN]; ok {
		return
	}
	b.addFunction(f)
}

// envVars lists environment variable keys and flags values that look like
// secrets. Values are inspected here and never stored.
func envVars(env obj) []inventory.EnvVar {
	vars, ok := env.known("variables", "environment")
	if !ok || vars == ctyNil {
		return nil
	}
	var out []inventory.EnvVar
	if ty := vars.Type(); !(ty.IsMapType() || ty.IsObjectType()) {
		return nil
	}
	for it := vars.ElementIterator(); it.Next(); {
		k, v := it.Element()
		ev := inventory.EnvVar{Key: k.AsString()}
		if !v.IsNull() {
			ev.LooksSecret, ev.SecretReason = envsecret.Check(ev.Key, toString(v))
		}
		out = append(out, ev)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}

func decodeLayerVersion(b *builder, i *instance) {
	r := &inventory.Resource{Origin: i.origin, Type: i.Resource.Type, Service: "lambda", Account: i.Provider.Account, Region: i.Provider.Region}
	o := i.obj(&r.Unknown)
	r.ARN = o.str("arn")
	r.Name = o.str("layer_name")
	b.addResource(r)
}

func decodeAlias(b *builder, i *instance) {
	a := inventory.Alias{Origin: i.origin}
	o := i.obj(&a.Unknown)
	a.Name = o.str("name")
	a.ARN = o.str("arn")
	a.FunctionVersion = o.str("function_version")
	if rc, ok := o.block("routing_config"); ok {
		if w, ok := rc.known("additional_version_weights", "routing_weights"); ok && w != ctyNil && (w.Type().IsMapType() || w.Type().IsObjectType()) {
			a.RoutingWeights = map[string]float64{}
			for it := w.ElementIterator(); it.Next(); {
				k, v := it.Element()
				if f, ok := numberOf(v); ok {
					a.RoutingWeights[k.AsString()] = f
				}
			}
		}
	}
	fn, _ := fnRef(i, o, "function_name")
	b.pendingFn = append(b.pendingFn, func() {
		if fn == "" {
			b.unresolved(i.origin, "alias "+a.Name+": the function is not known")
			return
		}
		f := b.function(fn, i.origin)
		f.Aliases = append(f.Aliases, a)
	})
}

func decodePermission(b *builder, i *instance) {
	p := inventory.Permission{Origin: i.origin}
	o := i.obj(&p.Unknown)
	p.StatementID = o.str("statement_id")
	p.Action = o.str("action")
	p.Principal = o.str("principal")
	p.SourceARN = o.str("source_arn")
	p.SourceAccount = o.str("source_account")
	p.PrincipalOrgID = o.str("principal_org_id")
	p.EventSourceToken = o.str("event_source_token")
	p.FunctionURLAuthType = o.str("function_url_auth_type")
	p.InvokedViaFunctionURL = o.boolean("invoked_via_function_url", false)
	fn, q := fnRef(i, o, "function_name")
	if qq := o.str("qualifier"); qq != "" {
		q = qq
	}
	p.Qualifier = q
	b.pendingFn = append(b.pendingFn, func() {
		if fn == "" {
			b.unresolved(i.origin, "permission "+p.StatementID+": the function is not known")
			return
		}
		f := b.function(fn, i.origin)
		f.Permissions = append(f.Permissions, p)
	})
}

func decodeFunctionURL(b *builder, i *instance) {
	u := inventory.FunctionURL{Origin: i.origin}
	o := i.obj(&u.Unknown)
	u.AuthType = o.strAs("authorization_type", "auth_type")
	u.InvokeMode = o.str("invoke_mode")
	if u.InvokeMode == "" {
		u.InvokeMode = "BUFFERED"
	}
	u.URL = o.strAs("function_url", "url")
	if cors, ok := o.block("cors"); ok {
		if v, _ := reason.Of(cors.v); v.IsWhollyKnown() {
			if doc, ok := documentJSON(v, func(string) {}); ok {
				u.CORS = doc
			}
		}
	}
	fn, q := fnRef(i, o, "function_name")
	if qq := o.str("qualifier"); qq != "" {
		q = qq
	}
	u.Qualifier = q
	t := inventory.Trigger{Origin: i.origin, Kind: "push", Service: "function_url", SourceAddress: i.Addr,
		Target: qualified(fn, q), FunctionARN: fn, Qualifier: q, Enabled: true, Authorization: u.AuthType}
	b.inv.Triggers = append(b.inv.Triggers, t)
	b.pendingFn = append(b.pendingFn, func() {
		if fn == "" {
			b.unresolved(i.origin, "function URL: the function is not known")
			return
		}
		f := b.function(fn, i.origin)
		f.URLs = append(f.URLs, u)
	})
}

func qualified(arn, q string) string {
	if q == "" || arn == "" {
		return arn
	}
	return arn + ":" + q
}

func decodeInvokeConfig(b *builder, i *instance) {
	c := inventory.AsyncConfig{Origin: i.origin}
	o := i.obj(&c.Unknown)
	fn, q := fnRef(i, o, "function_name")
	if qq := o.str("qualifier"); qq != "" {
		q = qq
	}
	c.Qualifier = q
	if d, ok := o.block("destination_config"); ok {
		if s, ok := d.block("on_success"); ok {
			c.OnSuccess = s.str("destination")
		}
		if f, ok := d.block("on_failure"); ok {
			c.OnFailure = f.str("destination")
		}
	}
	c.MaximumRetryAttempts = o.numPtr("maximum_retry_attempts")
	c.MaximumEventAgeInSeconds = o.numPtr("maximum_event_age_in_seconds")
	b.pendingFn = append(b.pendingFn, func() {
		if fn == "" {
			b.unresolved(i.origin, "event invoke config: the function is not known")
			return
		}
		f := b.function(fn, i.origin)
		f.AsyncConfigs = append(f.AsyncConfigs, c)
	})
}

func decodeFunctionResourcePolicy(b *builder, i *instance) {
	qp := inventory.QualifiedPolicy{}
	qp.Policy = inventory.Policy{Name: "resource-policy", Origin: i.origin}
	o := i.obj(&qp.Unknown)
	attr := "function_name"
	if !o.has(attr) {
		attr = "function_arn"
	}
	fn, q := fnRef(i, o, attr)
	if qq := o.str("qualifier"); qq != "" {
		q = qq
	}
	qp.Qualifier = q
	if doc, ok := o.document("policy", "document"); ok {
		qp.Document = doc
	}
	b.pendingFn = append(b.pendingFn, func() {
		if fn == "" {
			b.unresolved(i.origin, "resource policy: the function is not known")
			return
		}
		f := b.function(fn, i.origin)
		f.ResourcePolicies = append(f.ResourcePolicies, qp)
	})
}

func decodeLayerPermission(b *builder, i *instance) {
	var unknown []inventory.Unknown
	o := i.obj(&unknown)
	layer := o.str("layer_name")
	version := o.str("version_number")
	if layer != "" && !strings.HasPrefix(layer, "arn:") {
		p := i.Provider
		layer = "arn:" + p.Partition + ":lambda:" + p.Region + ":" + p.Account + ":layer:" + layer
	}
	arn := ""
	if layer != "" && version != "" {
		arn = layer + ":" + version
	}
	principal := o.str("principal")
	stmt := map[string]any{"Sid": o.str("statement_id"), "Effect": "Allow", "Action": o.str("action"), "Resource": arn}
	if principal == "*" {
		stmt["Principal"] = "*"
	} else {
		stmt["Principal"] = map[string]string{"AWS": "arn:" + i.Provider.Partition + ":iam::" + principal + ":root"}
	}
	if org := o.str("organization_id"); org != "" {
		stmt["Condition"] = map[string]any{"StringEquals": map[string]string{"aws:PrincipalOrgID": org}}
	}
	pol := inventory.Policy{Name: "layer-version-policy", Origin: i.origin, Unknown: unknown}
	if len(unknown) == 0 && arn != "" {
		doc, _ := json.Marshal(map[string]any{"Version": "2012-10-17", "Id": "default", "Statement": []any{stmt}})
		pol.Document = doc
	}
	if arn == "" {
		b.unresolved(i.origin, "layer version permission: the layer version is not known")
		return
	}
	b.pendingResPol = append(b.pendingResPol, pendingResourcePolicy{arn: arn, svc: "lambda", policy: pol, origin: i.origin})
}

func decodeEventSourceMapping(b *builder, i *instance) {
	t := inventory.Trigger{Origin: i.origin, Kind: "poll", SourceAddress: ""}
	o := i.obj(&t.Unknown)
	t.SourceARN = o.strAs("event_source_arn", "source_arn")
	fn, q := fnRef(i, o, "function_name")
	t.FunctionARN, t.Qualifier, t.Target = fn, q, qualified(fn, q)
	t.Enabled = o.boolean("enabled", true)
	t.Service = esmService(t.SourceARN)
	if t.Service == "unknown" {
		// The ARN is known only after apply; what it refers to still says
		// which kind of source Lambda polls, so the role's required reads are.
		if s := esmServiceByReference(i.Resource); s != "" {
			t.Service = s
		}
	}
	// A dynamic block over an empty list is present but has no blocks.
	if len(o.blocks("self_managed_event_source")) > 0 {
		t.Service = "kafka"
	}
	t.Events = append(o.strs("topics"), o.strs("queues")...)
	bt := &inventory.Batch{
		BatchSize:                      o.num("batch_size", 0),
		MaximumBatchingWindowInSeconds: o.num("maximum_batching_window_in_seconds", 0),
		StartingPosition:               o.str("starting_position"),
		ParallelizationFactor:          o.num("parallelization_factor", 0),
		MaximumRetryAttempts:           o.numPtr("maximum_retry_attempts"),
		MaximumRecordAgeInSeconds:      o.numPtr("maximum_record_age_in_seconds"),
		BisectBatchOnFunctionError:     o.boolean("bisect_batch_on_function_error", false),
		FunctionResponseTypes:          o.strs("function_response_types"),
	}
	if bt.BatchSize == 0 {
		bt.BatchSize = defaultBatchSize(t.Service)
	}
	if sc, ok := o.block("scaling_config"); ok {
		bt.MaximumConcurrency = sc.num("maximum_concurrency", 0)
	}
	t.Batch = bt
	if fc, ok := o.block("filter_criteria"); ok {
		f := &inventory.Filter{}
		for _, flt := range fc.blocks("filter") {
			if doc, ok := flt.document("pattern", "filter.pattern"); ok && doc != nil {
				f.Patterns = append(f.Patterns, doc)
			}
		}
		if len(f.Patterns) > 0 {
			t.Filter = f
		}
	}
	if dc, ok := o.block("destination_config"); ok {
		if of, ok := dc.block("on_failure"); ok {
			t.OnFailure = of.str("destination_arn")
		}
	}
	decodeSourceAccess(o, &t)
	b.inv.Triggers = append(b.inv.Triggers, t)
}

// esmService names the poll source by its ARN's service.
func esmService(arn string) string {
	_, svc, _, _, res, ok := arnParts(arn)
	if !ok {
		return "unknown"
	}
	switch svc {
	case "sqs", "kinesis", "dynamodb", "mq":
		return svc
	case "kafka":
		return "kafka"
	case "rds":
		if strings.HasPrefix(res, "cluster:") {
			return "docdb"
		}
	}
	return svc
}

// esmSourceTypes are the resource types (managed or data source) whose
// attribute an event_source_arn names, by poll source kind.
var esmSourceTypes = map[string]struct{ service, attr string }{
	"aws_sqs_queue":               {"sqs", "arn"},
	"aws_kinesis_stream":          {"kinesis", "arn"},
	"aws_kinesis_stream_consumer": {"kinesis", "arn"},
	"aws_dynamodb_table":          {"dynamodb", "stream_arn"},
	"aws_mq_broker":               {"mq", "arn"},
	"aws_msk_cluster":             {"kafka", "arn"},
	"aws_msk_serverless_cluster":  {"kafka", "arn"},
	"aws_docdb_cluster":           {"docdb", "arn"},
}

// esmServiceByReference names the poll source kind from the resources the
// event_source_arn expression refers to: one kind among them decides;
// none, or several (a conditional between a queue and a stream), leave it
// undecided ("").
func esmServiceByReference(r *config.Resource) string {
	kinds := map[string]bool{}
	var kind string
	for _, t := range r.Traversals("event_source_arn") {
		ty, attr, ok := referencedAttr(t)
		// No attribute: the instance key is an expression (q[each.key].arn),
		// which ends the traversal; the type still tells.
		if k, known := esmSourceTypes[ty]; ok && known && (attr == "" || k.attr == attr) {
			kinds[k.service], kind = true, k.service
		}
	}
	if len(kinds) != 1 {
		return ""
	}
	return kind
}

// referencedAttr returns the resource type and attribute a reference reads:
// TYPE.NAME.ATTR, resource.TYPE.NAME.ATTR or data.TYPE.NAME.ATTR, with an
// optional literal instance key after NAME; attr is "" when the traversal
// ends before one. ok is false for other references.
func referencedAttr(t hcl.Traversal) (ty, attr string, ok bool) {
	step := func(i int) string {
		if i < len(t) {
			if a, ok := t[i].(hcl.TraverseAttr); ok {
				return a.Name
			}
		}
		return ""
	}
	root, first := t.RootName(), 1
	switch root {
	case "var", "local", "module", "path", "terraform", "count", "each", "self":
		return "", "", false
	case "data", "resource":
		root, first = step(1), 2
	}
	if root == "" || step(first) == "" {
		return "", "", false
	}
	at := first + 1
	if at < len(t) {
		if _, isIndex := t[at].(hcl.TraverseIndex); isIndex {
			at++
		}
	}
	return root, step(at), true
}

// defaultBatchSize is Lambda's default per source (AWS CreateEventSourceMapping).
func defaultBatchSize(service string) int {
	switch service {
	case "sqs", "mq":
		return 10
	case "kinesis", "dynamodb", "kafka", "docdb":
		return 100
	}
	return 0
}

// renderFunctionPolicies builds the function's resource-based policy per
// qualifier from its permissions, as Lambda's GetPolicy returns it. A full
// resource policy for a qualifier replaces the statements of permissions.
func (b *builder) renderFunctionPolicies(f *inventory.Function) {
	full := map[string]bool{}
	for _, rp := range f.ResourcePolicies {
		full[rp.Qualifier] = true
	}
	byQ := map[string][]inventory.Permission{}
	var quals []string
	for _, p := range f.Permissions {
		if _, ok := byQ[p.Qualifier]; !ok {
			quals = append(quals, p.Qualifier)
		}
		byQ[p.Qualifier] = append(byQ[p.Qualifier], p)
	}
	sort.Strings(quals)
	for _, q := range quals {
		perms := byQ[q]
		sort.SliceStable(perms, func(i, j int) bool { return perms[i].Address < perms[j].Address })
		if full[q] {
			b.diag(hcl.DiagWarning, "Permissions replaced by a resource policy",
				"aws_lambda_permission statements on "+qualified(f.ARN, q)+" are replaced by the function's full resource policy.", perms[0].Origin)
			continue
		}
		qp := inventory.QualifiedPolicy{Qualifier: q}
		qp.Policy = inventory.Policy{Name: "resource-policy", Origin: f.Origin}
		stmts := []any{} // "Statement": [] when every one is left out
		for _, p := range perms {
			if deciding := decidingUnknowns(p.Unknown); len(deciding) > 0 || p.Principal == "" || f.ARN == "" {
				for _, u := range deciding {
					// "statements": the document holds every other statement;
					// only this one is missing.
					qp.Unknown = append(qp.Unknown, inventory.Unknown{Field: "statements",
						Reason: "statement " + p.StatementID + " (" + p.Address + ") is left out: " + u.Field + " is unknown: " + u.Reason, Span: loc.At(u.File, u.Line)})
				}
				continue
			}
			stmts = append(stmts, permissionStatement(p, qualified(f.ARN, q), partitionOf(f.ARN)))
		}
		doc, _ := json.Marshal(struct {
			Version   string `json:"Version"`
			ID        string `json:"Id"`
			Statement []any  `json:"Statement"`
		}{"2012-10-17", "default", stmts})
		qp.Document = doc
		f.ResourcePolicies = append(f.ResourcePolicies, qp)
	}
	sort.SliceStable(f.ResourcePolicies, func(i, j int) bool { return f.ResourcePolicies[i].Qualifier < f.ResourcePolicies[j].Qualifier })
}

// decidingUnknowns drops the unknowns that decide no flow: a statement id
// (its own symbol stands in for it) only names the statement.
func decidingUnknowns(us []inventory.Unknown) []inventory.Unknown {
	var out []inventory.Unknown
	for _, u := range us {
		if u.Field != "statement_id" {
			out = append(out, u)
		}
	}
	return out
}

func partitionOf(arn string) string {
	if p, _, _, _, _, ok := arnParts(arn); ok {
		return p
	}
	return "aws"
}

type lambdaStatement struct {
	Sid       string                       `json:"Sid"`
	Effect    string                       `json:"Effect"`
	Principal any                          `json:"Principal"`
	Action    string                       `json:"Action"`
	Resource  string                       `json:"Resource"`
	Condition map[string]map[string]string `json:"Condition,omitempty"`
}

// permissionStatement renders an AddPermission call as the statement
// Lambda stores: service principals under "Service", account ids as the
// account root, source ARN as ArnLike AWS:SourceArn, source account as
// StringEquals AWS:SourceAccount.
func permissionStatement(p inventory.Permission, resource, partition string) lambdaStatement {
	s := lambdaStatement{Sid: p.StatementID, Effect: "Allow", Action: p.Action, Resource: resource}
	switch {
	case p.Principal == "*":
		s.Principal = "*"
	case strings.HasPrefix(p.Principal, "arn:"):
		s.Principal = map[string]string{"AWS": p.Principal}
	case awsref.IsAccountID(p.Principal):
		s.Principal = map[string]string{"AWS": "arn:" + partition + ":iam::" + p.Principal + ":root"}
	default:
		s.Principal = map[string]string{"Service": p.Principal}
	}
	cond := map[string]map[string]string{}
	add := func(op, key, v string) {
		if v == "" {
			return
		}
		if cond[op] == nil {
			cond[op] = map[string]string{}
		}
		cond[op][key] = v
	}
	add("ArnLike", "AWS:SourceArn", p.SourceARN)
	add("StringEquals", "AWS:SourceAccount", p.SourceAccount)
	add("StringEquals", "aws:PrincipalOrgID", p.PrincipalOrgID)
	add("StringEquals", "lambda:EventSourceToken", p.EventSourceToken)
	add("StringEquals", "lambda:FunctionUrlAuthType", p.FunctionURLAuthType)
	if p.InvokedViaFunctionURL {
		// AddPermission's InvokedViaFunctionUrl, stored as Lambda's console
		// writes it for a public URL's second statement.
		add("Bool", "lambda:InvokedViaFunctionUrl", "true")
	}
	if len(cond) > 0 {
		s.Condition = cond
	}
	return s
}

func decodeRecursionConfig(b *builder, i *instance) {
	var unknown []inventory.Unknown
	o := i.obj(&unknown)
	fn, _ := fnRef(i, o, "function_name")
	loop := o.str("recursive_loop")
	b.pendingFn = append(b.pendingFn, func() {
		if fn == "" {
			b.unresolved(i.origin, "recursion config: the function is not known"+reasons(unknown))
			return
		}
		b.function(fn, i.origin).RecursiveLoop = loop
	})
}

package awsapi

import (
	"context"
	"encoding/json"
	"sort"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/lambdacheck/lambdacheck/analyzer/awsref"
	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
)

func (c *collector) lambdaClient(region string) *lambda.Client {
	return lambda.NewFromConfig(c.cfg, func(o *lambda.Options) { o.Region = region })
}

// collectLambda reads a region's functions with everything attached to
// them, and its event source mappings.
func collectLambda(ctx context.Context, c *collector, region string, p *part) error {
	cl := c.lambdaClient(region)
	var confs []types.FunctionConfiguration
	pg := lambda.NewListFunctionsPaginator(cl, &lambda.ListFunctionsInput{})
	for pg.HasMorePages() {
		page, err := pg.NextPage(ctx)
		denied, fatal := p.check(call{c.account, region, "Lambda", "ListFunctions", ""}, err)
		if fatal != nil {
			return fatal
		}
		if denied {
			break
		}
		for _, fc := range page.Functions {
			k := call{c.account, region, "Lambda", "ListFunctions", ""}
			if !p.validARN(k, "FunctionArn", aws.ToString(fc.FunctionArn), "lambda") {
				continue // an item without its key cannot be joined to anything
			}
			if role := aws.ToString(fc.Role); !p.validARN(call{c.account, region, "Lambda", "ListFunctions", aws.ToString(fc.FunctionArn)}, "Role", role, "iam") {
				fc.Role = nil
			}
			confs = append(confs, fc)
		}
	}
	fns := make([]inventory.Function, len(confs))
	var done int
	var mu = &p.mu
	err := forEach(ctx, c.limit, len(confs), func(ctx context.Context, i int) error {
		fns[i] = functionFrom(confs[i], region, c.account)
		if err := c.functionDetails(ctx, cl, p, &fns[i]); err != nil {
			return err
		}
		mu.Lock()
		done++
		n := done
		mu.Unlock()
		c.opts.Progress.Update(region, "lambda", n, len(confs))
		return nil
	})
	if err != nil {
		return err
	}
	p.mu.Lock()
	p.functions = append(p.functions, fns...)
	p.mu.Unlock()
	return c.eventSourceMappings(ctx, cl, region, p)
}

// functionFrom maps a function configuration; environment values are
// looked at for secrets and dropped.
func functionFrom(fc types.FunctionConfiguration, region, account string) inventory.Function {
	arn := aws.ToString(fc.FunctionArn)
	f := inventory.Function{
		Origin: inventory.Origin{Address: arn}, Name: aws.ToString(fc.FunctionName), ARN: arn,
		Account: nonEmpty(accountOf(arn), account), Region: nonEmpty(regionOf(arn), region),
		Runtime: string(fc.Runtime), Handler: aws.ToString(fc.Handler), PackageType: string(fc.PackageType),
		Role: aws.ToString(fc.Role), MemorySize: int(aws.ToInt32(fc.MemorySize)), Timeout: int(aws.ToInt32(fc.Timeout)),
		KMSKeyARN: aws.ToString(fc.KMSKeyArn), Version: aws.ToString(fc.Version),
		ReservedConcurrency: -1, RecursiveLoop: "Terminate", TracingMode: "PassThrough",
	}
	for _, a := range fc.Architectures {
		f.Architectures = append(f.Architectures, string(a))
	}
	if len(f.Architectures) == 0 {
		f.Architectures = []string{"x86_64"}
	}
	if f.PackageType == "" {
		f.PackageType = "Zip"
	}
	if fc.Environment != nil {
		for k, v := range fc.Environment.Variables {
			f.Environment = append(f.Environment, envVar(k, v))
		}
		sort.Slice(f.Environment, func(i, j int) bool { return f.Environment[i].Key < f.Environment[j].Key })
		if fc.Environment.Error != nil {
			f.Unknown = append(f.Unknown, inventory.Unknown{Field: "environment", Reason: "Lambda could not decrypt the environment: " + aws.ToString(fc.Environment.Error.Message)})
		}
	}
	for _, l := range fc.Layers {
		f.Layers = append(f.Layers, aws.ToString(l.Arn))
	}
	if v := fc.VpcConfig; v != nil && (len(v.SubnetIds) > 0 || len(v.SecurityGroupIds) > 0) {
		f.VPC = &inventory.VPCConfig{SubnetIDs: append([]string(nil), v.SubnetIds...), SecurityGroupIDs: append([]string(nil), v.SecurityGroupIds...)}
		sort.Strings(f.VPC.SubnetIDs)
		sort.Strings(f.VPC.SecurityGroupIDs)
	}
	if fc.TracingConfig != nil && fc.TracingConfig.Mode != "" {
		f.TracingMode = string(fc.TracingConfig.Mode)
	}
	if fc.DeadLetterConfig != nil {
		f.DeadLetterTarget = aws.ToString(fc.DeadLetterConfig.TargetArn)
	}
	return f
}

// functionDetails reads what hangs off one function: aliases, the resource
// policy of the function and of each alias, URL configs, invoke configs,
// reserved concurrency and recursion setting.
func (c *collector) functionDetails(ctx context.Context, cl *lambda.Client, p *part, f *inventory.Function) error {
	cc := func(op string) call { return call{c.account, f.Region, "Lambda", op, f.ARN} }
	unknown := func(field string, k call) {
		f.Unknown = append(f.Unknown, inventory.Unknown{Field: field, Reason: p.reason(k)})
	}

	aliases := lambda.NewListAliasesPaginator(cl, &lambda.ListAliasesInput{FunctionName: aws.String(f.ARN)})
	for aliases.HasMorePages() {
		page, err := aliases.NextPage(ctx)
		denied, fatal := p.check(cc("ListAliases"), err)
		if fatal != nil {
			return fatal
		}
		if p.isGone(cc("ListAliases")) {
			return nil // deleted since it was listed: left out, with a warning
		}
		if denied {
			unknown("aliases", cc("ListAliases"))
			break
		}
		for _, a := range page.Aliases {
			al := inventory.Alias{Origin: inventory.Origin{Address: aws.ToString(a.AliasArn)}, Name: aws.ToString(a.Name),
				ARN: aws.ToString(a.AliasArn), FunctionVersion: aws.ToString(a.FunctionVersion)}
			if a.RoutingConfig != nil && len(a.RoutingConfig.AdditionalVersionWeights) > 0 {
				al.RoutingWeights = map[string]float64{}
				for v, w := range a.RoutingConfig.AdditionalVersionWeights {
					al.RoutingWeights[v] = w
				}
			}
			f.Aliases = append(f.Aliases, al)
		}
	}
	sort.Slice(f.Aliases, func(i, j int) bool { return f.Aliases[i].Name < f.Aliases[j].Name })

	qualifiers := []string{""}
	for _, a := range f.Aliases {
		qualifiers = append(qualifiers, a.Name)
	}
	for _, q := range qualifiers {
		if err := c.functionPolicy(ctx, cl, p, f, q); err != nil {
			return err
		}
	}

	urls := lambda.NewListFunctionUrlConfigsPaginator(cl, &lambda.ListFunctionUrlConfigsInput{FunctionName: aws.String(f.ARN)})
	for urls.HasMorePages() {
		page, err := urls.NextPage(ctx)
		denied, fatal := p.check(cc("ListFunctionUrlConfigs"), err)
		if fatal != nil {
			return fatal
		}
		if denied {
			unknown("urls", cc("ListFunctionUrlConfigs"))
			break
		}
		for _, u := range page.FunctionUrlConfigs {
			url, t := functionURL(u)
			f.URLs = append(f.URLs, url)
			p.addTrigger(t)
		}
	}

	async := lambda.NewListFunctionEventInvokeConfigsPaginator(cl, &lambda.ListFunctionEventInvokeConfigsInput{FunctionName: aws.String(f.ARN)})
	for async.HasMorePages() {
		page, err := async.NextPage(ctx)
		denied, fatal := p.check(cc("ListFunctionEventInvokeConfigs"), err)
		if fatal != nil {
			return fatal
		}
		if denied {
			unknown("async_configs", cc("ListFunctionEventInvokeConfigs"))
			break
		}
		for _, ic := range page.FunctionEventInvokeConfigs {
			f.AsyncConfigs = append(f.AsyncConfigs, asyncConfig(ic))
		}
	}

	conc, err := cl.GetFunctionConcurrency(ctx, &lambda.GetFunctionConcurrencyInput{FunctionName: aws.String(f.ARN)})
	denied, fatal := p.check(cc("GetFunctionConcurrency"), err)
	switch {
	case fatal != nil:
		return fatal
	case denied:
		unknown("reserved_concurrency", cc("GetFunctionConcurrency"))
	case conc.ReservedConcurrentExecutions != nil:
		f.ReservedConcurrency = int(*conc.ReservedConcurrentExecutions)
	}

	rec, err := cl.GetFunctionRecursionConfig(ctx, &lambda.GetFunctionRecursionConfigInput{FunctionName: aws.String(f.ARN)})
	denied, fatal = p.check(cc("GetFunctionRecursionConfig"), err)
	switch {
	case fatal != nil:
		return fatal
	case denied:
		f.RecursiveLoop = ""
		unknown("recursive_loop", cc("GetFunctionRecursionConfig"))
	case rec.RecursiveLoop != "":
		f.RecursiveLoop = string(rec.RecursiveLoop)
	}
	return nil
}

// functionPolicy reads the resource-based policy of one qualifier ("" is
// the unqualified function). No policy is not an error: Lambda answers
// ResourceNotFoundException.
func (c *collector) functionPolicy(ctx context.Context, cl *lambda.Client, p *part, f *inventory.Function, qualifier string) error {
	in := &lambda.GetPolicyInput{FunctionName: aws.String(f.ARN)}
	if qualifier != "" {
		in.Qualifier = aws.String(qualifier)
	}
	k := call{c.account, f.Region, "Lambda", "GetPolicy", qualifiedARN(f.ARN, qualifier)}
	out, err := cl.GetPolicy(ctx, in)
	if isCode(err, "ResourceNotFoundException") {
		return nil
	}
	denied, fatal := p.check(k, err)
	if fatal != nil {
		return fatal
	}
	qp := inventory.QualifiedPolicy{Qualifier: qualifier}
	qp.Policy = inventory.Policy{Name: "resource-policy", Origin: inventory.Origin{Address: f.ARN}}
	if denied {
		qp.Unknown = append(qp.Unknown, inventory.Unknown{Field: "document", Reason: p.reason(k)})
		f.Unknown = append(f.Unknown, inventory.Unknown{Field: "resource_policies", Reason: p.reason(k) + " for " + qualifierLabel(qualifier)})
	} else {
		doc, err := decodePolicy(aws.ToString(out.Policy))
		if err != nil {
			p.invalid(k, "the policy document is not JSON")
			qp.Unknown = append(qp.Unknown, inventory.Unknown{Field: "document", Reason: "GetPolicy returned a document that is not JSON"})
		}
		qp.Document = doc
	}
	f.ResourcePolicies = append(f.ResourcePolicies, qp)
	sort.SliceStable(f.ResourcePolicies, func(i, j int) bool { return f.ResourcePolicies[i].Qualifier < f.ResourcePolicies[j].Qualifier })
	return nil
}

func qualifierLabel(q string) string {
	if q == "" {
		return "the unqualified function"
	}
	return "qualifier " + q
}

func qualifiedARN(arn, q string) string {
	if q == "" {
		return arn
	}
	return arn + ":" + q
}

// splitFunctionARN splits a possibly qualified function ARN
// (arn:aws:lambda:R:A:function:NAME[:QUALIFIER]) into the unqualified ARN
// and the qualifier.
func splitFunctionARN(arn string) (string, string) {
	parts := strings.Split(arn, ":")
	if len(parts) == 8 && parts[0] == "arn" && parts[5] == "function" && parts[7] != "" {
		q := parts[7]
		if q == "$LATEST" {
			q = ""
		}
		return strings.Join(parts[:7], ":"), q
	}
	return arn, ""
}

func functionURL(u types.FunctionUrlConfig) (inventory.FunctionURL, inventory.Trigger) {
	arn := aws.ToString(u.FunctionArn)
	fn, q := splitFunctionARN(arn)
	addr := arn + "#url"
	out := inventory.FunctionURL{Origin: inventory.Origin{Address: addr}, Qualifier: q, AuthType: string(u.AuthType),
		InvokeMode: string(u.InvokeMode), URL: aws.ToString(u.FunctionUrl)}
	if out.InvokeMode == "" {
		out.InvokeMode = "BUFFERED"
	}
	if cors := u.Cors; cors != nil {
		m := map[string]any{}
		if cors.AllowCredentials != nil {
			m["allow_credentials"] = *cors.AllowCredentials
		}
		for k, v := range map[string][]string{"allow_headers": cors.AllowHeaders, "allow_methods": cors.AllowMethods,
			"allow_origins": cors.AllowOrigins, "expose_headers": cors.ExposeHeaders} {
			if len(v) > 0 {
				m[k] = v
			}
		}
		if cors.MaxAge != nil {
			m["max_age"] = *cors.MaxAge
		}
		out.CORS, _ = json.Marshal(m) // strings, bools and numbers: cannot fail
	}
	t := inventory.Trigger{Origin: inventory.Origin{Address: addr}, Kind: "push", Service: "function_url", SourceAddress: addr,
		Target: arn, FunctionARN: fn, Qualifier: q, Enabled: true, Authorization: out.AuthType}
	return out, t
}

func asyncConfig(ic types.FunctionEventInvokeConfig) inventory.AsyncConfig {
	arn := aws.ToString(ic.FunctionArn)
	_, q := splitFunctionARN(arn)
	ac := inventory.AsyncConfig{Origin: inventory.Origin{Address: arn + "#event-invoke-config"}, Qualifier: q}
	if d := ic.DestinationConfig; d != nil {
		if d.OnSuccess != nil {
			ac.OnSuccess = aws.ToString(d.OnSuccess.Destination)
		}
		if d.OnFailure != nil {
			ac.OnFailure = aws.ToString(d.OnFailure.Destination)
		}
	}
	ac.MaximumRetryAttempts = intPtr(ic.MaximumRetryAttempts)
	ac.MaximumEventAgeInSeconds = intPtr(ic.MaximumEventAgeInSeconds)
	return ac
}

func intPtr(v *int32) *int {
	if v == nil {
		return nil
	}
	n := int(*v)
	return &n
}

// eventSourceMappings reads the region's mappings as poll triggers.
func (c *collector) eventSourceMappings(ctx context.Context, cl *lambda.Client, region string, p *part) error {
	pg := lambda.NewListEventSourceMappingsPaginator(cl, &lambda.ListEventSourceMappingsInput{})
	for pg.HasMorePages() {
		page, err := pg.NextPage(ctx)
		denied, fatal := p.check(call{c.account, region, "Lambda", "ListEventSourceMappings", ""}, err)
		if fatal != nil {
			return fatal
		}
		if denied {
			return nil
		}
		for _, m := range page.EventSourceMappings {
			t := mappingTrigger(m, c.partition, region, c.account)
			k := call{c.account, region, "Lambda", "ListEventSourceMappings", t.Address}
			if m.SelfManagedEventSource == nil && !p.validARN(k, "EventSourceArn", t.SourceARN, "") {
				t.SourceARN = ""
				t.Unknown = append(t.Unknown, inventory.Unknown{Field: "source_arn", Reason: "ListEventSourceMappings returned " + badValue("EventSourceArn", aws.ToString(m.EventSourceArn), "an ARN")})
			}
			if !p.validARN(k, "FunctionArn", t.Target, "lambda") {
				t.FunctionARN, t.Qualifier = "", ""
				t.Unknown = append(t.Unknown, inventory.Unknown{Field: "function_arn", Reason: "ListEventSourceMappings returned " + badValue("FunctionArn", t.Target, "a function ARN")})
			}
			if hasUnknownField(t.Unknown, "filter.patterns") {
				p.invalid(k, "a filter pattern is not JSON")
			}
			p.addTrigger(t)
		}
	}
	return nil
}

func mappingTrigger(m types.EventSourceMappingConfiguration, partition, region, account string) inventory.Trigger {
	addr := aws.ToString(m.EventSourceMappingArn)
	if addr == "" {
		addr = "arn:" + partition + ":lambda:" + region + ":" + account + ":event-source-mapping:" + aws.ToString(m.UUID)
	}
	t := inventory.Trigger{Origin: inventory.Origin{Address: addr}, Kind: "poll", SourceARN: aws.ToString(m.EventSourceArn)}
	t.Target = aws.ToString(m.FunctionArn)
	t.FunctionARN, t.Qualifier = splitFunctionARN(t.Target)
	switch aws.ToString(m.State) {
	case "Disabled", "Disabling":
		t.Enabled = false
	default: // Enabled, Enabling, Creating, Updating
		t.Enabled = true
	}
	t.Service = esmService(t.SourceARN)
	if m.SelfManagedEventSource != nil {
		t.Service = "kafka"
	}
	t.Events = append(append([]string(nil), m.Topics...), m.Queues...)
	b := &inventory.Batch{
		BatchSize:                      int(aws.ToInt32(m.BatchSize)),
		MaximumBatchingWindowInSeconds: int(aws.ToInt32(m.MaximumBatchingWindowInSeconds)),
		StartingPosition:               string(m.StartingPosition),
		ParallelizationFactor:          int(aws.ToInt32(m.ParallelizationFactor)),
		MaximumRetryAttempts:           intPtr(m.MaximumRetryAttempts),
		MaximumRecordAgeInSeconds:      intPtr(m.MaximumRecordAgeInSeconds),
		BisectBatchOnFunctionError:     aws.ToBool(m.BisectBatchOnFunctionError),
	}
	for _, r := range m.FunctionResponseTypes {
		b.FunctionResponseTypes = append(b.FunctionResponseTypes, string(r))
	}
	if m.ScalingConfig != nil {
		b.MaximumConcurrency = int(aws.ToInt32(m.ScalingConfig.MaximumConcurrency))
	}
	t.Batch = b
	if m.FilterCriteria != nil {
		f := &inventory.Filter{}
		for _, flt := range m.FilterCriteria.Filters {
			if doc, err := decodePolicy(aws.ToString(flt.Pattern)); err == nil && doc != nil {
				f.Patterns = append(f.Patterns, doc)
			} else if err != nil {
				t.Unknown = append(t.Unknown, inventory.Unknown{Field: "filter.patterns", Reason: "a filter pattern is not JSON"})
			}
		}
		if len(f.Patterns) > 0 {
			t.Filter = f
		}
	}
	if d := m.DestinationConfig; d != nil && d.OnFailure != nil {
		t.OnFailure = aws.ToString(d.OnFailure.Destination)
	}
	for _, sa := range m.SourceAccessConfigurations {
		t.SourceAccess = append(t.SourceAccess, inventory.SourceAccess{Type: string(sa.Type), URI: aws.ToString(sa.URI)})
	}
	if m.SelfManagedEventSource != nil {
		t.Endpoints = append(t.Endpoints, m.SelfManagedEventSource.Endpoints["KAFKA_BOOTSTRAP_SERVERS"]...)
	}
	return t
}

// esmService names a polled source by its ARN's service.
func esmService(arn string) string {
	_, svc, _, _, res, ok := arnParts(arn)
	if !ok {
		return "unknown"
	}
	if svc == "rds" && strings.HasPrefix(res, "cluster:") {
		return "docdb"
	}
	return svc
}

// qualifiedPolicies reads, after every trigger is known, the resource
// policies of published versions that triggers target (aliases were read
// with their function), and whether those versions exist.
func (c *collector) qualifiedPolicies(ctx context.Context, inv *inventory.Inventory, p *part) error {
	byARN := map[string]*inventory.Function{}
	for i := range inv.Functions {
		byARN[inv.Functions[i].ARN] = &inv.Functions[i]
	}
	type want struct {
		fn *inventory.Function
		q  string
	}
	seen := map[string]bool{}
	var wants []want
	for _, t := range inv.Triggers {
		f := byARN[t.FunctionARN]
		if f == nil || t.Qualifier == "" || seen[t.FunctionARN+":"+t.Qualifier] {
			continue
		}
		seen[t.FunctionARN+":"+t.Qualifier] = true
		if hasPolicyFor(f, t.Qualifier) || hasAlias(f, t.Qualifier) {
			continue
		}
		wants = append(wants, want{f, t.Qualifier})
	}
	if len(wants) == 0 {
		return nil
	}
	var mu sync.Mutex
	err := forEach(ctx, c.limit, len(wants), func(ctx context.Context, i int) error {
		w := wants[i]
		cl := c.lambdaClient(w.fn.Region)
		// A copy keeps concurrent writes to one function apart.
		tmp := inventory.Function{ARN: w.fn.ARN, Region: w.fn.Region}
		if err := c.functionPolicy(ctx, cl, p, &tmp, w.q); err != nil {
			return err
		}
		exists, notRead, err := c.versionExists(ctx, cl, p, w.fn, w.q)
		if err != nil {
			return err
		}
		mu.Lock()
		w.fn.ResourcePolicies = append(w.fn.ResourcePolicies, tmp.ResourcePolicies...)
		w.fn.Unknown = append(w.fn.Unknown, tmp.Unknown...)
		if exists {
			w.fn.Publish = true
		}
		if notRead != "" && !hasUnknownField(w.fn.Unknown, "versions") {
			w.fn.Unknown = append(w.fn.Unknown, inventory.Unknown{Field: "versions", Reason: notRead})
		}
		mu.Unlock()
		return nil
	})
	if err != nil {
		return err
	}
	for i := range inv.Functions {
		f := &inv.Functions[i]
		sort.SliceStable(f.ResourcePolicies, func(a, b int) bool { return f.ResourcePolicies[a].Qualifier < f.ResourcePolicies[b].Qualifier })
	}
	return nil
}

// versionExists reports whether a numeric qualifier is a published version
// of the function (the simulator then treats it as a valid target), or,
// when the versions could not be read, why (notRead).
func (c *collector) versionExists(ctx context.Context, cl *lambda.Client, p *part, f *inventory.Function, q string) (exists bool, notRead string, err error) {
	if !awsref.IsDigits(q) {
		return false, "", nil
	}
	k := call{c.account, f.Region, "Lambda", "ListVersionsByFunction", f.ARN}
	pg := lambda.NewListVersionsByFunctionPaginator(cl, &lambda.ListVersionsByFunctionInput{FunctionName: aws.String(f.ARN)})
	for pg.HasMorePages() {
		page, err := pg.NextPage(ctx)
		denied, fatal := p.check(k, err)
		if fatal != nil {
			return false, "", fatal
		}
		if denied {
			return false, p.reason(k), nil
		}
		for _, v := range page.Versions {
			if aws.ToString(v.Version) == q {
				return true, "", nil
			}
		}
	}
	return false, "", nil
}

func hasPolicyFor(f *inventory.Function, q string) bool {
	for _, rp := range f.ResourcePolicies {
		if rp.Qualifier == q {
			return true
		}
	}
	return false
}

func hasAlias(f *inventory.Function, q string) bool {
	for _, a := range f.Aliases {
		if a.Name == q {
			return true
		}
	}
	return false
}

func nonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// setFunctionTarget fills a trigger's FunctionARN and Qualifier when its
// target is a Lambda function.
func setFunctionTarget(t *inventory.Trigger) {
	if _, svc, _, _, res, ok := arnParts(t.Target); ok && svc == "lambda" && strings.HasPrefix(res, "function:") {
		t.FunctionARN, t.Qualifier = splitFunctionARN(t.Target)
	}
}

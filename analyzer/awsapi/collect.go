package awsapi

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go/middleware"
	"golang.org/x/sync/errgroup"

	"github.com/lambdacheck/lambdacheck/analyzer/awsref"
	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
)

// PolicyCatalog looks up AWS managed policies by ARN (awsref.Default()
// satisfies it); it fills documents IAM did not return.
type PolicyCatalog interface {
	ManagedPolicy(nameOrARN string) (awsref.ManagedPolicy, bool)
}

// Options tune a collection.
type Options struct {
	// Regions to read; empty means the configuration's region.
	Regions []string
	// AllRegions reads every region enabled for the account.
	AllRegions bool
	// Concurrency bounds the requests in flight (default 16).
	Concurrency int
	// Catalog resolves AWS managed policies IAM did not return; nil skips.
	Catalog PolicyCatalog
	// Progress, when set, hears about each region/service unit of work.
	Progress Progress
	// CallTimeout bounds each API call, its retries included (0: none).
	CallTimeout time.Duration
}

// Progress receives the state of each unit of work: one service in one
// region (region "global" for IAM, S3, Organizations and CloudFront). Calls come from
// several goroutines.
type Progress interface {
	// Plan announces the services to be read in a region, before any.
	Plan(region string, services []string)
	// Update reports done of total items (total 0 while unknown).
	Update(region, service string, done, total int)
	// Finish reports a unit as done, with what it read.
	Finish(unit inventory.CoverageUnit)
}

// GlobalRegion names the unit of work of global services in Progress.
const GlobalRegion = "global"

type noProgress struct{}

func (noProgress) Plan(string, []string)           {}
func (noProgress) Update(string, string, int, int) {}
func (noProgress) Finish(inventory.CoverageUnit)   {}

const defaultConcurrency = 16

// collector holds what every service collector needs.
type collector struct {
	cfg       aws.Config
	opts      Options
	account   string
	partition string
	regions   []string
	limit     int
}

// part is what one collector found. A part is filled by one collector
// (possibly from several goroutines, hence the mutex) and merged at the end.
type part struct {
	mu        sync.Mutex
	functions []inventory.Function
	roles     []inventory.Role
	policies  []inventory.ManagedPolicy
	resources []inventory.Resource
	triggers  []inventory.Trigger
	scps      []inventory.OrgPolicy
	warnings  []inventory.Warning
	// kms maps key ids, key ARNs and alias names of one region to the ARN
	// an inventory should use for them (see kms.go).
	kms map[string]string
	// iamDenied is set when roles could not be read.
	iamDenied string

	// The unit of work the part belongs to, and what check recorded:
	// the reason of each call not read, the gaps of its coverage, the
	// items deleted while read.
	region, service string
	calls           atomic.Int64
	reasons         map[call]string
	gaps            map[gapKey]*inventory.Gap
	gone            map[string]bool
	goneCount       int
	invalidCount    int
	regionDisabled  bool
}

// unitCalls is the context key of the counter of a unit's requests.
type unitCalls struct{}

// countCalls counts every request sent (each retry attempt included) on
// the counter of the unit whose context the call runs in.
func countCalls(stack *middleware.Stack) error {
	return stack.Finalize.Add(middleware.FinalizeMiddlewareFunc("lambdacheck.CountCalls", func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
		if n, ok := ctx.Value(unitCalls{}).(*atomic.Int64); ok {
			n.Add(1)
		}
		return next.HandleFinalize(ctx, in)
	}), middleware.After)
}

func newPart(region, service string) *part { return &part{region: region, service: service} }

// withPart runs the calls of ctx on p's counter.
func withPart(ctx context.Context, p *part) context.Context {
	return context.WithValue(ctx, unitCalls{}, &p.calls)
}

// items counts what the part put in the inventory.
func (p *part) items() int {
	return len(p.functions) + len(p.roles) + len(p.policies) + len(p.resources) + len(p.triggers) + len(p.scps)
}

// coverage is the part's coverage record.
func (p *part) coverage() inventory.CoverageUnit {
	u := inventory.CoverageUnit{Region: p.region, Service: p.service, Status: inventory.CoverageComplete,
		Items: p.items(), Calls: int(p.calls.Load()), Gone: p.goneCount, Invalid: p.invalidCount}
	for k, g := range p.gaps {
		if k.kind == inventory.WarningDenied {
			u.Denied = append(u.Denied, *g)
		} else {
			u.Failed = append(u.Failed, *g)
		}
		if u.Status == inventory.CoverageComplete {
			u.Status = inventory.CoveragePartial
		}
		if g.Listing {
			u.Status = inventory.CoverageNotRead
		}
	}
	if p.invalidCount > 0 && u.Status == inventory.CoverageComplete {
		u.Status = inventory.CoveragePartial
	}
	if p.regionDisabled {
		u.Status = inventory.CoverageRegionDisabled
	}
	for _, gs := range [][]inventory.Gap{u.Denied, u.Failed} {
		sort.Slice(gs, func(i, j int) bool {
			if gs[i].Operation != gs[j].Operation {
				return gs[i].Operation < gs[j].Operation
			}
			if gs[i].Code != gs[j].Code {
				return gs[i].Code < gs[j].Code
			}
			return gs[i].Listing && !gs[j].Listing
		})
	}
	return u
}

func (p *part) addResource(r inventory.Resource) {
	p.mu.Lock()
	p.resources = append(p.resources, r)
	p.mu.Unlock()
}

func (p *part) addTrigger(t ...inventory.Trigger) {
	p.mu.Lock()
	p.triggers = append(p.triggers, t...)
	p.mu.Unlock()
}

// regional is a collector of one service in one region.
type regional struct {
	service string
	run     func(ctx context.Context, c *collector, region string, p *part) error
}

// regionalCollectors run once per region.
var regionalCollectors = []regional{
	{"lambda", collectLambda},
	{"sns", collectSNS},
	{"sqs", collectSQS},
	{"eventbridge", collectEventBridge},
	{"scheduler", collectScheduler},
	{"apigateway", collectAPIGateway},
	{"apigatewayv2", collectAPIGatewayV2},
	{"dynamodb", collectDynamoDB},
	{"kinesis", collectKinesis},
	{"kms", collectKMS},
	{"logs", collectLogs},
	{"iot", collectIoT},
	{"cognito-idp", collectCognito},
	{"elasticloadbalancing", collectELB},
	{"states", collectStepFunctions},
	{"secretsmanager", collectSecretsManager},
	{"rds", collectRDS},
	{"ses", collectSES},
	{"config", collectConfigRules},
	{"firehose", collectFirehose},
	{"vpc-lattice", collectVPCLattice},
	{"bedrock", collectBedrock},
	{"codepipeline", collectCodePipeline},
	{"codecommit", collectCodeCommit},
	{"pipes", collectPipes},
	{"appsync", collectAppSync},
	{"connect", collectConnect},
	{"lex", collectLexV2},
	{"s3-object-lambda", collectS3ObjectLambda},
}

// globalCollectors run once per account.
var globalCollectors = []regional{
	{"iam", collectIAM},
	{"s3", collectS3},
	{"organizations", collectOrganizations},
	{"cloudfront", collectCloudFront},
}

// Collect reads the account cfg's credentials belong to into an
// inventory. Every client it builds is read-only. A call that is denied or
// fails, a disabled region, an item deleted while read: each is recorded
// (a warning, a gap in the inventory's coverage, unknowns on what the call
// would have filled) and the rest goes on. Only failing to identify the
// caller, the read-only guard refusing a call, and ctx's cancellation are
// returned as errors, with no inventory.
func Collect(ctx context.Context, cfg aws.Config, opts Options) (*inventory.Inventory, error) {
	if opts.Concurrency <= 0 {
		opts.Concurrency = defaultConcurrency
	}
	if opts.Progress == nil {
		opts.Progress = noProgress{}
	}
	cfg = ReadOnly(cfg)
	cfg.APIOptions = append(cfg.APIOptions, make(limiter, opts.Concurrency).middleware(), countCalls)
	if opts.CallTimeout > 0 {
		cfg.APIOptions = append(cfg.APIOptions, callTimeout(opts.CallTimeout))
	}
	c := &collector{cfg: cfg, opts: opts, limit: opts.Concurrency}

	id, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return nil, fmt.Errorf("identify the account (sts GetCallerIdentity at %s): %w", endpointOf(cfg), err)
	}
	c.account = aws.ToString(id.Account)
	c.partition = partitionOf(aws.ToString(id.Arn))
	identity := inventory.Identity{Account: c.account, ARN: aws.ToString(id.Arn)}

	home := newPart(GlobalRegion, "account")
	regions, err := c.resolveRegions(withPart(ctx, home), home)
	if err != nil {
		return nil, err
	}
	c.regions = regions

	// Probe each region once so a disabled region gives one warning, not
	// one per service. A probe that fails for another reason leaves the
	// region to be read: its services record their own failures.
	probes := make([]*part, len(regions))
	if err := forEach(ctx, c.limit, len(regions), func(ctx context.Context, i int) error {
		probes[i] = newPart(regions[i], "sts")
		return c.probeRegion(withPart(ctx, probes[i]), regions[i], probes[i])
	}); err != nil {
		return nil, err
	}

	type unit struct {
		region string
		coll   regional
		part   *part
	}
	var units []*unit
	for _, g := range globalCollectors {
		units = append(units, &unit{region: GlobalRegion, coll: g, part: newPart(GlobalRegion, g.service)})
	}
	for i, r := range regions {
		if probes[i].regionDisabled {
			continue
		}
		for _, rc := range regionalCollectors {
			units = append(units, &unit{region: r, coll: rc, part: newPart(r, rc.service)})
		}
	}
	planned := map[string][]string{}
	var plannedOrder []string
	for _, u := range units {
		if _, ok := planned[u.region]; !ok {
			plannedOrder = append(plannedOrder, u.region)
		}
		planned[u.region] = append(planned[u.region], u.coll.service)
	}
	for _, r := range plannedOrder {
		c.opts.Progress.Plan(r, planned[r])
	}
	if err := forEach(ctx, c.limit, len(units), func(ctx context.Context, i int) error {
		u := units[i]
		c.opts.Progress.Update(u.region, u.coll.service, 0, 0)
		if err := u.coll.run(withPart(ctx, u.part), c, u.region, u.part); err != nil {
			return err
		}
		c.opts.Progress.Finish(u.part.coverage())
		return nil
	}); err != nil {
		return nil, err
	}
	parts := []*part{home}
	parts = append(parts, probes...)
	for _, u := range units {
		parts = append(parts, u.part)
	}
	inv := c.assemble(parts)
	late := newPart(GlobalRegion, "lambda-versions")
	if err := c.qualifiedPolicies(withPart(ctx, late), inv, late); err != nil {
		return nil, err
	}
	inv.Warnings = append(inv.Warnings, late.warnings...)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	cov := inventory.Coverage{Identity: identity}
	for _, p := range append(parts, late) {
		if p.calls.Load() == 0 && len(p.gaps) == 0 && !p.regionDisabled && (p.service == "sts" || p.service == "account" || p.service == "lambda-versions") {
			continue // bookkeeping units that made no call
		}
		if p.service == "sts" && !p.regionDisabled && len(p.gaps) == 0 {
			continue // a region probe that answered: the region's units tell the rest
		}
		cov.Units = append(cov.Units, p.coverage())
	}
	sort.SliceStable(cov.Units, func(i, j int) bool {
		a, b := cov.Units[i], cov.Units[j]
		if a.Region != b.Region {
			return a.Region < b.Region
		}
		return a.Service < b.Service
	})
	inv.Coverage = []inventory.Coverage{cov}
	sortInventory(inv)
	return inv, nil
}

// endpointOf names where calls go, for errors that say the endpoint could
// not be reached.
func endpointOf(cfg aws.Config) string {
	if cfg.BaseEndpoint != nil && *cfg.BaseEndpoint != "" {
		return *cfg.BaseEndpoint
	}
	return "the AWS endpoint of " + cfg.Region
}

// forEach runs fn for 0..n-1 with at most limit at once; the first error
// cancels the rest.
func forEach(ctx context.Context, limit, n int, fn func(ctx context.Context, i int) error) error {
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(limit)
	for i := 0; i < n; i++ {
		g.Go(func() error {
			if err := ctx.Err(); err != nil {
				return err
			}
			return fn(ctx, i)
		})
	}
	return g.Wait()
}

// probeRegion asks the regional STS endpoint who we are: it answers only
// where the region is enabled for the account (p.regionDisabled is set
// otherwise).
func (c *collector) probeRegion(ctx context.Context, region string, p *part) error {
	_, err := sts.NewFromConfig(c.cfg, func(o *sts.Options) { o.Region = region }).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	_, fatal := p.check(call{c.account, region, "STS", "GetCallerIdentity", ""}, err)
	return fatal
}

// assemble merges the parts into one inventory and links items that refer
// to each other: KMS references to key ARNs, triggers to their functions
// and sources, functions to roles IAM could not describe.
func (c *collector) assemble(parts []*part) *inventory.Inventory {
	inv := &inventory.Inventory{
		Schema: inventory.SchemaVersion, Source: inventory.Source{Kind: "aws"},
		Partition: c.partition, Account: c.account,
	}
	if len(c.regions) > 0 {
		inv.Region = c.regions[0]
	}
	kms := map[string]string{}
	iamDenied := ""
	reasons := map[call]string{}
	gone := map[string]bool{}
	for _, p := range parts {
		for k, v := range p.reasons {
			reasons[k] = v
		}
		for k := range p.gone {
			gone[k] = true
		}
		inv.Functions = append(inv.Functions, p.functions...)
		inv.Roles = append(inv.Roles, p.roles...)
		inv.Policies = append(inv.Policies, p.policies...)
		inv.Resources = append(inv.Resources, p.resources...)
		inv.Triggers = append(inv.Triggers, p.triggers...)
		inv.SCPs = append(inv.SCPs, p.scps...)
		inv.Warnings = append(inv.Warnings, p.warnings...)
		for k, v := range p.kms {
			kms[k] = v
		}
		if p.iamDenied != "" {
			iamDenied = p.iamDenied
		}
	}
	if len(gone) > 0 {
		dropGone(inv, gone)
	}
	reasonOf := func(w inventory.Warning) string {
		if r, ok := reasons[call{w.Account, w.Region, w.Service, w.Operation, w.Resource}]; ok {
			return r
		}
		return w.Message
	}
	inv.Triggers = append(inv.Triggers, c.gapTriggers(inv.Warnings, reasonOf)...)
	for i := range inv.Resources {
		r := &inv.Resources[i]
		r.KMSKeyARN = c.keyARN(kms, r.Region, r.KMSKeyARN)
	}
	for i := range inv.Functions {
		f := &inv.Functions[i]
		f.KMSKeyARN = c.keyARN(kms, f.Region, f.KMSKeyARN)
	}
	fns := map[string]bool{}
	for _, f := range inv.Functions {
		fns[f.ARN] = true
	}
	res := map[string]bool{}
	for _, r := range inv.Resources {
		res[r.ARN] = true
	}
	for i := range inv.Triggers {
		t := &inv.Triggers[i]
		if fns[t.FunctionARN] {
			t.FunctionAddress = t.FunctionARN
		}
		if t.SourceAddress == "" && res[t.SourceARN] {
			t.SourceAddress = t.SourceARN
		}
	}
	inv.Resources = append(inv.Resources, gapSources(inv, inv.Warnings, reasonOf)...)
	if iamDenied != "" {
		inv.Roles = append(inv.Roles, unknownRoles(inv, iamDenied)...)
	}
	return inv
}

// dropGone leaves out the functions and resources deleted while the account
// was read (each has a warning of kind gone).
func dropGone(inv *inventory.Inventory, gone map[string]bool) {
	fns := inv.Functions[:0]
	for _, f := range inv.Functions {
		if !gone[f.ARN] {
			fns = append(fns, f)
		}
	}
	inv.Functions = fns
	res := inv.Resources[:0]
	for _, r := range inv.Resources {
		if !gone[r.ARN] && (r.URL == "" || !gone[r.URL]) {
			res = append(res, r)
		}
	}
	inv.Resources = res
	trs := inv.Triggers[:0]
	for _, t := range inv.Triggers {
		if !gone[t.Address] {
			trs = append(trs, t)
		}
	}
	inv.Triggers = trs
}

// unknownRoles stands in for the execution roles of functions when IAM
// could not be read, so the gap shows as unknown on each role.
func unknownRoles(inv *inventory.Inventory, why string) []inventory.Role {
	known := map[string]bool{}
	for _, r := range inv.Roles {
		known[r.ARN] = true
	}
	var out []inventory.Role
	for _, f := range inv.Functions {
		if f.Role == "" || known[f.Role] {
			continue
		}
		known[f.Role] = true
		r := inventory.Role{Origin: inventory.Origin{Address: f.Role}, External: true, ARN: f.Role, Account: accountOf(f.Role)}
		r.Name = f.Role[strings.LastIndexByte(f.Role, '/')+1:]
		for _, field := range []string{"trust_policy", "inline_policies", "attached_policies", "permissions_boundary"} {
			r.Unknown = append(r.Unknown, inventory.Unknown{Field: field, Reason: why})
		}
		out = append(out, r)
	}
	return out
}

// sortInventory orders every list by ARN (the address of live items), so
// the snapshot diffs.
func sortInventory(inv *inventory.Inventory) {
	sort.SliceStable(inv.Functions, func(i, j int) bool { return inv.Functions[i].ARN < inv.Functions[j].ARN })
	sort.SliceStable(inv.Roles, func(i, j int) bool { return inv.Roles[i].ARN < inv.Roles[j].ARN })
	sort.SliceStable(inv.Policies, func(i, j int) bool { return inv.Policies[i].ARN < inv.Policies[j].ARN })
	sort.SliceStable(inv.Resources, func(i, j int) bool { return inv.Resources[i].ARN < inv.Resources[j].ARN })
	sort.SliceStable(inv.SCPs, func(i, j int) bool { return inv.SCPs[i].ID < inv.SCPs[j].ID })
	sort.SliceStable(inv.Triggers, func(i, j int) bool {
		a, b := inv.Triggers[i], inv.Triggers[j]
		if a.Address != b.Address {
			return a.Address < b.Address
		}
		if a.SourceARN != b.SourceARN {
			return a.SourceARN < b.SourceARN
		}
		return a.Target < b.Target
	})
	sort.SliceStable(inv.Warnings, func(i, j int) bool {
		a, b := inv.Warnings[i], inv.Warnings[j]
		for _, k := range [][2]string{{a.Region, b.Region}, {a.Service, b.Service}, {a.Operation, b.Operation}, {a.Resource, b.Resource}} {
			if k[0] != k[1] {
				return k[0] < k[1]
			}
		}
		return a.Message < b.Message
	})
}

// arnParts splits an ARN into partition, service, region, account and
// resource.
func arnParts(arn string) (partition, service, region, account, resource string, ok bool) {
	p := strings.SplitN(arn, ":", 6)
	if len(p) != 6 || p[0] != "arn" {
		return "", "", "", "", "", false
	}
	return p[1], p[2], p[3], p[4], p[5], true
}

func partitionOf(arn string) string {
	if p, _, _, _, _, ok := arnParts(arn); ok && p != "" {
		return p
	}
	return "aws"
}

func accountOf(arn string) string {
	_, _, _, a, _, _ := arnParts(arn)
	return a
}

func regionOf(arn string) string {
	_, _, r, _, _, _ := arnParts(arn)
	return r
}

// lastPart is the name at the end of an ARN's resource.
func lastPart(arn string) string {
	if i := strings.LastIndexAny(arn, ":/"); i >= 0 {
		return arn[i+1:]
	}
	return arn
}

func setAttr(r *inventory.Resource, k, v string) {
	if v == "" {
		return
	}
	if r.Attributes == nil {
		r.Attributes = map[string]string{}
	}
	r.Attributes[k] = v
}

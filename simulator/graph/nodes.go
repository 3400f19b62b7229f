package graph

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/lambdacheck/lambdacheck/analyzer/awsref"
	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
	"github.com/lambdacheck/lambdacheck/simulator/flow"
)

// index names things: which addresses and ARNs are functions, which
// resource an ARN (or stream ARN) belongs to, which functions run as a role.
type index struct {
	account  string
	fnAddr   map[string]string // function address or unqualified/alias ARN → address
	fnARN    map[string]string // function address → unqualified ARN
	fnByRole map[string][]string
	res      map[string]*inventory.Resource // by address
	resByARN map[string]*inventory.Resource // by ARN and stream ARN
}

func newIndex(res *flow.Result, inv *inventory.Inventory) *index {
	x := &index{
		fnAddr:   map[string]string{},
		fnARN:    map[string]string{},
		fnByRole: map[string][]string{},
		res:      map[string]*inventory.Resource{},
		resByARN: map[string]*inventory.Resource{},
	}
	addFn := func(addr, arn string) {
		arn = unqualified(arn)
		if addr == "" {
			addr = arn
		}
		if addr == "" {
			return
		}
		x.fnAddr[addr] = addr
		if arn != "" {
			if _, ok := x.fnAddr[arn]; !ok {
				x.fnAddr[arn] = addr
			}
			if _, ok := x.fnARN[addr]; !ok {
				x.fnARN[addr] = arn
			}
		}
	}
	if inv != nil {
		x.account = inv.Account
		for i := range inv.Functions {
			f := &inv.Functions[i]
			addFn(f.Address, f.ARN)
			for _, a := range f.Aliases {
				if a.ARN != "" {
					x.fnAddr[a.ARN] = nonEmpty(f.Address, unqualified(f.ARN))
				}
			}
			if f.Role != "" {
				x.fnByRole[f.Role] = append(x.fnByRole[f.Role], nonEmpty(f.Address, unqualified(f.ARN)))
			}
		}
		for i := range inv.Resources {
			r := &inv.Resources[i]
			if r.Address != "" {
				x.res[r.Address] = r
			}
			if r.ARN != "" {
				x.resByARN[r.ARN] = r
			}
			for _, s := range r.StreamARNs {
				x.resByARN[s] = r
			}
		}
	}
	for i := range res.Flows {
		f := &res.Flows[i]
		switch {
		case f.Trigger != nil:
			addFn(f.Trigger.Function.Address, f.Trigger.Function.ARN)
		case f.Function != nil:
			addFn(f.Function.Address, f.Function.ARN)
		case f.Target != nil && isFunctionARN(f.Target.ARN):
			addFn(f.Target.Address, f.Target.ARN)
		}
	}
	return x
}

// functionAddress is the address of the function s names (an address, an
// ARN, a qualified or alias ARN), or "" when s is not a known function.
func (b *builder) functionAddress(s string) string {
	if s == "" {
		return ""
	}
	if a, ok := b.idx.fnAddr[s]; ok {
		return a
	}
	return b.idx.fnAddr[unqualified(s)]
}

func (b *builder) node(key string, n Node) string {
	if _, ok := b.nodes[key]; !ok {
		n.key = key
		b.nodes[key] = &n
	}
	return key
}

// function is the node of a function.
func (b *builder) function(ref flow.FunctionRef) string {
	addr := b.functionAddress(nonEmpty(ref.Address, ref.ARN))
	if addr == "" {
		addr = nonEmpty(ref.Address, unqualified(ref.ARN))
	}
	key := "fn\x00" + addr
	if _, ok := b.nodes[key]; ok {
		return key
	}
	n := Node{Kind: Function, Label: shortAddress(addr), ARN: b.idx.fnARN[addr]}
	if !strings.HasPrefix(addr, "arn:") {
		n.Address = addr
	}
	if n.ARN == "" {
		n.ARN = unqualified(ref.ARN)
	}
	return b.node(key, n)
}

// unresolved is the node of a trigger's target that could not be resolved.
func (b *builder) unresolved(t *flow.Trigger) string {
	return b.node("fn?\x00"+t.Address, Node{
		Kind: Function, Label: "unresolved target of " + shortAddress(t.Address), Unresolved: true,
	})
}

// source is the node of a trigger's source.
func (b *builder) source(t *flow.Trigger) string {
	if addr := b.functionAddress(nonEmpty(t.Source.Address, t.Source.ARN)); addr != "" {
		return b.function(flow.FunctionRef{Ref: flow.Ref{Address: addr}})
	}
	if t.Source.Address == "" && t.Source.ARN == "" {
		// A self-managed source (a Kafka cluster outside AWS) has no ARN:
		// name it after the trigger that reads it.
		svc := serviceOf("", t.Type, "")
		return b.node("src?\x00"+t.Address, Node{Group: serviceName(svc), Label: "self-managed source of " + shortAddress(t.Address), Outside: true, svc: svc})
	}
	return b.thing(t.Source, t.Type, false)
}

// resource is the node an access flow reaches.
func (b *builder) resource(ref flow.Ref, outside bool) string {
	if ref.ARN == "*" && ref.Address == "" {
		return b.node("any", Node{Group: serviceName("*"), Label: "any resource (*)", ARN: "*", Outside: true})
	}
	if addr := b.functionAddress(nonEmpty(ref.Address, ref.ARN)); addr != "" {
		return b.function(flow.FunctionRef{Ref: flow.Ref{Address: addr}})
	}
	return b.thing(ref, "", outside)
}

// thing is the node of a source or resource: the inventory resource it
// belongs to when known (so a table and its stream, a bucket and its
// objects are one node), otherwise the ARN it names.
func (b *builder) thing(ref flow.Ref, triggerType string, outside bool) string {
	addr := ref.Address
	r := b.idx.res[addr]
	if r == nil && addr == "" {
		r = b.idx.lookupARN(ref.ARN)
		if r != nil {
			addr = r.Address
		}
	}
	if addr != "" && !strings.HasPrefix(addr, "arn:") {
		key := "res\x00" + addr
		if _, ok := b.nodes[key]; ok {
			return key
		}
		arn, known := ref.ARN, ""
		if r != nil {
			arn, known = nonEmpty(r.ARN, arn), r.Service
		}
		// The ARN says most (a layer is not a function); the inventory's
		// service and the trigger or Terraform type cover what has none.
		svc := nonEmpty(serviceOf(arn, "", ""), nonEmpty(known, serviceOf("", triggerType, addr)))
		ext := r != nil && r.External
		return b.node(key, Node{Group: serviceName(svc), Label: shortAddress(addr), Address: addr, ARN: arn, Outside: ext, svc: svc})
	}
	arn := normalizeARN(nonEmpty(ref.ARN, addr))
	key := "arn\x00" + arn
	if _, ok := b.nodes[key]; ok {
		return key
	}
	svc := serviceOf(arn, triggerType, "")
	label := shortARN(arn)
	if a, ok := parseARN(arn); ok && a.account != "" && b.idx.account != "" && a.account != b.idx.account {
		label += " (account " + a.account + ")"
	}
	return b.node(key, Node{Group: serviceName(svc), Label: label, ARN: arn, Outside: outside || r == nil, svc: svc})
}

// resourceSet is the node of the resources an aggregated access flow
// covers: one node per resource type and pattern, whichever functions'
// grants reach it, labelled with the largest count seen.
func (b *builder) resourceSet(c *flow.Coverage) string {
	key := "set\x00" + c.Type + "\x00" + c.Pattern
	svc, _, _ := strings.Cut(c.Type, " ")
	if n, ok := b.nodes[key]; ok {
		if c.Count > n.count {
			n.count = c.Count
			n.Label = setLabel(c)
		}
		return key
	}
	b.node(key, Node{Group: serviceName(svc), Label: setLabel(c), ARN: c.Pattern, svc: svc})
	b.nodes[key].count = c.Count
	return key
}

func setLabel(c *flow.Coverage) string {
	return fmt.Sprintf("every %s matching %s (%d known)", c.Type, c.Pattern, c.Count)
}

// lookupARN finds the inventory resource an ARN names or lies under (a
// DynamoDB stream or index under its table).
func (x *index) lookupARN(arn string) *inventory.Resource {
	if arn == "" {
		return nil
	}
	if r := x.resByARN[arn]; r != nil {
		return r
	}
	if n := normalizeARN(arn); n != arn {
		return x.resByARN[n]
	}
	return nil
}

// principal is the node of an outside principal of a reach flow.
func (b *builder) principal(f *flow.Flow) string {
	const group = "Outside principals"
	p := f.Principal
	switch {
	case f.Reach == "public" || f.Reach == "public-url" || p == "*":
		return b.node("who\x00*", Node{Kind: Entry, Group: group, Label: "anyone (public)", Outside: true, Principal: true, svc: "public"})
	case awsref.IsAccountID(p):
		return b.node("who\x00"+p, Node{Kind: Entry, Group: group, Label: "account " + p, Outside: true, Principal: true, svc: "account"})
	case strings.HasPrefix(p, "arn:"):
		return b.node("who\x00"+p, Node{Kind: Entry, Group: group, Label: shortARN(p), ARN: p, Outside: true, Principal: true, svc: "principal"})
	}
	return b.node("who\x00"+p, Node{Kind: Entry, Group: group, Label: p, Outside: true, Principal: true, svc: "service"})
}

// arn is a parsed ARN.
type arn struct {
	partition, service, region, account, resource string
}

func parseARN(s string) (arn, bool) {
	if !strings.HasPrefix(s, "arn:") {
		return arn{}, false
	}
	p := strings.SplitN(s, ":", 6)
	if len(p) != 6 {
		return arn{}, false
	}
	return arn{p[1], p[2], p[3], p[4], p[5]}, true
}

func (a arn) String() string {
	return "arn:" + a.partition + ":" + a.service + ":" + a.region + ":" + a.account + ":" + a.resource
}

func isFunctionARN(s string) bool {
	a, ok := parseARN(s)
	return ok && a.service == "lambda" && strings.HasPrefix(a.resource, "function:")
}

// unqualified strips the version or alias from a function ARN.
func unqualified(s string) string {
	a, ok := parseARN(s)
	if !ok || a.service != "lambda" || !strings.HasPrefix(a.resource, "function:") {
		return s
	}
	name, _, _ := strings.Cut(strings.TrimPrefix(a.resource, "function:"), ":")
	a.resource = "function:" + name
	return a.String()
}

// normalizeARN folds sub-resources into the resource a reader thinks of:
// S3 objects into their bucket, DynamoDB streams and indexes into their
// table, Kinesis consumers into their stream, log streams into their group,
// function versions into their function.
func normalizeARN(s string) string {
	a, ok := parseARN(s)
	if !ok {
		return s
	}
	switch a.service {
	case "s3":
		a.resource, _, _ = strings.Cut(a.resource, "/")
	case "dynamodb", "kinesis":
		parts := strings.SplitN(a.resource, "/", 3)
		if len(parts) == 3 {
			a.resource = parts[0] + "/" + parts[1]
		}
	case "logs":
		if rest, ok := strings.CutPrefix(a.resource, "log-group:"); ok {
			name, _, _ := strings.Cut(rest, ":")
			a.resource = "log-group:" + name
		}
	case "lambda":
		return unqualified(s)
	}
	return a.String()
}

// shortARN is the part of an ARN a reader needs: the resource name, without
// the type prefix where the service has one main type.
func shortARN(s string) string {
	a, ok := parseARN(s)
	if !ok {
		return s
	}
	r := a.resource
	switch a.service {
	case "lambda":
		r = strings.TrimPrefix(r, "function:")
	case "logs":
		r = strings.TrimPrefix(r, "log-group:")
	case "dynamodb":
		r = strings.TrimPrefix(r, "table/")
	case "kinesis":
		r = strings.TrimPrefix(r, "stream/")
	case "iam":
		r = strings.TrimPrefix(r, "role/")
	}
	if r == "" {
		return s
	}
	return r
}

// shortAddress drops the resource type from a Terraform address
// (aws_s3_bucket.uploads → uploads, module.m.aws_sqs_queue.q[0] →
// module.m.q[0]); the node's group already says the type. ARNs (addresses
// of live sources) are shortened as ARNs.
func shortAddress(addr string) string {
	if strings.HasPrefix(addr, "arn:") {
		return shortARN(addr)
	}
	segs := splitAddress(addr)
	var out []string
	i := 0
	for i+1 < len(segs) && segs[i] == "module" {
		out = append(out, "module", segs[i+1])
		i += 2
	}
	rest := segs[i:]
	if len(rest) == 3 && rest[0] == "data" {
		rest = rest[1:]
	}
	if len(rest) == 2 {
		rest = rest[1:]
	}
	out = append(out, rest...)
	if s := strings.Join(out, "."); s != "" {
		return s
	}
	return addr
}

// splitAddress splits an address at the dots outside index brackets, so
// fn["a.b"] stays one segment.
func splitAddress(addr string) []string {
	var segs []string
	depth, quoted, start := 0, false, 0
	for i := 0; i < len(addr); i++ {
		switch c := addr[i]; {
		case quoted && c == '\\':
			i++
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == '[':
			depth++
		case c == ']' && depth > 0:
			depth--
		case c == '.' && depth == 0:
			segs = append(segs, addr[start:i])
			start = i + 1
		}
	}
	return append(segs, addr[start:])
}

// serviceOf is the service of a node: from its ARN, a function URL, the
// trigger type, or the Terraform type of its address.
func serviceOf(s, triggerType, addr string) string {
	if a, ok := parseARN(s); ok && a.service != "" {
		if a.service == "lambda" && strings.HasPrefix(a.resource, "layer:") {
			return "lambda-layer"
		}
		return a.service
	}
	if strings.Contains(s, ".lambda-url.") {
		return "lambda-url"
	}
	if svc, ok := triggerServices[triggerType]; ok {
		return svc
	}
	segs := splitAddress(addr)
	for i := len(segs) - 2; i >= 0; i-- {
		if svc, ok := typeServices[segs[i]]; ok {
			return svc
		}
	}
	return ""
}

var triggerServices = map[string]string{
	"function_url": "lambda-url", "apigateway": "execute-api", "apigatewayv2": "execute-api",
	"eventbridge": "events", "schedule": "events", "scheduler": "scheduler", "alarm": "cloudwatch",
	"cognito": "cognito-idp", "sfn": "states", "alb": "elasticloadbalancing", "s3": "s3", "sns": "sns",
	"sqs": "sqs", "kinesis": "kinesis", "dynamodb": "dynamodb", "logs": "logs", "iot": "iot", "ses": "ses",
}

var typeServices = map[string]string{
	"aws_lambda_function_url": "lambda-url", "aws_api_gateway_rest_api": "execute-api",
	"aws_apigatewayv2_api": "execute-api", "aws_cloudwatch_event_rule": "events",
	"aws_scheduler_schedule": "scheduler", "aws_cloudwatch_metric_alarm": "cloudwatch",
	"aws_cognito_user_pool": "cognito-idp", "aws_sfn_state_machine": "states",
	"aws_lb_target_group": "elasticloadbalancing", "aws_alb_target_group": "elasticloadbalancing",
	"aws_iot_topic_rule": "iot", "aws_s3_bucket": "s3", "aws_sqs_queue": "sqs", "aws_sns_topic": "sns",
	"aws_dynamodb_table": "dynamodb", "aws_kinesis_stream": "kinesis", "aws_kms_key": "kms",
	"aws_secretsmanager_secret": "secretsmanager", "aws_cloudwatch_log_group": "logs", "aws_iam_role": "iam",
}

var serviceNames = map[string]string{
	"*": "Any resource", "any": "Any resource",
	"s3": "S3", "sqs": "SQS", "sns": "SNS", "dynamodb": "DynamoDB", "kinesis": "Kinesis", "kms": "KMS",
	"secretsmanager": "Secrets Manager", "ssm": "Systems Manager", "lambda": "Lambda",
	"lambda-url": "Function URLs", "lambda-layer": "Lambda layers", "execute-api": "API Gateway", "events": "EventBridge",
	"scheduler": "EventBridge Scheduler", "states": "Step Functions", "cognito-idp": "Cognito",
	"elasticloadbalancing": "Load balancers", "logs": "CloudWatch Logs", "cloudwatch": "CloudWatch alarms",
	"iot": "IoT", "ses": "SES", "iam": "IAM", "firehose": "Data Firehose", "kafka": "MSK", "mq": "Amazon MQ",
	"rds": "RDS", "ec2": "EC2", "appsync": "AppSync", "xray": "X-Ray", "sts": "STS",
}

// serviceName is the display name of a service group.
func serviceName(svc string) string {
	if n, ok := serviceNames[svc]; ok {
		return n
	}
	if svc == "" {
		return "Other"
	}
	return svc
}

// assignIDs gives each node (already in final order) an id made of its
// column, service and label, made unique by a numeric suffix in order.
func assignIDs(nodes []Node) {
	used := map[string]bool{}
	for i := range nodes {
		n := &nodes[i]
		prefix := "r"
		switch n.Kind {
		case Entry:
			prefix = "e"
		case Function:
			prefix = "f"
		}
		base := prefix + "_" + Sanitize(n.Label)
		if n.svc != "" {
			base = prefix + "_" + Sanitize(n.svc) + "_" + Sanitize(n.Label)
		}
		n.ID = UniqueID(base, used)
	}
}

// maxIDLen keeps ids readable in the emitted source; uniqueness does not
// depend on it.
const maxIDLen = 64

// Sanitize maps s to [A-Za-z0-9_]*: runs of other characters become one
// underscore, leading and trailing underscores go.
func Sanitize(s string) string {
	var b strings.Builder
	under := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
			if under && b.Len() > 0 {
				b.WriteByte('_')
			}
			under = false
			b.WriteByte(c)
			continue
		}
		under = true
	}
	out := b.String()
	if len(out) > maxIDLen {
		out = strings.TrimRight(out[:maxIDLen], "_")
	}
	return out
}

// UniqueID returns base, or base_2, base_3 … when taken, and records it.
func UniqueID(base string, used map[string]bool) string {
	base = strings.TrimRight(base, "_")
	if base == "" {
		base = "n"
	}
	id := base
	for i := 2; used[id]; i++ {
		id = base + "_" + strconv.Itoa(i)
	}
	used[id] = true
	return id
}

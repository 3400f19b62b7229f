// Package eventsource is the simulator's reference of how AWS services reach
// a Lambda function: which service principal a push source invokes as, which
// services invoke with a role of their own, which actions an event source
// mapping needs on its source, and which actions destinations need. The data
// is generated from the shared reference (go generate) and embedded.
package eventsource

//go:generate go run ./internal/gen -data ../../../shared/data -out sources.json

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
)

//go:embed sources.json
var sourcesJSON []byte

type reference struct {
	ResourcePolicyInvokers []struct {
		Service                string `json:"service"`
		Principal              string `json:"principal"`
		SourceAccountCondition bool   `json:"sourceAccountCondition"`
		EventSourceToken       string `json:"eventSourceToken"`
	} `json:"resourcePolicyInvokers"`
	RoleBasedInvokers []struct {
		Service            string   `json:"service"`
		RoleTrustPrincipal *string  `json:"roleTrustPrincipal"`
		RoleActions        []string `json:"roleActions"`
	} `json:"roleBasedInvokers"`
	EventSourceMappings []struct {
		Service            string            `json:"service"`
		RequiredActions    []string          `json:"requiredActions"`
		ConditionalActions map[string]string `json:"conditionalActions"`
	} `json:"eventSourceMappings"`
	ExecutionRoleRequirements map[string]struct {
		Actions         []string            `json:"actions"`
		ActionsByTarget map[string][]string `json:"actionsByTarget"`
	} `json:"executionRoleRequirements"`
}

// Push describes a source that invokes through the function's resource policy.
type Push struct {
	// Principal is the service principal the source invokes as; "${Region}"
	// stands for the source's region.
	Principal string
	// Forms are every principal a permission may name for the source (the
	// global and, where AWS documents one, the regional form).
	Forms []string
	// SourceAccountCondition: the source ARN carries no account id (S3, SES)
	// or AWS recommends aws:SourceAccount to prevent confused-deputy use.
	SourceAccountCondition bool
	// TokenPin: the source has no ARN and is pinned by the
	// lambda:EventSourceToken condition (the Alexa skill id), which the
	// trigger carries as its filter expression.
	TokenPin bool
}

// RoleInvoker describes a service that invokes with a role of its own.
type RoleInvoker struct {
	TrustPrincipal string   // the service principal the role must trust
	Actions        []string // what the role must be allowed on the function
	// RegionalForm, when set, is a regional principal a trust policy may
	// name instead ("${Region}" stands for the service's region).
	RegionalForm string
}

// regionalRoleForms are the regional principals a role invoker's trust
// may name, by trigger type:
//
//   - sfn: "states.REGION.amazonaws.com" — the form the AWS Step Functions
//     Developer Guide's role examples used before "states.amazonaws.com",
//     still accepted and still found in AWS's own samples (the serverless
//     patterns collection's sfn-lambda-lambda trusts
//     states.${AWS::Region}.amazonaws.com).
var regionalRoleForms = map[string]string{
	"sfn": "states.${Region}.amazonaws.com",
}

// Poll describes an event source mapping's needs on its source.
type Poll struct {
	// Actions are the actions Lambda checks when it polls the source: a
	// denied one stops the mapping.
	Actions []string
	// Advised are actions the AWS managed execution-role policy lists but
	// Lambda does not need to poll a source it is given by ARN: a missing
	// one is worth a note, never a denial.
	Advised []string
	// KMSDecrypt: a source encrypted with a customer managed key also needs
	// kms:Decrypt on that key.
	KMSDecrypt bool
}

// Reference is the decoded, immutable reference.
type Reference struct {
	push         map[string]Push
	roles        map[string]RoleInvoker
	poll         map[string]Poll
	destinations map[string][]string // target service → actions (async destinations)
	dlq          map[string][]string
	esmFailure   map[string][]string
	features     map[string][]string
}

// Trigger types (docs/flows.md) of push sources, by service principal.
var pushTypes = map[string][]string{
	"s3.amazonaws.com":                       {"s3"},
	"sns.amazonaws.com":                      {"sns"},
	"events.amazonaws.com":                   {"eventbridge", "schedule"},
	"apigateway.amazonaws.com":               {"apigateway", "apigatewayv2"},
	"elasticloadbalancing.amazonaws.com":     {"alb"},
	"vpc-lattice.amazonaws.com":              {"vpc_lattice"},
	"logs.amazonaws.com":                     {"logs"},
	"lambda.alarms.cloudwatch.amazonaws.com": {"alarm"},
	"iot.amazonaws.com":                      {"iot"},
	"iotevents.amazonaws.com":                {"iotevents"},
	"cognito-idp.amazonaws.com":              {"cognito"},
	"alexa-appkit.amazon.com":                {"alexa"},
	"alexa-connectedhome.amazon.com":         {"alexa_smart_home"},
	"ses.amazonaws.com":                      {"ses"},
	"secretsmanager.amazonaws.com":           {"secretsmanager"},
	"config.amazonaws.com":                   {"config"},
	"codecommit.amazonaws.com":               {"codecommit"},
	"lex.amazonaws.com":                      {"lex"},
	"lexv2.amazonaws.com":                    {"lexv2"},
	"connect.amazonaws.com":                  {"connect"},
	"bedrock.amazonaws.com":                  {"bedrock"},
	"pinpoint.${Region}.amazonaws.com":       {"pinpoint"},
}

// regionalForms lists, by trigger type, the principal forms a permission
// may name besides the reference's principal, as AWS documents them:
//
//   - logs: "logs.amazonaws.com" and "logs.REGION.amazonaws.com" (Amazon
//     CloudWatch Logs User Guide, "Subscription filters with AWS Lambda":
//     its add-permission example has named both over time, and both keep
//     working).
//   - pinpoint: "pinpoint.REGION.amazonaws.com" is the reference's principal
//     (Amazon Pinpoint Developer Guide, "Customizing segments with AWS
//     Lambda"); no global form is documented.
var regionalForms = map[string][]string{
	"logs": {"logs.${Region}.amazonaws.com"},
}

// PrincipalsIn returns the principals a permission may name for the source,
// for a source in region (the canonical one first).
func (p Push) PrincipalsIn(region string) []string {
	forms := p.Forms
	if len(forms) == 0 {
		forms = []string{p.Principal}
	}
	out := make([]string, 0, len(forms))
	for _, f := range forms {
		if strings.Contains(f, "${Region}") {
			if region == "" {
				continue
			}
			f = strings.ReplaceAll(f, "${Region}", region)
		}
		out = append(out, f)
	}
	return out
}

// extraRoleInvokers are role-based invokers the shared reference does not
// list, by trigger type:
//
//   - codedeploy: the PreTraffic and PostTraffic hooks of a Lambda
//     deployment are functions CodeDeploy invokes with its service role
//     (AWS CodeDeploy User Guide, "AppSpec 'hooks' section for an AWS Lambda
//     deployment"; the role trusts codedeploy.amazonaws.com, and the AWS
//     managed policy AWSCodeDeployRoleForLambda allows lambda:InvokeFunction
//     on functions named CodeDeployHook_* only).
var extraRoleInvokers = map[string]RoleInvoker{
	"codedeploy": {TrustPrincipal: "codedeploy.amazonaws.com", Actions: []string{"lambda:InvokeFunction"}},
}

// Trigger types of role-based invokers, by the principal their role trusts.
var roleTypes = map[string]string{
	"states.amazonaws.com":             "sfn",
	"scheduler.amazonaws.com":          "scheduler",
	"pipes.amazonaws.com":              "pipes",
	"firehose.amazonaws.com":           "firehose",
	"codepipeline.amazonaws.com":       "codepipeline",
	"batchoperations.s3.amazonaws.com": "s3_batch",
	"appsync.amazonaws.com":            "appsync",
	"rds.amazonaws.com":                "rds",
}

// Trigger types of event source mappings, by the reference's service name.
var pollTypes = map[string]string{
	"Amazon SQS":                         "sqs",
	"Amazon Kinesis Data Streams":        "kinesis",
	"Amazon DynamoDB Streams":            "dynamodb",
	"Amazon MSK":                         "kafka",
	"Self-managed Apache Kafka":          "self_managed_kafka",
	"Amazon MQ (ActiveMQ and RabbitMQ)":  "mq",
	"Amazon DocumentDB (change streams)": "docdb",
}

// advisedOnly lists, per mapping type, the actions of the shared reference
// (which transcribes the AWS managed AWSLambda*ExecutionRole policies) that
// Lambda does not check when it polls. The required lists per source are:
//
//   - Kinesis: DescribeStream, DescribeStreamSummary, GetRecords,
//     GetShardIterator, ListShards, SubscribeToShard (AWS Lambda Developer
//     Guide, "Process Amazon Kinesis Data Streams records with Lambda"); the
//     managed policy AWSLambdaKinesisExecutionRole adds ListStreams.
//   - DynamoDB Streams: DescribeStream, GetRecords, GetShardIterator on the
//     stream. AWS's own example policy (Amazon DynamoDB Developer Guide,
//     "IAM policy to allow an AWS Lambda function to access DynamoDB stream
//     records") grants ListStreams only on table/NAME/stream/*; ListStreams
//     has no resource type, so that grant never authorises it, and the
//     example works: Lambda does not list streams to poll a known one.
//   - SQS (Lambda Developer Guide, "Using Lambda with Amazon SQS"), MSK
//     ("Lambda execution role permissions for Amazon MSK"), self-managed
//     Kafka ("Configuring Lambda execution role permissions"), Amazon MQ
//     ("Using Lambda with Amazon MQ") and DocumentDB ("Using Lambda with
//     Amazon DocumentDB"): the reference's required lists are the pages'
//     required permissions, so nothing is advice only.
var advisedOnly = map[string][]string{
	"kinesis":  {"kinesis:ListStreams"},
	"dynamodb": {"dynamodb:ListStreams"},
}

// Default returns the embedded reference, decoded once.
var Default = sync.OnceValue(func() *Reference {
	r, err := decode(sourcesJSON)
	if err != nil {
		// The embedded file is generated and tested; failing here is a build defect.
		panic(err)
	}
	return r
})

func decode(data []byte) (*Reference, error) {
	var doc reference
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("decode event-source reference: %w", err)
	}
	r := &Reference{push: map[string]Push{}, roles: map[string]RoleInvoker{}, poll: map[string]Poll{}, features: map[string][]string{}}
	for _, p := range doc.ResourcePolicyInvokers {
		for _, t := range pushTypes[p.Principal] {
			forms := append([]string{p.Principal}, regionalForms[t]...)
			r.push[t] = Push{Principal: p.Principal, Forms: forms, SourceAccountCondition: p.SourceAccountCondition, TokenPin: p.EventSourceToken != ""}
		}
	}
	for _, ri := range doc.RoleBasedInvokers {
		if ri.RoleTrustPrincipal == nil {
			continue
		}
		if t, ok := roleTypes[*ri.RoleTrustPrincipal]; ok {
			r.roles[t] = RoleInvoker{TrustPrincipal: *ri.RoleTrustPrincipal, Actions: ri.RoleActions, RegionalForm: regionalRoleForms[t]}
		}
	}
	for t, ri := range extraRoleInvokers {
		if _, ok := r.roles[t]; !ok {
			r.roles[t] = ri
		}
	}
	for _, m := range doc.EventSourceMappings {
		t, ok := pollTypes[m.Service]
		if !ok {
			continue
		}
		_, kms := m.ConditionalActions["kms:Decrypt"]
		p := Poll{KMSDecrypt: kms}
		for _, a := range m.RequiredActions {
			if slices.Contains(advisedOnly[t], a) {
				p.Advised = append(p.Advised, a)
			} else {
				p.Actions = append(p.Actions, a)
			}
		}
		r.poll[t] = p
	}
	for name, req := range doc.ExecutionRoleRequirements {
		switch name {
		case "asyncDestinations":
			r.destinations = req.ActionsByTarget
		case "deadLetterQueue":
			r.dlq = req.ActionsByTarget
		case "eventSourceMappingOnFailureDestinations":
			r.esmFailure = req.ActionsByTarget
		default:
			r.features[name] = req.Actions
		}
	}
	for _, want := range []string{"s3", "sns", "eventbridge", "apigateway", "alb", "logs", "iot", "cognito"} {
		if _, ok := r.push[want]; !ok {
			return nil, fmt.Errorf("event-source reference lacks the push source %q", want)
		}
	}
	for _, want := range []string{"sqs", "kinesis", "dynamodb"} {
		if _, ok := r.poll[want]; !ok {
			return nil, fmt.Errorf("event-source reference lacks the event source mapping %q", want)
		}
	}
	return r, nil
}

// Push returns how a push trigger type invokes.
func (r *Reference) Push(triggerType string) (Push, bool) {
	p, ok := r.push[triggerType]
	return p, ok
}

// RoleInvoker returns how a role-based trigger type invokes.
func (r *Reference) RoleInvoker(triggerType string) (RoleInvoker, bool) {
	ri, ok := r.roles[triggerType]
	return ri, ok
}

// Poll returns what an event source mapping of the type needs on its source.
func (r *Reference) Poll(triggerType string) (Poll, bool) {
	p, ok := r.poll[triggerType]
	return p, ok
}

// DestinationActions returns the actions the execution role needs on a
// destination of the given ARN service; kind is "async" (async invoke
// destinations), "dlq" (dead-letter queue) or "esm" (event source mapping
// on-failure destination).
func (r *Reference) DestinationActions(kind, targetService string) []string {
	var m map[string][]string
	switch kind {
	case "dlq":
		m = r.dlq
	case "esm":
		m = r.esmFailure
	default:
		m = r.destinations
	}
	return m[strings.ToLower(targetService)]
}

package awsapi

import (
	"encoding/json"
	"sort"
	"strings"
)

// operation is one API call the collector makes: the SDK service id and
// operation name (as the read-only guard sees them) and the IAM actions
// that authorize it.
type operation struct {
	service string
	name    string
	actions []string
	// credential marks calls that only exchange credentials (sts:AssumeRole
	// for --role-arn): they change nothing in the account, and the
	// permission belongs to the caller, not to the read-only role.
	credential bool
}

// apiGatewayResources are the API Gateway management ARNs the collector
// reads (apigateway:GET is authorized per path, not per API call).
var apiGatewayResources = []string{
	"arn:aws:apigateway:*::/restapis", "arn:aws:apigateway:*::/restapis/*",
	"arn:aws:apigateway:*::/apis", "arn:aws:apigateway:*::/apis/*",
}

// operations is every call the collector makes. The guard refuses calls not
// listed here, and RequiredPolicy prints exactly these actions, so adding
// a call means adding it here first.
var operations = []operation{
	{service: "STS", name: "GetCallerIdentity"}, // needs no permission
	{service: "STS", name: "AssumeRole", credential: true},
	{service: "Account", name: "ListRegions", actions: []string{"account:ListRegions"}},

	{service: "IAM", name: "GetAccountAuthorizationDetails", actions: []string{"iam:GetAccountAuthorizationDetails"}},

	{service: "Lambda", name: "ListFunctions", actions: []string{"lambda:ListFunctions"}},
	{service: "Lambda", name: "ListAliases", actions: []string{"lambda:ListAliases"}},
	{service: "Lambda", name: "ListVersionsByFunction", actions: []string{"lambda:ListVersionsByFunction"}},
	{service: "Lambda", name: "GetPolicy", actions: []string{"lambda:GetPolicy"}},
	{service: "Lambda", name: "ListFunctionUrlConfigs", actions: []string{"lambda:ListFunctionUrlConfigs"}},
	{service: "Lambda", name: "ListFunctionEventInvokeConfigs", actions: []string{"lambda:ListFunctionEventInvokeConfigs"}},
	{service: "Lambda", name: "GetFunctionConcurrency", actions: []string{"lambda:GetFunctionConcurrency"}},
	{service: "Lambda", name: "GetFunctionRecursionConfig", actions: []string{"lambda:GetFunctionRecursionConfig"}},
	{service: "Lambda", name: "ListEventSourceMappings", actions: []string{"lambda:ListEventSourceMappings"}},

	// S3 authorizes several reads with actions named differently from the
	// operation (Service Authorization Reference, Amazon S3).
	{service: "S3", name: "ListBuckets", actions: []string{"s3:ListAllMyBuckets"}},
	{service: "S3", name: "GetBucketLocation", actions: []string{"s3:GetBucketLocation"}},
	{service: "S3", name: "GetBucketPolicy", actions: []string{"s3:GetBucketPolicy"}},
	{service: "S3", name: "GetBucketNotificationConfiguration", actions: []string{"s3:GetBucketNotification"}},
	{service: "S3", name: "GetBucketEncryption", actions: []string{"s3:GetEncryptionConfiguration"}},

	{service: "SNS", name: "ListTopics", actions: []string{"sns:ListTopics"}},
	{service: "SNS", name: "GetTopicAttributes", actions: []string{"sns:GetTopicAttributes"}},
	{service: "SNS", name: "ListSubscriptions", actions: []string{"sns:ListSubscriptions"}},
	{service: "SNS", name: "GetSubscriptionAttributes", actions: []string{"sns:GetSubscriptionAttributes"}},

	{service: "SQS", name: "ListQueues", actions: []string{"sqs:ListQueues"}},
	{service: "SQS", name: "GetQueueAttributes", actions: []string{"sqs:GetQueueAttributes"}},

	{service: "EventBridge", name: "ListEventBuses", actions: []string{"events:ListEventBuses"}},
	{service: "EventBridge", name: "ListRules", actions: []string{"events:ListRules"}},
	{service: "EventBridge", name: "ListTargetsByRule", actions: []string{"events:ListTargetsByRule"}},

	{service: "Scheduler", name: "ListSchedules", actions: []string{"scheduler:ListSchedules"}},
	{service: "Scheduler", name: "GetSchedule", actions: []string{"scheduler:GetSchedule"}},

	{service: "API Gateway", name: "GetRestApis", actions: []string{"apigateway:GET"}},
	{service: "API Gateway", name: "GetResources", actions: []string{"apigateway:GET"}},
	{service: "API Gateway", name: "GetStages", actions: []string{"apigateway:GET"}},
	{service: "API Gateway", name: "GetAuthorizers", actions: []string{"apigateway:GET"}},
	{service: "ApiGatewayV2", name: "GetApis", actions: []string{"apigateway:GET"}},
	{service: "ApiGatewayV2", name: "GetRoutes", actions: []string{"apigateway:GET"}},
	{service: "ApiGatewayV2", name: "GetIntegrations", actions: []string{"apigateway:GET"}},
	{service: "ApiGatewayV2", name: "GetStages", actions: []string{"apigateway:GET"}},
	{service: "ApiGatewayV2", name: "GetAuthorizers", actions: []string{"apigateway:GET"}},

	{service: "DynamoDB", name: "ListTables", actions: []string{"dynamodb:ListTables"}},
	{service: "DynamoDB", name: "DescribeTable", actions: []string{"dynamodb:DescribeTable"}},
	{service: "DynamoDB", name: "GetResourcePolicy", actions: []string{"dynamodb:GetResourcePolicy"}},

	{service: "Kinesis", name: "ListStreams", actions: []string{"kinesis:ListStreams"}},
	{service: "Kinesis", name: "DescribeStreamSummary", actions: []string{"kinesis:DescribeStreamSummary"}},
	{service: "Kinesis", name: "GetResourcePolicy", actions: []string{"kinesis:GetResourcePolicy"}},

	{service: "KMS", name: "ListKeys", actions: []string{"kms:ListKeys"}},
	{service: "KMS", name: "ListAliases", actions: []string{"kms:ListAliases"}},
	{service: "KMS", name: "DescribeKey", actions: []string{"kms:DescribeKey"}},
	{service: "KMS", name: "GetKeyPolicy", actions: []string{"kms:GetKeyPolicy"}},

	{service: "CloudWatch Logs", name: "DescribeLogGroups", actions: []string{"logs:DescribeLogGroups"}},
	{service: "CloudWatch Logs", name: "DescribeSubscriptionFilters", actions: []string{"logs:DescribeSubscriptionFilters"}},

	{service: "IoT", name: "ListTopicRules", actions: []string{"iot:ListTopicRules"}},
	{service: "IoT", name: "GetTopicRule", actions: []string{"iot:GetTopicRule"}},

	{service: "Cognito Identity Provider", name: "ListUserPools", actions: []string{"cognito-idp:ListUserPools"}},
	{service: "Cognito Identity Provider", name: "DescribeUserPool", actions: []string{"cognito-idp:DescribeUserPool"}},

	{service: "Elastic Load Balancing v2", name: "DescribeTargetGroups", actions: []string{"elasticloadbalancing:DescribeTargetGroups"}},
	{service: "Elastic Load Balancing v2", name: "DescribeTargetHealth", actions: []string{"elasticloadbalancing:DescribeTargetHealth"}},

	{service: "SFN", name: "ListStateMachines", actions: []string{"states:ListStateMachines"}},
	{service: "SFN", name: "DescribeStateMachine", actions: []string{"states:DescribeStateMachine"}},

	{service: "Secrets Manager", name: "ListSecrets", actions: []string{"secretsmanager:ListSecrets"}},
	{service: "Secrets Manager", name: "GetResourcePolicy", actions: []string{"secretsmanager:GetResourcePolicy"}},

	{service: "RDS", name: "DescribeDBClusters", actions: []string{"rds:DescribeDBClusters"}},
	{service: "RDS", name: "DescribeDBInstances", actions: []string{"rds:DescribeDBInstances"}},

	{service: "SES", name: "DescribeActiveReceiptRuleSet", actions: []string{"ses:DescribeActiveReceiptRuleSet"}},

	{service: "Config Service", name: "DescribeConfigRules", actions: []string{"config:DescribeConfigRules"}},

	{service: "Firehose", name: "ListDeliveryStreams", actions: []string{"firehose:ListDeliveryStreams"}},
	{service: "Firehose", name: "DescribeDeliveryStream", actions: []string{"firehose:DescribeDeliveryStream"}},

	{service: "VPC Lattice", name: "ListTargetGroups", actions: []string{"vpc-lattice:ListTargetGroups"}},
	{service: "VPC Lattice", name: "ListTargets", actions: []string{"vpc-lattice:ListTargets"}},

	{service: "Bedrock Agent", name: "ListAgents", actions: []string{"bedrock:ListAgents"}},
	{service: "Bedrock Agent", name: "ListAgentActionGroups", actions: []string{"bedrock:ListAgentActionGroups"}},
	{service: "Bedrock Agent", name: "GetAgentActionGroup", actions: []string{"bedrock:GetAgentActionGroup"}},

	{service: "CodePipeline", name: "ListPipelines", actions: []string{"codepipeline:ListPipelines"}},
	{service: "CodePipeline", name: "GetPipeline", actions: []string{"codepipeline:GetPipeline"}},

	{service: "CodeCommit", name: "ListRepositories", actions: []string{"codecommit:ListRepositories"}},
	{service: "CodeCommit", name: "GetRepositoryTriggers", actions: []string{"codecommit:GetRepositoryTriggers"}},

	{service: "Pipes", name: "ListPipes", actions: []string{"pipes:ListPipes"}},
	{service: "Pipes", name: "DescribePipe", actions: []string{"pipes:DescribePipe"}},

	{service: "AppSync", name: "ListGraphqlApis", actions: []string{"appsync:ListGraphqlApis"}},
	{service: "AppSync", name: "ListDataSources", actions: []string{"appsync:ListDataSources"}},

	{service: "Connect", name: "ListInstances", actions: []string{"connect:ListInstances"}},
	{service: "Connect", name: "ListLambdaFunctions", actions: []string{"connect:ListLambdaFunctions"}},

	{service: "Lex Models V2", name: "ListBots", actions: []string{"lex:ListBots"}},
	{service: "Lex Models V2", name: "ListBotAliases", actions: []string{"lex:ListBotAliases"}},
	{service: "Lex Models V2", name: "DescribeBotAlias", actions: []string{"lex:DescribeBotAlias"}},

	{service: "S3 Control", name: "ListAccessPointsForObjectLambda", actions: []string{"s3:ListAccessPointsForObjectLambda"}},
	{service: "S3 Control", name: "GetAccessPointConfigurationForObjectLambda", actions: []string{"s3:GetAccessPointConfigurationForObjectLambda"}},

	{service: "CloudFront", name: "ListDistributions", actions: []string{"cloudfront:ListDistributions"}},

	{service: "Organizations", name: "DescribeOrganization", actions: []string{"organizations:DescribeOrganization"}},
	{service: "Organizations", name: "ListParents", actions: []string{"organizations:ListParents"}},
	{service: "Organizations", name: "ListPoliciesForTarget", actions: []string{"organizations:ListPoliciesForTarget"}},
	{service: "Organizations", name: "DescribePolicy", actions: []string{"organizations:DescribePolicy"}},
}

// readNamedOtherwise are the declared operations that do not start with
// Get, List or Describe and are still allowed: each changes nothing in the
// account.
var readNamedOtherwise = map[string]bool{
	"STS.AssumeRole": true, // exchanges credentials for the --role-arn session
}

// lookupOperation finds a declared operation.
func lookupOperation(service, name string) (operation, bool) {
	for _, op := range operations {
		if op.service == service && op.name == name {
			return op, true
		}
	}
	return operation{}, false
}

// permissionFor names the IAM action(s) an operation needs, for warnings.
func permissionFor(service, name string) string {
	op, ok := lookupOperation(service, name)
	if !ok {
		return ""
	}
	return strings.Join(op.actions, ",")
}

type policyStatement struct {
	Sid      string   `json:"Sid"`
	Effect   string   `json:"Effect"`
	Action   []string `json:"Action"`
	Resource any      `json:"Resource"`
}

// RequiredPolicy returns the identity policy (JSON, indented) that allows
// every call the collector makes and nothing else: one statement per
// service prefix, generated from the operations table.
func RequiredPolicy() []byte {
	byPrefix := map[string]map[string]bool{}
	for _, op := range operations {
		if op.credential {
			continue
		}
		for _, a := range op.actions {
			prefix, _, _ := strings.Cut(a, ":")
			if byPrefix[prefix] == nil {
				byPrefix[prefix] = map[string]bool{}
			}
			byPrefix[prefix][a] = true
		}
	}
	prefixes := make([]string, 0, len(byPrefix))
	for p := range byPrefix {
		prefixes = append(prefixes, p)
	}
	sort.Strings(prefixes)
	var stmts []policyStatement
	for _, p := range prefixes {
		var actions []string
		for a := range byPrefix[p] {
			actions = append(actions, a)
		}
		sort.Strings(actions)
		st := policyStatement{Sid: "LambdacheckRead" + sidName(p), Effect: "Allow", Action: actions, Resource: "*"}
		if p == "apigateway" {
			st.Resource = apiGatewayResources
		}
		stmts = append(stmts, st)
	}
	doc := struct {
		Version   string            `json:"Version"`
		Statement []policyStatement `json:"Statement"`
	}{"2012-10-17", stmts}
	out, _ := json.MarshalIndent(doc, "", "  ") // plain strings: cannot fail
	return append(out, '\n')
}

// sidName turns a service prefix into a Sid fragment ("apigateway" →
// "Apigateway"); Sids allow only ASCII letters and digits.
func sidName(prefix string) string {
	var b strings.Builder
	up := true
	for _, c := range prefix {
		switch {
		case c >= 'a' && c <= 'z':
			if up {
				c -= 'a' - 'A'
			}
			b.WriteRune(c)
			up = false
		case c >= '0' && c <= '9' || c >= 'A' && c <= 'Z':
			b.WriteRune(c)
			up = false
		default:
			up = true
		}
	}
	return b.String()
}

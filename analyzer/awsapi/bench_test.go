package awsapi

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lambdacheck/lambdacheck/analyzer/awsref"
)

// largeAccount writes a replay scenario of n functions in eu-west-1, each
// polling its own SQS queue through an event source mapping, listed in
// pages as Lambda lists them (50 functions, 100 mappings a page). It
// reuses the thumbnails scenario's identity, roles and empty answers.
func largeAccount(tb testing.TB, n int) string {
	tb.Helper()
	dir := tb.TempDir()
	base := "testdata/thumbnails"
	for _, sub := range []string{"sts", "iam", "empty", "account", "errors", "events"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			tb.Fatal(err)
		}
		entries, err := os.ReadDir(filepath.Join(base, sub))
		if err != nil {
			tb.Fatal(err)
		}
		for _, e := range entries {
			data, err := os.ReadFile(filepath.Join(base, sub, e.Name()))
			if err != nil {
				tb.Fatal(err)
			}
			write(tb, filepath.Join(dir, sub, e.Name()), data)
		}
	}
	os.MkdirAll(filepath.Join(dir, "gen"), 0o755)
	const role = "arn:aws:iam::123456789012:role/acme-photos-thumbnail"
	fnARN := func(i int) string { return fmt.Sprintf("arn:aws:lambda:eu-west-1:123456789012:function:bench-%04d", i) }
	queue := func(i int) string { return fmt.Sprintf("bench-%04d-jobs", i) }
	var routes []string
	route := func(format string, args ...any) { routes = append(routes, fmt.Sprintf(format, args...)) }
	route("sts * GetCallerIdentity 200 sts/GetCallerIdentity.xml")
	route("iam * GetAccountAuthorizationDetails 200 iam/GetAccountAuthorizationDetails.xml")

	page := func(kind string, size int, item func(i int) any) {
		for start, p := 0, 0; start < n; start, p = start+size, p+1 {
			var items []any
			for i := start; i < min(start+size, n); i++ {
				items = append(items, item(i))
			}
			body := map[string]any{}
			switch kind {
			case "functions":
				body["Functions"] = items
			case "mappings":
				body["EventSourceMappings"] = items
			}
			marker := ""
			if p > 0 {
				marker = fmt.Sprintf("%s-page-%d", kind, p)
			}
			if start+size < n {
				body["NextMarker"] = fmt.Sprintf("%s-page-%d", kind, p+1)
			}
			data, _ := json.Marshal(body)
			file := fmt.Sprintf("gen/%s.%d.json", kind, p)
			write(tb, filepath.Join(dir, file), data)
			op := map[string]string{"functions": "ListFunctions", "mappings": "ListEventSourceMappings"}[kind]
			route("lambda eu-west-1 %s[Marker=%s] 200 %s", op, marker, file)
		}
	}
	page("functions", 50, func(i int) any {
		return map[string]any{"FunctionName": fmt.Sprintf("bench-%04d", i), "FunctionArn": fnARN(i), "Runtime": "python3.12",
			"Role": role, "Handler": "app.handler", "PackageType": "Zip", "Version": "$LATEST", "MemorySize": 256, "Timeout": 30}
	})
	page("mappings", 100, func(i int) any {
		return map[string]any{"UUID": fmt.Sprintf("00000000-0000-0000-0000-%012d", i), "BatchSize": 10, "State": "Enabled",
			"EventSourceArn": "arn:aws:sqs:eu-west-1:123456789012:" + queue(i), "FunctionArn": fnARN(i),
			"EventSourceMappingArn": fmt.Sprintf("arn:aws:lambda:eu-west-1:123456789012:event-source-mapping:00000000-0000-0000-0000-%012d", i)}
	})
	var urls []string
	for i := 0; i < n; i++ {
		u := "https://sqs.eu-west-1.amazonaws.com/123456789012/" + queue(i)
		urls = append(urls, u)
		data, _ := json.Marshal(map[string]any{"Attributes": map[string]string{"QueueArn": "arn:aws:sqs:eu-west-1:123456789012:" + queue(i), "SqsManagedSseEnabled": "true"}})
		file := fmt.Sprintf("gen/queue.%d.json", i)
		write(tb, filepath.Join(dir, file), data)
		route("sqs eu-west-1 GetQueueAttributes[QueueUrl=%s] 200 %s", u, file)
	}
	data, _ := json.Marshal(map[string]any{"QueueUrls": urls})
	write(tb, filepath.Join(dir, "gen/queues.json"), data)
	route("sqs eu-west-1 ListQueues 200 gen/queues.json")
	for _, r := range []string{
		"lambda * GetPolicy 404:ResourceNotFoundException errors/lambda-ResourceNotFound.json",
		"lambda * ListAliases 200 empty/lambda-ListAliases.json",
		"lambda * ListFunctionUrlConfigs 200 empty/lambda-ListFunctionUrlConfigs.json",
		"lambda * ListFunctionEventInvokeConfigs 200 empty/lambda-ListFunctionEventInvokeConfigs.json",
		"lambda * GetFunctionConcurrency 200 empty/lambda-GetFunctionConcurrency.json",
		"lambda * GetFunctionRecursionConfig 200 empty/lambda-GetFunctionRecursionConfig.json",
		"organizations * DescribeOrganization 400:AWSOrganizationsNotInUseException errors/organizations-NotInUse.json",
		"s3 * ListBuckets 200 empty/s3-ListBuckets.xml",
		"sns * ListTopics 200 empty/sns-ListTopics.xml",
		"sns * ListSubscriptions 200 empty/sns-ListSubscriptions.xml",
		"events * ListEventBuses 200 events/ListEventBuses.json",
		"events * ListRules 200 empty/events-ListRules.json",
		"scheduler * ListSchedules 200 empty/scheduler-ListSchedules.json",
		"apigateway * GetRestApis 200 empty/apigateway-GetRestApis.json",
		"apigateway * GetApis 200 empty/apigatewayv2-GetApis.json",
		"dynamodb * ListTables 200 empty/dynamodb-ListTables.json",
		"kinesis * ListStreams 200 empty/kinesis-ListStreams.json",
		"kms * ListKeys 200 empty/kms-ListKeys.json",
		"kms * ListAliases 200 empty/kms-ListAliases.json",
		"logs * DescribeLogGroups 200 empty/logs-DescribeLogGroups.json",
		"iot * ListTopicRules 200 empty/iot-ListTopicRules.json",
		"cognito-idp * ListUserPools 200 empty/cognito-ListUserPools.json",
		"elasticloadbalancing * DescribeTargetGroups 200 empty/elbv2-DescribeTargetGroups.xml",
		"states * ListStateMachines 200 empty/sfn-ListStateMachines.json",
		"secretsmanager * ListSecrets 200 empty/secretsmanager-ListSecrets.json",
		"rds * DescribeDBClusters 200 empty/rds-DescribeDBClusters.xml",
		"rds * DescribeDBInstances 200 empty/rds-DescribeDBInstances.xml",
		"ses * DescribeActiveReceiptRuleSet 200 empty/ses-DescribeActiveReceiptRuleSet.xml",
		"config * DescribeConfigRules 200 empty/config-DescribeConfigRules.json",
		"firehose * ListDeliveryStreams 200 empty/firehose-ListDeliveryStreams.json",
		"vpc-lattice * ListTargetGroups 200 empty/vpclattice-ListTargetGroups.json",
		"bedrock * ListAgents 200 empty/bedrock-ListAgents.json",
		"codepipeline * ListPipelines 200 empty/codepipeline-ListPipelines.json",
		"codecommit * ListRepositories 200 empty/codecommit-ListRepositories.json",
		"pipes * ListPipes 200 empty/pipes-ListPipes.json",
		"cloudfront * ListDistributions 200 empty/cloudfront-ListDistributions.xml",
		"appsync * ListGraphqlApis 200 empty/appsync-ListGraphqlApis.json",
		"connect * ListInstances 200 empty/connect-ListInstances.json",
		"lex * ListBots 200 empty/lex-ListBots.json",
		"s3 * ListAccessPointsForObjectLambda 200 empty/s3control-ListAccessPointsForObjectLambda.xml",
	} {
		routes = append(routes, r)
	}
	write(tb, filepath.Join(dir, "routes.txt"), []byte(strings.Join(routes, "\n")+"\n"))
	return dir
}

func write(tb testing.TB, path string, data []byte) {
	tb.Helper()
	if err := os.WriteFile(path, data, 0o644); err != nil {
		tb.Fatal(err)
	}
}

// The large account is read completely: every function, mapping and
// queue, nothing denied or failed.
func TestLargeAccountIsReadCompletely(t *testing.T) {
	const n = 120
	inv, f := collectFake(t, largeAccount(t, n), Options{Regions: []string{"eu-west-1"}})
	if len(inv.Functions) != n || len(inv.Triggers) != n || len(inv.Resources) != n || len(inv.Warnings) != 0 {
		t.Fatalf("%d functions, %d triggers, %d resources, warnings %+v", len(inv.Functions), len(inv.Triggers), len(inv.Resources), inv.Warnings)
	}
	if c := inv.Completeness(); c.Incomplete || len(c.Blocking) != 0 {
		t.Fatalf("completeness = %+v", c)
	}
	if got := unitOf(t, inv, "eu-west-1", "lambda").Calls; got != f.Calls("Lambda.ListFunctions")+f.Calls("Lambda.ListEventSourceMappings")+6*n {
		t.Fatalf("lambda unit counted %d calls", got)
	}
}

// BenchmarkCollect1000Functions reads an account of 1,000 functions, each
// with an SQS queue and a mapping, from the replay fake (which holds each
// request 200µs) with the default concurrency, and reports the API calls
// made per function.
func BenchmarkCollect1000Functions(b *testing.B) {
	dir := largeAccount(b, 1000)
	b.ResetTimer()
	for b.Loop() {
		f := newFake(b, dir)
		inv, err := Collect(context.Background(), f.config("eu-west-1"), Options{Regions: []string{"eu-west-1"}, Catalog: awsref.Default()})
		if err != nil {
			b.Fatal(err)
		}
		if len(inv.Functions) != 1000 || len(inv.Warnings) != 0 {
			b.Fatalf("%d functions, %d warnings", len(inv.Functions), len(inv.Warnings))
		}
		b.ReportMetric(float64(f.Requests())/1000, "calls/function")
		b.ReportMetric(float64(f.MaxInFlight()), "max-in-flight")
	}
}

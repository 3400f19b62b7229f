// Package fakeaws is a local stand-in for the AWS APIs lambdacheck's live
// collector calls, for tests: an httptest server answering in each
// service's real wire protocol with response bodies read from data files.
// The real SDK clients are pointed at it with BaseEndpoint.
package fakeaws

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
)

// Server answers in each service's real wire protocol (REST-JSON for
// Lambda, API Gateway, Scheduler, Account, IoT, VPC Lattice, Bedrock Agent,
// Pipes, AppSync, Connect and Lex V2; query-XML for IAM, STS, SNS, ELBv2,
// RDS and SES; REST-XML for S3 and CloudFront; JSON 1.0/1.1 for SQS,
// DynamoDB, EventBridge, Kinesis, KMS, Organizations, CloudWatch Logs,
// Cognito, Step Functions, Secrets Manager, Config, Firehose, CodePipeline
// and CodeCommit) with response bodies read from data files, chosen by a
// routes file:
//
//	SERVICE REGION OPERATION[PARAM=VALUE&...] STATUS[:ERRORCODE] FILE [once]
//
// SERVICE is the SigV4 signing name and REGION the signing region of the
// request ("*" matches any). PARAMs match path, query, form or top-level
// JSON body values (an empty VALUE requires the parameter to be absent).
// The first matching route answers; a route marked once answers one
// request and then steps aside, which is how a throttling error followed by
// success is staged.
type Server struct {
	t      testing.TB
	dir    string
	routes []*fakeRoute
	srv    *httptest.Server

	// enforce, when set, answers AccessDenied (in the service's protocol)
	// to operations it refuses.
	enforce func(service, op string) (allowed bool, action string)

	mu        sync.Mutex
	calls     map[string]int // "Service.Operation" → requests answered
	denied    map[string]int // "Service.Operation" → requests refused by enforce
	unmatched []string
	inFlight  int
	maxFlight int
}

// MaxInFlight is the largest number of requests served at once.
func (f *Server) MaxInFlight() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.maxFlight
}

type fakeRoute struct {
	service, region, op string
	params              map[string]string
	status              int
	code                string
	file                string
	once                bool
	used                bool
}

// sdkService maps signing names to SDK service ids (as the guard and the
// operations table name them).
var sdkService = map[string]string{
	"lambda": "Lambda", "iam": "IAM", "sts": "STS", "s3": "S3", "sns": "SNS", "sqs": "SQS",
	"events": "EventBridge", "scheduler": "Scheduler", "dynamodb": "DynamoDB", "kinesis": "Kinesis",
	"kms": "KMS", "organizations": "Organizations", "account": "Account", "apigateway": "API Gateway",
	"logs": "CloudWatch Logs", "iot": "IoT", "cognito-idp": "Cognito Identity Provider",
	"elasticloadbalancing": "Elastic Load Balancing v2", "states": "SFN", "secretsmanager": "Secrets Manager", "rds": "RDS",
	"ses": "SES", "config": "Config Service", "firehose": "Firehose", "vpc-lattice": "VPC Lattice", "bedrock": "Bedrock Agent",
	"codepipeline": "CodePipeline", "codecommit": "CodeCommit", "pipes": "Pipes", "cloudfront": "CloudFront",
	"appsync": "AppSync", "connect": "Connect", "lex": "Lex Models V2",
}

var routeLine = regexp.MustCompile(`^(\S+)\s+(\S+)\s+(\w+)(?:\[([^\]]*)\])?\s+(\d+)(?::(\w+))?\s+(\S+)(\s+once)?$`)

// New starts a server answering from dir/routes.txt; it stops when the
// test ends. Routes in override come first, so they stage a variant of the
// scenario (a failing call, a deleted item); their files are relative to
// dir like the others.
func New(t testing.TB, dir string, override ...string) *Server {
	t.Helper()
	f := &Server{t: t, dir: dir, calls: map[string]int{}, denied: map[string]int{}}
	data, err := os.ReadFile(filepath.Join(dir, "routes.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if len(override) > 0 {
		data = append([]byte(strings.Join(override, "\n")+"\n"), data...)
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		m := routeLine.FindStringSubmatch(line)
		if m == nil {
			t.Fatalf("%s/routes.txt:%d: bad route %q", dir, n, line)
		}
		status, _ := strconv.Atoi(m[5])
		r := &fakeRoute{service: m[1], region: m[2], op: m[3], params: map[string]string{}, status: status, code: m[6], file: m[7], once: m[8] != ""}
		if m[4] != "" {
			for _, kv := range strings.Split(m[4], "&") {
				k, v, _ := strings.Cut(kv, "=")
				r.params[k] = v
			}
		}
		if _, err := os.Stat(filepath.Join(dir, r.file)); err != nil {
			t.Fatalf("%s/routes.txt:%d: %v", dir, n, err)
		}
		f.routes = append(f.routes, r)
	}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

// URL is the endpoint to give the SDK (BaseEndpoint, --endpoint-url).
func (f *Server) URL() string { return f.srv.URL }

// Config points real SDK clients at the server with static credentials.
func (f *Server) Config(region string) aws.Config {
	return aws.Config{
		Region:       region,
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "SECRETEXAMPLE", ""),
		BaseEndpoint: aws.String(f.srv.URL),
		HTTPClient:   f.srv.Client(),
	}
}

var credScope = regexp.MustCompile(`Credential=[^/]+/\d{8}/([^/]+)/([^/]+)/aws4_request`)

func (f *Server) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.inFlight++
	f.maxFlight = max(f.maxFlight, f.inFlight)
	f.mu.Unlock()
	defer func() {
		f.mu.Lock()
		f.inFlight--
		f.mu.Unlock()
	}()
	// Hold each request briefly so concurrent callers overlap.
	time.Sleep(200 * time.Microsecond)
	body, _ := io.ReadAll(r.Body)
	m := credScope.FindStringSubmatch(r.Header.Get("Authorization"))
	if m == nil {
		f.fail(w, "unsigned request "+r.Method+" "+r.URL.String())
		return
	}
	region, service := m[1], m[2]
	op, params := operationOf(service, r, body)
	if op == "" {
		f.fail(w, fmt.Sprintf("%s: unknown operation %s %s", service, r.Method, r.URL.String()))
		return
	}
	id := sdkService[service]
	if service == "apigateway" && strings.HasPrefix(r.URL.Path, "/v2/") {
		id = "ApiGatewayV2" // both API Gateway clients sign as apigateway
	}
	if service == "s3" && strings.HasPrefix(r.URL.Path, s3ControlPrefix) {
		id = "S3 Control" // S3 Control signs as s3
	}
	if f.enforce != nil {
		if ok, action := f.enforce(id, op); !ok {
			f.mu.Lock()
			f.denied[id+"."+op]++
			f.mu.Unlock()
			writeAccessDenied(w, service, action)
			return
		}
	}
	f.mu.Lock()
	var route *fakeRoute
	for _, rt := range f.routes {
		if rt.service == service && (rt.region == "*" || rt.region == region) && rt.op == op && !(rt.once && rt.used) && paramsMatch(rt.params, params) {
			route = rt
			rt.used = true
			break
		}
	}
	if route != nil {
		f.calls[id+"."+op]++
	}
	f.mu.Unlock()
	if route == nil {
		f.fail(w, fmt.Sprintf("no route for %s %s %s %v", service, region, op, params))
		return
	}
	data, err := os.ReadFile(filepath.Join(f.dir, route.file))
	if err != nil {
		f.fail(w, err.Error())
		return
	}
	switch {
	case strings.HasSuffix(route.file, ".xml"):
		w.Header().Set("Content-Type", "text/xml")
	case restJSON[service]:
		w.Header().Set("Content-Type", "application/json")
	default:
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	}
	if route.code != "" {
		w.Header().Set("X-Amzn-ErrorType", route.code)
	}
	w.Header().Set("X-Amzn-RequestId", "00000000-0000-0000-0000-000000000000")
	w.WriteHeader(route.status)
	w.Write(data)
}

// Enforce makes the server check each request as IAM would check the
// caller's policy: allowed reports whether the SDK service id's operation
// is permitted and, if not, the action to name in the refusal. Refused
// requests are answered AccessDenied in the service's own error shape.
func (f *Server) Enforce(allowed func(service, op string) (bool, string)) {
	f.enforce = allowed
}

// Denied is how many requests of an operation Enforce refused.
func (f *Server) Denied(op string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.denied[op]
}

// writeAccessDenied answers a refusal the way each protocol does: query
// XML (IAM, STS, SNS), REST XML (S3), REST JSON with the code in
// X-Amzn-ErrorType (Lambda, Scheduler, API Gateway, Account) and JSON
// 1.0/1.1 with __type (the others).
func writeAccessDenied(w http.ResponseWriter, service, action string) {
	msg := "User: arn:aws:sts::123456789012:assumed-role/lambdacheck-readonly/lambdacheck-collect is not authorized to perform: " + action
	w.Header().Set("X-Amzn-RequestId", "00000000-0000-0000-0000-000000000000")
	switch service {
	case "iam", "sts", "sns", "elasticloadbalancing", "rds", "ses":
		code := "AccessDenied"
		if service == "sns" {
			code = "AuthorizationError"
		}
		w.Header().Set("Content-Type", "text/xml")
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprintf(w, `<ErrorResponse><Error><Type>Sender</Type><Code>%s</Code><Message>%s</Message></Error><RequestId>00000000-0000-0000-0000-000000000000</RequestId></ErrorResponse>`, code, msg)
	case "s3", "cloudfront":
		w.Header().Set("Content-Type", "application/xml")
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>%s</Message><RequestId>0000</RequestId></Error>`, msg)
	case "lambda", "scheduler", "apigateway", "account", "iot", "vpc-lattice", "bedrock", "pipes", "appsync", "connect", "lex":
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Amzn-ErrorType", "AccessDeniedException")
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprintf(w, `{"Type":"User","Message":%q}`, msg)
	default:
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprintf(w, `{"__type":"com.amazonaws.%s#AccessDeniedException","message":%q}`, service, msg)
	}
}

func (f *Server) fail(w http.ResponseWriter, msg string) {
	f.mu.Lock()
	f.unmatched = append(f.unmatched, msg)
	f.mu.Unlock()
	w.Header().Set("X-Amzn-ErrorType", "FakeAWSNoRoute")
	w.WriteHeader(http.StatusBadRequest)
	fmt.Fprintf(w, `{"__type":"FakeAWSNoRoute","message":%q}`, msg)
}

// Check fails the test on requests no route answered.
func (f *Server) Check() {
	f.t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, u := range f.unmatched {
		f.t.Errorf("fake AWS: %s", u)
	}
}

// Requests counts the requests received.
func (f *Server) Requests() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, c := range f.calls {
		n += c
	}
	return n + len(f.unmatched)
}

func paramsMatch(want, got map[string]string) bool {
	for k, v := range want {
		g, ok := got[k]
		if v == "" && ok || v != "" && g != v {
			return false
		}
	}
	return true
}

// restRoutes are the REST operations by method and path template, as the
// services' API references document them.
var restRoutes = map[string][]struct{ method, path, op string }{
	"lambda": {
		{"GET", "/2015-03-31/functions", "ListFunctions"},
		{"GET", "/2015-03-31/functions/{FunctionName}/aliases", "ListAliases"},
		{"GET", "/2015-03-31/functions/{FunctionName}/versions", "ListVersionsByFunction"},
		{"GET", "/2015-03-31/functions/{FunctionName}/policy", "GetPolicy"},
		{"POST", "/2015-03-31/functions/{FunctionName}/policy", "AddPermission"},
		{"GET", "/2021-10-31/functions/{FunctionName}/urls", "ListFunctionUrlConfigs"},
		{"GET", "/2019-09-25/functions/{FunctionName}/event-invoke-config/list", "ListFunctionEventInvokeConfigs"},
		{"GET", "/2019-09-30/functions/{FunctionName}/concurrency", "GetFunctionConcurrency"},
		{"GET", "/2024-08-31/functions/{FunctionName}/recursion-config", "GetFunctionRecursionConfig"},
		{"GET", "/2015-03-31/event-source-mappings", "ListEventSourceMappings"},
	},
	"scheduler": {
		{"GET", "/schedules", "ListSchedules"},
		{"GET", "/schedules/{Name}", "GetSchedule"},
	},
	"apigateway": {
		{"GET", "/restapis", "GetRestApis"},
		{"GET", "/restapis/{restapi_id}/resources", "GetResources"},
		{"GET", "/restapis/{restapi_id}/stages", "GetStages"},
		{"GET", "/restapis/{restapi_id}/authorizers", "GetAuthorizers"},
		{"GET", "/v2/apis", "GetApis"},
		{"GET", "/v2/apis/{apiId}/routes", "GetRoutes"},
		{"GET", "/v2/apis/{apiId}/integrations", "GetIntegrations"},
		{"GET", "/v2/apis/{apiId}/stages", "GetStages"},
		{"GET", "/v2/apis/{apiId}/authorizers", "GetAuthorizers"},
	},
	"account": {
		{"POST", "/listRegions", "ListRegions"},
	},
	"iot": {
		{"GET", "/rules", "ListTopicRules"},
		{"GET", "/rules/{ruleName}", "GetTopicRule"},
	},
	"vpc-lattice": {
		{"GET", "/targetgroups", "ListTargetGroups"},
		{"POST", "/targetgroups/{targetGroupIdentifier}/listtargets", "ListTargets"},
	},
	"bedrock": {
		{"POST", "/agents", "ListAgents"},
		{"POST", "/agents/{agentId}/agentversions/{agentVersion}/actiongroups", "ListAgentActionGroups"},
		{"GET", "/agents/{agentId}/agentversions/{agentVersion}/actiongroups/{actionGroupId}", "GetAgentActionGroup"},
	},
	"pipes": {
		{"GET", "/v1/pipes", "ListPipes"},
		{"GET", "/v1/pipes/{Name}", "DescribePipe"},
	},
	"appsync": {
		{"GET", "/v1/apis", "ListGraphqlApis"},
		{"GET", "/v1/apis/{apiId}/datasources", "ListDataSources"},
	},
	"connect": {
		{"GET", "/instance", "ListInstances"},
		{"GET", "/instance/{InstanceId}/lambda-functions", "ListLambdaFunctions"},
	},
	"lex": {
		{"POST", "/bots", "ListBots"},
		{"POST", "/bots/{botId}/botaliases", "ListBotAliases"},
		{"GET", "/bots/{botId}/botaliases/{botAliasId}", "DescribeBotAlias"},
	},
}

// restJSON are the signing names of the REST-JSON services.
var restJSON = map[string]bool{"lambda": true, "apigateway": true, "scheduler": true, "account": true, "iot": true, "vpc-lattice": true, "bedrock": true, "pipes": true, "appsync": true, "connect": true, "lex": true}

// operationOf names the operation of a request and collects its
// parameters.
func operationOf(service string, r *http.Request, body []byte) (string, map[string]string) {
	params := map[string]string{}
	for k, v := range r.URL.Query() {
		params[k] = strings.Join(v, ",")
	}
	// JSON 1.0/1.1 protocols name the operation in X-Amz-Target.
	if target := r.Header.Get("X-Amz-Target"); target != "" {
		var fields map[string]any
		if json.Unmarshal(body, &fields) == nil {
			for k, v := range fields {
				switch x := v.(type) {
				case string:
					params[k] = x
				case float64, bool:
					params[k] = fmt.Sprint(x)
				}
			}
		}
		return target[strings.LastIndexByte(target, '.')+1:], params
	}
	switch service {
	case "iam", "sts", "sns", "elasticloadbalancing", "rds", "ses": // query protocol: form-encoded Action
		form, _ := url.ParseQuery(string(body))
		for k, v := range form {
			params[k] = strings.Join(v, ",")
		}
		return form.Get("Action"), params
	case "s3":
		if strings.HasPrefix(r.URL.Path, s3ControlPrefix) {
			return s3ControlOperation(r, params)
		}
		return s3Operation(r, params)
	case "cloudfront": // REST XML
		if r.Method == http.MethodGet && strings.TrimSuffix(r.URL.Path, "/") == "/2020-05-31/distribution" {
			return "ListDistributions", params
		}
		return "", params
	}
	if restJSON[service] {
		if len(body) > 0 {
			var fields map[string]any
			if json.Unmarshal(body, &fields) == nil {
				for k, v := range fields {
					if s, ok := v.(string); ok {
						params[k] = s
					}
				}
			}
		}
	}
	path := strings.TrimSuffix(r.URL.EscapedPath(), "/")
	for _, rt := range restRoutes[service] {
		if rt.method != r.Method {
			continue
		}
		if vals, ok := matchPath(rt.path, path); ok {
			for k, v := range vals {
				params[k] = v
			}
			return rt.op, params
		}
	}
	return "", params
}

func matchPath(tmpl, path string) (map[string]string, bool) {
	tp, pp := strings.Split(tmpl, "/"), strings.Split(path, "/")
	if len(tp) != len(pp) {
		return nil, false
	}
	vals := map[string]string{}
	for i := range tp {
		if strings.HasPrefix(tp[i], "{") {
			v, err := url.PathUnescape(pp[i])
			if err != nil {
				return nil, false
			}
			vals[strings.Trim(tp[i], "{}")] = v
			continue
		}
		if tp[i] != pp[i] {
			return nil, false
		}
	}
	return vals, true
}

// s3Operation names path-style S3 requests: the bucket is the first path
// segment and the sub-resource a bare query key.
func s3Operation(r *http.Request, params map[string]string) (string, map[string]string) {
	bucket := strings.Trim(r.URL.Path, "/")
	if bucket == "" {
		return "ListBuckets", params
	}
	params["Bucket"] = bucket
	q := r.URL.Query()
	for _, sub := range []struct{ key, op string }{
		{"location", "GetBucketLocation"}, {"policy", "GetBucketPolicy"},
		{"notification", "GetBucketNotificationConfiguration"}, {"encryption", "GetBucketEncryption"},
	} {
		if _, ok := q[sub.key]; ok && r.Method == http.MethodGet {
			delete(params, sub.key)
			return sub.op, params
		}
	}
	return "", params
}

// Calls is how many requests of an operation ("Lambda.ListFunctions")
// were answered.
func (f *Server) Calls(op string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[op]
}

// Operations lists the operations answered, sorted.
func (f *Server) Operations() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for k := range f.calls {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// s3ControlPrefix starts the paths of S3 Control, which signs as s3.
const s3ControlPrefix = "/v20180820/"

// s3ControlOperation names the S3 Control requests the collector makes
// (REST XML; the account is in the x-amz-account-id header).
func s3ControlOperation(r *http.Request, params map[string]string) (string, map[string]string) {
	if r.Method != http.MethodGet {
		return "", params
	}
	rest := strings.TrimPrefix(strings.TrimSuffix(r.URL.Path, "/"), s3ControlPrefix+"accesspointforobjectlambda")
	switch {
	case rest == "":
		return "ListAccessPointsForObjectLambda", params
	case strings.HasPrefix(rest, "/") && strings.HasSuffix(rest, "/configuration"):
		params["Name"] = strings.TrimSuffix(strings.TrimPrefix(rest, "/"), "/configuration")
		return "GetAccessPointConfigurationForObjectLambda", params
	}
	return "", params
}

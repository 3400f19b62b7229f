package awsref

import (
	"slices"
	"strings"
	"testing"

	"github.com/lambdacheck/lambdacheck/analyzer/iam/pattern"
)

// Counts published with the reference data (README of ../shared/data).
func TestDefault_countsMatchReferenceData(t *testing.T) {
	c := Default()
	if got := len(c.Services()); got != 456 {
		t.Errorf("services = %d, want 456", got)
	}
	if got := len(c.Actions()); got != 22091 {
		t.Errorf("actions = %d, want 22091", got)
	}
	if got := len(c.ActionNames()); got != 22091 {
		t.Errorf("action names = %d, want 22091", got)
	}
	if err := c.checkAll(); err != nil {
		t.Errorf("embedded actions: %v", err)
	}
	if err := c.policies().checkAll(); err != nil {
		t.Errorf("embedded managed policies: %v", err)
	}
	if got := len(c.ManagedPolicyNames()); got != 1644 {
		t.Errorf("managed policies = %d, want 1644", got)
	}
	types, keys := 0, 0
	for _, p := range c.Services() {
		s, _ := c.Service(p)
		types += len(s.ResourceTypes)
		keys += len(s.ConditionKeys)
	}
	if types != 2334 || keys != 2578 {
		t.Errorf("resource types = %d, service condition keys = %d; want 2334, 2578", types, keys)
	}
	if Default() != c {
		t.Error("Default returned a different catalog on the second call")
	}
}

func TestAction_accessLevelsAndResources(t *testing.T) {
	c := Default()
	tests := []struct {
		name      string
		action    string
		canonical string
		level     AccessLevel
		levels    []AccessLevel
		resources []string // "type" or "type!" when required
	}{
		{"s3 GetObject is Read on object", "s3:GetObject", "s3:GetObject", Read, []AccessLevel{Read}, []string{"accesspointobject", "object"}},
		{"lookup ignores case", "S3:getOBJECT", "s3:GetObject", Read, []AccessLevel{Read}, []string{"accesspointobject", "object"}},
		{"iam PassRole is Write on role", "iam:PassRole", "iam:PassRole", Write, []AccessLevel{Write}, []string{"role!"}},
		{"PutBucketPolicy is Permissions management (and Write)", "s3:PutBucketPolicy", "s3:PutBucketPolicy", PermissionsManagement, []AccessLevel{Write, PermissionsManagement}, []string{"bucket!"}},
		{"PutObjectTagging is Tagging (and Write)", "s3:putobjecttagging", "s3:PutObjectTagging", Tagging, []AccessLevel{Write, Tagging}, []string{"accesspointobject", "object"}},
		{"ListBucket is List", "s3:ListBucket", "s3:ListBucket", List, []AccessLevel{List}, []string{"accesspoint", "bucket"}},
		{"ListAllMyBuckets has no resource types (Resource *)", "s3:ListAllMyBuckets", "s3:ListAllMyBuckets", List, []AccessLevel{List}, nil},
		{"lambda InvokeFunction requires function", "lambda:InvokeFunction", "lambda:InvokeFunction", Write, []AccessLevel{Write}, []string{"function!"}},
		{"lambda AddPermission is Permissions management", "lambda:AddPermission", "lambda:AddPermission", PermissionsManagement, []AccessLevel{Write, PermissionsManagement}, []string{"function!"}},
		{"dynamodb GetRecords reads a stream", "dynamodb:GetRecords", "dynamodb:GetRecords", Read, []AccessLevel{Read}, []string{"stream!"}},
		{"logs PutLogEvents writes a log-stream", "logs:PutLogEvents", "logs:PutLogEvents", Write, []AccessLevel{Write}, []string{"log-stream!"}},
		{"lowercase canonical names stay as published", "cloudsearch:SEARCH", "cloudsearch:search", Read, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, ok := c.Action(tt.action)
			if !ok {
				t.Fatalf("Action(%q) not found", tt.action)
			}
			if a.FullName() != tt.canonical || a.Service+":"+a.Name != tt.canonical {
				t.Errorf("FullName = %q (%s, %s), want %q", a.FullName(), a.Service, a.Name, tt.canonical)
			}
			if a.Level != tt.level {
				t.Errorf("Level = %q, want %q", a.Level, tt.level)
			}
			if tt.levels != nil && !slices.Equal(a.Levels, tt.levels) {
				t.Errorf("Levels = %q, want %q", a.Levels, tt.levels)
			}
			if !slices.Contains(a.Levels, a.Level) {
				t.Errorf("Levels %q lacks Level %q", a.Levels, a.Level)
			}
			if tt.levels == nil {
				return
			}
			var res []string
			for _, r := range a.Resources {
				s := r.Type
				if r.Required {
					s += "!"
				}
				res = append(res, s)
			}
			if !slices.Equal(res, tt.resources) {
				t.Errorf("Resources = %q, want %q", res, tt.resources)
			}
		})
	}
}

func TestAction_conditionKeysKept(t *testing.T) {
	a, _ := Default().Action("lambda:InvokeFunction")
	if !slices.Contains(a.ConditionKeys, "lambda:InvokedViaFunctionUrl") {
		t.Errorf("lambda:InvokeFunction condition keys %q lack lambda:InvokedViaFunctionUrl", a.ConditionKeys)
	}
	get, _ := Default().Action("s3:GetObject")
	if !slices.Contains(get.ConditionKeys, "s3:ExistingObjectTag/<key>") {
		t.Errorf("s3:GetObject condition keys %q lack s3:ExistingObjectTag/<key>", get.ConditionKeys)
	}
}

func TestAction_unknownNotFound(t *testing.T) {
	c := Default()
	for _, name := range []string{"", "s3", "s3:", ":GetObject", "s3:GetObjectt", "s4:GetObject", "s3:Get*", "s3:GetObject ", "s3:GetObject\x00"} {
		if a, ok := c.Action(name); ok {
			t.Errorf("Action(%q) = %s, want not found", name, a.FullName())
		}
	}
}

// The engine looks actions up on every statement; the lookup must not allocate.
func TestAction_lookupDoesNotAllocate(t *testing.T) {
	c := Default()
	if n := testing.AllocsPerRun(100, func() { c.Action("S3:GetObject") }); n != 0 {
		t.Errorf("Action allocates %v times per call, want 0", n)
	}
}

func TestExpand(t *testing.T) {
	c := Default()
	tests := []struct {
		name     string
		pattern  string
		contains []string
		excludes []string
		want     []string // exact result when set
		count    int      // exact length when > 0
	}{
		{"prefix wildcard keeps the service's Get actions", "s3:Get*", []string{"s3:GetObject", "s3:GetBucketPolicy"}, []string{"s3:PutObject", "s3-outposts:GetObject"}, nil, 63},
		{"service part ignores case", "S3:*Object", nil, nil, []string{"s3:DeleteObject", "s3:GetObject", "s3:PutObject", "s3:ReplicateObject", "s3:RestoreObject"}, 0},
		{"question mark matches one character", "iam:?assRole", nil, nil, []string{"iam:PassRole"}, 0},
		{"literal action returns its canonical name", "IAM:passrole", nil, nil, []string{"iam:PassRole"}, 0},
		{"star alone is every action", "*", []string{"s3:GetObject", "lambda:InvokeFunction"}, nil, nil, 22091},
		{"service star is every action of the service", "lambda:*", []string{"lambda:InvokeFunction", "lambda:InvokeFunctionUrl"}, []string{"s3:GetObject"}, nil, len(Default().ServiceActions("lambda"))},
		{"wildcard in the service part spans services", "s3*:GetObject", nil, nil, []string{"s3-object-lambda:GetObject", "s3-outposts:GetObject", "s3:GetObject"}, 0},
		{"unknown service matches nothing", "nosuch:*", nil, nil, []string{}, 0},
		{"unknown literal action matches nothing", "s3:NoSuchAction", nil, nil, []string{}, 0},
		{"matching spans the whole string", "lambda:Invoke", nil, nil, []string{}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := c.Expand(tt.pattern)
			if !slices.IsSorted(got) {
				t.Errorf("Expand(%q) not sorted", tt.pattern)
			}
			if tt.want != nil && !slices.Equal(got, tt.want) && !(len(got) == 0 && len(tt.want) == 0) {
				t.Errorf("Expand(%q) = %q, want %q", tt.pattern, got, tt.want)
			}
			if tt.count > 0 && len(got) != tt.count {
				t.Errorf("Expand(%q) has %d actions, want %d", tt.pattern, len(got), tt.count)
			}
			for _, a := range tt.contains {
				if !slices.Contains(got, a) {
					t.Errorf("Expand(%q) lacks %s", tt.pattern, a)
				}
			}
			for _, a := range tt.excludes {
				if slices.Contains(got, a) {
					t.Errorf("Expand(%q) holds %s", tt.pattern, a)
				}
			}
			if want := bruteExpand(c, tt.pattern); !slices.Equal(got, want) {
				t.Errorf("Expand(%q) differs from matching every name: got %d, want %d", tt.pattern, len(got), len(want))
			}
		})
	}
}

// bruteExpand is the definition Expand must agree with.
func bruteExpand(c *Catalog, pat string) []string {
	var out []string
	for _, n := range c.ActionNames() {
		if pattern.MatchFold(pat, n) {
			out = append(out, n)
		}
	}
	return out
}

func TestExpand_resultIsACopy(t *testing.T) {
	c := Default()
	all := c.Expand("*")
	all[0] = "mutated"
	if c.Expand("*")[0] == "mutated" {
		t.Error("Expand(\"*\") exposes the catalog's own slice")
	}
}

func TestService(t *testing.T) {
	c := Default()
	s, ok := c.Service("S3")
	if !ok {
		t.Fatal("Service(S3) not found")
	}
	if s.Prefix != "s3" || s.Name != "Amazon S3" || !s.RCPSupported {
		t.Errorf("Service(S3) = %q %q rcp=%v", s.Prefix, s.Name, s.RCPSupported)
	}
	if got := s.ResourceTypes["object"]; got != "arn:${Partition}:s3:::${BucketName}/${ObjectName}" {
		t.Errorf("object ARN template = %q", got)
	}
	if got := s.ConditionKeys["s3:prefix"]; got != "String" {
		t.Errorf("s3:prefix type = %q, want String", got)
	}
	if !slices.IsSorted(s.Actions) || !slices.Contains(s.Actions, "GetObject") {
		t.Errorf("Actions not sorted or lacks GetObject")
	}
	if _, ok := c.Service("nosuch"); ok {
		t.Error("Service(nosuch) found")
	}
	if !slices.IsSorted(c.Services()) {
		t.Error("Services not sorted")
	}
}

func TestActionsFor(t *testing.T) {
	c := Default()
	names := func(as []Action) []string {
		var out []string
		for _, a := range as {
			out = append(out, a.Name)
		}
		return out
	}
	obj := names(c.ActionsFor("s3", "object"))
	if !slices.Contains(obj, "GetObject") || !slices.Contains(obj, "PutObject") || slices.Contains(obj, "PutBucketPolicy") {
		t.Errorf("ActionsFor(s3, object) = %q", obj)
	}
	if !slices.IsSorted(obj) {
		t.Error("ActionsFor not sorted")
	}
	// Resource type names with spaces are the reference's own.
	alias := names(c.ActionsFor("lambda", "Function Alias"))
	if len(alias) == 0 || slices.Contains(alias, "CreateFunction") {
		t.Errorf("ActionsFor(lambda, function alias) = %q", alias)
	}
	if got := c.ActionsFor("s3", "nosuch"); len(got) != 0 {
		t.Errorf("ActionsFor(s3, nosuch) = %d actions", len(got))
	}
}

func TestResourceTypesOf_realARNs(t *testing.T) {
	c := Default()
	tests := []struct {
		name string
		arn  string
		want []string
	}{
		{"s3 bucket has no slash", "arn:aws:s3:::my-bucket", []string{"bucket"}},
		{"s3 object is bucket/key", "arn:aws:s3:::my-bucket/uploads/a.jpg", []string{"object"}},
		{"s3 object key may hold colons", "arn:aws:s3:::my-bucket/a:b/c", []string{"object"}},
		{"s3 in another partition", "arn:aws-cn:s3:::b/k", []string{"object"}},
		{"lambda unqualified function", "arn:aws:lambda:us-east-1:123456789012:function:thumb", []string{"function"}},
		{"lambda alias qualifier is not a number", "arn:aws:lambda:us-east-1:123456789012:function:thumb:live", []string{"function alias"}},
		{"lambda numeric qualifier is a version", "arn:aws:lambda:us-east-1:123456789012:function:thumb:12", []string{"function version"}},
		{"lambda $LATEST is a version", "arn:aws:lambda:us-east-1:123456789012:function:thumb:$LATEST", []string{"function version"}},
		{"lambda layer version", "arn:aws:lambda:us-east-1:123456789012:layer:deps:3", []string{"layerVersion"}},
		{"lambda event source mapping", "arn:aws:lambda:us-east-1:123456789012:event-source-mapping:a1b2c3d4-5678-90ab-cdef-11111EXAMPLE", []string{"eventSourceMapping"}},
		{"sqs queue", "arn:aws:sqs:us-east-1:123456789012:jobs.fifo", []string{"queue"}},
		{"sns topic", "arn:aws:sns:us-east-1:123456789012:alerts", []string{"topic"}},
		{"dynamodb table", "arn:aws:dynamodb:us-east-1:123456789012:table/Orders", []string{"table"}},
		{"dynamodb stream", "arn:aws:dynamodb:us-east-1:123456789012:table/Orders/stream/2024-05-01T12:00:00.000", []string{"stream"}},
		{"dynamodb index", "arn:aws:dynamodb:us-east-1:123456789012:table/Orders/index/byCustomer", []string{"index"}},
		{"kinesis stream", "arn:aws:kinesis:us-east-1:123456789012:stream/clicks", []string{"stream"}},
		{"kinesis consumer", "arn:aws:kinesis:us-east-1:123456789012:stream/clicks/consumer/app:1714000000", []string{"consumer"}},
		{"kms key", "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab", []string{"key"}},
		{"kms alias", "arn:aws:kms:us-east-1:123456789012:alias/app", []string{"alias"}},
		{"iam role with path", "arn:aws:iam::123456789012:role/service-role/thumb-role", []string{"role"}},
		{"iam role", "arn:aws:iam::123456789012:role/app", []string{"role"}},
		{"logs log-group as IAM writes it", "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/thumb:*", []string{"log-group"}},
		{"logs log-group bare", "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/thumb", []string{"log-group"}},
		{"logs log-stream under a slashed group", "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/thumb:log-stream:2024/05/01/[$LATEST]abcd", []string{"log-stream"}},
		{"events rule on the default bus", "arn:aws:events:us-east-1:123456789012:rule/nightly", []string{"rule-on-default-event-bus"}},
		{"events rule on a custom bus", "arn:aws:events:us-east-1:123456789012:rule/orders/nightly", []string{"rule-on-custom-event-bus"}},
		{"events bus", "arn:aws:events:us-east-1:123456789012:event-bus/default", []string{"event-bus"}},
		{"secretsmanager secret with slash", "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf", []string{"Secret"}},
		{"states state machine", "arn:aws:states:us-east-1:123456789012:stateMachine:orders", []string{"statemachine"}},
		{"states state machine alias", "arn:aws:states:us-east-1:123456789012:stateMachine:orders:prod", []string{"statemachinealias"}},
		{"states state machine version", "arn:aws:states:us-east-1:123456789012:stateMachine:orders:4", []string{"statemachineversion"}},
		{"states execution", "arn:aws:states:us-east-1:123456789012:execution:orders:run-1", []string{"execution"}},
		{"service field not a prefix falls back to templates naming it", "arn:aws:elastic-inference:us-east-1:123456789012:elastic-inference-accelerator/eia-1", []string{"elastic-inference"}},
		{"unknown service", "arn:aws:nosuch:us-east-1:123456789012:thing/x", nil},
		{"not an ARN", "my-bucket", nil},
		{"sqs queue missing name", "arn:aws:sqs:us-east-1:123456789012:", nil},
		{"lambda wrong resource", "arn:aws:lambda:us-east-1:123456789012:widget:x", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.ResourceTypesOf(tt.arn); !slices.Equal(got, tt.want) {
				t.Errorf("ResourceTypesOf(%q) = %q, want %q", tt.arn, got, tt.want)
			}
		})
	}
}

func TestResourceTypesIn_crossServiceTemplates(t *testing.T) {
	c := Default()
	key := "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	if got := c.ResourceTypesIn("events", key); !slices.Equal(got, []string{"key"}) {
		t.Errorf("ResourceTypesIn(events, kms key) = %q, want [key]", got)
	}
	if got := c.ResourceTypesIn("kinesis", key); !slices.Equal(got, []string{"kmsKey"}) {
		t.Errorf("ResourceTypesIn(kinesis, kms key) = %q, want [kmsKey]", got)
	}
	if got := c.ResourceTypesIn("s3", key); got != nil {
		t.Errorf("ResourceTypesIn(s3, kms key) = %q, want none", got)
	}
}

func TestResourceType(t *testing.T) {
	rt, ok := Default().ResourceType("lambda", "FUNCTION ALIAS")
	if !ok || rt.Name != "function alias" || !strings.HasSuffix(rt.ARN, ":function:${FunctionName}:${Alias}") {
		t.Errorf("ResourceType(lambda, FUNCTION ALIAS) = %+v, %v", rt, ok)
	}
	if _, ok := Default().ResourceType("lambda", "nosuch"); ok {
		t.Error("ResourceType(lambda, nosuch) found")
	}
}

func TestConditionKey(t *testing.T) {
	c := Default()
	tests := []struct {
		name     string
		key      string
		wantName string
		wantType string
		global   bool
	}{
		{"global key, any case", "AWS:SOURCEARN", "aws:SourceArn", "ARN", true},
		{"global multivalued key", "aws:TagKeys", "aws:TagKeys", "ArrayOfString", true},
		{"global IP key", "aws:SourceIp", "aws:SourceIp", "IPAddress", true},
		{"global tag key resolves to its template", "aws:PrincipalTag/team", "aws:PrincipalTag/tag-key", "String", true},
		{"tag keys may hold slashes", "aws:ResourceTag/app/owner", "aws:ResourceTag/tag-key", "String", true},
		{"service key", "lambda:FunctionUrlAuthType", "lambda:FunctionUrlAuthType", "String", false},
		{"service key, any case", "S3:PREFIX", "s3:prefix", "String", false},
		{"service template with angle brackets", "s3:ExistingObjectTag/classification", "s3:ExistingObjectTag/<key>", "String", false},
		{"service template with a middle variable", "kms:EncryptionContext:department", "kms:EncryptionContext:${EncryptionContextKey}", "String", false},
		{"service ARN key", "lambda:SourceFunctionArn", "lambda:SourceFunctionArn", "ARN", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k, ok := c.ConditionKey(tt.key)
			if !ok {
				t.Fatalf("ConditionKey(%q) not found", tt.key)
			}
			if k.Name != tt.wantName || k.Type != tt.wantType || k.Global != tt.global {
				t.Errorf("ConditionKey(%q) = %+v, want %s %s global=%v", tt.key, k, tt.wantName, tt.wantType, tt.global)
			}
			g, gok := c.GlobalConditionKey(tt.key)
			if gok != tt.global || (gok && g != k) {
				t.Errorf("GlobalConditionKey(%q) = %+v, %v", tt.key, g, gok)
			}
		})
	}
	for _, key := range []string{"", "aws:", "aws:NoSuchKey", "aws:PrincipalTag/", "s3:ExistingObjectTag/", "nosuch:key"} {
		if k, ok := c.ConditionKey(key); ok {
			t.Errorf("ConditionKey(%q) = %+v, want not found", key, k)
		}
	}
}

func TestManagedPolicy(t *testing.T) {
	c := Default()
	tests := []struct {
		name       string
		lookup     string
		wantName   string
		wantPath   string
		deprecated bool
		docHas     string
	}{
		{"by name", "AWSLambdaBasicExecutionRole", "AWSLambdaBasicExecutionRole", "/service-role/", false, `"logs:CreateLogStream"`},
		{"by name ignoring case (IAM names are case-insensitive)", "awslambdabasicexecutionrole", "AWSLambdaBasicExecutionRole", "/service-role/", false, `"logs:PutLogEvents"`},
		{"by ARN", "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole", "AWSLambdaBasicExecutionRole", "/service-role/", false, `"logs:CreateLogGroup"`},
		{"by ARN in another partition", "arn:aws-us-gov:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole", "AWSLambdaBasicExecutionRole", "/service-role/", false, `"Resource":"*"`},
		{"root path ARN", "arn:aws:iam::aws:policy/AdministratorAccess", "AdministratorAccess", "/", false, `"Action":["*"]`},
		{"deprecated policy flagged", "AWSLambdaFullAccess", "AWSLambdaFullAccess", "", true, `"lambda:*"`},
		{"deprecated policy without a known ARN found by ARN", "arn:aws:iam::aws:policy/AWSLambdaFullAccess", "AWSLambdaFullAccess", "", true, `"Effect":"Allow"`},
		{"deprecated policy with a known ARN", "arn:aws:iam::aws:policy/service-role/AWSLambdaRole", "AWSLambdaRole", "/service-role/", false, `"lambda:InvokeFunction"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, ok := c.ManagedPolicy(tt.lookup)
			if !ok {
				t.Fatalf("ManagedPolicy(%q) not found", tt.lookup)
			}
			if p.Name != tt.wantName || p.Path != tt.wantPath || p.Deprecated != tt.deprecated {
				t.Errorf("ManagedPolicy(%q) = %s path %q deprecated %v", tt.lookup, p.Name, p.Path, p.Deprecated)
			}
			if p.Path != "" && p.ARN != "arn:aws:iam::aws:policy"+p.Path+p.Name {
				t.Errorf("ARN %q disagrees with path %q", p.ARN, p.Path)
			}
			if !strings.Contains(string(p.Document), tt.docHas) {
				t.Errorf("document %s lacks %s", p.Document, tt.docHas)
			}
			if !strings.HasPrefix(p.Version, "v") {
				t.Errorf("Version = %q", p.Version)
			}
		})
	}
	for _, lookup := range []string{
		"", "NoSuchPolicy", "arn:aws:iam::aws:policy/NoSuchPolicy",
		"arn:aws:iam::aws:policy/AWSLambdaBasicExecutionRole",              // wrong path
		"arn:aws:iam::aws:policy/service-role/awslambdabasicexecutionrole", // ARNs are case-sensitive
		"arn:aws:iam::123456789012:policy/service-role/AWSLambdaBasicExecutionRole",
		"arn:aws:iam::aws:policy/", "arn:", "arn::iam::aws:policy/AdministratorAccess",
	} {
		if p, ok := c.ManagedPolicy(lookup); ok {
			t.Errorf("ManagedPolicy(%q) = %s, want not found", lookup, p.Name)
		}
	}
}

func TestManagedPolicy_documentIsACopy(t *testing.T) {
	c := Default()
	p, _ := c.ManagedPolicy("AdministratorAccess")
	p.Document[0] = 'X'
	if q, _ := c.ManagedPolicy("AdministratorAccess"); q.Document[0] != '{' {
		t.Error("ManagedPolicy exposes the catalog's own document bytes")
	}
}

func TestManagedPolicyNames(t *testing.T) {
	names := Default().ManagedPolicyNames()
	if !slices.IsSorted(names) || !slices.Contains(names, "AWSLambdaBasicExecutionRole") {
		t.Error("ManagedPolicyNames not sorted or lacks AWSLambdaBasicExecutionRole")
	}
	deprecated := 0
	for _, n := range names {
		if p, _ := Default().ManagedPolicy(n); p.Deprecated {
			deprecated++
		}
	}
	if deprecated != 73 {
		t.Errorf("deprecated policies = %d, want 73", deprecated)
	}
}

func TestConditionKeys_eachNameOnceGlobalFirst(t *testing.T) {
	keys := Default().ConditionKeys()
	seen := map[string]bool{}
	globals := 0
	for i, k := range keys {
		low := strings.ToLower(k.Name)
		if seen[low] {
			t.Fatalf("%s listed twice", k.Name)
		}
		seen[low] = true
		if k.Global {
			globals++
			if i >= 59 {
				t.Errorf("global key %s at %d, after service keys", k.Name, i)
			}
		}
	}
	if globals != 59 {
		t.Errorf("global keys = %d, want 59", globals)
	}
	if !seen["aws:requesttag/${tagkey}"] || !seen["s3:prefix"] {
		t.Error("service keys missing from ConditionKeys")
	}
}

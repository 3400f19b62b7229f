package awsapi

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/lambdacheck/lambdacheck/analyzer/awsref"
	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
	"github.com/lambdacheck/lambdacheck/simulator/flow"
)

// failures prefixes routes' files with the shared failure bodies'
// directory, relative to a scenario directory.
func failures(route string) string {
	return strings.Replace(route, "failures/", "../failures/", 1)
}

func unitOf(t *testing.T, inv *inventory.Inventory, region, service string) inventory.CoverageUnit {
	t.Helper()
	if len(inv.Coverage) != 1 {
		t.Fatalf("coverage records = %d, want 1", len(inv.Coverage))
	}
	for _, u := range inv.Coverage[0].Units {
		if u.Region == region && u.Service == service {
			return u
		}
	}
	t.Fatalf("no coverage unit %s/%s in %+v", region, service, inv.Coverage[0].Units)
	return inventory.CoverageUnit{}
}

// unknownInvokeFlows are the reasons of the unknown invocation flows.
func unknownInvokeFlows(t *testing.T, inv *inventory.Inventory) []string {
	t.Helper()
	var out []string
	for _, f := range simulate(t, inv).Flows {
		if f.Kind != flow.KindInvoke || f.Decision != flow.Unknown {
			continue
		}
		var why []string
		for _, s := range f.Steps {
			if s.Decision == flow.Unknown {
				why = append(why, s.Reason)
			}
		}
		out = append(out, f.Title+": "+strings.Join(why, "; "))
	}
	return out
}

func anyContains(list []string, sub string) bool {
	for _, s := range list {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

const workQueueURL = "https://sqs.eu-west-1.amazonaws.com/123456789012/acme-pipeline-work"

// Each failure class affects only what the call was about: the rest of
// the account is read, the snapshot's coverage records the gap, and the
// flows that depend on it are unknown, naming the missing action or the
// failure.
func TestFailureClasses(t *testing.T) {
	pipeline := Options{AllRegions: true, Concurrency: 4}
	cases := []struct {
		name   string
		base   string
		opts   Options
		routes []string
		check  func(t *testing.T, inv *inventory.Inventory, f fake)
	}{{
		name: "a function deleted between ListFunctions and ListAliases is left out with a note",
		base: "testdata/event-pipeline", opts: pipeline,
		routes: []string{"lambda eu-west-1 ListAliases[FunctionName=arn:aws:lambda:eu-west-1:123456789012:function:acme-pipeline-cleanup] 404:ResourceNotFoundException failures/lambda-ResourceNotFound.json"},
		check: func(t *testing.T, inv *inventory.Inventory, f fake) {
			for _, fn := range inv.Functions {
				if fn.Name == "acme-pipeline-cleanup" {
					t.Fatal("the deleted function is in the snapshot")
				}
			}
			if len(inv.Functions) != 4 {
				t.Fatalf("functions = %d, want the 4 others", len(inv.Functions))
			}
			if !hasWarning(inv, inventory.WarningGone, "ListAliases", "") {
				t.Fatalf("no gone warning: %+v", inv.Warnings)
			}
			u := unitOf(t, inv, "eu-west-1", "lambda")
			if u.Gone != 1 || u.Status != inventory.CoverageComplete {
				t.Fatalf("lambda unit = %+v", u)
			}
			// The rule that targeted it now targets a function not in the inventory.
			if !anyContains(unknownInvokeFlows(t, inv), "acme-pipeline-cleanup is not in the inventory") {
				t.Fatalf("flows = %v", unknownInvokeFlows(t, inv))
			}
			if c := inv.Completeness(); len(c.Blocking) != 0 {
				t.Fatalf("blocking = %v", c.Blocking)
			}
		},
	}, {
		name: "an operation the endpoint does not implement is a failure per function",
		base: "testdata/event-pipeline", opts: pipeline,
		routes: []string{"lambda * GetFunctionRecursionConfig 501:InternalFailure failures/not-implemented.json"},
		check: func(t *testing.T, inv *inventory.Inventory, f fake) {
			if len(inv.Functions) != 5 {
				t.Fatalf("functions = %d", len(inv.Functions))
			}
			for _, fn := range inv.Functions {
				if !hasUnknownReason(fn.Unknown, "recursive_loop", "Lambda GetFunctionRecursionConfig failed: InternalFailure") {
					t.Fatalf("%s unknowns = %+v", fn.Name, fn.Unknown)
				}
			}
			u := unitOf(t, inv, "eu-west-1", "lambda")
			if u.Status != inventory.CoveragePartial || len(u.Failed) != 1 || u.Failed[0].Count != 5 || u.Failed[0].Code != "InternalFailure" || u.Failed[0].Listing {
				t.Fatalf("lambda unit = %+v", u)
			}
			if c := inv.Completeness(); !c.Incomplete || len(c.Blocking) != 0 {
				t.Fatalf("completeness = %+v", c)
			}
		},
	}, {
		name: "a queue whose attributes fail after retries is unknown, and so is its mapping",
		base: "testdata/event-pipeline", opts: pipeline,
		routes: []string{"sqs eu-west-1 GetQueueAttributes[QueueUrl=" + workQueueURL + "] 500:InternalFailure failures/internal.json"},
		check: func(t *testing.T, inv *inventory.Inventory, f fake) {
			if n := f.Calls("SQS.GetQueueAttributes"); n != 5+1 {
				t.Fatalf("GetQueueAttributes answered %d times, want 5 attempts on the failing queue and 1 on the other", n)
			}
			u := unitOf(t, inv, "eu-west-1", "sqs")
			if u.Status != inventory.CoveragePartial || len(u.Failed) != 1 || u.Failed[0].Operation != "SQS GetQueueAttributes" {
				t.Fatalf("sqs unit = %+v", u)
			}
			if !anyContains(unknownInvokeFlows(t, inv), "SQS GetQueueAttributes failed: InternalFailure") {
				t.Fatalf("flows = %v", unknownInvokeFlows(t, inv))
			}
		},
	}, {
		name:   "S3 notifications that fail after retries are an unknown flow of the bucket",
		base:   "testdata/thumbnails",
		routes: []string{"s3 eu-west-1 GetBucketNotificationConfiguration[Bucket=acme-photos-uploads] 500:InternalError failures/s3-InternalError.xml"},
		check: func(t *testing.T, inv *inventory.Inventory, f fake) {
			flows := unknownInvokeFlows(t, inv)
			if !anyContains(flows, "S3 notifications of bucket acme-photos-uploads not read: S3 GetBucketNotificationConfiguration failed: InternalError") {
				t.Fatalf("flows = %v", flows)
			}
			if u := unitOf(t, inv, "global", "s3"); u.Status != inventory.CoveragePartial {
				t.Fatalf("s3 unit = %+v", u)
			}
		},
	}, {
		name: "a denied listing marks the service not read, and the mappings from it unknown",
		base: "testdata/event-pipeline", opts: pipeline,
		routes: []string{"sqs eu-west-1 ListQueues 400:AccessDeniedException errors/organizations-AccessDenied.json",
			"sns us-east-1 ListSubscriptions 403:AuthorizationError failures/denied.xml"},
		check: func(t *testing.T, inv *inventory.Inventory, f fake) {
			u := unitOf(t, inv, "eu-west-1", "sqs")
			if u.Status != inventory.CoverageNotRead || len(u.Denied) != 1 || u.Denied[0].Action != "sqs:ListQueues" || !u.Denied[0].Listing {
				t.Fatalf("sqs unit = %+v", u)
			}
			flows := unknownInvokeFlows(t, inv)
			if !anyContains(flows, "sqs:ListQueues denied") {
				t.Fatalf("no unknown SQS flow naming sqs:ListQueues: %v", flows)
			}
			if !anyContains(flows, "SNS subscriptions in region us-east-1 not read: sns:ListSubscriptions denied") {
				t.Fatalf("no unknown SNS flow naming sns:ListSubscriptions: %v", flows)
			}
			// Queues of the account the inventory refers to stay in the
			// account, their policy unknown: not "outside".
			for _, fl := range simulate(t, inv).Flows {
				if fl.Kind == flow.KindAccess && strings.HasPrefix(fl.Resource.ARN, "arn:aws:sqs:eu-west-1:123456789012:") && fl.Outside {
					t.Errorf("access to %s is outside the inventory", fl.Resource.ARN)
				}
			}
			c := inv.Completeness()
			if !anyContains(c.Blocking, "sqs was not read in eu-west-1") || !anyContains(c.Blocking, "sns was not read in us-east-1") {
				t.Fatalf("blocking = %v", c.Blocking)
			}
		},
	}, {
		name: "an access-denied answer with an XML body on a JSON service is a denial",
		base: "testdata/event-pipeline", opts: pipeline,
		routes: []string{"lambda eu-west-1 GetPolicy 403 failures/denied.xml"},
		check: func(t *testing.T, inv *inventory.Inventory, f fake) {
			if !hasWarning(inv, inventory.WarningDenied, "GetPolicy", "lambda:GetPolicy") {
				t.Fatalf("warnings = %+v", inv.Warnings)
			}
			for _, fn := range inv.Functions {
				if fn.Region == "eu-west-1" && !hasUnknownReason(fn.Unknown, "resource_policies", "lambda:GetPolicy denied") {
					t.Fatalf("%s unknowns = %+v", fn.Name, fn.Unknown)
				}
			}
			if !anyContains(unknownInvokeFlows(t, inv), "lambda:GetPolicy denied") {
				t.Fatalf("flows = %v", unknownInvokeFlows(t, inv))
			}
		},
	}, {
		name: "an empty queue ARN is a warning naming the operation",
		base: "testdata/event-pipeline", opts: pipeline,
		routes: []string{"sqs eu-west-1 GetQueueAttributes[QueueUrl=" + workQueueURL + "] 200 failures/sqs-GetQueueAttributes.empty-arn.json"},
		check: func(t *testing.T, inv *inventory.Inventory, f fake) {
			var found bool
			for _, w := range inv.Warnings {
				if w.Kind == inventory.WarningInvalid && w.Operation == "GetQueueAttributes" && w.Resource == workQueueURL && strings.Contains(w.Message, "QueueArn is empty") {
					found = true
				}
			}
			if !found {
				t.Fatalf("warnings = %+v", inv.Warnings)
			}
			for _, r := range inv.Resources {
				if r.ARN == "" {
					t.Fatalf("a resource without ARN: %+v", r)
				}
			}
		},
	}, {
		name: "a policy document that is not JSON is unknown, with a warning naming the operation",
		base: "testdata/event-pipeline", opts: pipeline,
		routes: []string{"sqs eu-west-1 GetQueueAttributes[QueueUrl=" + workQueueURL + "] 200 failures/sqs-GetQueueAttributes.bad-policy.json"},
		check: func(t *testing.T, inv *inventory.Inventory, f fake) {
			if !hasWarning(inv, inventory.WarningInvalid, "GetQueueAttributes", "") {
				t.Fatalf("warnings = %+v", inv.Warnings)
			}
			for _, r := range inv.Resources {
				if r.URL == workQueueURL && (r.Policy == nil || !hasUnknownField(r.Policy.Unknown, "document")) {
					t.Fatalf("queue = %+v", r)
				}
			}
			if u := unitOf(t, inv, "eu-west-1", "sqs"); u.Invalid != 1 || u.Status != inventory.CoveragePartial {
				t.Fatalf("sqs unit = %+v", u)
			}
		},
	}, {
		name:   "a function listed without its ARN is left out with a warning",
		base:   "testdata/thumbnails",
		routes: []string{"lambda eu-west-1 ListFunctions 200 failures/lambda-ListFunctions.empty-arn.json"},
		check: func(t *testing.T, inv *inventory.Inventory, f fake) {
			if len(inv.Functions) != 1 || !hasWarning(inv, inventory.WarningInvalid, "ListFunctions", "") {
				t.Fatalf("functions %d, warnings %+v", len(inv.Functions), inv.Warnings)
			}
		},
	}, {
		name:   "aliases not read make a trigger on an alias unknown, not denied",
		base:   "testdata/qualifiers",
		routes: []string{"lambda eu-west-1 ListAliases 403:AccessDeniedException ../denied/errors/lambda-AccessDenied.json"},
		check: func(t *testing.T, inv *inventory.Inventory, f fake) {
			for _, fl := range simulate(t, inv).Flows {
				if fl.Trigger != nil && fl.Trigger.Type == "sns" && fl.Trigger.Function.Qualifier == "live" {
					if fl.Decision != flow.Unknown || !anyContains(stepReasons(fl), "lambda:ListAliases denied") {
						t.Fatalf("sns → live: %s %v", fl.Decision, stepReasons(fl))
					}
					return
				}
			}
			t.Fatal("no SNS flow to the alias")
		},
	}}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var routes []string
			for _, r := range tc.routes {
				routes = append(routes, failures(r))
			}
			inv, f := collectFake(t, tc.base, tc.opts, routes...)
			tc.check(t, inv, f)
		})
	}
}

func hasWarning(inv *inventory.Inventory, kind, op, permission string) bool {
	for _, w := range inv.Warnings {
		if w.Kind == kind && w.Operation == op && (permission == "" || w.Permission == permission) {
			return true
		}
	}
	return false
}

func hasUnknownReason(us []inventory.Unknown, field, reason string) bool {
	for _, u := range us {
		if u.Field == field && strings.Contains(u.Reason, reason) {
			return true
		}
	}
	return false
}

// allowOnly enforces a permission set on the fake as IAM would: an
// operation passes when every action it needs is granted.
func allowOnly(granted map[string]bool) func(service, op string) (bool, string) {
	return func(service, op string) (bool, string) {
		o, ok := lookupOperation(service, op)
		if !ok {
			return false, service + ":" + op
		}
		for _, a := range o.actions {
			if !granted[a] {
				return false, a
			}
		}
		return true, ""
	}
}

// requiredActions are the actions of the printed required policy.
func requiredActions() []string {
	seen := map[string]bool{}
	var out []string
	for _, op := range operations {
		if op.credential {
			continue
		}
		for _, a := range op.actions {
			if !seen[a] {
				seen[a] = true
				out = append(out, a)
			}
		}
	}
	return out
}

// With no permission at all the caller is still identified (GetCallerIdentity
// needs none); every listing is denied and the inventory must not pass a
// gate.
func TestEverythingDenied(t *testing.T) {
	f := newFake(t, "testdata/event-pipeline")
	f.Enforce(allowOnly(map[string]bool{}))
	inv, err := Collect(context.Background(), f.config("eu-west-1"), Options{Regions: []string{"eu-west-1"}, Catalog: awsref.Default()})
	if err != nil {
		t.Fatal(err)
	}
	if len(inv.Functions) != 0 || len(inv.Coverage) != 1 || inv.Coverage[0].Identity.Account != "123456789012" {
		t.Fatalf("functions %d, coverage %+v", len(inv.Functions), inv.Coverage)
	}
	for _, u := range inv.Coverage[0].Units {
		if u.Status != inventory.CoverageNotRead || len(u.Denied) == 0 || u.Denied[0].Action == "" {
			t.Errorf("unit %s/%s = %+v, want not read with the missing action", u.Region, u.Service, u)
		}
	}
	c := inv.Completeness()
	if !anyContains(c.Blocking, "nothing was collected from account 123456789012") || !anyContains(c.Blocking, "lambda was not read in eu-west-1") {
		t.Fatalf("blocking = %v", c.Blocking)
	}
	if !anyContains(unknownInvokeFlows(t, inv), "Lambda functions (and their URLs) in region eu-west-1 not read: lambda:ListFunctions denied") {
		t.Fatalf("flows = %v", unknownInvokeFlows(t, inv))
	}
}

// Least privilege: with exactly the printed policy, collect reads what it
// reads with every permission; without any one of its actions, only the
// flows that need the action change, and they become unknown (or the
// inventory is marked as unable to pass a gate) — none changes to another
// definite decision.
func TestLeastPrivilege(t *testing.T) {
	actions := requiredActions()
	full := map[string]bool{}
	for _, a := range actions {
		full[a] = true
	}
	for _, sc := range []struct {
		name, dir string
		opts      Options
		routes    []string
	}{
		{"event-pipeline", "testdata/event-pipeline", Options{AllRegions: true, Concurrency: 4}, nil},
		{"qualifiers", "testdata/qualifiers", Options{}, nil},
		{"orders-api", "testdata/orders-api", Options{}, nil},
		{"device-hub", "testdata/device-hub", Options{}, nil},
		{"device-hub-invokers", "testdata/device-hub", Options{}, invokerRoutes},
	} {
		t.Run(sc.name, func(t *testing.T) { leastPrivilege(t, sc.dir, sc.opts, actions, full, sc.routes...) })
	}
}

func leastPrivilege(t *testing.T, dir string, opts Options, actions []string, full map[string]bool, routes ...string) {
	run := func(t *testing.T, granted map[string]bool) (*inventory.Inventory, fake) {
		f := newFake(t, dir, routes...)
		f.Enforce(allowOnly(granted))
		o := opts
		o.Catalog = awsref.Default()
		inv, err := Collect(context.Background(), f.config("eu-west-1"), o)
		if err != nil {
			t.Fatal(err)
		}
		return inv, f
	}
	ref, _ := collectFake(t, dir, opts, routes...)
	base, bf := run(t, full)
	for _, op := range operations {
		if n := bf.Denied(op.service + "." + op.name); n > 0 {
			t.Errorf("with the required policy, %s %s was denied %d times", op.service, op.name, n)
		}
	}
	if len(base.Warnings) != len(ref.Warnings) || len(base.Functions) != len(ref.Functions) || len(base.Triggers) != len(ref.Triggers) || len(base.Resources) != len(ref.Resources) {
		t.Fatalf("with the required policy: %d warnings, %d functions, %d triggers, %d resources; unrestricted: %d, %d, %d, %d",
			len(base.Warnings), len(base.Functions), len(base.Triggers), len(base.Resources), len(ref.Warnings), len(ref.Functions), len(ref.Triggers), len(ref.Resources))
	}
	want := flowKeys(simulate(t, base))
	for _, action := range actions {
		t.Run(action, func(t *testing.T) {
			granted := map[string]bool{}
			for a := range full {
				granted[a] = a != action
			}
			inv, _ := run(t, granted)
			for _, w := range inv.Warnings {
				if w.Kind == inventory.WarningDenied && w.Permission != action && !deniedIn(ref, w.Permission) {
					t.Errorf("warning for another action: %+v", w)
				}
			}
			blocked := len(inv.Completeness().Blocking) > 0
			res := simulate(t, inv)
			got := flowKeys(res)
			// A flow may vanish only if an unknown flow or an unresolved
			// value names the action, or if the inventory cannot pass a
			// gate.
			standIn := anyContains(unknownInvokeFlows(t, inv), action+" denied")
			for _, u := range res.Unknowns {
				standIn = standIn || strings.Contains(u.Reason, action+" denied")
			}
			for k, v := range want {
				g, ok := got[k]
				switch {
				case ok && g == v:
				case ok && strings.HasPrefix(g, string(flow.Unknown)):
				case ok && onlyStepsUnknown(v, g):
				case !ok && (blocked || standIn):
				default:
					t.Errorf("flow %s: %q without %s, %q with it", k, g, action, v)
				}
			}
			for k, g := range got {
				if _, ok := want[k]; !ok && !strings.HasPrefix(g, string(flow.Unknown)) && !blocked {
					t.Errorf("new flow %s = %q without %s", k, g, action)
				}
			}
		})
	}
}

// A call that does not answer within the call timeout is recorded as
// failed (code Timeout) and the rest is read.
func TestCallTimeout(t *testing.T) {
	f := newFake(t, "testdata/thumbnails")
	f.Enforce(func(service, op string) (bool, string) {
		if service == "SQS" && op == "GetQueueAttributes" {
			time.Sleep(3 * time.Second) // an endpoint that hangs
		}
		return true, ""
	})
	inv, err := Collect(context.Background(), f.config("eu-west-1"), Options{Regions: []string{"eu-west-1"}, CallTimeout: time.Second, Catalog: awsref.Default()})
	if err != nil {
		t.Fatal(err)
	}
	u := unitOf(t, inv, "eu-west-1", "sqs")
	if u.Status != inventory.CoveragePartial || len(u.Failed) != 1 || u.Failed[0].Code != "Timeout" {
		t.Fatalf("sqs unit = %+v", u)
	}
	if len(inv.Functions) != 1 || unitOf(t, inv, "global", "s3").Status != inventory.CoverageComplete {
		t.Fatalf("the rest was not read: %d functions", len(inv.Functions))
	}
}

// deniedIn reports whether the unrestricted scenario itself denies action.
func deniedIn(inv *inventory.Inventory, action string) bool {
	for _, w := range inv.Warnings {
		if w.Kind == inventory.WarningDenied && w.Permission == action {
			return true
		}
	}
	return false
}

// onlyStepsUnknown reports whether an invocation flow kept its decision
// and only steps that became unknown differ ("DECISION [step = d; …]");
// flows that share a key (joined by " | ") are compared one by one.
func onlyStepsUnknown(want, got string) bool {
	ws, gs := strings.Split(want, " | "), strings.Split(got, " | ")
	if len(ws) != len(gs) {
		return false
	}
	for i := range ws {
		if !oneFlowOnlyStepsUnknown(ws[i], gs[i]) {
			return false
		}
	}
	return true
}

func oneFlowOnlyStepsUnknown(want, got string) bool {
	wd, ws, ok1 := strings.Cut(want, " [")
	gd, gs, ok2 := strings.Cut(got, " [")
	if !ok1 || !ok2 || wd != gd {
		return false
	}
	had := map[string]bool{}
	for _, s := range strings.Split(strings.TrimSuffix(ws, "]"), "; ") {
		had[s] = true
	}
	for _, s := range strings.Split(strings.TrimSuffix(gs, "]"), "; ") {
		if !had[s] && !strings.HasSuffix(s, "= "+string(flow.Unknown)) {
			return false
		}
	}
	return true
}

func stepReasons(f flow.Flow) []string {
	var out []string
	for _, s := range f.Steps {
		out = append(out, s.What+": "+s.Reason)
	}
	return out
}

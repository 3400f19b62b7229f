package awsapi

import (
	"bytes"
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/lambdacheck/lambdacheck/analyzer/awsref"
	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
	"github.com/lambdacheck/lambdacheck/analyzer/terraform"
	"github.com/lambdacheck/lambdacheck/simulator"
	"github.com/lambdacheck/lambdacheck/simulator/flow"
)

// flowKeys reduces flows to what does not depend on how items are
// addressed (Terraform addresses versus ARNs): each flow is keyed by the
// ARNs it joins and valued by its decision, its steps' decisions and the
// actions it grants.
func flowKeys(res *flow.Result) map[string]string {
	keyOf := map[string]string{}
	out := map[string]string{}
	for _, f := range res.Flows {
		var key, val string
		switch f.Kind {
		case flow.KindInvoke:
			t := f.Trigger
			key = fmt.Sprintf("invoke %s %s -> %s:%s", t.Type, t.Source.ARN, t.Function.ARN, t.Function.Qualifier)
			if t.Type == "function_url" {
				key = fmt.Sprintf("invoke url -> %s:%s", t.Function.ARN, t.Function.Qualifier)
			}
			var steps []string
			for _, s := range f.Steps {
				steps = append(steps, s.What+" = "+string(s.Decision))
			}
			val = string(f.Decision) + " [" + strings.Join(steps, "; ") + "]"
		case flow.KindAccess:
			key = fmt.Sprintf("access %s -> %s %s %s outside=%v", f.Function.ARN, f.Resource.ARN, f.Level, f.Purpose, f.Outside)
			val = string(f.Decision) + " " + strings.Join(f.Actions, ",")
		case flow.KindReach:
			key = fmt.Sprintf("reach %s %s %s", f.Target.ARN, f.Reach, f.Principal)
			val = string(f.Decision) + " " + strings.Join(f.Actions, ",")
		case flow.KindChain:
			var path []string
			for _, id := range f.Path {
				path = append(path, keyOf[id])
			}
			key = "chain " + strings.Join(path, " => ")
			val = fmt.Sprintf("%s loop=%v", f.Decision, f.Loop)
		}
		keyOf[f.ID] = key
		if prev, dup := out[key]; dup {
			val = prev + " | " + val
		}
		out[key] = val
	}
	return out
}

func simulate(t *testing.T, inv *inventory.Inventory) *flow.Result {
	t.Helper()
	res, err := simulator.Simulate(context.Background(), inv, simulator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// withPlaceholders replaces Terraform placeholders for identifiers AWS
// assigns at creation (a placeholder stands for one fixed value) by the
// values the emulated account assigned.
func withPlaceholders(t *testing.T, inv *inventory.Inventory, values map[string]string) *inventory.Inventory {
	t.Helper()
	var buf bytes.Buffer
	if err := inventory.Write(&buf, inv); err != nil {
		t.Fatal(err)
	}
	data := buf.String()
	for k, v := range values {
		// The encoder writes '<' and '>' as \u003c and \u003e.
		esc := strings.NewReplacer("<", `\u003c`, ">", `\u003e`).Replace(k)
		data = strings.ReplaceAll(strings.ReplaceAll(data, k, v), esc, v)
	}
	if strings.Contains(data, `\u003caws_`) {
		t.Fatalf("placeholders left after substitution")
	}
	out, err := inventory.Decode([]byte(data))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// The collector reads the same application as the Terraform loader: the
// flows simulated from the emulated account equal those simulated from
// the Terraform configuration that deployed it.
func TestFlowsMatchTerraform(t *testing.T) {
	cases := []struct {
		name, fixture, data string
		placeholders        map[string]string
		// onlyInAWS are documented differences: flows whose key contains
		// one of these come from what AWS adds and Terraform does not show.
		onlyInAWS []string
	}{
		{"event-pipeline", "../../fixtures/event-pipeline", "testdata/event-pipeline",
			map[string]string{"<aws_kms_key.queue.key_id>": "6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b"},
			// A topic created without a policy gets SNS's default policy
			// (Principal "*" pinned by AWS:SourceOwner); GetTopicAttributes
			// returns it, a Terraform plan does not.
			[]string{"-> arn:aws:sns:us-east-1:123456789012:acme-pipeline-billing-alerts "}},
		{"thumbnails", "../../fixtures/thumbnails", "testdata/thumbnails", nil, nil},
		{"orders-api", "../../fixtures/orders-api", "testdata/orders-api",
			map[string]string{"<aws_api_gateway_rest_api.orders.id>": "a1b2c3d4e5", "<aws_apigatewayv2_api.public.id>": "f6g7h8i9j0",
				"<aws_apigatewayv2_authorizer.token.id>": "k1l2m3", "<aws_dynamodb_table.orders.stream_label>": "2026-10-02T09:14:03.612"},
			[]string{"-> arn:aws:sns:eu-west-1:123456789012:acme-order-notifications "}},
		// Every invocation path here is read from its own service's API.
		{"device-hub", "../../fixtures/device-hub", "testdata/device-hub",
			map[string]string{"<aws_cognito_user_pool.users.id>": "eu-west-1_Hub7x9Q2a", "<aws_lb_target_group.ingest.tg_id>": "1a2b3c4d5e6f7a8b",
				"<aws_secretsmanager_secret.db.suffix>": "Xy12Ab"}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tf, err := terraform.Load(context.Background(), c.fixture, terraform.Options{Account: "123456789012", Region: "eu-west-1", Catalog: awsref.Default()})
			if err != nil {
				t.Fatal(err)
			}
			want := flowKeys(simulate(t, withPlaceholders(t, tf, c.placeholders)))
			inv, _ := collectFake(t, c.data, Options{AllRegions: true})
			got := flowKeys(simulate(t, inv))
			var diffs []string
			known := func(k string) bool {
				for _, pat := range c.onlyInAWS {
					if strings.Contains(k, pat) {
						return true
					}
				}
				return false
			}
			for k, v := range want {
				if g, ok := got[k]; ok && g != v && known(k) && containsAll(strings.Split(g, " | "), strings.Split(v, " | ")) {
					continue // AWS adds flows through the default policy beside Terraform's
				}
				if g, ok := got[k]; !ok {
					diffs = append(diffs, "missing from AWS: "+k+" = "+v)
				} else if g != v {
					diffs = append(diffs, "differs: "+k+"\n    terraform: "+v+"\n    aws:       "+g)
				}
			}
			for k, v := range got {
				if _, ok := want[k]; !ok && !known(k) {
					diffs = append(diffs, "only in AWS: "+k+" = "+v)
				}
			}
			sort.Strings(diffs)
			if len(diffs) > 0 {
				t.Fatalf("%d flow difference(s):\n%s", len(diffs), strings.Join(diffs, "\n"))
			}
			if len(want) < 5 {
				t.Fatalf("only %d flows compared; the fixture should give more", len(want))
			}
		})
	}
}

func containsAll(have, want []string) bool {
	set := map[string]bool{}
	for _, h := range have {
		set[h] = true
	}
	for _, w := range want {
		if !set[w] {
			return false
		}
	}
	return true
}

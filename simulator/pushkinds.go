package simulator

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/lambdacheck/lambdacheck/analyzer/iam"
	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
	"github.com/lambdacheck/lambdacheck/analyzer/loc"
	"github.com/lambdacheck/lambdacheck/simulator/eventsource"
	"github.com/lambdacheck/lambdacheck/simulator/flow"
)

// unmodelledService is the trigger type the loaders give a resource that
// can invoke a function by a path lambdacheck does not model: its flow is
// unknown, never allowed by omission (docs/triggers.md).
const unmodelledService = "unmodelled"

// unmodelledStep is the invoke step of such a trigger, naming the type.
func unmodelledStep(t *inventory.Trigger) flow.Step {
	why := unknownReason(t.Unknown, "kind")
	if why == "" {
		why = "lambdacheck does not model how this source invokes Lambda"
	}
	return note("invoke permission", flow.Unknown, why)
}

// pinSource sets what the service sends besides its source ARN and
// account: for sources pinned by lambda:EventSourceToken (Alexa skills,
// "Using AWS Lambda with Alexa"), the skill id the trigger names, unknown
// when it names none.
func pinSource(c *condCtx, t *inventory.Trigger) {
	push, ok := eventsource.Default().Push(t.Service)
	if !ok || !push.TokenPin {
		return
	}
	if t.Filter != nil && t.Filter.Expression != "" {
		c.Set("lambda:EventSourceToken", t.Filter.Expression)
		return
	}
	c.SetUnknown("lambda:EventSourceToken")
}

// principalFlows: every permission or resource-policy statement that grants
// a service principal AWS does not document as invoking Lambda (a
// misspelling such as alexa-appkit.amazonaws.com, or a service that never
// calls Lambda) is a reach flow "unknown-service" with the closest known
// principal as the suggestion. Such a grant lets nothing in; the service
// it was meant for stays locked out.
func (w *world) principalFlows() []flow.Flow {
	var out []flow.Flow
	for i := range w.inv.Functions {
		fn := &w.inv.Functions[i]
		seen := map[string]bool{}
		for _, p := range fn.Permissions {
			if !eventsource.IsServicePrincipal(p.Principal) || eventsource.KnownInvoker(p.Principal) {
				continue
			}
			seen[p.Address+"|"+p.Principal] = true
			out = append(out, w.unknownServiceFlow(fn, p.Qualifier, p.Principal, nonEmpty(p.Action, "lambda:InvokeFunction"), flow.Ref{Address: p.Address, Span: loc.At(p.File, p.Line)}, "permission "+nonEmpty(p.StatementID, p.Address)))
		}
		for _, qp := range fn.ResourcePolicies {
			if qp.Address == "" || qp.Address == fn.Address {
				continue // rendered from the permissions above
			}
			pol, why := w.compile(&qp.Policy, iam.ResourcePolicy, fn.Address)
			if pol == nil || why != "" {
				continue
			}
			services := map[string]bool{}
			for _, s := range pol.Statements {
				if s.Effect != iam.Allow || s.Principal == nil {
					continue
				}
				for _, svc := range s.Principal.Services {
					if eventsource.IsServicePrincipal(svc) && !eventsource.KnownInvoker(svc) && !seen[qp.Address+"|"+svc] {
						services[svc] = true
					}
				}
			}
			for _, svc := range slices.Sorted(maps.Keys(services)) {
				out = append(out, w.unknownServiceFlow(fn, qp.Qualifier, svc, "lambda:InvokeFunction", flow.Ref{Address: qp.Address, Span: loc.At(qp.File, qp.Line)}, "resource policy "+qp.Address))
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// awsServiceOf returns the IAM service prefix a service principal of the
// form PREFIX.amazonaws.com names, or "" when no AWS service has it.
func (w *world) awsServiceOf(principal string) string {
	prefix, ok := strings.CutSuffix(strings.ToLower(principal), ".amazonaws.com")
	if !ok || prefix == "" || strings.Contains(prefix, ".") || w.cat == nil {
		return ""
	}
	if _, known := w.cat.Service(prefix); known {
		return prefix
	}
	return ""
}

func (w *world) unknownServiceFlow(fn *inventory.Function, qualifier, principal, action string, grant flow.Ref, what string) flow.Flow {
	// A real service that never calls Lambda (SQS, DynamoDB and Kinesis
	// are polled with the execution role; CloudFront replicates through
	// edgelambda) is no misspelling: the nearest name by edit distance
	// (ses for sqs) would mislead.
	service := w.awsServiceOf(principal)
	suggestion, reason := "", ""
	if service != "" {
		reason = fmt.Sprintf("%s is the principal of the AWS service %s, which does not invoke Lambda functions through resource-based policies, so the grant lets nothing in", principal, service)
	} else {
		suggestion = eventsource.Suggest(principal)
		reason = fmt.Sprintf("%s is not a service principal AWS documents as invoking Lambda functions, so no service invokes through this grant", principal)
		if suggestion != "" && !strings.EqualFold(suggestion, principal) {
			reason += fmt.Sprintf("; did you mean %s?", suggestion)
		}
	}
	return flow.Flow{
		ID:         fmt.Sprintf("reach/unknown-service/%s/%s:%s", principal, fn.Address, qualifierOrDefault(qualifier)),
		Kind:       flow.KindReach,
		Decision:   flow.Unknown,
		Title:      fmt.Sprintf("%s grants unknown service principal %s on %s", what, principal, fn.Address),
		Target:     &flow.Ref{Address: fn.Address, ARN: qualifiedARN(fn.ARN, qualifier), Span: loc.At(fn.File, fn.Line)},
		Principal:  principal,
		Actions:    []string{action},
		Reach:      "unknown-service",
		Suggestion: suggestion,
		AWSService: service != "",
		Grant:      &grant,
		Steps:      []flow.Step{note("known service principal", flow.Unknown, reason)},
	}
}

// neededGrant names the permission a denied push source lacks: the
// principal on the exact target, pinned the way the source is sent.
func neededGrant(principal string, t *inventory.Trigger, target, srcAccount string) string {
	var pins []string
	push, _ := eventsource.Default().Push(t.Service)
	switch {
	case push.TokenPin:
		if t.Filter != nil && t.Filter.Expression != "" {
			pins = append(pins, "event_source_token "+t.Filter.Expression)
		}
	default:
		if t.SourceARN != "" {
			pins = append(pins, "source_arn "+t.SourceARN)
		}
		if srcAccount != "" && (push.SourceAccountCondition || t.SourceARN == "") {
			pins = append(pins, "source_account "+srcAccount)
		}
	}
	s := "; needed: a permission for " + principal + " to lambda:InvokeFunction " + target
	if len(pins) > 0 {
		s += " with " + strings.Join(pins, " and ")
	}
	return s
}

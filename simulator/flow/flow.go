// Package flow holds the simulator's output records: flows made of steps,
// each step decided by the IAM engine with the statements that decided it.
// They are plain JSON-tagged data: the simulator writes them, the Rego rules
// read them as input, and `simulate --format json` prints them under the
// contract documented in docs/flows.md.
//
// Pipeline place: inventory → simulator → flows (this package) → rules →
// findings → report.
package flow

import "github.com/lambdacheck/lambdacheck/analyzer/loc"

// SchemaVersion is the version of the JSON contract.
const SchemaVersion = 2

// Decision is a four-valued verdict. A flow through an unknown value (an
// unresolved Terraform expression, a context key static analysis cannot
// know) is never reported as certainly allowed or denied.
type Decision string

const (
	Allowed     Decision = "allowed"
	Conditional Decision = "conditional" // holds only if the listed conditions hold
	Denied      Decision = "denied"
	Unknown     Decision = "unknown" // depends on a value the source did not resolve
)

// Rank orders decisions from the most to the least granting: allowed,
// conditional, unknown, denied.
func (d Decision) Rank() int {
	switch d {
	case Allowed:
		return 0
	case Conditional:
		return 1
	case Unknown:
		return 2
	default:
		return 3
	}
}

// Combine is the decision of steps that must all hold: the worst of them.
func Combine(ds ...Decision) Decision {
	out := Allowed
	for _, d := range ds {
		if d.Rank() > out.Rank() {
			out = d
		}
	}
	return out
}

// Kind is what a flow describes.
type Kind string

const (
	KindInvoke Kind = "invoke" // a trigger invoking a function
	KindAccess Kind = "access" // a function's role reaching a resource
	KindReach  Kind = "reach"  // an outside principal reaching a function or its role
	KindChain  Kind = "chain"  // several flows linked into a path
)

// Ref names an inventory item: its Terraform address (or ARN for live
// sources) and its ARN.
type Ref struct {
	Address string `json:"address,omitempty"`
	ARN     string `json:"arn,omitempty"`
	// Span is where the item is defined: its file and first line.
	loc.Span
}

// FunctionRef is a function, with the qualifier a trigger targets.
type FunctionRef struct {
	Ref
	Qualifier string `json:"qualifier,omitempty"`
}

// Statement is a policy statement that decided a step.
type Statement struct {
	Policy string `json:"policy"` // policy name or address
	Layer  string `json:"layer"`  // identity, resource, boundary, session, scp, rcp
	Index  int    `json:"index"`
	Sid    string `json:"sid,omitempty"`
	Effect string `json:"effect"`
	// Span is the block that wrote the statement: its policy's definition,
	// or the permission block that added it to a resource policy the
	// source assembled. Statements no block wrote (implied or assumed
	// policies) have none.
	loc.Span
	Certain   bool   `json:"certain"`
	Condition string `json:"condition,omitempty"` // for uncertain statements: what must hold
	// Conditions are every clause of an Allow statement's Condition
	// element, in words, whether or not the request met them: what an
	// audit shows beside the grant.
	Conditions []string `json:"conditions,omitempty"`
}

// Step is one decided link of a flow.
type Step struct {
	What     string   `json:"what"`
	Decision Decision `json:"decision"`
	Reason   string   `json:"reason"`
	// The request the step asked the engine, when it asked one.
	Principal  string      `json:"principal,omitempty"`
	Action     string      `json:"action,omitempty"`
	Resource   string      `json:"resource,omitempty"`
	Statements []Statement `json:"statements"`
}

// Trigger is an invoke flow's event source and target.
type Trigger struct {
	Type     string      `json:"type"` // s3, sns, sqs, … (docs/flows.md)
	Kind     string      `json:"kind"` // push or poll
	Address  string      `json:"address,omitempty"`
	Source   Ref         `json:"source"`
	Function FunctionRef `json:"function"`
	Enabled  bool        `json:"enabled"`
	Events   []string    `json:"events,omitempty"`
	Filter   string      `json:"filter,omitempty"`
	// Permissions are the permissions of the function that name the
	// trigger's service principal and admit its source (no source_arn, or
	// one whose pattern matches): on the qualifier the trigger invokes
	// (Permissions) and on other qualifiers (OtherQualifierPermissions),
	// which do not apply to it as Lambda decides per qualifier. Addresses,
	// sorted; push triggers through the resource policy only.
	Permissions               []string `json:"permissions,omitempty"`
	OtherQualifierPermissions []string `json:"other_qualifier_permissions,omitempty"`
}

// Flow is one simulated path from an entry to an effect.
type Flow struct {
	ID       string   `json:"id"`
	Kind     Kind     `json:"kind"`
	Decision Decision `json:"decision"`
	Title    string   `json:"title"`
	Steps    []Step   `json:"steps"`

	// invoke
	Trigger *Trigger `json:"trigger,omitempty"`

	// access
	Function *FunctionRef `json:"function,omitempty"`
	Resource *Ref         `json:"resource,omitempty"`
	Level    string       `json:"level,omitempty"`   // List, Read, Write, Permissions management, Tagging
	Actions  []string     `json:"actions,omitempty"` // allowed (or conditional) actions
	// Purpose says why the access matters beyond ordinary reach:
	// destination, dead-letter, poll-source, env-key, logging.
	Purpose string `json:"purpose,omitempty"`
	// Outside is true for access to resources outside the inventory ("*"
	// or patterns), where Resource.ARN holds the policy's pattern.
	Outside bool `json:"outside,omitempty"`
	// CrossAccount is true when the resource is in another account.
	CrossAccount bool `json:"cross_account,omitempty"`
	// Covers is set when the flow stands for many inventory resources: a
	// wildcard grant decided once for every resource of one type that its
	// pattern (Resource.ARN) matches and nothing else tells apart.
	Covers *Coverage `json:"covers,omitempty"`

	// reach
	Target    *Ref   `json:"target,omitempty"`    // the function or role reached
	Principal string `json:"principal,omitempty"` // who: "*", an account, a service
	// Reach is public, public-url, account, service, assume-role or
	// unknown-service (a grant to a service principal that does not
	// invoke Lambda).
	Reach string `json:"reach,omitempty"`
	// Suggestion is, for unknown-service, the known invoking principal
	// the granted one most resembles ("" when none is close).
	Suggestion string `json:"suggestion,omitempty"`
	// AWSService is, for unknown-service, true when the principal is that
	// of a real AWS service (sqs.amazonaws.com) that does not invoke Lambda
	// through resource-based policies, rather than a name no service has.
	AWSService bool `json:"aws_service,omitempty"`
	// Grant is, for unknown-service, the permission or resource policy
	// that names the principal.
	Grant *Ref `json:"grant,omitempty"`

	// chain
	Path []string `json:"path,omitempty"` // flow ids, entry first
	Loop bool     `json:"loop,omitempty"`
}

// Coverage is the resources an aggregated access flow stands for.
type Coverage struct {
	Type    string `json:"type"`    // service and resource type, e.g. "sqs queue"
	Pattern string `json:"pattern"` // the statement's Resource pattern
	Count   int    `json:"count"`   // how many inventory resources it covers
	Set     string `json:"set"`     // id of the ResourceSet listing them
	// DecidedOn is the member the engine was asked about; every member
	// gets the same answer, as nothing in the policies tells them apart.
	DecidedOn string `json:"decided_on"`
}

// ResourceSet lists the inventory resources aggregated flows cover, once
// for all the flows that cover them.
type ResourceSet struct {
	ID    string `json:"id"`
	Type  string `json:"type"`
	Count int    `json:"count"`
	// Resources lists the ARNs, in inventory order; or the set is the set
	// Base less the ARNs in Except (a grant some other statement of the
	// same role singles resources out of).
	Resources []string `json:"resources,omitempty"`
	Base      string   `json:"base,omitempty"`
	Except    []string `json:"except,omitempty"`
}

// UnknownValue is a value the simulation met but could not resolve.
type UnknownValue struct {
	Address string `json:"address"`
	Field   string `json:"field"`
	Reason  string `json:"reason"`
	loc.Span
}

// Result is the simulator's whole output.
type Result struct {
	Schema   int            `json:"schema"`
	Flows    []Flow         `json:"flows"`
	Unknowns []UnknownValue `json:"unknowns"`
	// ResourceSets are the sets aggregated access flows cover.
	ResourceSets []ResourceSet `json:"resource_sets,omitempty"`
	// Facts are the engine's answers about the policies themselves.
	Facts *Facts `json:"facts,omitempty"`
}

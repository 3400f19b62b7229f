package flow

import "github.com/lambdacheck/lambdacheck/analyzer/loc"

// Facts are what the IAM engine decided about the inventory's policies
// themselves, apart from any one request: the grants of each role's
// identity policies and the service grants of each function's resource
// policies. Rules read them (input.facts) instead of interpreting policy
// documents a second time beside the engine (docs/flows.md, "facts").
type Facts struct {
	// Roles lists, in inventory order, the roles with at least one fact.
	Roles []RoleFacts `json:"roles"`
	// ResourcePolicies lists, in inventory order, the function resource
	// policies with a service grant that is not pinned to its source.
	ResourcePolicies []ResourcePolicyFacts `json:"resource_policies"`
}

// RoleFacts are the facts of one role's identity policies.
type RoleFacts struct {
	ARN     string `json:"arn"`
	Address string `json:"address,omitempty"`
	// Policies are the identity policies with a fact, by their position
	// in the role's inline policies followed by its attached policies.
	Policies []PolicyFacts `json:"policies"`
}

// PolicyFacts are the facts of one identity policy.
type PolicyFacts struct {
	// Index is the policy's position in the role's inline policies
	// followed by its attached policies.
	Index   int    `json:"index"`
	Name    string `json:"name,omitempty"`
	Address string `json:"address,omitempty"`
	// Wildcards are the Allow statements on every resource ("*") that
	// grant every action or whole services.
	Wildcards []WildcardGrant `json:"wildcards,omitempty"`
	// Escalations are the privilege-escalation actions (docs/flows.md)
	// an Allow statement on every resource grants by name or by a
	// partial wildcard, in the list's order; whole-service wildcards are
	// Wildcards.
	Escalations []ActionGrant `json:"escalations,omitempty"`
	// ForeignResources are the resources Allow statements name in an
	// account other than the role's, one per statement and resource.
	ForeignResources []ResourceGrant `json:"foreign_resources,omitempty"`
}

// StatementRef locates a statement: its position in the policy's Statement
// list, its Sid and where it is written.
type StatementRef struct {
	Index int    `json:"index"`
	Sid   string `json:"sid,omitempty"`
	// Span is the block that wrote it, as for a step's statements.
	loc.Span
}

// WildcardGrant is an Allow statement granting every action or whole
// services on every resource.
type WildcardGrant struct {
	Statement StatementRef `json:"statement"`
	// Actions are the statement's Action patterns, as written, that cover
	// every action or every action of a service ("*", "s3:*").
	Actions []string `json:"actions,omitempty"`
	// NotAction, for an Allow with NotAction, lists the actions it leaves
	// out, as written: it grants everything else.
	NotAction []string `json:"not_action,omitempty"`
}

// ActionGrant is an action a statement grants.
type ActionGrant struct {
	Action    string       `json:"action"`
	Statement StatementRef `json:"statement"`
}

// ResourceGrant is a resource an Allow statement names in another account.
type ResourceGrant struct {
	Statement StatementRef `json:"statement"`
	// Actions are the statement's Action patterns as written (none for a
	// NotAction statement).
	Actions  []string `json:"actions,omitempty"`
	Resource string   `json:"resource"`
	Account  string   `json:"account"`
}

// ResourcePolicyFacts are the facts of one function resource policy.
type ResourcePolicyFacts struct {
	// Function is the function's address, Index the policy's position in
	// its resource policies; Address and Qualifier are the policy's.
	Function  string `json:"function"`
	Index     int    `json:"index"`
	Address   string `json:"address,omitempty"`
	Qualifier string `json:"qualifier,omitempty"`
	// Unpinned are its Allow statements granting a service principal
	// without both aws:SourceArn and aws:SourceAccount conditions.
	Unpinned []ServiceGrant `json:"unpinned"`
}

// ServiceGrant is an Allow statement naming a service principal, with the
// source-pinning condition keys it tests.
type ServiceGrant struct {
	Statement     StatementRef `json:"statement"`
	Service       string       `json:"service"` // lower-case
	SourceArn     bool         `json:"source_arn"`
	SourceAccount bool         `json:"source_account"`
}

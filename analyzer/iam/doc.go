// Package iam is the IAM policy evaluation engine: it parses and
// validates policy documents with the position of every statement, and
// decides an authorization request the way AWS documents it — explicit
// deny, SCPs and RCPs by organization level, resource-based policies,
// identity policies, permissions boundaries and session policies, same- and
// cross-account — in three-valued logic, so that a request hinging on an
// unknown context key comes out Conditional with the conditions that must
// hold. Results name the deciding statements.
//
// Where AWS's documentation leaves the answer open it fails closed: an
// Allow statement takes the reading that grants least, a Deny the one that
// denies most (unresolvable policy variables, negated operators on values
// of the wrong type, NotPrincipal with Allow). AWS's built-in rules — the
// requests no policy can change, such as sts:GetCallerIdentity or writes to
// AWS managed policies — are decided first (builtin.go). Each case, with the
// AWS page it follows, is in docs/iam-decisions.md.
//
// Values unknown before `terraform apply` reach it as symbols, "<EXPR>"
// (docs/snapshot.md, "Placeholders"). They match by identity; where a
// pattern could or could not match depending on a symbol's value the match
// is Unknown (pattern/symbol.go), the decision Conditional, and
// Result.Symbols names what it waits for.
//
// It sits under the simulator, which asks it every question of every flow,
// and behind `lambdacheck authz`; it knows nothing about Lambda, Terraform
// or flows. Its subpackages are the wildcard and variable matcher
// (pattern), the condition operators (condition), the action catalog
// (catalog) and the JSON-lines batch runner (batch), which decodes lines
// with a CaseDecoder that reuses the compiled policies of repeated texts.
package iam

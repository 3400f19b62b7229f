// Package iam is the IAM policy evaluation engine (SPEC §4): it parses and
// validates policy documents with the position of every statement, and
// decides an authorization request the way AWS documents it — explicit
// deny, SCPs and RCPs by organization level, resource-based policies,
// identity policies, permissions boundaries and session policies, same- and
// cross-account — in three-valued logic, so that a request hinging on an
// unknown context key comes out Conditional with the conditions that must
// hold. Results name the deciding statements.
//
// It sits under the simulator, which asks it every question of every flow,
// and behind `lambdacheck authz`; it knows nothing about Lambda, Terraform
// or flows. Its subpackages are the wildcard and variable matcher
// (pattern), the condition operators (condition), the action catalog
// (catalog) and the JSON-lines batch runner (batch).
package iam

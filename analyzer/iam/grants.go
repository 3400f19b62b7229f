package iam

import (
	"strings"

	"github.com/lambdacheck/lambdacheck/analyzer/iam/pattern"
)

// This file answers questions about a statement itself rather than about a
// request: how much of the action space each Action pattern covers, which
// named actions it grants, whether it applies to every resource. The
// simulator turns the answers into facts for the rules (docs/flows.md,
// "facts"), so that no rule interprets a policy document beside the engine.

// ActionScope is how much of the action space one Action (or NotAction)
// pattern covers.
type ActionScope uint8

const (
	// SomeActions: named actions, literally or through a partial wildcard
	// ("iam:Put*Policy").
	SomeActions ActionScope = iota
	// ServiceActions: every action of a service ("s3:*"), or of every
	// service its prefix matches ("s*:*").
	ServiceActions
	// AllActions: every action of every service ("*", "*:*").
	AllActions
)

// ActionScope returns the scope of the statement's i-th Action (or
// NotAction) pattern, in the order of Actions. A name part made of stars
// alone matches every action name, however many stars it has.
func (s *Statement) ActionScope(i int) ActionScope {
	a := &s.actions[i]
	if a.service == "*" && a.full == "*" {
		return AllActions
	}
	name := a.full[strings.IndexByte(a.full, ':')+1:]
	if strings.Trim(name, "*") != "" {
		return SomeActions
	}
	if strings.Trim(a.service, "*") == "" {
		return AllActions
	}
	return ServiceActions
}

// PatternMatches reports whether the statement's i-th Action (or
// NotAction) pattern matches action, comparing case-insensitively as IAM
// compares action names. It looks at the one pattern only: NotAction does
// not invert it.
func (s *Statement) PatternMatches(i int, action string) bool {
	a := &s.actions[i]
	return a.full == "*" || (a.literal && equalFold(a.full, action)) || (!a.literal && pattern.MatchFold(a.full, action))
}

// AppliesToEveryResource reports whether the statement's Resource element
// matches a request for "*" — every resource at once, as for actions
// without resource-level permissions: it names "*" itself. A NotResource
// statement does not, whatever it leaves out.
func (s *Statement) AppliesToEveryResource() bool {
	if s.NotResource || s.Resources == nil {
		return false
	}
	r, _ := s.matchResource("*", false, nil)
	return r == tTrue
}

// ConditionKeys returns the sorted lower-case condition keys the
// statement's Condition element tests (the keys of its clauses, not those
// its policy variables read), or nil without a Condition.
func (s *Statement) ConditionKeys() []string {
	return s.cond.ClauseKeys()
}

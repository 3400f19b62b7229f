// Package audit selects from simulated flows what a cross-account audit
// asks: who outside each function's account can invoke it — the public,
// accounts of the application's organization, accounts outside it, and
// services acting without a source pin — and which resources in other
// accounts each function can reach, by access level, each with the
// statements that grant it and their conditions.
//
// Place: after flows; the report package prints what it returns.
// WithSettings takes the application's accounts from the settings file.
package audit

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
	"github.com/lambdacheck/lambdacheck/simulator/flow"
)

// Groups of outside principals and resources, in the order a report
// shows them.
const (
	GroupPublic       = "public"       // anyone: any AWS account, or unauthenticated URL callers
	GroupOrganization = "organization" // accounts of the application's organization
	GroupOutside      = "outside"      // accounts outside the organization
	GroupService      = "service"      // AWS services acting without a source pin
	// GroupAnyAccount (outbound only): a resource outside the inventory
	// whose ARN names no account or a wildcard one (S3 buckets, patterns
	// like arn:aws:sqs:*:*:*): it may be in any account.
	GroupAnyAccount = "any-account"
)

// InboundGroups are the groups of who may invoke, in report order.
var InboundGroups = []string{GroupPublic, GroupOrganization, GroupOutside, GroupService}

// Groups lists every group in report order.
var Groups = append(slices.Clone(InboundGroups), GroupAnyAccount)

// GroupTitle names a group for people.
func GroupTitle(g string) string {
	switch g {
	case GroupPublic:
		return "Public"
	case GroupOrganization:
		return "Accounts of the organization"
	case GroupOutside:
		return "Accounts outside the organization"
	case GroupService:
		return "AWS services without a source pin"
	case GroupAnyAccount:
		return "Outside the inventory, in any account"
	}
	return g
}

func groupRank(g string) int {
	if i := slices.Index(Groups, g); i >= 0 {
		return i
	}
	return len(Groups)
}

// Options say which accounts are the application's.
type Options struct {
	// Accounts are the organization's accounts besides those the
	// inventory holds functions of (which always count as its own: the
	// snapshots of several accounts merged are the organization audited).
	Accounts []string
	// Trusted are outside accounts the application deliberately works
	// with; they stay listed, marked trusted.
	Trusted []string
	// OrgID is the organization's id, shown in the report.
	OrgID string
}

// Audit is a cross-account audit of an inventory.
type Audit struct {
	OrgID    string   `json:"org_id,omitempty"`
	Accounts []string `json:"accounts"` // counted as the organization's
	Trusted  []string `json:"trusted_accounts"`
	// Functions lists every function audited, with or without entries.
	Functions []Function `json:"functions"`
	Entries   []Entry    `json:"entries"`
}

// Function is one audited function and how many entries it has.
type Function struct {
	Function string `json:"function"` // address, or ARN for live sources
	ARN      string `json:"arn,omitempty"`
	Account  string `json:"account,omitempty"`
	// Inbound counts the inbound entries per group; Outbound the resources
	// in other accounts.
	Inbound  map[string]int `json:"inbound"`
	Outbound int            `json:"outbound"`
}

// Entry is one outside principal's invoke or one outside resource reached.
type Entry struct {
	Function  string `json:"function"`
	Direction string `json:"direction"` // "inbound" (who invokes) or "outbound" (what it reaches)
	Group     string `json:"group"`
	// Who is the principal ("*", an account id, a role ARN, an
	// organization id, a service) or the resource reached.
	Who string `json:"who"`
	// Account is the account of Who, when it names one.
	Account string `json:"account,omitempty"`
	Trusted bool   `json:"trusted,omitempty"`
	// Reach (inbound) is public, public-url, organization, account or
	// service; Level (outbound) the access level of Actions.
	Reach    string        `json:"reach,omitempty"`
	Level    string        `json:"level,omitempty"`
	Actions  []string      `json:"actions"`
	Decision flow.Decision `json:"decision"`
	Flow     string        `json:"flow"`
	Granted  []Grant       `json:"granted_by"`

	publicKey string // for an organization-wide entry: its public counterpart
}

// reachKey names a reach flow's qualified function and actions.
func reachKey(f flow.Flow) string {
	return f.Target.ARN + " " + strings.Join(f.Actions, " ")
}

// coveredByPublic: an organization-wide entry whose function and actions
// the public may call at least as surely.
func coveredByPublic(e Entry, public map[string]flow.Decision) bool {
	if e.publicKey == "" {
		return false
	}
	d, ok := public[e.publicKey]
	return ok && d.Rank() <= e.Decision.Rank()
}

// Grant is a statement that allows an entry, with its conditions.
type Grant struct {
	Statement string `json:"statement"` // policy#Sid, or policy[index]
	Layer     string `json:"layer"`
	File      string `json:"file,omitempty"`
	Line      int    `json:"line,omitempty"`
	// Conditions are the statement's condition clauses in words.
	Conditions []string `json:"conditions,omitempty"`
	// Pending is what must still hold when the decision is conditional.
	Pending string `json:"pending,omitempty"`
}

// String is "policy#Sid (file:line)".
func (g Grant) String() string {
	if g.File != "" && g.Line > 0 {
		return fmt.Sprintf("%s (%s:%d)", g.Statement, g.File, g.Line)
	}
	return g.Statement
}

// CrossAccount audits the flows of inv: denied flows are left out;
// conditional and unknown ones are listed with their decision.
func CrossAccount(inv *inventory.Inventory, res *flow.Result, opts Options) *Audit {
	own := map[string]bool{}
	for _, a := range opts.Accounts {
		own[a] = true
	}
	a := &Audit{OrgID: opts.OrgID, Trusted: sortedSet(opts.Trusted), Functions: []Function{}, Entries: []Entry{}}
	index := map[string]int{} // function name → position in fns
	var fns []Function
	if inv != nil {
		for _, fn := range inv.Functions {
			if fn.External {
				continue
			}
			if fn.Account != "" {
				own[fn.Account] = true
			}
			name := cmp.Or(fn.Address, fn.ARN)
			if _, dup := index[name]; dup {
				continue
			}
			index[name] = len(fns)
			fns = append(fns, Function{Function: name, ARN: fn.ARN, Account: fn.Account, Inbound: map[string]int{}})
		}
	}
	a.Accounts = slices.Sorted(maps.Keys(own))
	trusted := map[string]bool{}
	for _, t := range opts.Trusted {
		trusted[t] = true
	}
	group := func(acct string) string {
		if own[acct] {
			return GroupOrganization
		}
		return GroupOutside
	}
	// publicReach: the decision of each public invoke of a qualified
	// function and action, so that an organization entry that says no
	// more than a public one is left out.
	publicReach := map[string]flow.Decision{}
	for _, f := range res.Flows {
		if f.Kind == flow.KindReach && f.Reach == "public" && f.Target != nil && f.Decision != flow.Denied {
			publicReach[reachKey(f)] = f.Decision
		}
	}
	for _, f := range res.Flows {
		if f.Decision == flow.Denied {
			continue
		}
		switch {
		case f.Kind == flow.KindReach && f.Target != nil:
			e := Entry{Function: cmp.Or(f.Target.Address, f.Target.ARN), Direction: "inbound", Reach: f.Reach, Actions: f.Actions, Decision: f.Decision, Flow: f.ID, Granted: grants(f, true)}
			switch f.Reach {
			case "public", "public-url":
				e.Group, e.Who = GroupPublic, "*"
			case "organization":
				e.Group, e.Who = GroupOrganization, f.Principal
				e.publicKey = reachKey(f)
			case "account":
				e.Who, e.Account = principalOf(f), f.Principal
				e.Group, e.Trusted = group(f.Principal), trusted[f.Principal]
			case "service":
				e.Group, e.Who = GroupService, f.Principal
			default:
				continue // assume-role: who may act as the role, not invoke
			}
			a.Entries = append(a.Entries, e)
		case f.Kind == flow.KindAccess && f.Function != nil && f.Resource != nil && (f.CrossAccount || anyAccount(f)):
			who := cmp.Or(f.Resource.ARN, f.Resource.Address)
			acct := accountOfARN(who)
			e := Entry{
				Function: cmp.Or(f.Function.Address, f.Function.ARN), Direction: "outbound",
				Group: group(acct), Who: who, Account: acct, Trusted: trusted[acct],
				Level: f.Level, Actions: f.Actions, Decision: f.Decision, Flow: f.ID, Granted: grants(f, false),
			}
			if !f.CrossAccount {
				e.Group, e.Account, e.Trusted = GroupAnyAccount, "", false
			}
			if who == "*" {
				// Only the actions that can reach another account's
				// resource: the rest act in the function's own account.
				e.Actions = sharedActions(f.Actions)
			}
			a.Entries = append(a.Entries, e)
		}
	}
	a.Entries = slices.DeleteFunc(a.Entries, func(e Entry) bool { return coveredByPublic(e, publicReach) })
	slices.SortFunc(a.Entries, func(x, y Entry) int {
		return cmp.Or(cmp.Compare(x.Function, y.Function), cmp.Compare(x.Direction, y.Direction),
			cmp.Compare(groupRank(x.Group), groupRank(y.Group)), cmp.Compare(x.Who, y.Who), cmp.Compare(x.Flow, y.Flow))
	})
	for _, e := range a.Entries {
		i, ok := index[e.Function]
		if !ok {
			// A function the flows name but the inventory does not hold.
			i = len(fns)
			index[e.Function] = i
			fns = append(fns, Function{Function: e.Function, Inbound: map[string]int{}})
		}
		fn := &fns[i]
		if e.Direction == "inbound" {
			fn.Inbound[e.Group]++
		} else {
			fn.Outbound++
		}
	}
	slices.SortFunc(fns, func(x, y Function) int { return cmp.Compare(x.Function, y.Function) })
	if fns != nil {
		a.Functions = fns
	}
	return a
}

// principalOf is the principal an account reach names: the role, user or
// session ARN a probe stood for (its flow id is
// reach/account/WHO/ADDRESS:QUALIFIER), else the account.
func principalOf(f flow.Flow) string {
	rest, ok := strings.CutPrefix(f.ID, "reach/account/")
	if !ok || f.Target == nil {
		return f.Principal
	}
	if i := strings.LastIndex(rest, "/"+f.Target.Address+":"); i > 0 {
		return rest[:i]
	}
	return f.Principal
}

// sharedByPolicy are the services whose resources another account can
// open to the function with a resource-based policy (AWS IAM User Guide,
// "AWS services that work with IAM", column "Resource-based policies"):
// a grant on "*" reaches those resources in any account that allows it.
// Services without such policies (X-Ray, CloudWatch metrics, EC2 network
// interfaces, IAM's own management) act in the function's own account.
// For Lambda and STS only the actions their policies can grant count.
var sharedByPolicy = map[string]bool{
	"s3": true, "sqs": true, "sns": true, "kms": true, "secretsmanager": true,
	"dynamodb": true, "kinesis": true, "events": true, "ecr": true, "glacier": true,
	"backup": true, "es": true, "execute-api": true, "codeartifact": true, "kafka": true,
}

// shared reports whether an action can act on another account's resource
// that the owner opened by policy.
func shared(action string) bool {
	svc, name, ok := strings.Cut(strings.ToLower(action), ":")
	switch {
	case !ok:
		return false
	case svc == "lambda":
		return strings.HasPrefix(name, "invoke") || name == "getlayerversion"
	case svc == "sts":
		return strings.HasPrefix(name, "assumerole")
	}
	return sharedByPolicy[svc]
}

// sharedActions are the actions of services whose resources other
// accounts can share by policy.
func sharedActions(actions []string) []string {
	var out []string
	for _, a := range actions {
		if shared(a) {
			out = append(out, a)
		}
	}
	return out
}

// anyAccount: an access flow to a resource outside the inventory whose
// pattern names no account or a wildcard one, so it may be another
// account's. A grant on the bare "*" counts when it reads, writes or
// manages permissions of a service whose resources other accounts can
// share by policy; the rest (every function's logs and traces) act in the
// function's own account.
func anyAccount(f flow.Flow) bool {
	if !f.Outside || f.Resource.ARN == "" {
		return false
	}
	if f.Resource.ARN == "*" {
		if f.Level != "Read" && f.Level != "Write" && f.Level != "Permissions management" {
			return false
		}
		return len(sharedActions(f.Actions)) > 0
	}
	acct := accountOfARN(f.Resource.ARN)
	return acct == "" || strings.ContainsAny(acct, "*?")
}

// accountOfARN is the account field of an ARN ("" when it has none, as
// S3 ARNs).
func accountOfARN(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) < 6 {
		return ""
	}
	return parts[4]
}

// grants lists the Allow statements of a flow's steps that grant it: of
// the resource and identity layers (an SCP's Allow only passes a request
// on), and for inbound flows only the invoke steps' resource statements —
// the identity layer there is the probed caller's own policy, assumed to
// allow, and the execution role's trust is no grant to the caller.
func grants(f flow.Flow, inbound bool) []Grant {
	out := []Grant{}
	seen := map[string]bool{}
	for _, s := range f.Steps {
		if inbound && !strings.HasPrefix(s.Action, "lambda:Invoke") {
			continue
		}
		for _, st := range s.Statements {
			if st.Effect != "Allow" || st.Layer != "resource" && st.Layer != "identity" || inbound && st.Layer == "identity" {
				continue
			}
			name := st.Policy
			if st.Sid != "" {
				name += "#" + st.Sid
			} else {
				name += fmt.Sprintf("[%d]", st.Index)
			}
			g := Grant{Statement: name, Layer: st.Layer, File: st.File, Line: st.Line, Conditions: st.Conditions, Pending: st.Condition}
			if seen[g.String()] {
				continue
			}
			seen[g.String()] = true
			out = append(out, g)
		}
	}
	return out
}

func sortedSet(s []string) []string {
	m := map[string]bool{}
	for _, v := range s {
		m[v] = true
	}
	return slices.Sorted(maps.Keys(m))
}

package inventory

import (
	"fmt"
	"sort"
	"strings"
)

// Kinds of Warning.
const (
	// WarningDenied: the call was refused for lack of permission.
	WarningDenied = "denied"
	// WarningFailed: the call failed for another reason (a server error
	// after retries, an operation the endpoint does not implement, a
	// timeout, an answer that could not be read).
	WarningFailed = "failed"
	// WarningRegion: the region is not enabled for the account.
	WarningRegion = "region"
	// WarningGone: the item was deleted between being listed and being
	// read; it is left out of the snapshot.
	WarningGone = "gone"
	// WarningInvalid: the API returned an empty or malformed value (an
	// ARN, a name, a policy document); the value is treated as unknown.
	WarningInvalid = "invalid"
)

// Coverage records what one live collection read: who read it and, per
// region and service, how many items and calls, and which calls were denied
// or failed.
type Coverage struct {
	Identity Identity       `json:"identity"`
	Units    []CoverageUnit `json:"units"`
}

// Identity is the caller that collected (sts GetCallerIdentity).
type Identity struct {
	Account string `json:"account"`
	ARN     string `json:"arn"`
}

// Coverage unit statuses.
const (
	// CoverageComplete: every call of the unit succeeded.
	CoverageComplete = "complete"
	// CoveragePartial: the service's items were listed, but some calls
	// about single items were denied or failed.
	CoveragePartial = "partial"
	// CoverageNotRead: a listing of the service was denied or failed, so
	// items of the service in the region may be missing altogether.
	CoverageNotRead = "not_read"
	// CoverageRegionDisabled: the region is not enabled for the account.
	CoverageRegionDisabled = "region_disabled"
)

// CoverageUnit is one service in one region ("global" for IAM, S3 and
// Organizations).
type CoverageUnit struct {
	Region  string `json:"region"`
	Service string `json:"service"`
	Status  string `json:"status"`
	// Items counts what the unit put in the inventory (functions, roles,
	// resources, triggers, policies).
	Items int `json:"items"`
	// Calls counts the HTTP requests sent, retries included.
	Calls  int   `json:"calls"`
	Denied []Gap `json:"denied,omitempty"`
	Failed []Gap `json:"failed,omitempty"`
	// Gone counts items deleted between listing and reading.
	Gone int `json:"gone,omitempty"`
	// Invalid counts values returned empty or malformed (see warnings).
	Invalid int `json:"invalid,omitempty"`
}

// Gap groups the calls of one operation that ended with the same error
// code. Listing is true when the operation lists the service's items (its
// failure hides every item of the unit, not one).
type Gap struct {
	Operation string `json:"operation"`
	Action    string `json:"action,omitempty"` // the IAM action that was missing (denied gaps)
	Code      string `json:"code,omitempty"`
	Message   string `json:"message"` // of the first such call
	Count     int    `json:"count"`
	Listing   bool   `json:"listing,omitempty"`
}

// TriggerServices are the coverage services whose listings feed flows:
// triggers, the sources polled triggers read, the roles every access flow
// starts from (iam) and the regions to read (account). When one of them
// was not read, flows may be missing, not merely unknown.
var TriggerServices = map[string]bool{
	"lambda": true, "s3": true, "sns": true, "sqs": true, "eventbridge": true, "scheduler": true,
	"apigateway": true, "apigatewayv2": true, "dynamodb": true, "kinesis": true, "iam": true, "account": true,
	"logs": true, "iot": true, "cognito-idp": true, "elasticloadbalancing": true, "states": true, "secretsmanager": true, "rds": true,
	"ses": true, "config": true, "firehose": true, "vpc-lattice": true, "bedrock": true,
	"codepipeline": true, "codecommit": true, "pipes": true, "cloudfront": true, "appsync": true, "connect": true, "lex": true, "s3-object-lambda": true,
}

// Completeness is the verdict on how much of the live accounts an
// inventory covers.
type Completeness struct {
	// Live is false when no live collection is part of the inventory
	// (Terraform, or a schema 1 snapshot): nothing is judged.
	Live bool
	// Incomplete is true when any call was denied or failed, or returned
	// a value that is not valid.
	Incomplete bool
	// Blocking lists why the inventory cannot back a passing gate: nothing
	// was collected, or a trigger service was not read in a region.
	Blocking []string
	// Gaps summarises what was not read, one line per unit and operation.
	Gaps []string
}

// Completeness judges the inventory's coverage records.
func (inv *Inventory) Completeness() Completeness {
	var c Completeness
	if inv == nil {
		return c
	}
	for _, cov := range inv.Coverage {
		c.Live = true
		readAny := false
		for _, u := range cov.Units {
			if len(u.Denied)+len(u.Failed) > 0 || u.Invalid > 0 {
				c.Incomplete = true
			}
			if u.Invalid > 0 {
				c.Gaps = append(c.Gaps, fmt.Sprintf("%s in %s (account %s): %d value(s) returned empty or malformed", u.Service, u.Region, cov.Identity.Account, u.Invalid))
			}
			if u.Status != CoverageNotRead && u.Status != CoverageRegionDisabled && u.Calls > 0 {
				readAny = true
			}
			for _, g := range append(append([]Gap(nil), u.Denied...), u.Failed...) {
				c.Gaps = append(c.Gaps, fmt.Sprintf("%s %s in %s (account %s): %s", u.Service, g.Operation, u.Region, cov.Identity.Account, gapText(g)))
			}
			if u.Status == CoverageNotRead && TriggerServices[u.Service] {
				var why []string
				for _, g := range append(append([]Gap(nil), u.Denied...), u.Failed...) {
					if g.Listing {
						why = append(why, g.Operation+" "+gapText(g))
					}
				}
				c.Blocking = append(c.Blocking, fmt.Sprintf("%s was not read in %s (account %s): %s", u.Service, u.Region, cov.Identity.Account, strings.Join(why, "; ")))
			}
		}
		if !readAny || inventoryIsEmpty(inv) && c.Incomplete {
			c.Blocking = append(c.Blocking, fmt.Sprintf("nothing was collected from account %s", cov.Identity.Account))
		}
	}
	sort.Strings(c.Gaps)
	sort.Strings(c.Blocking)
	return c
}

func inventoryIsEmpty(inv *Inventory) bool {
	return len(inv.Functions)+len(inv.Resources)+len(inv.Triggers)+len(inv.Roles) == 0
}

func gapText(g Gap) string {
	what := "failed"
	if g.Action != "" {
		what = g.Action + " denied"
	}
	if g.Code != "" {
		what += " (" + g.Code + ")"
	}
	if g.Count > 1 {
		what += fmt.Sprintf(", %d calls", g.Count)
	}
	return what
}

// Summary is one line on the inventory's coverage for a report, or "" when
// it is complete or not live.
func (c Completeness) Summary() string {
	if !c.Live || !c.Incomplete && len(c.Blocking) == 0 {
		return ""
	}
	return fmt.Sprintf("the inventory is incomplete: %d gap(s) in what was read (see \"coverage\" and \"warnings\" in the snapshot); flows that depend on them are unknown", len(c.Gaps))
}

// Refusal is the error for a gate that must not pass on this inventory
// (nothing collected, or a service flows come from not read), or nil.
// allowIncomplete accepts it anyway.
func (c Completeness) Refusal(allowIncomplete bool) error {
	if len(c.Blocking) == 0 || allowIncomplete {
		return nil
	}
	return fmt.Errorf("the inventory is incomplete, so no gate can pass on it: %s (pass --allow-incomplete to accept it)", strings.Join(c.Blocking, "; "))
}

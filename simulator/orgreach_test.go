package simulator

import (
	"context"
	"slices"
	"testing"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
	"github.com/lambdacheck/lambdacheck/simulator/flow"
)

// A grant to "*" limited by aws:PrincipalOrgID opens the function to every
// account of that organization: with the organization known it is an
// organization reach (with the clause in words on its statement), and
// never a public one.
func TestOrganizationWideGrantIsOrganizationReach(t *testing.T) {
	stmt := `{"Sid":"Org","Effect":"Allow","Principal":"*","Action":"lambda:InvokeFunction","Resource":"` + fnARN("sync") + `","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-acme000001"}}}`
	inv := &inventory.Inventory{
		Functions: []inventory.Function{function("sync", "sync", fnPolicy("", stmt))},
		Roles:     []inventory.Role{role("sync")},
	}
	res, err := Simulate(context.Background(), inv, Options{MaxDepth: 1, OrgID: "o-acme000001"})
	if err != nil {
		t.Fatal(err)
	}
	if pub := reachOf(res, "public"); len(pub) != 0 {
		t.Errorf("organization grant reported public: %+v", pub)
	}
	org := reachOf(res, "organization")
	if len(org) != 1 || org[0].Decision != flow.Allowed || org[0].Principal != "o-acme000001" {
		t.Fatalf("organization reach: %+v", org)
	}
	var st []flow.Statement
	for _, s := range org[0].Steps[0].Statements {
		if s.Layer == "resource" {
			st = append(st, s)
		}
	}
	if len(st) != 1 || !slices.Contains(st[0].Conditions, "aws:PrincipalOrgID must equal o-acme000001") {
		t.Errorf("granting statement and its conditions: %+v", st)
	}
	// Another organization's id: no reach from ours.
	res, err = Simulate(context.Background(), inv, Options{MaxDepth: 1, OrgID: "o-other00001"})
	if err != nil {
		t.Fatal(err)
	}
	if org := reachOf(res, "organization"); len(org) != 0 {
		t.Errorf("reach for another organization: %+v", org)
	}
}

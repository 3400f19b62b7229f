package awsapi

import (
	"context"
	"encoding/json"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
)

// collectIAM reads every role with its trust, inline, attached and
// boundary policies in one paginated call family,
// GetAccountAuthorizationDetails (filters Role, LocalManagedPolicy,
// AWSManagedPolicy). Its documents are URL-encoded (RFC 3986).
// Service-linked roles are left out: only their service can assume them
// and their policies are AWS's.
func collectIAM(ctx context.Context, c *collector, _ string, p *part) error {
	cl := iam.NewFromConfig(c.cfg)
	pg := iam.NewGetAccountAuthorizationDetailsPaginator(cl, &iam.GetAccountAuthorizationDetailsInput{
		Filter: []types.EntityType{types.EntityTypeRole, types.EntityTypeLocalManagedPolicy, types.EntityTypeAWSManagedPolicy},
	})
	var roles []types.RoleDetail
	var policies []types.ManagedPolicyDetail
	k := call{c.account, c.cfg.Region, "IAM", "GetAccountAuthorizationDetails", ""}
	pages := 0
	for pg.HasMorePages() {
		page, err := pg.NextPage(ctx)
		denied, fatal := p.check(k, err)
		if fatal != nil {
			return fatal
		}
		if denied {
			p.iamDenied = p.reason(k)
			return nil
		}
		roles = append(roles, page.RoleDetailList...)
		policies = append(policies, page.Policies...)
		pages++
		c.opts.Progress.Update(GlobalRegion, "iam", len(roles), 0)
	}

	managed := map[string]inventory.Policy{}
	for _, mp := range policies {
		pol := managedPolicy(mp)
		managed[pol.ARN] = pol
		if pol.Managed == "customer" {
			p.policies = append(p.policies, inventory.ManagedPolicy{Policy: pol, Path: aws.ToString(mp.Path)})
		}
	}
	for _, rd := range roles {
		if strings.HasPrefix(aws.ToString(rd.Path), "/aws-service-role/") {
			continue
		}
		if !p.validARN(k, "role Arn", aws.ToString(rd.Arn), "iam") {
			continue // a role without its ARN cannot be joined to its functions
		}
		r := c.role(rd, managed)
		p.roles = append(p.roles, r)
		about := call{k.account, k.region, k.service, k.op, r.ARN}
		pols := append(append([]inventory.Policy(nil), r.InlinePolicies...), r.AttachedPolicies...)
		if r.TrustPolicy != nil {
			pols = append(pols, *r.TrustPolicy)
		}
		for _, pol := range pols {
			if hasNotJSON(pol.Unknown) {
				p.invalid(about, "policy "+nonEmpty(pol.Name, pol.ARN)+" is not a JSON policy document")
			}
		}
	}
	for _, mp := range p.policies {
		if hasNotJSON(mp.Unknown) {
			p.invalid(call{k.account, k.region, k.service, k.op, mp.ARN}, "the default version's document is not JSON")
		}
	}
	return nil
}

// hasNotJSON reports an unknown document the API returned unreadable.
func hasNotJSON(us []inventory.Unknown) bool {
	for _, u := range us {
		if u.Field == "document" && strings.Contains(u.Reason, "not JSON") {
			return true
		}
	}
	return false
}

// managedPolicy picks the default version's document.
func managedPolicy(mp types.ManagedPolicyDetail) inventory.Policy {
	arn := aws.ToString(mp.Arn)
	pol := inventory.Policy{Name: aws.ToString(mp.PolicyName), ARN: arn, Origin: inventory.Origin{Address: arn}, Managed: "customer"}
	if strings.Contains(arn, ":iam::aws:policy/") {
		pol.Managed = "aws"
	}
	found := false
	for _, v := range mp.PolicyVersionList {
		if !v.IsDefaultVersion && aws.ToString(v.VersionId) != aws.ToString(mp.DefaultVersionId) {
			continue
		}
		found = true
		doc, err := decodePolicy(aws.ToString(v.Document))
		if err != nil || doc == nil {
			pol.Unknown = append(pol.Unknown, inventory.Unknown{Field: "document", Reason: "the default version's document is not JSON"})
		}
		pol.Document = doc
		break
	}
	if !found {
		pol.Unknown = append(pol.Unknown, inventory.Unknown{Field: "document", Reason: "IAM returned no default version of " + arn})
	}
	return pol
}

func (c *collector) role(rd types.RoleDetail, managed map[string]inventory.Policy) inventory.Role {
	arn := aws.ToString(rd.Arn)
	origin := inventory.Origin{Address: arn}
	r := inventory.Role{Origin: origin, Name: aws.ToString(rd.RoleName), ARN: arn, Path: aws.ToString(rd.Path),
		Account: nonEmpty(accountOf(arn), c.account), ExclusiveInline: true}
	doc := func(name, s string) inventory.Policy {
		p := inventory.Policy{Name: name, Origin: origin}
		d, err := decodePolicy(s)
		if err != nil || d == nil {
			p.Unknown = append(p.Unknown, inventory.Unknown{Field: "document", Reason: "IAM returned a document that is not JSON"})
		}
		p.Document = d
		return p
	}
	if rd.AssumeRolePolicyDocument != nil {
		t := doc("trust", aws.ToString(rd.AssumeRolePolicyDocument))
		r.TrustPolicy = &t
	}
	for _, ip := range rd.RolePolicyList {
		r.InlinePolicies = append(r.InlinePolicies, doc(aws.ToString(ip.PolicyName), aws.ToString(ip.PolicyDocument)))
	}
	sort.SliceStable(r.InlinePolicies, func(i, j int) bool { return r.InlinePolicies[i].Name < r.InlinePolicies[j].Name })
	for _, ap := range rd.AttachedManagedPolicies {
		r.AttachedPolicies = append(r.AttachedPolicies, c.attached(aws.ToString(ap.PolicyArn), aws.ToString(ap.PolicyName), managed))
	}
	sort.SliceStable(r.AttachedPolicies, func(i, j int) bool { return r.AttachedPolicies[i].ARN < r.AttachedPolicies[j].ARN })
	if b := rd.PermissionsBoundary; b != nil && aws.ToString(b.PermissionsBoundaryArn) != "" {
		pb := c.attached(aws.ToString(b.PermissionsBoundaryArn), "", managed)
		r.PermissionsBoundary = &pb
	}
	return r
}

// attached resolves a managed policy ARN: from the IAM answer, else (AWS
// managed policies IAM did not list) from the bundled catalog, else
// unknown.
func (c *collector) attached(arn, name string, managed map[string]inventory.Policy) inventory.Policy {
	if p, ok := managed[arn]; ok {
		return p
	}
	if name == "" {
		name = lastPart(arn)
	}
	p := inventory.Policy{Name: name, ARN: arn, Origin: inventory.Origin{Address: arn}, Managed: "customer"}
	if strings.Contains(arn, ":iam::aws:policy/") {
		p.Managed = "aws"
		if c.opts.Catalog != nil {
			if mp, ok := c.opts.Catalog.ManagedPolicy(arn); ok {
				p.Name, p.Deprecated, p.Document = mp.Name, mp.Deprecated, json.RawMessage(mp.Document)
				return p
			}
		}
	}
	p.Unknown = append(p.Unknown, inventory.Unknown{Field: "document", Reason: "IAM did not return the document of " + arn})
	return p
}

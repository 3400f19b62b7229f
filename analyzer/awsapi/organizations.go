package awsapi

import (
	"context"
	"sort"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/organizations/types"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
)

// collectOrganizations reads the SCPs and RCPs that apply to the account:
// the policies attached to the account, to each OU above it and to the
// root. Only the management account and delegated administrators may read
// them; a member account gets a warning naming the missing permission. An
// account outside any organization, or the management account (which SCPs
// do not restrict), has none to read.
func collectOrganizations(ctx context.Context, c *collector, _ string, p *part) error {
	cl := organizations.NewFromConfig(c.cfg)
	k := func(op, res string) call { return call{c.account, c.cfg.Region, "Organizations", op, res} }
	org, err := cl.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
	if isCode(err, "AWSOrganizationsNotInUseException") {
		return nil
	}
	if denied, fatal := p.check(k("DescribeOrganization", ""), err); denied || fatal != nil {
		return fatal
	}
	if org.Organization != nil && aws.ToString(org.Organization.MasterAccountId) == c.account {
		return nil
	}

	// The path from the account up to the root.
	targets := []string{c.account}
	for child := c.account; ; {
		pg := organizations.NewListParentsPaginator(cl, &organizations.ListParentsInput{ChildId: aws.String(child)})
		var parent *types.Parent
		for pg.HasMorePages() {
			page, err := pg.NextPage(ctx)
			if denied, fatal := p.check(k("ListParents", child), err); denied || fatal != nil {
				return fatal
			}
			if len(page.Parents) > 0 {
				parent = &page.Parents[0]
			}
		}
		if parent == nil {
			break
		}
		targets = append(targets, aws.ToString(parent.Id))
		if parent.Type == types.ParentTypeRoot || len(targets) > 8 {
			break // OUs nest at most five deep under the root
		}
		child = aws.ToString(parent.Id)
	}

	byID := map[string]*inventory.OrgPolicy{}
	for _, target := range targets {
		for _, typ := range []types.PolicyType{types.PolicyTypeServiceControlPolicy, types.PolicyTypeResourceControlPolicy} {
			pg := organizations.NewListPoliciesForTargetPaginator(cl, &organizations.ListPoliciesForTargetInput{TargetId: aws.String(target), Filter: typ})
			for pg.HasMorePages() {
				page, err := pg.NextPage(ctx)
				if isCode(err, "PolicyTypeNotEnabledException") {
					break
				}
				denied, fatal := p.check(k("ListPoliciesForTarget", target), err)
				if fatal != nil {
					return fatal
				}
				if denied {
					break
				}
				for _, ps := range page.Policies {
					id := aws.ToString(ps.Id)
					if op, ok := byID[id]; ok {
						op.Targets = append(op.Targets, target)
						continue
					}
					op := &inventory.OrgPolicy{Type: string(ps.Type), ID: id, Targets: []string{target}}
					op.Policy = inventory.Policy{Name: aws.ToString(ps.Name), ARN: aws.ToString(ps.Arn), Origin: inventory.Origin{Address: aws.ToString(ps.Arn)}}
					if ps.AwsManaged {
						op.Managed = "aws"
					}
					byID[id] = op
				}
			}
		}
	}
	ids := make([]string, 0, len(byID))
	for id := range byID {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		op := byID[id]
		out, err := cl.DescribePolicy(ctx, &organizations.DescribePolicyInput{PolicyId: aws.String(id)})
		denied, fatal := p.check(k("DescribePolicy", id), err)
		switch {
		case fatal != nil:
			return fatal
		case denied:
			op.Unknown = append(op.Unknown, inventory.Unknown{Field: "document", Reason: p.reason(k("DescribePolicy", id))})
		case out.Policy != nil:
			doc, err := decodePolicy(aws.ToString(out.Policy.Content))
			if err != nil {
				p.invalid(k("DescribePolicy", id), "the policy content is not JSON")
				op.Unknown = append(op.Unknown, inventory.Unknown{Field: "document", Reason: "the policy content is not JSON"})
			}
			op.Document = doc
		}
		sort.Strings(op.Targets)
		p.scps = append(p.scps, *op)
	}
	return nil
}

package awsapi

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
)

// collectDynamoDB reads a region's tables: stream ARN and view type, the
// encryption key, and the resource-based policies of the table and of its
// stream.
func collectDynamoDB(ctx context.Context, c *collector, region string, p *part) error {
	cl := dynamodb.NewFromConfig(c.cfg, func(o *dynamodb.Options) { o.Region = region })
	var names []string
	pg := dynamodb.NewListTablesPaginator(cl, &dynamodb.ListTablesInput{})
	for pg.HasMorePages() {
		page, err := pg.NextPage(ctx)
		denied, fatal := p.check(call{c.account, region, "DynamoDB", "ListTables", ""}, err)
		if fatal != nil {
			return fatal
		}
		if denied {
			break
		}
		names = append(names, page.TableNames...)
	}
	return forEach(ctx, c.limit, len(names), func(ctx context.Context, i int) error {
		name := names[i]
		arn := "arn:" + c.partition + ":dynamodb:" + region + ":" + c.account + ":table/" + name
		r := inventory.Resource{Type: "AWS::DynamoDB::Table", Service: "dynamodb", Name: name, ARN: arn, Account: c.account, Region: region}
		k := call{c.account, region, "DynamoDB", "DescribeTable", arn}
		out, err := cl.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(name)})
		denied, fatal := p.check(k, err)
		if fatal == nil && p.isGone(k) {
			return nil // deleted since it was listed: a warning says so
		}
		switch {
		case fatal != nil:
			return fatal
		case denied:
			r.Unknown = append(r.Unknown, inventory.Unknown{Field: "stream_arns", Reason: p.reason(k)}, inventory.Unknown{Field: "kms_key_arn", Reason: p.reason(k)})
		case out.Table != nil:
			t := out.Table
			r.ARN = nonEmpty(aws.ToString(t.TableArn), arn)
			if s := aws.ToString(t.LatestStreamArn); s != "" && t.StreamSpecification != nil && aws.ToBool(t.StreamSpecification.StreamEnabled) {
				r.StreamARNs = []string{s}
				setAttr(&r, "stream_view_type", string(t.StreamSpecification.StreamViewType))
			}
			if sse := t.SSEDescription; sse != nil && sse.SSEType == types.SSETypeKms {
				r.KMSKeyARN = aws.ToString(sse.KMSMasterKeyArn)
			}
		}
		r.Origin = inventory.Origin{Address: r.ARN}
		k = call{c.account, region, "DynamoDB", "GetResourcePolicy", r.ARN}
		pol, err := cl.GetResourcePolicy(ctx, &dynamodb.GetResourcePolicyInput{ResourceArn: aws.String(r.ARN)})
		if !isCode(err, "PolicyNotFoundException", "ResourceNotFoundException") {
			denied, fatal = p.check(k, err)
			switch {
			case fatal != nil:
				return fatal
			case denied:
				r.Unknown = append(r.Unknown, inventory.Unknown{Field: "policy", Reason: p.reason(k)})
			default:
				r.Policy = p.resourcePolicy(k, "table-policy", r.ARN, aws.ToString(pol.Policy))
			}
		}
		p.addResource(r)
		// A stream has a resource-based policy of its own, which is what
		// lets a mapping in another account read it.
		for _, stream := range r.StreamARNs {
			k = call{c.account, region, "DynamoDB", "GetResourcePolicy", stream}
			pol, err := cl.GetResourcePolicy(ctx, &dynamodb.GetResourcePolicyInput{ResourceArn: aws.String(stream)})
			if isCode(err, "PolicyNotFoundException", "ResourceNotFoundException") {
				continue
			}
			denied, fatal = p.check(k, err)
			s := inventory.Resource{Origin: inventory.Origin{Address: stream}, Type: "AWS::DynamoDB::Stream", Service: "dynamodb",
				Name: name, ARN: stream, Account: c.account, Region: region}
			switch {
			case fatal != nil:
				return fatal
			case denied:
				s.Unknown = append(s.Unknown, inventory.Unknown{Field: "policy", Reason: p.reason(k)})
			default:
				s.Policy = p.resourcePolicy(k, "stream-policy", stream, aws.ToString(pol.Policy))
			}
			p.addResource(s)
		}
		return nil
	})
}

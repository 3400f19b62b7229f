package awsapi

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
)

// collectKinesis reads a region's data streams: encryption key and the
// stream's resource-based policy (which may let a mapping in another
// account read it).
func collectKinesis(ctx context.Context, c *collector, region string, p *part) error {
	cl := kinesis.NewFromConfig(c.cfg, func(o *kinesis.Options) { o.Region = region })
	var names []string
	pg := kinesis.NewListStreamsPaginator(cl, &kinesis.ListStreamsInput{})
	for pg.HasMorePages() {
		page, err := pg.NextPage(ctx)
		denied, fatal := p.check(call{c.account, region, "Kinesis", "ListStreams", ""}, err)
		if fatal != nil {
			return fatal
		}
		if denied {
			break
		}
		if len(page.StreamSummaries) > 0 {
			for _, s := range page.StreamSummaries {
				names = append(names, aws.ToString(s.StreamName))
			}
		} else {
			names = append(names, page.StreamNames...)
		}
	}
	return forEach(ctx, c.limit, len(names), func(ctx context.Context, i int) error {
		name := names[i]
		arn := "arn:" + c.partition + ":kinesis:" + region + ":" + c.account + ":stream/" + name
		r := inventory.Resource{Type: "AWS::Kinesis::Stream", Service: "kinesis", Name: name, ARN: arn, Account: c.account, Region: region}
		k := call{c.account, region, "Kinesis", "DescribeStreamSummary", arn}
		out, err := cl.DescribeStreamSummary(ctx, &kinesis.DescribeStreamSummaryInput{StreamName: aws.String(name)})
		denied, fatal := p.check(k, err)
		if fatal == nil && p.isGone(k) {
			return nil // deleted since it was listed: a warning says so
		}
		switch {
		case fatal != nil:
			return fatal
		case denied:
			r.Unknown = append(r.Unknown, inventory.Unknown{Field: "kms_key_arn", Reason: p.reason(k)})
		case out.StreamDescriptionSummary != nil:
			s := out.StreamDescriptionSummary
			r.ARN = nonEmpty(aws.ToString(s.StreamARN), arn)
			if s.EncryptionType == types.EncryptionTypeKms {
				r.KMSKeyARN = aws.ToString(s.KeyId)
			}
		}
		r.Origin = inventory.Origin{Address: r.ARN}
		k = call{c.account, region, "Kinesis", "GetResourcePolicy", r.ARN}
		pol, err := cl.GetResourcePolicy(ctx, &kinesis.GetResourcePolicyInput{ResourceARN: aws.String(r.ARN)})
		if !isCode(err, "ResourceNotFoundException") {
			denied, fatal = p.check(k, err)
			switch {
			case fatal != nil:
				return fatal
			case denied:
				r.Unknown = append(r.Unknown, inventory.Unknown{Field: "policy", Reason: p.reason(k)})
			default:
				r.Policy = p.resourcePolicy(k, "stream-policy", r.ARN, aws.ToString(pol.Policy))
			}
		}
		p.addResource(r)
		return nil
	})
}

package awsapi

import (
	"context"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
)

// collectS3 lists the account's buckets (S3 is global) and reads, in each
// bucket's own region, the policy, notifications and default encryption
// of buckets in the regions collected. Buckets elsewhere are listed with
// their policy marked unknown: notifications only reach functions in the
// bucket's region, but policies matter to any function.
func collectS3(ctx context.Context, c *collector, _ string, p *part) error {
	pathStyle := c.cfg.BaseEndpoint != nil // custom endpoints (LocalStack, tests) serve path-style
	cl := s3.NewFromConfig(c.cfg, func(o *s3.Options) { o.UsePathStyle = pathStyle })
	var buckets []types.Bucket
	pg := s3.NewListBucketsPaginator(cl, &s3.ListBucketsInput{})
	for pg.HasMorePages() {
		page, err := pg.NextPage(ctx)
		denied, fatal := p.check(call{c.account, c.cfg.Region, "S3", "ListBuckets", ""}, err)
		if fatal != nil {
			return fatal
		}
		if denied {
			break
		}
		for _, b := range page.Buckets {
			if name := aws.ToString(b.Name); name == "" || strings.ContainsAny(name, "/: \t\n") {
				p.invalid(call{c.account, c.cfg.Region, "S3", "ListBuckets", ""}, badValue("bucket Name", name, "a bucket name"))
				continue
			}
			buckets = append(buckets, b)
		}
	}
	wanted := map[string]bool{}
	for _, r := range c.regions {
		wanted[r] = true
	}
	return forEach(ctx, c.limit, len(buckets), func(ctx context.Context, i int) error {
		b := buckets[i]
		name := aws.ToString(b.Name)
		arn := "arn:" + c.partition + ":s3:::" + name
		r := inventory.Resource{Origin: inventory.Origin{Address: arn}, Type: "AWS::S3::Bucket", Service: "s3", Name: name, ARN: arn, Account: c.account}
		k := func(op string) call { return call{c.account, c.cfg.Region, "S3", op, arn} }
		region := aws.ToString(b.BucketRegion)
		if region == "" {
			loc, err := cl.GetBucketLocation(ctx, &s3.GetBucketLocationInput{Bucket: aws.String(name)})
			denied, fatal := p.check(k("GetBucketLocation"), err)
			if fatal != nil {
				return fatal
			}
			if denied {
				r.Unknown = append(r.Unknown, inventory.Unknown{Field: "region", Reason: p.reason(k("GetBucketLocation"))},
					inventory.Unknown{Field: "policy", Reason: "the bucket's region is unknown"})
				p.addResource(r)
				return nil
			}
			region = bucketRegion(string(loc.LocationConstraint))
		}
		r.Region = region
		if !wanted[region] {
			r.Unknown = append(r.Unknown, inventory.Unknown{Field: "policy", Reason: "the bucket is in " + region + ", which was not collected"})
			p.addResource(r)
			return nil
		}
		in := func(o *s3.Options) { o.Region = region }
		k = func(op string) call { return call{c.account, region, "S3", op, arn} }

		pol, err := cl.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: aws.String(name)}, in)
		if !isCode(err, "NoSuchBucketPolicy") {
			denied, fatal := p.check(k("GetBucketPolicy"), err)
			switch {
			case fatal != nil:
				return fatal
			case denied:
				r.Unknown = append(r.Unknown, inventory.Unknown{Field: "policy", Reason: p.reason(k("GetBucketPolicy"))})
			default:
				r.Policy = p.resourcePolicy(k("GetBucketPolicy"), "bucket-policy", arn, aws.ToString(pol.Policy))
			}
		}

		enc, err := cl.GetBucketEncryption(ctx, &s3.GetBucketEncryptionInput{Bucket: aws.String(name)}, in)
		if !isCode(err, "ServerSideEncryptionConfigurationNotFoundError") {
			denied, fatal := p.check(k("GetBucketEncryption"), err)
			switch {
			case fatal != nil:
				return fatal
			case denied:
				r.Unknown = append(r.Unknown, inventory.Unknown{Field: "kms_key_arn", Reason: p.reason(k("GetBucketEncryption"))})
			case enc.ServerSideEncryptionConfiguration != nil:
				for _, rule := range enc.ServerSideEncryptionConfiguration.Rules {
					if d := rule.ApplyServerSideEncryptionByDefault; d != nil {
						setAttr(&r, "sse_algorithm", string(d.SSEAlgorithm))
						r.KMSKeyARN = aws.ToString(d.KMSMasterKeyID)
					}
				}
			}
		}

		notif, err := cl.GetBucketNotificationConfiguration(ctx, &s3.GetBucketNotificationConfigurationInput{Bucket: aws.String(name)}, in)
		denied, fatal := p.check(k("GetBucketNotificationConfiguration"), err)
		switch {
		case fatal != nil:
			return fatal
		case denied:
			// The triggers are unknown; the summary names the permission.
		default:
			p.addTrigger(c.bucketTriggers(arn, region, notif)...)
		}
		p.addResource(r)
		return nil
	})
}

// bucketRegion maps GetBucketLocation's answer to a region name: empty is
// us-east-1 and the legacy "EU" is eu-west-1.
func bucketRegion(loc string) string {
	switch loc {
	case "":
		return "us-east-1"
	case "EU":
		return "eu-west-1"
	}
	return loc
}

func (c *collector) bucketTriggers(arn, region string, n *s3.GetBucketNotificationConfigurationOutput) []inventory.Trigger {
	var out []inventory.Trigger
	add := func(id, target string, events []types.Event, filter *types.NotificationConfigurationFilter, lambda bool) {
		t := inventory.Trigger{Origin: inventory.Origin{Address: arn + "#notification/" + id}, Kind: "push", Service: "s3",
			SourceARN: arn, SourceAddress: arn, Target: target, Enabled: true}
		for _, e := range events {
			t.Events = append(t.Events, string(e))
		}
		sort.Strings(t.Events)
		if filter != nil && filter.Key != nil {
			f := &inventory.Filter{}
			for _, rule := range filter.Key.FilterRules {
				// S3 answers "Prefix"/"Suffix" though the API names them
				// in lower case.
				switch {
				case strings.EqualFold(string(rule.Name), string(types.FilterRuleNamePrefix)):
					f.Prefix = aws.ToString(rule.Value)
				case strings.EqualFold(string(rule.Name), string(types.FilterRuleNameSuffix)):
					f.Suffix = aws.ToString(rule.Value)
				}
			}
			if f.Prefix != "" || f.Suffix != "" {
				t.Filter = f
			}
		}
		if lambda {
			setFunctionTarget(&t)
		}
		out = append(out, t)
	}
	for _, l := range n.LambdaFunctionConfigurations {
		add(aws.ToString(l.Id), aws.ToString(l.LambdaFunctionArn), l.Events, l.Filter, true)
	}
	for _, q := range n.QueueConfigurations {
		add(aws.ToString(q.Id), aws.ToString(q.QueueArn), q.Events, q.Filter, false)
	}
	for _, tp := range n.TopicConfigurations {
		add(aws.ToString(tp.Id), aws.ToString(tp.TopicArn), tp.Events, tp.Filter, false)
	}
	if n.EventBridgeConfiguration != nil {
		out = append(out, inventory.Trigger{Origin: inventory.Origin{Address: arn + "#notification/eventbridge"}, Kind: "push", Service: "s3",
			SourceARN: arn, SourceAddress: arn, Target: "arn:" + c.partition + ":events:" + region + ":" + c.account + ":event-bus/default",
			Enabled: true, Events: []string{"eventbridge"}})
	}
	return out
}

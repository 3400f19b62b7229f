package awsapi

import (
	"context"
	"encoding/json"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sns/types"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
)

// subscriptionProtocols are the subscriptions kept as triggers: those that
// deliver to something a flow can continue through. E-mail, SMS and HTTP
// endpoints end a flow and would put personal data in the snapshot.
var subscriptionProtocols = map[string]bool{"lambda": true, "sqs": true, "firehose": true}

// collectSNS reads a region's topics (policy, KMS key, FIFO) and its
// subscriptions to functions and queues, with filter policies.
func collectSNS(ctx context.Context, c *collector, region string, p *part) error {
	cl := sns.NewFromConfig(c.cfg, func(o *sns.Options) { o.Region = region })
	var topics []string
	pg := sns.NewListTopicsPaginator(cl, &sns.ListTopicsInput{})
	for pg.HasMorePages() {
		page, err := pg.NextPage(ctx)
		denied, fatal := p.check(call{c.account, region, "SNS", "ListTopics", ""}, err)
		if fatal != nil {
			return fatal
		}
		if denied {
			break
		}
		for _, t := range page.Topics {
			if arn := aws.ToString(t.TopicArn); p.validARN(call{c.account, region, "SNS", "ListTopics", ""}, "TopicArn", arn, "sns") {
				topics = append(topics, arn)
			}
		}
	}
	err := forEach(ctx, c.limit, len(topics), func(ctx context.Context, i int) error {
		arn := topics[i]
		r := inventory.Resource{Origin: inventory.Origin{Address: arn}, Type: "AWS::SNS::Topic", Service: "sns", Name: lastPart(arn), ARN: arn,
			Account: nonEmpty(accountOf(arn), c.account), Region: region}
		k := call{c.account, region, "SNS", "GetTopicAttributes", arn}
		out, err := cl.GetTopicAttributes(ctx, &sns.GetTopicAttributesInput{TopicArn: aws.String(arn)})
		denied, fatal := p.check(k, err)
		if fatal == nil && p.isGone(k) {
			return nil // deleted since it was listed: a warning says so
		}
		switch {
		case fatal != nil:
			return fatal
		case denied:
			r.Unknown = append(r.Unknown, inventory.Unknown{Field: "policy", Reason: p.reason(k)}, inventory.Unknown{Field: "kms_key_arn", Reason: p.reason(k)})
		default:
			a := out.Attributes
			if pol, ok := a["Policy"]; ok {
				r.Policy = p.resourcePolicy(k, "topic-policy", arn, pol)
			}
			r.KMSKeyARN = a["KmsMasterKeyId"]
			if a["FifoTopic"] == "true" {
				setAttr(&r, "fifo", "true")
			}
		}
		p.addResource(r)
		return nil
	})
	if err != nil {
		return err
	}

	var subs []types.Subscription
	sp := sns.NewListSubscriptionsPaginator(cl, &sns.ListSubscriptionsInput{})
	for sp.HasMorePages() {
		page, err := sp.NextPage(ctx)
		denied, fatal := p.check(call{c.account, region, "SNS", "ListSubscriptions", ""}, err)
		if fatal != nil {
			return fatal
		}
		if denied {
			break
		}
		for _, s := range page.Subscriptions {
			if subscriptionProtocols[aws.ToString(s.Protocol)] {
				subs = append(subs, s)
			}
		}
	}
	return forEach(ctx, c.limit, len(subs), func(ctx context.Context, i int) error {
		s := subs[i]
		arn, proto := aws.ToString(s.SubscriptionArn), aws.ToString(s.Protocol)
		t := inventory.Trigger{Origin: inventory.Origin{Address: arn}, Kind: "push", Service: "sns", SourceARN: aws.ToString(s.TopicArn),
			Target: aws.ToString(s.Endpoint), Enabled: true, Events: []string{"protocol:" + proto}}
		if proto == "lambda" {
			setFunctionTarget(&t)
		}
		if !isARN(arn) { // "PendingConfirmation": not delivering yet
			t.Enabled = false
			t.Origin.Address = t.SourceARN + "#subscription/" + t.Target
			p.addTrigger(t)
			return nil
		}
		k := call{c.account, region, "SNS", "GetSubscriptionAttributes", arn}
		out, err := cl.GetSubscriptionAttributes(ctx, &sns.GetSubscriptionAttributesInput{SubscriptionArn: aws.String(arn)})
		denied, fatal := p.check(k, err)
		if fatal == nil && p.isGone(k) {
			return nil // deleted since it was listed: a warning says so
		}
		switch {
		case fatal != nil:
			return fatal
		case denied:
			t.Unknown = append(t.Unknown, inventory.Unknown{Field: "filter", Reason: p.reason(k)})
		default:
			a := out.Attributes
			if fp := a["FilterPolicy"]; fp != "" {
				doc, err := decodePolicy(fp)
				if err != nil || doc == nil {
					p.invalid(k, "FilterPolicy is not JSON")
					t.Unknown = append(t.Unknown, inventory.Unknown{Field: "filter.pattern", Reason: "the filter policy is not JSON"})
				} else {
					scope := a["FilterPolicyScope"]
					if scope == "" {
						scope = "MessageAttributes"
					}
					t.Filter = &inventory.Filter{Pattern: json.RawMessage(doc), Scope: scope}
				}
			}
			if a["PendingConfirmation"] == "true" {
				t.Enabled = false
			}
		}
		p.addTrigger(t)
		return nil
	})
}

func isARN(s string) bool {
	_, _, _, _, _, ok := arnParts(s)
	return ok
}

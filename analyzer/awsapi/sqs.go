package awsapi

import (
	"context"
	"encoding/json"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
)

// collectSQS reads a region's queues: ARN, policy, KMS key, FIFO flag and
// redrive target (GetQueueAttributes All).
func collectSQS(ctx context.Context, c *collector, region string, p *part) error {
	cl := sqs.NewFromConfig(c.cfg, func(o *sqs.Options) { o.Region = region })
	var urls []string
	pg := sqs.NewListQueuesPaginator(cl, &sqs.ListQueuesInput{})
	for pg.HasMorePages() {
		page, err := pg.NextPage(ctx)
		denied, fatal := p.check(call{c.account, region, "SQS", "ListQueues", ""}, err)
		if fatal != nil {
			return fatal
		}
		if denied {
			break
		}
		urls = append(urls, page.QueueUrls...)
	}
	return forEach(ctx, c.limit, len(urls), func(ctx context.Context, i int) error {
		u := urls[i]
		k := call{c.account, region, "SQS", "GetQueueAttributes", u}
		r := inventory.Resource{Type: "AWS::SQS::Queue", Service: "sqs", Account: c.account, Region: region, URL: u, Name: lastPart(u)}
		out, err := cl.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{QueueUrl: aws.String(u), AttributeNames: []types.QueueAttributeName{types.QueueAttributeNameAll}})
		if isCode(err, "AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist") {
			return nil // deleted since it was listed
		}
		denied, fatal := p.check(k, err)
		if fatal != nil {
			return fatal
		}
		if denied {
			// The ARN follows from the URL (https://sqs.REGION.amazonaws.com/ACCOUNT/NAME).
			r.ARN = "arn:" + c.partition + ":sqs:" + region + ":" + c.account + ":" + r.Name
			r.Unknown = append(r.Unknown, inventory.Unknown{Field: "policy", Reason: deniedReason(k)}, inventory.Unknown{Field: "kms_key_arn", Reason: deniedReason(k)})
		} else {
			a := out.Attributes
			r.ARN = a["QueueArn"]
			if pol, ok := a["Policy"]; ok {
				r.Policy = resourcePolicy("queue-policy", r.ARN, pol)
			}
			r.KMSKeyARN = a["KmsMasterKeyId"]
			if a["FifoQueue"] == "true" {
				setAttr(&r, "fifo", "true")
			}
			if rp := a["RedrivePolicy"]; rp != "" {
				var v struct {
					DeadLetterTargetArn string `json:"deadLetterTargetArn"`
				}
				if json.Unmarshal([]byte(rp), &v) == nil {
					setAttr(&r, "dead_letter_target", v.DeadLetterTargetArn)
				}
			}
			if a["SqsManagedSseEnabled"] == "true" {
				setAttr(&r, "sse", "sqs-managed")
			}
		}
		r.Origin = inventory.Origin{Address: r.ARN}
		p.addResource(r)
		return nil
	})
}

// resourcePolicy wraps a resource's policy document as an API returned it.
func resourcePolicy(name, owner, text string) *inventory.Policy {
	doc, err := decodePolicy(text)
	if err == nil && (doc == nil || isEmptyPolicy(doc)) {
		return nil
	}
	pol := &inventory.Policy{Name: name, Origin: inventory.Origin{Address: owner}, Document: doc}
	if err != nil {
		pol.Unknown = append(pol.Unknown, inventory.Unknown{Field: "document", Reason: "the policy returned is not JSON"})
	}
	return pol
}

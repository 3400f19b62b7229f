package awsapi

import (
	"context"
	"encoding/json"
	"strings"

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
		for _, u := range page.QueueUrls {
			if u == "" || !strings.HasPrefix(u, "http") {
				p.invalid(call{c.account, region, "SQS", "ListQueues", ""}, badValue("QueueUrl", u, "a queue URL"))
				continue
			}
			urls = append(urls, u)
		}
	}
	return forEach(ctx, c.limit, len(urls), func(ctx context.Context, i int) error {
		u := urls[i]
		k := call{c.account, region, "SQS", "GetQueueAttributes", u}
		r := inventory.Resource{Type: "AWS::SQS::Queue", Service: "sqs", Account: c.account, Region: region, URL: u, Name: lastPart(u)}
		out, err := cl.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{QueueUrl: aws.String(u), AttributeNames: []types.QueueAttributeName{types.QueueAttributeNameAll}})
		denied, fatal := p.check(k, err)
		if fatal == nil && p.isGone(k) {
			return nil // deleted since it was listed: a warning says so
		}
		if fatal != nil {
			return fatal
		}
		if denied {
			// The ARN follows from the URL (https://sqs.REGION.amazonaws.com/ACCOUNT/NAME).
			r.ARN = "arn:" + c.partition + ":sqs:" + region + ":" + c.account + ":" + r.Name
			r.Unknown = append(r.Unknown, inventory.Unknown{Field: "policy", Reason: p.reason(k)}, inventory.Unknown{Field: "kms_key_arn", Reason: p.reason(k)})
		} else {
			a := out.Attributes
			r.ARN = a["QueueArn"]
			if !p.validARN(k, "QueueArn", r.ARN, "sqs") {
				// Keyed by the ARN the URL names (https://sqs.REGION.amazonaws.com/ACCOUNT/NAME);
				// the warning says the API did not confirm it.
				r.ARN = "arn:" + c.partition + ":sqs:" + region + ":" + c.account + ":" + r.Name
			}
			if pol, ok := a["Policy"]; ok {
				r.Policy = p.resourcePolicy(k, "queue-policy", r.ARN, pol)
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
// A document that is not JSON is unknown, with a warning naming the call
// that returned it.
func (p *part) resourcePolicy(k call, name, owner, text string) *inventory.Policy {
	doc, err := decodePolicy(text)
	if err == nil && (doc == nil || isEmptyPolicy(doc)) {
		return nil
	}
	pol := &inventory.Policy{Name: name, Origin: inventory.Origin{Address: owner}, Document: doc}
	if err != nil {
		p.invalid(k, name+" is not a JSON policy document")
		pol.Unknown = append(pol.Unknown, inventory.Unknown{Field: "document", Reason: "the policy " + k.service + " " + k.op + " returned is not JSON"})
	}
	return pol
}

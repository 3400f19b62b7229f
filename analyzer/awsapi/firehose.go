package awsapi

import (
	"context"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/firehose"
	"github.com/aws/aws-sdk-go-v2/service/firehose/types"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
)

// collectFirehose reads a region's delivery streams and the Lambda
// processors that transform their records; Firehose invokes them with the
// destination's role (or the processor's own).
func collectFirehose(ctx context.Context, c *collector, region string, p *part) error {
	cl := firehose.NewFromConfig(c.cfg, func(o *firehose.Options) { o.Region = region })
	var names []string
	in := &firehose.ListDeliveryStreamsInput{}
	for {
		out, err := cl.ListDeliveryStreams(ctx, in)
		denied, fatal := p.check(call{c.account, region, "Firehose", "ListDeliveryStreams", ""}, err)
		if fatal != nil {
			return fatal
		}
		if denied {
			break
		}
		names = append(names, out.DeliveryStreamNames...)
		if !aws.ToBool(out.HasMoreDeliveryStreams) || len(out.DeliveryStreamNames) == 0 {
			break
		}
		in = &firehose.ListDeliveryStreamsInput{ExclusiveStartDeliveryStreamName: aws.String(names[len(names)-1])}
	}
	return forEach(ctx, c.limit, len(names), func(ctx context.Context, i int) error {
		name := names[i]
		arn := "arn:" + c.partition + ":firehose:" + region + ":" + c.account + ":deliverystream/" + name
		k := call{c.account, region, "Firehose", "DescribeDeliveryStream", arn}
		out, err := cl.DescribeDeliveryStream(ctx, &firehose.DescribeDeliveryStreamInput{DeliveryStreamName: aws.String(name)})
		denied, fatal := p.check(k, err)
		if fatal == nil && p.isGone(k) {
			return nil // deleted since it was listed: a warning says so
		}
		r := inventory.Resource{Origin: inventory.Origin{Address: arn}, Type: "AWS::KinesisFirehose::DeliveryStream", Service: "firehose",
			Name: name, ARN: arn, Account: c.account, Region: region}
		switch {
		case fatal != nil:
			return fatal
		case denied || out.DeliveryStreamDescription == nil:
			p.addResource(r) // a stand-in trigger names the processors not read (gaps.go)
			return nil
		}
		d := out.DeliveryStreamDescription
		if a := aws.ToString(d.DeliveryStreamARN); a != "" && p.validARN(k, "DeliveryStreamARN", a, "firehose") {
			arn = a
			r.ARN, r.Origin.Address = a, a
		}
		p.addResource(r)
		for _, dest := range d.Destinations {
			for _, pc := range processingConfigs(dest) {
				for j, proc := range pc.cfg.Processors {
					if proc.Type != types.ProcessorTypeLambda {
						continue
					}
					fn, role := "", pc.role
					for _, param := range proc.Parameters {
						switch param.ParameterName {
						case types.ProcessorParameterNameLambdaArn:
							fn = aws.ToString(param.ParameterValue)
						case types.ProcessorParameterNameRoleArn:
							role = nonEmpty(aws.ToString(param.ParameterValue), role)
						}
					}
					if !p.validARN(k, "Processor LambdaArn", fn, "lambda") {
						continue
					}
					t := inventory.Trigger{Origin: inventory.Origin{Address: arn + "#destination/" + aws.ToString(dest.DestinationId) + "/processor/" + strconv.Itoa(j)},
						Kind: "push", Service: "firehose", SourceARN: arn, SourceAddress: arn, Target: fn, InvokeRole: role,
						Enabled: pc.cfg.Enabled == nil || aws.ToBool(pc.cfg.Enabled)}
					if role == "" {
						t.Unknown = append(t.Unknown, inventory.Unknown{Field: "invoke_role", Reason: "the delivery stream's destination names no role"})
					}
					setFunctionTarget(&t)
					p.addTrigger(t)
				}
			}
		}
		return nil
	})
}

type processing struct {
	cfg  *types.ProcessingConfiguration
	role string
}

// processingConfigs are the record transformations of one destination,
// with the role Firehose uses for it.
func processingConfigs(d types.DestinationDescription) []processing {
	var out []processing
	add := func(cfg *types.ProcessingConfiguration, role *string) {
		if cfg != nil {
			out = append(out, processing{cfg, aws.ToString(role)})
		}
	}
	if x := d.ExtendedS3DestinationDescription; x != nil {
		add(x.ProcessingConfiguration, x.RoleARN)
	}
	if x := d.RedshiftDestinationDescription; x != nil {
		add(x.ProcessingConfiguration, x.RoleARN)
	}
	if x := d.ElasticsearchDestinationDescription; x != nil {
		add(x.ProcessingConfiguration, x.RoleARN)
	}
	if x := d.AmazonopensearchserviceDestinationDescription; x != nil {
		add(x.ProcessingConfiguration, x.RoleARN)
	}
	if x := d.AmazonOpenSearchServerlessDestinationDescription; x != nil {
		add(x.ProcessingConfiguration, x.RoleARN)
	}
	if x := d.HttpEndpointDestinationDescription; x != nil {
		add(x.ProcessingConfiguration, x.RoleARN)
	}
	if x := d.SnowflakeDestinationDescription; x != nil {
		add(x.ProcessingConfiguration, x.RoleARN)
	}
	if x := d.IcebergDestinationDescription; x != nil {
		add(x.ProcessingConfiguration, x.RoleARN)
	}
	if x := d.SplunkDestinationDescription; x != nil {
		var role *string
		if x.S3DestinationDescription != nil {
			role = x.S3DestinationDescription.RoleARN
		}
		add(x.ProcessingConfiguration, role)
	}
	return out
}

package awsapi

import (
	"context"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3control"
	"github.com/aws/aws-sdk-go-v2/service/s3control/types"
	smithyendpoints "github.com/aws/smithy-go/endpoints"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
)

// collectS3ObjectLambda reads a region's Object Lambda access points and
// the functions that transform what they return. They invoke with the
// caller's credentials, so the trigger has no invoke role.
func collectS3ObjectLambda(ctx context.Context, c *collector, region string, p *part) error {
	cl := s3control.NewFromConfig(c.cfg, func(o *s3control.Options) {
		o.Region = region
		if c.cfg.BaseEndpoint != nil && *c.cfg.BaseEndpoint != "" {
			// One endpoint for every service (an emulator): S3 Control would
			// otherwise put the account id in front of its host name.
			o.EndpointResolverV2 = oneEndpoint{s3control.NewDefaultEndpointResolverV2()}
		}
	})
	var points []types.ObjectLambdaAccessPoint
	pg := s3control.NewListAccessPointsForObjectLambdaPaginator(cl, &s3control.ListAccessPointsForObjectLambdaInput{AccountId: aws.String(c.account)})
	for pg.HasMorePages() {
		page, err := pg.NextPage(ctx)
		k := call{c.account, region, "S3 Control", "ListAccessPointsForObjectLambda", ""}
		denied, fatal := p.check(k, err)
		if fatal != nil {
			return fatal
		}
		if denied {
			break
		}
		for _, ap := range page.ObjectLambdaAccessPointList {
			if p.validARN(k, "ObjectLambdaAccessPointArn", aws.ToString(ap.ObjectLambdaAccessPointArn), "s3-object-lambda") {
				points = append(points, ap)
			}
		}
	}
	return forEach(ctx, c.limit, len(points), func(ctx context.Context, i int) error {
		ap := points[i]
		arn := aws.ToString(ap.ObjectLambdaAccessPointArn)
		r := inventory.Resource{Origin: inventory.Origin{Address: arn}, Type: "AWS::S3ObjectLambda::AccessPoint", Service: "s3-object-lambda",
			Name: aws.ToString(ap.Name), ARN: arn, Account: nonEmpty(accountOf(arn), c.account), Region: region}
		k := call{c.account, region, "S3 Control", "GetAccessPointConfigurationForObjectLambda", arn}
		out, err := cl.GetAccessPointConfigurationForObjectLambda(ctx, &s3control.GetAccessPointConfigurationForObjectLambdaInput{AccountId: aws.String(c.account), Name: ap.Name})
		denied, fatal := p.check(k, err)
		if fatal == nil && p.isGone(k) {
			return nil // deleted since it was listed: a warning says so
		}
		switch {
		case fatal != nil:
			return fatal
		case denied || out.Configuration == nil:
			p.addResource(r) // a stand-in trigger names the transformations not read (gaps.go)
			return nil
		}
		setAttr(&r, "supporting_access_point", aws.ToString(out.Configuration.SupportingAccessPoint))
		p.addResource(r)
		for j, tc := range out.Configuration.TransformationConfigurations {
			l, ok := tc.ContentTransformation.(*types.ObjectLambdaContentTransformationMemberAwsLambda)
			if !ok {
				continue
			}
			fn := aws.ToString(l.Value.FunctionArn)
			if !p.validARN(k, "AwsLambda.FunctionArn", fn, "lambda") {
				continue
			}
			var actions []string
			for _, a := range tc.Actions {
				actions = append(actions, string(a))
			}
			t := inventory.Trigger{Origin: inventory.Origin{Address: arn + "#transformation/" + strconv.Itoa(j)}, Kind: "push", Service: "s3_object_lambda",
				SourceARN: arn, SourceAddress: arn, Target: fn, Enabled: true, Events: actions}
			setFunctionTarget(&t)
			p.addTrigger(t)
		}
		return nil
	})
}

// oneEndpoint resolves S3 Control endpoints without the account id host
// prefix.
type oneEndpoint struct{ next s3control.EndpointResolverV2 }

func (r oneEndpoint) ResolveEndpoint(ctx context.Context, params s3control.EndpointParameters) (smithyendpoints.Endpoint, error) {
	params.RequiresAccountId = aws.Bool(false)
	return r.next.ResolveEndpoint(ctx, params)
}

package awsapi

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
)

// collectSecretsManager reads a region's secrets (resource policy, KMS
// key) and the rotation functions that Secrets Manager invokes.
func collectSecretsManager(ctx context.Context, c *collector, region string, p *part) error {
	cl := secretsmanager.NewFromConfig(c.cfg, func(o *secretsmanager.Options) { o.Region = region })
	var secrets []types.SecretListEntry
	pg := secretsmanager.NewListSecretsPaginator(cl, &secretsmanager.ListSecretsInput{})
	for pg.HasMorePages() {
		page, err := pg.NextPage(ctx)
		k := call{c.account, region, "Secrets Manager", "ListSecrets", ""}
		denied, fatal := p.check(k, err)
		if fatal != nil {
			return fatal
		}
		if denied {
			break
		}
		for _, s := range page.SecretList {
			if p.validARN(k, "ARN", aws.ToString(s.ARN), "secretsmanager") {
				secrets = append(secrets, s)
			}
		}
	}
	return forEach(ctx, c.limit, len(secrets), func(ctx context.Context, i int) error {
		s := secrets[i]
		arn := aws.ToString(s.ARN)
		r := inventory.Resource{Origin: inventory.Origin{Address: arn}, Type: "AWS::SecretsManager::Secret", Service: "secretsmanager",
			Name: aws.ToString(s.Name), ARN: arn, Account: nonEmpty(accountOf(arn), c.account), Region: region, KMSKeyARN: aws.ToString(s.KmsKeyId)}
		if fn := aws.ToString(s.RotationLambdaARN); fn != "" {
			k := call{c.account, region, "Secrets Manager", "ListSecrets", ""}
			if p.validARN(k, "RotationLambdaARN", fn, "lambda") {
				t := inventory.Trigger{Origin: inventory.Origin{Address: arn + "#rotation"}, Kind: "push", Service: "secretsmanager",
					SourceARN: arn, SourceAddress: arn, Target: fn, Enabled: aws.ToBool(s.RotationEnabled), Events: []string{"rotation"}}
				setFunctionTarget(&t)
				p.addTrigger(t)
			}
		}
		k := call{c.account, region, "Secrets Manager", "GetResourcePolicy", arn}
		out, err := cl.GetResourcePolicy(ctx, &secretsmanager.GetResourcePolicyInput{SecretId: aws.String(arn)})
		denied, fatal := p.check(k, err)
		if fatal == nil && p.isGone(k) {
			return nil // deleted since it was listed: a warning says so
		}
		switch {
		case fatal != nil:
			return fatal
		case denied:
			r.Unknown = append(r.Unknown, inventory.Unknown{Field: "policy", Reason: p.reason(k)})
		default:
			if pol := aws.ToString(out.ResourcePolicy); pol != "" {
				r.Policy = p.resourcePolicy(k, "secret-policy", arn, pol)
			}
		}
		p.addResource(r)
		return nil
	})
}

package awsapi

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	cognito "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
)

// collectCognito reads a region's user pools and the functions their
// Lambda triggers name. Events are the trigger names as Terraform's
// lambda_config spells them, so both sources give the same triggers.
func collectCognito(ctx context.Context, c *collector, region string, p *part) error {
	cl := cognito.NewFromConfig(c.cfg, func(o *cognito.Options) { o.Region = region })
	var pools []types.UserPoolDescriptionType
	pg := cognito.NewListUserPoolsPaginator(cl, &cognito.ListUserPoolsInput{MaxResults: aws.Int32(60)})
	for pg.HasMorePages() {
		page, err := pg.NextPage(ctx)
		k := call{c.account, region, "Cognito Identity Provider", "ListUserPools", ""}
		denied, fatal := p.check(k, err)
		if fatal != nil {
			return fatal
		}
		if denied {
			break
		}
		for _, up := range page.UserPools {
			if aws.ToString(up.Id) == "" {
				p.invalid(k, badValue("Id", "", "a user pool id"))
				continue
			}
			pools = append(pools, up)
		}
	}
	return forEach(ctx, c.limit, len(pools), func(ctx context.Context, i int) error {
		id := aws.ToString(pools[i].Id)
		arn := "arn:" + c.partition + ":cognito-idp:" + region + ":" + c.account + ":userpool/" + id
		r := inventory.Resource{Origin: inventory.Origin{Address: arn}, Type: "AWS::Cognito::UserPool", Service: "cognito-idp",
			Name: aws.ToString(pools[i].Name), ARN: arn, Account: c.account, Region: region}
		k := call{c.account, region, "Cognito Identity Provider", "DescribeUserPool", arn}
		out, err := cl.DescribeUserPool(ctx, &cognito.DescribeUserPoolInput{UserPoolId: aws.String(id)})
		denied, fatal := p.check(k, err)
		if fatal == nil && p.isGone(k) {
			return nil // deleted since it was listed: a warning says so
		}
		switch {
		case fatal != nil:
			return fatal
		case denied || out.UserPool == nil:
			p.addResource(r) // a stand-in trigger names the triggers not read (gaps.go)
			return nil
		}
		if a := aws.ToString(out.UserPool.Arn); a != "" && p.validARN(k, "Arn", a, "cognito-idp") {
			arn = a
			r.ARN, r.Origin.Address, r.Account = a, a, nonEmpty(accountOf(a), c.account)
		}
		p.addResource(r)
		for _, e := range userPoolTriggers(out.UserPool.LambdaConfig) {
			if !p.validARN(k, "LambdaConfig."+e.event, e.fn, "lambda") {
				continue
			}
			t := inventory.Trigger{Origin: inventory.Origin{Address: arn + "#trigger/" + e.event}, Kind: "push", Service: "cognito",
				SourceARN: arn, SourceAddress: arn, Target: e.fn, Enabled: true, Events: []string{e.event}}
			setFunctionTarget(&t)
			p.addTrigger(t)
		}
		return nil
	})
}

type poolTrigger struct{ event, fn string }

// userPoolTriggers lists the functions a pool's LambdaConfig names. A
// pre-token-generation function set both ways (the plain field and the
// versioned config) is one trigger.
func userPoolTriggers(lc *types.LambdaConfigType) []poolTrigger {
	if lc == nil {
		return nil
	}
	var out []poolTrigger
	for _, e := range []struct {
		event string
		fn    *string
	}{
		{"create_auth_challenge", lc.CreateAuthChallenge}, {"custom_message", lc.CustomMessage},
		{"define_auth_challenge", lc.DefineAuthChallenge}, {"post_authentication", lc.PostAuthentication},
		{"post_confirmation", lc.PostConfirmation}, {"pre_authentication", lc.PreAuthentication},
		{"pre_sign_up", lc.PreSignUp}, {"pre_token_generation", lc.PreTokenGeneration},
		{"user_migration", lc.UserMigration}, {"verify_auth_challenge_response", lc.VerifyAuthChallengeResponse},
	} {
		if fn := aws.ToString(e.fn); fn != "" {
			out = append(out, poolTrigger{e.event, fn})
		}
	}
	if v := lc.CustomEmailSender; v != nil && aws.ToString(v.LambdaArn) != "" {
		out = append(out, poolTrigger{"custom_email_sender", aws.ToString(v.LambdaArn)})
	}
	if v := lc.CustomSMSSender; v != nil && aws.ToString(v.LambdaArn) != "" {
		out = append(out, poolTrigger{"custom_sms_sender", aws.ToString(v.LambdaArn)})
	}
	if v := lc.PreTokenGenerationConfig; v != nil && aws.ToString(v.LambdaArn) != "" && aws.ToString(v.LambdaArn) != aws.ToString(lc.PreTokenGeneration) {
		out = append(out, poolTrigger{"pre_token_generation_config", aws.ToString(v.LambdaArn)})
	}
	if v := lc.InboundFederation; v != nil && aws.ToString(v.LambdaArn) != "" {
		out = append(out, poolTrigger{"inbound_federation", aws.ToString(v.LambdaArn)})
	}
	return out
}

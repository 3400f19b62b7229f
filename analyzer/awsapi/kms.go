package awsapi

import (
	"context"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
)

// collectKMS reads a region's customer managed keys with their key
// policies, and their aliases. AWS managed keys are not resources of the
// inventory (their key policies grant the service); references to them
// are rewritten to their alias/aws/* ARN, which the simulator knows needs
// no key policy grant.
func collectKMS(ctx context.Context, c *collector, region string, p *part) error {
	cl := kms.NewFromConfig(c.cfg, func(o *kms.Options) { o.Region = region })
	prefix := "arn:" + c.partition + ":kms:" + region + ":" + c.account + ":"
	p.kms = map[string]string{}
	var keys []types.KeyListEntry
	pg := kms.NewListKeysPaginator(cl, &kms.ListKeysInput{})
	for pg.HasMorePages() {
		page, err := pg.NextPage(ctx)
		denied, fatal := p.check(call{c.account, region, "KMS", "ListKeys", ""}, err)
		if fatal != nil {
			return fatal
		}
		if denied {
			break
		}
		keys = append(keys, page.Keys...)
	}
	managers := make([]types.KeyManagerType, len(keys))
	resources := make([]*inventory.Resource, len(keys))
	err := forEach(ctx, c.limit, len(keys), func(ctx context.Context, i int) error {
		id := aws.ToString(keys[i].KeyId)
		arn := aws.ToString(keys[i].KeyArn)
		k := call{c.account, region, "KMS", "DescribeKey", arn}
		out, err := cl.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(id)})
		denied, fatal := p.check(k, err)
		if fatal != nil {
			return fatal
		}
		r := &inventory.Resource{Origin: inventory.Origin{Address: arn}, Type: "AWS::KMS::Key", Service: "kms", Name: id, ARN: arn, Account: c.account, Region: region}
		if denied {
			r.Unknown = append(r.Unknown, inventory.Unknown{Field: "attributes.key_manager", Reason: p.reason(k)})
		} else if md := out.KeyMetadata; md != nil {
			managers[i] = md.KeyManager
			if md.KeyManager == types.KeyManagerTypeAws {
				return nil
			}
			setAttr(r, "key_usage", string(md.KeyUsage))
			if md.KeyState != types.KeyStateEnabled {
				setAttr(r, "key_state", string(md.KeyState))
			}
		}
		k = call{c.account, region, "KMS", "GetKeyPolicy", arn}
		pol, err := cl.GetKeyPolicy(ctx, &kms.GetKeyPolicyInput{KeyId: aws.String(id), PolicyName: aws.String("default")})
		denied, fatal = p.check(k, err)
		switch {
		case fatal != nil:
			return fatal
		case denied:
			r.Unknown = append(r.Unknown, inventory.Unknown{Field: "policy", Reason: p.reason(k)})
		default:
			r.Policy = p.resourcePolicy(k, "key-policy", arn, aws.ToString(pol.Policy))
		}
		resources[i] = r
		return nil
	})
	if err != nil {
		return err
	}
	awsManaged := map[string]bool{}
	for i, key := range keys {
		id, arn := aws.ToString(key.KeyId), aws.ToString(key.KeyArn)
		p.kms[region+"|"+id] = arn
		p.kms[region+"|"+arn] = arn
		if managers[i] == types.KeyManagerTypeAws {
			awsManaged[id] = true
		}
		if resources[i] != nil {
			p.addResource(*resources[i])
		}
	}
	ap := kms.NewListAliasesPaginator(cl, &kms.ListAliasesInput{})
	for ap.HasMorePages() {
		page, err := ap.NextPage(ctx)
		denied, fatal := p.check(call{c.account, region, "KMS", "ListAliases", ""}, err)
		if fatal != nil {
			return fatal
		}
		if denied {
			break
		}
		for _, a := range page.Aliases {
			name, aliasARN, target := aws.ToString(a.AliasName), aws.ToString(a.AliasArn), aws.ToString(a.TargetKeyId)
			if aliasARN == "" {
				aliasARN = prefix + name
			}
			if strings.HasPrefix(name, "alias/aws/") {
				// Uses of the key, by id, ARN or alias, name the alias.
				p.kms[region+"|"+name] = aliasARN
				p.kms[region+"|"+aliasARN] = aliasARN
				if target != "" {
					p.kms[region+"|"+target] = aliasARN
					p.kms[region+"|"+prefix+"key/"+target] = aliasARN
				}
				continue
			}
			if target == "" || awsManaged[target] {
				continue
			}
			keyARN := prefix + "key/" + target
			p.kms[region+"|"+name] = keyARN
			p.kms[region+"|"+aliasARN] = keyARN
			r := inventory.Resource{Origin: inventory.Origin{Address: aliasARN}, Type: "AWS::KMS::Alias", Service: "kms", Name: name, ARN: aliasARN, Account: c.account, Region: region}
			setAttr(&r, "target_key_arn", keyARN)
			p.addResource(r)
		}
	}
	return nil
}

// keyARN resolves a KMS key reference as services report it (key id, key
// ARN, alias name or alias ARN) to the ARN the inventory uses: the key's
// ARN for customer managed keys, the alias/aws/* ARN for AWS managed ones.
// An unknown alias keeps its alias ARN; an empty reference stays empty.
func (c *collector) keyARN(kms map[string]string, region, ref string) string {
	if ref == "" {
		return ""
	}
	if r := regionOf(ref); r != "" {
		region = r
	}
	if arn, ok := kms[region+"|"+ref]; ok {
		return arn
	}
	if strings.HasPrefix(ref, "arn:") {
		return ref
	}
	prefix := "arn:" + c.partition + ":kms:" + region + ":" + c.account + ":"
	if strings.HasPrefix(ref, "alias/") {
		return prefix + ref
	}
	return prefix + "key/" + ref
}

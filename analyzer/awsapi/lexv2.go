package awsapi

import (
	"context"
	"sort"

	"github.com/aws/aws-sdk-go-v2/aws"
	lex "github.com/aws/aws-sdk-go-v2/service/lexmodelsv2"
	"github.com/aws/aws-sdk-go-v2/service/lexmodelsv2/types"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
)

// collectLexV2 reads a region's Lex V2 bots and, per bot alias and
// locale, the code hook function the alias invokes.
func collectLexV2(ctx context.Context, c *collector, region string, p *part) error {
	cl := lex.NewFromConfig(c.cfg, func(o *lex.Options) { o.Region = region })
	var bots []string
	pg := lex.NewListBotsPaginator(cl, &lex.ListBotsInput{})
	for pg.HasMorePages() {
		page, err := pg.NextPage(ctx)
		denied, fatal := p.check(call{c.account, region, "Lex Models V2", "ListBots", ""}, err)
		if fatal != nil {
			return fatal
		}
		if denied {
			break
		}
		for _, b := range page.BotSummaries {
			if id := aws.ToString(b.BotId); id != "" {
				bots = append(bots, id)
			}
		}
	}
	type alias struct{ bot, id string }
	var aliases []alias
	for _, bot := range bots {
		botARN := "arn:" + c.partition + ":lex:" + region + ":" + c.account + ":bot/" + bot
		ap := lex.NewListBotAliasesPaginator(cl, &lex.ListBotAliasesInput{BotId: aws.String(bot)})
		for ap.HasMorePages() {
			page, err := ap.NextPage(ctx)
			denied, fatal := p.check(call{c.account, region, "Lex Models V2", "ListBotAliases", botARN}, err)
			if fatal != nil {
				return fatal
			}
			if denied {
				break // a stand-in trigger names the aliases not read (gaps.go)
			}
			for _, a := range page.BotAliasSummaries {
				if id := aws.ToString(a.BotAliasId); id != "" {
					aliases = append(aliases, alias{bot, id})
				}
			}
		}
	}
	return forEach(ctx, c.limit, len(aliases), func(ctx context.Context, i int) error {
		a := aliases[i]
		arn := "arn:" + c.partition + ":lex:" + region + ":" + c.account + ":bot-alias/" + a.bot + "/" + a.id
		k := call{c.account, region, "Lex Models V2", "DescribeBotAlias", arn}
		out, err := cl.DescribeBotAlias(ctx, &lex.DescribeBotAliasInput{BotId: aws.String(a.bot), BotAliasId: aws.String(a.id)})
		denied, fatal := p.check(k, err)
		if fatal == nil && p.isGone(k) {
			return nil // deleted since it was listed: a warning says so
		}
		r := inventory.Resource{Origin: inventory.Origin{Address: arn}, Type: "AWS::Lex::BotAlias", Service: "lex",
			Name: a.id, ARN: arn, Account: c.account, Region: region}
		switch {
		case fatal != nil:
			return fatal
		case denied:
			p.addResource(r) // a stand-in trigger names the code hooks not read (gaps.go)
			return nil
		}
		r.Name = nonEmpty(aws.ToString(out.BotAliasName), a.id)
		p.addResource(r)
		locales := make([]string, 0, len(out.BotAliasLocaleSettings))
		for l := range out.BotAliasLocaleSettings {
			locales = append(locales, l)
		}
		sort.Strings(locales)
		for _, l := range locales {
			fn := lambdaCodeHook(out.BotAliasLocaleSettings[l])
			if fn == "" || !p.validARN(k, "codeHookSpecification.lambdaCodeHook.lambdaARN", fn, "lambda") {
				continue
			}
			t := inventory.Trigger{Origin: inventory.Origin{Address: arn + "#locale/" + l}, Kind: "push", Service: "lexv2",
				SourceARN: arn, SourceAddress: arn, Target: fn, Enabled: out.BotAliasLocaleSettings[l].Enabled, Events: []string{l}}
			setFunctionTarget(&t)
			p.addTrigger(t)
		}
		return nil
	})
}

func lambdaCodeHook(s types.BotAliasLocaleSettings) string {
	if s.CodeHookSpecification == nil || s.CodeHookSpecification.LambdaCodeHook == nil {
		return ""
	}
	return aws.ToString(s.CodeHookSpecification.LambdaCodeHook.LambdaARN)
}

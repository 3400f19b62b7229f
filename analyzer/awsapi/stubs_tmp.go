package awsapi

import "context"

func collectSNS(ctx context.Context, c *collector, region string, p *part) error          { return nil }
func collectSQS(ctx context.Context, c *collector, region string, p *part) error          { return nil }
func collectEventBridge(ctx context.Context, c *collector, region string, p *part) error  { return nil }
func collectScheduler(ctx context.Context, c *collector, region string, p *part) error    { return nil }
func collectAPIGateway(ctx context.Context, c *collector, region string, p *part) error   { return nil }
func collectAPIGatewayV2(ctx context.Context, c *collector, region string, p *part) error { return nil }
func collectDynamoDB(ctx context.Context, c *collector, region string, p *part) error     { return nil }
func collectKinesis(ctx context.Context, c *collector, region string, p *part) error      { return nil }
func collectKMS(ctx context.Context, c *collector, region string, p *part) error          { return nil }
func collectS3(ctx context.Context, c *collector, region string, p *part) error           { return nil }
func (c *collector) keyARN(kms map[string]string, region, ref string) string              { return ref }

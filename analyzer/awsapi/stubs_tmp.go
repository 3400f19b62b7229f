package awsapi

import "context"

func collectAPIGateway(ctx context.Context, c *collector, region string, p *part) error   { return nil }
func collectAPIGatewayV2(ctx context.Context, c *collector, region string, p *part) error { return nil }
func collectDynamoDB(ctx context.Context, c *collector, region string, p *part) error     { return nil }
func collectKinesis(ctx context.Context, c *collector, region string, p *part) error      { return nil }
func collectS3(ctx context.Context, c *collector, region string, p *part) error           { return nil }

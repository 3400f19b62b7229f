package awsapi

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// ConfigOptions select credentials and endpoints, as the CLI flags do.
type ConfigOptions struct {
	// Profile is a shared config profile (--profile); empty uses the
	// standard credential chain (environment, SSO, instance role …).
	Profile string
	// Region is the home region for global services and the default
	// region to collect; empty takes the profile's or AWS_REGION.
	Region string
	// RoleARN, when set, is assumed (read-only) for every call.
	RoleARN string
	// EndpointURL sends every service to one endpoint (LocalStack, tests).
	EndpointURL string
	// MaxAttempts bounds retries of one call (default 10).
	MaxAttempts int
}

// defaultMaxAttempts is generous because the adaptive retryer slows the
// client down on throttling instead of failing: big accounts throttle.
const defaultMaxAttempts = 10

// NewRetryer is the SDK's adaptive retry mode: exponential backoff with
// jitter plus client-side rate limiting that slows a client down after
// throttling errors instead of failing.
func NewRetryer(maxAttempts int) aws.Retryer {
	return adaptiveRetryer(maxAttempts, nil, retry.DefaultRequestCost)
}

// adaptiveRetryer lets tests keep the retry decisions while skipping the
// waits: a fast backoff and a zero request cost (the rate limiter's token
// bucket never empties).
func adaptiveRetryer(maxAttempts int, backoff retry.BackoffDelayer, requestCost uint) aws.Retryer {
	if maxAttempts <= 0 {
		maxAttempts = defaultMaxAttempts
	}
	return retry.NewAdaptiveMode(func(o *retry.AdaptiveModeOptions) {
		o.RequestCost = requestCost
		o.StandardOptions = append(o.StandardOptions, func(so *retry.StandardOptions) {
			so.MaxAttempts = maxAttempts
			so.MaxBackoff = 20 * time.Second
			if backoff != nil {
				so.Backoff = backoff
			}
		})
	})
}

// LoadConfig builds the SDK configuration from the standard credential
// chain and the options. The result is already read-only (ReadOnly).
func LoadConfig(ctx context.Context, o ConfigOptions) (aws.Config, error) {
	opts := []func(*config.LoadOptions) error{
		config.WithRetryer(func() aws.Retryer { return NewRetryer(o.MaxAttempts) }),
	}
	if o.Profile != "" {
		opts = append(opts, config.WithSharedConfigProfile(o.Profile))
	}
	if o.Region != "" {
		opts = append(opts, config.WithRegion(o.Region))
	}
	if o.EndpointURL != "" {
		opts = append(opts, config.WithBaseEndpoint(o.EndpointURL))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return aws.Config{}, fmt.Errorf("load AWS configuration: %w", err)
	}
	if cfg.Region == "" {
		return aws.Config{}, errors.New("load AWS configuration: no region: pass --region or set AWS_REGION or a region in the profile")
	}
	cfg = ReadOnly(cfg)
	if o.RoleARN != "" {
		cfg = AssumeRole(cfg, o.RoleARN)
	}
	return cfg, nil
}

// AssumeRole returns a copy of cfg whose credentials are sessions of
// roleARN, obtained with cfg's credentials through a read-only STS client.
func AssumeRole(cfg aws.Config, roleARN string) aws.Config {
	base := ReadOnly(cfg)
	client := sts.NewFromConfig(base)
	out := base.Copy()
	out.Credentials = aws.NewCredentialsCache(stscreds.NewAssumeRoleProvider(client, roleARN, func(o *stscreds.AssumeRoleOptions) {
		o.RoleSessionName = "lambdacheck-collect"
	}))
	return out
}

package awsapi

import (
	"context"
	"errors"
	"fmt"
	"syscall"
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
	// MaxRetries bounds the retries of one call (DefaultMaxRetries when
	// negative; 0 means a single attempt).
	MaxRetries int
}

// DefaultMaxRetries retries a throttled or failing call five times, with
// exponential backoff and jitter, before it is recorded as failed.
const DefaultMaxRetries = 5

// NewRetryer is the SDK's standard retryer (exponential backoff with
// jitter, and a retry quota that stops retrying when most calls fail)
// with maxRetries retries, except that a refused connection is not
// retried: nothing listens there, and waiting does not change that.
func NewRetryer(maxRetries int) aws.Retryer {
	return standardRetryer(maxRetries, nil)
}

// standardRetryer lets tests keep the retry decisions while skipping the
// waits (a fast backoff).
func standardRetryer(maxRetries int, backoff retry.BackoffDelayer) aws.Retryer {
	if maxRetries < 0 {
		maxRetries = DefaultMaxRetries
	}
	return retry.NewStandard(func(o *retry.StandardOptions) {
		o.MaxAttempts = maxRetries + 1
		o.MaxBackoff = 20 * time.Second
		if backoff != nil {
			o.Backoff = backoff
		}
		o.Retryables = append([]retry.IsErrorRetryable{retry.IsErrorRetryableFunc(func(err error) aws.Ternary {
			if errors.Is(err, syscall.ECONNREFUSED) {
				return aws.FalseTernary
			}
			return aws.UnknownTernary
		})}, o.Retryables...)
	})
}

// LoadConfig builds the SDK configuration from the standard credential
// chain and the options. The result is already read-only (ReadOnly).
func LoadConfig(ctx context.Context, o ConfigOptions) (aws.Config, error) {
	opts := []func(*config.LoadOptions) error{
		config.WithRetryer(func() aws.Retryer { return NewRetryer(o.MaxRetries) }),
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

package awsapi

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/lambdacheck/lambdacheck/internal/fakeaws"
)

// fake is the fake AWS with a retryer that keeps the standard retry
// decisions but not their waits.
type fake struct{ *fakeaws.Server }

func newFake(t testing.TB, dir string, override ...string) fake {
	return fake{fakeaws.New(t, dir, override...)}
}

func (f fake) config(region string) aws.Config {
	cfg := f.Config(region)
	cfg.Retryer = func() aws.Retryer { return standardRetryer(4, fastBackoff{}) }
	return cfg
}

type fastBackoff struct{}

func (fastBackoff) BackoffDelay(int, error) (time.Duration, error) { return time.Millisecond, nil }

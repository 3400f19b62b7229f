package awsapi

import (
	"github.com/lambdacheck/lambdacheck/analyzer/envsecret"
	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
)

// envVar keeps an environment variable's key and whether its value looks
// like a secret; the value itself is dropped.
func envVar(key, value string) inventory.EnvVar {
	ev := inventory.EnvVar{Key: key}
	ev.LooksSecret, ev.SecretReason = envsecret.Check(key, value)
	return ev
}

package awsapi

import (
	"regexp"
	"strings"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
)

// The heuristics below flag environment variables whose value looks like a
// secret. They mirror the Terraform loader's so both sources flag the same
// variables; values are looked at here and never stored.

var envSecretKey = regexp.MustCompile(`(?i)(PASSWORD|PASSWD|PWD$|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIAL|AUTH_?KEY|SIGNING_?KEY|CLIENT_?SECRET)`)
var envReferenceKey = regexp.MustCompile(`(?i)(_ARN|_NAME|_ID|_PATH|_PARAM|_PARAMETER|_URL|_URI|_REGION|_TTL|_LENGTH|_ENABLED|_TABLE|_BUCKET|_QUEUE|_TOPIC)$`)

var secretValues = []struct {
	re   *regexp.Regexp
	what string
}{
	{regexp.MustCompile(`\b(AKIA|ASIA)[0-9A-Z]{16}\b`), "an AWS access key id"},
	{regexp.MustCompile(`-----BEGIN [A-Z ]*PRIVATE KEY-----`), "a private key"},
	{regexp.MustCompile(`\bgh[pousr]_[A-Za-z0-9]{30,}`), "a GitHub token"},
	{regexp.MustCompile(`\bgithub_pat_[A-Za-z0-9_]{20,}`), "a GitHub token"},
	{regexp.MustCompile(`\bxox[abprs]-[A-Za-z0-9-]{10,}`), "a Slack token"},
	{regexp.MustCompile(`\b[sr]k_live_[A-Za-z0-9]{16,}`), "a Stripe key"},
	{regexp.MustCompile(`\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}`), "a JSON web token"},
	{regexp.MustCompile(`://[^/\s:@]+:[^/\s@]{3,}@`), "a URL with a password"},
}

// envVar keeps an environment variable's key and whether its value looks
// like a secret; the value itself is dropped.
func envVar(key, value string) inventory.EnvVar {
	ev := inventory.EnvVar{Key: key}
	ev.LooksSecret, ev.SecretReason = looksSecret(key, value)
	return ev
}

func looksSecret(key, value string) (bool, string) {
	for _, s := range secretValues {
		if s.re.MatchString(value) {
			return true, "the value looks like " + s.what
		}
	}
	if value == "" || !envSecretKey.MatchString(key) || envReferenceKey.MatchString(key) {
		return false, ""
	}
	// References to where a secret is kept are not secrets.
	if strings.HasPrefix(value, "arn:") || strings.HasPrefix(value, "/") || strings.HasPrefix(value, "{{resolve:") || len(value) < 8 {
		return false, ""
	}
	return true, "the key names a secret and the value is a literal"
}

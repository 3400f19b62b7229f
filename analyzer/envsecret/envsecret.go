// Package envsecret tells whether a Lambda environment variable holds a
// secret in plain text, from its key and value. Every source (Terraform,
// a live account) asks it, so they flag the same variables; the value is
// looked at and never kept.
//
// Place: used by the sources while they build the inventory, which records
// only the verdict (EnvVar.LooksSecret and SecretReason).
package envsecret

import (
	"regexp"
	"strings"
)

var secretKey = regexp.MustCompile(`(?i)(PASSWORD|PASSWD|PWD$|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIAL|AUTH_?KEY|SIGNING_?KEY|CLIENT_?SECRET)`)

// referenceKey names keys that hold where a secret is, not the secret.
var referenceKey = regexp.MustCompile(`(?i)(_ARN|_NAME|_ID|_PATH|_PARAM|_PARAMETER|_URL|_URI|_REGION|_TTL|_LENGTH|_ENABLED|_TABLE|_BUCKET|_QUEUE|_TOPIC)$`)

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

// Check reports whether the variable key=value looks like a secret, and
// why. A value shaped like a known credential is one whatever its key; a
// key that names a secret makes a literal value one, unless the value is
// a reference (an ARN, a parameter path, a dynamic reference), a value not
// known before deployment ("<…>", "${…}") or too short to be a credential.
func Check(key, value string) (bool, string) {
	for _, s := range secretValues {
		if s.re.MatchString(value) {
			return true, "the value looks like " + s.what
		}
	}
	if value == "" || !secretKey.MatchString(key) || referenceKey.MatchString(key) {
		return false, ""
	}
	if strings.HasPrefix(value, "arn:") || strings.HasPrefix(value, "/") || strings.HasPrefix(value, "{{resolve:") ||
		strings.HasPrefix(value, "<") || strings.HasPrefix(value, "${") || len(value) < 8 {
		return false, ""
	}
	return true, "the key names a secret and the value is a literal"
}

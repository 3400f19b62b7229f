package audit

import (
	"fmt"
	"strings"

	"github.com/lambdacheck/lambdacheck/analyzer/awsref"
	"github.com/lambdacheck/lambdacheck/analyzer/rules"
)

// WithSettings adds to extra the accounts of the settings file (config
// when given, else .lambdacheck.hcl in input or the working directory):
// the settings' accounts and trusted accounts come first, and extra.OrgID,
// when set, wins over their org_id. The extra ids must be account ids and
// the organization an organization id.
func WithSettings(config, input string, extra Options) (Options, error) {
	file, err := rules.FindSettings(config, input)
	if err != nil {
		return Options{}, err
	}
	s, err := rules.ReadSettings(file)
	if err != nil {
		return Options{}, err
	}
	for _, list := range []struct {
		flag string
		ids  []string
	}{{"--org-account", extra.Accounts}, {"--trusted-account", extra.Trusted}} {
		for _, id := range list.ids {
			if !awsref.IsAccountID(id) {
				return Options{}, fmt.Errorf("%s %q: want a 12-digit account id", list.flag, id)
			}
		}
	}
	if extra.OrgID != "" && !strings.HasPrefix(extra.OrgID, "o-") {
		return Options{}, fmt.Errorf("--org-id %q: want an organization id like o-abc123def4", extra.OrgID)
	}
	org := s.OrgID
	if extra.OrgID != "" {
		org = extra.OrgID
	}
	return Options{
		Accounts: append(append([]string{}, s.Accounts...), extra.Accounts...),
		Trusted:  append(append([]string{}, s.TrustedAccounts...), extra.Trusted...),
		OrgID:    org,
	}, nil
}

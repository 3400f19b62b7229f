package rules

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/lambdacheck/lambdacheck/analyzer/awsref"
	"github.com/lambdacheck/lambdacheck/analyzer/confine"
	"github.com/lambdacheck/lambdacheck/analyzer/hclnesting"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/gohcl"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// SettingsFile is the name of the settings file looked up next to the input
// and in the working directory.
const SettingsFile = ".lambdacheck.hcl"

// Settings is the content of .lambdacheck.hcl:
//
//	accounts         = ["123456789012"]     # the application's own accounts
//	trusted_accounts = ["444455556666"]     # outside accounts that may invoke or be reached
//	org_id           = "o-abc123def4"
//	fail_on          = "high"               # critical|high|medium|low|none
//
//	ignore "LC006" {
//	  address = "aws_lambda_permission.partner"   # * matches any run of characters
//	  reason  = "partner integration, SEC-142"
//	  expires = "2027-01-31"                       # optional; the ignore lapses after this day
//	}
//
//	ignore "LC017" {
//	  all    = true                                # instead of address: every finding of the rule
//	  reason = "runtime upgrades are planned quarterly"
//	}
type Settings struct {
	Accounts        []string `hcl:"accounts,optional"`
	TrustedAccounts []string `hcl:"trusted_accounts,optional"`
	OrgID           string   `hcl:"org_id,optional"`
	FailOn          string   `hcl:"fail_on,optional"`
	Ignores         []Ignore `hcl:"ignore,block"`
	// File is where the settings were read from ("" for none).
	File string
}

// Ignore waives one rule, on one address (pattern) or, with All, everywhere.
// Waiving everywhere must be said explicitly: a forgotten address would
// otherwise silence the rule for every resource, including ones added later.
type Ignore struct {
	Rule    string `hcl:"rule,label"`
	Address string `hcl:"address,optional"`
	All     bool   `hcl:"all,optional"`
	Reason  string `hcl:"reason"`
	Expires string `hcl:"expires,optional"`

	DefRange hcl.Range `hcl:",def_range"`
	expires  time.Time
}

// FindSettings returns the settings file to use: explicit when given (it
// must exist), else .lambdacheck.hcl in the input directory, else in the
// working directory, else "".
func FindSettings(explicit, input string) (string, error) {
	if explicit != "" {
		if _, err := os.Stat(explicit); err != nil {
			return "", fmt.Errorf("settings: %w", err)
		}
		return explicit, nil
	}
	var dirs []string
	if input != "" {
		if info, err := os.Stat(input); err == nil && !info.IsDir() {
			input = filepath.Dir(input)
		}
		dirs = append(dirs, input)
	}
	dirs = append(dirs, ".")
	for _, d := range dirs {
		p := filepath.Join(d, SettingsFile)
		if info, err := os.Stat(p); err == nil && !info.IsDir() {
			return p, nil
		}
	}
	return "", nil
}

// ReadSettings reads a settings file; an empty path gives empty settings.
func ReadSettings(path string) (*Settings, error) {
	if path == "" {
		return &Settings{}, nil
	}
	src, err := confine.ReadInput(path)
	if err != nil {
		return nil, fmt.Errorf("settings: %w", err)
	}
	return ParseSettings(path, src)
}

// ParseSettings decodes settings HCL; errors carry file:line.
func ParseSettings(name string, src []byte) (*Settings, error) {
	// The settings file may come with the change under review: nested
	// deeper than the parser recurses, it is an error, not a crash.
	file, diags := hclnesting.ParseConfig(src, name)
	if diags.HasErrors() {
		return nil, diagError(diags)
	}
	var s Settings
	if diags := gohcl.DecodeBody(file.Body, nil, &s); diags.HasErrors() {
		return nil, diagError(diags)
	}
	s.File = name
	at := func(r hcl.Range) string { return fmt.Sprintf("%s:%d:%d", r.Filename, r.Start.Line, r.Start.Column) }
	bodyAt := func(attr string) string {
		if b, ok := file.Body.(*hclsyntax.Body); ok {
			if a, ok := b.Attributes[attr]; ok {
				return at(a.SrcRange)
			}
		}
		return name
	}
	for _, list := range []struct {
		attr string
		ids  []string
	}{{"accounts", s.Accounts}, {"trusted_accounts", s.TrustedAccounts}} {
		for _, id := range list.ids {
			if !awsref.IsAccountID(id) {
				return nil, fmt.Errorf("%s: %s: %q is not a 12-digit account id", bodyAt(list.attr), list.attr, id)
			}
		}
	}
	if s.OrgID != "" && !strings.HasPrefix(s.OrgID, "o-") {
		return nil, fmt.Errorf("%s: org_id %q: want an organization id like o-abc123def4", bodyAt("org_id"), s.OrgID)
	}
	if s.FailOn != "" {
		if _, err := ParseThreshold(s.FailOn); err != nil {
			return nil, fmt.Errorf("%s: %w", bodyAt("fail_on"), err)
		}
	}
	for i := range s.Ignores {
		ig := &s.Ignores[i]
		if strings.TrimSpace(ig.Rule) == "" {
			return nil, fmt.Errorf("%s: ignore needs a rule id or short code as its label", at(ig.DefRange))
		}
		if strings.TrimSpace(ig.Reason) == "" {
			return nil, fmt.Errorf("%s: ignore %q: reason must say why the finding is accepted", at(ig.DefRange), ig.Rule)
		}
		if err := checkIgnoreScope(ig); err != nil {
			return nil, fmt.Errorf("%s: %w", at(ig.DefRange), err)
		}
		if ig.Expires != "" {
			t, err := time.Parse(time.DateOnly, ig.Expires)
			if err != nil {
				return nil, fmt.Errorf("%s: ignore %q: expires %q: want YYYY-MM-DD", at(ig.DefRange), ig.Rule, ig.Expires)
			}
			ig.expires = t
		}
	}
	return &s, nil
}

// checkIgnoreScope requires an ignore to name what it waives: an address
// pattern, or all = true for every finding of the rule (not both).
func checkIgnoreScope(ig *Ignore) error {
	everything := strings.Trim(ig.Address, "* \t") == ""
	switch {
	case ig.All && ig.Address != "":
		return fmt.Errorf("ignore %q: address and all = true exclude each other; keep one", ig.Rule)
	case ig.All:
		return nil
	case strings.TrimSpace(ig.Address) == "":
		return fmt.Errorf("ignore %q: needs an address (a pattern, * matches any run of characters), or all = true to waive the rule everywhere", ig.Rule)
	case everything:
		return fmt.Errorf("ignore %q: address %q matches every resource; say all = true to waive the rule everywhere", ig.Rule, ig.Address)
	}
	return nil
}

func diagError(diags hcl.Diagnostics) error {
	var msgs []string
	for _, d := range diags {
		if d.Severity != hcl.DiagError {
			continue
		}
		where := ""
		if d.Subject != nil {
			where = fmt.Sprintf("%s:%d:%d: ", d.Subject.Filename, d.Subject.Start.Line, d.Subject.Start.Column)
		}
		msg := d.Summary
		if d.Detail != "" {
			msg += ": " + d.Detail
		}
		msgs = append(msgs, where+msg)
	}
	return fmt.Errorf("settings: %s", strings.Join(msgs, "; "))
}

// Expired reports whether the ignore has lapsed on day today: an ignore is
// valid through its expiry day.
func (ig Ignore) Expired(today time.Time) bool {
	if ig.expires.IsZero() {
		return false
	}
	y, m, d := today.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).After(ig.expires)
}

// Where is the ignore block's file:line.
func (ig Ignore) Where() string {
	return fmt.Sprintf("%s:%d", ig.DefRange.Filename, ig.DefRange.Start.Line)
}

// Applies reports whether the ignore covers finding f (rule by id or short
// code, address by pattern, or every address with All).
func (ig Ignore) Applies(f Finding) bool {
	if ig.Rule != f.Rule && ig.Rule != f.ShortCode {
		return false
	}
	return ig.All || ig.Address != "" && MatchAddress(ig.Address, f.Address)
}

// ApplyIgnores marks findings covered by an unexpired ignore as suppressed
// (kind "config") and returns one warning per expired ignore that would
// otherwise have applied, so lapsed waivers are noticed.
func (s *Settings) ApplyIgnores(fs []Finding, today time.Time) (warnings []string) {
	if s == nil {
		return nil
	}
	warned := map[int]bool{}
	for i := range fs {
		f := &fs[i]
		if f.Suppressed != nil {
			continue
		}
		for j, ig := range s.Ignores {
			if !ig.Applies(*f) {
				continue
			}
			if ig.Expired(today) {
				if !warned[j] {
					warned[j] = true
					warnings = append(warnings, fmt.Sprintf("%s: ignore %q expired on %s; its findings count again", ig.Where(), ig.Rule, ig.Expires))
				}
				continue
			}
			f.Suppressed = &Suppression{Kind: "config", Reason: ig.Reason, Expires: ig.Expires, Where: ig.Where()}
			break
		}
	}
	return warnings
}

// MatchAddress matches an address against a pattern where * stands for any
// run of characters (including none) and everything else is literal.
// Linear time: greedy matching with one backtrack point, like shell globs
// without classes.
func MatchAddress(pattern, s string) bool {
	p, i := 0, 0
	star, mark := -1, 0
	for i < len(s) {
		switch {
		case p < len(pattern) && pattern[p] == '*':
			star, mark = p, i
			p++
		case p < len(pattern) && pattern[p] == s[i]:
			p++
			i++
		case star >= 0:
			p = star + 1
			mark++
			i = mark
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}

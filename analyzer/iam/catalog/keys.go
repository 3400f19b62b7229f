package catalog

import "strings"

// keyTemplate is a condition key with a variable part, such as
// "aws:RequestTag/${TagKey}" or "s3:ExistingObjectTag/<key>": a request key
// matches it when it has the prefix and suffix around a non-empty middle.
type keyTemplate struct {
	prefix, suffix string
	key            int // into Catalog.keys
}

// indexConditionKeys appends the service keys after the global ones (first
// declaration wins, so a global key's entry beats a service's copy of it) and
// indexes exact names and templates.
func (c *Catalog) indexConditionKeys() {
	c.nGlobal = len(c.keys)
	seen := make(map[string]bool, len(c.keys)+4096)
	for _, k := range c.keys {
		seen[strings.ToLower(k.Name)] = true
	}
	for _, s := range c.services {
		for _, k := range s.keys {
			if low := strings.ToLower(k.Name); !seen[low] {
				seen[low] = true
				c.keys = append(c.keys, k)
			}
		}
	}
	names := keyNames(c.keys)
	c.keyIndex = newFoldIndex(names)
	for i, n := range names {
		if pre, suf, ok := splitTemplate(n, i < c.nGlobal); ok {
			c.templates = append(c.templates, keyTemplate{pre, suf, i})
		}
	}
}

func keyNames(keys []ConditionKey) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = k.Name
	}
	return out
}

// splitTemplate finds a key's variable part: "${…}" or "<…>" in the
// reference's service keys, and a trailing "/tag-key" in its global keys
// (which follow the IAM User Guide's spelling, "aws:PrincipalTag/tag-key").
func splitTemplate(name string, global bool) (prefix, suffix string, ok bool) {
	if i := strings.Index(name, "${"); i >= 0 {
		if j := strings.IndexByte(name[i:], '}'); j >= 0 {
			return name[:i], name[i+j+1:], true
		}
	}
	if i := strings.IndexByte(name, '<'); i >= 0 {
		if j := strings.IndexByte(name[i:], '>'); j >= 0 {
			return name[:i], name[i+j+1:], true
		}
	}
	if global && strings.HasSuffix(name, "/tag-key") {
		return name[:len(name)-len("tag-key")], "", true
	}
	return "", "", false
}

// ConditionKey looks up a global or service condition key, ignoring case. A
// key with a variable part ("aws:ResourceTag/team") resolves to its template;
// where several templates fit, the one with the longest fixed text wins, and
// a global key before a service key.
func (c *Catalog) ConditionKey(name string) (ConditionKey, bool) {
	return c.conditionKey(name, len(c.keys))
}

// GlobalConditionKey looks up a global condition key (aws:SourceArn,
// aws:PrincipalTag/…), ignoring case.
func (c *Catalog) GlobalConditionKey(name string) (ConditionKey, bool) {
	return c.conditionKey(name, c.nGlobal)
}

func (c *Catalog) conditionKey(name string, limit int) (ConditionKey, bool) {
	if i := c.keyIndex.find(name); i >= 0 && i < limit {
		return c.keys[i], true
	}
	best, bestLen := -1, -1
	for _, t := range c.templates {
		if t.key >= limit {
			continue
		}
		fixed := len(t.prefix) + len(t.suffix)
		if fixed > bestLen && len(name) > fixed && hasPrefixFold(name, t.prefix) && hasSuffixFold(name, t.suffix) {
			best, bestLen = t.key, fixed
		}
	}
	if best < 0 {
		return ConditionKey{}, false
	}
	return c.keys[best], true
}

// ConditionKeys returns every global key (sorted) followed by every service
// key not also global (grouped by service, sorted).
func (c *Catalog) ConditionKeys() []ConditionKey { return c.keys[:len(c.keys):len(c.keys)] }

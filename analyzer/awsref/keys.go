package awsref

import "strings"

// keyTemplate is a condition key with a variable part, such as
// "aws:RequestTag/${TagKey}" or "s3:ExistingObjectTag/<key>": a request key
// matches it when it has the prefix and suffix around a non-empty middle.
type keyTemplate struct {
	prefix, suffix string
	key            int // into Catalog.keys
}

type keyIndex struct {
	keys      []ConditionKey // globals (sorted), then each service's keys, duplicates kept
	nGlobal   int
	index     foldIndex // first entry wins, so a global key beats a service's copy
	templates []keyTemplate
}

func (c *Catalog) buildKeyIndex() *keyIndex {
	n := len(c.globals)
	for i := range c.services {
		n += len(c.services[i].keys)
	}
	ix := &keyIndex{keys: make([]ConditionKey, 0, n), nGlobal: len(c.globals)}
	ix.keys = append(ix.keys, c.globals...)
	for i := range c.services {
		ix.keys = append(ix.keys, c.services[i].keys...)
	}
	names := keyNames(ix.keys)
	ix.index = newFoldIndex(names)
	for i, n := range names {
		if ix.index.find(n) != i {
			continue // a later copy of a key already indexed
		}
		if pre, suf, ok := splitTemplate(n, i < ix.nGlobal); ok {
			ix.templates = append(ix.templates, keyTemplate{pre, suf, i})
		}
	}
	return ix
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
	ix := c.keyIndex()
	return ix.lookup(name, len(ix.keys))
}

// GlobalConditionKey looks up a global condition key (aws:SourceArn,
// aws:PrincipalTag/…), ignoring case.
func (c *Catalog) GlobalConditionKey(name string) (ConditionKey, bool) {
	ix := c.keyIndex()
	return ix.lookup(name, ix.nGlobal)
}

func (ix *keyIndex) lookup(name string, limit int) (ConditionKey, bool) {
	if i := ix.index.find(name); i >= 0 && i < limit {
		return ix.keys[i], true
	}
	best, bestLen := -1, -1
	for _, t := range ix.templates {
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
	return ix.keys[best], true
}

// ConditionKeys returns every global key (sorted) followed by every service
// key not also global (grouped by service, sorted), each name once.
func (c *Catalog) ConditionKeys() []ConditionKey {
	ix := c.keyIndex()
	var out []ConditionKey
	for i, k := range ix.keys {
		if ix.index.find(k.Name) == i {
			out = append(out, k)
		}
	}
	return out
}

package awsref

import (
	"slices"
	"strings"
)

// ARN templates from the reference, such as
// "arn:${Partition}:lambda:${Region}:${Account}:function:${FunctionName}:${Alias}",
// compile to a list of literal and variable tokens. Matching is a single
// left-to-right pass with no backtracking:
//
//   - a literal must appear exactly (ARNs are case-sensitive);
//   - a variable (or a '*' in the template) that is not last takes a
//     non-empty run up to the next ':' or the first byte of the literal that
//     follows it, so "table/${TableName}/stream/…" stops the table name at
//     '/', while "log-group:${LogGroupName}:log-stream:…" lets the log group
//     name hold '/' (as "/aws/lambda/f" does);
//   - the last variable takes the non-empty rest, which may hold '/' and ':'
//     (S3 object keys, role paths, "log-group:NAME:*").
//
// Several templates can match one ARN: "function:${FunctionName}" matches a
// qualified function ARN because its last variable takes "f:prod". The most
// specific match wins, the one with the most literal text, so a qualified
// ARN is an alias or version and "bucket/key" is an object, not a bucket.
// Remaining ties are alias-vs-version pairs (Lambda functions, Step
// Functions state machines), which the qualifier decides: versions are
// numbers (or Lambda's "$LATEST"), and Lambda forbids all-digit alias names
// (Lambda API reference, CreateAlias: Name pattern (?!^[0-9]+$)).

type arnToken struct {
	lit     string // literal text; empty for a variable
	version bool   // variable named like a version ("${Version}", "${StateMachineVersionId}")
}

type arnTemplate struct {
	typ     string // resource type name
	tokens  []arnToken
	literal int    // total literal bytes: the specificity
	service string // the template's own service field, "" when variable
}

type arnIndex struct {
	byService    map[string][]arnTemplate // catalog prefix → its templates
	byARNService map[string][]arnTemplate // service field in the template → templates
}

func (c *Catalog) buildARNIndex() *arnIndex {
	ix := &arnIndex{byService: make(map[string][]arnTemplate, len(c.services)), byARNService: map[string][]arnTemplate{}}
	n, tokens := 0, 0
	for i := range c.services {
		n += len(c.services[i].types)
		for _, t := range c.services[i].types {
			// Each variable or '*' adds at most itself and one literal.
			tokens += 1 + 2*(strings.Count(t.ARN, "${")+strings.Count(t.ARN, "*"))
		}
	}
	all := make([]arnTemplate, 0, n)
	slab := make([]arnToken, 0, tokens)
	for i := range c.services {
		s := &c.services[i]
		first := len(all)
		for _, t := range s.types {
			var tpl arnTemplate
			tpl, slab = compileARN(t.Name, t.ARN, slab)
			all = append(all, tpl)
			if tpl.service != "" && tpl.service != s.prefix {
				ix.byARNService[tpl.service] = append(ix.byARNService[tpl.service], tpl)
			}
		}
		ix.byService[s.prefix] = all[first:len(all):len(all)]
	}
	// A field spelled by its own service's templates is served by
	// byService; byARNService answers only for fields that are no prefix.
	for svc := range ix.byARNService {
		if _, ok := ix.byService[svc]; ok {
			delete(ix.byARNService, svc)
		}
	}
	return ix
}

// compileARN splits a template into tokens, appending them to slab (which
// it returns) so that all templates share a few allocations. Literals are
// substrings of the template.
func compileARN(typ, tmpl string, slab []arnToken) (arnTemplate, []arnToken) {
	t := arnTemplate{typ: typ}
	start := len(slab)
	addLit := func(lit string) {
		if lit != "" {
			slab = append(slab, arnToken{lit: lit})
			t.literal += len(lit)
		}
	}
	addVar := func(name string) {
		v := strings.Contains(name, "Version")
		if n := len(slab); n > start && slab[n-1].lit == "" {
			// Adjacent variables ("${DomainName}${Pattern}") act as one.
			slab[n-1].version = slab[n-1].version || v
			return
		}
		slab = append(slab, arnToken{version: v})
	}
	litStart := 0
	for i := 0; i < len(tmpl); {
		if tmpl[i] == '*' {
			addLit(tmpl[litStart:i])
			addVar("*")
			i++
			litStart = i
			continue
		}
		if strings.HasPrefix(tmpl[i:], "${") {
			if j := strings.IndexByte(tmpl[i:], '}'); j >= 0 {
				addLit(tmpl[litStart:i])
				addVar(tmpl[i+2 : i+j])
				i += j + 1
				litStart = i
				continue
			}
		}
		i++
	}
	addLit(tmpl[litStart:])
	t.tokens = slab[start:len(slab):len(slab)]
	// The service field is the literal between the second and third colon,
	// when the template spells it out.
	if len(t.tokens) >= 3 && t.tokens[0].lit == "arn:" && t.tokens[1].lit == "" {
		if rest := t.tokens[2].lit; strings.HasPrefix(rest, ":") {
			if end := strings.IndexByte(rest[1:], ':'); end > 0 {
				t.service = rest[1 : 1+end]
			}
		}
	}
	return t, slab
}

// match reports whether arn fits the template, and whether every version
// variable holds a version number ("3", "$LATEST"); hasVersion reports
// whether the template has a version variable at all.
func (t *arnTemplate) match(arn string) (ok, versionLike, hasVersion bool) {
	pos := 0
	versionLike = true
	for i, tok := range t.tokens {
		if tok.lit != "" {
			if !strings.HasPrefix(arn[pos:], tok.lit) {
				return false, false, false
			}
			pos += len(tok.lit)
			continue
		}
		end := len(arn)
		if i+1 < len(t.tokens) {
			stop := t.tokens[i+1].lit[0]
			end = pos
			for end < len(arn) && arn[end] != ':' && arn[end] != stop {
				end++
			}
		}
		if end == pos {
			return false, false, false
		}
		if tok.version {
			hasVersion = true
			versionLike = versionLike && isVersion(arn[pos:end])
		}
		pos = end
	}
	return pos == len(arn), versionLike && hasVersion, hasVersion
}

func isVersion(s string) bool {
	if s == "$LATEST" {
		return true
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// ResourceTypesOf returns the resource types a concrete ARN is, sorted, from
// the templates of the service named in the ARN's service field (or, when
// that is not a service prefix, of the templates that spell out that field,
// e.g. "elastic-inference" ARNs declared by ec2). Nil when none match.
func (c *Catalog) ResourceTypesOf(arn string) []string {
	svc, ok := arnService(arn)
	if !ok {
		return nil
	}
	ix := c.arns()
	if list, ok := ix.byService[svc]; ok {
		return classify(list, arn)
	}
	return classify(ix.byARNService[svc], arn)
}

// ResourceTypesIn returns which of one service's resource types a concrete
// ARN is, sorted. Unlike ResourceTypesOf it also consults the templates a
// service declares for other services' ARNs (events' "key" is a KMS key ARN).
func (c *Catalog) ResourceTypesIn(prefix, arn string) []string {
	s, ok := c.service(prefix)
	if !ok {
		return nil
	}
	return classify(c.arns().byService[s.prefix], arn)
}

// arnService returns the service field of "arn:partition:service:…".
func arnService(arn string) (string, bool) {
	if !strings.HasPrefix(arn, "arn:") {
		return "", false
	}
	rest := arn[4:]
	i := strings.IndexByte(rest, ':')
	if i < 0 {
		return "", false
	}
	rest = rest[i+1:]
	j := strings.IndexByte(rest, ':')
	if j <= 0 {
		return "", false
	}
	return rest[:j], true
}

func classify(list []arnTemplate, arn string) []string {
	type hit struct {
		typ                     string
		versionLike, hasVersion bool
	}
	var hits []hit
	best := -1
	for i := range list {
		t := &list[i]
		if t.literal < best {
			continue
		}
		ok, vl, hv := t.match(arn)
		if !ok {
			continue
		}
		if t.literal > best {
			best, hits = t.literal, hits[:0]
		}
		hits = append(hits, hit{t.typ, vl, hv})
	}
	if len(hits) > 1 {
		// Alias-or-version ties: a numeric qualifier is a version, any
		// other is not.
		anyVersion := false
		for _, h := range hits {
			anyVersion = anyVersion || h.versionLike
		}
		kept := hits[:0:0]
		for _, h := range hits {
			if (anyVersion && h.versionLike) || (!anyVersion && !h.hasVersion) {
				kept = append(kept, h)
			}
		}
		if len(kept) > 0 {
			hits = kept
		}
	}
	out := make([]string, 0, len(hits))
	for _, h := range hits {
		out = append(out, h.typ)
	}
	if len(out) == 0 {
		return nil
	}
	slices.Sort(out)
	return slices.Compact(out)
}

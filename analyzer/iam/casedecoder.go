package iam

import (
	"bytes"
	"hash/maphash"

	"github.com/lambdacheck/lambdacheck/analyzer/iam/condition"
)

// CaseDecoder decodes batch cases as DecodeCaseWith does, but reuses the
// compiled policies of earlier cases whose policy text is the same byte for
// byte: batches repeat a few policies over and over, and parsing them is
// most of the cost of a line. A decoder is not safe for concurrent use; give
// each goroutine its own.
//
// The fast path reads the case's top level itself and hands each policy's
// bytes to the cache. Whenever anything is off (bad JSON, an unexpected
// shape, an invalid policy) it falls back to DecodeCaseWith on the whole
// line, so errors are exactly those of DecodeCaseWith.
type CaseDecoder struct {
	opt   ParseOptions
	cache map[uint64][]cachedPolicy // hash of the policy text → compiled under each slot
	bytes int                       // policy text held by the cache
	seen  []string                  // top-level keys of the line being decoded
	// once remembers the hashes of texts seen recently, in a table of
	// fixed size (a new hash takes its slot): a text is copied and cached
	// when it comes again, so that policies unique to one line cost no
	// more than without a cache.
	once []uint64
	seed maphash.Seed
	// ctx is the request context of the case last decoded, reused.
	ctx *condition.Context
	// reader builds the policies new to the cache and reads requests.
	reader policyReader
	// vals holds the context values of the case last decoded; lower maps
	// context keys to their lower-case form.
	vals  []string
	lower map[string]string
	// kase is the case last decoded, reused.
	kase Case
	// last holds, by policy field and the slot's indexes plus one, the
	// cached policy that slot held last.
	last [len(policyFields)][slotNamesMax + 1][slotNamesMax + 1]lastPolicy
	// shapes holds, by slot like last, the shape of the policy text the
	// slot held last that was not cached (policyShape); shapeBytes counts
	// their texts, and holes and spans are scratch memory.
	shapes     [len(policyFields)][slotNamesMax + 1][slotNamesMax + 1]policyShape
	shapeBytes int
	holes      [][2]int
	spans      []resourceSpan
	// matches holds the statements of the result decided last.
	matches []Match
	// plan is the layout of the last line read member by member, and rec
	// where the values of the line being read sit (linePlan).
	plan linePlan
	rec  []planHole
}

// cachedPolicy is a policy compiled for one slot of a case: its kind and its
// position, which give its name ("identityPolicies[1]", …).
type cachedPolicy struct {
	text  string
	field string
	i, j  int
	pol   *Policy
}

// maxCacheBytes bounds the policy text a decoder keeps; past it the cache
// starts over, so a batch of all-different policies cannot grow it forever.
const maxCacheBytes = 32 << 20

// onceSlots is the size of the table of texts seen once.
const onceSlots = 1 << 15

// NewCaseDecoder returns a decoder whose policies are parsed with opt.
func NewCaseDecoder(opt ParseOptions) *CaseDecoder {
	return &CaseDecoder{opt: opt, cache: map[uint64][]cachedPolicy{}, once: make([]uint64, onceSlots), seed: maphash.MakeSeed(), ctx: condition.NewContext(), lower: map[string]string{}}
}

// Decode decodes one case. The case's ID and request strings alias line,
// and the case, its request context and the policies of the case that are
// not cached are reused by the next Decode: use the case before decoding
// the next.
func (d *CaseDecoder) Decode(line []byte) (*Case, error) {
	// Statements name their line in the case; cached policies know only
	// their line in their own text, which is the same where the case is
	// one line, as batch lines are.
	if bytes.IndexByte(line, '\n') < 0 {
		if c, ok := d.fast(line); ok {
			return c, nil
		}
	}
	return DecodeCaseWith(line, d.opt)
}

// DecodeLine is Decode for a line that holds no line break ('\n'), as the
// lines a batch is cut into at its line breaks: it does not look for one.
func (d *CaseDecoder) DecodeLine(line []byte) (*Case, error) {
	if c, ok := d.fast(line); ok {
		return c, nil
	}
	return DecodeCaseWith(line, d.opt)
}

// Authorize decides c, a case this decoder decoded last, as c.Authorize
// does. The result's Matches are valid until the next call.
func (d *CaseDecoder) Authorize(c *Case) Result {
	r := authorize(&c.Request, &c.Policies, d.matches[:0])
	if cap(r.Matches) > cap(d.matches) {
		d.matches = r.Matches[:0]
	}
	return r
}

// policyFields are the top-level members that hold policies, with the
// shape of each: a list, a single policy, or a list of levels.
const (
	shapeList = iota
	shapeOne
	shapeLevels
)

var policyFields = [...]struct {
	name  string
	kind  Kind
	shape int
}{
	{"identityPolicies", IdentityPolicy, shapeList},
	{"resourcePolicy", ResourcePolicy, shapeOne},
	{"permissionBoundaries", BoundaryPolicy, shapeList},
	{"sessionPolicies", SessionPolicy, shapeList},
	{"serviceControlPolicies", ServiceControlPolicy, shapeLevels},
	{"resourceControlPolicies", ResourceControlPolicy, shapeLevels},
}

// fast decodes data, which holds no line break, or answers false.
func (d *CaseDecoder) fast(data []byte) (*Case, bool) {
	d.reader.arena.reset()
	if c, ok := d.byPlan(data); ok {
		return c, true
	}
	d.reader.arena.reset()
	d.rec = d.rec[:0]
	c := &d.kase
	*c = Case{}
	s := scanner{data: data}
	s.space()
	if !s.eat('{') {
		return nil, false
	}
	d.seen = d.seen[:0]
	haveRequest := false
	s.space()
	if s.peek() == '}' {
		return nil, false // no request: let the slow path say so
	}
	for {
		s.space()
		key, ok := s.plainString()
		if !ok {
			return nil, false
		}
		for _, k := range d.seen {
			if k == key {
				return nil, false // duplicate key
			}
		}
		d.seen = append(d.seen, key)
		s.space()
		if !s.eat(':') {
			return nil, false
		}
		s.space()
		start := s.pos
		f := -1
		for i := range policyFields {
			if policyFields[i].name == key {
				f = i
			}
		}
		if key == "request" {
			if haveRequest {
				return nil, false
			}
			d.ctx.Reset()
			d.vals = d.vals[:0]
			d.reader.holes = &d.rec
			end, ok := d.reader.request(data, start, c, d.ctx, &d.vals, d.lower)
			d.reader.holes = nil
			if !ok {
				return nil, false
			}
			s.pos = end
			haveRequest = true
		} else if f >= 0 {
			// Policies are read where they sit: each byte is looked at once.
			end, ok := d.policiesAt(c, f, data, start)
			if !ok {
				return nil, false
			}
			d.rec = recordHole(d.rec, planHole{start: start, end: end, kind: holePolicies, field: f})
			s.pos = end
		} else {
			kind := uint8(holeOther)
			if key == "id" {
				kind = holeID
			}
			end, ok := otherMember(c, data, start, kind)
			if !ok {
				return nil, false
			}
			d.rec = recordHole(d.rec, planHole{start: start, end: end, kind: kind})
			s.pos = end
		}
		s.space()
		if s.eat(',') {
			continue
		}
		if !s.eat('}') {
			return nil, false
		}
		break
	}
	s.space()
	if s.pos != len(data) || !haveRequest {
		return nil, false
	}
	d.makePlan(data, d.rec)
	return c, true
}

// otherMember checks the value at pos in data of a top-level member that
// holds no policy and is not the request: the id (kind holeID), which it
// sets in c, or a member the decoder does not use (holeOther), which must
// still be JSON. It returns where the value ends.
func otherMember(c *Case, data []byte, pos int, kind uint8) (int, bool) {
	// The case object is one level: what it holds may nest one less than
	// the parser accepts, as in DecodeCaseWith.
	end, ok := skipValue(data, pos, maxJSONDepth-1)
	if !ok {
		return 0, false
	}
	val := data[pos:end]
	if kind == holeID {
		if !plainString(val) && !validJSON(val) {
			return 0, false
		}
		c.ID = val
	} else if !validJSON(val) {
		return 0, false
	}
	return end, true
}

// policiesAt decodes the value of policy field f, which starts at pos in
// data, into c and returns where it ends.
func (d *CaseDecoder) policiesAt(c *Case, f int, data []byte, pos int) (int, bool) {
	pf := &policyFields[f]
	if len(data)-pos >= 4 && string(data[pos:pos+4]) == "null" {
		return pos + 4, true
	}
	// Depth left for a policy under the case object (1), a list (2) and a
	// list of levels (3).
	const inCase, inList, inLevel = maxJSONDepth - 1, maxJSONDepth - 2, maxJSONDepth - 3
	switch pf.shape {
	case shapeOne:
		p, end, ok := d.slot(data, pos, inCase, f, -1, -1)
		c.Policies.Resource = p
		return end, ok
	case shapeList:
		list := d.reader.arena.lists.take(4)[:0]
		end, ok := elementsAt(data, pos, func(i, at int) (int, bool) {
			p, e, ok := d.slot(data, at, inList, f, i, -1)
			list = append(list, p)
			return e, ok
		})
		switch pf.kind {
		case IdentityPolicy:
			c.Policies.Identity = list
		case BoundaryPolicy:
			c.Policies.Boundary = list
		case SessionPolicy:
			c.Policies.Session = list
		}
		return end, ok
	}
	levels := d.reader.arena.levels.take(2)[:0]
	end, ok := elementsAt(data, pos, func(lvl, at int) (int, bool) {
		list := d.reader.arena.lists.take(2)[:0]
		e, ok := elementsAt(data, at, func(i, at int) (int, bool) {
			p, e, ok := d.slot(data, at, inLevel, f, lvl, i)
			list = append(list, p)
			return e, ok
		})
		levels = append(levels, list)
		return e, ok
	})
	if pf.kind == ServiceControlPolicy {
		c.Policies.SCP = levels
	} else {
		c.Policies.RCP = levels
	}
	return end, ok
}

// slot returns the compiled policy whose text starts at pos in data, in
// slot (policyFields[f], i, j), and where the text ends. A text that is
// the one cached for the slot last time is found by one comparison: lines
// of a batch repeat most policies where they were.
func (d *CaseDecoder) slot(data []byte, pos, maxDepth, f, i, j int) (*Policy, int, bool) {
	var last *lastPolicy
	var sh *policyShape
	if i < slotNamesMax && j < slotNamesMax {
		last = &d.last[f][i+1][j+1]
		// The text is a whole JSON value, which ends where it ended before.
		if n := len(last.text); last.pol != nil && len(data)-pos >= n && string(data[pos:pos+n]) == last.text {
			return last.pol, pos + len(last.text), true
		}
		sh = &d.shapes[f][i+1][j+1]
		if p, end, ok := d.fromShape(sh, data, pos, f, i, j); ok {
			return p, end, true
		}
	}
	end, ok := skipValue(data, pos, maxDepth)
	if !ok {
		return nil, 0, false
	}
	p, ok := d.policy(data[pos:end], f, i, j, last)
	if ok && sh != nil && p != last.pol {
		d.rememberShape(sh, p)
	}
	return p, end, ok
}

// lastPolicy is the policy cached for a slot that its last line used.
type lastPolicy struct {
	text string
	pol  *Policy
}

// policy returns the compiled policy for text at slot (policyFields[f], i,
// j), compiling and caching it on a miss. A cached policy becomes last's.
func (d *CaseDecoder) policy(text []byte, f, i, j int, last *lastPolicy) (*Policy, bool) {
	if len(text) == 0 || text[0] != '{' {
		return nil, false
	}
	kind, field := policyFields[f].kind, policyFields[f].name
	h := maphash.Bytes(d.seed, text)
	for _, e := range d.cache[h] {
		if e.field == field && e.i == i && e.j == j && e.text == string(text) {
			if last != nil {
				*last = lastPolicy{text: e.text, pol: e.pol}
			}
			return e.pol, true
		}
	}
	name := slotName(field, i, j)
	slot := &d.once[h%onceSlots]
	again := *slot == h
	*slot = h
	own := text
	if again {
		// The cached policy outlives the line, so it is compiled from its
		// own copy of the text (parsed strings alias the bytes they come
		// from).
		own = append([]byte(nil), text...)
	}
	p, ok := d.reader.read(own, kind, Source{Name: name}, d.opt, !again)
	if !ok {
		// Escapes, line breaks or an invalid policy: the general parser
		// reads the first two, and the whole line goes to DecodeCaseWith
		// for the error.
		arena := arenaPool.Get().(*jsonArena)
		root, err := parseJSONIn(arena, own)
		if err == nil && root.kind == jsonObject {
			p, err = parseValue(own, newLineIndex(own), &root, kind, Source{Name: name}, d.opt)
		}
		arena.release()
		if err != nil || p == nil {
			return nil, false
		}
	}
	if !again {
		return p, true
	}
	if d.bytes+len(own) > maxCacheBytes {
		clear(d.cache)
		clear(d.last[:])
		d.bytes = 0
	}
	if last != nil {
		*last = lastPolicy{text: alias(own), pol: p}
	}
	d.cache[h] = append(d.cache[h], cachedPolicy{text: alias(own), field: field, i: i, j: j, pol: p})
	d.bytes += len(own)
	return p, true
}

// slotNames are the names of the first slots of each policy field, built
// once: every policy new to a decoder needs one.
var slotNames = func() map[string]*[slotNamesMax + 1][slotNamesMax + 1]string {
	out := map[string]*[slotNamesMax + 1][slotNamesMax + 1]string{}
	for _, f := range policyFields {
		var names [slotNamesMax + 1][slotNamesMax + 1]string
		for i := -1; i < slotNamesMax; i++ {
			for j := -1; j < slotNamesMax; j++ {
				names[i+1][j+1] = slotNameOf(f.name, i, j)
			}
		}
		out[f.name] = &names
	}
	return out
}()

const slotNamesMax = 8

// slotName names the policy at slot (field, i, j): "identityPolicies[1]",
// "serviceControlPolicies[0][2]"; i or j is -1 where the field has no
// such index.
func slotName(field string, i, j int) string {
	if names, ok := slotNames[field]; ok && i < slotNamesMax && j < slotNamesMax {
		return names[i+1][j+1]
	}
	return slotNameOf(field, i, j)
}

func slotNameOf(field string, i, j int) string {
	name := field
	if i >= 0 {
		name = indexed(name, i)
	}
	if j >= 0 {
		name = indexed(name, j)
	}
	return name
}

// elementsAt reads the JSON array that starts at pos in data, calling each
// with the index and position of every element (each returns where the
// element ends), and returns where the array ends.
func elementsAt(data []byte, pos int, each func(i, at int) (int, bool)) (int, bool) {
	s := scanner{data: data, pos: pos}
	if !s.eat('[') {
		return 0, false
	}
	s.space()
	if s.eat(']') {
		return s.pos, true
	}
	for i := 0; ; i++ {
		s.space()
		end, ok := each(i, s.pos)
		if !ok {
			return 0, false
		}
		s.pos = end
		s.space()
		if s.eat(',') {
			continue
		}
		if !s.eat(']') {
			return 0, false
		}
		return s.pos, true
	}
}

// plainString reports whether b is a JSON string of printable ASCII
// without escapes, as batch ids mostly are: valid without parsing it.
func plainString(b []byte) bool {
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' {
		return false
	}
	for _, c := range b[1 : len(b)-1] {
		if c < 0x20 || c >= 0x7f || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}

// validJSON reports whether b is one JSON value as the engine reads it.
func validJSON(b []byte) bool {
	arena := arenaPool.Get().(*jsonArena)
	defer arena.release()
	_, err := parseJSONIn(arena, b)
	return err == nil
}

// scanner walks the top level of a case.
type scanner struct {
	data []byte
	pos  int
}

func (s *scanner) space() {
	for s.pos < len(s.data) {
		switch s.data[s.pos] {
		case ' ', '\t', '\n', '\r':
			s.pos++
		default:
			return
		}
	}
}

func (s *scanner) peek() byte {
	if s.pos < len(s.data) {
		return s.data[s.pos]
	}
	return 0
}

func (s *scanner) eat(c byte) bool {
	if s.peek() == c {
		s.pos++
		return true
	}
	return false
}

// plainString reads a string without escapes or control characters; the
// result aliases data.
func (s *scanner) plainString() (string, bool) {
	if !s.eat('"') {
		return "", false
	}
	start := s.pos
	for s.pos < len(s.data) {
		c := s.data[s.pos]
		switch {
		case c == '"':
			str := s.data[start:s.pos]
			s.pos++
			return alias(str), true
		case c == '\\' || c < 0x20:
			return "", false
		}
		s.pos++
	}
	return "", false
}

// skipValue returns the end of the JSON value starting at pos without
// checking it: callers parse what they use, or find its bytes among texts
// that parsed before. It fails on unbalanced or unterminated input and on
// nesting deeper than maxDepth.
func skipValue(data []byte, pos, maxDepth int) (int, bool) {
	if pos >= len(data) {
		return 0, false
	}
	switch data[pos] {
	case '{', '[':
	case '"':
		return skipString(data, pos)
	default:
		for i := pos; i < len(data); i++ {
			switch data[i] {
			case ',', '}', ']', ' ', '\t', '\n', '\r':
				return i, i > pos
			}
		}
		return len(data), true
	}
	depth := 0
	for i := pos; i < len(data); i++ {
		switch data[i] {
		case '{', '[':
			depth++
			if depth > maxDepth {
				return 0, false
			}
		case '}', ']':
			depth--
			if depth == 0 {
				return i + 1, true
			}
		case '"':
			// Strings are short: a plain loop beats a call per string.
			for i++; i < len(data) && data[i] != '"'; i++ {
				if data[i] == '\\' {
					i++
				}
			}
			if i >= len(data) {
				return 0, false
			}
		}
	}
	return 0, false
}

func skipString(data []byte, pos int) (int, bool) {
	i := pos + 1
	for {
		j := bytes.IndexByte(data[i:], '"')
		if j < 0 {
			return 0, false
		}
		q := i + j
		// The quote ends the string unless an odd run of backslashes
		// escapes it.
		n := 0
		for b := q - 1; b > pos && data[b] == '\\'; b-- {
			n++
		}
		if n%2 == 0 {
			return q + 1, true
		}
		i = q + 1
	}
}

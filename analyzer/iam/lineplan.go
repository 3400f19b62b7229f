package iam

// linePlan is the layout of the last batch line the decoder read member by
// member: its text with every value cut out (the literal parts: braces,
// member names, separators) and what each value is. Lines of a batch are
// mostly written by one program and lay out their members alike; a line
// whose literal parts are those of the plan is read by comparing them and
// reading only the values, in the order and with the rules of the full
// read, which answers whenever the plan does not fit.
type linePlan struct {
	lit   []byte // the literal parts, back to back
	steps []planStep
}

// planStep is a literal part (ending at litEnd in lit) and the value that
// follows it.
type planStep struct {
	litEnd int
	hole   planHole
}

// planHole is where a value sits in the line it was read from, and what it
// is.
type planHole struct {
	start, end int
	kind       uint8
	bit        int    // holeRequest: which request member (rPrincipal …)
	field      int    // holePolicies: the index in policyFields
	key        string // holeContext: the context key, lower case
}

const (
	holeEnd      = iota // no value: the end of the line
	holeID              // the case's id
	holeOther           // a member the decoder does not use, checked to be JSON
	holeRequest         // a request member that is a string
	holeContext         // a request context value
	holePolicies        // a policy member (policyFields)
)

// Plans of lines with very many members are not kept: reading such a line
// member by member costs little more than comparing its parts.
const (
	maxPlanSteps = 256
	maxPlanBytes = 16 << 10
)

// recordHole notes h among the holes of the line being read, up to one
// more than a plan keeps: a line with more values has no plan.
func recordHole(holes []planHole, h planHole) []planHole {
	if len(holes) > maxPlanSteps {
		return holes
	}
	return append(holes, h)
}

// makePlan records the layout of data, read in full, whose values sit at
// holes.
func (d *CaseDecoder) makePlan(data []byte, holes []planHole) {
	pl := &d.plan
	pl.lit, pl.steps = pl.lit[:0], pl.steps[:0]
	if len(holes) > maxPlanSteps {
		return
	}
	prev := 0
	for _, h := range holes {
		if h.start < prev {
			pl.steps = pl.steps[:0]
			return
		}
		pl.lit = append(pl.lit, data[prev:h.start]...)
		pl.steps = append(pl.steps, planStep{litEnd: len(pl.lit), hole: h})
		prev = h.end
	}
	pl.lit = append(pl.lit, data[prev:]...)
	pl.steps = append(pl.steps, planStep{litEnd: len(pl.lit), hole: planHole{kind: holeEnd}})
	if len(pl.lit) > maxPlanBytes {
		pl.lit, pl.steps = pl.lit[:0], pl.steps[:0]
	}
}

// byPlan decodes data by the plan, as fast does, or answers false.
func (d *CaseDecoder) byPlan(data []byte) (*Case, bool) {
	pl := &d.plan
	if len(pl.steps) == 0 {
		return nil, false
	}
	c := &d.kase
	*c = Case{}
	d.ctx.Reset()
	d.vals = d.vals[:0]
	r := &d.reader
	pos, off := 0, 0
	for i := range pl.steps {
		st := &pl.steps[i]
		lit := pl.lit[off:st.litEnd]
		off = st.litEnd
		if len(data)-pos < len(lit) || string(data[pos:pos+len(lit)]) != string(lit) {
			return nil, false
		}
		pos += len(lit)
		h := &st.hole
		switch h.kind {
		case holeEnd:
			if pos != len(data) {
				return nil, false
			}
		case holeID, holeOther:
			end, ok := otherMember(c, data, pos, h.kind)
			if !ok {
				return nil, false
			}
			pos = end
		case holeRequest:
			r.data, r.pos = data, pos
			v, ok := r.str()
			r.data = nil
			if !ok {
				return nil, false
			}
			r.requestString(c, h.bit, v)
			pos = r.pos
		case holeContext:
			r.data, r.pos = data, pos
			ok := r.contextValue(d.ctx, &d.vals, h.key)
			r.data = nil
			if !ok {
				return nil, false
			}
			pos = r.pos
		case holePolicies:
			end, ok := d.policiesAt(c, h.field, data, pos)
			if !ok {
				return nil, false
			}
			pos = end
		}
	}
	if !r.finishRequest(c, d.ctx) {
		return nil, false
	}
	return c, true
}

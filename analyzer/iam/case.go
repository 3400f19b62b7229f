package iam

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/lambdacheck/lambdacheck/analyzer/iam/condition"
)

// Case is one self-contained authorization question in the batch format of
// `lambdacheck authz --jsonl`: a request plus every policy that takes part. The format is a
// stable interface used to cross-check the engine.
type Case struct {
	ID       []byte // the "id" value as raw JSON, copied verbatim to the output
	Request  Request
	Policies Policies
}

// CaseError is an error in a case's request or policies.
type CaseError struct {
	Path string // JSON path in the case, e.g. request.principal
	Msg  string
}

func (e *CaseError) Error() string {
	if e.Path == "" {
		return e.Msg
	}
	return e.Path + ": " + e.Msg
}

// DecodeCase parses one case. When the case is malformed the returned Case
// still carries the ID when it could be read, so that batch output can name it.
func DecodeCase(data []byte) (*Case, error) {
	return DecodeCaseWith(data, ParseOptions{})
}

// DecodeCaseWith is DecodeCase with the options its policies are parsed with.
func DecodeCaseWith(data []byte, opt ParseOptions) (*Case, error) {
	c := &Case{}
	// The tree lives only while the case is decoded: policies keep the
	// input bytes and their own compiled form, never the tree.
	arena := arenaPool.Get().(*jsonArena)
	defer arena.release()
	root, err := parseJSONIn(arena, data)
	if err != nil {
		var se *jsonSyntaxError
		if errors.As(err, &se) {
			msg := fmt.Sprintf("invalid JSON at byte %d: %s", se.off, se.msg)
			if se.first >= 0 {
				msg += fmt.Sprintf(" (first at byte %d)", se.first)
			}
			return c, &CaseError{Msg: msg}
		}
		return c, &CaseError{Msg: err.Error()}
	}
	if root.kind != jsonObject {
		return c, &CaseError{Msg: "a case must be a JSON object, got " + root.kind.String()}
	}
	if id, ok := root.member("id"); ok {
		c.ID = data[id.off:id.end]
	}
	lines := newLineIndex(data)
	req, ok := root.member("request")
	if !ok || req.kind != jsonObject {
		return c, &CaseError{Path: "request", Msg: "missing or not an object"}
	}
	if err := c.decodeRequest(req, condition.NewContext()); err != nil {
		return c, err
	}
	policy := func(v *jsonValue, kind Kind, name string) (*Policy, error) {
		if v.kind != jsonObject {
			return nil, &CaseError{Path: name, Msg: "a policy must be a JSON object, got " + v.kind.String()}
		}
		p, err := parseValue(data, lines, v, kind, Source{Name: name}, opt)
		if err != nil {
			return nil, err
		}
		return p, nil
	}
	list := func(field string, kind Kind) ([]*Policy, error) {
		v, ok := root.member(field)
		if !ok || v.kind == jsonNull {
			return nil, nil
		}
		if v.kind != jsonArray {
			return nil, &CaseError{Path: field, Msg: "must be an array of policies, got " + v.kind.String()}
		}
		out := make([]*Policy, 0, len(v.elems))
		for i := range v.elems {
			p, err := policy(&v.elems[i], kind, indexed(field, i))
			if err != nil {
				return nil, err
			}
			out = append(out, p)
		}
		return out, nil
	}
	levels := func(field string, kind Kind) ([][]*Policy, error) {
		v, ok := root.member(field)
		if !ok || v.kind == jsonNull {
			return nil, nil
		}
		if v.kind != jsonArray {
			return nil, &CaseError{Path: field, Msg: "must be an array of levels (arrays of policies), got " + v.kind.String()}
		}
		out := make([][]*Policy, 0, len(v.elems))
		for i := range v.elems {
			lv := &v.elems[i]
			if lv.kind != jsonArray {
				return nil, &CaseError{Path: fmt.Sprintf("%s[%d]", field, i), Msg: "each level must be an array of policies, got " + lv.kind.String()}
			}
			docs := make([]*Policy, 0, len(lv.elems))
			for j := range lv.elems {
				p, err := policy(&lv.elems[j], kind, indexed(indexed(field, i), j))
				if err != nil {
					return nil, err
				}
				docs = append(docs, p)
			}
			out = append(out, docs)
		}
		return out, nil
	}
	if c.Policies.Identity, err = list("identityPolicies", IdentityPolicy); err != nil {
		return c, err
	}
	if v, ok := root.member("resourcePolicy"); ok && v.kind != jsonNull {
		if c.Policies.Resource, err = policy(v, ResourcePolicy, "resourcePolicy"); err != nil {
			return c, err
		}
	}
	if c.Policies.Boundary, err = list("permissionBoundaries", BoundaryPolicy); err != nil {
		return c, err
	}
	if c.Policies.Session, err = list("sessionPolicies", SessionPolicy); err != nil {
		return c, err
	}
	if c.Policies.SCP, err = levels("serviceControlPolicies", ServiceControlPolicy); err != nil {
		return c, err
	}
	if c.Policies.RCP, err = levels("resourceControlPolicies", ResourceControlPolicy); err != nil {
		return c, err
	}
	c.Policies.ResourceMustAllow, c.Policies.RoleTrust = resourcePolicyRules(c.Request.Action, c.Request.Resource)
	return c, nil
}

// indexed renders name[i] without fmt: it names every policy of every case.
func indexed(name string, i int) string {
	return name + "[" + strconv.Itoa(i) + "]"
}

// ResourcePolicyRequired reports whether the resource's own policy must
// grant access before identity policies count: KMS keys (key policy) and
// roles being assumed (trust policy).
func ResourcePolicyRequired(action, resource string) bool {
	a, ok := parseARN(resource)
	return ok && resourcePolicyRequired(action, a)
}

func resourcePolicyRequired(action string, a arnParts) bool {
	switch {
	case a.service == "kms" && strings.HasPrefix(a.resource, "key/"):
		return true
	case a.service == "iam" && strings.HasPrefix(a.resource, "role/"):
		act := strings.ToLower(action)
		return strings.HasPrefix(act, "sts:assumerole") || act == "sts:tagsession" || act == "sts:setsourceidentity" || act == "sts:setcontext"
	}
	return false
}

// IsRoleTrustRequest reports whether the request assumes (or tags a session
// of) a role, so that the resource policy is the role's trust policy.
func IsRoleTrustRequest(action, resource string) bool {
	_, trust := resourcePolicyRules(action, resource)
	return trust
}

// resourcePolicyRules is ResourcePolicyRequired and IsRoleTrustRequest,
// reading the ARN once.
func resourcePolicyRules(action, resource string) (required, roleTrust bool) {
	if !arnServiceIs(resource, "kms") && !arnServiceIs(resource, "iam") {
		return false, false // neither a KMS key nor a role
	}
	a, ok := parseARN(resource)
	if !ok || !resourcePolicyRequired(action, a) {
		return false, false
	}
	return true, a.service == "iam" && strings.HasPrefix(a.resource, "role/")
}

// arnServiceIs reports whether arn starts "arn:PARTITION:service:", as
// parseARN would read it, without reading the rest.
func arnServiceIs(arn, service string) bool {
	if !strings.HasPrefix(arn, "arn:") {
		return false
	}
	rest := arn[len("arn:"):]
	i := strings.IndexByte(rest, ':')
	return i >= 0 && len(rest)-i-1 > len(service) && rest[i+1:i+1+len(service)] == service && rest[i+1+len(service)] == ':'
}

// decodeRequest reads the request into c, its context into ctx.
func (c *Case) decodeRequest(req *jsonValue, ctx *condition.Context) error {
	str := func(name string, required bool) (string, error) {
		v, ok := req.member(name)
		if !ok || v.kind == jsonNull {
			if required {
				return "", &CaseError{Path: "request." + name, Msg: "missing"}
			}
			return "", nil
		}
		if v.kind != jsonString {
			return "", &CaseError{Path: "request." + name, Msg: "must be a string, got " + v.kind.String()}
		}
		return v.text, nil
	}
	principal, err := str("principal", true)
	if err != nil {
		return err
	}
	if c.Request.Principal, err = ParsePrincipal(principal); err != nil {
		return &CaseError{Path: "request.principal", Msg: err.Error()}
	}
	if c.Request.Action, err = str("action", true); err != nil {
		return err
	}
	if strings.IndexByte(c.Request.Action, ':') <= 0 {
		return &CaseError{Path: "request.action", Msg: fmt.Sprintf("%q must be \"service:Action\"", c.Request.Action)}
	}
	if c.Request.Resource, err = str("resource", true); err != nil {
		return err
	}
	if c.Request.ResourceAccount, err = str("resourceAccount", false); err != nil {
		return err
	}
	if v, ok := req.member("context"); ok && v.kind != jsonNull {
		if v.kind != jsonObject {
			return &CaseError{Path: "request.context", Msg: "must be an object, got " + v.kind.String()}
		}
		for i := range v.elems {
			k := v.elems[i].key
			e := &v.elems[i]
			switch e.kind {
			case jsonString, jsonNumber, jsonBool:
				ctx.SetShared(k, []string{e.text}, false)
			case jsonArray:
				vals := make([]string, len(e.elems))
				for j := range e.elems {
					x := &e.elems[j]
					if x.kind != jsonString && x.kind != jsonNumber && x.kind != jsonBool {
						return &CaseError{Path: fmt.Sprintf("request.context[%q][%d]", k, j), Msg: "context values must be strings, numbers or booleans, got " + x.kind.String()}
					}
					vals[j] = x.text
				}
				ctx.SetShared(k, vals, true)
			default:
				return &CaseError{Path: fmt.Sprintf("request.context[%q]", k), Msg: "must be a string or an array of strings, got " + e.kind.String()}
			}
		}
	}
	c.Request.Context = ctx
	return nil
}

// EachPolicy calls f with every policy of the case, in the order of the
// batch format's fields.
func (c *Case) EachPolicy(f func(*Policy)) {
	c.anyPolicy(func(p *Policy) bool { f(p); return false })
}

// HasNotices reports whether a policy of the case has notices (Policy.Notices).
func (c *Case) HasNotices() bool {
	return c.anyPolicy(func(p *Policy) bool { return len(p.Notices) > 0 })
}

// anyPolicy reports whether pred holds for a policy of the case, calling
// it on each in EachPolicy's order until it does.
func (c *Case) anyPolicy(pred func(*Policy) bool) bool {
	pols := &c.Policies
	anyOf := func(list []*Policy) bool {
		for _, p := range list {
			if pred(p) {
				return true
			}
		}
		return false
	}
	if anyOf(pols.Identity) || pols.Resource != nil && pred(pols.Resource) || anyOf(pols.Boundary) || anyOf(pols.Session) {
		return true
	}
	for _, levels := range [2][][]*Policy{pols.SCP, pols.RCP} {
		for _, lvl := range levels {
			if anyOf(lvl) {
				return true
			}
		}
	}
	return false
}

// Authorize decides the case.
func (c *Case) Authorize() Result { return Authorize(&c.Request, &c.Policies) }

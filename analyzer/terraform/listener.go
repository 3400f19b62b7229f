package terraform

import (
	"encoding/json"
	"sort"
	"strconv"
	"strings"
)

// Application Load Balancer listeners and listener rules enter the
// inventory as resources whose attributes hold their routing (the shapes
// are in docs/snapshot.md): the event trace routes a request through them
// to the target group, and so to the function, the load balancer would
// pick.

// albAction is one listener or rule action as the inventory stores it.
type albAction struct {
	Type         string           `json:"type"`
	Order        int              `json:"order,omitempty"`
	TargetGroups []albTargetGroup `json:"target_groups,omitempty"`
}

type albTargetGroup struct {
	ARN    string `json:"arn"`
	Weight int    `json:"weight,omitempty"`
}

// albCondition is one rule condition as the inventory stores it.
type albCondition struct {
	Field  string      `json:"field"`
	Header string      `json:"header,omitempty"`
	Values []string    `json:"values,omitempty"`
	Query  [][2]string `json:"query,omitempty"`
	Regex  []string    `json:"regex,omitempty"`
}

func decodeListener(b *builder, i *instance) {
	r, o := newResource(i, "elasticloadbalancing")
	setAttr(r, "load_balancer_arn", o.str("load_balancer_arn"))
	setAttr(r, "protocol", o.str("protocol"))
	if p := o.num("port", 0); p > 0 {
		setAttr(r, "port", strconv.Itoa(p))
	}
	setAttr(r, "default_actions", encodeActions(o.blocks("default_action")))
	b.addResource(r)
}

func decodeListenerRule(b *builder, i *instance) {
	r, o := newResource(i, "elasticloadbalancing")
	setAttr(r, "listener_arn", o.str("listener_arn"))
	if p := o.numPtr("priority"); p != nil {
		setAttr(r, "priority", strconv.Itoa(*p))
	}
	var conds []albCondition
	for _, c := range o.blocks("condition") {
		conds = append(conds, decodeConditions(c)...)
	}
	if len(conds) > 0 {
		setAttr(r, "conditions", plainJSON(conds))
	}
	setAttr(r, "actions", encodeActions(o.blocks("action")))
	b.addResource(r)
}

// decodeConditions reads one condition block: it holds one of the
// condition types (a query_string condition may repeat its pairs).
func decodeConditions(c obj) []albCondition {
	var out []albCondition
	for _, kind := range []struct{ block, field string }{
		{"host_header", "host-header"}, {"path_pattern", "path-pattern"}, {"http_request_method", "http-request-method"}, {"source_ip", "source-ip"},
	} {
		for _, blk := range c.blocks(kind.block) {
			out = append(out, albCondition{Field: kind.field, Values: blk.strs("values"), Regex: blk.strs("regex_values")})
		}
	}
	for _, blk := range c.blocks("http_header") {
		out = append(out, albCondition{Field: "http-header", Header: blk.str("http_header_name"), Values: blk.strs("values"), Regex: blk.strs("regex_values")})
	}
	if qs := c.blocks("query_string"); len(qs) > 0 {
		q := albCondition{Field: "query-string"}
		for _, blk := range qs {
			q.Query = append(q.Query, [2]string{blk.str("key"), blk.str("value")})
		}
		out = append(out, q)
	}
	return out
}

// encodeActions stores a listener's or rule's actions as JSON, in their
// order.
func encodeActions(blocks []obj) string {
	var acts []albAction
	for _, a := range blocks {
		act := albAction{Type: a.str("type"), Order: a.num("order", 0)}
		if act.Type == "forward" {
			if tg := a.str("target_group_arn"); tg != "" {
				act.TargetGroups = append(act.TargetGroups, albTargetGroup{ARN: tg})
			}
			if fw, ok := a.block("forward"); ok {
				for _, tg := range fw.blocks("target_group") {
					act.TargetGroups = append(act.TargetGroups, albTargetGroup{ARN: tg.str("arn"), Weight: tg.num("weight", 0)})
				}
			}
		}
		acts = append(acts, act)
	}
	if len(acts) == 0 {
		return ""
	}
	sort.SliceStable(acts, func(i, j int) bool { return acts[i].Order < acts[j].Order })
	return plainJSON(acts)
}

// plainJSON encodes without escaping <, > and &, which placeholders hold.
func plainJSON(v any) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return ""
	}
	return strings.TrimSuffix(b.String(), "\n")
}

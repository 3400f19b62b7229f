package eventmatch

import (
	"encoding/base64"
	"fmt"
	"strings"
)

// FilterCriteria is a Lambda event source mapping's filter list: a record
// passes when any one pattern matches it.
type FilterCriteria struct {
	Patterns []*Pattern
}

// CompileFilterCriteria compiles each filter pattern.
func CompileFilterCriteria(docs [][]byte) (*FilterCriteria, error) {
	f := &FilterCriteria{}
	for i, d := range docs {
		p, err := Compile(d, ESM)
		if err != nil {
			return nil, fmt.Errorf("filter %d: %w", i, err)
		}
		f.Patterns = append(f.Patterns, p)
	}
	return f, nil
}

// Match decides a record as Lambda sees it for filtering (see RecordView).
// No pattern means every record passes.
func (f *FilterCriteria) Match(record any) Result {
	if len(f.Patterns) == 0 {
		return Result{Verdict: Match}
	}
	var first, unknown Result
	for i, p := range f.Patterns {
		r := p.Match(record)
		switch r.Verdict {
		case Match:
			return r
		case Unknown:
			if unknown.Verdict == "" {
				unknown = r
			}
		default:
			if first.Verdict == "" {
				first = r
				first.Reason = fmt.Sprintf("filter %d: %s", i, r.Reason)
			}
		}
	}
	if unknown.Verdict != "" {
		return unknown
	}
	if len(f.Patterns) > 1 {
		first.Reason = "no filter matches; " + first.Reason
	}
	return first
}

// RecordView is the record an event source mapping filters: an SQS body,
// or Kinesis data (base64), is replaced by its JSON value when it holds
// one; otherwise the body stays a string and the data stays encoded, so
// that only patterns on the raw value can match. A Kinesis record is
// filtered on its kinesis object (partitionKey, data …); DynamoDB records
// are filtered as delivered.
func RecordView(source string, record map[string]any) map[string]any {
	out := make(map[string]any, len(record))
	for k, v := range record {
		out[k] = v
	}
	switch strings.TrimPrefix(source, "aws:") {
	case "sqs":
		if s, ok := record["body"].(string); ok {
			if v, err := decode([]byte(s)); err == nil {
				if _, obj := v.(map[string]any); obj {
					out["body"] = v
				}
			}
		}
	case "kinesis":
		// Lambda filters the record's kinesis object (partitionKey,
		// data, …), with data decoded.
		k, _ := record["kinesis"].(map[string]any)
		if k == nil {
			break
		}
		out = make(map[string]any, len(k))
		for key, v := range k {
			out[key] = v
		}
		if s, ok := k["data"].(string); ok {
			if b, err := base64.StdEncoding.DecodeString(s); err == nil {
				if v, err := decode(b); err == nil {
					if _, obj := v.(map[string]any); obj {
						out["data"] = v
					}
				}
			}
		}
	}
	return out
}

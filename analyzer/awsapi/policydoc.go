package awsapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/url"
	"strconv"
	"strings"
)

var errNotJSON = errors.New("the policy document is not valid JSON")

// decodePolicy turns a policy document as an API returns it into JSON.
// APIs return documents in three shapes: plain JSON (most), URL-encoded
// JSON per RFC 3986 (IAM: "policy documents are URL-encoded"), and JSON
// whose quotes are backslash-escaped once more (API Gateway REST API
// policies). Empty input is no policy (nil, nil).
func decodePolicy(s string) (json.RawMessage, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	if json.Valid([]byte(s)) {
		return compact(s), nil
	}
	// RFC 3986 escapes spaces as %20 and '+' as %2B, so '+' stays literal;
	// some encoders use '+' for spaces, tried second.
	if u, err := url.PathUnescape(s); err == nil && json.Valid([]byte(u)) {
		return compact(u), nil
	}
	if u, err := url.QueryUnescape(s); err == nil && json.Valid([]byte(u)) {
		return compact(u), nil
	}
	if strings.Contains(s, `\"`) {
		if u, err := strconv.Unquote(`"` + s + `"`); err == nil && json.Valid([]byte(u)) {
			return compact(u), nil
		}
	}
	return nil, errNotJSON
}

// compact removes insignificant whitespace so documents from different
// sources compare equal by bytes when they are equal by value.
func compact(s string) json.RawMessage {
	var b bytes.Buffer
	if err := json.Compact(&b, []byte(s)); err != nil {
		return json.RawMessage(s)
	}
	return b.Bytes()
}

// isEmptyPolicy reports whether a decoded document holds no statement
// (some APIs answer "{}" for a resource without a policy).
func isEmptyPolicy(doc json.RawMessage) bool {
	if len(doc) == 0 {
		return true
	}
	var v map[string]json.RawMessage
	if json.Unmarshal(doc, &v) != nil {
		return false
	}
	return len(v) == 0
}

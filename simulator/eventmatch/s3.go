package eventmatch

import (
	"fmt"
	"net/url"
	"strings"
)

// S3Notification is one notification configuration of a bucket: the event
// types it subscribes to ("s3:ObjectCreated:*") and its key filter.
type S3Notification struct {
	Events []string
	Prefix string
	Suffix string
}

// EncodeS3Key writes an object key the way S3 puts it in a notification:
// form-URL-encoded (a space is '+'), with '/' kept.
func EncodeS3Key(key string) string {
	parts := strings.Split(key, "/")
	for i, p := range parts {
		parts[i] = url.QueryEscape(p)
	}
	return strings.Join(parts, "/")
}

// S3EventMatches reports whether a configured event type ("s3:ObjectCreated:*"
// or "s3:ObjectCreated:Put") covers a delivered event name
// ("ObjectCreated:Put", with or without the "s3:" prefix).
func S3EventMatches(configured, eventName string) bool {
	c := strings.TrimPrefix(configured, "s3:")
	e := strings.TrimPrefix(eventName, "s3:")
	if base, ok := strings.CutSuffix(c, ":*"); ok {
		return e == base || strings.HasPrefix(e, base+":")
	}
	return c == e
}

// Match decides a notification for an event name and the key as it
// appears in the notification (URL-encoded: filters containing special
// characters must be written URL-encoded too, so both sides compare in
// that form). A key that is an UnknownValue answers Unknown on a filter.
func (n S3Notification) Match(eventName string, encodedKey any) Result {
	ok := false
	for _, e := range n.Events {
		if S3EventMatches(e, eventName) {
			ok = true
			break
		}
	}
	if !ok {
		return Result{Verdict: NoMatch, Field: "eventName", Reason: fmt.Sprintf("event %s is not one of %s", eventName, strings.Join(n.Events, ", "))}
	}
	if n.Prefix == "" && n.Suffix == "" {
		return Result{Verdict: Match}
	}
	key, known := encodedKey.(string)
	if !known {
		why := "the key is not known"
		if u, ok := encodedKey.(UnknownValue); ok {
			why = u.Why
		}
		return Result{Verdict: Unknown, Field: "s3.object.key", Reason: why}
	}
	if !strings.HasPrefix(key, n.Prefix) {
		return Result{Verdict: NoMatch, Field: "s3.object.key", Reason: fmt.Sprintf("key %q does not start with prefix %q", key, n.Prefix)}
	}
	// Prefix and suffix are tested independently: on a short key they
	// may share characters.
	if !strings.HasSuffix(key, n.Suffix) {
		return Result{Verdict: NoMatch, Field: "s3.object.key", Reason: fmt.Sprintf("key %q does not end with suffix %q", key, n.Suffix)}
	}
	return Result{Verdict: Match}
}

// S3Overlap is two configurations of one bucket that S3 rejects: they share
// an event type and some key could pass both filters.
type S3Overlap struct {
	A, B  int    // indexes into the configurations given
	Event string // the event type they share
}

// S3Overlaps finds the pairs S3 refuses with "Configurations overlap":
// overlapping event types (ObjectCreated:* and ObjectCreated:Put) with
// overlapping prefixes (one a prefix of the other, "" overlapping all) and
// overlapping suffixes (one a suffix of the other).
func S3Overlaps(configs []S3Notification) []S3Overlap {
	var out []S3Overlap
	for i := range configs {
		for j := i + 1; j < len(configs); j++ {
			a, b := configs[i], configs[j]
			ev := sharedEvent(a.Events, b.Events)
			if ev == "" {
				continue
			}
			if !(strings.HasPrefix(a.Prefix, b.Prefix) || strings.HasPrefix(b.Prefix, a.Prefix)) {
				continue
			}
			if !(strings.HasSuffix(a.Suffix, b.Suffix) || strings.HasSuffix(b.Suffix, a.Suffix)) {
				continue
			}
			out = append(out, S3Overlap{A: i, B: j, Event: ev})
		}
	}
	return out
}

func sharedEvent(a, b []string) string {
	for _, x := range a {
		for _, y := range b {
			xs, ys := strings.TrimPrefix(x, "s3:"), strings.TrimPrefix(y, "s3:")
			xb, xw := strings.CutSuffix(xs, ":*")
			yb, yw := strings.CutSuffix(ys, ":*")
			switch {
			case xs == ys:
				return x
			case xw && (ys == xb || strings.HasPrefix(ys, xb+":")):
				return y
			case yw && (xs == yb || strings.HasPrefix(xs, yb+":")):
				return x
			}
		}
	}
	return ""
}

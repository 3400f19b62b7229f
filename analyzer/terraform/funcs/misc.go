package funcs

import (
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
)

func parseTime(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("not a valid RFC3339 timestamp: %q", s)
	}
	return t, nil
}

// uuidNamespace accepts the named namespaces Terraform's uuidv5 accepts
// ("dns", "url", "oid", "x500") or a UUID.
func uuidNamespace(ns string) ([]byte, error) {
	named := map[string]string{
		"dns":  "6ba7b810-9dad-11d1-80b4-00c04fd430c8",
		"url":  "6ba7b811-9dad-11d1-80b4-00c04fd430c8",
		"oid":  "6ba7b812-9dad-11d1-80b4-00c04fd430c8",
		"x500": "6ba7b814-9dad-11d1-80b4-00c04fd430c8",
	}
	if v, ok := named[ns]; ok {
		ns = v
	}
	b, err := hex.DecodeString(strings.ReplaceAll(ns, "-", ""))
	if err != nil || len(b) != 16 {
		return nil, fmt.Errorf("uuidv5() doesn't support namespace %s", ns)
	}
	return b, nil
}

// uuidV5 is RFC 4122 §4.3: SHA-1 of namespace and name, version 5.
func uuidV5(ns []byte, name string) string {
	h := sha1.New()
	h.Write(ns)
	h.Write([]byte(name))
	u := h.Sum(nil)[:16]
	u[6] = (u[6] & 0x0f) | 0x50
	u[8] = (u[8] & 0x3f) | 0x80
	x := hex.EncodeToString(u)
	return x[0:8] + "-" + x[8:12] + "-" + x[12:16] + "-" + x[16:20] + "-" + x[20:]
}

package cloudformation

import (
	"strconv"
	"strings"
)

// SamConfigParameters reads the parameter_overrides of the default
// environment's deploy command from a samconfig.toml: a string of
// space-separated K=V pairs (values may be quoted) or an array of "K=V"
// strings. Only that key is read; the rest of the file is ignored, so no
// TOML library is needed for it.
func SamConfigParameters(data []byte) map[string]string {
	out := map[string]string{}
	section := ""
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "[") {
			section = strings.Trim(line, "[] ")
			continue
		}
		if section != "default.deploy.parameters" && section != "default.global.parameters" {
			continue
		}
		key, val, ok := strings.Cut(line, "=")
		if !ok || strings.TrimSpace(key) != "parameter_overrides" {
			continue
		}
		val = strings.TrimSpace(val)
		var pairs []string
		if strings.HasPrefix(val, "[") {
			for _, item := range strings.Split(strings.Trim(val, "[]"), ",") {
				if s, err := strconv.Unquote(strings.TrimSpace(item)); err == nil {
					pairs = append(pairs, s)
				}
			}
		} else if s, err := strconv.Unquote(val); err == nil {
			pairs = splitOverrides(s)
		} else if strings.HasPrefix(val, "'") && strings.HasSuffix(val, "'") && len(val) >= 2 {
			pairs = splitOverrides(val[1 : len(val)-1])
		}
		for _, p := range pairs {
			if k, v, ok := strings.Cut(p, "="); ok && k != "" {
				out[k] = strings.Trim(v, `"`)
			}
		}
	}
	return out
}

// splitOverrides splits `A=1 B="x y"` at spaces outside double quotes.
func splitOverrides(s string) []string {
	var out []string
	var b strings.Builder
	quoted := false
	for _, r := range s {
		switch {
		case r == '"':
			quoted = !quoted
			b.WriteRune(r)
		case r == ' ' && !quoted:
			if b.Len() > 0 {
				out = append(out, b.String())
				b.Reset()
			}
		default:
			b.WriteRune(r)
		}
	}
	if b.Len() > 0 {
		out = append(out, b.String())
	}
	return out
}

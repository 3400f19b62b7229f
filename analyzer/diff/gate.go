package diff

import (
	"fmt"
	"strings"
)

// Refuse is the gate of a comparison: an error listing the changes under
// any of classes (asked is how they were given, named in the message), or
// nil when there is none.
func (r *Result) Refuse(classes []Class, asked string) error {
	v := r.Violations(classes)
	if len(v) == 0 {
		return nil
	}
	lines := make([]string, len(v))
	for i, x := range v {
		lines[i] = fmt.Sprintf("  %s: %s", x.Class, x.What)
	}
	return fmt.Errorf("%d change(s) refused by --fail-on-new %s:\n%s", len(v), asked, strings.Join(lines, "\n"))
}

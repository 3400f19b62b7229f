package rules

import (
	"fmt"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
)

// ApplyInline marks findings located in a block that carries a
// lambdacheck:ignore comment for their rule as suppressed (kind "inline").
// The waivers are those the source found while it parsed (the inventory's
// Waivers): the rules stage reads no source file. A waiver without a reason
// does not apply and gives a warning.
func ApplyInline(fs []Finding, waivers []inventory.Waiver) (warnings []string) {
	if len(waivers) == 0 {
		return nil
	}
	byFile := map[string][]inventory.Waiver{}
	for _, w := range waivers {
		byFile[w.File] = append(byFile[w.File], w)
	}
	warned := map[string]bool{}
	for i := range fs {
		f := &fs[i]
		if f.Suppressed != nil || f.File == "" || f.Line == 0 {
			continue
		}
		for _, w := range byFile[f.File] {
			if f.Line < w.BlockStart || f.Line > w.BlockEnd || !waives(w, *f) {
				continue
			}
			where := fmt.Sprintf("%s:%d", f.File, w.Line)
			if w.Reason == "" {
				if !warned[where] {
					warned[where] = true
					warnings = append(warnings, fmt.Sprintf("%s: lambdacheck:ignore without a reason is not applied; say why the finding is accepted", where))
				}
				continue
			}
			f.Suppressed = &Suppression{Kind: "inline", Reason: w.Reason, Where: where}
			break
		}
	}
	return warnings
}

func waives(w inventory.Waiver, f Finding) bool {
	for _, id := range w.Rules {
		if id == f.Rule || id == f.ShortCode {
			return true
		}
	}
	return false
}

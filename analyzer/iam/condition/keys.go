package condition

import (
	"slices"
	"sort"
)

// ClauseKeys returns the sorted, distinct lower-case keys the block's
// clauses test — not the keys its policy variables read, which Keys adds.
// A nil Block has none.
func (b *Block) ClauseKeys() []string {
	if b == nil {
		return nil
	}
	out := make([]string, 0, len(b.clauses))
	for i := range b.clauses {
		out = append(out, b.clauses[i].key)
	}
	sort.Strings(out)
	return slices.Compact(out)
}

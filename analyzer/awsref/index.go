package awsref

// foldIndex is an open-addressing hash table over a fixed list of keys,
// compared with ASCII case folding. It lets lookups of names in any case run
// without allocating a lowered copy, and builds faster than a Go map of
// lowered strings because the keys are not copied.
type foldIndex struct {
	keys  []string
	slots []int32 // key index + 1; 0 is an empty slot
	mask  uint32
}

// newFoldIndex indexes keys; when two keys are equal under folding the first
// one wins.
func newFoldIndex(keys []string) foldIndex {
	size := 1
	for size < 2*len(keys) {
		size <<= 1
	}
	ix := foldIndex{keys: keys, slots: make([]int32, size), mask: uint32(size - 1)}
	for i, k := range keys {
		h := foldHash(k) & ix.mask
		for {
			s := ix.slots[h]
			if s == 0 {
				ix.slots[h] = int32(i + 1)
				break
			}
			if equalFold(keys[s-1], k) {
				break
			}
			h = (h + 1) & ix.mask
		}
	}
	return ix
}

// find returns the index of the key equal to s under folding, or -1.
func (ix *foldIndex) find(s string) int {
	if len(ix.slots) == 0 {
		return -1
	}
	h := foldHash(s) & ix.mask
	for {
		v := ix.slots[h]
		if v == 0 {
			return -1
		}
		if equalFold(ix.keys[v-1], s) {
			return int(v - 1)
		}
		h = (h + 1) & ix.mask
	}
}

// foldHash is FNV-1a over the bytes with bit 0x20 set, which maps each
// upper-case ASCII letter to its lower case without a branch. It also merges
// some punctuation pairs ('@' and '`'), which only costs a rare extra probe:
// equality is still checked with equalFold.
func foldHash(s string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(s); i++ {
		h ^= uint32(s[i] | 0x20)
		h *= 16777619
	}
	return h
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// equalFold compares with ASCII-only folding: IAM names are ASCII, and
// strings.EqualFold's Unicode folding (e.g. 'K' and the Kelvin sign) would
// accept names AWS does not.
func equalFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		if a[i] != b[i] && lower(a[i]) != lower(b[i]) {
			return false
		}
	}
	return true
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && equalFold(s[:len(prefix)], prefix)
}

func hasSuffixFold(s, suffix string) bool {
	return len(s) >= len(suffix) && equalFold(s[len(s)-len(suffix):], suffix)
}

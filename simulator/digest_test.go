package simulator

import (
	"fmt"
	"hash/fnv"
	"testing"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
)

// Sets are identified by a digest of their members' ARNs, so the digest
// must not collide where lists differ: not for lists whose 32-bit FNV
// hashes collide (what exception sets were keyed by, and a large estate
// holds thousands of them), nor for lists that concatenate to the same
// text.
func TestARNDigestTellsListsApart(t *testing.T) {
	w := &world{}
	add := func(arn string) int32 {
		w.resList = append(w.resList, &resourceInfo{res: &inventory.Resource{ARN: arn}})
		return int32(len(w.resList) - 1)
	}
	// Two queue ARNs whose 32-bit FNV-1a (as the old key spelled them)
	// collide: found by birthday search, a few ten thousand tries.
	fnv32 := func(arn string) uint32 {
		h := fnv.New64a()
		h.Write([]byte(arn))
		h.Write([]byte{0})
		return uint32(h.Sum64())
	}
	seen := map[uint32]string{}
	var a, b string
	for i := 0; a == ""; i++ {
		arn := fmt.Sprintf("arn:aws:sqs:eu-west-1:123456789012:q%d", i)
		if other, ok := seen[fnv32(arn)]; ok {
			a, b = other, arn
		}
		seen[fnv32(arn)] = arn
	}
	if w.arnDigest([]int32{add(a)}) == w.arnDigest([]int32{add(b)}) {
		t.Errorf("%s and %s share a digest", a, b)
	}
	if w.arnDigest([]int32{add("x\x00y")}) == w.arnDigest([]int32{add("x"), add("y")}) {
		t.Error("one ARN and two ARNs that concatenate to it share a digest")
	}
	if w.arnDigest([]int32{add("same")}) != w.arnDigest([]int32{add("same")}) {
		t.Error("equal lists have different digests")
	}
}

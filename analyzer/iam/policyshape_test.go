package iam

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/lambdacheck/lambdacheck/fixtures/gen/authzcase"
)

// shapeOf reads text as the decoder does when it makes a shape: from its
// own copy, into a policy that outlives the line.
func shapeOf(r *policyReader, text []byte, kind Kind, opt ParseOptions) (*policyShape, bool) {
	own := append([]byte(nil), text...)
	pol, ok := r.read(own, kind, Source{Name: "p"}, opt, false)
	if !ok {
		return nil, false
	}
	holes, ok := resourceSpans(pol, nil)
	if !ok {
		return nil, false
	}
	return &policyShape{text: own, holes: holes, pol: pol}, true
}

// sameAsRead checks that where text fits sh, the policy derived from the
// shape is the one the reader builds from text, and that one is built
// exactly when the other is. It reports whether text fitted.
func sameAsRead(t *testing.T, r *policyReader, sh *policyShape, text []byte, kind Kind, opt ParseOptions) bool {
	t.Helper()
	end, holes, ok := sh.fit(text, 0, nil)
	if !ok {
		return false
	}
	got, gok := sh.derive(text, 0, end, holes)
	want, wok := r.read(text[:end], kind, Source{Name: "p"}, opt, false)
	if gok != wok {
		t.Fatalf("%s fits the shape of\n%s\n(%s, lenient %v): derived %v, read %v", text[:end], sh.text, kind, opt.Lenient, gok, wok)
	}
	if !gok {
		return true
	}
	got.lines = want.lines
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%s fits the shape of\n%s\n(%s, lenient %v): derived\n%#v\nread\n%#v", text[:end], sh.text, kind, opt.Lenient, got, want)
	}
	return true
}

// withHoles returns sh's text with every hole's string replaced by
// fill(k, old) for hole k.
func withHoles(sh *policyShape, fill func(k int, old string) string) []byte {
	var b bytes.Buffer
	off := 0
	for k, h := range sh.holes {
		b.Write(sh.text[off:h.start])
		b.WriteString(fill(k, string(sh.text[h.start:h.end])))
		off = int(h.end)
	}
	b.Write(sh.text[off:])
	return b.Bytes()
}

// Every corpus policy, with its resources replaced by others, is derived
// from its shape as the reader reads it; strings the reader would read
// otherwise do not fit.
func TestPolicyShapeSameAsReader(t *testing.T) {
	texts := append(corpusPolicies(t),
		// A Sid after the resources moves with them.
		[]byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":["arn:aws:s3:::a","arn:aws:s3:::b/*"],"Sid":"After"},{"Sid":"Second","Effect":"Deny","Action":"s3:Delete*","NotResource":"arn:aws:s3:::a/keep/*"}]}`),
		[]byte(`{"Version":"2012-10-17","Statement":{"Resource":"*","Sid":"One","Effect":"Allow","Principal":{"AWS":"111111111111"},"Action":"sqs:SendMessage"}}`),
	)
	fills := []string{
		"arn:aws:s3:::other-bucket/key/*",
		"*",
		"x",
		"arn:aws:sqs:us-east-1:123456789012:queue-?",
		"arn:aws:iam::123456789012:role/é/*",
		"arn:aws:s3:::" + strings.Repeat("long/", 40),
		"arn:aws:s3:::${aws:username}/*", // a variable: read another way
		`arn:aws:s3:::a\"b`,              // an escape
		"",                               // empty
		"arn:aws:s3:::\x01",              // a control character
		"arn:aws:s3:::\xff",              // not UTF-8
	}
	r := &policyReader{}
	shapes, fitted, refused := 0, 0, 0
	for _, text := range texts {
		for _, kind := range readerKinds {
			for _, lenient := range []bool{false, true} {
				opt := ParseOptions{Lenient: lenient}
				sh, ok := shapeOf(r, text, kind, opt)
				if !ok {
					continue
				}
				shapes++
				// A hole holding a policy variable is refilled only with
				// plain strings.
				if !sameAsRead(t, r, sh, text, kind, opt) && !bytes.Contains(text, []byte("${")) {
					t.Fatalf("%s does not fit its own shape", text)
				}
				for i, fill := range fills {
					// One hole changed, then all holes changed differently.
					one := withHoles(sh, func(k int, old string) string {
						if k == 0 {
							return fill
						}
						return old
					})
					all := withHoles(sh, func(k int, old string) string { return fills[(i+k)%len(fills)] })
					for _, v := range [][]byte{one, all} {
						if sameAsRead(t, r, sh, v, kind, opt) {
							fitted++
						} else {
							refused++
						}
					}
				}
			}
		}
	}
	if shapes < 50 || fitted < 500 || refused < 100 {
		t.Fatalf("too little checked: %d shapes, %d texts fitted, %d refused", shapes, fitted, refused)
	}
}

// A text that differs outside the resources does not fit.
func TestPolicyShapeFitsOnlyResourceChanges(t *testing.T) {
	text := []byte(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::a/*"}}`)
	r := &policyReader{}
	sh, ok := shapeOf(r, text, IdentityPolicy, ParseOptions{})
	if !ok || len(sh.holes) != 1 {
		t.Fatalf("no shape with one hole: %+v", sh)
	}
	for _, other := range []string{
		`{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"s3:GetObject","Resource":"arn:aws:s3:::a/*"}}`,
		`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::a/*"}}`,
		`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":["arn:aws:s3:::a/*"]}}`,
		`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::a/*" }}`,
		`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::a/*`,
	} {
		if _, _, ok := sh.fit([]byte(other), 0, nil); ok {
			t.Errorf("%s fits the shape of %s", other, text)
		}
	}
	end, holes, ok := sh.fit([]byte(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bb/*"}},"next"`), 0, nil)
	if !ok || end != len(text)+1 || len(holes) != 1 {
		t.Fatalf("a longer resource: end %d, holes %v, fits %v", end, holes, ok)
	}
}

// Generated batch lines differ in their resources only: the decoder
// derives their policies from the shapes of the line before, and decides
// them as DecodeCaseWith does.
func TestCaseDecoderDerivesFromShapes(t *testing.T) {
	d := NewCaseDecoder(ParseOptions{})
	for i := 0; i < 40; i++ {
		sameDecision(t, d, []byte(authzcase.Typical(i)), ParseOptions{})
	}
	for f, field := range policyFields {
		for _, slot := range []struct{ i, j int }{{0, -1}, {-1, -1}} {
			if (field.name == "identityPolicies") != (slot.i == 0) || (field.name != "identityPolicies" && field.name != "resourcePolicy") {
				continue
			}
			if sh := &d.shapes[f][slot.i+1][slot.j+1]; sh.pol == nil {
				t.Errorf("%s: the policies unique to each line were not derived from a shape", slotName(field.name, slot.i, slot.j))
			}
		}
	}
	c, err := d.Decode([]byte(authzcase.Typical(41)))
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Policies.Resource.Statements[0].Resources[0]; got != "arn:aws:s3:::bucket-41/*" {
		t.Fatalf("derived resource policy names %q", got)
	}
	if c.Policies.Resource.Name != "resourcePolicy" || c.Policies.Resource.Statements[1].Policy != c.Policies.Resource {
		t.Fatal("derived statements do not belong to the derived policy")
	}
}

func FuzzPolicyShape(f *testing.F) {
	r := &policyReader{}
	for _, text := range corpusPolicies(f)[:40] {
		if sh, ok := shapeOf(r, text, IdentityPolicy, ParseOptions{}); ok {
			f.Add(text, withHoles(sh, func(k int, old string) string { return old + "-" + strings.Repeat("x", k) }))
		}
		if sh, ok := shapeOf(r, text, ResourcePolicy, ParseOptions{}); ok {
			f.Add(text, withHoles(sh, func(k int, old string) string { return "*" }))
		}
	}
	f.Fuzz(func(t *testing.T, base, text []byte) {
		for _, kind := range readerKinds {
			for _, lenient := range []bool{false, true} {
				opt := ParseOptions{Lenient: lenient}
				if sh, ok := shapeOf(r, base, kind, opt); ok {
					sameAsRead(t, r, sh, text, kind, opt)
				}
			}
		}
	})
}

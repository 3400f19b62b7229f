package awsref

import (
	"slices"
	"strings"
	"testing"
)

// Expand must agree with matching the pattern against every action name.
func FuzzExpand(f *testing.F) {
	for _, s := range []string{"*", "s3:Get*", "S3:*Object", "iam:?assRole", "s3*:GetObject", "*:*", "lambda:", ":", "**?*", "s3:", "a*b*c*d*e*f*", "?", "ec2:*Vpc*"} {
		f.Add(s)
	}
	c := Default()
	f.Fuzz(func(t *testing.T, pat string) {
		if len(pat) > 256 {
			return
		}
		got := c.Expand(pat)
		if !slices.IsSorted(got) {
			t.Fatalf("Expand(%q) not sorted", pat)
		}
		if want := bruteExpand(c, pat); !slices.Equal(got, want) {
			t.Fatalf("Expand(%q) = %d names, matching every name gives %d", pat, len(got), len(want))
		}
	})
}

// ResourceTypesOf never panics, and names only types of the catalog.
func FuzzResourceTypesOf(f *testing.F) {
	for _, s := range []string{
		"arn:aws:s3:::b/k", "arn:aws:s3:::b", "arn:aws:lambda:us-east-1:1:function:f:3",
		"arn:aws:logs:r:1:log-group:/a/b:log-stream:x", "arn:aws:states:r:1:execution:sm/l:x",
		"arn:aws:codeartifact:r:1:package-group/dom/p*", "arn:aws:elastic-inference:r:1:x", "arn::::", "arn:a:b", "",
	} {
		f.Add(s)
	}
	c := Default()
	f.Fuzz(func(t *testing.T, arn string) {
		got := c.ResourceTypesOf(arn)
		if !slices.IsSorted(got) {
			t.Fatalf("ResourceTypesOf(%q) = %q not sorted", arn, got)
		}
		svc, _ := arnService(arn)
		for _, typ := range got {
			if _, ok := c.ResourceType(svc, typ); !ok && !strings.Contains(arn, "elastic-inference") {
				if _, ok := c.Service(svc); ok {
					t.Fatalf("ResourceTypesOf(%q) = %q: %s is not a type of %s", arn, got, typ, svc)
				}
			}
		}
	})
}

func FuzzConditionKey(f *testing.F) {
	for _, s := range []string{"aws:SourceArn", "aws:PrincipalTag/x", "kms:EncryptionContext:a", "s3:ExistingObjectTag/", "token.actions.x.ghe.com:ref", ""} {
		f.Add(s)
	}
	c := Default()
	f.Fuzz(func(t *testing.T, name string) {
		k, ok := c.ConditionKey(name)
		if ok && k.Type == "" {
			t.Fatalf("ConditionKey(%q) = %+v without a type", name, k)
		}
		if g, gok := c.GlobalConditionKey(name); gok && !g.Global {
			t.Fatalf("GlobalConditionKey(%q) = %+v, not global", name, g)
		}
	})
}

func FuzzManagedPolicy(f *testing.F) {
	for _, s := range []string{"AdministratorAccess", "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole", "arn:x:iam::aws:policy/", "arn:", "arn::iam::aws:policy//"} {
		f.Add(s)
	}
	c := Default()
	f.Fuzz(func(t *testing.T, s string) {
		p, ok := c.ManagedPolicy(s)
		if ok && (p.Name == "" || len(p.Document) == 0) {
			t.Fatalf("ManagedPolicy(%q) = %+v", s, p)
		}
	})
}

// The decoders reject damaged blobs without panicking.
func FuzzDecode(f *testing.F) {
	a, p := miniBlobs(f)
	f.Add(string(a), false)
	f.Add(string(p), true)
	f.Fuzz(func(t *testing.T, raw string, policies bool) {
		if policies {
			if p, err := decodePolicies(raw); err == nil {
				p.checkAll()
			}
			return
		}
		if c, err := decodeActions(raw); err == nil && c.checkAll() == nil {
			for _, a := range c.Actions() {
				if b, ok := c.Action(a.FullName()); !ok || b.FullName() != a.FullName() {
					t.Fatalf("decoded action %s not found by name", a.FullName())
				}
			}
		}
	})
}

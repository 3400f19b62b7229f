package catalog

import "testing"

// Cold decode of the action catalog, as every CLI run pays it (the managed
// policies stay compressed).
func BenchmarkLoad(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := load(actionsBlob, policiesBlob); err != nil {
			b.Fatal(err)
		}
	}
}

// The first ManagedPolicy call's cost: gunzip and index the policies.
func BenchmarkManagedPoliciesDecode(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		raw, err := gunzip(policiesBlob)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := decodePolicies(raw); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAction(b *testing.B) {
	c := Default()
	b.ReportAllocs()
	for b.Loop() {
		c.Action("S3:GetObject")
	}
}

func BenchmarkExpand(b *testing.B) {
	c := Default()
	for _, pat := range []string{"s3:Get*", "*:Get*", "*"} {
		b.Run(pat, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				c.Expand(pat)
			}
		})
	}
}

func BenchmarkResourceTypesOf(b *testing.B) {
	c := Default()
	c.ResourceTypesOf("arn:aws:s3:::b") // build the ARN index outside the loop
	b.ReportAllocs()
	for b.Loop() {
		c.ResourceTypesOf("arn:aws:lambda:us-east-1:123456789012:function:thumb:live")
	}
}

func BenchmarkManagedPolicy(b *testing.B) {
	c := Default()
	c.ManagedPolicy("AdministratorAccess")
	b.ReportAllocs()
	for b.Loop() {
		c.ManagedPolicy("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole")
	}
}

// First-use costs of the lazily built indexes.
func BenchmarkBuildARNIndex(b *testing.B) {
	c := Default()
	b.ReportAllocs()
	for b.Loop() {
		c.buildARNIndex()
	}
}

func BenchmarkBuildKeyIndex(b *testing.B) {
	c := Default()
	b.ReportAllocs()
	for b.Loop() {
		c.buildKeyIndex()
	}
}

package awsref

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

// The first ManagedPolicy call's cost: inflate the index and one chunk.
func BenchmarkManagedPoliciesFirstUse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		p, err := decodePolicies(policiesBlob)
		if err != nil {
			b.Fatal(err)
		}
		i := p.index.find("AWSLambdaBasicExecutionRole")
		p.document(&p.list[i])
	}
}

// Inflating every policy document, for comparison.
func BenchmarkManagedPoliciesAll(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		p, err := decodePolicies(policiesBlob)
		if err != nil {
			b.Fatal(err)
		}
		if err := p.checkAll(); err != nil {
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

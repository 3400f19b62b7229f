package statemachine

import (
	"encoding/json"
	"slices"
	"testing"
)

func TestLambdaTasks(t *testing.T) {
	const def = `{"StartAt":"A","States":{
		"A":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"arn:aws:lambda:eu-west-1:1:function:f"},"Next":"P"},
		"P":{"Type":"Parallel","Branches":[{"States":{
			"B":{"Type":"Task","Resource":"arn:aws:lambda:eu-west-1:1:function:g","End":true},
			"C":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken","Arguments":{"FunctionName.$":"$.fn"},"End":true},
			"D":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"arn:aws:lambda:eu-west-1:1:function:f"},"End":true},
			"E":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage","Parameters":{"QueueUrl":"q"},"End":true}}}]}}}`
	var v any
	if err := json.Unmarshal([]byte(def), &v); err != nil {
		t.Fatal(err)
	}
	want := []string{"$.fn", "arn:aws:lambda:eu-west-1:1:function:f", "arn:aws:lambda:eu-west-1:1:function:g"}
	if got := LambdaTasks(v); !slices.Equal(got, want) {
		t.Errorf("LambdaTasks = %q, want %q", got, want)
	}
}

// LambdaTasks never panics on a definition, and what it returns is sorted
// and distinct.
func FuzzLambdaTasks(f *testing.F) {
	f.Add(`{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"arn:aws:lambda:eu-west-1:1:function:f"},"End":true}}}`)
	f.Add(`{"States":{"P":{"Type":"Parallel","Branches":[{"States":{"B":{"Type":"Task","Resource":"arn:aws:lambda:eu-west-1:1:function:g"}}}]}}}`)
	f.Add(`{"States":{"M":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken","Arguments":{"FunctionName.$":"$.fn"}}}}`)
	f.Add(`[]`)
	f.Fuzz(func(t *testing.T, s string) {
		var def any
		if json.Unmarshal([]byte(s), &def) != nil {
			return
		}
		out := LambdaTasks(def)
		for i := 1; i < len(out); i++ {
			if out[i-1] >= out[i] {
				t.Fatalf("LambdaTasks(%q) = %q, not sorted and distinct", s, out)
			}
		}
	})
}

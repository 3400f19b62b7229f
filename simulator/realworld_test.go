package simulator

import (
	"strings"
	"testing"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
	"github.com/lambdacheck/lambdacheck/simulator/flow"
)

// Decisions found wrong on real Terraform applications, one test per pattern.

func stepByAction(f flow.Flow, action string) *flow.Step {
	for i := range f.Steps {
		if f.Steps[i].Action == action {
			return &f.Steps[i]
		}
	}
	return nil
}

// A stream poller whose role grants ListStreams only on the stream ARN (as
// AWS's own example policy does) still polls: ListStreams has no resource
// type, so that grant never authorises it, and Lambda does not check it.
// It stays a note; a missing required action still denies.
func TestPollListStreamsIsAdviceOnly(t *testing.T) {
	tableARN := "arn:aws:dynamodb:eu-west-1:" + acct + ":table/orders"
	streamARN := tableARN + "/stream/2024-01-01T00:00:00.000"
	kinesisARN := "arn:aws:kinesis:eu-west-1:" + acct + ":stream/clicks"
	cases := []struct {
		name, service, source, grant string
		owner                        inventory.Resource
		want                         flow.Decision
		deniedAction                 string
	}{
		{"dynamodb stream, AWS example policy", "dynamodb", streamARN,
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["dynamodb:GetRecords","dynamodb:GetShardIterator","dynamodb:DescribeStream","dynamodb:ListStreams"],"Resource":"` + tableARN + `/stream/*"}]}`,
			inventory.Resource{Origin: inventory.Origin{Address: "aws_dynamodb_table.orders"}, Type: "aws_dynamodb_table", Service: "dynamodb", ARN: tableARN, Account: acct, StreamARNs: []string{streamARN}},
			flow.Allowed, ""},
		{"dynamodb stream without GetRecords", "dynamodb", streamARN,
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["dynamodb:GetShardIterator","dynamodb:DescribeStream","dynamodb:ListStreams"],"Resource":"` + tableARN + `/stream/*"}]}`,
			inventory.Resource{Origin: inventory.Origin{Address: "aws_dynamodb_table.orders"}, Type: "aws_dynamodb_table", Service: "dynamodb", ARN: tableARN, Account: acct, StreamARNs: []string{streamARN}},
			flow.Denied, "dynamodb:GetRecords"},
		{"kinesis stream, reads on the stream only", "kinesis", kinesisARN,
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["kinesis:DescribeStream","kinesis:DescribeStreamSummary","kinesis:GetRecords","kinesis:GetShardIterator","kinesis:ListShards","kinesis:ListStreams"],"Resource":"` + kinesisARN + `"}]}`,
			inventory.Resource{Origin: inventory.Origin{Address: "aws_kinesis_stream.clicks"}, Type: "aws_kinesis_stream", Service: "kinesis", ARN: kinesisARN, Account: acct},
			flow.Allowed, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			inv := &inventory.Inventory{
				Functions: []inventory.Function{function("consumer", "consumer")},
				Roles:     []inventory.Role{role("consumer", c.grant)},
				Resources: []inventory.Resource{c.owner},
				Triggers: []inventory.Trigger{{Origin: inventory.Origin{Address: "aws_lambda_event_source_mapping.m"}, Kind: "poll", Service: c.service,
					SourceARN: c.source, FunctionARN: fnARN("consumer"), Enabled: true}},
			}
			f := onlyInvoke(t, simulate(t, inv))
			if f.Decision != c.want {
				t.Fatalf("decision %s, want %s: %+v", f.Decision, c.want, failingStep(f))
			}
			if c.deniedAction != "" && failingStep(f).Action != c.deniedAction {
				t.Fatalf("failing step %+v, want %s", failingStep(f), c.deniedAction)
			}
			list := stepByAction(f, c.service+":ListStreams")
			if list == nil || list.Decision != flow.Allowed || !strings.HasPrefix(list.What, "advised, not required") || !strings.Contains(list.Reason, "does not check it") {
				t.Fatalf("ListStreams step should be advice: %+v", list)
			}
		})
	}
}

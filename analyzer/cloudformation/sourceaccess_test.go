package cloudformation

import (
	"reflect"
	"testing"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
)

// An event source mapping keeps its source access configurations and a
// self-managed Kafka cluster's bootstrap servers.
func TestMappingSourceAccess(t *testing.T) {
	inv := load(t, `
Resources:
  Mapping:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      FunctionName: arn:aws:lambda:eu-west-1:123456789012:function:consumer
      Topics: [orders]
      SelfManagedEventSource:
        Endpoints:
          KafkaBootstrapServers: [b-1.kafka.internal:9096, b-2.kafka.internal:9096]
      SourceAccessConfigurations:
        - Type: SASL_SCRAM_512_AUTH
          URI: arn:aws:secretsmanager:eu-west-1:123456789012:secret:kafka
        - Type: VPC_SUBNET
          URI: subnet:subnet-0123
`, nil)
	if len(inv.Triggers) != 1 {
		t.Fatalf("triggers = %+v", inv.Triggers)
	}
	tr := inv.Triggers[0]
	want := []inventory.SourceAccess{{Type: "SASL_SCRAM_512_AUTH", URI: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:kafka"}, {Type: "VPC_SUBNET", URI: "subnet:subnet-0123"}}
	if tr.Service != "kafka" || !reflect.DeepEqual(tr.SourceAccess, want) || !reflect.DeepEqual(tr.Endpoints, []string{"b-1.kafka.internal:9096", "b-2.kafka.internal:9096"}) {
		t.Errorf("trigger = %+v", tr)
	}
}

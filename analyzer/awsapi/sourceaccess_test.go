package awsapi

import (
	"reflect"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
)

// A mapping keeps its source access configurations and a self-managed
// Kafka cluster's bootstrap servers, which decide the secret and VPC steps.
func TestMappingTriggerSourceAccess(t *testing.T) {
	m := types.EventSourceMappingConfiguration{
		UUID:                   aws.String("u1"),
		FunctionArn:            aws.String("arn:aws:lambda:eu-west-1:123456789012:function:consumer"),
		State:                  aws.String("Enabled"),
		SelfManagedEventSource: &types.SelfManagedEventSource{Endpoints: map[string][]string{"KAFKA_BOOTSTRAP_SERVERS": {"b-1:9096", "b-2:9096"}}},
		SourceAccessConfigurations: []types.SourceAccessConfiguration{
			{Type: types.SourceAccessTypeSaslScram512Auth, URI: aws.String("arn:aws:secretsmanager:eu-west-1:123456789012:secret:kafka")},
			{Type: types.SourceAccessTypeVpcSubnet, URI: aws.String("subnet:subnet-0123")},
		},
	}
	tr := mappingTrigger(m, "aws", "eu-west-1", "123456789012")
	want := []inventory.SourceAccess{{Type: "SASL_SCRAM_512_AUTH", URI: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:kafka"}, {Type: "VPC_SUBNET", URI: "subnet:subnet-0123"}}
	if tr.Service != "kafka" || !reflect.DeepEqual(tr.SourceAccess, want) || !reflect.DeepEqual(tr.Endpoints, []string{"b-1:9096", "b-2:9096"}) {
		t.Errorf("trigger = %+v", tr)
	}
}

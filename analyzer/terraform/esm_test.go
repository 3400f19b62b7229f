package terraform

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/lambdacheck/lambdacheck/analyzer/terraform/config"
)

// The poll source kind an event_source_arn expression refers to, in the
// forms a configuration writes it.
func TestESMServiceByReference(t *testing.T) {
	cases := []struct{ name, file, src, want string }{
		{"managed resource", "main.tf", `event_source_arn = aws_mq_broker.b.arn`, "mq"},
		{"instance key", "main.tf", `event_source_arn = aws_msk_cluster.c[0].arn`, "kafka"},
		{"for_each key from a variable", "main.tf", `event_source_arn = aws_sqs_queue.q[var.name].arn`, "sqs"},
		{"resource. prefix", "main.tf", `event_source_arn = resource.aws_docdb_cluster.d.arn`, "docdb"},
		{"data source", "main.tf", `event_source_arn = data.aws_kinesis_stream.s.arn`, "kinesis"},
		{"table stream", "main.tf", `event_source_arn = aws_dynamodb_table.t.stream_arn`, "dynamodb"},
		{"table ARN is no stream", "main.tf", `event_source_arn = aws_dynamodb_table.t.arn`, ""},
		{"template string", "main.tf", `event_source_arn = "${aws_msk_serverless_cluster.c.arn}"`, "kafka"},
		{"JSON syntax", "main.tf.json", `"event_source_arn": "${aws_mq_broker.b.arn}"`, "mq"},
		{"two kinds", "main.tf", `event_source_arn = var.q ? aws_sqs_queue.q.arn : aws_kinesis_stream.s.arn`, ""},
		{"module output", "main.tf", `event_source_arn = module.queue.arn`, ""},
		{"not set", "main.tf", `function_name = "f"`, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			src := "resource \"aws_lambda_event_source_mapping\" \"m\" {\n  " + tc.src + "\n}\n"
			if filepath.Ext(tc.file) == ".json" {
				src = `{"resource": {"aws_lambda_event_source_mapping": {"m": {` + tc.src + `}}}}`
			}
			if err := os.WriteFile(filepath.Join(dir, tc.file), []byte(src), 0o644); err != nil {
				t.Fatal(err)
			}
			m, diags, err := config.LoadIn(context.Background(), nil, dir, "")
			if err != nil || diags.HasErrors() || len(m.Resources) != 1 {
				t.Fatalf("load: %v %v", err, diags)
			}
			if got := esmServiceByReference(m.Resources[0]); got != tc.want {
				t.Fatalf("kind = %q, want %q", got, tc.want)
			}
		})
	}
}

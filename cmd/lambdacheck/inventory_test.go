package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
)

func runInventoryCmd(t *testing.T, args ...string) (string, error) {
	t.Helper()
	root := newRootCommand()
	var out bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&bytes.Buffer{})
	root.SetArgs(append([]string{"inventory"}, args...))
	err := root.Execute()
	return out.String(), err
}

func TestInventoryCommand(t *testing.T) {
	t.Run("json output is a schema 2 snapshot", func(t *testing.T) {
		out, err := runInventoryCmd(t, "../../fixtures/thumbnails", "--format", "json")
		if err != nil {
			t.Fatal(err)
		}
		inv, err := inventory.Decode([]byte(out))
		if err != nil {
			t.Fatal(err)
		}
		if len(inv.Functions) != 1 || inv.Functions[0].ARN != "arn:aws:lambda:eu-west-1:123456789012:function:acme-photos-thumbnail" {
			t.Fatalf("functions = %+v", inv.Functions)
		}
	})
	t.Run("table output lists items with address and file:line", func(t *testing.T) {
		out, err := runInventoryCmd(t, "../../fixtures/thumbnails")
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"aws_lambda_function.thumbnail", "main.tf:97", "aws_s3_bucket_notification.uploads", "AWSLambdaBasicExecutionRole"} {
			if !strings.Contains(out, want) {
				t.Errorf("table lacks %q:\n%s", want, out)
			}
		}
	})
	t.Run("unknown format is a usage error", func(t *testing.T) {
		_, err := runInventoryCmd(t, "../../fixtures/thumbnails", "--format", "xml")
		if err == nil || exitCode(err) != 2 {
			t.Fatalf("err = %v, want exit code 2", err)
		}
	})
}

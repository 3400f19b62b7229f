package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// 200 functions × 20,000 queues under sqs:* on "*": reach is decided per
// statement, so the run stays small; one flow per function and queue
// would be four million.
func TestHostileFlowExplosionIsAggregated(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 20,000-queue estate")
	}
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "main.tf"), `
provider "aws" {
  region = "eu-west-1"
}

resource "aws_sqs_queue" "q" {
  count = 20000
  name  = "work-${count.index}"
}

resource "aws_iam_role" "r" {
  count = 200
  name  = "worker-${count.index}"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy" "p" {
  count = 200
  role  = aws_iam_role.r[count.index].id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sqs:*", Resource = "*" }]
  })
}

resource "aws_lambda_function" "f" {
  count         = 200
  function_name = "worker-${count.index}"
  role          = aws_iam_role.r[count.index].arn
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "app.zip"
}
`)
	out := filepath.Join(dir, "flows.json")
	code, stderr, peak := runHostile(t, dir, "--output", out)
	if code == 2 {
		t.Fatalf("exit 2:\n%.2000s", stderr)
	}
	if peak > 2048 {
		t.Errorf("peak memory %d MiB, more than 2 GiB", peak)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var res struct {
		Flows []struct {
			Kind   string `json:"kind"`
			Covers *struct {
				Count int `json:"count"`
			} `json:"covers"`
		} `json:"flows"`
	}
	if err := json.Unmarshal(data, &res); err != nil {
		t.Fatal(err)
	}
	covered, access := 0, 0
	for _, f := range res.Flows {
		if f.Kind != "access" {
			continue
		}
		access++
		if f.Covers != nil {
			covered += f.Covers.Count
		}
	}
	if access > 200*10 {
		t.Errorf("%d access flows for 200 functions: reach is not aggregated", access)
	}
	if covered < 200*20000 {
		t.Errorf("aggregated flows cover %d function × queue pairs, want every one of 200 × 20,000", covered)
	}
	t.Logf("%d access flows, covering %d pairs; peak %d MiB", access, covered, peak)
}

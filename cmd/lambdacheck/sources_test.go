package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
)

func inventoryJSON(t *testing.T, args ...string) *inventory.Inventory {
	t.Helper()
	out, err := runInventoryCmd(t, append(args, "--format", "json")...)
	if err != nil {
		t.Fatalf("%v: %v", args, err)
	}
	inv, err := inventory.Decode([]byte(out))
	if err != nil {
		t.Fatal(err)
	}
	return inv
}

func TestInputKindDetection(t *testing.T) {
	const fnARN = "arn:aws:lambda:eu-west-1:123456789012:function:acme-photos-thumbnail"
	for _, c := range []struct {
		args []string
		kind string
	}{
		{[]string{"../../fixtures/thumbnails"}, "terraform"},
		{[]string{"../../fixtures/thumbnails/plan.json"}, "plan"},
		{[]string{"../../fixtures/thumbnails/template.yaml", "--region", "eu-west-1"}, "sam"},
		{[]string{"../../fixtures/thumbnails", "--source", "sam", "--region", "eu-west-1"}, "sam"},
		{[]string{"../../fixtures/thumbnails", "--source", "plan"}, "plan"},
	} {
		inv := inventoryJSON(t, c.args...)
		if inv.Source.Kind != c.kind {
			t.Errorf("%v: kind %q, want %q", c.args, inv.Source.Kind, c.kind)
		}
		if len(inv.Functions) != 1 || inv.Functions[0].ARN != fnARN {
			t.Errorf("%v: functions %+v", c.args, inv.Functions)
		}
	}
	// A directory holding only a template is a template.
	dir := t.TempDir()
	data, err := os.ReadFile("../../fixtures/thumbnails/template.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "template.yaml"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "samconfig.toml"), []byte("[default.deploy.parameters]\nparameter_overrides = \"Prefix=acme-cards\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	inv := inventoryJSON(t, dir, "--region", "eu-west-1")
	if inv.Source.Kind != "sam" || len(inv.Functions) != 1 || inv.Functions[0].Name != "acme-cards-thumbnail" {
		t.Errorf("template directory with samconfig.toml: %s %+v", inv.Source.Kind, inv.Functions)
	}
	inv = inventoryJSON(t, dir, "--region", "eu-west-1", "--parameter", "Prefix=acme-x")
	if len(inv.Functions) != 1 || inv.Functions[0].Name != "acme-x-thumbnail" {
		t.Errorf("--parameter does not win over samconfig.toml: %+v", inv.Functions)
	}
}

func TestInputKindErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{write("other.json", `{"Statement":[]}`)}, "neither a Terraform plan (terraform show -json), a CloudFormation or SAM template, nor a lambdacheck snapshot"},
		{[]string{write("other.yaml", "a: [1]\n")}, "not a Terraform plan, a CloudFormation or SAM template"},
		{[]string{write("t.yaml", "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n"), "--source", "nope"}, `--source "nope": want one of terraform, plan, sam, cfn, snapshot`},
		{[]string{dir, "--source", "plan"}, "no plan file in the directory"},
		{[]string{dir, "--source", "snapshot"}, "--source snapshot needs a snapshot file"},
		{[]string{write("broken.yaml", "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Q: {Type: AWS::SQS::Queue\n")}, "read template broken.yaml: yaml: line "},
		{[]string{write("t2.yaml", "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n"), "--source", "terraform"}, "--source terraform needs a directory"},
	} {
		_, err := runInventoryCmd(t, c.args...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: err = %v, want %q", c.args, err, c.want)
		}
	}
}

// A definition file a template points to is read inside the scan root
// only: one outside it is named as not read, never opened.
func TestTemplateDefinitionFilesStayInTheRoot(t *testing.T) {
	base := t.TempDir()
	app := filepath.Join(base, "app")
	if err := os.MkdirAll(app, 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(base, "outside.asl.json"), `{"StartAt":"X","States":{"X":{"Type":"Task","Resource":"arn:aws:lambda:eu-west-1:123456789012:function:secret","End":true}}}`)
	writeFile(t, filepath.Join(app, "inside.asl.json"), `{"StartAt":"X","States":{"X":{"Type":"Task","Resource":"arn:aws:lambda:eu-west-1:123456789012:function:inside","End":true}}}`)
	writeFile(t, filepath.Join(app, "template.yaml"), `Transform: AWS::Serverless-2016-10-31
Resources:
  In:
    Type: AWS::Serverless::StateMachine
    Properties:
      DefinitionUri: inside.asl.json
  Out:
    Type: AWS::Serverless::StateMachine
    Properties:
      DefinitionUri: ../outside.asl.json
`)
	out, errOut, code := runCLI(t, "", "inventory", app, "--root", app, "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "function:inside") {
		t.Errorf("the definition inside the root was not read:\n%s", out)
	}
	if strings.Contains(out, "function:secret") {
		t.Errorf("a definition outside the scan root was read:\n%s", out)
	}
	if !strings.Contains(out, "../outside.asl.json could not be read") {
		t.Errorf("the definition outside the root is not named:\n%s", out)
	}
}

// The hooks of a SAM DeploymentPreference are invoked by CodeDeploy with
// the role SAM generates, whose managed policy allows functions named
// CodeDeployHook_* only: a hook named otherwise can never run.
func TestSAMDeploymentHooks(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "template.yaml"), `Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      AutoPublishAlias: live
      DeploymentPreference:
        Type: Canary10Percent5Minutes
        Hooks:
          PreTraffic: !Ref Pre
          PostTraffic: !Ref Post
  Pre:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: CodeDeployHook_preTraffic
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
  Post:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: post-traffic-check
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
`)
	out, errOut, code := runCLI(t, "", "simulate", dir, "--format", "json", "--fail-on", "none")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var res struct {
		Flows []struct {
			ID       string `json:"id"`
			Decision string `json:"decision"`
			Trigger  *struct {
				Type   string   `json:"type"`
				Events []string `json:"events"`
			} `json:"trigger"`
		} `json:"flows"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, f := range res.Flows {
		if f.Trigger != nil && f.Trigger.Type == "codedeploy" {
			got[strings.Join(f.Trigger.Events, ",")] = f.Decision
		}
	}
	if got["PreTraffic"] != "allowed" || got["PostTraffic"] != "denied" {
		t.Errorf("hook flows %v, want PreTraffic allowed (CodeDeployHook_ name) and PostTraffic denied", got)
	}
}

package terraform

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/lambdacheck/lambdacheck/analyzer/awsref"
	"github.com/lambdacheck/lambdacheck/analyzer/terraform/eval"
	"github.com/lambdacheck/lambdacheck/analyzer/terraform/policydoc"
	"github.com/lambdacheck/lambdacheck/analyzer/terraform/reason"
)

// PolicyCatalog looks up AWS managed policies by name or ARN
// (awsref.Default() satisfies it).
type PolicyCatalog interface {
	ManagedPolicy(nameOrARN string) (awsref.ManagedPolicy, bool)
}

// knowledge implements eval.Knowledge: computed attributes of the AWS
// resource types lambdacheck understands and local data sources.
type knowledge struct {
	catalog PolicyCatalog
	// apiPaths maps API Gateway resource ids (placeholders) to paths.
	apiPaths map[string]string
	// rules maps EventBridge rule ARNs to what their targets need.
	rules map[string]eventRule
}

func newKnowledge(c PolicyCatalog) *knowledge {
	return &knowledge{catalog: c, apiPaths: map[string]string{}}
}

func (k *knowledge) Resource(ei *eval.Instance) cty.Value {
	i := inst{ei}
	computed, ok := k.computed(i)
	if !ok {
		computed, ok = computedInvoker(i)
	}
	if !ok {
		computed = map[string]cty.Value{}
		if i.Resource.Type == "archive_file" {
			archiveAttrs(i, computed)
		}
	}
	if _, has := computed["id"]; !has {
		computed["id"] = cty.StringVal(i.placeholder("id"))
	}
	return merge(i.Config, computed)
}

// merge lays computed attributes under the configuration: configured values
// win except where the configuration leaves them null.
func merge(cfg cty.Value, computed map[string]cty.Value) cty.Value {
	u, _ := cfg.Unmark()
	attrs := map[string]cty.Value{}
	if u.IsKnown() && !u.IsNull() && u.Type().IsObjectType() {
		for k, v := range u.AsValueMap() {
			attrs[k] = v
		}
	}
	for k, v := range computed {
		if cur, ok := attrs[k]; ok {
			if uc, _ := cur.Unmark(); !(uc.IsKnown() && uc.IsNull()) {
				continue
			}
		}
		attrs[k] = v
	}
	return cty.ObjectVal(attrs)
}

func archiveAttrs(i inst, c map[string]cty.Value) {
	why := reason.Unknown(cty.String, i.Addr+": archive checksums are computed from the files when Terraform runs", i.Resource.Range)
	for _, a := range []string{"output_base64sha256", "output_base64sha512", "output_md5", "output_sha", "output_sha256", "output_sha512", "output_size"} {
		c[a] = why
	}
}

func (k *knowledge) Data(ei *eval.Instance) (cty.Value, hcl.Diagnostics) {
	i := inst{ei}
	p, r, a := i.partition(), i.region(), i.account()
	c := map[string]cty.Value{}
	var diags hcl.Diagnostics
	fromAWS := func(attr string) cty.Value {
		return reason.Symbolic(cty.String, i.Addr+"."+attr, fmt.Sprintf("%s.%s is read from AWS when Terraform plans", i.Addr, attr), i.Resource.Range)
	}
	switch i.Resource.Type {
	case "aws_caller_identity":
		c["account_id"], c["id"] = cty.StringVal(a), cty.StringVal(a)
		c["arn"], c["user_id"] = fromAWS("arn"), fromAWS("user_id")
	case "aws_region":
		name := cty.StringVal(r)
		if strings.HasPrefix(r, "<") {
			// The provider's region is a symbol: its value is unknown.
			name = reason.WithSymbol(reason.Unknown(cty.String, "the provider's region is "+r, i.Resource.Range), r)
		}
		for _, attr := range []string{"region", "name"} {
			if v := i.get(attr); v != cty.NilVal {
				name = v
			}
		}
		c["name"], c["region"], c["id"] = name, name, name
		c["endpoint"] = concat("ec2.", name, ".", dnsSuffix(eval.PartitionOf(r)))
		c["description"] = fromAWS("description")
	case "aws_partition":
		c["partition"], c["id"] = cty.StringVal(p), cty.StringVal(p)
		c["dns_suffix"] = cty.StringVal(dnsSuffix(p))
		rev := "com.amazonaws"
		switch p {
		case "aws-cn":
			rev = "cn.com.amazonaws"
		case "aws-us-gov":
			rev = "com.amazonaws"
		}
		c["reverse_dns_prefix"] = cty.StringVal(rev)
	case "aws_iam_policy_document":
		jsonV, minV, d := k.policyDocument(i)
		diags = append(diags, d...)
		c["json"], c["minified_json"] = jsonV, minV
		c["id"] = cty.StringVal(i.placeholder("id"))
	case "aws_iam_policy":
		k.managedPolicyData(i, c)
	case "aws_sqs_queue":
		name := i.get("name")
		c["arn"] = i.arn("sqs", r, a, name)
		c["url"] = concat("https://sqs.", r, ".", dnsSuffix(p), "/", a, "/", name)
		c["id"] = c["url"]
	case "aws_sns_topic":
		c["arn"] = i.arn("sns", r, a, i.get("name"))
		c["id"] = c["arn"]
	case "aws_s3_bucket":
		b := i.get("bucket")
		c["arn"], c["id"] = concat("arn:", p, ":s3:::", b), b
		c["bucket_domain_name"] = concat(b, ".s3.", dnsSuffix(p))
	case "aws_dynamodb_table":
		name := i.get("name")
		c["arn"], c["id"] = i.arn("dynamodb", r, a, concat("table/", name)), name
		c["stream_arn"] = fromAWS("stream_arn")
	case "aws_kinesis_stream":
		c["arn"] = i.arn("kinesis", r, a, concat("stream/", i.get("name")))
		c["id"] = c["arn"]
	case "aws_lambda_function":
		fn, q := i.functionARN(i.get("function_name"))
		if qv, ok := knownStr(i.get("qualifier")); ok {
			q = qv
		}
		c["arn"], c["id"] = fn, i.get("function_name")
		c["invoke_arn"] = concat("arn:", p, ":apigateway:", r, ":lambda:path/2015-03-31/functions/", fn, "/invocations")
		if q != "" {
			c["qualified_arn"] = concat(fn, ":", q)
		} else {
			c["qualified_arn"] = fromAWS("qualified_arn")
		}
		c["role"] = fromAWS("role")
	case "aws_kms_key":
		c["arn"] = k.kmsKeyARN(i, i.get("key_id"))
		c["id"] = i.get("key_id")
	case "aws_kms_alias":
		name := i.get("name")
		c["arn"], c["id"] = i.arn("kms", r, a, name), name
		c["target_key_arn"], c["target_key_id"] = fromAWS("target_key_arn"), fromAWS("target_key_id")
	case "aws_secretsmanager_secret":
		if arn, ok := isARN(i.get("arn")); ok {
			c["arn"], c["id"] = cty.StringVal(arn), cty.StringVal(arn)
		} else {
			c["arn"] = fromAWS("arn")
			c["id"] = c["arn"]
		}
	case "aws_cloudwatch_event_bus":
		name := i.get("name")
		c["arn"], c["id"] = i.arn("events", r, a, concat("event-bus/", name)), name
	case "aws_cloudwatch_log_group":
		name := i.get("name")
		c["arn"], c["id"] = i.arn("logs", r, a, concat("log-group:", name)), name
	case "aws_ssm_parameter":
		name := i.get("name")
		c["arn"], c["id"] = i.arn("ssm", r, a, concat("parameter", ssmSlash(name), name)), name
		c["value"] = fromAWS("value")
	case "aws_iam_role":
		c["arn"] = fromAWS("arn")
		c["id"] = i.get("name")
	case "archive_file":
		archiveAttrs(i, c)
		c["id"] = fromAWS("id")
	default:
		return reason.Symbolic(cty.DynamicPseudoType, i.Addr, fmt.Sprintf("%s is read from AWS when Terraform plans", i.Addr), i.Resource.Range), nil
	}
	return merge(i.Config, c), diags
}

// managedPolicyData resolves data "aws_iam_policy" from the catalog of AWS
// managed policies; customer managed policies live in the account and are
// unknown.
func (k *knowledge) managedPolicyData(i inst, c map[string]cty.Value) {
	key, ok := knownStr(i.get("arn"))
	if !ok {
		key, ok = knownStr(i.get("name"))
	}
	why := ""
	if ok && k.catalog != nil {
		if mp, found := k.catalog.ManagedPolicy(key); found {
			arn := mp.ARN
			if arn == "" {
				arn = "arn:" + i.partition() + ":iam::aws:policy" + mp.Path + mp.Name
			} else if i.partition() != "aws" {
				arn = strings.Replace(arn, "arn:aws:", "arn:"+i.partition()+":", 1)
			}
			c["arn"], c["id"], c["name"] = cty.StringVal(arn), cty.StringVal(arn), cty.StringVal(mp.Name)
			c["path"], c["policy"] = cty.StringVal(mp.Path), cty.StringVal(string(mp.Document))
			c["policy_id"] = reason.Unknown(cty.String, i.Addr+".policy_id is read from AWS", i.Resource.Range)
			return
		}
		why = fmt.Sprintf("%s: %q is not an AWS managed policy in the bundled catalog; a customer managed policy is read from the account", i.Addr, key)
	} else {
		why = i.Addr + ": the policy name or ARN is not known"
	}
	for _, a := range []string{"arn", "id", "policy", "path", "policy_id"} {
		c[a] = reason.Unknown(cty.String, why, i.Resource.Range)
	}
	if _, ok := knownStr(i.get("name")); !ok {
		c["name"] = reason.Unknown(cty.String, why, i.Resource.Range)
	}
}

// policyDocument renders data "aws_iam_policy_document".
func (k *knowledge) policyDocument(i inst) (cty.Value, cty.Value, hcl.Diagnostics) {
	plain, rs := reason.Of(i.Config)
	if !plain.IsWhollyKnown() {
		u := cty.UnknownVal(cty.String)
		for _, m := range rs {
			u = u.Mark(m)
		}
		// A document over symbolic values (a bucket named by a variable)
		// is still a document: its JSON with the symbols in it.
		if c, ok := reason.Concretize(i.Config); ok {
			if out, err := renderPolicyDocument(c, i.Resource.Range); err == nil {
				return reason.WithSymbol(u, out.JSON), reason.WithSymbol(u, out.MinifiedJSON), nil
			}
		}
		return u, u, nil
	}
	out, err := renderPolicyDocument(plain, i.Resource.Range)
	if err != nil {
		why := reason.Unknown(cty.String, i.Addr+": "+err.Error(), i.Resource.Range)
		return why, why, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Invalid IAM policy document",
			Detail: "writing IAM Policy Document: " + err.Error(), Subject: i.Resource.Range.Ptr()}}
	}
	return cty.StringVal(out.JSON), cty.StringVal(out.MinifiedJSON), nil
}

func renderPolicyDocument(plain cty.Value, rng hcl.Range) (policydoc.Output, error) {
	o := newObj(plain, nil, rng)
	cfg := policydoc.Config{
		Version:                 o.str("version"),
		PolicyID:                o.str("policy_id"),
		SourcePolicyDocuments:   o.strs("source_policy_documents"),
		OverridePolicyDocuments: o.strs("override_policy_documents"),
	}
	// Provider 4.x arguments, still seen in older code.
	if s := o.str("source_json"); s != "" {
		cfg.SourcePolicyDocuments = append([]string{s}, cfg.SourcePolicyDocuments...)
	}
	if s := o.str("override_json"); s != "" {
		cfg.OverridePolicyDocuments = append([]string{s}, cfg.OverridePolicyDocuments...)
	}
	for _, s := range o.blocks("statement") {
		st := policydoc.Statement{
			Sid: s.str("sid"), Effect: s.str("effect"),
			Actions: s.strs("actions"), NotActions: s.strs("not_actions"),
			Resources: s.strs("resources"), NotResources: s.strs("not_resources"),
		}
		for _, p := range s.blocks("principals") {
			st.Principals = append(st.Principals, policydoc.Principal{Type: p.str("type"), Identifiers: p.strs("identifiers")})
		}
		for _, p := range s.blocks("not_principals") {
			st.NotPrincipals = append(st.NotPrincipals, policydoc.Principal{Type: p.str("type"), Identifiers: p.strs("identifiers")})
		}
		for _, c := range s.blocks("condition") {
			st.Conditions = append(st.Conditions, policydoc.Condition{Test: c.str("test"), Variable: c.str("variable"), Values: c.strs("values")})
		}
		cfg.Statements = append(cfg.Statements, st)
	}
	return policydoc.Render(cfg)
}

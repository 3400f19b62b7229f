package terraform

import (
	"encoding/json"
	"strings"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
)

func newResource(i *instance, service string) (*inventory.Resource, obj) {
	r := &inventory.Resource{Origin: i.origin, Type: i.Resource.Type, Service: service,
		Account: i.Provider.Account, Region: i.Provider.Region}
	o := i.obj(&r.Unknown)
	r.ARN = o.str("arn")
	return r, o
}

func setAttr(r *inventory.Resource, k, v string) {
	if v == "" {
		return
	}
	if r.Attributes == nil {
		r.Attributes = map[string]string{}
	}
	r.Attributes[k] = v
}

// resourcePolicy reads the inline policy argument of a resource.
func resourcePolicy(i *instance, o obj, attr string) *inventory.Policy {
	if !o.has(attr) {
		o.known(attr, "policy") // records an unknown policy
		return nil
	}
	p := policyFrom(o, attr, attr, i.origin)
	return &p
}

func decodeBucket(b *builder, i *instance) {
	r, o := newResource(i, "s3")
	r.Name = o.str("bucket")
	r.Region = i.Provider.Region
	r.Policy = resourcePolicy(i, o, "policy")
	for _, sse := range o.blocks("server_side_encryption_configuration") {
		for _, rule := range sse.blocks("rule") {
			for _, d := range rule.blocks("apply_server_side_encryption_by_default") {
				if k := d.str("kms_master_key_id"); k != "" {
					r.KMSKeyARN = b.k.keyRef(i, k)
				}
				setAttr(r, "sse_algorithm", d.str("sse_algorithm"))
			}
		}
	}
	b.addResource(r)
}

func decodeBucketEncryption(b *builder, i *instance) {
	var unknown []inventory.Unknown
	o := i.obj(&unknown)
	bucket := o.str("bucket")
	if bucket == "" {
		b.unresolved(i.origin, "bucket encryption: the bucket is not known"+reasons(unknown))
		return
	}
	arn := "arn:" + i.Provider.Partition + ":s3:::" + bucket
	key, algo := "", ""
	for _, rule := range o.blocks("rule") {
		for _, d := range rule.blocks("apply_server_side_encryption_by_default") {
			if k := d.str("kms_master_key_id"); k != "" {
				key = b.k.keyRef(i, k)
			}
			algo = d.str("sse_algorithm")
		}
	}
	b.pendingFn = append(b.pendingFn, func() {
		r := b.resource(arn, "s3", i.origin)
		if key != "" {
			r.KMSKeyARN = key
		}
		setAttr(r, "sse_algorithm", algo)
	})
}

func decodeQueue(b *builder, i *instance) {
	r, o := newResource(i, "sqs")
	r.Name = o.str("name")
	r.URL = o.str("url")
	r.Policy = resourcePolicy(i, o, "policy")
	if k := o.str("kms_master_key_id"); k != "" {
		r.KMSKeyARN = b.k.keyRef(i, k)
	}
	if o.boolean("fifo_queue", false) {
		setAttr(r, "fifo", "true")
	}
	if o.has("redrive_policy") {
		if doc, ok := o.document("redrive_policy", "attributes.dead_letter_target"); ok && doc != nil {
			var rp struct {
				DeadLetterTargetArn string `json:"deadLetterTargetArn"`
			}
			if json.Unmarshal(doc, &rp) == nil {
				setAttr(r, "dead_letter_target", rp.DeadLetterTargetArn)
			}
		}
	}
	if r.URL != "" && r.ARN != "" {
		b.queueURLs[r.URL] = r.ARN
	}
	b.addResource(r)
}

func decodeTopic(b *builder, i *instance) {
	r, o := newResource(i, "sns")
	r.Name = o.str("name")
	r.Policy = resourcePolicy(i, o, "policy")
	if k := o.str("kms_master_key_id"); k != "" {
		r.KMSKeyARN = b.k.keyRef(i, k)
	}
	if o.boolean("fifo_topic", false) {
		setAttr(r, "fifo", "true")
	}
	b.addResource(r)
}

func decodeTable(b *builder, i *instance) {
	r, o := newResource(i, "dynamodb")
	r.Name = o.str("name")
	if s := o.str("stream_arn"); s != "" {
		r.StreamARNs = []string{s}
		setAttr(r, "stream_view_type", o.str("stream_view_type"))
	}
	if sse, ok := o.block("server_side_encryption"); ok && sse.boolean("enabled", false) {
		if k := sse.str("kms_key_arn"); k != "" {
			r.KMSKeyARN = k
		} else {
			setAttr(r, "sse", "aws-managed-kms")
		}
	}
	b.addResource(r)
}

func decodeStream(b *builder, i *instance) {
	r, o := newResource(i, "kinesis")
	r.Name = o.str("name")
	if o.str("encryption_type") == "KMS" {
		r.KMSKeyARN = b.k.keyRef(i, o.str("kms_key_id"))
	}
	b.addResource(r)
}

func decodeKey(b *builder, i *instance) {
	r, o := newResource(i, "kms")
	r.Name = o.str("key_id")
	r.Policy = resourcePolicy(i, o, "policy")
	setAttr(r, "key_usage", o.str("key_usage"))
	if r.Name != "" && r.ARN != "" {
		b.keyIDs[r.Name] = r.ARN
	}
	b.addResource(r)
}

func decodeKeyAlias(b *builder, i *instance) {
	r, o := newResource(i, "kms")
	r.Name = o.str("name")
	setAttr(r, "target_key_arn", o.str("target_key_arn"))
	b.addResource(r)
}

func decodeSecret(b *builder, i *instance) {
	r, o := newResource(i, "secretsmanager")
	r.Name = o.str("name")
	r.Policy = resourcePolicy(i, o, "policy")
	if k := o.str("kms_key_id"); k != "" {
		r.KMSKeyARN = b.k.keyRef(i, k)
	}
	b.addResource(r)
}

// decodeSimpleResource is a resource with an ARN, a name and optionally a
// KMS key argument.
func decodeSimpleResource(service, kmsAttr string) decoder {
	return func(b *builder, i *instance) {
		r, o := newResource(i, service)
		for _, n := range []string{"name", "bucket"} {
			if s := o.raw(n); s != ctyNil {
				r.Name = o.str(n)
				break
			}
		}
		if kmsAttr != "" {
			if k := o.str(kmsAttr); k != "" {
				r.KMSKeyARN = b.k.keyRef(i, k)
			}
		}
		if t := o.str("target_type"); t != "" {
			setAttr(r, "target_type", t)
		}
		b.addResource(r)
	}
}

// decodeBroker records an Amazon MQ broker; whether it is publicly
// accessible decides whether Lambda needs the VPC permissions to poll it.
func decodeBroker(b *builder, i *instance) {
	r, o := newResource(i, "mq")
	r.Name = o.str("broker_name")
	if o.boolean("publicly_accessible", false) {
		setAttr(r, "publicly_accessible", "true")
	}
	b.addResource(r)
}

// decodeDataResource records a resource the configuration only looks up.
func decodeDataResource(b *builder, i *instance, service string) {
	r, o := newResource(i, service)
	r.External = true
	r.Type = "data." + i.Resource.Type
	for _, n := range []string{"name", "bucket", "key_id"} {
		if o.has(n) {
			r.Name = o.str(n)
			break
		}
	}
	if r.ARN == "" {
		// an unresolvable lookup belongs to the unknown list, not to
		// resources nobody can join on
		b.unresolved(i.origin, i.Addr+": the ARN is not known"+reasons(r.Unknown))
		return
	}
	if u := o.str("url"); u != "" {
		r.URL = u
		b.queueURLs[u] = r.ARN
	}
	b.addResource(r)
}

// decodeResourcePolicy attaches a standalone policy resource to the
// resource it names (by ARN, bucket name, queue URL, key id, bus name …).
func decodeResourcePolicy(service, refAttr, policyAttr string) decoder {
	return func(b *builder, i *instance) {
		var unknown []inventory.Unknown
		o := i.obj(&unknown)
		ref := o.str(refAttr)
		pol := policyFrom(o, policyAttr, service+"-policy", i.origin)
		pol.Name = strings.TrimPrefix(pol.Name, "-")
		if ref == "" {
			b.unresolved(i.origin, i.Resource.Type+": the "+refAttr+" is not known"+reasons(unknown))
			return
		}
		p := i.Provider
		b.pendingFn = append(b.pendingFn, func() {
			arn := ref
			switch {
			case strings.HasPrefix(ref, "arn:"):
			case service == "s3":
				arn = "arn:" + p.Partition + ":s3:::" + ref
			case service == "sqs":
				a, ok := b.queueURLs[ref]
				if !ok {
					a = queueARNFromURL(ref, p.Partition)
				}
				arn = a
			case service == "kms":
				arn = b.k.keyRef(i, ref)
				if a, ok := b.keyIDs[ref]; ok {
					arn = a
				}
			case service == "events":
				arn = "arn:" + p.Partition + ":events:" + p.Region + ":" + p.Account + ":event-bus/" + ref
			case service == "execute-api":
				arn = "arn:" + p.Partition + ":execute-api:" + p.Region + ":" + p.Account + ":" + ref
			}
			if arn == "" {
				b.unresolved(i.origin, i.Resource.Type+": can not find the resource "+ref)
				return
			}
			b.pendingResPol = append(b.pendingResPol, pendingResourcePolicy{arn: arn, svc: service, policy: pol, origin: i.origin})
		})
	}
}

// queueARNFromURL turns https://sqs.REGION.amazonaws.com/ACCOUNT/NAME into
// the queue's ARN.
func queueARNFromURL(u, partition string) string {
	rest, ok := strings.CutPrefix(u, "https://")
	if !ok {
		return ""
	}
	parts := strings.Split(rest, "/")
	if len(parts) != 3 {
		return ""
	}
	host := strings.Split(parts[0], ".")
	if len(host) < 3 {
		return ""
	}
	region := host[1]
	if host[0] != "sqs" {
		region = host[0]
	}
	return "arn:" + partition + ":sqs:" + region + ":" + parts[1] + ":" + parts[2]
}

// keyRef resolves a KMS key argument to a key ARN where it can.
func (k *knowledge) keyRef(i *instance, ref string) string {
	v := k.kmsKeyARN(inst{i.Instance}, ctyString(ref))
	if s, ok := knownStr(v); ok {
		return s
	}
	// An alias: AWS resolves it; keep what the configuration says.
	return ref
}

func decodeBucketNotification(b *builder, i *instance) {
	var unknown []inventory.Unknown
	o := i.obj(&unknown)
	bucket := o.str("bucket")
	source := ""
	if bucket != "" {
		source = "arn:" + i.Provider.Partition + ":s3:::" + bucket
	}
	add := func(kind string, n obj, arnAttr string) {
		t := inventory.Trigger{Origin: i.origin, Kind: "push", Service: "s3", SourceARN: source, Enabled: true}
		t.Unknown = append(t.Unknown, unknown...)
		n.unknown, n.prefix = &t.Unknown, ""
		t.Target = n.strAs(arnAttr, "target")
		t.Events = n.strs("events")
		pre, suf := n.str("filter_prefix"), n.str("filter_suffix")
		if pre != "" || suf != "" {
			t.Filter = &inventory.Filter{Prefix: pre, Suffix: suf}
		}
		if kind == "lambda" {
			setFunctionTarget(i, &t)
		}
		b.inv.Triggers = append(b.inv.Triggers, t)
	}
	for _, n := range o.blocks("lambda_function") {
		add("lambda", n, "lambda_function_arn")
	}
	for _, n := range o.blocks("queue") {
		add("sqs", n, "queue_arn")
	}
	for _, n := range o.blocks("topic") {
		add("sns", n, "topic_arn")
	}
	if o.boolean("eventbridge", false) {
		b.inv.Triggers = append(b.inv.Triggers, inventory.Trigger{Origin: i.origin, Kind: "push", Service: "s3", SourceARN: source,
			Target: "arn:" + i.Provider.Partition + ":events:" + i.Provider.Region + ":" + i.Provider.Account + ":event-bus/default", Enabled: true, Events: []string{"eventbridge"}})
	}
}

// setFunctionTarget fills FunctionARN and Qualifier from a Lambda target.
func setFunctionTarget(i *instance, t *inventory.Trigger) {
	if t.Target == "" {
		return
	}
	p := i.Provider
	if strings.HasPrefix(t.Target, "arn:") && !strings.Contains(t.Target, ":lambda:") {
		return
	}
	t.FunctionARN, t.Qualifier = splitFunctionRef(t.Target, p.Partition, p.Region, p.Account)
}

func decodeSubscription(b *builder, i *instance) {
	t := inventory.Trigger{Origin: i.origin, Kind: "push", Service: "sns", Enabled: true}
	o := i.obj(&t.Unknown)
	t.SourceARN = o.strAs("topic_arn", "source_arn")
	t.Target = o.strAs("endpoint", "target")
	proto := o.str("protocol")
	t.Events = []string{"protocol:" + proto}
	if o.has("filter_policy") {
		if doc, ok := o.document("filter_policy", "filter.pattern"); ok && doc != nil {
			scope := o.str("filter_policy_scope")
			if scope == "" {
				scope = "MessageAttributes"
			}
			t.Filter = &inventory.Filter{Pattern: doc, Scope: scope}
		}
	}
	if proto == "lambda" {
		setFunctionTarget(i, &t)
	}
	b.inv.Triggers = append(b.inv.Triggers, t)
}

func decodeRotation(b *builder, i *instance) {
	t := inventory.Trigger{Origin: i.origin, Kind: "push", Service: "secretsmanager", Enabled: true, Events: []string{"rotation"}}
	o := i.obj(&t.Unknown)
	t.SourceARN = o.strAs("secret_id", "source_arn")
	t.Target = o.strAs("rotation_lambda_arn", "target")
	setFunctionTarget(i, &t)
	if t.Target == "" {
		// Managed rotation (no function) invokes nothing.
		return
	}
	b.pendingFn = append(b.pendingFn, func() {
		b.secretARN(&t)
		b.inv.Triggers = append(b.inv.Triggers, t)
	})
}

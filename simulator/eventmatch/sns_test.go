package eventmatch

import "testing"

const (
	snsPolicies    = "https://docs.aws.amazon.com/sns/latest/dg/example-filter-policies.html"
	snsString      = "https://docs.aws.amazon.com/sns/latest/dg/string-value-matching.html"
	snsNumeric     = "https://docs.aws.amazon.com/sns/latest/dg/numeric-value-matching.html"
	snsKeys        = "https://docs.aws.amazon.com/sns/latest/dg/attribute-key-matching.html"
	snsAndOr       = "https://docs.aws.amazon.com/sns/latest/dg/and-or-logic.html"
	snsConstraints = "https://docs.aws.amazon.com/sns/latest/dg/subscription-filter-policy-constraints.html"
	snsScope       = "https://docs.aws.amazon.com/sns/latest/dg/sns-message-filtering-scope.html"
)

// exampleAttributes are the attributes of the guide's example message.
var exampleAttributes = map[string]Attribute{
	"customer_interests": {Type: "String.Array", Value: `["soccer", "rugby", "hockey"]`},
	"store":              {Type: "String", Value: "example_corp"},
	"event":              {Type: "String", Value: "order_placed"},
	"price_usd":          {Type: "Number", Value: "210.75"},
}

type snsCase struct {
	name, page, policy string
	attrs              map[string]Attribute
	want               bool
}

func one(k, typ, v string) map[string]Attribute {
	return map[string]Attribute{k: {Type: typ, Value: v}}
}

var snsCases = []snsCase{
	{"policy accepts the example", snsPolicies, `{"store":["example_corp"],"event":[{"anything-but":"order_cancelled"}],"customer_interests":["rugby","football","baseball"],"price_usd":[{"numeric":[">=",100]}]}`, exampleAttributes, true},
	{"policy rejects the example", snsPolicies, `{"store":["example_corp"],"event":["order_cancelled"],"encrypted":[false],"customer_interests":["basketball","baseball"]}`, exampleAttributes, false},
	{"exact rugby", snsString, `{"customer_interests":["rugby","tennis"]}`, one("customer_interests", "String", "rugby"), true},
	{"exact tennis", snsString, `{"customer_interests":["rugby","tennis"]}`, one("customer_interests", "String", "tennis"), true},
	{"exact baseball", snsString, `{"customer_interests":["rugby","tennis"]}`, one("customer_interests", "String", "baseball"), false},
	{"exact is case-sensitive", snsString, `{"customer_interests":["rugby"]}`, one("customer_interests", "String", "Rugby"), false},
	{"anything-but baseball", snsString, `{"customer_interests":[{"anything-but":["rugby","tennis"]}]}`, one("customer_interests", "String", "baseball"), true},
	{"anything-but array with another value", snsString, `{"customer_interests":[{"anything-but":["rugby","tennis"]}]}`, one("customer_interests", "String.Array", `["rugby", "baseball"]`), true},
	{"anything-but rugby", snsString, `{"customer_interests":[{"anything-but":["rugby","tennis"]}]}`, one("customer_interests", "String", "rugby"), false},
	{"anything-but prefix", snsString, `{"event":[{"anything-but":{"prefix":"order-"}}]}`, one("event", "String", "data-entry"), true},
	{"anything-but prefix hit", snsString, `{"event":[{"anything-but":{"prefix":"order-"}}]}`, one("event", "String", "order-cancelled"), false},
	{"anything-but suffix", snsString, `{"customer_interests":[{"anything-but":{"suffix":"ball"}}]}`, one("customer_interests", "String", "rugby"), true},
	{"anything-but suffix hit", snsString, `{"customer_interests":[{"anything-but":{"suffix":"ball"}}]}`, one("customer_interests", "String", "baseball"), false},
	{"equals-ignore-case", snsString, `{"customer_interests":[{"equals-ignore-case":"tennis"}]}`, one("customer_interests", "String", "TENNIS"), true},
	{"equals-ignore-case miss", snsString, `{"customer_interests":[{"equals-ignore-case":"tennis"}]}`, one("customer_interests", "String", "rugby"), false},
	{"ip address", snsString, `{"source_ip":[{"cidr":"10.0.0.0/24"}]}`, one("source_ip", "String", "10.0.0.255"), true},
	{"ip address outside", snsString, `{"source_ip":[{"cidr":"10.0.0.0/24"}]}`, one("source_ip", "String", "10.1.1.0"), false},
	{"prefix baseball", snsString, `{"customer_interests":[{"prefix":"bas"}]}`, one("customer_interests", "String", "baseball"), true},
	{"prefix basketball", snsString, `{"customer_interests":[{"prefix":"bas"}]}`, one("customer_interests", "String", "basketball"), true},
	{"prefix rugby", snsString, `{"customer_interests":[{"prefix":"bas"}]}`, one("customer_interests", "String", "rugby"), false},
	{"suffix baseball", snsString, `{"customer_interests":[{"suffix":"ball"}]}`, one("customer_interests", "String", "baseball"), true},
	{"suffix rugby", snsString, `{"customer_interests":[{"suffix":"ball"}]}`, one("customer_interests", "String", "rugby"), false},
	{"numeric equals", snsNumeric, `{"price_usd":[{"numeric":["=",301.5]}]}`, one("price_usd", "Number", "301.5"), true},
	{"numeric equals exponent", snsNumeric, `{"price_usd":[{"numeric":["=",301.5]}]}`, one("price_usd", "Number", "3.015e2"), true},
	{"numeric anything-but 101", snsNumeric, `{"price":[{"anything-but":[100,500]}]}`, one("price", "Number", "101"), true},
	{"numeric anything-but 100.1", snsNumeric, `{"price":[{"anything-but":[100,500]}]}`, one("price", "Number", "100.1"), true},
	{"numeric anything-but array", snsNumeric, `{"price":[{"anything-but":[100,500]}]}`, one("price", "Number.Array", "[100, 50]"), true},
	{"numeric anything-but 100", snsNumeric, `{"price":[{"anything-but":[100,500]}]}`, one("price", "Number", "100"), false},
	{"numeric negative", snsNumeric, `{"price_usd":[{"numeric":["<",0]}]}`, one("price_usd", "Number", "-3"), true},
	{"numeric negative miss", snsNumeric, `{"price_usd":[{"numeric":["<",0]}]}`, one("price_usd", "Number", "3"), false},
	{"numeric range", snsNumeric, `{"price_usd":[{"numeric":[">",0,"<=",150]}]}`, one("price_usd", "Number", "150"), true},
	{"numeric range above", snsNumeric, `{"price_usd":[{"numeric":[">",0,"<=",150]}]}`, one("price_usd", "Number", "150.01"), false},
	{"numeric on a String attribute", snsNumeric, `{"price_usd":[{"numeric":[">",0]}]}`, one("price_usd", "String", "5"), false},
	{"exists true", snsKeys, `{"store":[{"exists":true}]}`, map[string]Attribute{"store": {Type: "String", Value: "fans"}, "customer_interests": {Type: "String.Array", Value: `["baseball", "basketball"]`}}, true},
	{"exists true, missing", snsKeys, `{"store":[{"exists":true}]}`, one("customer_interests", "String.Array", `["baseball", "basketball"]`), false},
	{"exists false, present", snsKeys, `{"store":[{"exists":false}]}`, map[string]Attribute{"store": {Type: "String", Value: "fans"}}, false},
	{"exists false, missing", snsKeys, `{"store":[{"exists":false}]}`, one("customer_interests", "String.Array", `["baseball", "basketball"]`), true},
	{"and", snsAndOr, `{"customer_interests":["rugby"],"price_usd":[{"numeric":[">",100]}]}`, map[string]Attribute{"customer_interests": {Type: "String", Value: "rugby"}, "price_usd": {Type: "Number", Value: "101"}}, true},
	{"and, one fails", snsAndOr, `{"customer_interests":["rugby"],"price_usd":[{"numeric":[">",100]}]}`, map[string]Attribute{"customer_interests": {Type: "String", Value: "rugby"}, "price_usd": {Type: "Number", Value: "100"}}, false},
	{"or values", snsAndOr, `{"customer_interests":["rugby","football","baseball"]}`, one("customer_interests", "String", "football"), true},
	{"$or across keys", snsAndOr, `{"source":["aws.cloudwatch"],"$or":[{"metricName":["CPUUtilization","ReadLatency"]},{"namespace":["AWS/EC2","AWS/ES"]}]}`, map[string]Attribute{"source": {Type: "String", Value: "aws.cloudwatch"}, "namespace": {Type: "String", Value: "AWS/ES"}}, true},
	{"$or across keys, neither", snsAndOr, `{"source":["aws.cloudwatch"],"$or":[{"metricName":["CPUUtilization","ReadLatency"]},{"namespace":["AWS/EC2","AWS/ES"]}]}`, map[string]Attribute{"source": {Type: "String", Value: "aws.cloudwatch"}, "namespace": {Type: "String", Value: "AWS/RDS"}}, false},
	{"binary attributes are ignored", snsConstraints, `{"blob":[{"exists":true}]}`, one("blob", "Binary", "AAEC"), false},
}

func TestSNSDocumentedExamples(t *testing.T) {
	for _, c := range snsCases {
		t.Run(c.name, func(t *testing.T) {
			f, err := CompileFilterPolicy([]byte(c.policy), "")
			if err != nil {
				t.Fatalf("%s: %v", c.page, err)
			}
			r := f.MatchMessage(c.attrs, "")
			if r.Matched() != c.want {
				t.Fatalf("%s: match = %v (%+v), want %v", c.page, r.Matched(), r, c.want)
			}
		})
	}
}

func TestSNSMessageBodyScope(t *testing.T) {
	policy := `{"store":["example_corp"],"customer":{"interests":[{"prefix":"bas"}]},"price_usd":[{"numeric":[">=",100]}]}`
	if _, err := CompileFilterPolicy([]byte(policy), ScopeAttributes); err == nil {
		t.Fatalf("%s: nested keys need MessageBody scope", snsScope)
	}
	f, err := CompileFilterPolicy([]byte(policy), ScopeBody)
	if err != nil {
		t.Fatal(err)
	}
	body := `{"store":"example_corp","customer":{"interests":["rugby","basketball"]},"price_usd":210.75}`
	if r := f.MatchMessage(nil, body); !r.Matched() {
		t.Fatalf("%s: %+v", snsScope, r)
	}
	if r := f.MatchMessage(exampleAttributes, `{"store":"other","customer":{"interests":["bass"]},"price_usd":200}`); r.Matched() || r.Field != "store" {
		t.Fatalf("body scope ignores attributes: %+v", r)
	}
	if r := f.MatchMessage(nil, "plain text"); r.Matched() {
		t.Fatal("a non-JSON body matched a MessageBody policy")
	}
}

func TestSNSCombinations(t *testing.T) {
	for _, c := range []struct {
		policy string
		want   int
	}{
		{`{"key_a":["value_one","value_two","value_three"],"key_b":["value_one"],"key_c":["value_one","value_two"]}`, 6},
		{`{"source":["aws.cloudwatch"],"$or":[{"metricName":["CPUUtilization","ReadLatency"]},{"namespace":["AWS/EC2","AWS/ES"]}]}`, 4},
		{`{"a":["1","2","3","4","5","6"],"b":["1","2","3","4","5"],"c":["1","2","3","4","5","6"]}`, 180},
	} {
		f, err := CompileFilterPolicy([]byte(c.policy), "")
		if err != nil {
			t.Fatal(err)
		}
		if f.Combinations != c.want {
			t.Errorf("%s: %s: combinations %d, want %d", snsConstraints, c.policy, f.Combinations, c.want)
		}
	}
}

func TestParseAttributesBothForms(t *testing.T) {
	a, err := ParseAttributes([]byte(`{"k":{"Type":"String","Value":"v"},"n":{"DataType":"Number","StringValue":"5"}}`))
	if err != nil {
		t.Fatal(err)
	}
	if a["k"].Value != "v" || a["n"].Type != "Number" || a["n"].Value != "5" {
		t.Fatalf("%+v", a)
	}
}

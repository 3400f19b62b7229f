package eventsource

import "testing"

func TestKnownInvoker(t *testing.T) {
	for p, want := range map[string]bool{
		"ses.amazonaws.com":                      true,
		"SES.amazonaws.com":                      true, // IAM ignores case in principals
		"alexa-appkit.amazon.com":                true,
		"alexa-connectedhome.amazon.com":         true,
		"pinpoint.eu-west-1.amazonaws.com":       true, // regional form, any region
		"logs.eu-west-1.amazonaws.com":           true,
		"logs.amazonaws.com":                     true,
		"scheduler.amazonaws.com":                true, // a role-based invoker
		"transfer.amazonaws.com":                 true, // documented, not a trigger
		"lambda.alarms.cloudwatch.amazonaws.com": true,
		"alexa-appkit.amazonaws.com":             false,
		"pinpoint.amazonaws.com":                 false, // Pinpoint's principal is regional only
		"pinpoint..amazonaws.com":                false,
		"pinpoint.a.b.amazonaws.com":             false,
		"s3.amazonaws.co":                        false,
	} {
		if got := KnownInvoker(p); got != want {
			t.Errorf("KnownInvoker(%q) = %v, want %v", p, got, want)
		}
	}
}

func TestSuggest(t *testing.T) {
	for p, want := range map[string]string{
		"alexa-appkit.amazonaws.com":                     "alexa-appkit.amazon.com",
		"alexa-connectedhome.amazonaws.com":              "alexa-connectedhome.amazon.com",
		"sns.amazonaws.co":                               "sns.amazonaws.com",
		"lambda.alarms.cloudwatch.amazonaws.com.example": "lambda.alarms.cloudwatch.amazonaws.com",
		"bedrock-agent.amazonaws.com":                    "bedrock.amazonaws.com",
		"example.internal.corp":                          "",
	} {
		if got := Suggest(p); got != want {
			t.Errorf("Suggest(%q) = %q, want %q", p, got, want)
		}
	}
}

func TestIsServicePrincipal(t *testing.T) {
	for p, want := range map[string]bool{
		"ses.amazonaws.com":              true,
		"alexa-appkit.amazon.com":        true,
		"*":                              false,
		"123456789012":                   false,
		"arn:aws:iam::123456789012:root": false,
		"<aws_iam_role.r.arn>":           false,
		"":                               false,
		"AWS":                            false,
	} {
		if got := IsServicePrincipal(p); got != want {
			t.Errorf("IsServicePrincipal(%q) = %v, want %v", p, got, want)
		}
	}
}

// The Alexa sources are pinned by lambda:EventSourceToken, as the shared
// reference says; sources with an ARN are not.
func TestTokenPin(t *testing.T) {
	r := Default()
	for typ, want := range map[string]bool{"alexa": true, "alexa_smart_home": true, "ses": false, "config": false} {
		p, ok := r.Push(typ)
		if !ok || p.TokenPin != want {
			t.Errorf("%s: known %v, token pin %v, want %v", typ, ok, p.TokenPin, want)
		}
	}
}

// FuzzSuggest: any text gives either no suggestion or a known invoker,
// never a panic, and the edit distance is a metric bounded by the longer
// string.
func FuzzSuggest(f *testing.F) {
	for _, s := range []string{"alexa-appkit.amazonaws.com", "pinpoint.amazonaws.com", "", "ß.amazonaws.com", "*", "123456789012", "x.y"} {
		f.Add(s, "ses.amazonaws.com")
	}
	f.Fuzz(func(t *testing.T, p, q string) {
		if s := Suggest(p); s != "" && !KnownInvoker(s) {
			t.Fatalf("Suggest(%q) = %q, which is not known", p, s)
		}
		if len(p) > 300 || len(q) > 300 {
			return
		}
		d := editDistance(p, q)
		if d != editDistance(q, p) || d > max(len(p), len(q)) || (d == 0) != (p == q) {
			t.Fatalf("editDistance(%q, %q) = %d", p, q, d)
		}
		_ = IsServicePrincipal(p)
	})
}

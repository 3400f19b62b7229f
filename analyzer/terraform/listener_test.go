package terraform

import (
	"encoding/json"
	"strings"
	"testing"
)

const listenerSource = `
provider "aws" {
  region = "eu-west-1"
}
resource "aws_lb" "front" {
  name = "front"
}
resource "aws_lb_target_group" "a" {
  name        = "a"
  target_type = "lambda"
}
resource "aws_lb_target_group" "b" {
  name        = "b"
  target_type = "lambda"
}
resource "aws_alb_listener" "https" {
  load_balancer_arn = aws_lb.front.arn
  port              = 443
  protocol          = "HTTPS"
  default_action {
    type = "fixed-response"
    fixed_response {
      content_type = "text/plain"
      status_code  = "404"
    }
  }
}
resource "aws_lb_listener_rule" "split" {
  listener_arn = aws_alb_listener.https.arn
  priority     = 7
  action {
    type  = "authenticate-oidc"
    order = 1
  }
  action {
    type  = "forward"
    order = 2
    forward {
      target_group {
        arn    = aws_lb_target_group.a.arn
        weight = 3
      }
      target_group {
        arn    = aws_lb_target_group.b.arn
        weight = 1
      }
    }
  }
  condition {
    http_header {
      http_header_name = "X-Env"
      values           = ["prod*"]
    }
  }
  condition {
    query_string {
      key   = "v"
      value = "2"
    }
    query_string {
      value = "beta"
    }
  }
  condition {
    path_pattern {
      regex_values = ["^/api/v[0-9]+/"]
    }
  }
  condition {
    source_ip {
      values = ["10.0.0.0/8"]
    }
  }
}
resource "aws_lb_listener_rule" "later" {
  listener_arn = aws_alb_listener.https.arn
  action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.a.arn
  }
  condition {
    host_header {
      values = ["*.example.com"]
    }
  }
  condition {
    http_request_method {
      values = ["GET"]
    }
  }
}
`

func TestListenersAndRulesLoad(t *testing.T) {
	inv := loadSource(t, map[string]string{"main.tf": listenerSource})
	l := findResource(inv, "aws_alb_listener.https")
	if l == nil {
		t.Fatal("the listener is not loaded")
	}
	if !strings.Contains(l.ARN, ":listener/app/front/<aws_lb.front.lb_id>/") || l.Attributes["port"] != "443" || l.Attributes["protocol"] != "HTTPS" ||
		l.Attributes["default_actions"] != `[{"type":"fixed-response"}]` || !strings.Contains(l.Attributes["load_balancer_arn"], ":loadbalancer/app/front/") {
		t.Fatalf("%+v", l)
	}
	split := findResource(inv, "aws_lb_listener_rule.split")
	if split == nil || split.Attributes["listener_arn"] != l.ARN || split.Attributes["priority"] != "7" {
		t.Fatalf("%+v", split)
	}
	var acts []albAction
	if err := json.Unmarshal([]byte(split.Attributes["actions"]), &acts); err != nil {
		t.Fatal(err)
	}
	if len(acts) != 2 || acts[0].Type != "authenticate-oidc" || acts[1].Type != "forward" || len(acts[1].TargetGroups) != 2 ||
		acts[1].TargetGroups[0].Weight != 3 || !strings.Contains(acts[1].TargetGroups[1].ARN, ":targetgroup/b/") {
		t.Fatalf("%s", split.Attributes["actions"])
	}
	var conds []albCondition
	if err := json.Unmarshal([]byte(split.Attributes["conditions"]), &conds); err != nil {
		t.Fatal(err)
	}
	want := `[{"field":"http-header","header":"X-Env","values":["prod*"]},{"field":"query-string","query":[["v","2"],["","beta"]]},` +
		`{"field":"path-pattern","regex":["^/api/v[0-9]+/"]},{"field":"source-ip","values":["10.0.0.0/8"]}]`
	if got := plainJSON(conds); got != want {
		t.Fatalf("conditions:\n%s\nwant\n%s", got, want)
	}
	later := findResource(inv, "aws_lb_listener_rule.later")
	if later == nil || later.Attributes["priority"] != "" || !strings.Contains(later.Attributes["conditions"], `"host-header"`) ||
		!strings.Contains(later.Attributes["conditions"], `"http-request-method","values":["GET"]`) {
		t.Fatalf("%+v", later)
	}
	for _, s := range inv.Skipped {
		if strings.Contains(s.Type, "listener") {
			t.Errorf("%s is still skipped", s.Type)
		}
	}
}

func TestListenerRuleKeepsUnresolvedValuesAsSymbols(t *testing.T) {
	inv := loadSource(t, map[string]string{"main.tf": `
variable "listener" {}
variable "paths" {}
resource "aws_lb_listener_rule" "r" {
  listener_arn = var.listener
  priority     = 3
  action {
    type = "fixed-response"
  }
  condition {
    path_pattern {
      values = var.paths
    }
  }
}
`})
	r := findResource(inv, "aws_lb_listener_rule.r")
	// The trace reads a symbol as "not known": the rule may belong to any
	// listener, and its condition is undecided.
	if r == nil || r.Attributes["listener_arn"] != "<var.listener>" || !strings.Contains(r.Attributes["conditions"], `"<var.paths>"`) {
		t.Fatalf("%+v", r)
	}
}

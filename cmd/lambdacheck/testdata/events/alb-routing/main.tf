# One HTTPS listener in front of three functions. Listener rules route by
# priority: /api/orders* to orders (10), any other /api/* to api (20),
# requests with the X-Canary header shared 90/10 between api and orders
# (5), admin.acme.example to a fixed response (1); the default action
# forwards to web.

provider "aws" {
  region                      = "eu-west-1"
  access_key                  = "AKIAIOSFODNN7EXAMPLE"
  secret_key                  = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
}

locals {
  functions = ["orders", "api", "web"]
}

resource "aws_iam_role" "fn" {
  for_each = toset(local.functions)
  name     = "acme-alb-${each.key}"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_lambda_function" "fn" {
  for_each      = toset(local.functions)
  function_name = "acme-alb-${each.key}"
  role          = aws_iam_role.fn[each.key].arn
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "build/${each.key}.zip"
}

resource "aws_lb" "front" {
  name               = "acme-front"
  load_balancer_type = "application"
  subnets            = ["subnet-0a1b2c3d", "subnet-4e5f6a7b"]
}

resource "aws_lb_target_group" "fn" {
  for_each    = toset(local.functions)
  name        = "acme-${each.key}"
  target_type = "lambda"
}

resource "aws_lambda_permission" "alb" {
  for_each      = toset(local.functions)
  statement_id  = "AllowALB"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.fn[each.key].function_name
  principal     = "elasticloadbalancing.amazonaws.com"
  source_arn    = aws_lb_target_group.fn[each.key].arn
}

resource "aws_lb_target_group_attachment" "fn" {
  for_each         = toset(local.functions)
  target_group_arn = aws_lb_target_group.fn[each.key].arn
  target_id        = aws_lambda_function.fn[each.key].arn
  depends_on       = [aws_lambda_permission.alb]
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.front.arn
  port              = 443
  protocol          = "HTTPS"
  certificate_arn   = "arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.fn["web"].arn
  }
}

resource "aws_lb_listener_rule" "admin" {
  listener_arn = aws_lb_listener.https.arn
  priority     = 1

  action {
    type = "fixed-response"
    fixed_response {
      content_type = "text/plain"
      message_body = "not here"
      status_code  = "403"
    }
  }

  condition {
    host_header {
      values = ["admin.acme.example"]
    }
  }
}

resource "aws_lb_listener_rule" "canary" {
  listener_arn = aws_lb_listener.https.arn
  priority     = 5

  action {
    type = "forward"
    forward {
      target_group {
        arn    = aws_lb_target_group.fn["api"].arn
        weight = 90
      }
      target_group {
        arn    = aws_lb_target_group.fn["orders"].arn
        weight = 10
      }
    }
  }

  condition {
    http_header {
      http_header_name = "X-Canary"
      values           = ["yes", "true"]
    }
  }
}

resource "aws_lb_listener_rule" "orders" {
  listener_arn = aws_lb_listener.https.arn
  priority     = 10

  action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.fn["orders"].arn
  }

  condition {
    path_pattern {
      values = ["/api/orders", "/api/orders/*"]
    }
  }

  condition {
    http_request_method {
      values = ["GET", "POST"]
    }
  }
}

resource "aws_lb_listener_rule" "api" {
  listener_arn = aws_lb_listener.https.arn
  priority     = 20

  action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.fn["api"].arn
  }

  condition {
    path_pattern {
      values = ["/api/*"]
    }
  }

  condition {
    query_string {
      key   = "version"
      value = "v2*"
    }
    query_string {
      value = "beta"
    }
  }
}

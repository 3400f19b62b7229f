# Policy document rendering cases checked against the provider: set
# arguments de-duplicated and reverse sorted, principals merged by type,
# condition values kept in order, "&{" interpolation, source and override
# documents merged by Sid, Id and Version adoption.
provider "aws" {
  region                      = "us-east-1"
  access_key                  = "AKIAIOSFODNN7EXAMPLE"
  secret_key                  = "x"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
}
data "aws_iam_policy_document" "a" {
  statement {
    sid = "B"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload", "s3:GetObject"]
    resources = ["arn:aws:s3:::b/*", "arn:aws:s3:::a/*", "arn:aws:s3:::c/&{aws:username}/*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111111111111:root", "arn:aws:iam::222222222222:root"]
    }
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
    principals {
      type        = "AWS"
      identifiers = ["333333333333"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = ["2", "1", "3"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = ["9"]
    }
    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:aws:s3:::x<y>&z"]
    }
  }
  statement {
    effect = "Deny"
    not_actions = ["iam:*"]
    not_resources = ["*"]
    principals {
      type = "*"
      identifiers = ["*"]
    }
  }
  statement {
    actions = ["sqs:SendMessage"]
    resources = ["*"]
    principals {
      type = "AWS"
      identifiers = ["*"]
    }
    not_principals {
      type = "AWS"
      identifiers = ["arn:aws:iam::1:root"]
    }
  }
}
data "aws_iam_policy_document" "src" {
  source_policy_documents = [jsonencode({
    Version = "2008-10-17"
    Id = "srcid"
    Statement = [{
      Sid = "A2"
      Effect = "Allow"
      Action = ["z:b","z:a"]
      Resource = "*"
      Principal = {AWS = ["b","a"], Service="s"}
      Condition = {StringLike = {"k" = ["2","1"]}}
    }, {Action = "noeffect", Principal = "*"}]
  }), data.aws_iam_policy_document.a.json]
  override_policy_documents = [jsonencode({
    Statement = [{Sid = "B", Effect = "Deny", Action = "x:y", Resource = "*"}, {Effect = "Allow", Action = "o:p", NotResource = ["1"]}]
  })]
  statement {
    sid = "A"
    actions = ["q:q"]
  }
  statement {
    actions = ["r:r"]
  }
}
data "aws_iam_policy_document" "empty" {
  policy_id = "pid"
  version = "2008-10-17"
  statement {
    actions = ["a:b"]
    resources = ["*"]
  }
}
output "a" { value = data.aws_iam_policy_document.a.json }
output "src" { value = data.aws_iam_policy_document.src.json }
output "empty" { value = data.aws_iam_policy_document.empty.json }
output "amin" { value = data.aws_iam_policy_document.a.minified_json }

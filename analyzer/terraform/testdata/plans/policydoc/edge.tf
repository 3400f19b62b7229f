# Source documents as the provider reads them: principal lists reverse
# sorted, single-element condition lists collapsed, booleans as strings,
# numeric condition values dropped, empty Condition omitted.
data "aws_iam_policy_document" "sources" {
  source_policy_documents = [<<JSON
{"Statement":[{"Effect":"Allow","Action":["a:a"],"Resource":"r1","Principal":{"AWS":"*"},"Condition":{"StringLike":{"k":"1", "j":["x"], "m": ["a", "b"]},"NumericLessThan":{"n":5, "o": "6"},"Bool":{"aws:SecureTransport":true}}},
{"Effect":"Allow","Principal":"*","Action":"x:y","Resource":"*","Condition":{}},
{"Effect":"Allow","Principal":{"AWS":["c","a","b"], "Federated": "f", "Service": ["s1"]},"Action":"x:y","Resource":"*"}]}
JSON
  ]
}

# A statement per dynamic block, legacy provider arguments and no
# statements from the data source itself.
locals {
  grants = {
    read  = ["s3:GetObject", "s3:ListBucket"]
    write = ["s3:PutObject"]
  }
}

data "aws_iam_policy_document" "dynamic" {
  dynamic "statement" {
    for_each = local.grants
    content {
      sid       = title(statement.key)
      actions   = statement.value
      resources = ["arn:aws:s3:::bucket-${statement.key}/*"]
    }
  }
  override_policy_documents = [data.aws_iam_policy_document.empty.json]
}

output "sources" { value = data.aws_iam_policy_document.sources.json }
output "dynamic" { value = data.aws_iam_policy_document.dynamic.json }

# Lexically after override.tf, so this prefix wins.
locals {
  prefix = "acme-${var.stage}-eu"
}

provider "aws" {
  region = "eu-central-1"
}

expect "uploads trigger thumbnails" {
  flow   = "aws_s3_bucket.uploads -> aws_lambda_function.thumbnail"
  result = "allowed"
}

expect "thumbnail cannot delete originals" {
  function = "aws_lambda_function.thumbnail"
  action   = "s3:DeleteObject"
  resource = "arn:aws:s3:::acme-photos-uploads/*"
  result   = "denied"
}

expect "thumbnail writes thumbnails" {
  function = "aws_lambda_function.*"
  action   = "s3:PutObject"
  resource = "aws_s3_bucket.thumbnails"
  result   = "allowed"
}

expect "nothing public" {
  principal = "*"
  result    = "denied"
}

expect "one trigger, allowed" {
  count  = "invoke"
  result = "allowed"
  min    = 1
  max    = 1
}

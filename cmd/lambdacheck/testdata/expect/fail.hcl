expect "the partner cannot invoke anything" {
  principal = "444455556666"
  result    = "denied"
}

expect "thumbnail cannot delete thumbnails" {
  function = "aws_lambda_function.thumbnail"
  action   = "s3:DeleteObject"
  resource = "arn:aws:s3:::acme-photos-thumbnails/*"
  result   = "denied"
}

expect "uploads trigger thumbnails" {
  flow   = "aws_s3_bucket.uploads -> aws_lambda_function.thumbnail"
  result = "allowed"
}

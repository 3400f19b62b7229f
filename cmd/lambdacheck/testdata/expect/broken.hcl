expect "typo" {
  flow   = "a -> b"
  reslt  = "allowed"
}

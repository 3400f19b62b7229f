package awsref

// IsAccountID reports whether s is an AWS account id: exactly 12 ASCII
// digits.
func IsAccountID(s string) bool { return len(s) == 12 && IsDigits(s) }

// IsDigits reports whether s is a non-empty run of ASCII digits, such as a
// published Lambda version number.
func IsDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

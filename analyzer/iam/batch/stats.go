package batch

import "fmt"

// Err is an error when some lines could not be decided: every line has
// been answered, and the error tells a caller that some answers are errors
// rather than decisions.
func (s Stats) Err() error {
	if s.Errors == 0 {
		return nil
	}
	return fmt.Errorf("%d of %d lines could not be decided (see their \"error\" fields)", s.Errors, s.Lines)
}

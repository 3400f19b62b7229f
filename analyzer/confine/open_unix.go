//go:build unix

package confine

import "syscall"

// openFlags keeps an open from blocking should the file turn into a FIFO
// between the check and the open.
const openFlags = syscall.O_NONBLOCK

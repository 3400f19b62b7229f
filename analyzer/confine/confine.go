// Package confine is the one way lambdacheck reads an input file:
// every path is resolved (symlinks followed) and must land inside the scan
// root, only regular files are opened, and what is read is bounded after
// opening, whatever size the file system reports. lambdacheck runs on
// pull requests written by others, so a configuration must not make it
// read the runner's files (/etc/passwd, /proc/self/environ), block on a
// FIFO or read a device until out of memory.
//
// Pipeline place: used by the Terraform source (packages config, funcs,
// eval) for configuration files, module directories, tfvars and the files
// Terraform functions name, with the scan root; and, through a nil *Root
// (regular files, bounded, no system trees), by every other input: rules,
// settings, baselines, snapshots and authz files.
package confine

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// MaxFileSize bounds what is read of one input file.
const MaxFileSize = 16 << 20

// Root is the directory inputs must resolve into. A nil *Root confines
// nothing but still reads only bounded regular files outside the system
// trees; it is for inputs the user names on the command line.
type Root struct {
	dir          string // absolute, symlinks resolved
	allowOutside bool
}

// ReadInput reads a file named by the user (a rule, settings, a baseline,
// a snapshot): a bounded regular file, not a device, FIFO or system file.
func ReadInput(path string) ([]byte, error) { return (*Root)(nil).ReadFile(path) }

// New returns the root at dir. allowOutside lets regular files outside it
// be read (--allow-read-outside-root); system trees stay refused.
func New(dir string, allowOutside bool) (*Root, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("scan root %s: %w", dir, err)
	}
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return nil, fmt.Errorf("scan root %s: %w", dir, err)
	}
	info, err := os.Stat(real)
	if err != nil {
		return nil, fmt.Errorf("scan root %s: %w", dir, err)
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("scan root %s: not a directory", dir)
	}
	return &Root{dir: real, allowOutside: allowOutside}, nil
}

// Find returns the default scan root of path: the nearest directory at or
// above it holding a .git entry (the Git work tree), else path itself (its
// directory when path is a file).
func Find(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	start := abs
	if info, err := os.Stat(abs); err == nil && !info.IsDir() {
		start = filepath.Dir(abs)
	}
	for d := start; ; {
		if _, err := os.Lstat(filepath.Join(d, ".git")); err == nil {
			return d, nil
		}
		parent := filepath.Dir(d)
		if parent == d {
			return start, nil
		}
		d = parent
	}
}

// OutsideError is a path that resolves outside the scan root.
type OutsideError struct {
	Path string // as the configuration names it
}

func (e *OutsideError) Error() string {
	return fmt.Sprintf("%s resolves outside the scan root; it is not read (--root sets the root, --allow-read-outside-root lifts this)", e.Path)
}

// NotRegularError is a path that is not a regular file (a device, FIFO,
// socket, directory) or lies in a system tree such as /proc or /dev. Such
// paths are refused whatever the flags.
type NotRegularError struct {
	Path string
	Kind string
}

func (e *NotRegularError) Error() string {
	return fmt.Sprintf("%s is %s; only regular files are read", e.Path, e.Kind)
}

// TooLargeError is a file longer than the limit.
type TooLargeError struct {
	Path  string
	Limit int64
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("%s is larger than %d bytes; larger files are not read", e.Path, e.Limit)
}

// systemTrees hold pseudo files whose content describes the running
// process or machine (/proc/self/environ reports as a regular file).
var systemTrees = []string{"/proc", "/dev", "/sys"}

// Resolve follows the symlinks of path and checks the result against the
// root. The error wraps fs.ErrNotExist for a missing path.
func (r *Root) Resolve(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return "", err
	}
	for _, t := range systemTrees {
		if within(t, real) {
			return "", &NotRegularError{Path: path, Kind: "in the system tree " + t}
		}
	}
	if r != nil && !r.allowOutside && !within(r.dir, real) {
		return "", &OutsideError{Path: path}
	}
	return real, nil
}

func within(root, p string) bool {
	if p == root {
		return true
	}
	if !strings.HasSuffix(root, string(filepath.Separator)) {
		root += string(filepath.Separator)
	}
	return strings.HasPrefix(p, root)
}

// Stat resolves path and returns the information of what it names.
func (r *Root) Stat(path string) (fs.FileInfo, error) {
	real, err := r.Resolve(path)
	if err != nil {
		return nil, err
	}
	return os.Stat(real)
}

// CheckDir tells whether path is a directory inside the root.
func (r *Root) CheckDir(path string) error {
	info, err := r.Stat(path)
	if err != nil {
		return err
	}
	if !info.IsDir() {
		return &NotRegularError{Path: path, Kind: "not a directory"}
	}
	return nil
}

// ReadFile reads the regular file at path, at most MaxFileSize bytes.
func (r *Root) ReadFile(path string) ([]byte, error) {
	real, err := r.Resolve(path)
	if err != nil {
		return nil, err
	}
	// Checked before opening, as opening a FIFO for reading blocks until
	// a writer comes; checked again on the open file against a swap.
	info, err := os.Stat(real)
	if err != nil {
		return nil, err
	}
	if kind := notRegular(info); kind != "" {
		return nil, &NotRegularError{Path: path, Kind: kind}
	}
	f, err := os.OpenFile(real, os.O_RDONLY|openFlags, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if info, err = f.Stat(); err != nil {
		return nil, err
	}
	if kind := notRegular(info); kind != "" {
		return nil, &NotRegularError{Path: path, Kind: kind}
	}
	// The size Stat reports is not trusted: read one byte past the cap.
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxFileSize {
		return nil, &TooLargeError{Path: path, Limit: MaxFileSize}
	}
	return data, nil
}

func notRegular(info fs.FileInfo) string {
	m := info.Mode()
	switch {
	case m.IsRegular():
		return ""
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a FIFO"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	default:
		return "not a regular file"
	}
}

// Refused tells whether err is a confinement refusal (outside the root,
// not a regular file, too large) rather than a read failure.
func Refused(err error) bool {
	var o *OutsideError
	var n *NotRegularError
	var t *TooLargeError
	return errors.As(err, &o) || errors.As(err, &n) || errors.As(err, &t)
}

// Named returns err with the path of a refusal replaced by name, the path
// as the configuration wrote it; other errors are returned as they are.
func Named(err error, name string) error {
	var o *OutsideError
	var n *NotRegularError
	var t *TooLargeError
	switch {
	case errors.As(err, &o):
		return &OutsideError{Path: name}
	case errors.As(err, &n):
		return &NotRegularError{Path: name, Kind: n.Kind}
	case errors.As(err, &t):
		return &TooLargeError{Path: name, Limit: t.Limit}
	}
	return err
}

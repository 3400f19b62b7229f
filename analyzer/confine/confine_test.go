package confine

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// layout makes root/ (with in.txt, a subdirectory and symlinks out of it)
// and outside/secret.txt beside it, and returns both directories.
func layout(t *testing.T) (root, outside string) {
	t.Helper()
	base := t.TempDir()
	root, outside = filepath.Join(base, "root"), filepath.Join(base, "outside")
	for _, d := range []string{filepath.Join(root, "sub"), outside} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write := func(p, s string) {
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(root, "in.txt"), "inside")
	write(filepath.Join(outside, "secret.txt"), "secret")
	links := map[string]string{
		"passwd.tf":    "/etc/passwd",
		"zero.tf":      "/dev/zero",
		"environ":      "/proc/self/environ",
		"secret.txt":   filepath.Join(outside, "secret.txt"),
		"sub/back.txt": "../in.txt",
	}
	for name, target := range links {
		if err := os.Symlink(target, filepath.Join(root, name)); err != nil {
			t.Fatal(err)
		}
	}
	if err := syscall.Mkfifo(filepath.Join(root, "fifo.tf"), 0o644); err != nil {
		t.Fatal(err)
	}
	// Sparse: one byte over the cap without writing 16 MiB.
	big, err := os.Create(filepath.Join(root, "big.tf"))
	if err != nil {
		t.Fatal(err)
	}
	if err := big.Truncate(MaxFileSize + 1); err != nil {
		t.Fatal(err)
	}
	big.Close()
	return root, outside
}

func TestReadFile(t *testing.T) {
	root, outside := layout(t)
	cases := []struct {
		name         string
		path         string
		allowOutside bool
		want         string // content, or the error kind
	}{
		{"regular file inside", "in.txt", false, "inside"},
		{"symlink that stays inside", "sub/back.txt", false, "inside"},
		{"absolute path outside", "/etc/passwd", false, "outside"},
		{"dot-dot escape", "../outside/secret.txt", false, "outside"},
		{"symlink to /etc/passwd", "passwd.tf", false, "outside"},
		{"symlink to a file outside", "secret.txt", false, "outside"},
		{"opt-in reads a regular file outside", "secret.txt", true, "secret"},
		{"opt-in reads an absolute path outside", filepath.Join(outside, "secret.txt"), true, "secret"},
		{"symlink to /dev/zero", "zero.tf", false, "not regular"},
		{"symlink to /dev/zero even with opt-in", "zero.tf", true, "not regular"},
		{"/proc/self/environ even with opt-in", "environ", true, "not regular"},
		{"/proc/self/environ by absolute path with opt-in", "/proc/self/environ", true, "not regular"},
		{"FIFO", "fifo.tf", false, "not regular"},
		{"directory", "sub", false, "not regular"},
		{"over the cap", "big.tf", false, "too large"},
		{"missing", "nope.tf", false, "not exist"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := New(root, c.allowOutside)
			if err != nil {
				t.Fatal(err)
			}
			p := c.path
			if !filepath.IsAbs(p) {
				p = filepath.Join(root, p)
			}
			type result struct {
				b   []byte
				err error
			}
			done := make(chan result, 1)
			go func() { b, err := r.ReadFile(p); done <- result{b, err} }()
			var res result
			select {
			case res = <-done:
			case <-time.After(5 * time.Second):
				t.Fatal("ReadFile blocked")
			}
			var o *OutsideError
			var n *NotRegularError
			var l *TooLargeError
			got := string(res.b)
			switch {
			case errors.As(res.err, &o):
				got = "outside"
			case errors.As(res.err, &n):
				got = "not regular"
			case errors.As(res.err, &l):
				got = "too large"
			case errors.Is(res.err, fs.ErrNotExist):
				got = "not exist"
			case res.err != nil:
				t.Fatalf("unexpected error %v", res.err)
			}
			if got != c.want {
				t.Fatalf("got %q, want %q", got, c.want)
			}
		})
	}
}

func TestCheckDir(t *testing.T) {
	root, outside := layout(t)
	r, err := New(root, false)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.CheckDir(filepath.Join(root, "sub")); err != nil {
		t.Fatalf("subdirectory refused: %v", err)
	}
	var o *OutsideError
	if err := r.CheckDir(filepath.Join(root, "..", "outside")); !errors.As(err, &o) {
		t.Fatalf("../outside: got %v, want an OutsideError", err)
	}
	if err := r.CheckDir(outside); !errors.As(err, &o) {
		t.Fatalf("absolute outside: got %v, want an OutsideError", err)
	}
}

func TestFind(t *testing.T) {
	base := t.TempDir()
	deep := filepath.Join(base, "repo", "infra", "app")
	if err := os.MkdirAll(deep, 0o755); err != nil {
		t.Fatal(err)
	}
	if got, _ := Find(deep); got != deep {
		t.Fatalf("without .git: got %s, want the path itself", got)
	}
	// A worktree or submodule has a .git file rather than a directory.
	if err := os.WriteFile(filepath.Join(base, "repo", ".git"), []byte("gitdir: elsewhere\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got, _ := Find(deep); got != filepath.Join(base, "repo") {
		t.Fatalf("got %s, want the work tree %s", got, filepath.Join(base, "repo"))
	}
}

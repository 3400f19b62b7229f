// Package gitrev materializes a Git revision of the repository holding an
// input path into a temporary directory, so that the path as it was at
// that revision can be loaded like any other input. The user's working
// tree and repository are only read (git archive): nothing is checked out
// in place and no worktree is registered.
//
// Place: before source loading; the diff command uses it to take BASE from
// a revision of HEAD's directory.
package gitrev

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Limits bound what an archive may write.
const (
	MaxBytes   = 1 << 30 // total file contents
	MaxEntries = 200_000
)

// Tree is a revision written to a temporary directory.
type Tree struct {
	// Root is the temporary directory holding the whole repository tree.
	Root string
	// Path is the input path's counterpart inside Root.
	Path string
	// Commit is the commit the revision resolved to.
	Commit string
}

// Remove deletes the temporary directory.
func (t *Tree) Remove() error { return os.RemoveAll(t.Root) }

// Checkout writes revision ref of the repository holding path into a new
// temporary directory and returns where path is in it. The caller removes
// the tree when done.
func Checkout(ctx context.Context, path, ref string) (*Tree, error) {
	if ref == "" || strings.HasPrefix(ref, "-") {
		return nil, fmt.Errorf("git revision %q: want a branch, tag or commit", ref)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	abs, err = filepath.EvalSymlinks(abs)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	dir := abs
	if info, err := os.Stat(abs); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	} else if !info.IsDir() {
		dir = filepath.Dir(abs)
	}
	top, err := git(ctx, dir, "rev-parse", "--show-toplevel")
	if err != nil {
		return nil, fmt.Errorf("%s is not in a Git repository: %w", path, err)
	}
	top, err = filepath.EvalSymlinks(strings.TrimSpace(top))
	if err != nil {
		return nil, err
	}
	rel, err := filepath.Rel(top, abs)
	if err != nil || !filepath.IsLocal(rel) && rel != "." {
		return nil, fmt.Errorf("%s is outside its repository %s", path, top)
	}
	commit, err := git(ctx, top, "rev-parse", "--verify", "--quiet", "--end-of-options", ref+"^{commit}")
	if err != nil {
		return nil, fmt.Errorf("git revision %q: not a commit in %s", ref, top)
	}
	commit = strings.TrimSpace(commit)
	root, err := os.MkdirTemp("", "lambdacheck-base-")
	if err != nil {
		return nil, err
	}
	t := &Tree{Root: root, Path: filepath.Join(root, rel), Commit: commit}
	if err := archive(ctx, top, commit, root); err != nil {
		_ = t.Remove()
		return nil, fmt.Errorf("git revision %q: %w", ref, err)
	}
	if _, err := os.Stat(t.Path); err != nil {
		_ = t.Remove()
		return nil, fmt.Errorf("%s does not exist at git revision %q", filepath.ToSlash(rel), ref)
	}
	return t, nil
}

// git runs a git command in dir and returns its standard output.
func git(ctx context.Context, dir string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "git", append([]string{"-C", dir}, args...)...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		if msg := strings.TrimSpace(errOut.String()); msg != "" {
			return "", errors.New(firstLine(msg))
		}
		return "", err
	}
	return out.String(), nil
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// archive streams `git archive` of commit into dest.
func archive(ctx context.Context, top, commit, dest string) error {
	cmd := exec.CommandContext(ctx, "git", "-C", top, "archive", "--format=tar", commit)
	var errOut bytes.Buffer
	cmd.Stderr = &errOut
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	extractErr := Extract(out, dest)
	// Drain what is left so git does not block on a full pipe.
	_, _ = io.Copy(io.Discard, out)
	waitErr := cmd.Wait()
	if extractErr != nil {
		return extractErr
	}
	if waitErr != nil {
		if msg := strings.TrimSpace(errOut.String()); msg != "" {
			return errors.New(firstLine(msg))
		}
		return waitErr
	}
	return nil
}

// Extract writes the directories and regular files of a tar stream under
// dest. Names must stay inside dest; links and other entry types are
// skipped (a Terraform input needs none, and a link could point outside);
// the total size and the number of entries are bounded.
func Extract(r io.Reader, dest string) error {
	tr := tar.NewReader(r)
	var total int64
	for n := 0; ; n++ {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read archive: %w", err)
		}
		if n >= MaxEntries {
			return fmt.Errorf("archive has more than %d entries", MaxEntries)
		}
		name := filepath.FromSlash(strings.TrimSuffix(h.Name, "/"))
		if h.Typeflag == tar.TypeXGlobalHeader || name == "" || name == "." {
			continue
		}
		if !filepath.IsLocal(name) {
			return fmt.Errorf("archive entry %q leaves the directory", h.Name)
		}
		target := filepath.Join(dest, name)
		switch h.Typeflag {
		case tar.TypeDir:
			if err := os.MkdirAll(target, 0o755); err != nil {
				return err
			}
		case tar.TypeReg:
			total += h.Size
			if h.Size < 0 || total > MaxBytes {
				return fmt.Errorf("archive is larger than %d bytes", MaxBytes)
			}
			if err := writeFile(target, tr, h.Size); err != nil {
				return err
			}
		}
	}
}

func writeFile(target string, r io.Reader, size int64) error {
	if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(target, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	_, err = io.CopyN(f, r, size)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

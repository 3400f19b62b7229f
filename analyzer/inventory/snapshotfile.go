package inventory

import (
	"io"
	"os"
	"path/filepath"
)

// Save writes the snapshot of inv to w when path is empty, else to path
// through a temporary file renamed into place, so an interrupted write
// never leaves a partial snapshot under that name.
func Save(w io.Writer, path string, inv *Inventory) error {
	if path == "" {
		return Write(w, inv)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := Write(tmp, inv); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

package inventory

import (
	"os"
	"path/filepath"
)

// WriteFile writes the snapshot of inv to path through a temporary file
// renamed into place, so an interrupted write never leaves a partial
// snapshot under that name.
func WriteFile(path string, inv *Inventory) error {
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

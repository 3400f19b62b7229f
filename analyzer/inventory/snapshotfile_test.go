package inventory

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// Save writes the same snapshot to a writer or to a file, and leaves no
// temporary file behind.
func TestSave(t *testing.T) {
	inv := &Inventory{Schema: SchemaVersion, Account: "111111111111", Region: "eu-west-1"}
	var b bytes.Buffer
	if err := Save(&b, "", inv); err != nil || b.Len() == 0 {
		t.Fatalf("to the writer: %d bytes, %v", b.Len(), err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "snap.json")
	if err := Save(nil, path, inv); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil || !bytes.Equal(got, b.Bytes()) {
		t.Errorf("the file differs from the stream: %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("left in the directory: %v", entries)
	}
	if err := Save(nil, filepath.Join(dir, "missing", "snap.json"), inv); err == nil {
		t.Error("saved into a missing directory")
	}
	if err := Save(nil, path, nil); err == nil {
		t.Error("saved a nil inventory")
	}
}

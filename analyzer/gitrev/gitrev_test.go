package gitrev

import (
	"archive/tar"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func tarOf(t testing.TB, entries ...tar.Header) []byte {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, h := range entries {
		body := strings.Repeat("x", int(h.Size))
		if err := tw.WriteHeader(&h); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestExtractWritesFilesAndSkipsLinks(t *testing.T) {
	dest := t.TempDir()
	data := tarOf(t,
		tar.Header{Name: "infra/", Typeflag: tar.TypeDir, Mode: 0o755},
		tar.Header{Name: "infra/main.tf", Typeflag: tar.TypeReg, Size: 3, Mode: 0o644},
		tar.Header{Name: "infra/out", Typeflag: tar.TypeSymlink, Linkname: "/etc/passwd"},
	)
	if err := Extract(bytes.NewReader(data), dest); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(filepath.Join(dest, "infra", "main.tf")); err != nil || string(b) != "xxx" {
		t.Errorf("main.tf: %q %v", b, err)
	}
	if _, err := os.Lstat(filepath.Join(dest, "infra", "out")); !os.IsNotExist(err) {
		t.Errorf("a link was written: %v", err)
	}
}

func TestExtractRefusesEscapes(t *testing.T) {
	for _, name := range []string{"../x.tf", "/abs.tf", "a/../../x.tf"} {
		data := tarOf(t, tar.Header{Name: name, Typeflag: tar.TypeReg, Size: 1, Mode: 0o644})
		if err := Extract(bytes.NewReader(data), t.TempDir()); err == nil {
			t.Errorf("%s: extracted", name)
		}
	}
}

func TestCheckoutRefusesOptionLikeRevisions(t *testing.T) {
	if _, err := Checkout(t.Context(), ".", "--output=/tmp/x"); err == nil {
		t.Error("a revision that reads as an option is accepted")
	}
}

func FuzzExtract(f *testing.F) {
	f.Add(tarOf(f, tar.Header{Name: "a/b.tf", Typeflag: tar.TypeReg, Size: 2, Mode: 0o644}))
	f.Add([]byte("not a tar"))
	f.Fuzz(func(t *testing.T, data []byte) {
		dest := t.TempDir()
		_ = Extract(bytes.NewReader(data), dest)
		// Whatever the archive, nothing is written outside dest.
		err := filepath.Walk(dest, func(p string, info os.FileInfo, err error) error {
			if err != nil {
				return err
			}
			if info.Mode()&os.ModeSymlink != 0 {
				t.Fatalf("link %s written", p)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

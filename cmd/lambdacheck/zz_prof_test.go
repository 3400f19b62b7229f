package main

import (
	"os"
	"testing"
)

func TestZZProfile(t *testing.T) {
	if os.Getenv("ZZ") == "" {
		t.Skip()
	}
	if c := run([]string{"simulate", "/tmp/estate", "-o", "/tmp/x.txt", "--fail-on", "none"}); c != 0 {
		t.Fatal(c)
	}
}

package loc

import "testing"

func TestValid(t *testing.T) {
	cases := []struct {
		name string
		s    Span
		want bool
	}{
		{"nothing", Span{}, true},
		{"a line", At("main.tf", 3), true},
		{"a block", Span{File: "main.tf", Line: 3, Column: 1, EndLine: 9, EndColumn: 2}, true},
		{"end line without columns", Span{File: "t.yaml", Line: 3, EndLine: 9}, true},
		{"one line range", Span{File: "p.json", Line: 3, Column: 5, EndLine: 3, EndColumn: 12}, true},
		{"end before start", Span{File: "main.tf", Line: 9, EndLine: 3}, false},
		{"end column before start column", Span{File: "main.tf", Line: 3, Column: 8, EndLine: 3, EndColumn: 2}, false},
		{"end column without end line", Span{File: "main.tf", Line: 3, EndColumn: 2}, false},
		{"column without line", Span{File: "main.tf", Column: 2}, false},
		{"negative", Span{File: "main.tf", Line: -1}, false},
	}
	for _, c := range cases {
		if got := c.s.Valid(); got != c.want {
			t.Errorf("%s: Valid(%+v) = %v, want %v", c.name, c.s, got, c.want)
		}
	}
}

func TestString(t *testing.T) {
	for s, want := range map[Span]string{
		{}:                                    "",
		{File: "main.tf"}:                     "main.tf",
		At("main.tf", 3):                      "main.tf:3",
		{File: "main.tf", Line: 3, Column: 7}: "main.tf:3:7",
	} {
		if got := s.String(); got != want {
			t.Errorf("String(%+v) = %q, want %q", s, got, want)
		}
	}
	if !At("a.tf", 1).Known() || (Span{File: "a.tf"}).Known() || At("", 1).Known() {
		t.Error("Known")
	}
}

func TestAll(t *testing.T) {
	type item struct {
		Span
		Name  string
		Inner *struct{ At Span }
		List  []Span
		ByKey map[string]Span
		skip  Span
	}
	v := []item{{Span: At("a.tf", 1), Inner: &struct{ At Span }{At("b.tf", 2)}, List: []Span{At("c.tf", 3)}, ByKey: map[string]Span{"k": At("d.tf", 4)}, skip: At("x.tf", 9)}}
	got := map[string]bool{}
	for _, s := range All(v) {
		got[s.String()] = true
	}
	for _, want := range []string{"a.tf:1", "b.tf:2", "c.tf:3", "d.tf:4"} {
		if !got[want] {
			t.Errorf("All misses %s: %v", want, got)
		}
	}
	if got["x.tf:9"] || len(got) != 4 {
		t.Errorf("All = %v, want the four exported spans", got)
	}
}

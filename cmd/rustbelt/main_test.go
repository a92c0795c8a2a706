package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// result is what one run of the program printed and its exit status.
type result struct {
	stdout, stderr string
	code           int
}

// run runs the program in-process, as a shell would, with stdin as input.
func run(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	m := NewMain(strings.NewReader(stdin), &out, &errOut)
	code := 0
	if err := m.Run(context.Background(), append([]string{"rustbelt"}, args...)); err != nil {
		m.reportError(err)
		code = exitCode(err)
	}
	return result{out.String(), errOut.String(), code}
}

// testDB is a fresh bolt store path for one test; the first command run
// against it creates and seeds it.
func testDB(t *testing.T) string {
	return filepath.Join(t.TempDir(), "rustbelt.bolt")
}

func TestUsageErrorsExitTwo(t *testing.T) {
	db := testDB(t)
	for _, args := range [][]string{
		{"appointments", "--nonsense"},
		{"policies"}, // --place is required
		{"appointments", "--to", "Jilin", "--format", "yaml"},
		{"show"},
		{"query"},
	} {
		r := run(t, "", append([]string{"--db", db}, args...)...)
		if r.code != exitUsage {
			t.Errorf("%v: exit %d, want %d; stderr %q", args, r.code, exitUsage, r.stderr)
		}
	}
}

func TestFlagsMayFollowArguments(t *testing.T) {
	tests := []struct {
		in, want []string
	}{
		{[]string{"rustbelt", "show", "Cao Lubao", "--format", "json"}, []string{"rustbelt", "show", "--format", "json", "Cao Lubao"}},
		{[]string{"rustbelt", "--db", "x", "load", "a.nq", "--strict", "b.nq"}, []string{"rustbelt", "--db", "x", "load", "--strict", "a.nq", "b.nq"}},
		{[]string{"rustbelt", "query", "--", "-e"}, []string{"rustbelt", "query", "--", "-e"}},
		{[]string{"rustbelt", "load", "-"}, []string{"rustbelt", "load", "-"}},
	}
	app := NewMain(nil, nil, nil).app
	for _, tt := range tests {
		if got := flagsFirst(app, tt.in); strings.Join(got, " ") != strings.Join(tt.want, " ") {
			t.Errorf("flagsFirst(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestEveryCommandHasHelpWithAnExample(t *testing.T) {
	app := NewMain(nil, nil, nil).app
	for _, cmd := range app.Commands {
		r := run(t, "", cmd.Name, "--help")
		if r.code != 0 || !strings.Contains(r.stdout, "rustbelt "+cmd.Name) || !strings.Contains(r.stdout, "Example") {
			t.Errorf("%s --help: exit %d, output lacks an example:\n%s", cmd.Name, r.code, r.stdout)
		}
	}
}

func TestDefaultStoreLivesInTheUsersDataDir(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_DATA_HOME", dir)
	t.Setenv("RUSTBELT_DB", "")
	m := NewMain(strings.NewReader(""), &bytes.Buffer{}, &bytes.Buffer{})
	var out, errOut bytes.Buffer
	m.Stdout, m.Stderr = &out, &errOut
	if err := m.Run(context.Background(), []string{"rustbelt", "sources", "--format", "json"}); err != nil {
		t.Fatal(err)
	}
	want := filepath.Join(dir, "rustbelt", "rustbelt.bolt")
	if !strings.Contains(errOut.String(), "new store "+want+": loaded ") || !strings.Contains(errOut.String(), "from 5 sources") {
		t.Errorf("stderr = %q, want the seeding line naming %s", errOut.String(), want)
	}
}

package main

import (
	"compress/gzip"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

const goodFile = `<https://rustbelt.dev/id/person/new> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://rustbelt.dev/ns/Person> <https://rustbelt.dev/id/source/mine> .
<https://rustbelt.dev/id/person/new> <http://schema.org/name> "New Person" <https://rustbelt.dev/id/source/mine> .
`

const badFile = `<https://rustbelt.dev/id/person/bad> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://rustbelt.dev/ns/Person> <https://rustbelt.dev/id/source/mine> .
<https://rustbelt.dev/id/person/bad> <http://schema.org/name> "Bad" <https://rustbelt.dev/id/source/mine> .
<https://rustbelt.dev/id/person/bad> <https://rustbelt.dev/ns/favouriteColour> "red" <https://rustbelt.dev/id/source/mine> .
<https://rustbelt.dev/id/person/bad> <http://schema.org/name> "No label" .
`

func write(t *testing.T, name, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func storeQuads(t *testing.T, db string) int {
	t.Helper()
	r := run(t, "", "--db", db, "stats", "--format", "json")
	m := regexp.MustCompile(`"quads": (\d+)`).FindStringSubmatch(r.stdout)
	if m == nil {
		t.Fatalf("stats: %s %s", r.stdout, r.stderr)
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

func TestLoadReportsAndIsAllOrNothing(t *testing.T) {
	db := testDB(t)
	before := storeQuads(t, db)

	bad := write(t, "bad.nq", badFile)
	r := run(t, "", "--db", db, "load", write(t, "good.nq", goodFile), bad)
	if r.code == 0 || !strings.Contains(r.stderr, bad+":3: unknown predicate") || !strings.Contains(r.stderr, bad+":4: quad has no source label") {
		t.Errorf("bad load: exit %d, stderr %q", r.code, r.stderr)
	}
	if storeQuads(t, db) != before {
		t.Fatal("a failed load wrote quads")
	}

	r = run(t, "", "--db", db, "load", write(t, "good.nq", goodFile))
	if r.code != 0 || !regexp.MustCompile(`^loaded 2 new quads from 1 file\(s\) in \S+ \(2 read, 0 duplicates skipped\)\n$`).MatchString(r.stdout) {
		t.Errorf("good load: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	r = run(t, goodFile, "--db", db, "load", "-")
	if r.code != 0 || !strings.Contains(r.stdout, "0 new quads") || !strings.Contains(r.stdout, "2 duplicates skipped") {
		t.Errorf("stdin load of duplicates: %q %q", r.stdout, r.stderr)
	}
	gz := filepath.Join(t.TempDir(), "more.nq.gz")
	f, _ := os.Create(gz)
	zw := gzip.NewWriter(f)
	zw.Write([]byte(strings.NewReplacer("person/new", "person/newer", "New Person", "Newer Person").Replace(goodFile)))
	zw.Close()
	f.Close()
	if r := run(t, "", "--db", db, "load", gz); r.code != 0 || !strings.Contains(r.stdout, "loaded 2 new quads") {
		t.Errorf("gzip load: %q %q", r.stdout, r.stderr)
	}
	if got := storeQuads(t, db); got != before+4 {
		t.Errorf("store holds %d quads, want %d", got, before+4)
	}
	if r := run(t, "", "--db", db, "show", "New Person", "--format", "json"); r.code != 0 {
		t.Errorf("loaded entity not found: %s", r.stderr)
	}
}

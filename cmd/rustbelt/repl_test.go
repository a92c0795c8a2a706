package main

import (
	"strings"
	"testing"
)

func TestREPLRunsMultiLineInputAndKeepsVariables(t *testing.T) {
	db := testDB(t)
	input := strings.Join([]string{
		`var name = "<http://schema.org/name>"`,
		`g.V().Has(name, "Cao Lubao").`,
		`  In("<https://rustbelt.dev/ns/person>").`,
		`  Out("<https://rustbelt.dev/ns/toPlace>").Out(name).Unique().All()`,
		`g.V(.oops`,
		`g.V().Has(name, "Zhu Huan").Count()`,
	}, "\n")
	r := run(t, input, "--db", db, "repl")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if !strings.Contains(r.stdout, "id : Jilin") {
		t.Errorf("multi-line query did not answer Jilin:\n%s", r.stdout)
	}
	if !strings.Contains(r.stderr, "error:") {
		t.Errorf("a syntax error should be reported and the session go on: %q", r.stderr)
	}
	if !strings.Contains(r.stdout, "=> 1") {
		t.Errorf("query after the error did not run:\n%s", r.stdout)
	}
}

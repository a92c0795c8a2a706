package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestShowListsTheMoveWithItsSource(t *testing.T) {
	db := testDB(t)
	r := run(t, "", "--db", db, "show", "Cao Lubao", "--format", "text")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	for _, want := range []string{"Cao Lubao — Person (person/cao-lubao)", "Party secretary of Suzhou (Suzhou)", "(Jilin)", "2023-10", "NewsChina 2024-12-01"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("show lacks %q:\n%s", want, r.stdout)
		}
	}
	r = run(t, "", "--db", db, "show", "--format", "json", "place/jilin-city")
	var card struct {
		ID      string
		Name    string
		Classes []string
	}
	if err := json.Unmarshal([]byte(r.stdout), &card); err != nil || card.ID != "place/jilin-city" || card.Name != "Jilin" {
		t.Errorf("card %+v, %v", card, err)
	}
	if r := run(t, "", "--db", db, "show", "Nobody Atall"); r.code != exitNotFound {
		t.Errorf("unknown name: exit %d", r.code)
	}
}

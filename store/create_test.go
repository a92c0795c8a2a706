package store_test

import (
	"context"
	"strings"
	"testing"

	"github.com/rustbelt/rustbelt/fail"
	"github.com/rustbelt/rustbelt/store"
)

func TestCreateMakesANewStoreSeededOrEmpty(t *testing.T) {
	ctx := context.Background()
	want := seedQuads(t)
	for _, b := range backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			for _, empty := range []bool{true, false} {
				addr := b.Addr(t)
				s, err := store.Create(ctx, addr, store.Options{NoSeed: empty})
				if err != nil {
					t.Fatalf("create (empty %v): %v", empty, err)
				}
				got := quadCount(t, s)
				s.Close()
				if empty && got != 0 || !empty && got != want {
					t.Errorf("create (empty %v) made a store of %d quads", empty, got)
				}
				if b.Name == "memory" {
					continue // every memory store is new
				}
				again, err := store.Create(ctx, addr, store.Options{NoSeed: true})
				if err == nil {
					again.Close()
				}
				if empty && err != nil {
					t.Errorf("create over an empty store: %v, want it taken as new", err)
				}
				if !empty && (fail.CodeOf(err) != fail.Invalid || !strings.Contains(err.Error(), "already exists")) {
					t.Errorf("create over a full store: %v, want Invalid saying it exists", err)
				}
			}
		})
	}
}

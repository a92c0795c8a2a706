package store_test

import (
	"context"
	"sync"
	"testing"

	"github.com/rustbelt/rustbelt/store"
)

// TestMemoryStoreConcurrentReaders reads a memory store from several
// goroutines at once the ways that walk all of it (a query from g.V(), a
// count of quads by source). Under the race detector it shows readers that
// write to the store they share; every reader must get the whole answer.
func TestMemoryStoreConcurrentReaders(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t, "memory:", store.Options{})
	want, err := s.Query(ctx, "g.V().All()", store.QueryOptions{})
	if err != nil {
		t.Fatal(err)
	}
	labels, err := s.QuadsPerLabel(ctx)
	if err != nil {
		t.Fatal(err)
	}
	const readers = 8
	var wg sync.WaitGroup
	for range readers {
		wg.Go(func() {
			for range 5 {
				res, err := s.Query(ctx, "g.V().All()", store.QueryOptions{})
				if err != nil || len(res.Result) != len(want.Result) {
					t.Errorf("g.V().All(): %d nodes, %v; want %d", len(res.Result), err, len(want.Result))
				}
				got, err := s.QuadsPerLabel(ctx)
				if err != nil || len(got) != len(labels) {
					t.Errorf("quads per label: %d labels, %v; want %d", len(got), err, len(labels))
				}
			}
		})
	}
	wg.Wait()
}

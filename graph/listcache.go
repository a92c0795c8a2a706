package graph

import (
	"context"
	"errors"
	"sync"
)

// listCache keeps whole answers of listing questions for one generation of
// a store whose only writer is this process, so that pages of one list cost
// a lookup each, not the question (see list). Requests that ask for a list
// being built wait for it rather than build it too: eight clients asking for
// a region's first page at once build it once.
type listCache struct {
	mu      sync.Mutex
	entries map[string]*listEntry
	rows    int // rows held by the finished entries
}

// listEntry is one answer, or one being built until done is closed.
type listEntry struct {
	done  chan struct{}
	rows  any // the []T of the list
	n     int // len(rows)
	notes Notes
	err   error
}

// Bounds on a listCache: a region's appointments at 1M quads are 6,672 rows
// of a few hundred bytes. Past either bound the cache starts again empty,
// as boundedMap does: a crude bound that costs nothing per lookup.
const (
	listCacheRows    = 1 << 18
	listCacheEntries = 1 << 10
)

// get returns the answer kept under key, or builds it with build (which
// returns the rows, how many, and the notes) and keeps it. An answer whose
// build failed is not kept: its error may be its own request's deadline.
func (c *listCache) get(ctx context.Context, key string, build func() (any, int, Notes, error)) (*listEntry, error) {
	for {
		c.mu.Lock()
		e, ok := c.entries[key]
		if !ok {
			e = &listEntry{done: make(chan struct{})}
			if c.entries == nil || len(c.entries) >= listCacheEntries {
				c.entries, c.rows = map[string]*listEntry{}, 0
			}
			c.entries[key] = e
			c.mu.Unlock()
			c.build(key, e, build)
			return e, e.err
		}
		c.mu.Unlock()
		select {
		case <-e.done:
		case <-ctx.Done():
			return &listEntry{}, ctx.Err()
		}
		if e.err == nil {
			return e, nil
		}
		// The request that built it failed; this one asks again.
	}
}

// build fills e, keeps it if it succeeded and fits, and wakes those
// waiting for it.
func (c *listCache) build(key string, e *listEntry, build func() (any, int, Notes, error)) {
	finished := false
	defer func() {
		if !finished { // build panicked; the panic goes on up
			e.err = errListPanicked
		}
		c.mu.Lock()
		switch {
		case e.err == nil && c.entries[key] == e && e.n <= listCacheRows:
			if c.rows+e.n > listCacheRows {
				c.entries, c.rows = map[string]*listEntry{key: e}, 0
			}
			c.rows += e.n
		case c.entries[key] == e: // failed, or too big to keep
			delete(c.entries, key)
		}
		c.mu.Unlock()
		close(e.done)
	}()
	e.rows, e.n, e.notes, e.err = build()
	finished = true
}

// errListPanicked is what requests waiting for a list get when building it
// panicked; they build it again themselves.
var errListPanicked = errors.New("building the list failed")

package store

import (
	"context"
	"io"
	"strings"
	"sync"
)

// Progress is how far a load, a replace or a dump has come, for a progress
// bar. A long operation goes through stages, each reported from its start
// to its end (Done).
type Progress struct {
	// Stage names the step: "check" (reading and validating the inputs
	// before a load writes them), "write", "load" (a large bolt load
	// or a PostgreSQL load, which check while they write), "index" (a
	// large bolt load writing its quad indexes after the quads), "read"
	// (a dump reading the store).
	Stage string
	// Quads is how many quads the stage has done so far, and Total how
	// many it will do, or 0 when that is not known before the end.
	Quads, Total int64
	// Bytes is how many bytes of the input files the stage has read, and
	// TotalBytes how many there are, or 0 when that is not known (a gzip
	// file, an input of unknown size).
	Bytes, TotalBytes int64
	// Done says the stage is over.
	Done bool
}

// WithProgress returns a context under which Load, Replace and Dump report
// their progress to fn, as net/http/httptrace hooks into a request: showing
// progress is not part of what they do, so their signatures stay as they
// are, and every writer that calls them (add, import, the server) may pass
// a bar along or not. fn is called from the goroutine doing the work, every
// few thousand quads, and must return quickly.
func WithProgress(ctx context.Context, fn func(Progress)) context.Context {
	return context.WithValue(ctx, progressKey{}, &tracker{fn: fn})
}

type progressKey struct{}

// tracker reports one operation's progress to its fn. A nil tracker, what
// progressOf returns for a context without one, reports nothing.
type tracker struct {
	fn func(Progress)
	mu sync.Mutex
	p  Progress
}

// progressOf returns the tracker of ctx, or nil.
func progressOf(ctx context.Context) *tracker {
	t, _ := ctx.Value(progressKey{}).(*tracker)
	return t
}

// stage ends the stage under way, if any, and starts one.
func (t *tracker) stage(name string, total, totalBytes int64) {
	if t == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.endLocked()
	t.p = Progress{Stage: name, Total: total, TotalBytes: totalBytes}
	t.fn(t.p)
}

// add counts quads and bytes done in the stage under way.
func (t *tracker) add(quads, bytes int64) {
	if t == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.p.Stage == "" || t.p.Done {
		return
	}
	t.p.Quads += quads
	t.p.Bytes += bytes
	t.fn(t.p)
}

// end ends the stage under way.
func (t *tracker) end() {
	if t == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.endLocked()
}

func (t *tracker) endLocked() {
	if t.p.Stage != "" && !t.p.Done {
		t.p.Done = true
		t.fn(t.p)
	}
}

// span runs a stage of total quads done in one step (a transaction that
// reports nothing until it ends): the stage starts now and ends, all of it
// done, when the returned func is called.
func (t *tracker) span(name string, total int64) func() {
	t.stage(name, total, 0)
	return func() {
		t.add(total, 0)
		t.end()
	}
}

// inputBytes is the size of the inputs, or 0 if it is not known: the size
// of a gzip file is not the size of what it holds.
func inputBytes(inputs []Input) int64 {
	var n int64
	for _, in := range inputs {
		if in.Size <= 0 || strings.HasSuffix(in.Name, ".gz") {
			return 0
		}
		n += in.Size
	}
	return n
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

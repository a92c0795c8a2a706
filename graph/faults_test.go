package graph_test

import (
	"context"
	"errors"
	"reflect"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/cayleygraph/quad"

	"github.com/rustbelt/rustbelt/graph"
	"github.com/rustbelt/rustbelt/store"
)

// errInjected is what a faultyStorage's reads return once they fail.
var errInjected = errors.New("injected read failure")

// faultyStorage is a real store whose reads start failing after a number
// of calls: fault injection on the real thing, not a model of it. With an
// expiring context it does not fail itself but expires the context, as a
// deadline passing midway would, and lets the store answer as it does then.
type faultyStorage struct {
	graph.Storage
	after  int64 // calls that succeed; -1 for all
	expire func()
	calls  atomic.Int64
}

// trip counts a call and returns the error it fails with, if any.
func (f *faultyStorage) trip() error {
	n := f.calls.Add(1) - 1
	if f.after < 0 || n < f.after {
		return nil
	}
	if f.expire != nil {
		f.expire()
		return nil // the store sees the context expired
	}
	return errInjected
}

func (f *faultyStorage) Quads(ctx context.Context, node quad.Value, d quad.Direction, fn func(quad.Quad)) error {
	if err := f.trip(); err != nil {
		return err
	}
	return f.Storage.Quads(ctx, node, d, fn)
}

func (f *faultyStorage) QuadsOf(ctx context.Context, nodes []quad.Value, d quad.Direction, fn func(quad.Quad)) error {
	if err := f.trip(); err != nil {
		return err
	}
	return f.Storage.(graph.ManyReader).QuadsOf(ctx, nodes, d, fn)
}

func (f *faultyStorage) Linked(ctx context.Context, node quad.Value, pred quad.IRI, from, result quad.Direction) ([]quad.Value, error) {
	if err := f.trip(); err != nil {
		return nil, err
	}
	return f.Storage.Linked(ctx, node, pred, from, result)
}

func (f *faultyStorage) Generation(ctx context.Context) (uint64, bool, error) {
	if err := f.trip(); err != nil {
		return 0, false, err
	}
	return f.Storage.Generation(ctx)
}

func (f *faultyStorage) QuadsPerLabel(ctx context.Context) (map[quad.IRI]int64, error) {
	if err := f.trip(); err != nil {
		return nil, err
	}
	return f.Storage.QuadsPerLabel(ctx)
}

func (f *faultyStorage) Counts(ctx context.Context) (int64, int64, error) {
	if err := f.trip(); err != nil {
		return 0, 0, err
	}
	return f.Storage.Counts(ctx)
}

// expiringCtx is a context whose deadline passes when expire is called.
type expiringCtx struct {
	context.Context
	done chan struct{}
	once sync.Once
}

func newExpiringCtx() *expiringCtx {
	return &expiringCtx{Context: context.Background(), done: make(chan struct{})}
}

func (c *expiringCtx) expire()               { c.once.Do(func() { close(c.done) }) }
func (c *expiringCtx) Done() <-chan struct{} { return c.done }

func (c *expiringCtx) Err() error {
	select {
	case <-c.done:
		return context.DeadlineExceeded
	default:
		return nil
	}
}

// TestReadErrorsReachTheCaller fails every question's reads from each
// point on (sampled where a question makes many), on fresh graphs whose
// caches are empty, and with a deadline that passes at that point: the
// question must return that error and no answer, never an answer built
// from what the failed reads left out (short ids for names, "ambiguous" for
// a name whose candidates could not be read).
func TestReadErrorsReachTheCaller(t *testing.T) {
	const maxPoints = 20 // failure points tried per question and mode
	for _, addr := range []string{"memory:", boltPath(t)} {
		s := mustOpen(t, addr, store.Options{})
		for _, q := range questions {
			// The number of calls a question makes, and its answer, with
			// nothing failing.
			counter := &faultyStorage{Storage: s, after: -1}
			v, notes, err := q.ask(context.Background(), graph.New(counter))
			if err != nil {
				t.Fatalf("%s: %v", q.name, err)
			}
			want := answerBytes(v, notes, err)
			calls := counter.calls.Load()
			step := max(1, calls/maxPoints)
			for _, mode := range []struct {
				name   string
				expire bool
				want   error
			}{{"store fails", false, errInjected}, {"deadline passes", true, context.DeadlineExceeded}} {
				for n := int64(0); n < calls; n += step {
					ctx := newExpiringCtx()
					f := &faultyStorage{Storage: s, after: n}
					if mode.expire {
						f.expire = ctx.expire
					}
					v, notes, err := q.ask(ctx, graph.New(f))
					switch {
					case !errors.Is(err, mode.want):
						t.Errorf("%s: %s: %s after %d of %d calls: err = %v, want %v; answer %.300s",
							addr, q.name, mode.name, n, calls, err, mode.want, answerBytes(v, notes, nil))
					case v != nil && !reflect.ValueOf(v).IsZero():
						t.Errorf("%s: %s: %s after %d of %d calls: a partial answer with the error: %.300s",
							addr, q.name, mode.name, n, calls, answerBytes(v, notes, nil))
					}
				}
			}
			// The store is still sound: the same question answers as before.
			if got := answerBytes(q.ask(context.Background(), graph.New(s))); got != want {
				t.Errorf("%s: %s: answer after the failures differs\n got: %.300s\nwant: %.300s", addr, q.name, got, want)
			}
		}
	}
}

// TestFailedReadsAreNotKept fails one question midway on a graph, then
// asks it again on the same graph, whose caches the failed request shared:
// nothing it read wrong may be kept.
func TestFailedReadsAreNotKept(t *testing.T) {
	s := mustOpen(t, "memory:", store.Options{})
	for _, q := range questions {
		want := answerBytes(q.ask(context.Background(), graph.New(s)))
		counter := &faultyStorage{Storage: s, after: -1}
		q.ask(context.Background(), graph.New(counter))
		calls := counter.calls.Load()
		for _, n := range []int64{1, calls / 3, calls / 2, calls - 1} {
			f := &faultyStorage{Storage: s, after: n}
			g := graph.New(f)
			if _, _, err := q.ask(context.Background(), g); !errors.Is(err, errInjected) {
				t.Errorf("%s: failing after %d of %d calls: err = %v", q.name, n, calls, err)
			}
			f.after = -1 // the store recovers
			if got := answerBytes(q.ask(context.Background(), g)); got != want {
				t.Errorf("%s: after a failure at call %d of %d the answer differs\n got: %.300s\nwant: %.300s", q.name, n, calls, got, want)
			}
		}
	}
}

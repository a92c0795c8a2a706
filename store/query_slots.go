package store

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rustbelt/rustbelt/fail"
)

// querySlots bounds the queries that run at once in this process, over
// every store. A query is the one request that may take all of a core and a
// gigabyte for its whole time limit: a hundred at once took /healthz from
// milliseconds to over a second. Half the cores leave the rest to the
// server's cheap endpoints and to the garbage collector.
var querySlots = newSlots(max(1, runtime.GOMAXPROCS(0)/2))

// Bounds on the queue of queries waiting for a slot.
const (
	// maxQueueWait bounds how long a query waits for a slot, whatever its
	// time limit: past it the client is better told to come back.
	maxQueueWait = 5 * time.Second
	// queuePerSlot bounds the queries waiting, per slot; past it a query
	// is refused at once.
	queuePerSlot = 8
)

// slots is a counting semaphore with a bounded queue.
type slots struct {
	free    chan struct{} // a token per slot in use
	waiting atomic.Int64
}

func newSlots(n int) *slots {
	return &slots{free: make(chan struct{}, n)}
}

// errBusy tells a client to retry: every slot was taken for as long as the
// query could wait.
func errBusy(n int) error {
	return fail.Errorf(fail.Busy, "%d queries are running, as many as run at once; try again shortly", n)
}

// acquire takes a slot, waiting while ctx lasts and at most maxQueueWait.
// It returns the function that gives the slot back, which may be called
// more than once: the slot is given back the first time.
func (s *slots) acquire(ctx context.Context) (func(), error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	select {
	case s.free <- struct{}{}:
		return s.releaser(), nil
	default:
	}
	if s.waiting.Add(1) > int64(queuePerSlot*cap(s.free)) {
		s.waiting.Add(-1)
		return nil, errBusy(cap(s.free))
	}
	defer s.waiting.Add(-1)
	wait := time.NewTimer(maxQueueWait)
	defer wait.Stop()
	select {
	case s.free <- struct{}{}:
		return s.releaser(), nil
	case <-wait.C:
		return nil, errBusy(cap(s.free))
	case <-ctx.Done():
		// A query whose time ran out in the queue never started: that is
		// the server being busy, not the query being slow.
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return nil, errBusy(cap(s.free))
		}
		return nil, ctx.Err()
	}
}

func (s *slots) releaser() func() {
	var once sync.Once
	return func() { once.Do(func() { <-s.free }) }
}

// inUse is the number of slots taken.
func (s *slots) inUse() int { return len(s.free) }

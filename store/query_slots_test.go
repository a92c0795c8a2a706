package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/rustbelt/rustbelt/fail"
)

// TestSlotsQueueThenRefuse takes every slot of a semaphore and checks what
// the next callers get: a slot as soon as one is given back, Busy when the
// queue is full or their time runs out, and their own error when they give
// up.
func TestSlotsQueueThenRefuse(t *testing.T) {
	s := newSlots(2)
	ctx := context.Background()
	var held []func()
	for range 2 {
		release, err := s.acquire(ctx)
		if err != nil {
			t.Fatal(err)
		}
		held = append(held, release)
	}
	if s.inUse() != 2 {
		t.Fatalf("%d slots in use, want 2", s.inUse())
	}

	// A waiter gets the slot given back.
	type acquired struct {
		release func()
		err     error
	}
	got := make(chan acquired, 1)
	go func() {
		release, err := s.acquire(ctx)
		got <- acquired{release, err}
	}()
	for s.waiting.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	held[0]()
	held[0]() // giving a slot back twice gives it back once
	waiter := <-got
	if waiter.err != nil {
		t.Fatalf("a waiter whose slot came free: %v", waiter.err)
	}
	held[0] = waiter.release

	// Whoever runs out of time in the queue is told the server is busy.
	short, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	release, err := s.acquire(short)
	if fail.CodeOf(err) != fail.Busy {
		t.Errorf("a deadline in the queue: %v, want Busy", err)
	}
	if release != nil {
		t.Error("a refused caller got a release function")
	}

	// Whoever gives up is told so.
	gone, stop := context.WithCancel(ctx)
	go func() { time.Sleep(20 * time.Millisecond); stop() }()
	if _, err := s.acquire(gone); !errors.Is(err, context.Canceled) {
		t.Errorf("a caller that gave up: %v, want Canceled", err)
	}

	// A full queue refuses at once.
	s.waiting.Store(int64(queuePerSlot * cap(s.free)))
	start := time.Now()
	if _, err := s.acquire(ctx); fail.CodeOf(err) != fail.Busy {
		t.Errorf("a full queue: %v, want Busy", err)
	}
	if took := time.Since(start); took > maxQueueWait/2 {
		t.Errorf("a full queue took %s to refuse", took)
	}
	s.waiting.Store(0)
	held[0]()
	held[1]()
	for deadline := time.Now().Add(5 * time.Second); s.inUse() != 0 && time.Now().Before(deadline); {
		time.Sleep(time.Millisecond)
	}
	if n := s.inUse(); n != 0 {
		t.Errorf("%d slots still in use after every holder gave its slot back", n)
	}
}

package store

import (
	"context"

	"github.com/rustbelt/rustbelt/fail"
)

// Create makes a new store at addr, as Open would on first use: seeded with
// the bundled dataset, or empty when opt.NoSeed is set, for users who want
// only their own data. Unlike Open it refuses a store that already holds
// quads, so that asking for an empty store never quietly returns a full one.
// An existing empty store is taken as new, and so is an empty file. Like
// Open it refuses to write into anything that is not a store.
//
// A store Open makes is seeded in one step before it is in place (bolt) or
// marked made (SQL); an existing empty store is seeded in one transaction,
// so that a seed cut short leaves it empty, as it was.
func Create(ctx context.Context, addr string, opt Options) (*Store, error) {
	opt.ReadOnly = false
	s, err := Open(ctx, addr, opt)
	if err != nil {
		return nil, err
	}
	if s.created {
		return s, nil
	}
	n, err := quadCount(ctx, s.qs)
	if err == nil && n > 0 {
		err = fail.Errorf(fail.Invalid, "store %s already exists and holds %d quads; name another store, or remove this one first", s.addr, n)
	}
	if err == nil && !opt.NoSeed {
		err = s.seed(ctx)
	}
	if err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

//go:build !unix

package store

import (
	"context"
	"time"

	"github.com/rustbelt/rustbelt/fail"
)

type fileLock struct{}

// acquireLock is not available here: bolt stores need flock.
func acquireLock(context.Context, string, bool, time.Duration) (*fileLock, error) {
	return nil, fail.Errorf(fail.Invalid, "embedded bolt stores need a Unix system; use memory: or postgres://")
}

func (l *fileLock) release() error { return nil }

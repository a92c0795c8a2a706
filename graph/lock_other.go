//go:build !unix

package graph

import (
	"context"
	"time"
)

type fileLock struct{}

// acquireLock is not available here: bolt stores need flock.
func acquireLock(context.Context, string, bool, time.Duration) (*fileLock, error) {
	return nil, errorf(Invalid, "embedded bolt stores need a Unix system; use memory: or postgres://")
}

func (l *fileLock) release() error { return nil }

package server

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/rustbelt/rustbelt/fail"
)

// TestStatusOf covers the codes no read-only request can produce over HTTP
// (Locked, Forbidden) along with the rest, wrapped as callers wrap them.
func TestStatusOf(t *testing.T) {
	tests := []struct {
		err    error
		status int
		code   string
	}{
		{&fail.Error{Code: fail.Invalid}, http.StatusBadRequest, "invalid"},
		{&fail.Error{Code: fail.NotFound}, http.StatusNotFound, "not_found"},
		{&fail.Error{Code: fail.Ambiguous}, http.StatusConflict, "ambiguous"},
		{&fail.Error{Code: fail.Locked}, http.StatusServiceUnavailable, "locked"},
		{&fail.Error{Code: fail.Timeout}, http.StatusGatewayTimeout, "timeout"},
		{&fail.Error{Code: fail.Forbidden}, http.StatusForbidden, "forbidden"},
		{&fail.Error{Code: fail.Internal}, http.StatusInternalServerError, "internal"},
		{fmt.Errorf("open: %w", &fail.Error{Code: fail.Locked}), http.StatusServiceUnavailable, "locked"},
		{fmt.Errorf("walk: %w", context.DeadlineExceeded), http.StatusGatewayTimeout, "timeout"},
		{fmt.Errorf("read query: %w", &http.MaxBytesError{Limit: 10}), http.StatusRequestEntityTooLarge, "too_large"},
		{fmt.Errorf("disk on fire"), http.StatusInternalServerError, "internal"},
	}
	for _, tt := range tests {
		status, code := statusOf(tt.err)
		if status != tt.status || code != tt.code {
			t.Errorf("statusOf(%v) = %d %s, want %d %s", tt.err, status, code, tt.status, tt.code)
		}
	}
}

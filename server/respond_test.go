package server

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/rustbelt/rustbelt/graph"
)

// TestStatusOf covers the codes no read-only request can produce over HTTP
// (Locked, Forbidden) along with the rest, wrapped as callers wrap them.
func TestStatusOf(t *testing.T) {
	tests := []struct {
		err    error
		status int
		code   string
	}{
		{&graph.Error{Code: graph.Invalid}, http.StatusBadRequest, "invalid"},
		{&graph.Error{Code: graph.NotFound}, http.StatusNotFound, "not_found"},
		{&graph.Error{Code: graph.Ambiguous}, http.StatusConflict, "ambiguous"},
		{&graph.Error{Code: graph.Locked}, http.StatusServiceUnavailable, "locked"},
		{&graph.Error{Code: graph.Timeout}, http.StatusGatewayTimeout, "timeout"},
		{&graph.Error{Code: graph.Forbidden}, http.StatusForbidden, "forbidden"},
		{&graph.Error{Code: graph.Internal}, http.StatusInternalServerError, "internal"},
		{fmt.Errorf("open: %w", &graph.Error{Code: graph.Locked}), http.StatusServiceUnavailable, "locked"},
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

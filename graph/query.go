package graph

import (
	"context"
	"errors"
	"reflect"
	"sort"
	"time"
	"unsafe"

	"github.com/cayleygraph/cayley/query"
	"github.com/cayleygraph/cayley/query/gizmo"
	_ "github.com/cayleygraph/cayley/query/graphql" // registers GraphQL
	_ "github.com/cayleygraph/cayley/query/mql"     // registers MQL
	"github.com/dop251/goja"
)

// DefaultQueryTimeout stops a query that runs longer.
const DefaultQueryTimeout = 30 * time.Second

// Languages lists the query languages Query accepts.
var Languages = []string{"gizmo", "graphql", "mql"}

// QueryOptions tune Query.
type QueryOptions struct {
	// Lang is the query language; empty means gizmo.
	Lang string
	// Limit caps the results; a query that has more reports Truncated. Zero
	// means no cap.
	Limit int
	// Timeout stops a query that runs longer; zero means DefaultQueryTimeout.
	Timeout time.Duration
	// Params reach a Gizmo query as the global object `params`: data, never
	// text pasted into the query.
	Params map[string]string
	// REPL returns results as the text lines of Cayley's REPL, including the
	// value the program ends with ("=> 5" for a Count), instead of JSON values.
	REPL bool
}

// QueryResult is a query's answer in Cayley's JSON shape.
type QueryResult struct {
	Result    []any `json:"result"`
	Truncated bool  `json:"truncated,omitempty"`
}

// Query runs a query in one of Languages against the store.
func (s *Store) Query(ctx context.Context, text string, opt QueryOptions) (*QueryResult, error) {
	qs, done := s.quadStore()
	defer done()
	var sess query.Session
	switch opt.Lang {
	case "", "gizmo":
		sess = gizmo.NewSession(qs)
	default:
		if len(opt.Params) > 0 {
			return nil, errorf(Invalid, "--param works with gizmo only, not %s", opt.Lang)
		}
		sess = query.NewSession(qs, opt.Lang)
		if sess == nil {
			return nil, errorf(Invalid, "unknown query language %q (known: gizmo, graphql, mql)", opt.Lang)
		}
	}
	return runQuery(ctx, sess, text, opt)
}

// Session runs Gizmo queries one after another in one JavaScript runtime,
// so that what one query defines is there for the next, as in a REPL.
type Session struct {
	store *Store
	gizmo *gizmo.Session
}

// NewSession starts a Gizmo session on the store.
func (s *Store) NewSession() *Session {
	qs, done := s.quadStore()
	defer done()
	return &Session{store: s, gizmo: gizmo.NewSession(qs)}
}

// Query runs one Gizmo query in the session; opt.Lang is ignored.
func (se *Session) Query(ctx context.Context, text string, opt QueryOptions) (*QueryResult, error) {
	_, done := se.store.quadStore()
	defer done()
	return runQuery(ctx, se.gizmo, text, opt)
}

func runQuery(ctx context.Context, sess query.Session, text string, opt QueryOptions) (*QueryResult, error) {
	if opt.Timeout <= 0 {
		opt.Timeout = DefaultQueryTimeout
	}
	if opt.Limit < 0 {
		return nil, errorf(Invalid, "limit must not be negative")
	}
	if gs, ok := sess.(*gizmo.Session); ok {
		if err := bindParams(gs, opt.Params); err != nil {
			return nil, err
		}
	}
	ctx, cancel := context.WithTimeout(ctx, opt.Timeout)
	defer cancel()
	limit := 0
	if opt.Limit > 0 {
		limit = opt.Limit + 1 // one more than asked, to know whether there are more
	}
	collation := query.JSON
	if opt.REPL {
		collation = query.REPL
	}
	it, err := sess.Execute(ctx, text, query.Options{Collation: collation, Limit: limit})
	if err != nil {
		return nil, &Error{Code: Invalid, Msg: "query", Err: err}
	}
	res := &QueryResult{Result: []any{}}
	finished := false
	for {
		if !it.Next(ctx) {
			finished = it.Err() == nil
			break
		}
		v := it.Result()
		if v == nil {
			continue
		}
		if opt.Limit > 0 && len(res.Result) == opt.Limit {
			res.Truncated = true
			break
		}
		res.Result = append(res.Result, v)
	}
	if !finished || res.Truncated {
		stop(it, sess)
	}
	timedOut := errorf(Timeout, "query stopped after %s (the time limit); narrow it or raise --timeout", opt.Timeout)
	if err := it.Err(); err != nil && !res.Truncated {
		if errors.Is(err, context.DeadlineExceeded) || ctx.Err() == context.DeadlineExceeded {
			return nil, timedOut
		}
		if errors.Is(err, context.Canceled) {
			return nil, err
		}
		return nil, &Error{Code: Invalid, Msg: "query", Err: err}
	}
	if ctx.Err() == context.DeadlineExceeded && !res.Truncated {
		return nil, timedOut
	}
	return res, nil
}

// stop ends a query that is still running and waits for its goroutine, so
// that nothing keeps running after the caller returns. Cayley's Gizmo stops a
// query by interrupting the JavaScript runtime, and the interrupt stays set
// if the program had already finished; a session that is used again (the
// REPL) would then fail its next query, so the leftover interrupt is drained.
func stop(it query.Iterator, sess query.Session) {
	it.Close()
	drain, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for it.Next(drain) {
	}
	if gs, ok := sess.(*gizmo.Session); ok {
		if vm := gizmoRuntime(gs); vm != nil {
			vm.RunString("undefined") // consumes a pending interrupt, if any
		}
	}
}

// bindParams sets the global `params` in the session's JavaScript runtime.
// Cayley's Gizmo session keeps its runtime private; the field is read through
// reflection once per query, and a test fails if a Cayley upgrade moves it.
func bindParams(s *gizmo.Session, params map[string]string) error {
	vm := gizmoRuntime(s)
	if vm == nil {
		return errorf(Internal, "cannot bind query parameters: Cayley's Gizmo session changed shape")
	}
	obj := vm.NewObject()
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if err := obj.Set(k, params[k]); err != nil {
			return errorf(Invalid, "param %q: %v", k, err)
		}
	}
	vm.Set("params", obj)
	return nil
}

func gizmoRuntime(s *gizmo.Session) *goja.Runtime {
	f := reflect.ValueOf(s).Elem().FieldByName("vm")
	if !f.IsValid() || f.Type() != reflect.TypeOf((*goja.Runtime)(nil)) {
		return nil
	}
	return *(**goja.Runtime)(unsafe.Pointer(f.UnsafeAddr()))
}

package graph

import (
	"context"
	"reflect"
	"testing"

	"github.com/rustbelt/rustbelt/internal/storetest"
)

// TestOrders holds each list's order to what paging needs of it, on the
// bundled dataset's answers: the rows a question returns are in strictly
// increasing order (the order is the one the question sorts by, and no two
// rows share a key); a row rebuilt from a cursor's key compares as the row;
// and a clone shares no slice with the row it copies.
func TestOrders(t *testing.T) {
	ctx := context.Background()
	g := New(storetest.SeededMemory(t))
	t.Run("appointments", func(t *testing.T) {
		rows, _, err := g.Appointments(ctx, AppointmentFilter{})
		checkOrder(t, appointmentOrder, rows, err)
	})
	t.Run("policies", func(t *testing.T) {
		rows, _, err := g.Policies(ctx, PolicyFilter{Place: "China", Inside: true})
		checkOrder(t, policyOrder, rows, err)
	})
	t.Run("investments", func(t *testing.T) {
		rows, _, err := g.Investments(ctx, InvestmentFilter{})
		checkOrder(t, investmentOrder, rows, err)
	})
	t.Run("indicators", func(t *testing.T) {
		rows, _, err := g.Indicators(ctx, IndicatorFilter{})
		checkOrder(t, observationOrder, rows, err)
	})
	t.Run("timeline", func(t *testing.T) {
		rows, _, err := g.Timeline(ctx, "China")
		checkOrder(t, entryOrder, rows, err)
	})
	t.Run("sources", func(t *testing.T) {
		rows, err := g.Sources(ctx)
		checkOrder(t, sourceOrder, rows, err)
	})
	t.Run("indicator list", func(t *testing.T) {
		rows, err := g.IndicatorList(ctx)
		checkOrder(t, indicatorInfoOrder, rows, err)
	})
}

func checkOrder[T any](t *testing.T, o order[T], rows []T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) == 0 {
		t.Fatal("no rows to check the order on")
	}
	for i := range rows {
		if i > 0 && o.compare(&rows[i-1], &rows[i]) >= 0 {
			t.Errorf("rows %d and %d are not in strictly increasing order: %v, then %v", i-1, i, o.key(&rows[i-1]), o.key(&rows[i]))
		}
		probe, err := o.probe(o.cursor(&rows[i]))
		if err != nil {
			t.Fatalf("row %d: its own cursor: %v", i, err)
		}
		if o.compare(&probe, &rows[i]) != 0 || o.compare(&rows[i], &probe) != 0 {
			t.Errorf("row %d: the row of its cursor does not compare equal to it (%v)", i, o.key(&rows[i]))
		}
		sharesSlices(t, reflect.ValueOf(cloneRow(rows[i])), reflect.ValueOf(rows[i]))
	}
}

// sharesSlices fails if a slice or pointer of clone, or of a struct in
// one, is the one of row.
func sharesSlices(t *testing.T, clone, row reflect.Value) {
	t.Helper()
	switch row.Kind() {
	case reflect.Struct:
		for i := range row.NumField() {
			sharesSlices(t, clone.Field(i), row.Field(i))
		}
	case reflect.Slice:
		if row.Len() == 0 {
			return
		}
		if clone.Pointer() == row.Pointer() {
			t.Errorf("a clone shares its %s with the row", row.Type())
		}
		for i := range row.Len() {
			sharesSlices(t, clone.Index(i), row.Index(i))
		}
	case reflect.Pointer:
		if row.IsNil() {
			return
		}
		if clone.Pointer() == row.Pointer() {
			t.Errorf("a clone shares its %s with the row", row.Type())
		}
		sharesSlices(t, clone.Elem(), row.Elem())
	}
}

// TestCloneRowCopiesEveryLevel: a row with slices of structs with slices
// and pointers comes out sharing none of them, equal to the row.
func TestCloneRowCopiesEveryLevel(t *testing.T) {
	from := &SourceRef{ID: "source/a"}
	row := Observation{IDs: []string{"a"}, Sources: []SourceRef{{ID: "s", InferredFrom: from}}}
	c := cloneRow(row)
	sharesSlices(t, reflect.ValueOf(c), reflect.ValueOf(row))
	if !reflect.DeepEqual(c, row) {
		t.Errorf("clone %+v differs from %+v", c, row)
	}
}

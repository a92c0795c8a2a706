package synth

import (
	"bytes"
	"context"
	"io"
	"testing"

	"github.com/rustbelt/rustbelt/graph"
	"github.com/rustbelt/rustbelt/store"
)

func generate(t *testing.T, cfg Config) []byte {
	t.Helper()
	var buf bytes.Buffer
	n, err := Write(&buf, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if lines := int64(bytes.Count(buf.Bytes(), []byte("\n"))); lines != n {
		t.Fatalf("Write reported %d quads but wrote %d lines", n, lines)
	}
	return buf.Bytes()
}

func TestWriteIsValidAndFillsTheBudget(t *testing.T) {
	for _, size := range []int64{50, 2_000, 60_000} {
		cfg := Config{Quads: size, Seed: 1}
		data := generate(t, cfg)
		in := store.Input{Name: "synthetic.nq", Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }}
		read, problems, err := store.Validate(context.Background(), []store.Input{in}, store.LoadOptions{Strict: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(problems) > 0 {
			t.Fatalf("size %d: %d problems, first: %v", size, len(problems), problems[0])
		}
		if read > size || read < size-maxRecordQuads {
			t.Errorf("size %d: wrote %d quads, want between %d and %d", size, read, size-maxRecordQuads, size)
		}
	}
}

func TestWriteIsDeterministic(t *testing.T) {
	a := generate(t, Config{Quads: 20_000, Seed: 7})
	b := generate(t, Config{Quads: 20_000, Seed: 7})
	c := generate(t, Config{Quads: 20_000, Seed: 8})
	if !bytes.Equal(a, b) {
		t.Error("the same seed gave different data")
	}
	if bytes.Equal(a, c) {
		t.Error("different seeds gave the same data")
	}
}

func TestWordsAreDistinct(t *testing.T) {
	seen := map[string]int{}
	for i := range 200_000 {
		w := word(i)
		if j, dup := seen[w]; dup {
			t.Fatalf("word(%d) = word(%d) = %q", i, j, w)
		}
		seen[w] = i
	}
}

func TestPlaceTree(t *testing.T) {
	// Every place below the country has a parent one level up, numbered
	// before it, and each region holds the expected number of places.
	perDepth := map[int]int{}
	for i := 1; i < 3*placesPerRegion+1; i++ {
		d, parent := placeDepth(i)
		pd, _ := placeDepth(parent)
		if pd != d-1 || parent >= i {
			t.Fatalf("place %d (depth %d) has parent %d (depth %d)", i, d, parent, pd)
		}
		perDepth[d]++
	}
	want := map[int]int{1: 3, 2: 3 * provincesPerRegion, 3: 3 * provincesPerRegion * citiesPerProvince, 4: 3 * provincesPerRegion * citiesPerProvince * districtsPerCity}
	for d, n := range want {
		if perDepth[d] != n {
			t.Errorf("depth %d: %d places, want %d", d, perDepth[d], n)
		}
	}
}

func TestTargetsResolve(t *testing.T) {
	cfg := Config{Quads: 60_000, Seed: 1}
	data := generate(t, cfg)
	ctx := context.Background()
	s, err := store.Open(ctx, "memory:", store.Options{NoSeed: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	in := store.Input{Name: "synthetic.nq", Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }}
	rep, err := s.Load(ctx, []store.Input{in}, store.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Duplicates != 0 {
		t.Errorf("the data repeats %d quads", rep.Duplicates)
	}
	tg := TargetsOf(cfg)
	apps, _, err := graph.New(s).Appointments(ctx, graph.AppointmentFilter{To: tg.Region})
	if err != nil || len(apps) == 0 {
		t.Fatalf("appointments to %s: %d rows, %v", tg.Region, len(apps), err)
	}
	pols, _, err := graph.New(s).Policies(ctx, graph.PolicyFilter{Place: tg.City})
	if err != nil || len(pols) == 0 {
		t.Fatalf("policies for %s: %d rows, %v", tg.City, len(pols), err)
	}
	for _, p := range pols {
		if p.TargetID == "" || p.Via == "" {
			t.Fatalf("policy hit without target or chain: %+v", p)
		}
	}
	card, _, err := graph.New(s).Card(ctx, tg.Person)
	if err != nil || len(card.Records) < 2 {
		t.Fatalf("card of %s: %v records, %v", tg.Person, card, err)
	}
}

package graph_test

import (
	"bytes"
	"context"
	"io"
	"os"
	"strconv"
	"sync"
	"testing"

	"github.com/rustbelt/rustbelt/bench/synth"
	"github.com/rustbelt/rustbelt/graph"
	"github.com/rustbelt/rustbelt/store"
)

// Benchmarks of the hot paths on synthetic data, for benchstat:
//
//	go test -run '^$' -bench . -count 10 ./graph > new.txt
//
// RUSTBELT_BENCH_QUADS sets the size (default 50,000 quads). The query
// benchmarks load it into a new store first; RUSTBELT_BENCH_STORE names a
// store that already holds the same synthetic data (made by
// `go run ./bench gen` and `rustbelt load`), to skip that step.

func benchConfig(b *testing.B) synth.Config {
	n := int64(50_000)
	if s := os.Getenv("RUSTBELT_BENCH_QUADS"); s != "" {
		v, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			b.Fatalf("RUSTBELT_BENCH_QUADS=%q: %v", s, err)
		}
		n = v
	}
	return synth.Config{Quads: n, Seed: 1}
}

var benchData = struct {
	sync.Once
	text []byte
	err  error
}{}

func synthInput(b *testing.B) store.Input {
	benchData.Do(func() {
		var buf bytes.Buffer
		_, benchData.err = synth.Write(&buf, benchConfig(b))
		benchData.text = buf.Bytes()
	})
	if benchData.err != nil {
		b.Fatal(benchData.err)
	}
	text := benchData.text
	return store.Input{Name: "synthetic.nq", Size: int64(len(text)), Open: func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(text)), nil
	}}
}

// synthStore is a bolt file in b's temporary folder holding the synthetic
// data.
func synthStore(b *testing.B) string {
	if path := os.Getenv("RUSTBELT_BENCH_STORE"); path != "" {
		return path
	}
	path := boltPath(b)
	s := mustOpen(b, path, store.Options{})
	if _, err := s.Load(context.Background(), []store.Input{synthInput(b)}, store.LoadOptions{}); err != nil {
		b.Fatal(err)
	}
	if err := s.Close(); err != nil {
		b.Fatal(err)
	}
	return path
}

// BenchmarkLoad loads the synthetic data into a new bolt store: the one-pass
// copy-and-swap road large loads take.
func BenchmarkLoad(b *testing.B) {
	in := synthInput(b)
	b.SetBytes(in.Size)
	for b.Loop() {
		b.StopTimer()
		s := mustOpen(b, boltPath(b), store.Options{NoSeed: true})
		b.StartTimer()
		if _, err := s.Load(context.Background(), []store.Input{in}, store.LoadOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

// benchQuery times fn on a store opened once (warm: caches fill on the first
// call) and, as cold, on a store opened anew for every call.
func benchQuery(b *testing.B, fn func(*store.Store, *graph.Graph) (int, error)) {
	path := synthStore(b)
	b.Run("warm", func(b *testing.B) {
		s := mustOpen(b, path, store.Options{ReadOnly: true})
		g := graph.New(s)
		for b.Loop() {
			if n, err := fn(s, g); err != nil || n == 0 {
				b.Fatalf("%d rows, %v", n, err)
			}
		}
	})
	b.Run("cold", func(b *testing.B) {
		for b.Loop() {
			s, err := store.Open(context.Background(), path, store.Options{ReadOnly: true})
			if err != nil {
				b.Fatal(err)
			}
			n, err := fn(s, graph.New(s))
			s.Close()
			if err != nil || n == 0 {
				b.Fatalf("%d rows, %v", n, err)
			}
		}
	})
}

func BenchmarkAppointmentsToRegion(b *testing.B) {
	t := synth.TargetsOf(benchConfig(b))
	benchQuery(b, func(_ *store.Store, s *graph.Graph) (int, error) {
		rows, _, err := s.Appointments(context.Background(), graph.AppointmentFilter{To: t.Region})
		return len(rows), err
	})
}

func BenchmarkPoliciesForCity(b *testing.B) {
	t := synth.TargetsOf(benchConfig(b))
	benchQuery(b, func(_ *store.Store, s *graph.Graph) (int, error) {
		rows, _, err := s.Policies(context.Background(), graph.PolicyFilter{Place: t.City})
		return len(rows), err
	})
}

func BenchmarkCard(b *testing.B) {
	t := synth.TargetsOf(benchConfig(b))
	benchQuery(b, func(_ *store.Store, s *graph.Graph) (int, error) {
		c, _, err := s.Card(context.Background(), t.Person)
		if err != nil {
			return 0, err
		}
		return len(c.Facts) + len(c.Records), nil
	})
}

func BenchmarkResolve(b *testing.B) {
	t := synth.TargetsOf(benchConfig(b))
	benchQuery(b, func(_ *store.Store, s *graph.Graph) (int, error) {
		_, err := s.Resolve(context.Background(), t.Person)
		return 1, err
	})
}

// BenchmarkTwoHopGizmo runs the benchmark's 2-hop Gizmo query: the people
// appointed to a city.
func BenchmarkTwoHopGizmo(b *testing.B) {
	t := synth.TargetsOf(benchConfig(b))
	text := `g.V(params.city).In("<https://rustbelt.dev/ns/toPlace>").Out("<https://rustbelt.dev/ns/person>").All()`
	benchQuery(b, func(s *store.Store, _ *graph.Graph) (int, error) {
		res, err := s.Query(context.Background(), text, store.QueryOptions{Params: map[string]string{"city": "<" + t.CityID + ">"}})
		if err != nil {
			return 0, err
		}
		return len(res.Result), nil
	})
}

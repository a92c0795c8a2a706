// Command bench measures rustbelt against stock Cayley v0.7.7 on the same
// synthetic files and prints the results as Markdown tables: bulk loads into
// new bolt (and PostgreSQL) stores, query latency over HTTP, cold starts of
// one CLI question, an HTTP endpoint under concurrent load, and reads from
// one or two servers on a PostgreSQL primary and its streaming replica.
//
//	go run ./bench                       the whole run: 100k, 1M and 5M quads
//	go run ./bench -sizes 100k -runs 20  a quick one
//	go run ./bench gen -quads 1m > x.nq  just the synthetic data
//
// It builds both programs first (stock Cayley with bench/stock/build.sh) and
// talks to servers on loopback only.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/rustbelt/rustbelt/bench/synth"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	var err error
	if len(os.Args) > 1 && os.Args[1] == "gen" {
		err = gen(os.Args[2:])
	} else {
		err = bench(ctx, os.Args[1:])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func gen(args []string) error {
	fs := flag.NewFlagSet("gen", flag.ExitOnError)
	quads := fs.String("quads", "100k", "how many quads (100k, 1m, 5m or a number)")
	seed := fs.Uint64("seed", 1, "the same seed and size give the same data")
	fs.Parse(args)
	n, err := parseSize(*quads)
	if err != nil {
		return err
	}
	wrote, err := synth.Write(os.Stdout, synth.Config{Quads: n, Seed: *seed})
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "wrote %d quads\n", wrote)
	return nil
}

// config is what one run measures.
type config struct {
	sizes      []int64 // load sizes
	querySizes []int64 // sizes at which queries are timed (at least 1M by default)
	pgSizes    []int64 // sizes loaded into PostgreSQL
	// pgQuerySizes are the sizes at which queries are timed on PostgreSQL:
	// stock Cayley's answer to a region's appointments there takes minutes
	// a request at 1M quads.
	pgQuerySizes []int64
	postgres     string // server URL; empty skips PostgreSQL
	runs         int    // timed runs per question
	coldRuns     int
	work         string
	seed         uint64
	binary       string   // a rustbelt binary to measure instead of building one
	steps        []string // loads, queries, cold, http
}

func bench(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("bench", flag.ExitOnError)
	sizes := fs.String("sizes", "100k,1m,5m", "load sizes")
	querySizes := fs.String("query-sizes", "1m,5m", "sizes at which queries are timed (each must be among -sizes)")
	pgSizes := fs.String("pg-sizes", "100k,1m", "sizes also loaded into PostgreSQL (among -sizes)")
	pgQuerySizes := fs.String("pg-query-sizes", "100k", "sizes at which queries are timed on PostgreSQL (among -pg-sizes and -query-sizes)")
	pg := fs.String("postgres", os.Getenv("RUSTBELT_TEST_POSTGRES"), "PostgreSQL server URL (a database per store is created on it); empty skips PostgreSQL")
	runs := fs.Int("runs", 200, "timed runs per question")
	coldRuns := fs.Int("cold-runs", 10, "runs of each cold-start question")
	work := fs.String("work", filepath.Join(os.TempDir(), "rustbelt-bench"), "folder for data files, stores and binaries")
	seed := fs.Uint64("seed", 1, "seed of the synthetic data")
	binary := fs.String("rustbelt", "", "measure this rustbelt binary instead of building the working tree")
	steps := fs.String("steps", strings.Join(stepNames, ","), "what to measure; without loads, the other steps use the stores an earlier run left in -work")
	fs.Parse(args)
	cfg := config{postgres: *pg, runs: *runs, coldRuns: *coldRuns, work: *work, seed: *seed, binary: *binary}
	for _, s := range strings.Split(*steps, ",") {
		if s = strings.TrimSpace(s); !slices.Contains(stepNames, s) {
			return fmt.Errorf("-steps: unknown step %q (known: %s)", s, strings.Join(stepNames, ", "))
		}
		cfg.steps = append(cfg.steps, s)
	}
	if cfg.postgres == "" {
		progress("PostgreSQL skipped: set -postgres or RUSTBELT_TEST_POSTGRES=postgres://user@host/db")
	}
	var err error
	if cfg.sizes, err = parseSizes(*sizes); err != nil {
		return err
	}
	if cfg.querySizes, err = parseSizes(*querySizes); err != nil {
		return err
	}
	if cfg.pgSizes, err = parseSizes(*pgSizes); err != nil {
		return err
	}
	if cfg.pgQuerySizes, err = parseSizes(*pgQuerySizes); err != nil {
		return err
	}
	if err := os.MkdirAll(cfg.work, 0o755); err != nil {
		return err
	}
	r, err := newRunner(ctx, cfg)
	if err != nil {
		return err
	}
	return r.all()
}

func parseSizes(list string) ([]int64, error) {
	var out []int64
	for _, s := range strings.Split(list, ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		n, err := parseSize(s)
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, nil
}

// parseSize reads 100k, 1m, 5M or a plain number.
func parseSize(s string) (int64, error) {
	mult := int64(1)
	switch {
	case strings.HasSuffix(strings.ToLower(s), "k"):
		mult, s = 1_000, s[:len(s)-1]
	case strings.HasSuffix(strings.ToLower(s), "m"):
		mult, s = 1_000_000, s[:len(s)-1]
	}
	n, err := strconv.ParseFloat(s, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("size %q: expected a number such as 100k, 1m or 250000", s)
	}
	return int64(n * float64(mult)), nil
}

// sizeName writes 100000 as 100k and 5000000 as 5M.
func sizeName(n int64) string {
	switch {
	case n%1_000_000 == 0:
		return strconv.FormatInt(n/1_000_000, 10) + "M"
	case n%1_000 == 0:
		return strconv.FormatInt(n/1_000, 10) + "k"
	}
	return strconv.FormatInt(n, 10)
}

package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	_ "github.com/lib/pq" // database/sql driver, to create the benchmark databases

	"github.com/rustbelt/rustbelt/bench/synth"
	"github.com/rustbelt/rustbelt/seeds"
)

// Loopback addresses of the servers under test; one runs at a time.
const (
	rustbeltAddr = "127.0.0.1:64310"
	cayleyAddr   = "127.0.0.1:64311"
)

// runner holds one benchmark run: its binaries, data files and stores.
type runner struct {
	ctx              context.Context
	cfg              config
	rustbelt, cayley string
	files            map[int64]string // synthetic data by size
}

func newRunner(ctx context.Context, cfg config) (*runner, error) {
	r := &runner{ctx: ctx, cfg: cfg, files: map[int64]string{}}
	root, err := output(ctx, "go", "list", "-m", "-f", "{{.Dir}}")
	if err != nil {
		return nil, fmt.Errorf("run from inside the rustbelt module: %w", err)
	}
	if r.rustbelt = cfg.binary; r.rustbelt == "" {
		r.rustbelt = filepath.Join(cfg.work, "rustbelt")
		progress("building rustbelt")
		if _, err := output(ctx, "go", "build", "-o", r.rustbelt, "github.com/rustbelt/rustbelt/cmd/rustbelt"); err != nil {
			return nil, err
		}
	}
	progress("building stock cayley (minutes the first time)")
	if r.cayley, err = output(ctx, filepath.Join(root, "bench", "stock", "build.sh")); err != nil {
		return nil, err
	}
	return r, nil
}

func output(ctx context.Context, name string, args ...string) (string, error) {
	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("%s: %w\n%s", name, err, tail(stderr.String()))
	}
	return strings.TrimSpace(string(out)), nil
}

func progress(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "bench: "+format+"\n", args...)
}

// stepNames are the parts of a run, in order; all runs those -steps names.
var stepNames = []string{"loads", "queries", "cold", "http", "replica"}

func (r *runner) all() error {
	r.header()
	for _, n := range r.cfg.sizes {
		if err := r.generate(n); err != nil {
			return err
		}
	}
	for _, step := range []struct {
		name string
		run  func() error
	}{{"loads", r.loads}, {"queries", r.queries}, {"cold", r.coldStarts}, {"http", r.httpLoad}, {"replica", r.replicaReads}} {
		if !slices.Contains(r.cfg.steps, step.name) {
			continue
		}
		if err := step.run(); err != nil {
			return err
		}
	}
	fmt.Printf("\nLoad average at the end: %s\n", loadAverage())
	return nil
}

// header describes the machine and the versions.
func (r *runner) header() {
	cayleyVersion, _ := output(r.ctx, r.cayley, "version")
	fmt.Printf("Machine: %s, %d cores, %s memory, %s; load average at the start: %s\n",
		cpuModel(), runtime.NumCPU(), memTotal(), kernel(), loadAverage())
	fmt.Printf("Go: %s. Stock Cayley: %s, built from module github.com/cayleygraph/cayley v0.7.7 (bench/stock).\n",
		runtime.Version(), strings.ReplaceAll(cayleyVersion, "\n", "; "))
	fmt.Printf("Command: go run ./bench %s\n", strings.Join(os.Args[1:], " "))
}

// generate writes the synthetic file of n quads unless it is there.
func (r *runner) generate(n int64) error {
	path := filepath.Join(r.cfg.work, fmt.Sprintf("synth-%s-seed%d.nq", sizeName(n), r.cfg.seed))
	r.files[n] = path
	if _, err := os.Stat(path); err == nil {
		return nil
	}
	progress("generating %s", path)
	f, err := os.Create(path + ".part")
	if err != nil {
		return err
	}
	if _, err := synth.Write(f, synth.Config{Quads: n, Seed: r.cfg.seed}); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(path+".part", path)
}

// store names a store of one program, backend and size.
func (r *runner) store(program, backend string, n int64) string {
	name := fmt.Sprintf("%s_%s", program, strings.ToLower(sizeName(n)))
	if backend == "postgres" {
		return withDatabase(r.cfg.postgres, "bench_"+name)
	}
	return filepath.Join(r.cfg.work, "stores", name)
}

// fresh removes a store so that a load starts from nothing.
func (r *runner) fresh(addr string) error {
	if strings.HasPrefix(addr, "postgres") {
		return recreateDatabase(r.cfg.postgres, addr)
	}
	for _, p := range []string{addr, addr + ".bolt", addr + ".bolt.lock"} {
		if err := os.RemoveAll(p); err != nil {
			return err
		}
	}
	return os.MkdirAll(filepath.Dir(addr), 0o755)
}

// rustbeltDB is rustbelt's --db for a store.
func rustbeltDB(addr string) string {
	if strings.HasPrefix(addr, "postgres") {
		return addr
	}
	return addr + ".bolt"
}

func cayleyBackend(addr string) string {
	if strings.HasPrefix(addr, "postgres") {
		return "postgres"
	}
	return "bolt"
}

var loadedRE = regexp.MustCompile(`loaded (\d+) new quads`)

// loads times `rustbelt load` and `cayley load` into new stores.
func (r *runner) loads() error {
	fmt.Println("\n### Bulk load into a new store")
	fmt.Println()
	fmt.Println("| backend | quads | rustbelt s (CPU s) | rustbelt quads/s | rustbelt peak RSS (heap) | cayley s (CPU s) | cayley quads/s | cayley peak RSS (heap) | throughput × | CPU × |")
	fmt.Println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, backend := range []string{"bolt", "postgres"} {
		sizes := r.cfg.sizes
		if backend == "postgres" {
			if r.cfg.postgres == "" {
				continue
			}
			sizes = r.cfg.pgSizes
		}
		for _, n := range sizes {
			rb, cay := r.store("rustbelt", backend, n), r.store("cayley", backend, n)
			if err := r.fresh(rb); err != nil {
				return err
			}
			if err := r.fresh(cay); err != nil {
				return err
			}
			progress("%s: rustbelt load %s", backend, sizeName(n))
			ru, err := run(r.ctx, nil, r.rustbelt, "--db", rustbeltDB(rb), "load", r.files[n])
			if err != nil {
				return err
			}
			m := loadedRE.FindStringSubmatch(ru.stdout)
			if m == nil {
				return fmt.Errorf("rustbelt load said %q", ru.stdout)
			}
			progress("%s: cayley load %s", backend, sizeName(n))
			cu, err := run(r.ctx, nil, r.cayley, "load", "--init", "-d", cayleyBackend(cay), "-a", cay, "-i", r.files[n])
			if err != nil {
				return err
			}
			quads, _ := strconv.ParseFloat(m[1], 64)
			fmt.Printf("| %s | %s | %.1f (%.1f) | %.0f | %s (%s) | %.1f (%.1f) | %.0f | %s (%s) | %.1f | %.1f |\n", backend, sizeName(n),
				ru.wall.Seconds(), ru.cpu.Seconds(), quads/ru.wall.Seconds(), mib(ru.peakRSS), mib(ru.peakAnon),
				cu.wall.Seconds(), cu.cpu.Seconds(), quads/cu.wall.Seconds(), mib(cu.peakRSS), mib(cu.peakAnon),
				cu.wall.Seconds()/ru.wall.Seconds(), cu.cpu.Seconds()/ru.cpu.Seconds())
		}
	}
	return nil
}

// question is one thing asked of both servers.
type question struct {
	name             string
	rustbelt, cayley request
	sameRows         bool // both answers list the same rows (not so for show: a card against raw edges)
}

func (r *runner) questions(n int64) []question {
	t := synth.TargetsOf(synth.Config{Quads: n, Seed: r.cfg.seed})
	rb, cay := "http://"+rustbeltAddr, "http://"+cayleyAddr
	gizmo := func(base, limit, text string) request {
		return request{url: base + "/api/v1/query/gizmo?limit=" + limit, body: text}
	}
	twoHop := fmt.Sprintf(gizmo2Hop, t.CityID)
	return []question{
		{"appointments --to " + t.Region + " (region)", request{url: rb + "/api/appointments?to=" + url.QueryEscape(t.Region)}, gizmo(cay, "-1", fmt.Sprintf(gizmoAppointments, t.Region)), true},
		{"policies --place " + t.City + " (city)", request{url: rb + "/api/policies?place=" + url.QueryEscape(t.City)}, gizmo(cay, "-1", fmt.Sprintf(gizmoPolicies, t.City)), true},
		{"show \"" + t.Person + "\"", request{url: rb + "/api/entities/" + url.PathEscape(t.Person)}, gizmo(cay, "-1", fmt.Sprintf(gizmoShow, t.Person)), false},
		{"2-hop Gizmo (same text)", gizmo(rb, "0", twoHop), gizmo(cay, "-1", twoHop), true},
	}
}

// The Gizmo a user would write on stock Cayley for each question.
const (
	gizmoAppointments = `var place = g.V().Has("<http://schema.org/name>", %q);
place.Union(place.FollowRecursive(g.M().In("<https://rustbelt.dev/ns/containedIn>")))
  .In("<https://rustbelt.dev/ns/toPlace>")
  .Has("<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>", "<https://rustbelt.dev/ns/Appointment>")
  .Save("<https://rustbelt.dev/ns/person>", "person")
  .SaveOpt("<https://rustbelt.dev/ns/fromPost>", "from_post")
  .SaveOpt("<https://rustbelt.dev/ns/fromPlace>", "from_place")
  .Save("<https://rustbelt.dev/ns/toPost>", "to_post")
  .Save("<https://rustbelt.dev/ns/toPlace>", "to_place")
  .SaveOpt("<https://rustbelt.dev/ns/date>", "date")
  .All()`
	gizmoPolicies = `var place = g.V().Has("<http://schema.org/name>", %q);
place.Union(place.FollowRecursive("<https://rustbelt.dev/ns/containedIn>"))
  .In("<https://rustbelt.dev/ns/targets>")
  .Has("<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>", "<https://rustbelt.dev/ns/Policy>")
  .Save("<http://schema.org/name>", "policy")
  .SaveOpt("<https://rustbelt.dev/ns/date>", "date")
  .SaveOpt("<https://rustbelt.dev/ns/issuer>", "issuer")
  .All()`
	gizmoShow = `var x = g.V().Has("<http://schema.org/name>", %q);
x.Out(null, "predicate").All();
x.In(null, "predicate").Tag("record").Out(null, "record_predicate").All()`
	gizmo2Hop = `g.V("<%s>").In("<https://rustbelt.dev/ns/toPlace>").Out("<https://rustbelt.dev/ns/person>").All()`
)

// queries times every question on both servers, one server at a time.
func (r *runner) queries() error {
	fmt.Printf("\n### Query latency over HTTP on loopback (%d runs after 3 warm-up runs, fewer past %s; one server up at a time)\n\n", r.cfg.runs, maxQuestionTime)
	fmt.Println("| backend | quads | question | rows (rustbelt / cayley) | runs | rustbelt first | rustbelt p50 | rustbelt p99 | cayley first | cayley p50 | cayley p99 | p50 × |")
	fmt.Println("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	var differ []string
	for _, backend := range []string{"bolt", "postgres"} {
		for _, n := range r.cfg.querySizes {
			if !slices.Contains(r.cfg.sizes, n) || backend == "postgres" && (r.cfg.postgres == "" || !slices.Contains(r.cfg.pgSizes, n) || !slices.Contains(r.cfg.pgQuerySizes, n)) {
				continue
			}
			if err := r.queryRows(backend, n, &differ); err != nil {
				return err
			}
		}
	}
	for _, d := range differ {
		fmt.Printf("\n%s\n", d)
	}
	return nil
}

// queryRows times the questions at one size on one backend, and adds to
// differ a note for each question the two servers answered with different
// rows.
func (r *runner) queryRows(backend string, n int64, differ *[]string) error {
	qs := r.questions(n)
	rb := make([]latency, len(qs))
	cay := make([]latency, len(qs))
	err := r.withRustbelt(backend, n, func() error {
		for i, q := range qs {
			progress("%s %s: rustbelt %s", backend, sizeName(n), q.name)
			rb[i] = measureOrNote(q.rustbelt, 3, r.cfg.runs)
		}
		return nil
	})
	if err != nil {
		return err
	}
	cayStore := r.store("cayley", backend, n)
	srv, err := startServer(r.ctx, "http://"+cayleyAddr, "/", r.cayley, "http", "-d", cayleyBackend(cayStore), "-a", cayStore, "--host", cayleyAddr, "--timeout", queryTimeout.String())
	if err != nil {
		return err
	}
	defer srv.stop()
	for i, q := range qs {
		progress("%s %s: cayley %s", backend, sizeName(n), q.name)
		cay[i] = measureOrNote(q.cayley, 3, r.cfg.runs)
	}
	for i, q := range qs {
		if q.sameRows && rb[i].failed == "" && cay[i].failed == "" && rb[i].rows != cay[i].rows {
			*differ = append(*differ, fmt.Sprintf("%s %s, %s: the answers differ (%d rows against %d); the times do not compare like for like.", backend, sizeName(n), q.name, rb[i].rows, cay[i].rows))
		}
		if rb[i].failed != "" || cay[i].failed != "" {
			fmt.Printf("| %s | %s | %s | rustbelt: %s; cayley: %s |||||||||\n", backend, sizeName(n), q.name, orOK(rb[i].failed), orOK(cay[i].failed))
			continue
		}
		fmt.Printf("| %s | %s | %s | %d / %d | %d / %d | %s | %s | %s | %s | %s | %s | %.1f |\n", backend, sizeName(n), q.name, rb[i].rows, cay[i].rows,
			rb[i].runs, cay[i].runs, ms(rb[i].first), ms(rb[i].p50), ms(rb[i].p99), ms(cay[i].first), ms(cay[i].p50), ms(cay[i].p99), float64(cay[i].p50)/float64(rb[i].p50))
	}
	return nil
}

// queryTimeout is both servers' time limit per query. Their default, 30 s,
// is too short for stock Cayley on PostgreSQL, which then answers 200 with
// the rows it found so far.
const queryTimeout = 5 * time.Minute

// measureOrNote is measure, with a failure (a query past the server's time
// limit) kept for the table rather than ending the run.
func measureOrNote(r request, warm, runs int) latency {
	l, err := measure(r, warm, runs)
	if err != nil {
		progress("%v", err)
		l.failed = strings.Join(strings.Fields(fmt.Sprint(err)), " ")
		if len(l.failed) > 120 {
			l.failed = l.failed[:120] + "…"
		}
	}
	return l
}

func orOK(failed string) string {
	if failed == "" {
		return "ok"
	}
	return failed
}

// withRustbelt runs fn while `rustbelt serve` serves the store of size n.
func (r *runner) withRustbelt(backend string, n int64, fn func() error) error {
	srv, err := startServer(r.ctx, "http://"+rustbeltAddr, "/healthz", r.rustbelt,
		"--db", rustbeltDB(r.store("rustbelt", backend, n)), "serve", "--addr", rustbeltAddr, "--limit", "0", "--timeout", queryTimeout.String())
	if err != nil {
		return err
	}
	defer srv.stop()
	return fn()
}

// coldStarts times one CLI question as a whole new process, on the bundled
// dataset in the default store and on the largest bolt store timed.
func (r *runner) coldStarts() error {
	fmt.Printf("\n### Cold start: one CLI question, whole process (median of %d)\n\n", r.cfg.coldRuns)
	fmt.Println("| store | question | rustbelt | cayley query | × |")
	fmt.Println("|---|---|---:|---:|---:|")
	xdg := filepath.Join(r.cfg.work, "xdg")
	os.RemoveAll(xdg)
	env := []string{"XDG_DATA_HOME=" + xdg}
	seedStore := filepath.Join(r.cfg.work, "stores", "cayley_seeds")
	if err := r.cayleySeedStore(seedStore); err != nil {
		return err
	}
	// The first command creates and seeds the default store; time the rest.
	if _, err := run(r.ctx, env, r.rustbelt, "stats"); err != nil {
		return err
	}
	type cold struct {
		store, question string
		rustbelt        []string
		cayleyStore     string
		gizmo           string
	}
	cases := []cold{{"default (bundled data)", "appointments --to Northeast", []string{"appointments", "--to", "Northeast", "--format", "json"}, seedStore, fmt.Sprintf(gizmoAppointments, "Northeast")}}
	if len(r.cfg.querySizes) > 0 && slices.Contains(r.cfg.sizes, r.cfg.querySizes[0]) {
		n := r.cfg.querySizes[0]
		t := synth.TargetsOf(synth.Config{Quads: n, Seed: r.cfg.seed})
		cases = append(cases, cold{"bolt " + sizeName(n), "policies --place " + t.City,
			[]string{"--db", rustbeltDB(r.store("rustbelt", "bolt", n)), "policies", "--place", t.City, "--format", "json"},
			r.store("cayley", "bolt", n), fmt.Sprintf(gizmoPolicies, t.City)})
	}
	for _, c := range cases {
		progress("cold start: %s on %s", c.question, c.store)
		rb, err := r.median(env, r.rustbelt, c.rustbelt...)
		if err != nil {
			return err
		}
		cay, err := r.median(nil, r.cayley, "query", "-d", "bolt", "-a", c.cayleyStore, "--lang", "gizmo", "-n", "-1", c.gizmo)
		if err != nil {
			return err
		}
		fmt.Printf("| %s | %s | %s | %s | %.1f |\n", c.store, c.question, ms(rb), ms(cay), float64(cay)/float64(rb))
	}
	return nil
}

// cayleySeedStore loads the bundled dataset into a new Cayley bolt store.
func (r *runner) cayleySeedStore(dir string) error {
	var all bytes.Buffer
	for _, name := range seeds.Names() {
		data, err := fs.ReadFile(seeds.FS(), name)
		if err != nil {
			return err
		}
		all.Write(data)
	}
	file := filepath.Join(r.cfg.work, "seeds.nq")
	if err := os.WriteFile(file, all.Bytes(), 0o644); err != nil {
		return err
	}
	os.RemoveAll(dir)
	_, err := run(r.ctx, nil, r.cayley, "load", "--init", "-d", "bolt", "-a", dir, "-i", file)
	return err
}

func (r *runner) median(env []string, name string, args ...string) (time.Duration, error) {
	var times []time.Duration
	for range r.cfg.coldRuns {
		u, err := run(r.ctx, env, name, args...)
		if err != nil {
			return 0, err
		}
		times = append(times, u.wall)
	}
	slices.Sort(times)
	return times[len(times)/2], nil
}

// httpLoad puts /api/appointments under concurrent load on loopback.
func (r *runner) httpLoad() error {
	if len(r.cfg.querySizes) == 0 || !slices.Contains(r.cfg.sizes, r.cfg.querySizes[0]) {
		return nil
	}
	n := r.cfg.querySizes[0]
	t := synth.TargetsOf(synth.Config{Quads: n, Seed: r.cfg.seed})
	const workers, total, maxTime = 8, 5000, 30 * time.Second
	fmt.Printf("\n### HTTP under load: `rustbelt serve` on the bolt %s store, %d concurrent clients, at most %d requests or %s\n\n", sizeName(n), workers, total, maxTime)
	fmt.Println("| endpoint | requests | errors | requests/s | p50 | p99 |")
	fmt.Println("|---|---:|---:|---:|---:|---:|")
	var failures []string
	defer func() {
		for _, f := range failures {
			fmt.Printf("\n%s\n", f)
		}
	}()
	var paths []string
	for _, place := range []string{t.City, t.Province, t.Region} {
		paths = append(paths, "/api/appointments?to="+url.QueryEscape(place))
	}
	// A region's first page, as a client that pages asks for it.
	paths = append(paths, "/api/appointments?to="+url.QueryEscape(t.Region)+"&limit=100")
	return r.withRustbelt("bolt", n, func() error {
		for _, path := range paths {
			progress("http load: %s", path)
			tp := hammer(request{url: "http://" + rustbeltAddr + path}, workers, total, maxTime)
			fmt.Printf("| `%s` | %d | %d | %.0f | %s | %s |\n", path, tp.requests, tp.errors, tp.rps, ms(tp.p50), ms(tp.p99))
			if tp.firstErr != "" {
				failures = append(failures, fmt.Sprintf("`%s`: the first failed request got %s", path, tp.firstErr))
			}
		}
		return nil
	})
}

// withDatabase swaps the database name of a postgres:// URL.
func withDatabase(addr, name string) string {
	u, err := url.Parse(addr)
	if err != nil {
		return addr
	}
	u.Path = "/" + name
	return u.String()
}

// recreateDatabase drops and creates the database addr names, on server.
func recreateDatabase(server, addr string) error {
	u, err := url.Parse(addr)
	if err != nil {
		return err
	}
	db, err := sql.Open("postgres", server)
	if err != nil {
		return err
	}
	defer db.Close()
	name := strings.TrimPrefix(u.Path, "/")
	if _, err := db.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"); err != nil {
		return fmt.Errorf("drop %s: %w", name, err)
	}
	if _, err := db.Exec("CREATE DATABASE " + name); err != nil {
		return fmt.Errorf("create %s: %w", name, err)
	}
	return nil
}

func mib(b int64) string { return fmt.Sprintf("%d MiB", b>>20) }

func ms(d time.Duration) string {
	switch {
	case d < 10*time.Millisecond:
		return fmt.Sprintf("%.2f ms", float64(d)/1e6)
	case d < 10*time.Second:
		return fmt.Sprintf("%.0f ms", float64(d)/1e6)
	}
	return fmt.Sprintf("%.1f s", d.Seconds())
}

func readFirst(path, prefix string) string {
	data, _ := os.ReadFile(path)
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, prefix) {
			_, v, _ := strings.Cut(line, ":")
			return strings.TrimSpace(v)
		}
	}
	return "?"
}

func cpuModel() string { return readFirst("/proc/cpuinfo", "model name") }
func memTotal() string { return readFirst("/proc/meminfo", "MemTotal") }

func loadAverage() string {
	data, _ := os.ReadFile("/proc/loadavg")
	f := strings.Fields(string(data))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

func kernel() string {
	data, _ := os.ReadFile("/proc/sys/kernel/osrelease")
	return "Linux " + strings.TrimSpace(string(data))
}

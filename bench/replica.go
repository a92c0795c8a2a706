package main

import (
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/rustbelt/rustbelt/bench/synth"
)

// The replica step's servers: PostgreSQL primary and replica (made by
// scripts/replica.sh), and a second rustbelt serve beside rustbeltAddr.
const (
	primaryPort  = "64320"
	replicaPort  = "64321"
	secondServer = "127.0.0.1:64312"
)

// replicaReads measures README's "Beyond one machine" on this machine: a
// PostgreSQL primary and a streaming replica of it (scripts/replica.sh),
// the first PostgreSQL size loaded on the primary, and read throughput of
// one `rustbelt serve` on the primary, one on the replica, and one on each
// with the clients spread over both, as a load balancer would.
func (r *runner) replicaReads() error {
	if len(r.cfg.pgSizes) == 0 || r.cfg.postgres == "" {
		return nil
	}
	n := r.cfg.pgSizes[0]
	const workers, total, maxTime = 8, 5000, 30 * time.Second
	fmt.Printf("\n### Reads beyond one machine: PostgreSQL primary and streaming replica (scripts/replica.sh) on this machine, %s quads, %d concurrent clients, at most %d requests or %s\n\n",
		sizeName(n), workers, total, maxTime)
	if tools, _ := filepath.Glob("/usr/lib/postgresql/*/bin/pg_basebackup"); len(tools) == 0 {
		fmt.Println("Skipped: no PostgreSQL server tools in /usr/lib/postgresql/*/bin.")
		return nil
	}
	root, err := output(r.ctx, "go", "list", "-m", "-f", "{{.Dir}}")
	if err != nil {
		return err
	}
	dir := filepath.Join(r.cfg.work, "replica")
	script := func(verb string) (string, error) {
		cmd := exec.CommandContext(r.ctx, "bash", filepath.Join(root, "scripts", "replica.sh"), verb)
		cmd.Env = append(os.Environ(), "RUSTBELT_REPLICA_DIR="+dir, "RUSTBELT_PRIMARY_PORT="+primaryPort, "RUSTBELT_REPLICA_PORT="+replicaPort)
		out, err := cmd.CombinedOutput()
		if err != nil {
			return "", fmt.Errorf("scripts/replica.sh %s: %w\n%s", verb, err, tail(string(out)))
		}
		return string(out), nil
	}
	script("down") // a pair an interrupted run left
	progress("replica: setting up a primary and a replica")
	out, err := script("up")
	if err != nil {
		return err
	}
	defer script("down")
	urls := map[string]string{}
	for _, line := range strings.Split(out, "\n") {
		if f := strings.Fields(line); len(f) == 3 {
			urls[f[0]] = f[1]
		}
	}
	primary, replica := urls["primary"], urls["replica"]
	progress("replica: loading %s quads on the primary", sizeName(n))
	start := time.Now()
	if _, err := run(r.ctx, nil, r.rustbelt, "--db", primary, "load", r.files[n]); err != nil {
		return err
	}
	loaded := time.Since(start)
	// The replica has the load once a server there answers with its rows.
	t := synth.TargetsOf(synth.Config{Quads: n, Seed: r.cfg.seed})
	path := "/api/appointments?to=" + url.QueryEscape(t.City)
	srv, err := startServer(r.ctx, "http://"+secondServer, "/healthz", r.rustbelt, "--db", replica, "serve", "--addr", secondServer, "--limit", "0")
	if err != nil {
		return err
	}
	var lag time.Duration
	for start := time.Now(); ; time.Sleep(50 * time.Millisecond) {
		if code, body, err := get("http://" + secondServer + path); err == nil && code == 200 && countRows(body) > 0 {
			lag = time.Since(start)
			break
		}
		if time.Since(start) > 5*time.Minute {
			srv.stop()
			return fmt.Errorf("the replica did not show the load within 5 minutes")
		}
	}
	srv.stop()
	fmt.Printf("The load took %s on the primary; the replica's server answered with it %s later.\n\n", loaded.Round(100*time.Millisecond), lag.Round(time.Millisecond))
	fmt.Println("| servers | endpoint | requests | errors | requests/s | p50 | p99 |")
	fmt.Println("|---|---|---:|---:|---:|---:|---:|")
	paths := []string{path, "/api/appointments?to=" + url.QueryEscape(t.Region) + "&limit=100"}
	for _, setup := range []struct {
		name string
		dbs  []string // a server on each, at rustbeltAddr then secondServer
	}{
		{"one, on the primary", []string{primary}},
		{"one, on the replica", []string{replica}},
		{"two: primary and replica", []string{primary, replica}},
	} {
		var bases []string
		var servers []*server
		for i, db := range setup.dbs {
			addr := []string{rustbeltAddr, secondServer}[i]
			srv, err := startServer(r.ctx, "http://"+addr, "/healthz", r.rustbelt, "--db", db, "serve", "--addr", addr, "--limit", "0")
			if err != nil {
				for _, s := range servers {
					s.stop()
				}
				return err
			}
			servers = append(servers, srv)
			bases = append(bases, "http://"+addr)
		}
		for _, p := range paths {
			progress("replica: %s: %s", setup.name, p)
			var reqs []request
			for _, b := range bases {
				reqs = append(reqs, request{url: b + p})
			}
			for _, req := range reqs { // warm every server's caches
				req.do()
			}
			tp := hammerSpread(reqs, workers, total, maxTime)
			fmt.Printf("| %s | `%s` | %d | %d | %.0f | %s | %s |\n", setup.name, p, tp.requests, tp.errors, tp.rps, ms(tp.p50), ms(tp.p99))
		}
		for _, s := range servers {
			s.stop()
		}
	}
	return nil
}

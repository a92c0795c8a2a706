package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rustbelt/rustbelt/internal/storetest"
	"github.com/rustbelt/rustbelt/internal/testbin"
	"github.com/rustbelt/rustbelt/store"
)

// replicaWithin bounds how long a write on the primary may take to reach
// the answers of a server on the replica: streaming replication takes
// milliseconds; the rest is room for a busy machine.
const replicaWithin = 20 * time.Second

// TestReplicaServesWhatThePrimaryLoads sets up README's "Beyond one
// machine" on this machine with scripts/replica.sh: a PostgreSQL primary,
// a streaming replica of it, and `rustbelt serve` on the replica as a
// process of its own. A source loaded on the primary must reach the
// server's answers within replicaWithin, through the replicated
// generation number that lets the server's caches go; the server must
// refuse writes, and so must every command that writes; /healthz must
// report the replication lag; and a new server, after the first is
// killed, must answer exactly as it did.
func TestReplicaServesWhatThePrimaryLoads(t *testing.T) {
	if tools, _ := filepath.Glob("/usr/lib/postgresql/*/bin/pg_basebackup"); len(tools) == 0 {
		if os.Getenv("CI") == "true" {
			t.Fatal("no PostgreSQL server tools in /usr/lib/postgresql/*/bin: scripts/deps installs them")
		}
		t.Skip("no PostgreSQL server tools in /usr/lib/postgresql/*/bin (apt-get install postgresql)")
	}
	ctx := context.Background()
	primary, replica := replicaPair(t)

	p, err := store.Open(ctx, primary, store.Options{}) // creates and seeds the store
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	waitForReplay(t, primary, replica)

	url, server := testbin.Serve(t, replica)
	var health struct {
		Replica     bool `json:"replica"`
		ReadOnly    bool `json:"read_only"`
		Replication struct {
			LagSeconds  *float64 `json:"lag_seconds"`
			BytesBehind *int64   `json:"bytes_behind"`
			Receiving   bool     `json:"receiving"`
		} `json:"replication"`
	}
	if status, body := get(t, url+"/healthz"); status != 200 || json.Unmarshal([]byte(body), &health) != nil ||
		!health.Replica || !health.ReadOnly || health.Replication.LagSeconds == nil || health.Replication.BytesBehind == nil || !health.Replication.Receiving {
		t.Errorf("healthz on the replica: %d %s; want it to say it is a replica, receiving, with its lag", status, body)
	}

	const person = "/api/entities/person/test-official"
	if status, _ := get(t, url+person); status != http.StatusNotFound {
		t.Fatalf("before the load the replica's server answers %d for the new person, want 404", status)
	}
	get(t, url+"/api/appointments?to=Jilin") // fill the caches a stale answer would come from

	start := time.Now()
	if _, err := p.Load(ctx, []store.Input{storetest.StringInput("new.nq", storetest.NewFacts)}, store.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	var card string
	for status := 0; status != http.StatusOK; {
		if time.Since(start) > replicaWithin {
			t.Fatalf("the source loaded on the primary did not reach the replica's server within %v (last status %d)", replicaWithin, status)
		}
		time.Sleep(20 * time.Millisecond)
		status, card = get(t, url+person)
	}
	t.Logf("a load on the primary reached the replica's answers in %v", time.Since(start).Round(time.Millisecond))
	if !strings.Contains(card, `"name":"Test Official"`) {
		t.Errorf("the new person's card on the replica: %s", card)
	}

	// Writes: the server refuses them, and so do the commands.
	req, _ := http.NewRequest(http.MethodPost, url+"/api/v2/write", strings.NewReader(storetest.NewFacts))
	if resp, err := http.DefaultClient.Do(req); err != nil {
		t.Fatal(err)
	} else {
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden || !strings.Contains(string(body), "replica") {
			t.Errorf("a write to the replica's server: %d %s; want 403 naming the replica", resp.StatusCode, body)
		}
	}
	facts := storetest.WriteTemp(t, "more.nq", storetest.PersonFacts("replica", 4))
	for _, args := range [][]string{{"load", facts}, {"serve", "--writable", "--addr", "127.0.0.1:0"}} {
		r := run(t, "", append([]string{"--db", replica}, args...)...)
		if r.code == 0 || !strings.Contains(r.stderr, "read-only streaming replica") || !strings.Contains(r.stderr, "primary") {
			t.Errorf("rustbelt %s on the replica: exit %d, %q; want a refusal that sends writes to the primary", args[0], r.code, r.stderr)
		}
	}

	// A new server after a kill answers exactly as the first did.
	paths := []string{person, "/api/appointments?to=Jilin", "/api/policies?place=Harbin"}
	var before []string
	for _, path := range paths {
		_, body := get(t, url+path)
		before = append(before, body)
	}
	server.Process.Kill()
	server.Wait()
	url, _ = testbin.Serve(t, replica)
	for i, path := range paths {
		if status, body := get(t, url+path); status != http.StatusOK || body != before[i] {
			t.Errorf("%s after the server was killed and another started: %d\n%s\nwant\n%s", path, status, body, before[i])
		}
	}
}

// replicaPair starts a primary and a replica with scripts/replica.sh on
// free ports in a new folder, and returns their URLs; the test's end
// stops both and removes the folder.
func replicaPair(t *testing.T) (primary, replica string) {
	t.Helper()
	dir, err := os.MkdirTemp("", "rustbelt-replica-") // not t.TempDir: the servers run as postgres, which must enter it
	if err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(), "RUSTBELT_REPLICA_DIR="+dir,
		"RUSTBELT_PRIMARY_PORT="+freePort(t), "RUSTBELT_REPLICA_PORT="+freePort(t))
	script := func(verb string) string {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, "bash", filepath.Join("..", "..", "scripts", "replica.sh"), verb)
		cmd.Env = env
		out, err := cmd.Output()
		if err != nil {
			var stderr []byte
			if ee, ok := err.(*exec.ExitError); ok {
				stderr = ee.Stderr
			}
			t.Fatalf("scripts/replica.sh %s: %v\n%s%s", verb, err, out, stderr)
		}
		return string(out)
	}
	t.Cleanup(func() { script("down") })
	for _, line := range strings.Split(script("up"), "\n") {
		switch f := strings.Fields(line); {
		case len(f) == 3 && f[0] == "primary":
			primary = f[1]
		case len(f) == 3 && f[0] == "replica":
			replica = f[1]
		}
	}
	if primary == "" || replica == "" {
		t.Fatal("scripts/replica.sh up printed no URLs")
	}
	return primary, replica
}

// freePort is a TCP port on loopback that nothing listens on.
func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
}

// waitForReplay waits until the replica has replayed all the primary has
// written so far.
func waitForReplay(t *testing.T, primary, replica string) {
	t.Helper()
	lsn := func(url, query string) string {
		db, err := sql.Open("postgres", url)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		var s string
		if err := db.QueryRow(query).Scan(&s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	want := lsn(primary, "SELECT pg_current_wal_lsn()::text")
	for start := time.Now(); time.Since(start) < replicaWithin; time.Sleep(50 * time.Millisecond) {
		if lsn(replica, "SELECT (pg_last_wal_replay_lsn() >= '"+want+"'::pg_lsn)::text") == "true" {
			return
		}
	}
	t.Fatalf("the replica did not replay the primary's log up to %s within %v", want, replicaWithin)
}

// get fetches url and returns the status and body.
func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(body)
}

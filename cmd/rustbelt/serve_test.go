package main

import (
	"bytes"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestServeChecksHostAndOrigin starts `rustbelt serve` with --allow-host
// and --cors: requests under an allowed name, or from the pages of the
// --cors origin (written in any case, with a final slash), are answered,
// those under other names or from other pages are refused.
func TestServeChecksHostAndOrigin(t *testing.T) {
	base, stderr, _ := serving(t, "--db", testDB(t), "serve", "--addr", "127.0.0.1:0",
		"--allow-host", "rustbelt.example", "--cors", "HTTP://App.Example:8080/")
	tests := []struct {
		host, origin string
		status       int
		allowOrigin  string
	}{
		{"", "", 200, ""},
		{"rustbelt.example:80", "", 200, ""},
		{"evil.example", "", 403, ""},
		{"", "http://app.example:8080", 200, "http://app.example:8080"},
		{"", "http://evil.example", 403, ""},
	}
	for _, tt := range tests {
		req, err := http.NewRequest("GET", base+"/api/appointments?to=Jilin", nil)
		if err != nil {
			t.Fatal(err)
		}
		if tt.host != "" {
			req.Host = tt.host
		}
		if tt.origin != "" {
			req.Header.Set("Origin", tt.origin)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tt.status || resp.Header.Get("Access-Control-Allow-Origin") != tt.allowOrigin {
			t.Errorf("Host %q, Origin %q: status %d, Access-Control-Allow-Origin %q; want %d, %q",
				tt.host, tt.origin, resp.StatusCode, resp.Header.Get("Access-Control-Allow-Origin"), tt.status, tt.allowOrigin)
		}
	}
	if strings.Contains(stderr.String(), "level=ERROR") {
		t.Errorf("refusals were logged as errors:\n%s", stderr)
	}
}

// TestServeRefusesBadWebFlags checks --allow-host and --cors values: what
// is not a host name or an origin is a usage error, before the store opens.
func TestServeRefusesBadWebFlags(t *testing.T) {
	for _, args := range [][]string{
		{"--cors", "*"},
		{"--cors", "app.example"},
		{"--cors", "https://app.example/page"},
		{"--cors", "ftp://app.example"},
		{"--cors", "https://user@app.example"},
		{"--allow-host", "http://rustbelt.example/"},
		{"--allow-host", ""},
	} {
		r := run(t, "", append([]string{"--db", filepath.Join(t.TempDir(), "none.bolt"), "serve", "--addr", "127.0.0.1:0"}, args...)...)
		if r.code != exitUsage || !strings.Contains(r.stderr, args[0]) {
			t.Errorf("serve %q: exit %d, %q; want a usage error naming %s", args, r.code, r.stderr, args[0])
		}
	}
}

// TestTokenFileOpenToOthersIsWarned reads token files with several
// permissions: one that others may read or write gets a warning naming the
// fix, as ssh gives for a private key; one of the owner's only gets none.
func TestTokenFileOpenToOthersIsWarned(t *testing.T) {
	const token = "0123456789abcdef-token"
	dir := t.TempDir()
	tests := []struct {
		name string
		mode os.FileMode
		warn bool
	}{
		{"owner only", 0o600, false},
		{"owner read only", 0o400, false},
		{"world readable", 0o644, true},
		{"group readable", 0o640, true},
		{"world writable", 0o602, true},
	}
	for _, tt := range tests {
		path := filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "-"))
		if err := os.WriteFile(path, []byte(token+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(path, tt.mode); err != nil {
			t.Fatal(err)
		}
		link := path + ".link" // a link has its target's permissions
		if err := os.Symlink(path, link); err != nil {
			t.Fatal(err)
		}
		for _, p := range []string{path, link} {
			var stderr bytes.Buffer
			got, err := writeToken(p, &stderr)
			if err != nil || got != token {
				t.Errorf("%s: token %q, %v", tt.name, got, err)
			}
			warned := strings.Contains(stderr.String(), "warning") && strings.Contains(stderr.String(), "chmod 600 "+p)
			if warned != tt.warn || !tt.warn && stderr.Len() > 0 {
				t.Errorf("%s (%s, %04o): stderr %q; want a warning: %v", tt.name, p, tt.mode, stderr.String(), tt.warn)
			}
		}
	}
	// A path that never ends is refused, not read forever.
	if _, err := writeToken("/dev/zero", io.Discard); err == nil || !strings.Contains(err.Error(), "expected one token") {
		t.Errorf("/dev/zero as a token file: %v", err)
	}
}

package main

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"runtime"
	"strings"
)

// minTokenLen is the shortest write token serve accepts from a file: a
// short one can be guessed by anyone who can reach the port.
const minTokenLen = 16

// writeToken is the token `serve --writable` asks of writers: the contents
// of path, or, without one, a new random token shown once on w.
func writeToken(path string, w io.Writer) (string, error) {
	if path == "" {
		b := make([]byte, 32)
		if _, err := rand.Read(b); err != nil {
			return "", fmt.Errorf("make a write token: %w", err)
		}
		token := hex.EncodeToString(b)
		fmt.Fprintf(w, "rustbelt: write token, shown this once (send it as Authorization: Bearer TOKEN):\n%s\n", token)
		return token, nil
	}
	b, mode, err := readSecret(path)
	if err != nil {
		return "", usageError{fmt.Errorf("--token-file: %w", err)}
	}
	token := strings.TrimSpace(string(b))
	if len(token) < minTokenLen || len(b) > maxSecretBytes || strings.ContainsAny(token, " \t\r\n") {
		return "", usageError{fmt.Errorf("--token-file %s: expected one token of %d to %d characters, without spaces", path, minTokenLen, maxSecretBytes)}
	}
	if runtime.GOOS != "windows" && mode&0o077 != 0 {
		// As ssh says of a private key; a warning, not a refusal, so that
		// a server started from a shared file keeps starting.
		fmt.Fprintf(w, "rustbelt: warning: --token-file %s is open to other users (permissions %04o): anyone on this machine may write to the graph; chmod 600 %s\n",
			path, mode, path)
	}
	return token, nil
}

// maxSecretBytes bounds what readSecret reads: a token is short, and a path
// such as /dev/zero must not be read forever.
const maxSecretBytes = 4 << 10

// readSecret reads at most maxSecretBytes+1 bytes of the file at path and
// returns its permissions, as the opened file has them (not the name's,
// which could change between).
func readSecret(path string) ([]byte, fs.FileMode, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, 0, err
	}
	b, err := io.ReadAll(io.LimitReader(f, maxSecretBytes+1))
	return b, fi.Mode().Perm(), err
}

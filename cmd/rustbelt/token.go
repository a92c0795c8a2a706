package main

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"os"
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
	b, err := os.ReadFile(path)
	if err != nil {
		return "", usageError{fmt.Errorf("--token-file: %w", err)}
	}
	token := strings.TrimSpace(string(b))
	if len(token) < minTokenLen || strings.ContainsAny(token, " \t\r\n") {
		return "", usageError{fmt.Errorf("--token-file %s: expected one token of at least %d characters without spaces", path, minTokenLen)}
	}
	return token, nil
}

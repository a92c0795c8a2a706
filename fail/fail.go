// Package fail is rustbelt's one error type: a Code that the CLI maps to an
// exit status and the server to an HTTP status, a message, the candidates a
// name could have meant, and the error underneath.
package fail

import (
	"errors"
	"fmt"
	"strings"
)

// Code classifies an error so that the CLI can pick an exit status and the
// HTTP server a response status, from the one error type.
type Code int

// The error codes.
const (
	Internal  Code = iota // a bug or an I/O failure
	Invalid               // bad input: a flag, a parameter, a file
	NotFound              // a name that resolves to nothing
	Ambiguous             // a name that resolves to several entities and no rule decides
	Locked                // the store is held by another process
	Timeout               // a query ran past its time limit
	Forbidden             // a write to a read-only store
	Busy                  // too much is running at once; the same request may succeed later
)

// Error is the error type of every rustbelt package.
type Error struct {
	Code Code
	Msg  string
	// Candidates are the entities a name could have meant: the closest names
	// for NotFound, the matches for Ambiguous.
	Candidates []Candidate
	Err        error
}

// Candidate is an entity a name could have meant.
type Candidate struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Class string `json:"class"`
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Msg)
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	if len(e.Candidates) > 0 {
		if e.Code == NotFound {
			b.WriteString("; did you mean ")
		} else {
			b.WriteString("; candidates: ")
		}
		for i, c := range e.Candidates {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "%q (%s, %s)", c.Name, c.Class, c.ID)
		}
	}
	return b.String()
}

// Unwrap returns the error underneath.
func (e *Error) Unwrap() error { return e.Err }

// CodeOf returns the code of the first *Error in err's chain, or Internal.
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// Errorf makes an *Error of code with a formatted message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Msg: fmt.Sprintf(format, args...)}
}

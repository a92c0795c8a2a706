package store

import (
	"bytes"
	"fmt"
	"runtime/debug"

	"github.com/rustbelt/rustbelt/fail"
)

// RecoverDamage turns a panic that a damaged store file causes into an
// error in *err; defer it, after debug.SetPanicOnFault(true), in a goroutine
// that reads a bolt store. Bolt and Cayley trust the pages of the file:
// damage makes bolt index out of range, or makes either read through the
// memory map at an address that faults, which would end the program with a
// stack trace instead of a message. Other panics go on, with their traces.
func RecoverDamage(err *error) {
	r := recover()
	if r == nil {
		return
	}
	// The stack still holds the panicking frames here.
	if !isFault(r) && !bytes.Contains(debug.Stack(), []byte("github.com/boltdb/bolt.")) {
		panic(r)
	}
	*err = damaged(r)
}

// isFault reports whether a recovered panic is a memory fault at a real
// address (not nil): in this program only the mapped store file is read
// that way.
func isFault(r any) bool {
	_, ok := r.(interface{ Addr() uintptr })
	return ok
}

func damaged(r any) error {
	return &fail.Error{Code: fail.Internal, Msg: fmt.Sprintf("the store file is damaged (%v); restore it from a backup", r)}
}

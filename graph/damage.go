package graph

import (
	"bytes"
	"fmt"
	"runtime/debug"
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
	// A fault at a real address (not nil) can only come from the mapped
	// store file; the stack still holds the panicking frames here.
	_, fault := r.(interface{ Addr() uintptr })
	if !fault && !bytes.Contains(debug.Stack(), []byte("github.com/boltdb/bolt.")) {
		panic(r)
	}
	*err = &Error{Code: Internal, Msg: fmt.Sprintf("the store file is damaged (%v); restore it from a backup", r)}
}

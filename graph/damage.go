package graph

import (
	"bytes"
	"fmt"
	"runtime/debug"
)

// RecoverDamage turns a panic raised inside bolt into an error in *err; defer
// it, after debug.SetPanicOnFault(true), in a goroutine that reads a bolt
// store. Bolt trusts the pages of its file: a damaged page makes it index
// out of range or, through its memory map, fault, which would end the
// program with a stack trace instead of a message. Other panics go on
// untouched, with their own traces.
func RecoverDamage(err *error) {
	stack := debug.Stack() // taken before recover, so it still shows where the panic began
	if !bytes.Contains(stack, []byte("panic(")) || !bytes.Contains(stack, []byte("github.com/boltdb/bolt.")) {
		return
	}
	r := recover()
	*err = &Error{Code: Internal, Msg: fmt.Sprintf("the store file is damaged (bolt: %v); restore it from a backup", r)}
}

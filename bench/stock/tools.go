//go:build tools

// Package stock pins the stock cayley command as a build dependency of this
// module, so that `go build github.com/cayleygraph/cayley/cmd/cayley` here
// uses exactly cayley v0.7.7 and the versions its go.mod requires.
package stock

import _ "github.com/cayleygraph/cayley/cmd/cayley"

// Package graph is rustbelt's domain: the records of the graph (people,
// places, appointments, policies, investments, observations) as plain Go
// structs, the one resolver of names, the one containment walk, and the
// questions the commands and the server ask (appointments, policies,
// investments, indicators, timelines, cards, subgraphs).
//
// It reads quads through Storage, an interface of its own that package
// store implements; nothing here knows about bolt pages, SQL, Gizmo, flags
// or HTTP.
package graph

import (
	"context"

	"github.com/cayleygraph/quad"
)

// Storage is the quad store as the domain reads it.
type Storage interface {
	// Quads calls fn with every quad that has node in direction d.
	Quads(ctx context.Context, node quad.Value, d quad.Direction, fn func(quad.Quad)) error
	// Linked returns the nodes at the result end of the quads that have
	// node at the from end and predicate pred.
	Linked(ctx context.Context, node quad.Value, pred quad.IRI, from, result quad.Direction) ([]quad.Value, error)
	// Generation changes with every write; exact reports whether it
	// changes with every write by anyone (this process being the only
	// writer, or the number kept by the database in the same transaction
	// as the data), so that records read once may be kept until it
	// changes.
	Generation(ctx context.Context) (gen uint64, exact bool, err error)
	// QuadsPerLabel counts quads by source label ("" for none).
	QuadsPerLabel(ctx context.Context) (map[quad.IRI]int64, error)
	// Counts returns the number of quads and nodes.
	Counts(ctx context.Context) (quads, nodes int64, err error)
	// Kind names the backend, for Stats.
	Kind() string
}

// TypeCounter is a Storage that keeps, for each class, how many distinct
// subjects (blank nodes too) rdf:type gives it, as data is written
// (package store does):
// Stats then reads those counts instead of listing every entity.
type TypeCounter interface {
	TypeCounts(ctx context.Context) (map[quad.IRI]int64, error)
}

// ManyReader is a Storage that reads the quads of many nodes in one go
// (package store does, in one transaction or query): questions that
// describe thousands of nodes at once, such as Stats and Sources, ask for
// them together instead of paying a read per node.
type ManyReader interface {
	// QuadsOf calls fn with every quad that has one of nodes in
	// direction d, each once, in no particular order.
	QuadsOf(ctx context.Context, nodes []quad.Value, d quad.Direction, fn func(quad.Quad)) error
}

// Graph answers the domain's questions over a Storage. Its methods are safe
// for concurrent use. The same question over the same store gives the same
// answer, byte for byte, whatever the backend and however many requests
// share the caches: everything read is walked in id order. A question whose
// reads fail, or that runs past its context's deadline, returns that error
// and no answer, never one built from what it could read.
type Graph struct {
	storage Storage
	cache   cache
}

// New returns the graph over storage.
func New(storage Storage) *Graph {
	return &Graph{storage: storage}
}

package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/binary"
	"fmt"
	"slices"

	bbolt "github.com/boltdb/bolt"
	cgraph "github.com/cayleygraph/cayley/graph"
	ckv "github.com/cayleygraph/cayley/graph/kv"
	"github.com/cayleygraph/cayley/graph/proto"
	csql "github.com/cayleygraph/cayley/graph/sql"
	"github.com/cayleygraph/quad"
	"github.com/lib/pq"
)

// QuadsOf calls fn with every quad that has one of nodes in direction d, in
// no particular order: Quads for many nodes at the cost of one read. A
// question that describes thousands of nodes (stats, every source's title
// and date) would otherwise pay a transaction, an index descent and a batch
// of log reads per node. On bolt the nodes' index entries and log records
// are read in one transaction, each in key order; on PostgreSQL the quads
// are one query; memory reads node by node, which costs nothing there.
func (s *Store) QuadsOf(ctx context.Context, nodes []quad.Value, d quad.Direction, fn func(quad.Quad)) error {
	qs, done := s.quadStore()
	defer done()
	var refs []cgraph.Ref
	var err error
	ind, indexed := leadingIndex(s.indexes, d)
	switch {
	case s.db != nil && indexed:
		refs, err = boltQuadRefs(ctx, s.db, ind, nodes, &s.values, s.generation.Load())
	case s.pg != nil:
		refs, err = sqlQuadRefs(ctx, s.pg.db, nodes, d)
	default:
		seen := make(map[string]bool, len(nodes))
		for _, n := range nodes {
			if n == nil || seen[n.String()] {
				continue
			}
			seen[n.String()] = true
			if refs, err = quadRefs(ctx, qs, n, d, refs); err != nil {
				break
			}
		}
	}
	if err != nil {
		return err
	}
	return s.emitQuads(ctx, qs, refs, fn)
}

// emitQuads resolves refs, four to a quad in direction order, in one batch
// and calls fn with each quad.
func (s *Store) emitQuads(ctx context.Context, qs cgraph.QuadStore, refs []cgraph.Ref, fn func(quad.Quad)) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	vals, err := s.valuesOf(ctx, qs, refs)
	if err != nil {
		return err
	}
	for i := 0; i < len(vals); i += 4 {
		fn(quad.Quad{Subject: vals[i], Predicate: vals[i+1], Object: vals[i+2], Label: vals[i+3]})
	}
	return nil
}

// quadRefs appends the node references of every quad that has node in
// direction d, four to a quad, through Cayley's own iterator.
func quadRefs(ctx context.Context, qs cgraph.QuadStore, node quad.Value, d quad.Direction, refs []cgraph.Ref) ([]cgraph.Ref, error) {
	ref := qs.ValueOf(node)
	if ref == nil {
		return refs, nil
	}
	it := qs.QuadIterator(d, ref)
	defer it.Close()
	for it.Next(ctx) {
		q := it.Result()
		for _, dir := range quad.Directions {
			refs = append(refs, qs.QuadDirection(q, dir))
		}
	}
	if err := it.Err(); err != nil {
		return nil, err
	}
	return refs, ctx.Err()
}

// leadingIndex returns a kv index whose first direction is d.
func leadingIndex(indexes []ckv.QuadIndex, d quad.Direction) (ckv.QuadIndex, bool) {
	for _, ind := range indexes {
		if len(ind.Dirs) > 0 && ind.Dirs[0] == d {
			return ind, true
		}
	}
	return ckv.QuadIndex{}, false
}

// boltQuadRefs reads, in one transaction, the quads of a Cayley bolt store
// that have one of nodes in the first direction of ind, as Cayley's quad
// iterator reads them (an index prefix, then the log, skipping quads marked
// deleted), and returns their node references four to a quad. Nodes whose
// ids known holds for generation gen are not looked up by hash. The node ids and then the
// quad ids are visited in order, so that one cursor walks each bucket
// forwards.
func boltQuadRefs(ctx context.Context, db *bbolt.DB, ind ckv.QuadIndex, nodes []quad.Value, known *valueCache, gen uint64) ([]cgraph.Ref, error) {
	var refs []cgraph.Ref
	err := db.View(func(tx *bbolt.Tx) error {
		ids := make([]uint64, 0, len(nodes))
		for _, n := range nodes {
			if n == nil {
				continue
			}
			if iri, ok := n.(quad.IRI); ok {
				if ref, ok := known.refOf(iri, gen); ok {
					if id, ok := ref.(ckv.Int64Value); ok {
						ids = append(ids, uint64(id))
						continue
					}
				}
			}
			if id := lookupID(tx, n); id != 0 {
				ids = append(ids, id)
			}
		}
		slices.Sort(ids)
		ids = slices.Compact(ids)
		index, log := tx.Bucket(indexBucket(ind)), tx.Bucket(logBucket)
		if index == nil || log == nil {
			return damaged(fmt.Sprintf("no %s index or no log", indexBucket(ind)))
		}
		var quadIDs []uint64
		c := index.Cursor()
		prefix := make([]byte, 8)
		for i, id := range ids {
			if i%1024 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			binary.BigEndian.PutUint64(prefix, id)
			for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
				list, err := decodeIDs(v)
				if err != nil {
					return fmt.Errorf("index %s: %w", indexBucket(ind), err)
				}
				quadIDs = append(quadIDs, list...)
			}
		}
		slices.Sort(quadIDs)
		quadIDs = slices.Compact(quadIDs)
		refs = make([]cgraph.Ref, 0, 4*len(quadIDs))
		key := make([]byte, 8)
		for i, id := range quadIDs {
			if i%4096 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			binary.BigEndian.PutUint64(key, id)
			data := log.Get(key)
			if data == nil {
				continue // as Cayley's iterator: an index entry the log lost
			}
			var p proto.Primitive
			if err := p.Unmarshal(data); err != nil {
				return fmt.Errorf("log entry %d: %w", id, err)
			}
			if p.Deleted {
				continue
			}
			for _, dir := range quad.Directions {
				refs = append(refs, kvRef(p.GetDirection(dir)))
			}
		}
		return nil
	})
	return refs, err
}

// kvRef is the reference Cayley's kv store gives node id: none for 0, the
// missing label.
func kvRef(id uint64) cgraph.Ref {
	if id == 0 {
		return nil
	}
	return ckv.Int64Value(id)
}

// sqlQuadRefs reads the quads of a Cayley SQL store that have one of nodes
// in direction d, in one query, and returns their node references four to
// a quad.
func sqlQuadRefs(ctx context.Context, db *sql.DB, nodes []quad.Value, d quad.Direction) ([]cgraph.Ref, error) {
	hashes := make([][]byte, 0, len(nodes))
	for _, n := range nodes {
		if n != nil {
			h := cgraph.HashOf(n)
			hashes = append(hashes, h[:])
		}
	}
	column, ok := map[quad.Direction]string{quad.Subject: "subject_hash", quad.Predicate: "predicate_hash", quad.Object: "object_hash", quad.Label: "label_hash"}[d]
	if !ok {
		return nil, fmt.Errorf("read quads by %v: no such direction", d)
	}
	rows, err := db.QueryContext(ctx, `SELECT subject_hash, predicate_hash, object_hash, label_hash FROM quads WHERE `+column+` = ANY($1)`, pq.ByteaArray(hashes))
	if err != nil {
		return nil, fmt.Errorf("read quads: %w", err)
	}
	defer rows.Close()
	var refs []cgraph.Ref
	for rows.Next() {
		var cols [4][]byte
		if err := rows.Scan(&cols[0], &cols[1], &cols[2], &cols[3]); err != nil {
			return nil, fmt.Errorf("read quads: %w", err)
		}
		for _, c := range cols {
			var h csql.NodeHash
			if err := h.Scan(c); err != nil {
				return nil, fmt.Errorf("read quads: %w", err)
			}
			if h.Valid() {
				refs = append(refs, h)
			} else {
				refs = append(refs, nil)
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read quads: %w", err)
	}
	return refs, nil
}

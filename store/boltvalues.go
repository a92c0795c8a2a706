package store

import (
	"cmp"
	"context"
	"encoding/binary"
	"fmt"
	"slices"

	bbolt "github.com/boltdb/bolt"
	cgraph "github.com/cayleygraph/cayley/graph"
	ckv "github.com/cayleygraph/cayley/graph/kv"
	"github.com/cayleygraph/cayley/graph/proto"
	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/pquads"
)

// boltValues resolves the node ids of a Cayley bolt store in one
// transaction, reading the log in id order with one cursor. Cayley's own
// ValuesOf looks each id up from the root, through two layers of batching,
// which is most of what describing thousands of nodes costs in a new
// process. The log records are read as Cayley's ValuesOf reads them.
func boltValues(ctx context.Context, db *bbolt.DB, refs []cgraph.Ref) ([]quad.Value, error) {
	out := make([]quad.Value, len(refs))
	type want struct {
		id uint64
		at int
	}
	wants := make([]want, 0, len(refs))
	for i, ref := range refs {
		switch r := ref.(type) {
		case ckv.Int64Value:
			if r != 0 {
				wants = append(wants, want{uint64(r), i})
			}
		case cgraph.PreFetchedValue:
			out[i] = r.NameOf()
		case nil:
		default:
			return nil, fmt.Errorf("resolve a node: unexpected reference %T", ref)
		}
	}
	slices.SortFunc(wants, func(a, b want) int { return cmp.Compare(a.id, b.id) })
	err := db.View(func(tx *bbolt.Tx) error {
		log := tx.Bucket(logBucket)
		if log == nil {
			return damaged("no log")
		}
		c := log.Cursor()
		key := make([]byte, 8)
		var last uint64
		var val quad.Value
		for j, w := range wants {
			if j%4096 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			if j == 0 || w.id != last {
				binary.BigEndian.PutUint64(key, w.id)
				k, data := c.Seek(key)
				var err error
				if val, err = nodeValue(k, key, data); err != nil {
					return fmt.Errorf("log entry %d: %w", w.id, err)
				}
				last = w.id
			}
			out[w.at] = val
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("resolve nodes: %w", err)
	}
	return out, nil
}

// nodeValue decodes the log record at k if it is the one key names and a
// node; nil otherwise, as Cayley reads a missing node or a quad.
func nodeValue(k, key, data []byte) (quad.Value, error) {
	if string(k) != string(key) {
		return nil, nil
	}
	var p proto.Primitive
	if err := p.Unmarshal(data); err != nil {
		return nil, err
	}
	if !p.IsNode() {
		return nil, nil
	}
	return pquads.UnmarshalValue(p.Value)
}

package store

import (
	"encoding/binary"
	"fmt"
	"slices"

	bbolt "github.com/boltdb/bolt"
	cgraph "github.com/cayleygraph/cayley/graph"
	ckv "github.com/cayleygraph/cayley/graph/kv"
	"github.com/cayleygraph/cayley/graph/proto"
	"github.com/cayleygraph/quad"

	"github.com/rustbelt/rustbelt/schema"
)

// What a bolt store keeps for Stats, so that it reads no quad: a bucket
// beside Cayley's, with the number of nodes, the quads of each label and
// the distinct subjects of each class, by node id. The bulk writer adds to
// it in the transaction of each batch; a Delete or Replace, which Cayley's
// own writer makes, adds what it changed right after (see countedWrite).
//
// The counts hold for the store as it was when they were written, which
// they record as Cayley's own size and horizon (every write changes one of
// the two). A store written by another program (stock Cayley), or whose
// counts a crash kept from following a write, reads as having none, and
// its readers count by reading every quad, as before; the next rustbelt
// write counts it once and keeps it from then on.
var countsBucket = []byte("rustbelt_counts")

// Keys in countsBucket: countsStamp and countsNodes alone, countsLabel and
// countsClass followed by a node id (8 bytes, big-endian; label 0 counts
// the unlabelled).
var (
	countsStamp = []byte("stamp")
	countsNodes = []byte("nodes")
)

const (
	countsLabel = 'l'
	countsClass = 'c'
)

// countsDelta is a change to the counts, by node id.
type countsDelta struct {
	nodes   int64
	labels  map[uint64]int64
	classes map[uint64]int64
}

func newCountsDelta() *countsDelta {
	return &countsDelta{labels: map[uint64]int64{}, classes: map[uint64]int64{}}
}

// stamp is the state of the store the counts describe: Cayley's meta size
// and horizon.
func stamp(tx *bbolt.Tx) []byte {
	meta := tx.Bucket(metaBucket)
	if meta == nil {
		return make([]byte, 16)
	}
	b := binary.BigEndian.AppendUint64(nil, metaInt(meta, "size"))
	return binary.BigEndian.AppendUint64(b, metaInt(meta, "horizon"))
}

// countsValid reports whether the counts describe the store as it is in
// tx. A store that was never written needs none to be described.
func countsValid(tx *bbolt.Tx) bool {
	b := tx.Bucket(countsBucket)
	if b == nil {
		return slices.Equal(stamp(tx), make([]byte, 16))
	}
	return slices.Equal(b.Get(countsStamp), stamp(tx))
}

// applyCounts adds d to the counts and stamps them with the store's state
// in tx; the caller checked that they were valid before its write.
func applyCounts(tx *bbolt.Tx, d *countsDelta) error {
	b, err := tx.CreateBucketIfNotExists(countsBucket)
	if err != nil {
		return err
	}
	add := func(key []byte, n int64) error {
		if n == 0 {
			return nil
		}
		n += int64(countAt(b, key))
		if n <= 0 {
			return b.Delete(key)
		}
		return b.Put(key, binary.BigEndian.AppendUint64(nil, uint64(n)))
	}
	if err := add(countsNodes, d.nodes); err != nil {
		return err
	}
	for _, m := range []struct {
		kind byte
		by   map[uint64]int64
	}{{countsLabel, d.labels}, {countsClass, d.classes}} {
		for id, n := range m.by {
			if err := add(countsKey(m.kind, id), n); err != nil {
				return err
			}
		}
	}
	return b.Put(countsStamp, stamp(tx))
}

// replaceCounts writes d as the whole of the counts, stamped.
func replaceCounts(tx *bbolt.Tx, d *countsDelta) error {
	if tx.Bucket(countsBucket) != nil {
		if err := tx.DeleteBucket(countsBucket); err != nil {
			return err
		}
	}
	return applyCounts(tx, d)
}

func countsKey(kind byte, id uint64) []byte {
	return binary.BigEndian.AppendUint64([]byte{kind}, id)
}

func countAt(b *bbolt.Bucket, key []byte) uint64 {
	if v := b.Get(key); len(v) == 8 {
		return binary.BigEndian.Uint64(v)
	}
	return 0
}

// readCounts returns the kept counts, by node id, if they describe the
// store as it is.
func readCounts(tx *bbolt.Tx) (*countsDelta, bool) {
	if !countsValid(tx) {
		return nil, false
	}
	d := newCountsDelta()
	b := tx.Bucket(countsBucket)
	if b == nil {
		return d, true
	}
	d.nodes = int64(countAt(b, countsNodes))
	c := b.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if len(k) != 9 || len(v) != 8 {
			continue
		}
		n := int64(binary.BigEndian.Uint64(v))
		switch k[0] {
		case countsLabel:
			d.labels[binary.BigEndian.Uint64(k[1:])] = n
		case countsClass:
			d.classes[binary.BigEndian.Uint64(k[1:])] = n
		}
	}
	return d, true
}

// opsIndex returns the index keyed by object, predicate and subject, which
// holds one key per distinct subject of a class; false if the store keeps
// none (an old layout), whose classes are then not kept.
func opsIndex(indexes []ckv.QuadIndex) (ckv.QuadIndex, bool) {
	for _, ind := range indexes {
		if slices.Equal(ind.Dirs, []quad.Direction{quad.Object, quad.Predicate, quad.Subject}) {
			return ind, true
		}
	}
	return ckv.QuadIndex{}, false
}

// tallyBatch counts what a bulk batch adds: its new nodes, its new quads
// by label, and the subjects its type quads give a class for the first
// time, which are those whose key in the ops index is new. It runs before
// the batch's index entries are written; with the indexes deferred, their
// writing counts the classes (see writeIndex).
func (w *bulkWriter) tallyBatch(tx *bbolt.Tx, nodes []node, links []proto.Primitive, firstNew uint64) (*countsDelta, error) {
	d := newCountsDelta()
	var typeID uint64
	for _, n := range nodes[1:] {
		if n.new {
			d.nodes++
		}
		if n.val == schema.Type {
			typeID = n.id
		}
	}
	ops, hasOps := opsIndex(w.indexes)
	hasOps = hasOps && w.deferred == nil
	var opsBucket *bbolt.Bucket
	if hasOps {
		opsBucket = tx.Bucket(indexBucket(ops))
	}
	typed := map[[2]uint64]bool{}
	for i := range links {
		p := &links[i]
		d.labels[p.Label]++
		if typeID == 0 || p.Predicate != typeID || !hasOps {
			continue
		}
		pair := [2]uint64{p.Subject, p.Object}
		if typed[pair] {
			continue
		}
		typed[pair] = true
		if p.Subject < firstNew && p.Object < firstNew && opsBucket != nil { // else new for sure
			live, err := livePair(tx, ops, p)
			if err != nil {
				return nil, err
			}
			if live {
				continue
			}
		}
		d.classes[p.Object]++
	}
	return d, nil
}

// livePair reports whether a quad that the store holds (under any label)
// has p's subject, predicate and object. Cayley's writer leaves the ids of
// deleted quads in the index, marked deleted in the log.
func livePair(tx *bbolt.Tx, ops ckv.QuadIndex, p *proto.Primitive) (bool, error) {
	b := tx.Bucket(indexBucket(ops))
	if b == nil {
		return false, nil
	}
	return anyLive(tx, b.Get(indexKey(ops, p)))
}

// ensureCounts counts a bolt store whose counts are missing or stale, so
// that writes can keep them from then on. It reads every quad, once.
func ensureCounts(db *bbolt.DB, indexes []ckv.QuadIndex) error {
	var valid bool
	db.View(func(tx *bbolt.Tx) error { valid = countsValid(tx); return nil })
	if valid {
		return nil
	}
	return db.Update(func(tx *bbolt.Tx) error {
		d, err := countAll(tx, indexes)
		if err != nil {
			return fmt.Errorf("count the store: %w", err)
		}
		return replaceCounts(tx, d)
	})
}

// probe is what a write through Cayley's writer may change in the counts,
// read before it and again after: whether each of its quads is held, each
// of their values is a node, and each subject has each class it types.
type probe struct {
	held   []bool
	labels []uint64 // the id of each quad's label
	nodes  map[any]uint64
	typed  map[[2]any]uint64 // the class's id if the pair is held, else 0
}

// probeCounts reads what quads (distinct) find in the store in tx.
func probeCounts(tx *bbolt.Tx, w *bulkWriter, quads []quad.Quad) (*probe, error) {
	ops, _ := opsIndex(w.indexes)
	pr := &probe{held: make([]bool, len(quads)), labels: make([]uint64, len(quads)), nodes: map[any]uint64{}, typed: map[[2]any]uint64{}}
	id := func(v quad.Value) uint64 {
		if v == nil {
			return 0
		}
		k := nodeKey(v)
		n, ok := pr.nodes[k]
		if !ok {
			n = lookupID(tx, v)
			pr.nodes[k] = n
		}
		return n
	}
	for i, q := range quads {
		p := proto.Primitive{Subject: id(q.Subject), Predicate: id(q.Predicate), Object: id(q.Object), Label: id(q.Label)}
		pr.labels[i] = p.Label
		if p.Subject == 0 || p.Predicate == 0 || p.Object == 0 {
			continue // neither held nor typed: a node it names is missing
		}
		if q.Label == nil || p.Label != 0 {
			held, err := w.stored(tx, &p)
			if err != nil {
				return nil, err
			}
			pr.held[i] = held
		}
		if q.Predicate != schema.Type {
			continue
		}
		// The pair, under any label: the quad's own may be gone.
		k := [2]any{nodeKey(q.Subject), nodeKey(q.Object)}
		if _, done := pr.typed[k]; done {
			continue
		}
		live, err := livePair(tx, ops, &p)
		if err != nil {
			return nil, err
		}
		pr.typed[k] = 0
		if live {
			pr.typed[k] = p.Object
		}
	}
	return pr, nil
}

// delta is what changed from pr to after.
func (pr *probe) delta(after *probe) *countsDelta {
	d := newCountsDelta()
	for k, id := range pr.nodes {
		d.nodes += b2i(after.nodes[k] != 0) - b2i(id != 0)
	}
	for i, held := range pr.held {
		switch {
		case held && !after.held[i]:
			d.labels[pr.labels[i]]--
		case !held && after.held[i]:
			d.labels[after.labels[i]]++
		}
	}
	for k, id := range pr.typed {
		if id != 0 && after.typed[k] == 0 {
			d.classes[id]--
		}
	}
	for k, now := range after.typed {
		if now != 0 && pr.typed[k] == 0 {
			d.classes[now]++
		}
	}
	return d
}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// countedWrite runs apply, a write through Cayley's writer that adds or
// removes quads (distinct), and keeps a bolt store's counts: it reads what
// the write may change before and after it, which costs a few lookups per
// quad. Counts that another program's write made stale are counted anew
// first. If keeping them fails once the write is done, they are left
// stale (the next write counts them anew), and the write still stands.
// The caller holds s.mu for writing.
func (s *Store) countedWrite(quads []quad.Quad, apply func() error) error {
	if _, ok := opsIndex(s.indexes); !ok || s.backend != Bolt || s.db == nil {
		return apply()
	}
	if err := ensureCounts(s.db, s.indexes); err != nil {
		return err
	}
	w := &bulkWriter{indexes: s.indexes}
	var before *probe
	var at []byte
	err := s.db.View(func(tx *bbolt.Tx) error {
		var err error
		before, err = probeCounts(tx, w, quads)
		at = stamp(tx)
		return err
	})
	if err != nil {
		return err
	}
	if err := apply(); err != nil {
		return err
	}
	s.db.Update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(countsBucket)
		if b != nil && !slices.Equal(b.Get(countsStamp), at) || b == nil && !slices.Equal(at, make([]byte, 16)) {
			return nil // not the counts read before the write
		}
		after, err := probeCounts(tx, w, quads)
		if err != nil {
			return err
		}
		return applyCounts(tx, before.delta(after))
	})
	return nil
}

// keptCounts returns a bolt store's counts by node id, if it keeps them
// and they describe it as it is.
func (s *Store) keptCounts() (*countsDelta, bool) {
	if _, ok := opsIndex(s.indexes); !ok || s.backend != Bolt || s.db == nil {
		return nil, false
	}
	var d *countsDelta
	var ok bool
	s.db.View(func(tx *bbolt.Tx) error { d, ok = readCounts(tx); return nil })
	return d, ok
}

// countAll counts a bolt store by reading it whole: what a store without
// valid counts gets once, from its next rustbelt write.
func countAll(tx *bbolt.Tx, indexes []ckv.QuadIndex) (*countsDelta, error) {
	d := newCountsDelta()
	log := tx.Bucket(logBucket)
	if log == nil {
		return d, nil
	}
	var typeID uint64
	if v := lookupID(tx, schema.Type); v != 0 {
		typeID = v
	}
	typed := map[[2]uint64]bool{}
	c := log.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		var p proto.Primitive
		if err := p.Unmarshal(v); err != nil {
			return nil, err
		}
		if p.Deleted {
			continue
		}
		if !p.IsNode() {
			d.labels[p.Label]++
			if typeID != 0 && p.Predicate == typeID {
				typed[[2]uint64{p.Subject, p.Object}] = true
			}
			continue
		}
		d.nodes++
	}
	if _, ok := opsIndex(indexes); ok {
		for pair := range typed {
			d.classes[pair[1]]++
		}
	}
	return d, nil
}

// lookupID returns the node id of v in a bolt store, 0 if it holds none.
func lookupID(tx *bbolt.Tx, v quad.Value) uint64 {
	h := cgraph.HashOf(v)
	b := tx.Bucket(valueBucket('v', h))
	if b == nil {
		return 0
	}
	id, _ := binary.Uvarint(b.Get(h[:]))
	return id
}

package store

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"sync/atomic"
	"time"

	bbolt "github.com/boltdb/bolt"
	cgraph "github.com/cayleygraph/cayley/graph"
	ckv "github.com/cayleygraph/cayley/graph/kv"
	"github.com/cayleygraph/cayley/graph/proto"
	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/pquads"

	"github.com/rustbelt/rustbelt/schema"
)

// bulkWriter adds quads to a Cayley kv store in a bolt file through bolt
// directly, writing what Cayley's kv ApplyDeltas writes (the records below)
// but a batch at a time in key order, which is what bolt is fast at:
//
//	meta/version, meta/indexes   the data version and the quad indexes in use
//	meta/size, meta/horizon      quads stored; the last id handed out
//	log/<id>                     a node (its value) or a quad (its node ids), as a proto.Primitive
//	v<h0><h1>/<hash>             node id by value hash (sha1 of the value)
//	n<h0><h1>/<hash>             how many quads refer to the node
//	<dirs>/<ids>                 for each index (sp, ops): the ids of the quads with those node ids
//
// Cayley's writer resolves and re-reads every key in the order quads come
// and grows one bolt transaction at random places, which costs quadratic
// time in large batches. Unlike Cayley's, the counts of references are those
// of the quads actually added, not of duplicates skipped.
type bulkWriter struct {
	db      *bbolt.DB
	indexes []ckv.QuadIndex
	// keepCounts adds each batch to the store's counts (see countsBucket).
	keepCounts bool
	// known caches node ids by value (by nodeKey) across batches, so that
	// predicates, labels and places are looked up once; cleared when it
	// grows too big.
	known map[any]uint64
	// pending holds the value-index records (v and n buckets) of the batches
	// since the last flush. Cayley's kv format spreads them over 131,072
	// buckets keyed by hash prefix, so a commit that touches them rewrites
	// most of those buckets' pages whatever the batch size: at 5M quads a
	// 64k-quad commit wrote about 150 MB. Held back, they are written every
	// pendingMax nodes instead of every commit.
	pending map[cgraph.ValueHash]pendingNode // no pointers: the collector skips it
	// deferred, when set, holds the quad indexes back until the end of the
	// load (see deferredIndexes).
	deferred *deferredIndexes
}

// pendingNode is what the value index will record of one node.
type pendingNode struct {
	id   uint64
	new  bool   // not in the value index yet
	refs uint64 // references added since the last flush
}

// pendingMax bounds bulkWriter.pending: about 80 MB. A variable for tests.
var pendingMax = 1 << 20

// knownMax bounds bulkWriter.known. Its hits are the few values every
// batch repeats (predicates, classes, places, sources); at 256k entries it
// held 35 MB more of a 1M-quad load's peak for no speed.
const knownMax = 1 << 16

var (
	metaBucket = []byte("meta")
	logBucket  = []byte("log")
)

// legacyIndexes are the indexes of a store whose metadata names none
// (Cayley before 0.7.6).
var legacyIndexes = []ckv.QuadIndex{{Dirs: []quad.Direction{quad.Subject}}, {Dirs: []quad.Direction{quad.Object}}}

func newBulkWriter(db *bbolt.DB) (*bulkWriter, error) {
	indexes, err := readIndexes(db)
	_, keep := opsIndex(indexes)
	return &bulkWriter{db: db, indexes: indexes, keepCounts: keep, known: map[any]uint64{}, pending: map[cgraph.ValueHash]pendingNode{}}, err
}

// readIndexes returns the quad indexes a Cayley kv store keeps, as its
// metadata lists them.
func readIndexes(db *bbolt.DB) (indexes []ckv.QuadIndex, err error) {
	err = db.View(func(tx *bbolt.Tx) error {
		meta := tx.Bucket(metaBucket)
		if meta == nil || tx.Bucket(logBucket) == nil {
			return errors.New("not an initialised Cayley kv store")
		}
		if v := meta.Get([]byte("version")); len(v) != 8 || binary.LittleEndian.Uint64(v) != 2 {
			return errors.New("unsupported Cayley kv data version")
		}
		if data := meta.Get([]byte("indexes")); len(data) > 0 {
			if err := json.Unmarshal(data, &indexes); err != nil {
				return fmt.Errorf("read index list: %w", err)
			}
		}
		if len(indexes) == 0 {
			indexes = legacyIndexes
		}
		return nil
	})
	return indexes, err
}

// node is one distinct value of a batch.
type node struct {
	val  quad.Value
	hash cgraph.ValueHash
	id   uint64
	new  bool
	refs uint64 // references from the quads this batch adds
}

// writeTx adds one batch in tx and returns how many quads were new. Quads
// already in the store, or twice in the batch, are skipped.
func (w *bulkWriter) writeTx(tx *bbolt.Tx, batch []quad.Quad) (int64, error) {
	if len(batch) == 0 { // an input without quads, or the end of a full last batch
		return 0, nil
	}
	a := &arena{}
	meta := tx.Bucket(metaBucket)
	horizon := metaInt(meta, "horizon")
	size := metaInt(meta, "size")

	// Distinct values and the node each quad direction refers to.
	nodes := make([]node, 1, len(batch)) // nodes[0]: no value (an unlabelled quad)
	slot := make(map[any]int32, len(batch))
	refs := make([][4]int32, len(batch))
	for i, q := range batch {
		for d, v := range [4]quad.Value{q.Subject, q.Predicate, q.Object, q.Label} {
			if v == nil {
				continue
			}
			k := nodeKey(v) // not v: see nodeKey
			n, ok := slot[k]
			if !ok {
				n = int32(len(nodes))
				slot[k] = n
				nodes = append(nodes, node{val: v})
			}
			refs[i][d] = n
		}
	}
	firstNew := horizon + 1 // ids from here on are new in this batch
	horizon, err := w.resolve(tx, nodes[1:], horizon)
	if err != nil {
		return 0, err
	}

	// The quads to add: new in the batch and not in the store.
	ts := time.Now().UnixNano()
	seen := make(map[[4]uint64]struct{}, len(batch))
	links := make([]proto.Primitive, 0, len(batch))
	for i := range batch {
		var ids [4]uint64
		fresh := false
		for d, n := range refs[i] {
			ids[d] = nodes[n].id
			fresh = fresh || nodes[n].new
		}
		if _, dup := seen[ids]; dup {
			continue
		}
		seen[ids] = struct{}{}
		p := proto.Primitive{Subject: ids[0], Predicate: ids[1], Object: ids[2], Label: ids[3], Timestamp: ts}
		if !fresh {
			exists, err := w.stored(tx, &p)
			if err != nil {
				return 0, err
			}
			if exists {
				continue
			}
			if w.deferred != nil && w.deferred.written.mayHold(&p) {
				w.deferred.later = append(w.deferred.later, batch[i])
				continue
			}
		}
		for _, n := range refs[i] {
			if n != 0 {
				nodes[n].refs++
			}
		}
		links = append(links, p)
	}

	// Node records, in id order so that the log grows at its end.
	log, err := tx.CreateBucketIfNotExists(logBucket)
	if err != nil {
		return 0, err
	}
	log.FillPercent = 0.95 // append-only: full pages
	fresh := nodes[1:]
	sort.Slice(fresh, func(i, j int) bool { return fresh[i].id < fresh[j].id })
	for _, n := range fresh {
		if !n.new {
			continue
		}
		value, err := pquads.MarshalValue(n.val)
		if err != nil {
			return 0, fmt.Errorf("encode %v: %w", n.val, err)
		}
		if err := putPrimitive(log, &proto.Primitive{ID: n.id, Value: value, Timestamp: ts}, a); err != nil {
			return 0, err
		}
	}
	if err := w.countRefs(tx, fresh, a); err != nil {
		return 0, err
	}

	// Quad records and their index entries.
	for i := range links {
		horizon++
		links[i].ID = horizon
		if err := putPrimitive(log, &links[i], a); err != nil {
			return 0, err
		}
	}
	var counts *countsDelta // before the index entries, which tell new subjects of a class
	if w.keepCounts && countsValid(tx) {
		if counts, err = w.tallyBatch(tx, nodes, links, firstNew); err != nil {
			return 0, err
		}
	}
	if w.deferred != nil {
		if err := w.deferred.add(links); err != nil {
			return 0, err
		}
	} else {
		for _, ind := range w.indexes {
			if err := appendIndex(tx, ind, links, firstNew, a); err != nil {
				return 0, err
			}
		}
	}
	if err := putMetaInt(meta, "horizon", horizon); err != nil {
		return 0, err
	}
	if err := putMetaInt(meta, "size", size+uint64(len(links))); err != nil {
		return 0, err
	}
	if counts != nil {
		if err := applyCounts(tx, counts); err != nil {
			return 0, err
		}
	}
	return int64(len(links)), nil
}

// resolve sets the id of every node, looking values up in the store in hash
// order and numbering the missing ones from horizon on, as new. It returns
// the new horizon.
func (w *bulkWriter) resolve(tx *bbolt.Tx, nodes []node, horizon uint64) (uint64, error) {
	var lookup []int
	for i := range nodes {
		if id, ok := w.known[nodeKey(nodes[i].val)]; ok {
			nodes[i].id = id
			continue
		}
		nodes[i].hash = cgraph.HashOf(nodes[i].val)
		lookup = append(lookup, i)
	}
	sort.Slice(lookup, func(a, b int) bool {
		return bytes.Compare(nodes[lookup[a]].hash[:], nodes[lookup[b]].hash[:]) < 0
	})
	if len(w.known)+len(lookup) > knownMax {
		clear(w.known)
	}
	var b *bbolt.Bucket
	var prefix [2]byte
	for j, i := range lookup {
		n := &nodes[i]
		if h := [2]byte{n.hash[0], n.hash[1]}; j == 0 || h != prefix {
			prefix = h
			b = tx.Bucket(valueBucket('v', n.hash))
		}
		if pn, ok := w.pending[n.hash]; ok {
			n.id = pn.id
		} else if b != nil {
			if v := b.Get(n.hash[:]); len(v) > 0 {
				n.id, _ = binary.Uvarint(v)
			}
		}
		if n.id == 0 {
			horizon++
			n.id, n.new = horizon, true
		}
		w.known[nodeKey(n.val)] = n.id
	}
	return horizon, nil
}

// countRefs adds the batch's new nodes and new references to pending, and
// flushes it when it is full.
func (w *bulkWriter) countRefs(tx *bbolt.Tx, nodes []node, a *arena) error {
	for i := range nodes {
		n := &nodes[i]
		if n.refs == 0 {
			continue
		}
		if n.hash == (cgraph.ValueHash{}) {
			n.hash = cgraph.HashOf(n.val)
		}
		pn, ok := w.pending[n.hash]
		if !ok {
			pn = pendingNode{id: n.id, new: n.new}
		}
		pn.refs += n.refs
		w.pending[n.hash] = pn
	}
	if len(w.pending) < pendingMax {
		return nil
	}
	return w.flush(tx, a)
}

// flush writes pending into the value index, in hash order: the id of each
// new node, and every node's count of references. A load calls it before
// its last commit.
func (w *bulkWriter) flush(tx *bbolt.Tx, a *arena) error {
	type hashed struct {
		hash cgraph.ValueHash
		pendingNode
	}
	touched := make([]hashed, 0, len(w.pending))
	for h, pn := range w.pending {
		touched = append(touched, hashed{h, pn})
	}
	clear(w.pending)
	slices.SortFunc(touched, func(x, y hashed) int { return bytes.Compare(x.hash[:], y.hash[:]) })
	newPrefix := func(i int) bool {
		return i == 0 || touched[i].hash[0] != touched[i-1].hash[0] || touched[i].hash[1] != touched[i-1].hash[1]
	}
	// Missing buckets first, all of one kind, then all of the other, each in
	// key order: bolt inserts into a node of the root bucket in place until
	// the commit, so creating them interleaved would shift every v bucket
	// once per n bucket.
	for _, kind := range []byte{'n', 'v'} {
		for i, n := range touched {
			if newPrefix(i) && tx.Bucket(valueBucket(kind, n.hash)) == nil {
				if _, err := tx.CreateBucket(valueBucket(kind, n.hash)); err != nil {
					return err
				}
			}
		}
	}
	var vb, rb *bbolt.Bucket
	for i, n := range touched {
		if newPrefix(i) {
			vb, rb = tx.Bucket(valueBucket('v', n.hash)), tx.Bucket(valueBucket('n', n.hash))
		}
		count := n.refs
		if n.new {
			if err := vb.Put(n.hash[:], a.uvarint(n.id)); err != nil {
				return err
			}
		} else if old := rb.Get(n.hash[:]); len(old) > 0 {
			prev, _ := binary.Uvarint(old)
			count += prev
		}
		if err := rb.Put(n.hash[:], a.uvarint(count)); err != nil {
			return err
		}
	}
	return nil
}

// stored reports whether the store already holds the quad p names: the
// quads listed under its key in every index, intersected, then compared
// whole (the index keys leave out the label).
func (w *bulkWriter) stored(tx *bbolt.Tx, p *proto.Primitive) (bool, error) {
	var cands []uint64
	for i, ind := range w.indexes {
		b := tx.Bucket(indexBucket(ind))
		if b == nil {
			return false, nil
		}
		list, err := decodeIDs(b.Get(indexKey(ind, p)))
		if err != nil {
			return false, err
		}
		if i == 0 {
			cands = list
		} else {
			cands = intersectSorted(cands, list)
		}
		if len(cands) == 0 {
			return false, nil
		}
	}
	log := tx.Bucket(logBucket)
	for _, id := range cands {
		var old proto.Primitive
		var key [8]byte
		binary.BigEndian.PutUint64(key[:], id)
		if err := old.Unmarshal(log.Get(key[:])); err != nil {
			return false, fmt.Errorf("read quad %d: %w", id, err)
		}
		if !old.Deleted && old.IsSameLink(p) {
			return true, nil
		}
	}
	return false, nil
}

// appendIndex adds the new quads to one index, key by key in order. Quad
// ids only grow, so appending keeps every list sorted. A key that names a
// node numbered firstNew or above, made in this batch, cannot be in the
// store yet and is written without a look.
func appendIndex(tx *bbolt.Tx, ind ckv.QuadIndex, links []proto.Primitive, firstNew uint64, a *arena) error {
	type entry struct {
		indexEntry
		fresh bool
	}
	entries := make([]entry, len(links))
	for i := range links {
		e := &entries[i]
		e.id = links[i].ID
		for j, d := range ind.Dirs {
			e.key[j] = links[i].GetDirection(d)
			e.fresh = e.fresh || e.key[j] >= firstNew
		}
	}
	// ids are distinct, so an unstable sort (a third faster) is exact.
	slices.SortFunc(entries, func(x, y entry) int { return compareEntries(x.indexEntry, y.indexEntry) })
	b, err := tx.CreateBucketIfNotExists(indexBucket(ind))
	if err != nil {
		return err
	}
	c := b.Cursor()
	for i := 0; i < len(entries); {
		j := i + 1
		for j < len(entries) && entries[j].key == entries[i].key {
			j++
		}
		key := a.alloc(8 * len(ind.Dirs))
		for d := range ind.Dirs {
			binary.BigEndian.PutUint64(key[8*d:], entries[i].key[d])
		}
		var old []byte
		if !entries[i].fresh {
			if k, v := c.Seek(key); bytes.Equal(k, key) {
				old = v
			}
		}
		size := len(old)
		for _, e := range entries[i:j] {
			size += uvarintLen(e.id)
		}
		val := a.alloc(size)
		n := copy(val, old)
		for _, e := range entries[i:j] {
			n += binary.PutUvarint(val[n:], e.id)
		}
		if err := b.Put(key, val); err != nil {
			return err
		}
		i = j
	}
	return nil
}

func uvarintLen(x uint64) int {
	n := 1
	for ; x >= 0x80; x >>= 7 {
		n++
	}
	return n
}

// arena hands out byte slices cut from large blocks. Bolt holds every key
// and value given to Put until the commit; a block per megabyte costs the
// garbage collector far less than a slice per put.
type arena struct{ block []byte }

func (a *arena) alloc(n int) []byte {
	if cap(a.block)-len(a.block) < n {
		a.block = make([]byte, 0, max(1<<20, n))
	}
	start := len(a.block)
	a.block = a.block[:start+n]
	return a.block[start : start+n : start+n]
}

func (a *arena) uvarint(x uint64) []byte {
	b := a.alloc(uvarintLen(x))
	binary.PutUvarint(b, x)
	return b
}

func (a *arena) idKey(id uint64) []byte {
	b := a.alloc(8)
	binary.BigEndian.PutUint64(b, id)
	return b
}

func namesNew(ind ckv.QuadIndex, p *proto.Primitive, firstNew uint64) bool {
	for _, d := range ind.Dirs {
		if p.GetDirection(d) >= firstNew {
			return true
		}
	}
	return false
}

func indexBucket(ind ckv.QuadIndex) []byte {
	name := make([]byte, len(ind.Dirs))
	for i, d := range ind.Dirs {
		name[i] = d.Prefix()
	}
	return name
}

func indexKey(ind ckv.QuadIndex, p *proto.Primitive) []byte {
	key := make([]byte, 0, 8*len(ind.Dirs))
	for _, d := range ind.Dirs {
		key = binary.BigEndian.AppendUint64(key, p.GetDirection(d))
	}
	return key
}

func valueBucket(kind byte, h cgraph.ValueHash) []byte { return []byte{kind, h[0], h[1]} }

func putPrimitive(log *bbolt.Bucket, p *proto.Primitive, a *arena) error {
	data := a.alloc(p.ProtoSize())
	if _, err := p.MarshalTo(data); err != nil {
		return err
	}
	return log.Put(a.idKey(p.ID), data)
}

func metaInt(meta *bbolt.Bucket, key string) uint64 {
	if v := meta.Get([]byte(key)); len(v) == 8 {
		return binary.LittleEndian.Uint64(v)
	}
	return 0
}

func putMetaInt(meta *bbolt.Bucket, key string, v uint64) error {
	return meta.Put([]byte(key), binary.LittleEndian.AppendUint64(nil, v))
}

func decodeIDs(b []byte) ([]uint64, error) {
	var out []uint64
	for len(b) > 0 {
		v, n := binary.Uvarint(b)
		if n <= 0 {
			return nil, errors.New("corrupt quad index entry")
		}
		out = append(out, v)
		b = b[n:]
	}
	return out, nil
}

func intersectSorted(a, b []uint64) []uint64 {
	var out []uint64
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i] < b[j]:
			i++
		case a[i] > b[j]:
			j++
		default:
			out = append(out, a[i])
			i++
			j++
		}
	}
	return out
}

// bulkBatchSize is how many quads bulkLoad writes at a time; three
// batches of parsed quads are alive at once (being read, waiting, being
// written), the largest part of a load's memory after the validator's.
// Since the indexes of a large load wait for its end, halving it from 64k
// saved a fifth of the peak at 1M quads and cost no time. A variable for
// tests.
var bulkBatchSize = 1 << 15

// commitEvery is how many quads a build writes per transaction. A commit
// rewrites every page its transaction touched (the value index waits in
// bulkWriter.pending for that reason); but bolt grows the nodes a
// transaction touches in place until the commit, and a transaction of 256k
// quads took twice the CPU of four of 64k at 1M quads.
var commitEvery = 1 << 15

// bulkLoad reads the inputs once and writes their quads into db in batches,
// while the next batch is being read. With opt set it validates every quad
// on the way and fails with the problems after writing, so that the caller
// throws the copy away; without, the inputs have been validated already.
// With oneTx it writes everything in a single transaction, which a failure
// rolls back whole; otherwise every batch commits on its own, and the quad
// indexes are written at the end (see deferredIndexes): the store is one
// the caller throws away if the load fails.
func bulkLoad(ctx context.Context, db *bbolt.DB, inputs []Input, opt *LoadOptions, oneTx bool) (LoadReport, error) {
	w, err := newBulkWriter(db)
	if err != nil {
		return LoadReport{}, err
	}
	if w.keepCounts {
		if err := ensureCounts(db, w.indexes); err != nil {
			return LoadReport{}, err
		}
	}
	rep := LoadReport{Files: len(inputs)}
	limit := commitEvery
	if oneTx {
		limit = math.MaxInt
	} else {
		var horizon uint64
		db.View(func(tx *bbolt.Tx) error { horizon = metaInt(tx.Bucket(metaBucket), "horizon"); return nil })
		w.deferred = newDeferredIndexes(w.indexes, db.Path(), horizon+1)
		defer w.deferred.close() // a failed load's spill files; finishDeferred closes a good one's
	}
	var tx *bbolt.Tx
	uncommitted := 0 // quads written since the last commit
	// finish writes the deferred indexes, after committing what came before.
	finish := func() error {
		if tx != nil {
			err := tx.Commit()
			if tx, uncommitted = nil, 0; err != nil {
				return err
			}
		}
		n, err := w.finishDeferred(ctx)
		rep.Added += n
		return err
	}
	err = streamQuads(ctx, inputs, opt, &rep.Read, func(batch []quad.Quad) error {
		if tx == nil {
			var err error
			if tx, err = db.Begin(true); err != nil {
				return err
			}
		}
		n, err := w.writeTx(tx, batch)
		rep.Added += n
		if err == nil && w.deferred != nil && len(w.deferred.later) >= laterMax {
			return finish() // a load of quads it holds already: no use deferring
		}
		if uncommitted += len(batch); err == nil && uncommitted >= limit {
			err, tx, uncommitted = tx.Commit(), nil, 0
		}
		return err
	})
	if err == nil && w.deferred != nil {
		err = finish()
	}
	if err == nil && len(w.pending) > 0 {
		if tx == nil {
			tx, err = db.Begin(true)
		}
		if err == nil {
			err = w.flush(tx, &arena{})
		}
	}
	if tx != nil {
		if err == nil {
			err = tx.Commit()
		} else {
			tx.Rollback()
		}
	}
	if err != nil {
		return LoadReport{}, err
	}
	rep.Duplicates = rep.Read - rep.Added
	return rep, nil
}

// streamQuads reads the inputs in a goroutine of its own, validating them
// when opt is set, and calls write with every bulkBatchSize quads, counting them
// in *read. Parsing and writing each take a core.
func streamQuads(ctx context.Context, inputs []Input, opt *LoadOptions, read *int64, write func([]quad.Quad) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	full := make(chan []quad.Quad, 1)
	free := make(chan []quad.Quad, 2)
	for range cap(free) {
		free <- make([]quad.Quad, 0, bulkBatchSize)
	}
	var problems schema.Problems
	var readErr error
	var invalid atomic.Bool // problems found so far: writing more is useless
	go func() {
		defer close(full)
		var v *schema.Validator
		if opt != nil {
			v = schema.NewValidator(opt.Strict)
		}
		batch := <-free
		for _, in := range inputs {
			readErr = eachQuad(ctx, in, func(pos schema.Pos, q quad.Quad) error {
				if v != nil {
					v.Check(pos, q)
				}
				if batch = append(batch, q); len(batch) == bulkBatchSize {
					select {
					case full <- batch:
					case <-ctx.Done():
						return ctx.Err()
					}
					batch = <-free
				}
				return nil
			}, &problems)
			invalid.Store(len(problems) > 0)
			if readErr != nil {
				return
			}
		}
		if v != nil {
			problems = append(problems, v.Problems()...)
		}
		full <- batch
	}()
	var err error
	for batch := range full {
		*read += int64(len(batch))
		if err == nil && !invalid.Load() {
			if err = write(batch); err != nil {
				cancel() // stop reading; drain what is on its way
			}
		}
		select {
		case free <- batch[:0]:
		default:
		}
	}
	switch {
	case err != nil:
		return err
	case readErr != nil:
		return readErr
	case len(problems) > 0:
		return invalidLoad(problems)
	}
	return nil
}

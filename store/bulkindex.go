package store

import (
	"bufio"
	"cmp"
	"container/heap"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"

	"github.com/bits-and-blooms/bloom/v3"
	bbolt "github.com/boltdb/bolt"
	cgraph "github.com/cayleygraph/cayley/graph"
	ckv "github.com/cayleygraph/cayley/graph/kv"
	"github.com/cayleygraph/cayley/graph/proto"
	"github.com/cayleygraph/quad"

	"github.com/rustbelt/rustbelt/schema"
)

// Deferred indexes: a load into a copy of the store (which a failure throws
// away, so that half-written indexes are never seen) writes the log first
// and the quad indexes at the end, each in key order. Written as quads come,
// a batch's index entries land all over each index, so that every commit
// rewrote most of the index's pages and held them in memory as bolt's dirty
// nodes: at 5M quads the indexes took 60 % of the time and most of the
// memory. Sorted, they are written once, page after page.
//
// Until its quads are indexed, the load cannot ask the store whether it
// holds a quad already. A quad that names a node new in its batch cannot be
// held; for the others (all of whose nodes existed before the batch) the
// store answers for what it held before the load, and a Bloom filter of the
// quads the load wrote answers for the rest: a quad that the filter may
// hold is set aside and written the usual way once the indexes are in.

// spillRun is how many index entries a spill sorts in memory before it
// writes them to its file as one run. A variable for tests.
var spillRun = 1 << 17

// laterMax bounds the quads a deferred load sets aside; past it, the load
// indexes what it wrote and goes on the usual way. A variable for tests.
var laterMax = 1 << 16

// indexCommit is how many keys the index build writes per transaction.
const indexCommit = 1 << 17

// indexEntry is one quad in one index: the node ids of the index's
// directions, in its order, and the quad's id.
type indexEntry struct {
	key [4]uint64
	id  uint64
}

// Each key's list keeps its quads in id order, as Cayley's writer does.
func compareEntries(x, y indexEntry) int {
	for j := range x.key {
		if c := cmp.Compare(x.key[j], y.key[j]); c != 0 {
			return c
		}
	}
	return cmp.Compare(x.id, y.id)
}

// deferredIndexes is what a load that writes its indexes at the end keeps
// until then.
type deferredIndexes struct {
	spills  []*indexSpill
	written quadFilter
	later   []quad.Quad // quads the filter may hold, to write at the end
	// firstID is the first node or quad id of the load: keys with all ids
	// below it may be in the store already.
	firstID uint64
}

// newDeferredIndexes defers indexes of the bolt file at path, whose spill
// files go beside it, named after it.
func newDeferredIndexes(indexes []ckv.QuadIndex, path string, firstID uint64) *deferredIndexes {
	d := &deferredIndexes{firstID: firstID}
	for _, ind := range indexes {
		d.spills = append(d.spills, &indexSpill{ind: ind, path: path})
	}
	return d
}

// add records the quads of a batch, written to the log.
func (d *deferredIndexes) add(links []proto.Primitive) error {
	for i := range links {
		d.written.add(&links[i])
	}
	for _, s := range d.spills {
		if err := s.add(links); err != nil {
			return err
		}
	}
	return nil
}

// close removes the spill files.
func (d *deferredIndexes) close() {
	for _, s := range d.spills {
		s.close()
	}
}

// quads is how many quads there are to index.
func (d *deferredIndexes) quads() int64 {
	if len(d.spills) == 0 {
		return 0
	}
	return d.spills[0].count
}

// quadFilter is a Bloom filter of quads by their node ids that grows: a
// layer of twice the size of the last when that one is full, as in a
// scalable Bloom filter, since how many quads a load holds is known only
// at its end.
type quadFilter struct {
	layers []*bloom.BloomFilter
	filled uint // quads in the last layer
	room   uint // quads the last layer was sized for
	key    [32]byte
}

// quadFilterFirst is the capacity of a quadFilter's first layer, and
// quadFilterFP the false positive rate of each layer.
const (
	quadFilterFirst = 1 << 16
	quadFilterFP    = 0.001
)

func (f *quadFilter) keyOf(p *proto.Primitive) []byte {
	binary.LittleEndian.PutUint64(f.key[0:], p.Subject)
	binary.LittleEndian.PutUint64(f.key[8:], p.Predicate)
	binary.LittleEndian.PutUint64(f.key[16:], p.Object)
	binary.LittleEndian.PutUint64(f.key[24:], p.Label)
	return f.key[:]
}

func (f *quadFilter) add(p *proto.Primitive) {
	if f.filled == f.room {
		f.room = uint(quadFilterFirst) << len(f.layers)
		f.layers = append(f.layers, bloom.NewWithEstimates(f.room, quadFilterFP))
		f.filled = 0
	}
	f.layers[len(f.layers)-1].Add(f.keyOf(p))
	f.filled++
}

// mayHold reports whether p may have been added; false is certain.
func (f *quadFilter) mayHold(p *proto.Primitive) bool {
	key := f.keyOf(p)
	for _, l := range f.layers {
		if l.Test(key) {
			return true
		}
	}
	return false
}

// indexSpill collects one index's entries: in memory up to spillRun, then
// sorted into runs in a file beside the store, merged at the end.
type indexSpill struct {
	ind   ckv.QuadIndex
	path  string // of the store
	mem   []indexEntry
	file  *os.File
	out   *bufio.Writer
	runs  []int64 // entries per run, in file order
	count int64   // entries in all
}

func (s *indexSpill) add(links []proto.Primitive) error {
	for i := range links {
		e := indexEntry{id: links[i].ID}
		for j, d := range s.ind.Dirs {
			e.key[j] = links[i].GetDirection(d)
		}
		s.mem = append(s.mem, e)
		if len(s.mem) >= spillRun {
			if err := s.spill(); err != nil {
				return err
			}
		}
	}
	s.count += int64(len(links))
	return nil
}

// width is the bytes of one entry in a run file: the key's ids and the
// quad's.
func (s *indexSpill) width() int { return 8 * (len(s.ind.Dirs) + 1) }

// spill writes the entries in memory to the file as one sorted run.
func (s *indexSpill) spill() error {
	if s.file == nil {
		f, err := os.CreateTemp(filepath.Dir(s.path), filepath.Base(s.path)+".index-*")
		if err != nil {
			return fmt.Errorf("spill index entries: %w", err)
		}
		s.file, s.out = f, bufio.NewWriterSize(f, 1<<16)
	}
	slices.SortFunc(s.mem, compareEntries)
	buf := make([]byte, s.width())
	for _, e := range s.mem {
		s.encode(buf, e)
		if _, err := s.out.Write(buf); err != nil {
			return fmt.Errorf("spill index entries: %w", err)
		}
	}
	s.runs = append(s.runs, int64(len(s.mem)))
	s.mem = s.mem[:0]
	return nil
}

func (s *indexSpill) encode(buf []byte, e indexEntry) {
	n := len(s.ind.Dirs)
	for j := range n {
		binary.LittleEndian.PutUint64(buf[8*j:], e.key[j])
	}
	binary.LittleEndian.PutUint64(buf[8*n:], e.id)
}

func (s *indexSpill) decode(buf []byte) indexEntry {
	var e indexEntry
	n := len(s.ind.Dirs)
	for j := range n {
		e.key[j] = binary.LittleEndian.Uint64(buf[8*j:])
	}
	e.id = binary.LittleEndian.Uint64(buf[8*n:])
	return e
}

func (s *indexSpill) close() {
	if s.file != nil {
		s.file.Close()
		os.Remove(s.file.Name())
		s.file = nil
	}
	s.mem = nil
}

// each calls fn with every entry in (key, id) order, merging the runs in
// the file with those still in memory.
func (s *indexSpill) each(fn func(indexEntry) error) error {
	slices.SortFunc(s.mem, compareEntries)
	m := &entryMerge{}
	if len(s.mem) > 0 {
		m.sources = append(m.sources, &memRun{entries: s.mem})
	}
	if s.file != nil {
		if err := s.out.Flush(); err != nil {
			return fmt.Errorf("spill index entries: %w", err)
		}
		var off int64
		for _, n := range s.runs {
			size := n * int64(s.width())
			r := io.NewSectionReader(s.file, off, size)
			run := &fileRun{spill: s, in: bufio.NewReaderSize(r, 1<<16), buf: make([]byte, s.width())}
			if ok, err := run.next(); err != nil { // its head
				return err
			} else if ok {
				m.sources = append(m.sources, run)
			}
			off += size
		}
	}
	heap.Init(m)
	for m.Len() > 0 {
		src := m.sources[0]
		if err := fn(src.head()); err != nil {
			return err
		}
		ok, err := src.next()
		if err != nil {
			return err
		}
		if ok {
			heap.Fix(m, 0)
		} else {
			heap.Pop(m)
		}
	}
	return nil
}

// entryRun is one sorted run of entries being merged.
type entryRun interface {
	head() indexEntry
	// next moves to the next entry; false at the end of the run.
	next() (bool, error)
}

type memRun struct {
	entries []indexEntry
	at      int
}

func (r *memRun) head() indexEntry { return r.entries[r.at] }
func (r *memRun) next() (bool, error) {
	r.at++
	return r.at < len(r.entries), nil
}

type fileRun struct {
	spill *indexSpill
	in    *bufio.Reader
	buf   []byte
	cur   indexEntry
}

func (r *fileRun) head() indexEntry { return r.cur }
func (r *fileRun) next() (bool, error) {
	if _, err := io.ReadFull(r.in, r.buf); err != nil {
		if errors.Is(err, io.EOF) {
			return false, nil
		}
		return false, fmt.Errorf("read spilled index entries: %w", err)
	}
	r.cur = r.spill.decode(r.buf)
	return true, nil
}

// entryMerge is a heap of runs by their head entries.
type entryMerge struct{ sources []entryRun }

func (m *entryMerge) Len() int { return len(m.sources) }
func (m *entryMerge) Less(i, j int) bool {
	return compareEntries(m.sources[i].head(), m.sources[j].head()) < 0
}
func (m *entryMerge) Swap(i, j int) { m.sources[i], m.sources[j] = m.sources[j], m.sources[i] }
func (m *entryMerge) Push(x any)    { m.sources = append(m.sources, x.(entryRun)) }
func (m *entryMerge) Pop() any {
	last := m.sources[len(m.sources)-1]
	m.sources = m.sources[:len(m.sources)-1]
	return last
}

// finishDeferred writes the deferred indexes, then the quads set aside, the
// usual way, and returns how many of those were new. No transaction may be
// open. From then on w writes indexes as it goes.
func (w *bulkWriter) finishDeferred(ctx context.Context) (int64, error) {
	d := w.deferred
	w.deferred = nil
	defer d.close()
	// The stage counts quads, each done when all its indexes are written.
	progress := progressOf(ctx)
	progress.stage("index", d.quads(), 0)
	var entries, reported int64
	indexed := func(n int64) {
		entries += n
		quads := entries / int64(len(d.spills))
		progress.add(quads-reported, 0)
		reported = quads
	}
	classes := map[uint64]int64{}
	for _, s := range d.spills {
		if err := w.writeIndex(ctx, s, d.firstID, classes, indexed); err != nil {
			return 0, fmt.Errorf("write index %s: %w", indexBucket(s.ind), err)
		}
	}
	progress.end()
	if w.keepCounts && len(classes) > 0 {
		if err := w.db.Update(func(tx *bbolt.Tx) error {
			if !countsValid(tx) {
				return nil
			}
			return applyCounts(tx, &countsDelta{classes: classes})
		}); err != nil {
			return 0, err
		}
	}
	var added int64
	for later := range slices.Chunk(d.later, bulkBatchSize) {
		if err := w.db.Update(func(tx *bbolt.Tx) error {
			n, err := w.writeTx(tx, later)
			added += n
			return err
		}); err != nil {
			return 0, err
		}
	}
	return added, nil
}

// writeIndex writes one index's deferred entries, each key's quads after
// those it may already list, in transactions of indexCommit keys, and tells
// indexed how many entries each committed. It counts into classes the
// subjects that type quads give a class for the first time, which are the
// ops keys that list no live quad yet.
func (w *bulkWriter) writeIndex(ctx context.Context, s *indexSpill, firstID uint64, classes map[uint64]int64, indexed func(int64)) error {
	var typeID uint64
	if ops, ok := opsIndex(w.indexes); ok && w.keepCounts && slices.Equal(ops.Dirs, s.ind.Dirs) {
		typeID = w.idOf(schema.Type)
	}
	var (
		tx    *bbolt.Tx
		b     *bbolt.Bucket
		a     *arena
		keys  int
		group []uint64 // ids of the key under way
		last  indexEntry
		done  int64
	)
	put := func() error {
		key := a.alloc(8 * len(s.ind.Dirs))
		for j := range s.ind.Dirs {
			binary.BigEndian.PutUint64(key[8*j:], last.key[j])
		}
		var old []byte
		if slices.Max(last.key[:len(s.ind.Dirs)]) < firstID { // else new in this load
			old = b.Get(key)
		}
		if typeID != 0 && last.key[1] == typeID {
			live, err := anyLive(tx, old)
			if err != nil {
				return err
			}
			if !live {
				classes[last.key[0]]++
			}
		}
		size := len(old)
		for _, id := range group {
			size += uvarintLen(id)
		}
		val := a.alloc(size)
		n := copy(val, old)
		for _, id := range group {
			n += binary.PutUvarint(val[n:], id)
		}
		done += int64(len(group))
		group = group[:0]
		return b.Put(key, val)
	}
	commit := func() error {
		if tx == nil {
			return nil
		}
		err := tx.Commit()
		tx = nil
		indexed(done)
		done = 0
		return err
	}
	err := s.each(func(e indexEntry) error {
		if len(group) > 0 && e.key == last.key {
			group = append(group, e.id)
			return nil
		}
		if len(group) > 0 {
			if err := put(); err != nil {
				return err
			}
			if keys++; keys%indexCommit == 0 {
				if err := commit(); err != nil {
					return err
				}
				if err := ctx.Err(); err != nil {
					return err
				}
			}
		}
		if tx == nil {
			var err error
			if tx, err = w.db.Begin(true); err != nil {
				return err
			}
			if b, err = tx.CreateBucketIfNotExists(indexBucket(s.ind)); err != nil {
				return err
			}
			b.FillPercent = 0.9 // written in key order: fuller pages, fewer of them
			a = &arena{}
		}
		last = e
		group = append(group, e.id)
		return nil
	})
	if err == nil && len(group) > 0 {
		err = put()
	}
	if err != nil {
		if tx != nil {
			tx.Rollback()
		}
		return err
	}
	return commit()
}

// anyLive reports whether an index entry's list names a quad the log does
// not mark deleted (Cayley's writer leaves deleted quads in the indexes).
func anyLive(tx *bbolt.Tx, list []byte) (bool, error) {
	ids, err := decodeIDs(list)
	if err != nil {
		return false, err
	}
	log := tx.Bucket(logBucket)
	for _, id := range ids {
		var q proto.Primitive
		if err := q.Unmarshal(log.Get(binary.BigEndian.AppendUint64(nil, id))); err != nil {
			return false, fmt.Errorf("read quad %d: %w", id, err)
		}
		if !q.Deleted {
			return true, nil
		}
	}
	return false, nil
}

// idOf returns the node id of v as the load knows it (written or pending),
// 0 if none.
func (w *bulkWriter) idOf(v quad.Value) uint64 {
	if pn, ok := w.pending[cgraph.HashOf(v)]; ok {
		return pn.id
	}
	var id uint64
	w.db.View(func(tx *bbolt.Tx) error { id = lookupID(tx, v); return nil })
	return id
}

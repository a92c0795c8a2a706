package store_test

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/cayleygraph/quad"

	"github.com/rustbelt/rustbelt/schema"
	"github.com/rustbelt/rustbelt/store"
)

// progressLog records what an operation reports, stage by stage.
type progressLog struct {
	mu     sync.Mutex
	events []store.Progress
}

func (l *progressLog) ctx() context.Context {
	return store.WithProgress(context.Background(), func(p store.Progress) {
		l.mu.Lock()
		l.events = append(l.events, p)
		l.mu.Unlock()
	})
}

// stages returns the last report of each stage, in order, and fails the
// test unless every stage ended once, its counts never went down, and none
// passed its totals.
func (l *progressLog) stages(t *testing.T) []store.Progress {
	t.Helper()
	var out []store.Progress
	for i, p := range l.events {
		if i == 0 || l.events[i-1].Done {
			if p.Quads != 0 || p.Bytes != 0 || p.Done {
				t.Errorf("stage %q starts at %+v", p.Stage, p)
			}
			out = append(out, p)
			continue
		}
		last := &out[len(out)-1]
		switch {
		case p.Stage != last.Stage:
			t.Errorf("stage %q began before %q ended", p.Stage, last.Stage)
		case p.Quads < last.Quads || p.Bytes < last.Bytes:
			t.Errorf("stage %q went back: %+v after %+v", p.Stage, p, *last)
		case p.Total > 0 && p.Quads > p.Total, p.TotalBytes > 0 && p.Bytes > p.TotalBytes:
			t.Errorf("stage %q passed its total: %+v", p.Stage, p)
		}
		*last = p
	}
	if len(out) > 0 && !out[len(out)-1].Done {
		t.Errorf("stage %q never ended", out[len(out)-1].Stage)
	}
	return out
}

// stageNames lists the stages, one word each.
func stageNames(ps []store.Progress) string {
	var names []string
	for _, p := range ps {
		names = append(names, p.Stage)
	}
	return strings.Join(names, " ")
}

// TestLoadReportsProgress loads a file on every backend, by each road a
// load takes, and checks what it reports: a check and a write stage (one
// stage for a large bolt load and for PostgreSQL, which check while they
// write, and for the large bolt load an index stage after it), each
// counting every quad and byte of the file to its total, so that a bar
// ends full and its ETA is right.
func TestLoadReportsProgress(t *testing.T) {
	const n = 10_000 // more than one report's worth
	facts := personFacts("progress", n)
	for _, b := range backends(t) {
		for _, swap := range []bool{false, true} {
			if swap && b.Name != "bolt" {
				continue
			}
			name := b.Name
			if swap {
				name += " swap"
			}
			t.Run(name, func(t *testing.T) {
				s := mustOpen(t, b.Addr(t), store.Options{})
				in, cleanup, err := store.FileInput(writeTemp(t, "progress.nq", facts))
				defer cleanup()
				if err != nil {
					t.Fatal(err)
				}
				if swap {
					defer store.SetInPlaceMax(1)()
				}
				var log progressLog
				rep, err := s.Load(log.ctx(), []store.Input{in}, store.LoadOptions{})
				if err != nil {
					t.Fatal(err)
				}
				stages := log.stages(t)
				oneStage := swap || b.Name == "postgres"
				want := "check write"
				switch {
				case swap:
					want = "load index"
				case oneStage:
					want = "load"
				}
				if got := stageNames(stages); got != want {
					t.Fatalf("stages %q, want %q", got, want)
				}
				if swap {
					if p := stages[1]; p.Quads != rep.Added || p.Total != p.Quads || p.TotalBytes != 0 {
						t.Errorf("the index stage ended at %d of %d quads (and %d bytes), want %d of %d", p.Quads, p.Total, p.TotalBytes, rep.Added, rep.Added)
					}
					stages = stages[:1]
				}
				for _, p := range stages {
					passes := p.Quads / rep.Read
					if p.Quads != passes*rep.Read || passes < 1 || p.Bytes != passes*int64(len(facts)) {
						t.Errorf("stage %s counted %d quads and %d bytes of a file of %d and %d", p.Stage, p.Quads, p.Bytes, rep.Read, len(facts))
					}
					if p.TotalBytes != p.Bytes || (p.Total != 0 && p.Total != p.Quads) {
						t.Errorf("stage %s ended at %d of %d quads and %d of %d bytes: a bar would not end full", p.Stage, p.Quads, p.Total, p.Bytes, p.TotalBytes)
					}
				}
				if p := stages[len(stages)-1]; !oneStage && p.Total == 0 {
					t.Errorf("the write stage has no total: a bar could give no ETA")
				}
			})
		}
	}
}

// TestReplaceAndDumpReportProgress: a replace reports its write, and a
// dump its read of the store and its write, each to its total.
func TestReplaceAndDumpReportProgress(t *testing.T) {
	src := quad.IRI("https://rustbelt.dev/id/source/progress")
	forEachBackend(t, func(t *testing.T, s *store.Store) {
		var quads []quad.Quad
		for i := range 3 {
			p := quad.IRI("https://rustbelt.dev/id/person/progress-" + string(rune('a'+i)))
			quads = append(quads,
				quad.Make(p, quad.IRI(schema.Type), schema.Person.IRI(), src),
				quad.Make(p, quad.IRI(schema.Name), quad.String("Progress "+string(rune('A'+i))), src))
		}
		quads = append(quads, quad.Make(src, quad.IRI(schema.Type), schema.Source.IRI(), src))
		var log progressLog
		if _, err := s.Replace(log.ctx(), []quad.IRI{src}, quads); err != nil {
			t.Fatal(err)
		}
		stages := log.stages(t)
		if stageNames(stages) != "write" || stages[0].Quads != int64(len(quads)) || stages[0].Total != int64(len(quads)) {
			t.Errorf("replace reported %+v, want one write stage of %d quads", stages, len(quads))
		}

		log = progressLog{}
		var buf bytes.Buffer
		n, err := s.Dump(log.ctx(), &buf, schema.NQuads)
		if err != nil {
			t.Fatal(err)
		}
		stages = log.stages(t)
		if stageNames(stages) != "read write" {
			t.Fatalf("dump stages %q, want read write", stageNames(stages))
		}
		for _, p := range stages {
			if p.Quads != n {
				t.Errorf("dump stage %s counted %d quads of %d", p.Stage, p.Quads, n)
			}
		}
		if stages[0].Total <= 0 {
			t.Errorf("a dump's read has no total to show")
		}
	})
}

package main

import (
	"context"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/urfave/cli/v2"

	"github.com/rustbelt/rustbelt/store"
)

// quietFlag silences the progress bar of the commands that load, add or
// dump quads.
var quietFlag = &cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "show no progress bar"}

// progress returns the command's context with a progress bar on stderr
// for the store's long work (see store.WithProgress), and a func that ends
// the bar, to call before anything else is printed. There is no bar when
// stderr is not a terminal, or with --quiet: what goes to a pipe or a log
// stays as it was.
func (m *Main) progress(c *cli.Context) (context.Context, func()) {
	if c.Bool(quietFlag.Name) || !isTerminal(m.Stderr) {
		return c.Context, func() {}
	}
	b := &progressBar{w: m.Stderr}
	return store.WithProgress(c.Context, b.report), b.close
}

// progressBar draws one bar per stage of the store's work, on its own
// line: "check", then "write", each with its quads, their rate and the
// time left.
type progressBar struct {
	w     io.Writer
	mu    sync.Mutex
	bar   *progressbar.ProgressBar // of the stage under way, or nil
	start time.Time
}

// stageNames say what each stage does, in a column of one width.
var stageNames = map[string]string{
	"check": "checking",
	"write": "writing ",
	"load":  "loading ",
	"index": "indexing",
	"read":  "reading ",
}

// report draws p. A stage whose number of quads is known is a bar of
// quads; one whose size in bytes is known is a bar of bytes, its quads
// counted beside it; one with neither is a spinner that counts. A bar
// stops short of its end until the stage is done: the last quad read is
// not the end of a load, whose commit may take a while yet.
func (b *progressBar) report(p store.Progress) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.bar == nil {
		b.begin(p)
	}
	if p.Total == 0 && p.TotalBytes > 0 {
		b.bar.Describe(b.describe(p))
	}
	switch {
	case p.Done:
		b.bar.Finish() // its completion ends the line
		b.bar = nil
	case p.Total > 0:
		b.bar.Set64(min(p.Quads, p.Total-1))
	case p.TotalBytes > 0:
		b.bar.Set64(min(p.Bytes, p.TotalBytes-1))
	default:
		b.bar.Set64(p.Quads)
	}
}

func (b *progressBar) begin(p store.Progress) {
	b.start = time.Now()
	name := stageNames[p.Stage]
	if name == "" {
		name = p.Stage
	}
	opts := []progressbar.Option{
		progressbar.OptionSetWriter(b.w),
		progressbar.OptionSetDescription(name),
		progressbar.OptionSetWidth(30),
		progressbar.OptionThrottle(100 * time.Millisecond),
		progressbar.OptionShowCount(),
		progressbar.OptionSetRenderBlankState(true),
		progressbar.OptionSpinnerType(14),
		progressbar.OptionOnCompletion(func() { fmt.Fprintln(b.w) }),
	}
	max := p.Total
	switch {
	case p.Total > 0:
		opts = append(opts, progressbar.OptionShowIts(), progressbar.OptionSetItsString("quads"))
	case p.TotalBytes > 0:
		max = p.TotalBytes
		opts = append(opts, progressbar.OptionShowBytes(true))
	default:
		max = -1
		opts = append(opts, progressbar.OptionShowIts(), progressbar.OptionSetItsString("quads"))
	}
	b.bar = progressbar.NewOptions64(max, opts...)
}

// describe names a stage measured in bytes with its quads and their rate.
func (b *progressBar) describe(p store.Progress) string {
	rate := float64(p.Quads) / max(time.Since(b.start).Seconds(), 1e-3)
	return fmt.Sprintf("%s %d quads (%.0f quads/s)", stageNames[p.Stage], p.Quads, rate)
}

// close ends a bar left under way (the work failed or was stopped) so that
// what is printed next starts on a line of its own.
func (b *progressBar) close() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.bar != nil {
		b.bar.Exit()
		fmt.Fprintln(b.w)
		b.bar = nil
	}
}

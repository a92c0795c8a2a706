package server_test

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/rustbelt/rustbelt/graph"
	"github.com/rustbelt/rustbelt/server"
)

var screenshot = flag.String("screenshot", "", "save the browser test's screenshot to this PNG `file` too (the README shows docs/web.png)")

// needed stops the test when a tool it needs is missing: a failure under
// CI=true, where every tool must be installed, else a skip naming the step.
func needed(t *testing.T, ok bool, what, install string) {
	t.Helper()
	if ok {
		return
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s is missing; %s", what, install)
	}
	t.Skipf("%s is missing; %s", what, install)
}

// chromiumPath is the browser the test drives: $RUSTBELT_CHROMIUM, set by
// scripts/deps/45-chromium.sh, or chromium on the PATH.
func chromiumPath() string {
	if p := os.Getenv("RUSTBELT_CHROMIUM"); p != "" {
		return p
	}
	p, _ := exec.LookPath("chromium")
	return p
}

// browser starts headless Chromium for one test, with a fresh profile and
// without the background services that reach for the network.
func browser(t *testing.T) context.Context {
	path := chromiumPath()
	needed(t, path != "", "Chromium", "install it with scripts/deps/45-chromium.sh (apt-get install chromium)")
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.NoSandbox, // the tests run as root
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.WindowSize(1400, 900),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelTab(); cancelAlloc() })
	return ctx
}

// pageErrors collects the page's uncaught exceptions and console errors
// (a failed fetch, a blocked script) while the test runs.
func pageErrors(ctx context.Context) func() []string {
	var mu sync.Mutex
	var errs []string
	msgs := chromedp.Console(ctx)
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleException || m.Type == "error" {
				mu.Lock()
				errs = append(errs, m.Text)
				mu.Unlock()
			}
		}
	}()
	return func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), errs...)
	}
}

// js evaluates a page expression into a T.
func js[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// waitJS polls a page expression until it is true.
func waitJS(t *testing.T, ctx context.Context, what, expr string) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](expr, chromedp.WithPollingTimeout(20*time.Second))); err != nil {
		t.Fatalf("waiting for %s (%s): %v", what, expr, err)
	}
}

// clickElement clicks a graph node, or an edge where no node covers it, on
// the canvas, as a user would: the page must find what is under the mouse.
func clickElement(t *testing.T, ctx context.Context, id string) {
	t.Helper()
	type point struct{ X, Y float64 }
	p := js[point](t, ctx, fmt.Sprintf(`(() => {
		const cy = rustbelt.cy, el = cy.getElementById(%q);
		let at = el.isNode() ? el.renderedPosition() : null;
		if (!at) {
			// The point of the edge farthest from every node.
			const a = el.source().renderedPosition(), b = el.target().renderedPosition();
			let best = -1;
			for (let f = 0.2; f <= 0.8; f += 0.05) {
				const q = {x: a.x + f * (b.x - a.x), y: a.y + f * (b.y - a.y)};
				const room = Math.min(...cy.nodes(":visible").map(n => {
					const p = n.renderedPosition();
					return Math.hypot(p.x - q.x, p.y - q.y) - n.renderedOuterWidth() / 2;
				}));
				if (room > best) { best = room; at = q; }
			}
		}
		const box = document.getElementById("cy").getBoundingClientRect();
		return {X: box.left + at.x, Y: box.top + at.y};
	})()`, id))
	if err := chromedp.Do(ctx, chromedp.MouseClickXY(p.X, p.Y)); err != nil {
		t.Fatalf("click %s at %v: %v", id, p, err)
	}
}

// panelText is the side panel's text once its heading is want.
func panelText(t *testing.T, ctx context.Context, want string) string {
	t.Helper()
	waitJS(t, ctx, "the panel on "+want, fmt.Sprintf(`document.querySelector("#panel h2")?.textContent === %q`, want))
	return js[string](t, ctx, `document.getElementById("panel").innerText`)
}

// TestBrowser drives the page in headless Chromium like a new user: search
// Cao Lubao, see his move drawn, click a node and an edge for their
// sources, open the appointments into the Northeast and filter them by
// date. It saves a screenshot.
func TestBrowser(t *testing.T) {
	s := openStore(t)
	run := start(t, server.Config{Store: s})
	ctx := browser(t)
	errs := pageErrors(ctx)
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()

	if err := chromedp.Do(ctx,
		chromedp.Navigate(run.url+"/"),
		chromedp.WaitVisible(chromedp.CSS("#search")),
		chromedp.SendKeys(chromedp.CSS("#search"), "Cao Lub"),
		chromedp.WaitVisible(chromedp.CSS(`#suggestions li[data-id="person/cao-lubao"]`)),
		chromedp.Click(chromedp.CSS(`#suggestions li[data-id="person/cao-lubao"]`)),
	); err != nil {
		t.Fatalf("search Cao Lubao: %v", err)
	}

	// His neighbourhood: the appointment drawn from Suzhou through him to Jilin.
	waitJS(t, ctx, "the graph of Cao Lubao", `rustbelt.cy.getElementById("person/cao-lubao").length === 1`)
	moves := js[[]string](t, ctx, `rustbelt.cy.edges('[type = "Appointment"]').map(e => e.source().id() + ">" + e.target().id())`)
	for _, want := range []string{"place/suzhou>person/cao-lubao", "person/cao-lubao>place/jilin"} {
		if !contains(moves, want) {
			t.Errorf("appointment edges %v lack %s", moves, want)
		}
	}
	if text := panelText(t, ctx, "Cao Lubao"); !strings.Contains(text, "Rust to Riches") {
		t.Errorf("his card cites no source:\n%s", text)
	}

	clickElement(t, ctx, "place/suzhou")
	if text := panelText(t, ctx, "Suzhou"); !strings.Contains(text, "NewsChina, 2024-12-01") || !strings.Contains(text, "Jiangsu") {
		t.Errorf("Suzhou's card lacks its province or its source:\n%s", text)
	}
	edge := js[string](t, ctx, `rustbelt.cy.edges('[type = "Appointment"]').filter(e => e.target().id() === "place/jilin").id()`)
	clickElement(t, ctx, edge)
	if text := panelText(t, ctx, "appointed to"); !strings.Contains(text, "Director of Jilin's provincial publicity department") || !strings.Contains(text, "Rust to Riches") {
		t.Errorf("the appointment's panel lacks its post or source:\n%s", text)
	}
	// Indicator figures are hidden until asked for.
	const figures = `rustbelt.cy.nodes('[type = "Indicator"]')`
	if n := js[int](t, ctx, figures+".length"); n == 0 {
		t.Errorf("no indicator figures around Cao Lubao to hide")
	}
	if n := js[int](t, ctx, figures+`.filter(":visible").length`); n != 0 {
		t.Errorf("%d indicator figures shown before asking", n)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#figures"))); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "the figures shown", figures+`.filter(":visible").length === `+figures+".length")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#figures"))); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "the figures hidden again", figures+`.filter(":visible").length === 0`)

	clickElement(t, ctx, "person/cao-lubao")
	panelText(t, ctx, "Cao Lubao")
	shot, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	saveScreenshot(t, shot)

	// The preset view: one edge per appointment into the Northeast, from
	// origin to destination, and the date filter hides the earlier ones.
	all, _, err := graph.New(s).Appointments(ctx, graph.AppointmentFilter{To: "Northeast"})
	if err != nil {
		t.Fatal(err)
	}
	recent, _, err := graph.New(s).Appointments(ctx, graph.AppointmentFilter{To: "Northeast", DateRange: graph.DateRange{Since: "2024"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(recent) == 0 || len(recent) == len(all) {
		t.Fatalf("the date filter case needs some appointments before 2024 and some after: %d of %d", len(recent), len(all))
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#preset-northeast"))); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "the Northeast view", fmt.Sprintf(`rustbelt.cy.edges(".move").length === %d`, len(all)))
	drawn := js[[]string](t, ctx, `rustbelt.cy.edges().map(e => e.source().id() + ">" + e.target().id())`)
	for _, a := range all {
		if want := a.FromPlaceID + ">" + a.ToPlaceID; !contains(drawn, want) {
			t.Errorf("edges %v lack %s (%s)", drawn, want, a.Person)
		}
	}
	js[any](t, ctx, `(() => { const r = document.getElementById("since"); r.value = "2024"; r.dispatchEvent(new Event("input")); })()`)
	waitJS(t, ctx, "the date filter", fmt.Sprintf(`rustbelt.cy.edges(":visible").length === %d`, len(recent)))

	// The check: every finding of rustbelt check, by severity, each with
	// its sources; an inferred fact cites its inference and the article.
	findings, err := graph.New(s).Check(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#check"))); err != nil {
		t.Fatal(err)
	}
	text := panelText(t, ctx, "Check of the graph")
	if n := js[int](t, ctx, `document.querySelectorAll("#panel li.finding").length`); n != len(findings) {
		t.Errorf("the check panel lists %d findings, rustbelt check %d:\n%s", n, len(findings), text)
	}
	for _, want := range []string{"0 errors, 2 warnings", "may be the same Person as Li Kai", "contained in: Northeast", "inferred from Xinhua, 2016-03-03", "we take them to lie in the Northeast"} {
		if !strings.Contains(text, want) {
			t.Errorf("the check panel lacks %q:\n%s", want, text)
		}
	}
	// A finding opens what it is about: Siping's card shows the inferred
	// containment as inferred, and the article it is drawn from.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#panel a[href="#entity=place/siping"]`))); err != nil {
		t.Fatal(err)
	}
	if text := panelText(t, ctx, "Siping"); !strings.Contains(text, "inferred from Xinhua, 2016-03-03: China's rust belt seeks new growth engines") {
		t.Errorf("Siping's card does not mark its inferred containment:\n%s", text)
	}

	if e := errs(); len(e) > 0 {
		t.Errorf("the page reported errors:\n%s", strings.Join(e, "\n"))
	}
}

// saveScreenshot keeps the screenshot with the test's files, and at the
// -screenshot path when one is given.
func saveScreenshot(t *testing.T, png []byte) {
	t.Helper()
	paths := []string{t.TempDir() + "/web.png"}
	if *screenshot != "" {
		paths = append(paths, *screenshot)
	}
	for _, p := range paths {
		if err := os.WriteFile(p, png, 0o644); err != nil {
			t.Fatalf("save screenshot: %v", err)
		}
	}
	t.Logf("screenshot: %d bytes, saved to %s", len(png), strings.Join(paths, ", "))
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

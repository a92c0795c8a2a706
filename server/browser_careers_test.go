package server_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/rustbelt/rustbelt/graph"
	"github.com/rustbelt/rustbelt/server"
)

// TestBrowserCareersAndFlows drives the page in headless Chromium through
// issue 16: a person's card shows their career as a timeline, each tenure
// as precise as its sources; the flows view draws the appointments
// between provinces, and a count opens the appointments behind it.
func TestBrowserCareersAndFlows(t *testing.T) {
	s := openStore(t)
	run := start(t, server.Config{Store: s})
	ctx := browser(t)
	errs := pageErrors(ctx)
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()

	// Cao Lubao's career: his Suzhou tenure, whose start no source gives,
	// the move, and his tenure in Jilin, whose end none gives.
	if err := chromedp.Do(ctx, chromedp.Navigate(run.url+"/#entity=person/cao-lubao&depth=1")); err != nil {
		t.Fatal(err)
	}
	panelText(t, ctx, "Cao Lubao")
	waitJS(t, ctx, "his career", `document.querySelector("#panel section.career") !== null`)
	text := js[string](t, ctx, `document.querySelector("#panel section.career").textContent`)
	for _, want := range []string{"Career (2 tenures, 1 move)", "unknown to 2023-10", "Party secretary of Suzhou (Suzhou)", "2023-10 to unknown", "read from appointment/cao-lubao-2023", "Rust to Riches"} {
		if !strings.Contains(text, want) {
			t.Errorf("his career lacks %q:\n%s", want, text)
		}
	}
	bars := js[[]string](t, ctx, `[...document.querySelectorAll("#panel .career-bar")].map(b => b.className)`)
	if len(bars) != 2 || !strings.Contains(bars[0], "open-start") || !strings.Contains(bars[1], "open-end") {
		t.Errorf("the bars %q do not leave open the bounds no source gives", bars)
	}

	// The flows between provinces: one arrow per cell, as wide as its count.
	flows, _, err := graph.New(s).Flows(ctx, graph.FlowFilter{Level: "province"})
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#preset-flows"))); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "the flows view", fmt.Sprintf(`rustbelt.cy.edges(".flow").length === %d`, len(flows.Cells)))
	drawn := js[[]string](t, ctx, `rustbelt.cy.edges(".flow").map(e => e.source().id() + ">" + e.target().id() + " " + e.data("count"))`)
	for _, want := range []string{"place/zhejiang>place/jilin 2", "place/jiangsu>place/jilin 1", "place/jiangsu>place/liaoning 1"} {
		if !contains(drawn, want) {
			t.Errorf("flow edges %v lack %s", drawn, want)
		}
	}
	if text := panelText(t, ctx, "Flows between provinces"); !strings.Contains(text, "4 moves") {
		t.Errorf("the flows panel:\n%s", text)
	}

	// An arrow opens the appointments it counts, and each opens its record.
	clickElement(t, ctx, "flow:place/zhejiang>place/jilin")
	if text := panelText(t, ctx, "Zhejiang → Jilin"); !strings.Contains(text, "Ruan Ganghui (2024-06/2024-08)") || !strings.Contains(text, "Zhu Huan (2024-06/2024-08)") {
		t.Errorf("the cell's panel lacks its appointments:\n%s", text)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#panel a[href="#entity=appointment/zhu-huan-2024"]`))); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "the appointment's card", `document.querySelector("#panel p.meta code")?.textContent === "appointment/zhu-huan-2024"`)
	if text := js[string](t, ctx, `document.getElementById("panel").innerText`); !strings.Contains(text, "Party secretary of Meihekou") || !strings.Contains(text, "Rust to Riches") {
		t.Errorf("the appointment's card lacks its post or source:\n%s", text)
	}

	// The same counts at city level, from the matrix's level links.
	if err := chromedp.Do(ctx, chromedp.Navigate(run.url+"/#view=flows&level=province")); err != nil {
		t.Fatal(err)
	}
	panelText(t, ctx, "Flows between provinces")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#panel a[data-level="city"]`))); err != nil {
		t.Fatal(err)
	}
	text = panelText(t, ctx, "Flows between cities")
	for _, want := range []string{"Ningbo", "Meihekou", "Nanjing", "Dandong"} {
		if !strings.Contains(text, want) {
			t.Errorf("the city matrix lacks %s:\n%s", want, text)
		}
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#panel a[data-cell="place/ningbo>place/meihekou"]`))); err != nil {
		t.Fatal(err)
	}
	if text := panelText(t, ctx, "Ningbo → Meihekou"); !strings.Contains(text, "Zhu Huan") {
		t.Errorf("the Ningbo → Meihekou cell:\n%s", text)
	}

	if e := errs(); len(e) > 0 {
		t.Errorf("the page reported errors:\n%s", strings.Join(e, "\n"))
	}
}

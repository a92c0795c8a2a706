// Tenures of a person, stated and read from appointments, as `rustbelt career` gives them. params.person (or params.name): a name or alias ("Cao Lubao").
var NS = "https://rustbelt.dev/ns/";
var NAME = "<http://schema.org/name>", ALIAS = "<http://schema.org/alternateName>";
var TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>";
function rb(term) { return "<" + NS + term + ">"; }
function one(id, pred) { return g.V(id).Out(pred).ToValue(); }
function nameOf(id) { return id ? g.V(id).Out(NAME).ToValue() : ""; }
function short(id) { return id.replace(/^<https:\/\/rustbelt\.dev\/id\//, "").replace(/>$/, ""); }

// A bound of a tenure: its date as the source gives it, and the first and
// last day it may be. An unknown bound may be any day; one "by" a day,
// any day up to it.
function bound(date, end, prec) {
  if (!date || prec === "unknown") return { text: "unknown", date: "", end: "", prec: "unknown", first: "0000-01-01", last: "9999-12-31" };
  var text = date;
  if (prec === "range") text = date + "/" + end;
  if (prec === "reported") text = "by " + date;
  return {
    text: text, date: date, end: end || "", prec: prec,
    first: prec === "reported" ? "0000-01-01" : firstDay(date),
    last: lastDay(prec === "range" ? end : date),
  };
}
function firstDay(d) { return d.length === 4 ? d + "-01-01" : d.length === 7 ? d + "-01" : d; }
function lastDay(d) {
  if (d.length === 4) return d + "-12-31";
  if (d.length === 7) {
    var y = +d.slice(0, 4), m = +d.slice(5, 7);
    var days = [31, (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
    return d + "-" + days;
  }
  return d;
}
function known(b) { return b.prec !== "unknown"; }
function compatible(a, b) { return a.first <= b.last && b.first <= a.last; }

var asked = params.person || params.name || "";
var who = g.V().Has(NAME, asked).Union(g.V().Has(ALIAS, asked)).Has(TYPE, rb("Person")).ToValue();
if (who) career(who);

function career(who) {

  // The tenures the sources state, by post.
  var stated = {};
  g.V(who).In(rb("person")).Has(TYPE, rb("Tenure")).ForEach(function (t) {
    var post = one(t.id, rb("post"));
    (stated[post] = stated[post] || []).push({
      id: t.id, post: post, stated: true, derived: [], sources: g.V(t.id).Labels().ToArray(),
      start: bound(one(t.id, rb("start")), "", one(t.id, rb("startPrecision"))),
      end: bound(one(t.id, rb("end")), "", one(t.id, rb("endPrecision"))),
    });
  });
  for (var p in stated) stated[p].sort(function (a, b) { return a.id < b.id ? -1 : a.id > b.id ? 1 : 0; });

  // The moves into and out of each post, in date order: a move in starts a
  // tenure, the next move out ends it.
  var moves = {};
  g.V(who).In(rb("person")).Has(TYPE, rb("Appointment")).ForEach(function (a) {
    var when = bound(one(a.id, rb("date")), one(a.id, rb("dateEnd")), one(a.id, rb("datePrecision")));
    var sources = g.V(a.id).Labels().ToArray();
    [["toPost", true], ["fromPost", false]].forEach(function (k) {
      g.V(a.id).Out(rb(k[0])).ForEach(function (post) {
        (moves[post.id] = moves[post.id] || []).push({ id: a.id, when: when, starts: k[1], sources: sources });
      });
    });
  });
  var tenures = [];
  for (var post in stated) tenures = tenures.concat(stated[post]);
  for (var post in moves) {
    var list = moves[post].sort(function (a, b) {
      if (a.when.first !== b.when.first) return a.when.first < b.when.first ? -1 : 1;
      if (a.when.last !== b.when.last) return a.when.last < b.when.last ? -1 : 1;
      if (a.starts !== b.starts) return a.starts ? 1 : -1;
      return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
    });
    var derived = [], open = null;
    list.forEach(function (m) {
      if (m.starts) {
        if (open) derived.push(open);
        open = { id: "", post: post, stated: false, derived: [m.id], sources: m.sources.slice(), start: m.when, end: bound("", "", "unknown") };
      } else if (open) {
        open.end = m.when; open.derived.push(m.id); open.sources = open.sources.concat(m.sources);
        derived.push(open); open = null;
      } else {
        derived.push({ id: "", post: post, stated: false, derived: [m.id], sources: m.sources.slice(), start: bound("", "", "unknown"), end: m.when });
      }
    });
    if (open) derived.push(open);
    // A stated tenure takes in the bounds it does not state from the first
    // tenure read from moves that fits it.
    derived.forEach(function (d) {
      var s = (stated[post] || []).filter(function (s) { return compatible(s.start, d.start) && compatible(s.end, d.end); })[0];
      if (!s) { tenures.push(d); return; }
      if (!known(s.start)) s.start = d.start;
      if (!known(s.end)) s.end = d.end;
      s.derived = s.derived.concat(d.derived);
      s.sources = s.sources.concat(d.sources);
    });
  }

  tenures.forEach(function (t) {
    var seen = {};
    g.Emit({
      id: t.id,
      person: nameOf(who),
      post: nameOf(t.post),
      start: t.start.text,
      end: t.end.text,
      start_precision: t.start.prec,
      end_precision: t.end.prec,
      stated: t.stated,
      derived_from: t.derived.map(short),
      sources: t.sources.filter(function (s) { return seen[s] ? false : (seen[s] = true); }).sort(),
    });
  });
}

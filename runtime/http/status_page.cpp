#include "runtime/http/status_page.hpp"

#include <string>

namespace shoal {

namespace {

constexpr const char* page_head = R"shoal(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Shoal status</title>
<link rel="icon" href="data:,">
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 0 1.5em 2em; color: #222;
       background: #fafafa; }
header { display: flex; align-items: baseline; gap: 1em; }
h1 { font-size: 1.5em; margin: .6em 0 .2em; }
h2 { font-size: 1.1em; margin: 1.2em 0 .4em; }
#state { padding: .1em .6em; border-radius: 1em; font-size: .9em; }
#state.live { background: #d9f2d9; }
#state.stale { background: #fbd9d3; }
.cards { display: flex; flex-wrap: wrap; gap: .6em; }
.card { background: #fff; border: 1px solid #ddd; border-radius: 6px;
        padding: .4em .8em; min-width: 7.5em; }
.card .v { font-size: 1.4em; font-weight: 600; }
.card .k { color: #666; font-size: .85em; }
.cols { display: flex; flex-wrap: wrap; gap: 0 2.5em; }
table { border-collapse: collapse; background: #fff; }
th, td { border-bottom: 1px solid #e4e4e4; padding: .2em .7em; text-align: left;
         vertical-align: top; }
th { background: #f0f0f0; font-weight: 600; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
td.err { color: #a00; max-width: 40em; overflow-wrap: anywhere; }
.up { color: #080; } .down { color: #b00; font-weight: 600; }
.warn { color: #8a5a00; font-weight: 600; }
.empty { color: #888; font-style: italic; }
#graph-box { overflow: auto; max-height: 85vh; border: 1px solid #ddd;
             background: #fff; }
#graph text { font: 11px system-ui, sans-serif; pointer-events: none; }
#graph path { fill: none; stroke: #999; stroke-opacity: .6; }
#graph .failing rect.box { stroke: #d00; stroke-width: 2.5; }
#graph g.group, #graph g[data-in-group] { cursor: pointer; }
#graph g.match rect.box { stroke-width: 3.5; }
#graph g.dim { opacity: .35; }
.tools { display: flex; flex-wrap: wrap; gap: .6em; align-items: center;
         margin: .3em 0; }
#graph-search { width: 22em; }
#graph-found { color: #444; }
.charts { display: flex; flex-wrap: wrap; gap: .6em; }
.chart { margin: 0; background: #fff; border: 1px solid #ddd; border-radius: 6px;
         padding: .3em .6em; }
.chart figcaption { font-size: .85em; color: #444; }
.chart .frame { fill: #fcfcfc; stroke: #eee; }
.chart path { fill: none; stroke-width: 1.5; }
.chart .axis { font: 10px system-ui, sans-serif; fill: #888; }
.legend { display: flex; flex-wrap: wrap; gap: .3em 1.2em; margin: .3em 0; }
.swatch { display: inline-block; width: 1em; height: 1em; border: 1px solid #888;
          vertical-align: -.15em; margin-right: .3em; }
</style>
</head>
<body>
<header><h1>Shoal</h1><span id="state" class="stale">loading&hellip;</span></header>
<section class="cards" id="headline"></section>
<section><h2>Last minutes</h2><div id="charts" class="charts"></div></section>
<section><h2>Members</h2><table id="members"></table></section>
<div class="cols">
<section><h2>Samples</h2><table id="samples"></table></section>
<section><h2>Endpoints</h2><table id="endpoints"></table></section>
<section><h2>Sources</h2><table id="sources"></table></section>
</div>
<div class="cols">
<section><h2>Slowest nodes (p99 latency)</h2><table id="slowest"></table></section>
<section><h2>Most failing nodes</h2><table id="failing"></table></section>
</div>
<section><h2>Graph</h2><p id="graph-info"></p><div id="graph-legend" class="legend"></div>
<div class="tools"><input id="graph-search" type="search" aria-label="search nodes"
 placeholder="search nodes: part of a name, or a glob (pump0?.*)">
<button id="graph-close" type="button">close all groups</button>
<span id="graph-found"></span></div>
<div id="graph-box"><svg id="graph" xmlns="http://www.w3.org/2000/svg" width="0" height="0"></svg></div>
</section>
<script>
"use strict";
)shoal";

constexpr const char* page_script = R"shoal(
const $ = (id) => document.getElementById(id);
const REASONS = ["malformed", "unknown_sensor", "non_finite", "late",
                 "out_of_order"];

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}

function fmtCount(x) {
  if (x === null || x === undefined) return "\u2013";
  return Number(x).toLocaleString("en");
}

function fmtRate(x) {
  if (x === null || x === undefined || !isFinite(x)) return "\u2013";
  if (x >= 1e6) return (x / 1e6).toFixed(2) + " M/s";
  if (x >= 1e3) return (x / 1e3).toFixed(2) + " k/s";
  return x.toFixed(x < 10 ? 2 : 1) + " /s";
}

function fmtNs(ns) {
  if (ns === null || ns === undefined) return "\u2013";
  if (ns >= 1e9) return (ns / 1e9).toFixed(2) + " s";
  if (ns >= 1e6) return (ns / 1e6).toFixed(2) + " ms";
  if (ns >= 1e3) return (ns / 1e3).toFixed(1) + " \u00b5s";
  return ns + " ns";
}

function fmtDuration(s) {
  if (!isFinite(s)) return "\u2013";
  s = Math.floor(s);
  const d = Math.floor(s / 86400), h = Math.floor(s / 3600) % 24,
        m = Math.floor(s / 60) % 60;
  if (d > 0) return d + "d " + h + "h";
  if (h > 0) return h + "h " + m + "m";
  return m + "m " + (s % 60) + "s";
}

function rejectedTotal(samples) {
  return REASONS.reduce((a, r) => a + (samples.rejected[r] || 0), 0);
}

// Fills `table` with a header row and `rows`: arrays of cells, each a
// string or {text, cls}. `empty` is shown when there are no rows.
function fillTable(table, headers, rows, empty) {
  const body = [];
  const head = el("tr");
  for (const h of headers) head.appendChild(el("th", h));
  body.push(head);
  for (const row of rows) {
    const tr = el("tr");
    for (const c of row) {
      if (c !== null && typeof c === "object") tr.appendChild(el("td", c.text, c.cls));
      else tr.appendChild(el("td", c));
    }
    body.push(tr);
  }
  if (rows.length === 0) {
    const tr = el("tr"), td = el("td", empty, "empty");
    td.colSpan = headers.length;
    tr.appendChild(td);
    body.push(tr);
  }
  table.replaceChildren(...body);
}

const num = (x) => ({text: fmtCount(x), cls: "n"});

function renderHeadline(s) {
  const t = s.totals, alive = s.members.filter((m) => m.alive).length;
  const cards = [
    ["uptime", fmtDuration(s.uptime_s)],
    ["samples", fmtRate(t.rates.samples_per_s)],
    ["firings", fmtRate(t.rates.firings_per_s)],
    ["outputs", fmtRate(t.rates.outputs_per_s)],
    ["errors", fmtRate(t.rates.errors_per_s)],
    ["rejected", fmtCount(rejectedTotal(t.samples))],
    ["backlog", fmtCount(t.backlog)],
    ["latency p50", fmtNs(t.latency.p50_ns)],
    ["latency p99", fmtNs(t.latency.p99_ns)],
    ["members alive", alive + " / " + s.members.length],
    ["nodes", fmtCount(s.nodes.length)],
  ];
  $("headline").replaceChildren(...cards.map(([k, v]) => {
    const c = el("div", null, "card");
    c.appendChild(el("div", v, "v"));
    c.appendChild(el("div", k, "k"));
    return c;
  }));
}

function renderTables(s) {
  fillTable($("members"),
    ["member", "address", "state", "load", "nodes", "backlog", "accepted",
     "rejected"],
    s.members.map((m) => [m.name, m.address,
      m.alive ? {text: "up", cls: "up"} : {text: "down", cls: "down"},
      {text: fmtRate(m.load), cls: "n"}, num(m.nodes), num(m.backlog),
      num(m.samples.accepted), num(rejectedTotal(m.samples))]),
    "no members");
  const t = s.totals.samples, all = t.accepted + rejectedTotal(t);
  const share = (n) => ({text: all ? (100 * n / all).toFixed(1) + " %" : "\u2013",
                         cls: "n"});
  fillTable($("samples"), ["outcome", "samples", "share"],
    [["accepted", num(t.accepted), share(t.accepted)]].concat(
      REASONS.map((r) => ["rejected: " + r, num(t.rejected[r]),
                          share(t.rejected[r])])), "");
  fillTable($("endpoints"),
    ["kind", "address", "state", "messages", "dropped", "last problem"],
    s.endpoints.map((e) => [e.kind, e.address,
      e.connected ? {text: "up", cls: "up"} : {text: "down", cls: "down"},
      num(e.messages), num(e.dropped), {text: e.last_error, cls: "err"}]),
    "no network endpoints");
  fillTable($("sources"),
    ["source", "watermark lag", "queued", "refused", "inbox"],
    (s.sources || []).map((x) => [x.name, {text: fmtNs(x.lag_ns), cls: "n"},
      num(x.queued), num(x.refused),
      x.full ? {text: "full", cls: "warn"} : "taking"]),
    "no live sources on this member");
  const timed = s.nodes.filter((n) => n.p99_ns !== null && n.p99_ns !== undefined);
  timed.sort((a, b) => b.p99_ns - a.p99_ns);
  fillTable($("slowest"), ["node", "kind", "member", "p50", "p99"],
    timed.slice(0, 10).map((n) => [n.name, n.kind, n.member,
      {text: fmtNs(n.p50_ns), cls: "n"}, {text: fmtNs(n.p99_ns), cls: "n"}]),
    "no latencies yet");
  const failing = s.nodes.filter((n) => n.errors > 0);
  failing.sort((a, b) => b.errors - a.errors);
  fillTable($("failing"), ["node", "member", "errors", "of firings", "last error"],
    failing.slice(0, 10).map((n) => [n.name, n.member, num(n.errors),
      {text: n.firings ? (100 * n.errors / n.firings).toFixed(1) + " %" : "\u2013",
       cls: "n"}, {text: n.last_error, cls: "err"}]),
    "no errors");
}

function setState(cls, text) {
  const s = $("state");
  s.className = cls;
  s.textContent = text;
}

async function load() {
  const reply = await fetch("status", {cache: "no-store"});
  if (!reply.ok) throw new Error("HTTP " + reply.status);
  return reply.json();
}

// A status that cannot be fetched is shown on the page; a bug in drawing it
// is left uncaught, for the console (and the browser test) to see. The next
// fetch waits 2 s, or five times as long as this one took (a big graph
// should not keep the server and the browser busy).
function refresh() {
  const start = performance.now();
  const again = () => setTimeout(refresh, Math.max(2000, 5 * (performance.now() - start)));
  load().then((s) => {
    renderHeadline(s);
    renderTables(s);
    drawCharts(s);
    drawGraph(s);
    setState("live", "updated " + new Date().toLocaleTimeString());
  }, (e) => setState("stale", "cannot load status: " + e.message))
    .finally(again);
}

initGraph();
refresh();
</script>
</body>
</html>
)shoal";

} // namespace

const std::vector<std::string_view>& member_palette() {
  static const std::vector<std::string_view> colours{
    "#0072B2", "#E69F00", "#009E73", "#56B4E9",
    "#000000", "#F0E442", "#7570B3", "#A6761D"};
  return colours;
}

std::string_view status_page_html() {
  static const std::string page = [] {
    std::string colours = "const MEMBER_COLOURS = [";
    for (auto c : member_palette())
      colours.append("\"").append(c).append("\", ");
    colours.append("];\n");
    return std::string{page_head} + colours + detail::status_page_groups_js()
           + detail::status_page_graph_js() + detail::status_page_charts_js()
           + page_script;
  }();
  return page;
}

} // namespace shoal

// The graph picture of the status page: longest-path layers drawn left to
// right as SVG, one box per node for small graphs and one per name prefix
// for large ones (at most GRAPH_LIMIT boxes, so 100,000 nodes stay fast).

#include "runtime/http/status_page.hpp"

namespace shoal::detail {

const char* status_page_graph_js() {
  return R"shoal(
const SVGNS = "http://www.w3.org/2000/svg";
const GRAPH_LIMIT = 300, EDGE_LIMIT = 2000;
const KIND_FILL = {sensor: "#cfe3f7", feature: "#d3efcd", model: "#fde0bf"};
const MEMBER_COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e",
                        "#17becf", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22"];
const BOX_W = 170, GAP_X = 70, GAP_Y = 8, PAD = 10;

function sv(tag, attrs) {
  const e = document.createElementNS(SVGNS, tag);
  for (const k in attrs) e.setAttribute(k, attrs[k]);
  return e;
}

const byName = new Intl.Collator("en", {numeric: true});
const byId = (a, b) => byName.compare(a.id, b.id);

function plural(n, word) {
  return n + " " + word + (n === 1 ? "" : "s");
}

function clip(text, n) {
  return text.length > n ? "\u2026" + text.slice(text.length - n + 1) : text;
}

// Longest-path layers of a graph given as the predecessors (indices) of
// each item, by Kahn's algorithm; `done[i]` is false for items on a cycle,
// which keep the layer reached so far.
function layersOf(preds) {
  const n = preds.length, indeg = new Int32Array(n), layer = new Int32Array(n);
  const done = new Uint8Array(n), out = preds.map(() => []);
  preds.forEach((ps, i) => {
    for (const j of ps) { out[j].push(i); ++indeg[i]; }
  });
  const queue = [];
  indeg.forEach((d, i) => { if (d === 0) queue.push(i); });
  for (let q = 0; q < queue.length; ++q) {
    const j = queue[q];
    done[j] = 1;
    for (const k of out[j]) {
      if (layer[j] + 1 > layer[k]) layer[k] = layer[j] + 1;
      if (--indeg[k] === 0) queue.push(k);
    }
  }
  return {layer, done};
}

function nodeLayers(nodes) {
  const index = new Map();
  nodes.forEach((n, i) => index.set(n.name, i));
  const preds = nodes.map((n, i) => n.needs.map((need) => index.get(need))
                                           .filter((j) => j !== undefined && j !== i));
  return {index, layer: layersOf(preds).layer};
}

// Group keys: the name without its last `level` segments (at least one
// kept), with `level` raised until there are at most GRAPH_LIMIT groups;
// past the first segment, the largest groups stay and the rest is "(other)".
function groupKeys(nodes) {
  const parts = nodes.map((n) => n.name.split("."));
  const depth = parts.reduce((a, p) => Math.max(a, p.length), 1);
  for (let level = 1; level < depth; ++level) {
    const keys = parts.map((p) => p.slice(0, Math.max(1, p.length - level)).join("."));
    if (new Set(keys).size <= GRAPH_LIMIT) return {keys, how: "prefix"};
  }
  const first = parts.map((p) => p[0]), sizes = new Map();
  for (const k of first) sizes.set(k, (sizes.get(k) || 0) + 1);
  if (sizes.size <= GRAPH_LIMIT) return {keys: first, how: "prefix"};
  const keep = new Set([...sizes.entries()].sort((a, b) => b[1] - a[1])
                       .slice(0, GRAPH_LIMIT - 1).map((e) => e[0]));
  return {keys: first.map((k) => (keep.has(k) ? k : "(other)")), how: "capped"};
}

// Items to draw ({id, label, sub, layer, fill, member, failing, title}) and
// edges ({from, to, count}) between them.
function graphItems(s) {
  const nodes = s.nodes, {index, layer} = nodeLayers(nodes);
  if (nodes.length <= GRAPH_LIMIT) {
    const items = nodes.map((n, i) => ({
      id: n.name, label: n.name, layer: layer[i], fill: KIND_FILL[n.kind] || "#eee",
      member: n.member, failing: n.errors > 0, node: true,
      title: n.name + "\n" + n.kind + (n.fn ? " " + n.fn : "") + " on " +
             (n.member || "(not placed)") + "\nfirings " + n.firings +
             ", outputs " + n.outputs + ", errors " + n.errors +
             (n.last_error ? "\nlast error: " + n.last_error : "")}));
    const edges = [];
    for (const n of nodes)
      for (const need of n.needs)
        if (index.has(need)) edges.push({from: need, to: n.name, count: 1});
    return {items, edges, info: plural(nodes.length, "node") + ", " +
                                plural(edges.length, "edge")};
  }
  const {keys, how} = groupKeys(nodes), groups = new Map();
  nodes.forEach((n, i) => {
    let g = groups.get(keys[i]);
    if (!g) {
      g = {id: keys[i], count: 0, layer: layer[i], errors: 0,
           kinds: {sensor: 0, feature: 0, model: 0}, members: new Map()};
      groups.set(keys[i], g);
    }
    ++g.count;
    g.errors += n.errors;
    g.kinds[n.kind] = (g.kinds[n.kind] || 0) + 1;
    g.members.set(n.member, (g.members.get(n.member) || 0) + 1);
    if (layer[i] < g.layer) g.layer = layer[i];
  });
  const counts = new Map();
  nodes.forEach((n, i) => {
    for (const need of n.needs) {
      const j = index.get(need);
      if (j === undefined || keys[j] === keys[i]) continue;
      const k = keys[j] + "\u0000" + keys[i];
      counts.set(k, (counts.get(k) || 0) + 1);
    }
  });
  const items = [...groups.values()].map((g) => {
    const kind = Object.keys(g.kinds).reduce((a, b) => (g.kinds[b] > g.kinds[a] ? b : a));
    const member = [...g.members.entries()].reduce((a, b) => (b[1] > a[1] ? b : a))[0];
    const mix = Object.keys(g.kinds).filter((k) => g.kinds[k] > 0)
                      .map((k) => g.kinds[k] + " " + k + "s").join(", ");
    return {id: g.id, label: g.id === "(other)" ? g.id : g.id + ".*",
            sub: g.count + " nodes", layer: g.layer, fill: KIND_FILL[kind] || "#eee",
            member, failing: g.errors > 0, node: false,
            title: g.id + ": " + mix + "\nmembers: " +
                   [...g.members.keys()].map((m) => m || "(not placed)").join(", ") +
                   "\nerrors " + g.errors};
  });
  let edges = [...counts.entries()].map(([k, count]) => {
    const [from, to] = k.split("\u0000");
    return {from, to, count};
  });
  // Layers of the group graph itself; groups on a cycle (prefixes that feed
  // each other) stay in the lowest layer of their nodes.
  const at = new Map(items.map((it, i) => [it.id, i])), preds = items.map(() => []);
  for (const e of edges) preds[at.get(e.to)].push(at.get(e.from));
  const {layer: glayer, done} = layersOf(preds);
  items.forEach((it, i) => { if (done[i]) it.layer = glayer[i]; });
  const all = edges.length;
  edges.sort((a, b) => b.count - a.count);
  edges = edges.slice(0, EDGE_LIMIT);
  return {items, edges, grouped: true,
          info: nodes.length + " nodes in " + items.length + " groups by name " +
                (how === "capped" ? "prefix (largest kept, rest in \u201c(other)\u201d)"
                                  : "prefix") + ", " + all + " edges between groups" +
                (all > edges.length ? " (" + edges.length + " heaviest drawn)" : "")};
}

// Columns by layer (empty layers dropped). The first column is stacked in
// name order; each later item wants the mean height of its predecessors,
// and items are stacked in that order, each as near its wish as the one
// above allows, so that edges run mostly straight and cross less.
function placeItems(all, edges, boxH, grouped) {
  const itemOf = new Map(all.map((it) => [it.id, it])), preds = new Map();
  for (const e of edges) {
    if (!preds.has(e.to)) preds.set(e.to, []);
    preds.get(e.to).push(e.from);
  }
  // Groups without edges say nothing by their place: a grid after the rest.
  const linked = new Set(edges.flatMap((e) => [e.from, e.to]));
  const items = grouped ? all.filter((it) => linked.has(it.id)) : all;
  const loose = grouped ? all.filter((it) => !linked.has(it.id)) : [];
  const layers = [...new Set(items.map((it) => it.layer))].sort((a, b) => a - b);
  const col = new Map(layers.map((l, i) => [l, i]));
  const columns = layers.map(() => []);
  for (const it of items) columns[col.get(it.layer)].push(it);
  let height = 0;
  columns.forEach((c, x) => {
    for (const it of c) {
      const ps = (preds.get(it.id) || []).map((p) => itemOf.get(p))
                   .filter((p) => p && p.y !== undefined);
      it.want = ps.length ? ps.reduce((a, p) => a + p.y, 0) / ps.length : 0;
    }
    c.sort((a, b) => a.want - b.want || byId(a, b));
    let next = PAD;
    for (const it of c) {
      it.x = PAD + x * (BOX_W + GAP_X);
      it.y = Math.max(next, it.want);
      next = it.y + boxH + GAP_Y;
    }
    height = Math.max(height, next - GAP_Y + PAD);
  });
  let width = PAD * 2 + columns.length * (BOX_W + GAP_X) - GAP_X;
  if (loose.length > 0) {
    const room = Math.max($("graph-box").clientWidth, BOX_W + 2 * PAD);
    const per = Math.max(1, Math.floor((room - 2 * PAD + GAP_Y) / (BOX_W + GAP_Y)));
    const top = height > 0 ? height + GAP_X / 2 : PAD;
    loose.sort(byId);
    loose.forEach((it, i) => {
      it.x = PAD + (i % per) * (BOX_W + GAP_Y);
      it.y = top + Math.floor(i / per) * (boxH + GAP_Y);
    });
    width = Math.max(width, PAD * 2 + Math.min(per, loose.length) * (BOX_W + GAP_Y) - GAP_Y);
    height = top + Math.ceil(loose.length / per) * (boxH + GAP_Y) - GAP_Y + PAD;
  }
  return {itemOf, width, height};
}

function drawLegend(memberIndex) {
  const parts = [];
  const swatch = (colour, text, border) => {
    const span = document.createElement("span"), box = document.createElement("span");
    box.className = "swatch";
    box.style.background = colour;
    if (border) box.style.borderColor = border;
    span.appendChild(box);
    span.appendChild(document.createTextNode(text));
    parts.push(span);
  };
  for (const k in KIND_FILL) swatch(KIND_FILL[k], k);
  for (const [m, i] of memberIndex)
    swatch(MEMBER_COLOURS[i % MEMBER_COLOURS.length], "member " + m);
  $("graph-legend").replaceChildren(...parts);
}

function drawGraph(s) {
  const svg = $("graph"), memberIndex = new Map();
  s.members.forEach((m, i) => memberIndex.set(m.name, i));
  drawLegend(memberIndex);
  if (s.nodes.length === 0) {
    $("graph-info").textContent = "no graph deployed";
    svg.setAttribute("width", 0);
    svg.setAttribute("height", 0);
    svg.replaceChildren();
    return;
  }
  const {items, edges, info, grouped} = graphItems(s);
  const boxH = grouped ? 34 : 22;
  const {itemOf, width, height} = placeItems(items, edges, boxH, grouped);
  $("graph-info").textContent = info;
  svg.setAttribute("width", width);
  svg.setAttribute("height", height);
  const parts = [];
  for (const e of edges) {
    const a = itemOf.get(e.from), b = itemOf.get(e.to);
    const x1 = a.x + BOX_W, y1 = a.y + boxH / 2, x2 = b.x, y2 = b.y + boxH / 2;
    const dx = Math.max(30, Math.abs(x2 - x1) / 2);
    const path = sv("path", {d: "M" + x1 + "," + y1 + " C" + (x1 + dx) + "," + y1 +
                               " " + (x2 - dx) + "," + y2 + " " + x2 + "," + y2,
                             "stroke-width": 1 + Math.log2(e.count)});
    if (e.count > 1) path.appendChild(sv("title", {})).textContent =
      e.count + " edges " + e.from + " \u2192 " + e.to;
    parts.push(path);
  }
  for (const it of items) {
    const colour = memberIndex.has(it.member)
      ? MEMBER_COLOURS[memberIndex.get(it.member) % MEMBER_COLOURS.length] : "#999";
    const g = sv("g", {class: it.node ? "node" : "group",
                       transform: "translate(" + it.x + "," + it.y + ")"});
    g.setAttribute(it.node ? "data-node" : "data-group", it.id);
    if (it.failing) g.classList.add("failing");
    g.appendChild(sv("title", {})).textContent = it.title;
    g.appendChild(sv("rect", {class: "box", width: BOX_W, height: boxH, rx: 4,
                              fill: it.fill, stroke: colour, "stroke-width": 1.5}));
    g.appendChild(sv("rect", {width: 5, height: boxH, rx: 2, fill: colour}));
    g.appendChild(sv("text", {x: 10, y: 15})).textContent = clip(it.label, 26);
    if (it.sub) g.appendChild(sv("text", {x: 10, y: 28})).textContent = it.sub;
    parts.push(g);
  }
  svg.replaceChildren(...parts);
}
)shoal";
}

} // namespace shoal::detail

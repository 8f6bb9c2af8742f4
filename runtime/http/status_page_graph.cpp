// The graph picture of the status page: the boxes that
// status_page_groups.cpp chose, in longest-path layers drawn left to right
// as SVG, each outlined in its member's colour; a click on a group opens
// it, a click on a node of an open group closes the group.

#include "runtime/http/status_page.hpp"

namespace shoal::detail {

const char* status_page_graph_js() {
  return R"shoal(
const SVGNS = "http://www.w3.org/2000/svg", ERROR_COLOUR = "#d00";
const BOX_W = 170, GAP_X = 70, GAP_Y = 8, PAD = 10;

function sv(tag, attrs) {
  const e = document.createElementNS(SVGNS, tag);
  for (const k in attrs) e.setAttribute(k, attrs[k]);
  return e;
}

function clip(text, n) {
  return text.length > n ? "\u2026" + text.slice(text.length - n + 1) : text;
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
  // Red is kept for this alone: no member colour is red.
  swatch("#fff", "errors", ERROR_COLOUR);
  $("graph-legend").replaceChildren(...parts);
}

function showFound(hits, found) {
  $("graph-found").textContent = view.query
    ? plural(hits, "node") + " match" + (hits === 1 ? "es" : "") +
      (found ? " in " + plural(found, "group") : "")
    : "";
}

let lastStatus = null;

function drawGraph(s) {
  lastStatus = s;
  const svg = $("graph"), memberIndex = new Map();
  s.members.forEach((m, i) => memberIndex.set(m.name, i));
  drawLegend(memberIndex);
  if (s.nodes.length === 0) {
    $("graph-info").textContent = "no graph deployed";
    showFound(0, 0);
    svg.setAttribute("width", 0);
    svg.setAttribute("height", 0);
    svg.replaceChildren();
    return;
  }
  const {items, edges, info, grouped, hits, found} = graphItems(s);
  const boxH = grouped ? 34 : 22;
  const {itemOf, width, height} = placeItems(items, edges, boxH, grouped);
  $("graph-info").textContent = info;
  showFound(hits, found);
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
      e.count + " edges " + a.label + " \u2192 " + b.label;
    parts.push(path);
  }
  for (const it of items) {
    const colour = memberIndex.has(it.member)
      ? MEMBER_COLOURS[memberIndex.get(it.member) % MEMBER_COLOURS.length] : "#999";
    const g = sv("g", {class: it.node ? "node" : "group",
                       transform: "translate(" + it.x + "," + it.y + ")"});
    if (it.node) g.setAttribute("data-node", it.name);
    else g.setAttribute("data-group", it.key);
    if (it.group !== undefined) g.setAttribute("data-in-group", it.group);
    if (it.failing) g.classList.add("failing");
    if (it.hit === true) g.classList.add("match");
    if (it.hit === false) g.classList.add("dim");
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

function redrawGraph() {
  writeView();
  if (lastStatus) drawGraph(lastStatus);
}

// Called once before the first fetch: the view from the address, and the
// controls. A search waits for a pause in typing.
function initGraph() {
  readView();
  $("graph-search").value = view.query;
  let typing = 0;
  $("graph-search").addEventListener("input", (ev) => {
    clearTimeout(typing);
    typing = setTimeout(() => { view.query = ev.target.value; redrawGraph(); }, 150);
  });
  $("graph-close").addEventListener("click", () => {
    view.open.clear();
    redrawGraph();
  });
  $("graph").addEventListener("click", (ev) => {
    const box = ev.target.closest("g[data-group], g[data-in-group]");
    if (!box) return;
    const key = box.getAttribute("data-group") ?? box.getAttribute("data-in-group");
    if (key === "(other)") return;
    // A group box opens; a node closes its group, unless the search opened it.
    if (box.hasAttribute("data-group")) view.open.add(key);
    else if (!view.open.delete(key)) return;
    redrawGraph();
  });
  window.addEventListener("hashchange", () => {
    readView();
    $("graph-search").value = view.query;
    if (lastStatus) drawGraph(lastStatus);
  });
}
)shoal";
}

} // namespace shoal::detail

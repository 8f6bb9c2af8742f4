// What the graph picture of the status page shows: one box per node for
// graphs of at most 100 nodes; beyond, a box per group of nodes that share
// a name prefix (a template instance such as "pump07.*"), collapsed until
// clicked, and a search that keeps the groups with matching nodes and opens
// them. The view (open groups, search) lives in the address's fragment, so
// a reload or a shared link shows the same.

#include "runtime/http/status_page.hpp"

namespace shoal::detail {

const char* status_page_groups_js() {
  return R"shoal(
const GROUP_ABOVE = 100, GROUP_LIMIT = 300, MIN_GROUPS = 8;
const OPEN_LIMIT = 200, EDGE_LIMIT = 2000;
const KIND_FILL = {sensor: "#cfe3f7", feature: "#d3efcd", model: "#fde0bf"};
const view = {open: new Set(), query: ""};
const byName = new Intl.Collator("en", {numeric: true});
const byId = (a, b) => byName.compare(a.id, b.id);

function plural(n, word) {
  return n + " " + word + (n === 1 ? "" : "s");
}

// #q=QUERY&open=GROUP&open=GROUP
function readView() {
  const p = new URLSearchParams(location.hash.slice(1));
  view.query = p.get("q") || "";
  view.open = new Set(p.getAll("open"));
}

function writeView() {
  const p = new URLSearchParams();
  if (view.query) p.set("q", view.query);
  for (const k of view.open) p.append("open", k);
  const hash = p.toString();
  history.replaceState(null, "", hash ? "#" + hash : location.pathname + location.search);
}

// Case-insensitive: a substring, or a glob over the whole name when the
// query has * or ?.
function matcher(query) {
  const q = query.trim().toLowerCase();
  if (!q) return null;
  if (!/[*?]/.test(q)) return (name) => name.toLowerCase().includes(q);
  const re = new RegExp("^" + q.replace(/[.+^${}()|[\]\\]/g, "\\$&")
                             .replace(/\*/g, ".*").replace(/\?/g, ".") + "$");
  return (name) => re.test(name.toLowerCase());
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

// Group keys: the first k segments of each name, for the smallest k that
// gives at least MIN_GROUPS groups without passing GROUP_LIMIT (template
// instances: "pump07"); when even the first segment gives more than
// GROUP_LIMIT, the largest groups stay and the rest is "(other)".
function groupKeys(nodes) {
  const parts = nodes.map((n) => n.name.split("."));
  const depth = parts.reduce((a, p) => Math.max(a, p.length), 1);
  let found = null;
  for (let k = 1; k <= depth; ++k) {
    const keys = parts.map((p) => p.slice(0, k).join("."));
    const count = new Set(keys).size;
    if (count > GROUP_LIMIT) break;
    found = {keys, how: "prefix"};
    if (count >= MIN_GROUPS) break;
  }
  if (found) return found;
  const first = parts.map((p) => p[0]), sizes = new Map();
  for (const k of first) sizes.set(k, (sizes.get(k) || 0) + 1);
  const keep = new Set([...sizes.entries()].sort((a, b) => b[1] - a[1])
                       .slice(0, GROUP_LIMIT - 1).map((e) => e[0]));
  return {keys: first.map((k) => (keep.has(k) ? k : "(other)")), how: "capped"};
}

function nodeItem(n, layer, group, hit) {
  return {id: "n:" + n.name, name: n.name, label: n.name, layer, group,
          fill: KIND_FILL[n.kind] || "#eee", member: n.member,
          failing: n.errors > 0, node: true, hit,
          title: n.name + "\n" + n.kind + (n.fn ? " " + n.fn : "") + " on " +
                 (n.member || "(not placed)") + "\nfirings " + n.firings +
                 ", outputs " + n.outputs + ", errors " + n.errors +
                 (n.last_error ? "\nlast error: " + n.last_error : "") +
                 (group !== undefined ? "\n(click to close " + group + ".*)" : "")};
}

function groupItem(g) {
  const kind = Object.keys(g.kinds).reduce((a, b) => (g.kinds[b] > g.kinds[a] ? b : a));
  const member = [...g.members.entries()].reduce((a, b) => (b[1] > a[1] ? b : a))[0];
  const mix = Object.keys(g.kinds).filter((k) => g.kinds[k] > 0)
                    .map((k) => g.kinds[k] + " " + k + "s").join(", ");
  return {id: "g:" + g.key, key: g.key, label: g.key === "(other)" ? g.key : g.key + ".*",
          sub: g.nodes.length + " nodes" + (g.hits ? ", " + g.hits + " found" : ""),
          layer: g.layer, fill: KIND_FILL[kind] || "#eee", member,
          failing: g.errors > 0, node: false, hit: g.hits > 0 ? true : undefined,
          title: g.key + ": " + mix + "\nmembers: " +
                 [...g.members.keys()].map((m) => m || "(not placed)").join(", ") +
                 "\nerrors " + g.errors + "\n(click to open)"};
}

function smallGraph(nodes, index, layer, match) {
  const items = nodes.map((n, i) => nodeItem(n, layer[i], undefined,
                                             match ? match(n.name) : undefined));
  const edges = [];
  for (const n of nodes)
    for (const need of n.needs)
      if (index.has(need)) edges.push({from: "n:" + need, to: "n:" + n.name, count: 1});
  const hits = items.filter((it) => it.hit).length;
  return {items, edges, hits, found: 0, info: plural(nodes.length, "node") + ", " +
                                    plural(edges.length, "edge")};
}

// The boxes to draw ({id, label, sub, layer, fill, member, failing, hit,
// title}), the edges ({from, to, count}) between them, and what the picture
// shows in words.
function graphItems(s) {
  const nodes = s.nodes, {index, layer} = nodeLayers(nodes);
  const match = matcher(view.query);
  if (nodes.length <= GROUP_ABOVE) return smallGraph(nodes, index, layer, match);
  const {keys, how} = groupKeys(nodes), groups = new Map();
  let hits = 0;
  nodes.forEach((n, i) => {
    let g = groups.get(keys[i]);
    if (!g) {
      g = {key: keys[i], nodes: [], layer: layer[i], errors: 0, hits: 0,
           kinds: {sensor: 0, feature: 0, model: 0}, members: new Map()};
      groups.set(keys[i], g);
    }
    g.nodes.push(i);
    g.errors += n.errors;
    g.kinds[n.kind] = (g.kinds[n.kind] || 0) + 1;
    g.members.set(n.member, (g.members.get(n.member) || 0) + 1);
    if (layer[i] < g.layer) g.layer = layer[i];
    if (match && match(n.name)) { ++g.hits; ++hits; }
  });
  // A search keeps the groups with matches and opens those with the most,
  // as long as OPEN_LIMIT nodes are not passed; clicks open more.
  let shown = [...groups.values()];
  const open = new Set([...view.open].filter((k) => groups.has(k)));
  if (match) {
    shown = shown.filter((g) => g.hits > 0);
    let budget = OPEN_LIMIT;
    for (const g of [...shown].sort((a, b) => b.hits - a.hits || byName.compare(a.key, b.key)))
      if (g.nodes.length <= budget) { open.add(g.key); budget -= g.nodes.length; }
  }
  const ids = new Array(nodes.length).fill(null), items = [];
  for (const g of shown) {
    if (open.has(g.key)) {
      for (const i of g.nodes) {
        ids[i] = "n:" + nodes[i].name;
        items.push(nodeItem(nodes[i], layer[i], g.key,
                            match ? match(nodes[i].name) : undefined));
      }
    } else {
      for (const i of g.nodes) ids[i] = "g:" + g.key;
      items.push(groupItem(g));
    }
  }
  const counts = new Map();
  nodes.forEach((n, i) => {
    for (const need of n.needs) {
      const j = index.get(need);
      if (j === undefined || !ids[i] || !ids[j] || ids[i] === ids[j]) continue;
      const k = ids[j] + "\u0000" + ids[i];
      counts.set(k, (counts.get(k) || 0) + 1);
    }
  });
  let edges = [...counts.entries()].map(([k, count]) => {
    const [from, to] = k.split("\u0000");
    return {from, to, count};
  });
  // Layers of the boxes' own graph; boxes on a cycle (prefixes that feed
  // each other) stay in the lowest layer of their nodes.
  const at = new Map(items.map((it, i) => [it.id, i])), preds = items.map(() => []);
  for (const e of edges) preds[at.get(e.to)].push(at.get(e.from));
  const {layer: blayer, done} = layersOf(preds);
  items.forEach((it, i) => { if (done[i]) it.layer = blayer[i]; });
  const all = edges.length;
  edges.sort((a, b) => b.count - a.count);
  edges = edges.slice(0, EDGE_LIMIT);
  const opened = [...open].filter((k) => shown.some((g) => g.key === k)).length;
  return {items, edges, grouped: true, hits, found: shown.length,
          info: nodes.length + " nodes in " + groups.size + " groups by name " +
                (how === "capped" ? "prefix (largest kept, rest in \u201c(other)\u201d)"
                                  : "prefix") +
                (opened ? ", " + opened + " open" : "") + ", " + all + " edges between " +
                (opened ? "boxes" : "groups") +
                (all > edges.length ? " (" + edges.length + " heaviest drawn)" : "")};
}
)shoal";
}

} // namespace shoal::detail

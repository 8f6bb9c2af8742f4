// The time charts of the status page: samples and outputs per second and
// the output latency p50 and p99 over the last minutes, drawn as small SVG
// line charts from the history the member keeps (`history` in /status,
// runtime/http/status_history.hpp), so they survive a reload of the page.

#include "runtime/http/status_page.hpp"

namespace shoal::detail {

const char* status_page_charts_js() {
  return R"shoal(
// The lines keep clear of the labels: the maximum above, the span below.
const CHART_W = 280, CHART_H = 80, CHART_PAD = 4, CHART_HEAD = 16, CHART_FOOT = 14;
const CHARTS = [
  {name: "samples", title: "samples/s", fmt: (x) => fmtRate(x),
   series: [["samples_per_s", "#0072B2"]]},
  {name: "outputs", title: "outputs/s", fmt: (x) => fmtRate(x),
   series: [["outputs_per_s", "#009E73"]]},
  {name: "latency", title: "output latency", fmt: (x) => fmtNs(x),
   series: [["p50_ns", "#56B4E9", "p50"], ["p99_ns", "#E69F00", "p99"]]},
];

// One polyline per run of known values: a gap (no output in a second) stays
// a gap rather than a line through it.
function chartPath(ts, ys, t0, span, top) {
  let d = "", pen = "M";
  ys.forEach((y, i) => {
    if (y === null || y === undefined || !isFinite(y)) { pen = "M"; return; }
    const x = CHART_PAD + (CHART_W - 2 * CHART_PAD) * (ts[i] - t0) / span;
    const v = CHART_H - CHART_FOOT - (CHART_H - CHART_HEAD - CHART_FOOT) *
              (top > 0 ? y / top : 0);
    d += pen + x.toFixed(1) + "," + v.toFixed(1) + " ";
    pen = "L";
  });
  return d.trim();
}

function lastKnown(ys) {
  for (let i = ys.length - 1; i >= 0; --i)
    if (ys[i] !== null && isFinite(ys[i])) return ys[i];
  return null;
}

function drawChart(c, h) {
  const ts = h.unix_ms || [], fig = el("figure", null, "chart");
  fig.setAttribute("data-chart", c.name);
  let top = 0;
  for (const [key] of c.series)
    for (const y of h[key] || []) if (y !== null && isFinite(y) && y > top) top = y;
  // The caption names each line in its colour, with its latest value.
  const caption = el("figcaption", c.title + ": ");
  c.series.forEach(([key, colour, label], i) => {
    const span = el("span", (label ? label + " " : "") + c.fmt(lastKnown(h[key] || [])));
    if (label) span.style.color = colour;
    if (i > 0) caption.appendChild(document.createTextNode(", "));
    caption.appendChild(span);
  });
  fig.appendChild(caption);
  const svg = sv("svg", {width: CHART_W, height: CHART_H, class: "spark"});
  svg.appendChild(sv("rect", {width: CHART_W, height: CHART_H, class: "frame"}));
  if (ts.length >= 2) {
    const t0 = ts[0], span = Math.max(1, ts[ts.length - 1] - t0);
    c.series.forEach(([key, colour]) => {
      const d = chartPath(ts, h[key] || [], t0, span, top);
      if (d) svg.appendChild(sv("path", {d, stroke: colour}));
    });
    svg.appendChild(sv("text", {x: CHART_PAD, y: CHART_HEAD - 5, class: "axis"})).textContent =
      "max " + c.fmt(top);
    svg.appendChild(sv("text", {x: CHART_W - CHART_PAD, y: CHART_H - 3,
                                "text-anchor": "end", class: "axis"})).textContent =
      "last " + fmtDuration(span / 1000);
  } else {
    svg.appendChild(sv("text", {x: CHART_PAD, y: CHART_H / 2, class: "axis"}))
      .textContent = "collecting\u2026";
  }
  fig.appendChild(svg);
  return fig;
}

function drawCharts(s) {
  const h = s.history || {};
  $("charts").replaceChildren(...CHARTS.map((c) => drawChart(c, h)));
}
)shoal";
}

} // namespace shoal::detail

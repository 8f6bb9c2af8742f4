// The status page served at `/`: one self-contained HTML document.
//
// Inline CSS and JavaScript, no other request than `status` (fetched every
// 2 s, relative to the page), so it works offline and behind a path prefix.
// It draws the members, rates, rejects, time charts of the last minutes,
// the slowest and the most failing nodes, the network endpoints and an SVG
// picture of the graph: one box per node up to 100 nodes, beyond that
// groups by name prefix that open on a click and a search (docs/http.md).
// Members are told apart by colours without red, which marks errors alone.
// All data goes into the DOM as text, never as markup.

#pragma once

#include <string_view>
#include <vector>

namespace shoal {

/// The whole page (built once, kept for the life of the process).
std::string_view status_page_html();

/// The colours of members on the page ("#rrggbb"), in order: Okabe and
/// Ito's colour-blind-safe palette without its vermillion and reddish
/// purple, then two darker hues from ColorBrewer's Dark2. None is red or
/// near it, so red on the page always means an error.
const std::vector<std::string_view>& member_palette();

namespace detail {

/// The part of the page's script that chooses the boxes of the graph
/// (groups, what is open, the search); it defines `graphItems(status)`.
const char* status_page_groups_js();

/// The part that lays out and draws the graph; it defines
/// `drawGraph(status)` and `initGraph()`.
const char* status_page_graph_js();

/// The time charts; it defines `drawCharts(status)`.
const char* status_page_charts_js();

} // namespace detail

} // namespace shoal

// The status page served at `/`: one self-contained HTML document.
//
// Inline CSS and JavaScript, no other request than `status` (fetched every
// 2 s, relative to the page), so it works offline and behind a path prefix.
// It draws the members, rates, rejects, the slowest and the most failing
// nodes, the network endpoints and an SVG picture of the graph: one box per
// node up to 300 nodes, boxes for name prefixes beyond (docs/http.md). All
// data goes into the DOM as text, never as markup.

#pragma once

#include <string_view>

namespace shoal {

/// The whole page (built once, kept for the life of the process).
std::string_view status_page_html();

namespace detail {

/// The part of the page's script that lays out and draws the graph; it
/// defines `drawGraph(status)`.
const char* status_page_graph_js();

} // namespace detail

} // namespace shoal

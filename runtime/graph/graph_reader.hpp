// Reading a graph file and its includes into nodes: the two passes behind
// `parse_graph_file` and `parse_graph_text` (graph_loader.hpp).
//
// The first pass parses every file of the graph, depth first through
// `include`, and keeps each parsed document; it collects the graph's
// templates (graph_template.hpp), whose names are unique across all its
// files, so that an instance may use a template declared in any file of the
// graph, before or after it. It also reads each file's node tables as it
// comes (its Lua files before the next include, as a graph without
// templates always was). The second pass expands the instance tables
// (template_instances.hpp), reading their device lists, and lays the nodes
// out file by file in the order the first pass reached them, each file's
// tables in the order written: a node table gives its node, an instance
// table the nodes of its instances in its place, a template table nothing.
//
// Owns the parsed documents until it is destroyed; borrows the reader. Not
// thread-safe; one per graph loaded.

#pragma once

#include <deque>
#include <filesystem>
#include <set>
#include <string>
#include <string_view>
#include <toml++/toml.h>
#include <vector>

#include "caf/error.hpp"
#include "caf/expected.hpp"

#include "runtime/graph/graph_loader.hpp"
#include "runtime/graph/graph_spec.hpp"
#include "runtime/graph/template_instances.hpp"

namespace shoal {

class graph_reader {
public:
  explicit graph_reader(const graph_file_reader& read);

  /// Reads the file at `p`, shown to users as `shown`, and its includes.
  /// `parent` is the file that includes it (empty for the top-level file).
  caf::error read_file(const std::filesystem::path& p, const std::string& shown,
                       const std::string& parent);

  /// Parses `text`, the contents of the file at `p`, and reads its includes.
  caf::error read_text(std::string_view text, const std::filesystem::path& p,
                       const std::string& shown);

  /// Builds the nodes of every file read (the second pass); call once,
  /// after the file was read without error.
  caf::expected<graph_spec> build();

private:
  /// What a table of a file stands for.
  enum class table_kind { node, instance, instances };

  struct declared {
    table_kind what;
    node_kind kind;
    const toml::table* tbl;
    /// A node table's node, read in the first pass.
    node_spec node;
  };

  /// One parsed file, its tables in the order of the file.
  struct parsed_file {
    toml::table doc;
    std::string shown;
    std::filesystem::path dir;
    std::vector<declared> tables;
  };

  caf::error read_doc(parsed_file& f);

  caf::error read_includes(const toml::array& includes, const parsed_file& f);

  caf::error add_template(const toml::table& tbl, const parsed_file& f);

  const graph_file_reader& read_;
  /// Stable addresses: templates point into the documents.
  std::deque<parsed_file> files_;
  template_map templates_;
  std::vector<std::string> stack_ids_;
  std::vector<std::string> stack_shown_;
  std::set<std::string> done_;
};

} // namespace shoal

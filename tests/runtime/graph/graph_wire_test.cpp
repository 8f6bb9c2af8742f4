// A graph on the wire (SPEC section 9): model contents travel with it, each
// distinct one once; what arrives is `remote` and is built from its content
// alone, never from a file it names; the graph's size is capped.

#include <cmath>
#include <fstream>
#include <gtest/gtest.h>
#include <string>
#include <vector>

#include "caf/binary_deserializer.hpp"
#include "caf/binary_serializer.hpp"

#include "runtime/core/bounded_file.hpp"
#include "runtime/core/errc.hpp"
#include "runtime/functions/fn_factory.hpp"
#include "runtime/graph/graph_size.hpp"
#include "runtime/models/model_file.hpp"
#include "tests/support/xgboost_fixtures.hpp"

using namespace shoal;
using namespace shoal::xgb_test;

namespace {

/// `g` as a remote member receives it: serialized and read back.
graph_spec over_the_wire(const graph_spec& g, size_t* bytes = nullptr) {
  std::vector<char> buf;
  caf::binary_serializer sink{nullptr, buf};
  auto copy = g;
  EXPECT_FALSE(sink(copy));
  if (bytes != nullptr)
    *bytes = buf.size();
  graph_spec res;
  caf::binary_deserializer source{nullptr, buf};
  EXPECT_FALSE(source(res));
  return res;
}

/// A one-feature model whose prediction is 0.5 - 1 below 1 and 0.5 + 2 at
/// or above it.
std::string stump_model() {
  return model_text{}.json();
}

std::string error_of(const node_spec& n) {
  auto fn = make_fn(n);
  return fn ? std::string{} : describe(fn.error());
}

double predict(const node_spec& n, double x) {
  auto fn = make_fn(n);
  EXPECT_TRUE(fn) << describe(fn.error());
  double out = 0;
  std::string err;
  if (fn)
    (*fn)->call(1, &x, 1, out, err);
  return out;
}

} // namespace

TEST(GraphWire, CarriesEachModelContentOnceAndMarksWhatArrivesRemote) {
  auto path = write_temp("shared.json", stump_model());
  graph_spec g;
  for (int i = 0; i < 3; ++i) {
    auto n = model_node(path, 1);
    n.name = "m" + std::to_string(i);
    g.nodes.push_back(n);
  }
  ASSERT_FALSE(read_model_files(g));
  // Read once: the three nodes share one buffer.
  EXPECT_EQ(g.nodes[0].content.buffer(), g.nodes[2].content.buffer());
  size_t bytes = 0;
  auto got = over_the_wire(g, &bytes);
  auto size = read_bounded_file(path)->size();
  EXPECT_GT(bytes, size);
  EXPECT_LT(bytes, 2 * size);
  ASSERT_EQ(got.nodes.size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_TRUE(got.nodes[i].remote);
    EXPECT_FALSE(g.nodes[i].remote);
    EXPECT_TRUE(got.nodes[i] == g.nodes[i]);
    EXPECT_EQ(got.nodes[i].content.fingerprint(),
              g.nodes[i].content.fingerprint());
  }
  EXPECT_EQ(got.nodes[0].content.buffer(), got.nodes[1].content.buffer());
}

TEST(GraphWire, ARemoteModelIsBuiltFromItsContentNotFromTheFileItNames) {
  auto path = write_temp("model.json", stump_model());
  graph_spec g;
  g.nodes.push_back(model_node(path, 1));
  ASSERT_FALSE(read_model_files(g));
  // The file the path names changes after the graph was read: the node is
  // what was read, wherever it is built.
  std::ofstream{path, std::ios::binary | std::ios::trunc} << "not a model";
  auto got = over_the_wire(g);
  EXPECT_EQ(error_of(got.nodes[0]), "");
  EXPECT_EQ(predict(got.nodes[0], 0.0), 0.5 - 1.0);
  EXPECT_EQ(predict(got.nodes[0], 5.0), 0.5 + 2.0);
  // A spec made here without content still reads its file.
  EXPECT_NE(error_of(model_node(path, 1)).find("not an XGBoost model"),
            std::string::npos);
}

TEST(GraphWire, ARemoteModelWithoutContentIsAnErrorThatOpensNothing) {
  // The file is a good model: opening it would have built the node.
  auto path = write_temp("good.json", stump_model());
  ASSERT_EQ(error_of(model_node(path, 1)), "");
  graph_spec g;
  g.nodes.push_back(model_node(path, 1));
  auto onnx = model_node("/etc/hostname", 1);
  onnx.name = "p1.o";
  onnx.fn = "onnx";
  g.nodes.push_back(onnx);
  auto got = over_the_wire(g);
  const std::string why = ": its content did not come with the graph (a "
                          "member never opens a file that a remote graph "
                          "names)";
  EXPECT_EQ(error_of(got.nodes[0]),
            "plant.toml: node 'p1.m': xgboost model " + path + why);
  EXPECT_EQ(error_of(got.nodes[1]),
            "plant.toml: node 'p1.o': onnx model /etc/hostname" + why);
  // A node sent alone never carries content: its graph does.
  std::vector<char> buf;
  caf::binary_serializer sink{nullptr, buf};
  auto n = g.nodes[0];
  ASSERT_FALSE(read_model_files(g));
  n.content = g.nodes[0].content;
  ASSERT_FALSE(sink(n));
  node_spec alone;
  caf::binary_deserializer source{nullptr, buf};
  ASSERT_FALSE(source(alone));
  EXPECT_TRUE(alone.remote);
  EXPECT_TRUE(alone.content.empty());
  EXPECT_EQ(error_of(alone),
            "plant.toml: node 'p1.m': xgboost model " + path + why);
}

TEST(GraphWire, ReadingModelFilesNamesTheNodeAsBuildingItWould) {
  graph_spec g;
  g.nodes.push_back(model_node("/nonexistent/m.json", 1));
  auto err = read_model_files(g);
  ASSERT_TRUE(err);
  EXPECT_EQ(describe(err), "plant.toml: node 'p1.m': xgboost model "
                           "/nonexistent/m.json: cannot read file (No such "
                           "file or directory)");
  EXPECT_EQ(describe(err), error_of(model_node("/nonexistent/m.json", 1)));
}

TEST(GraphSize, RefusesAGraphLargerThanTheCap) {
  EXPECT_EQ(max_applied_graph_bytes, uint64_t{256} << 20);
  graph_spec g;
  g.nodes.push_back(model_node("/m.json", 1));
  g.nodes[0].content = file_content{std::string(10000, 'x')};
  EXPECT_FALSE(check_graph_size(g));
  auto n = graph_wire_bytes(g);
  EXPECT_GT(n, 10000u);
  EXPECT_LT(n, 11000u);
  EXPECT_FALSE(check_graph_size(g, n));
  auto err = check_graph_size(g, uint64_t{1} << 13);
  ASSERT_TRUE(err);
  EXPECT_EQ(describe(err), "the graph with its model and Lua files is "
                             + std::to_string(n)
                             + " bytes, more than the cap of 8192 bytes (8192 "
                               "bytes)");
  // Nodes sharing a content count it once.
  g.nodes.push_back(g.nodes[0]);
  EXPECT_LT(graph_wire_bytes(g), n + 1000);
  // A content beyond the file cap, as another client might send it.
  g.nodes[1].content = file_content{std::string(max_graph_file_bytes + 1, 'y')};
  err = check_graph_size(g);
  ASSERT_TRUE(err);
  EXPECT_EQ(describe(err), "plant.toml: node 'p1.m': the content of '/m.json' "
                           "is larger than the cap of 67108864 bytes");
}

TEST(GraphWire, CarriesTheCleaningParametersAndWhichAreNotGiven) {
  graph_spec g;
  node_spec clip;
  clip.name = "c";
  clip.kind = node_kind::feature;
  clip.fn = "clip";
  clip.needs = {"s"};
  clip.lo = -2.5;
  node_spec quantile = clip;
  quantile.name = "q";
  quantile.fn = "rolling_quantile";
  quantile.lo = node_spec::not_given;
  quantile.q = 0.25;
  quantile.window = 4;
  g.nodes = {clip, quantile};
  auto got = over_the_wire(g);
  ASSERT_EQ(got.nodes.size(), 2u);
  EXPECT_EQ(got.nodes[0].lo, -2.5);
  EXPECT_TRUE(std::isnan(got.nodes[0].hi));
  EXPECT_TRUE(std::isnan(got.nodes[1].lo));
  EXPECT_EQ(got.nodes[1].q, 0.25);
  EXPECT_EQ(got.nodes[0], clip);
  EXPECT_EQ(got.nodes[1], quantile);
  EXPECT_EQ(error_of(got.nodes[0]), "");
  EXPECT_EQ(error_of(got.nodes[1]), "");
}

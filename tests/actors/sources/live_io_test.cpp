// End to end, in one process: a graph deployed with the configured sinks and
// fed by the configured sources, over a real broker and real sockets.

#include <algorithm>
#include <gtest/gtest.h>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>

#include "caf/all.hpp"

#include "actors/deploy/deployment.hpp"
#include "actors/deploy/system_config.hpp"
#include "actors/messages.hpp"
#include "actors/sources/live_io.hpp"
#include "actors/sources/live_source.hpp"
#include "runtime/core/errc.hpp"
#include "runtime/graph/graph_load.hpp"
#include "runtime/io/mqtt_client.hpp"
#include "tests/support/io_clients.hpp"
#include "tests/support/mosquitto_broker.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_files.hpp"

using namespace shoal;
using namespace shoal::test_support;

namespace {

constexpr const char* graph_text = R"(
[[sensor]]
name = "plant.a"

[[model]]
name = "plant.a.twice"
kind = "linear"
needs = ["plant.a"]
weights = [2.0]
bias = 1.0
)";

struct source_stats {
  ingest_counts counts;
  std::vector<std::string> malformed;
  uint64_t overflow = 0;
};

/// A member's graph, sinks and sources on an actor system of its own.
class LiveIo : public temp_dir_test {
protected:
  void SetUp() override {
    temp_dir_test::SetUp();
    configure_system(cfg_, 2);
    sys_ = std::make_unique<caf::actor_system>(cfg_);
    self_ = std::make_unique<caf::scoped_actor>(*sys_);
    auto g = load_graph(write("graph.toml", graph_text));
    ASSERT_TRUE(g) << describe(g.error());
    graph_ = std::move(*g);
  }

  void TearDown() override {
    for (auto& src : io_.sources)
      (*self_)->send_exit(src, caf::exit_reason::user_shutdown);
    io_ = live_io{};
    self_.reset();
    sys_.reset();
    temp_dir_test::TearDown();
  }

  /// Parses `config`, opens the sinks, deploys the graph, starts sources.
  void start(const std::string& config, bool track_progress = false) {
    auto path = write("node.toml", config);
    auto tbl = toml::parse_file(path);
    auto cfg = parse_io_config(tbl, path);
    ASSERT_TRUE(cfg) << describe(cfg.error());
    auto sink = open_sinks(io_, cfg->sinks);
    ASSERT_TRUE(sink) << describe(sink.error());
    auto monitor = caf::actor_cast<caf::actor>(*self_);
    deploy_options opts;
    opts.track_progress = track_progress;
    auto d = deploy_with_sink(*self_, graph_, *sink, monitor, {}, opts);
    ASSERT_TRUE(d) << describe(d.error());
    deployment_ = std::move(*d);
    auto err = start_sources(io_, *self_, deployment_, cfg->sources, "test");
    ASSERT_FALSE(err) << describe(err);
  }

  /// The status of the endpoint of kind `kind`.
  endpoint_status status_of(const std::string& kind) {
    for (auto& st : io_.status())
      if (st.kind == kind)
        return st;
    ADD_FAILURE() << "no endpoint " << kind;
    return {};
  }

  source_stats stats(const caf::actor& src) {
    source_stats result;
    (*self_)
      ->request(src, std::chrono::seconds(10), stats_atom_v)
      .receive(
        [&](const ingest_counts& c, const std::vector<std::string>& m,
            uint64_t overflow) {
          result = source_stats{c, m, overflow};
        },
        [&](caf::error& err) {
          ADD_FAILURE() << to_string(err);
        });
    return result;
  }

  /// Ends every source's stream and waits for the sink's final flush.
  uint64_t end_of_stream() {
    for (auto& src : io_.sources)
      (*self_)->send(src, done_atom_v);
    uint64_t outputs = 0;
    bool done = false;
    (*self_)->receive(
      [&](done_atom, uint64_t n, const caf::error&) {
        outputs = n;
        done = true;
      },
      caf::after(std::chrono::seconds(10)) >> [] {});
    EXPECT_TRUE(done);
    return outputs;
  }

  caf::actor_system_config cfg_;
  std::unique_ptr<caf::actor_system> sys_;
  std::unique_ptr<caf::scoped_actor> self_;
  graph_spec graph_;
  deployment deployment_;
  live_io io_;
};

std::vector<nlohmann::json> jsonl_lines(const std::string& path) {
  std::vector<nlohmann::json> result;
  std::istringstream in{read_file(path)};
  std::string line;
  while (std::getline(in, line))
    result.push_back(nlohmann::json::parse(line));
  return result;
}

} // namespace

TEST_F(LiveIo, MqttInTcpAndJsonlOut) {
  mosquitto_broker broker;
  ASSERT_TRUE(broker.running());
  start("[[source]]\nkind = \"mqtt\"\nurl = \"" + broker.url()
        + "\"\ntopic = \"plant/#\"\nqos = 1\n"
          "allowed_lateness_ns = 2_000_000_000\n"
          "[[sink]]\nkind = \"tcp\"\nlisten = \"127.0.0.1:0\"\n"
          "[[sink]]\nkind = \"jsonl\"\npath = \"out.jsonl\"\n");
  // A subscriber on the TCP sink, and the source's subscription in place.
  auto tcp = status_of("tcp sink");
  msgpack_client sub{tcp.port};
  ASSERT_TRUE(wait_until([&] {
    return status_of("tcp sink").clients == 1;
  }));
  ASSERT_TRUE(wait_until([&] {
    return status_of("mqtt source").connected;
  }));
  mqtt_client pub{net_address{"127.0.0.1", broker.port()}, nullptr, nullptr};
  ASSERT_FALSE(pub.start());
  ASSERT_TRUE(wait_until([&] {
    return pub.ready();
  }));
  // Timestamps just now: within the allowed lateness of the live watermark
  // (2 s here, so that a busy machine does not make them late).
  auto t0 = wall_clock_ns();
  std::vector<int64_t> sent_ts;
  for (int i = 1; i <= 5; ++i) {
    sent_ts.push_back(t0 + i * 1000);
    auto payload = "{\"ts\": " + std::to_string(sent_ts.back())
                   + ", \"value\": " + std::to_string(i) + "}";
    ASSERT_FALSE(pub.publish("plant/a", payload, 1));
  }
  ASSERT_FALSE(pub.publish("plant/a", "not a number", 1));
  ASSERT_FALSE(pub.publish("plant/zzz", "1.5", 1));
  ASSERT_FALSE(pub.publish("plant/a", "nan", 0));
  std::vector<std::string> names;
  std::vector<int64_t> ts;
  std::vector<double> values;
  ASSERT_EQ(sub.read_frames(5, names, ts, values), 5u);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(names[i], "plant.a.twice");
    EXPECT_EQ(ts[i], sent_ts[i]);
    EXPECT_EQ(values[i], 2.0 * (i + 1) + 1.0);
  }
  // Everything is counted: accepted, malformed with its topic, unknown.
  auto& src = io_.sources.at(0);
  source_stats st;
  ASSERT_TRUE(wait_until([&] {
    st = stats(src);
    return st.counts.accepted + st.counts.rejected_total() == 8;
  }));
  EXPECT_EQ(st.counts.accepted, 5u);
  EXPECT_EQ(st.counts[reject_reason::malformed], 1u);
  EXPECT_EQ(st.counts[reject_reason::unknown_sensor], 1u);
  EXPECT_EQ(st.counts[reject_reason::non_finite], 1u);
  ASSERT_EQ(st.malformed.size(), 1u);
  EXPECT_EQ(st.malformed[0], "mqtt topic plant/a: payload is not JSON, "
                             "msgpack or a number: 'not a number'");
  // At end of stream the file sink holds every output.
  EXPECT_EQ(end_of_stream(), 5u);
  auto lines = jsonl_lines((dir_ / "out.jsonl").string());
  ASSERT_EQ(lines.size(), 5u);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(lines[i]["node"], "plant.a.twice");
    EXPECT_EQ(lines[i]["ts"].get<int64_t>(), sent_ts[i]);
    EXPECT_EQ(lines[i]["value"].get<double>(), 2.0 * (i + 1) + 1.0);
  }
}

TEST_F(LiveIo, TcpInMqttAndCsvOut) {
  mosquitto_broker broker;
  ASSERT_TRUE(broker.running());
  start("[[source]]\nkind = \"tcp\"\nlisten = \"127.0.0.1:0\"\n"
        "allowed_lateness_ns = 2_000_000_000\n"
        "[[sink]]\nkind = \"mqtt\"\nurl = \""
        + broker.url()
        + "\"\ntopic_prefix = \"out\"\n"
          "[[sink]]\nkind = \"csv\"\npath = \"out.csv\"\n");
  std::mutex mtx;
  std::vector<std::pair<std::string, std::string>> got;
  mqtt_client sub{net_address{"127.0.0.1", broker.port()},
                  [](mqtt_client& c) {
                    static_cast<void>(c.subscribe("out/#", 1));
                  },
                  [&](std::string_view topic, std::string_view payload) {
                    std::lock_guard<std::mutex> guard{mtx};
                    got.emplace_back(std::string{topic}, std::string{payload});
                  }};
  ASSERT_FALSE(sub.start());
  ASSERT_TRUE(wait_until([&] {
    return sub.ready();
  }));
  ASSERT_TRUE(wait_until([&] {
    return status_of("mqtt sink").connected;
  }));
  auto port = status_of("tcp source").port;
  msgpack_client good{port};
  msgpack_client bad{port};
  auto t0 = wall_clock_ns();
  // One sample, then a batch of two with an unknown sensor in between.
  ASSERT_TRUE(good.send_sample("plant.a", t0 + 1, 1.0));
  ASSERT_TRUE(good.send(pack_batch({"plant.a", "plant.nope", "plant.a"},
                                   {t0 + 2, t0 + 3, t0 + 4}, {2.0, 9.0, 3.0})));
  // The other client sends a frame of the wrong shape and is closed.
  bad.send(pack_batch({"plant.a"}, {t0 + 5}, {5.0}).substr(0, 1) + "\x05");
  EXPECT_TRUE(bad.closed_by_peer());
  ASSERT_TRUE(wait_until([&] {
    std::lock_guard<std::mutex> guard{mtx};
    return got.size() == 3;
  }));
  {
    std::lock_guard<std::mutex> guard{mtx};
    for (int i = 0; i < 3; ++i) {
      EXPECT_EQ(got[i].first, "out/plant/a/twice");
      auto j = nlohmann::json::parse(got[i].second);
      EXPECT_EQ(j["ts"].get<int64_t>(), t0 + (i == 0 ? 1 : i == 1 ? 2 : 4));
      EXPECT_EQ(j["value"].get<double>(), 2.0 * (i + 1) + 1.0);
    }
  }
  auto st = stats(io_.sources.at(0));
  EXPECT_EQ(st.counts.accepted, 3u);
  EXPECT_EQ(st.counts[reject_reason::unknown_sensor], 1u);
  EXPECT_EQ(st.counts[reject_reason::malformed], 1u);
  ASSERT_EQ(st.malformed.size(), 1u);
  EXPECT_EQ(st.malformed[0].rfind("tcp 127.0.0.1:", 0), 0u);
  // The good connection is still served.
  ASSERT_TRUE(good.send_sample("plant.a", t0 + 6, 4.0));
  EXPECT_TRUE(wait_until([&] {
    std::lock_guard<std::mutex> guard{mtx};
    return got.size() == 4;
  }));
  EXPECT_EQ(end_of_stream(), 4u);
  auto csv = read_file((dir_ / "out.csv").string());
  EXPECT_EQ(csv.rfind("node,ts,value\n", 0), 0u);
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 5);
}

TEST_F(LiveIo, IngestSourceRegistersWithTheProgressTracker) {
  // A deployment that tracks progress: the ingest source declares its
  // watermark to the tracker, and outputs still flow and end.
  start("[[source]]\nkind = \"tcp\"\nlisten = \"127.0.0.1:0\"\n"
        "allowed_lateness_ns = 2_000_000_000\n"
        "[[sink]]\nkind = \"jsonl\"\npath = \"out.jsonl\"\n",
        true);
  ASSERT_NE(deployment_.tracker, nullptr);
  msgpack_client c{status_of("tcp source").port};
  auto t0 = wall_clock_ns();
  for (int i = 1; i <= 3; ++i)
    ASSERT_TRUE(c.send_sample("plant.a", t0 + i, i));
  ASSERT_TRUE(wait_until([&] {
    return stats(io_.sources.at(0)).counts.accepted == 3;
  }));
  EXPECT_EQ(end_of_stream(), 3u);
  auto lines = jsonl_lines((dir_ / "out.jsonl").string());
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[2]["value"].get<double>(), 7.0);
}

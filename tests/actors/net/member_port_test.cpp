// The member port with real shoal-node processes (SPEC section 9): members
// with certificates of one CA form a cluster over TLS and replay exactly
// like one node; a shoalctl or a member without such a certificate gets
// nothing and is counted and logged; a protocol header claiming a huge
// frame is refused before the member allocates it, with or without TLS; a
// message CAF cannot decode without throwing is refused before CAF has it.

#include <algorithm>
#include <arpa/inet.h>
#include <cstdlib>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <set>
#include <sstream>
#include <string>
#include <sys/socket.h>
#include <unistd.h>
#include <vector>

#include "caf/actor_system.hpp"
#include "caf/actor_system_config.hpp"
#include "caf/binary_deserializer.hpp"
#include "caf/binary_serializer.hpp"

#include "runtime/core/errc.hpp"
#include "runtime/graph/graph_load.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/io_clients.hpp"
#include "tests/support/member_process.hpp"
#include "tests/support/mosquitto_broker.hpp"
#include "tests/support/process.hpp"
#include "tests/support/random_graph.hpp"
#include "tests/support/temp_files.hpp"
#include "tests/support/test_ca.hpp"

using namespace shoal::test_support;

namespace {

std::string http_line(uint16_t port) {
  return "http = \"127.0.0.1:" + std::to_string(port) + "\"\n";
}

/// The value of shoal_connections_refused_total on a member's /metrics.
long refused_count(uint16_t http) {
  auto res = http_request(http, "GET", "/metrics");
  const std::string name = "\nshoal_connections_refused_total ";
  auto at = res.body.find(name);
  if (at == std::string::npos)
    return -1;
  return std::stol(res.body.substr(at + name.size()));
}

/// A BASP 0.17 header: operation, padding, flags, then in network order
/// the payload length, the operation data and the two actor ids.
std::string basp_header(unsigned char op, uint32_t len, uint64_t data = 0,
                        uint64_t source = 0, uint64_t dest = 0) {
  std::string h(32, '\0');
  h[0] = static_cast<char>(op);
  auto put = [&](size_t at, uint64_t x, int bytes) {
    for (int i = 0; i < bytes; ++i)
      h[at + i] = static_cast<char>((x >> (8 * (bytes - 1 - i))) & 0xff);
  };
  put(4, len, 4);
  put(8, data, 8);
  put(16, source, 8);
  put(24, dest, 8);
  return h;
}

/// Reads exactly `n` bytes from `fd` (empty on error or end of stream).
std::string read_exactly(int fd, size_t n) {
  std::string buf(n, '\0');
  size_t got = 0;
  while (got < n) {
    auto k = ::read(fd, buf.data() + got, n - got);
    if (k <= 0)
      return {};
    got += static_cast<size_t>(k);
  }
  return buf;
}

/// Speaks CAF 0.17's protocol by hand, as any peer may: reads the member's
/// handshake for the published actor's id, answers with a client handshake
/// of `sys`'s node, then sends that actor one message whose bytes are
/// `message`. Returns whether all of it was written.
bool send_raw_message(caf::actor_system& sys, uint16_t port,
                      const std::string& message) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    ::close(fd);
    return false;
  }
  auto hdr = read_exactly(fd, 32);
  uint32_t len = 0;
  for (size_t i = 4; i < 8 && hdr.size() == 32; ++i)
    len = (len << 8) | static_cast<unsigned char>(hdr[i]);
  auto payload = read_exactly(fd, len);
  caf::node_id their_node;
  std::vector<std::string> app_ids;
  caf::actor_id aid = 0;
  std::set<std::string> sigs;
  caf::binary_deserializer in{sys, payload.data(), payload.size()};
  if (payload.empty() || in(their_node, app_ids, aid, sigs) || aid == 0) {
    ::close(fd);
    return false;
  }
  std::vector<char> hello;
  caf::binary_serializer hello_out{sys, hello};
  auto node = sys.node();
  static_cast<void>(hello_out(node));
  std::vector<char> body;
  caf::binary_serializer body_out{sys, body};
  std::vector<caf::strong_actor_ptr> stack;
  static_cast<void>(body_out(stack));
  body.insert(body.end(), message.begin(), message.end());
  auto bytes = basp_header(1, static_cast<uint32_t>(hello.size()))
               + std::string{hello.begin(), hello.end()}
               + basp_header(2, static_cast<uint32_t>(body.size()), 0, 0, aid)
               + std::string{body.begin(), body.end()};
  auto ok = ::write(fd, bytes.data(), bytes.size())
            == static_cast<ssize_t>(bytes.size());
  ::close(fd);
  return ok;
}

class MemberPort : public temp_dir_test {
protected:
  std::string ca_dir(const std::string& name) {
    return (dir_ / name).string();
  }
};

} // namespace

TEST_F(MemberPort, MembersWithCertificatesFormAClusterAndReplayLikeOneNode) {
  make_test_ca(ca_dir("ca"), {"n1", "n2", "ctl"});
  auto graph = write("graph.toml", two_cell_graph);
  auto g = shoal::load_graph(graph);
  ASSERT_TRUE(g) << shoal::describe(g.error());
  auto input = write("in.csv", random_input(*g, 11, 1500));
  auto single_out = (dir_ / "single.csv").string();
  auto single = run_command(binary("shoal-node") + " --graph " + graph
                            + " --replay " + input + " --out " + single_out);
  ASSERT_EQ(single.exit_code, 0) << single.output;
  std::vector<int> ports{free_loopback_port(), free_loopback_port()};
  member_process n1{
    write_member_config("n1", ports[0], {ports[0], ports[1]}, "",
                        security_table(identity(ca_dir("ca"), "n1")))};
  member_process n2{
    write_member_config("n2", ports[1], {ports[0], ports[1]}, "",
                        security_table(identity(ca_dir("ca"), "n2")))};
  ASSERT_TRUE(await_log(n1, "listening on 127.0.0.1:" + std::to_string(ports[0])
                              + " (TLS)"))
    << n1.log();
  ctl_identity ctl{identity(ca_dir("ca"), "ctl")};
  await_member_count(ports[0], 2);
  await_member_count(ports[1], 2);
  auto res = shoalctl(ports[1], "apply " + graph);
  ASSERT_EQ(res.exit_code, 0) << res.output << n1.log() << n2.log();
  auto out = (dir_ / "cluster.csv").string();
  res = shoalctl(ports[0], "replay " + input + " --out " + out);
  ASSERT_EQ(res.exit_code, 0) << res.output << n1.log() << n2.log();
  // The same rows; a cluster writes them in the order they arrive.
  auto want = sorted_lines(read_file(single_out));
  auto got = sorted_lines(read_file(out));
  EXPECT_GT(want.size(), 100u);
  EXPECT_EQ(got.size(), want.size());
  EXPECT_TRUE(got == want);
  EXPECT_EQ(n1.log().find("refused"), std::string::npos) << n1.log();
  EXPECT_EQ(n2.log().find("refused"), std::string::npos) << n2.log();
}

TEST_F(MemberPort, NoCertificateOfTheClustersCaGetsNothing) {
  make_test_ca(ca_dir("ca"), {"n1", "ctl"});
  make_test_ca(ca_dir("other"), {"n9", "ctl"});
  int port = free_loopback_port();
  auto http = free_loopback_port();
  member_process n1{
    write_member_config("n1", port, {port}, http_line(http),
                        security_table(identity(ca_dir("ca"), "n1")))};
  ASSERT_TRUE(await_log(n1, "http on")) << n1.log();
  // No certificate at all: a plain client cannot even start the protocol.
  auto res = shoalctl(port, "--timeout 10 status");
  EXPECT_EQ(res.exit_code, 2) << res.output;
  EXPECT_NE(
    res.output.find("cannot connect to 127.0.0.1:" + std::to_string(port)),
    std::string::npos)
    << res.output;
  EXPECT_EQ(res.output.find("members"), std::string::npos) << res.output;
  // A certificate of another CA, trusting either CA.
  auto other = identity(ca_dir("other"), "ctl");
  res = shoalctl(port, ctl_tls_args(other) + "--timeout 10 status");
  EXPECT_EQ(res.exit_code, 2) << res.output;
  EXPECT_NE(res.output.find("TLS handshake failed"), std::string::npos)
    << res.output;
  other.ca = identity(ca_dir("ca"), "ctl").ca;
  res = shoalctl(port, ctl_tls_args(other) + "--timeout 10 status");
  EXPECT_EQ(res.exit_code, 2) << res.output;
  EXPECT_NE(res.output.find("is not accepted by the CA"), std::string::npos)
    << res.output;
  // A member of another cluster cannot join.
  member_process n9{
    write_member_config("n9", free_loopback_port(), {port}, "",
                        security_table(identity(ca_dir("other"), "n9")))};
  EXPECT_TRUE(
    await_log(n9, "cannot connect to 127.0.0.1:" + std::to_string(port)
                    + ": TLS handshake failed"))
    << n9.log();
  // Nor can a member without any certificate.
  member_process plain{
    write_member_config("n8", free_loopback_port(), {port}, "", "")};
  EXPECT_TRUE(wait_until(
    [&] {
      return refused_count(http) >= 4;
    },
    std::chrono::seconds(30)))
    << refused_count(http) << n1.log();
  EXPECT_NE(n1.log().find("refused connection from 127.0.0.1:"),
            std::string::npos)
    << n1.log();
  // The cluster is still one member, and serves its own.
  ctl_identity ctl{identity(ca_dir("ca"), "ctl")};
  res = shoalctl(port, "status");
  EXPECT_EQ(res.exit_code, 0) << res.output;
  EXPECT_NE(res.output.find("members (1):"), std::string::npos) << res.output;
}

TEST_F(MemberPort, AHugeFrameIsRefusedBeforeTheMemberAllocatesIt) {
  make_test_ca(ca_dir("ca"), {"n2", "ctl"});
  int plain_port = free_loopback_port();
  int tls_port = free_loopback_port();
  auto plain_http = free_loopback_port();
  auto tls_http = free_loopback_port();
  member_process plain{
    write_member_config("n1", plain_port, {plain_port}, http_line(plain_http))};
  member_process tls{
    write_member_config("n2", tls_port, {tls_port}, http_line(tls_http),
                        security_table(identity(ca_dir("ca"), "n2")))};
  ASSERT_TRUE(await_log(plain, "http on")) << plain.log();
  ASSERT_TRUE(await_log(tls, "http on")) << tls.log();
  // Before the guard, each of these made the member allocate 2 GiB.
  for (int port : {plain_port, tls_port})
    for (unsigned char op : {0, 1, 2}) {
      msgpack_client raw{static_cast<uint16_t>(port)};
      ASSERT_TRUE(raw.send(basp_header(op, 0x7fffffff)));
      EXPECT_TRUE(raw.closed_by_peer(std::chrono::seconds(20)))
        << "port " << port << " op " << int{op};
    }
  EXPECT_TRUE(wait_until(
    [&] {
      return refused_count(plain_http) == 3;
    },
    std::chrono::seconds(20)))
    << refused_count(plain_http);
  EXPECT_TRUE(wait_until(
    [&] {
      return refused_count(tls_http) == 3;
    },
    std::chrono::seconds(20)))
    << refused_count(tls_http);
  EXPECT_NE(plain.log().find(": handshake of 2147483647 bytes (at most 65536)"),
            std::string::npos)
    << plain.log();
  EXPECT_NE(plain.log().find(": protocol operation 2 before the handshake"),
            std::string::npos)
    << plain.log();
  for (auto* m : {&plain, &tls}) {
    auto peak = m->peak_rss_kib();
    EXPECT_GT(peak, 0);
    EXPECT_LT(peak, 256 * 1024) << "peak RSS " << peak << " KiB";
  }
  // Both still serve.
  EXPECT_EQ(shoalctl(plain_port, "status").exit_code, 0);
  ctl_identity ctl{identity(ca_dir("ca"), "ctl")};
  EXPECT_EQ(shoalctl(tls_port, "status").exit_code, 0);
}

TEST_F(MemberPort, AMessageCafCannotDecodeIsRefusedAndTheMemberServesOn) {
  // A message CAF 0.17.6 cannot decode without throwing (found by the
  // `member` fuzz target; docs/security.md): the throw ended the process.
  auto crash
    = read_file(std::string{SHOAL_SOURCE_DIR}
                + "/tests/fuzz/corpus/member/crash_config_value_bad_tag");
  ASSERT_GT(crash.size(), 1u);
  int port = free_loopback_port();
  auto http = free_loopback_port();
  member_process n1{write_member_config("n1", port, {port}, http_line(http))};
  ASSERT_TRUE(await_log(n1, "http on")) << n1.log();
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  // The corpus file starts with the fuzz target's selector byte.
  ASSERT_TRUE(
    send_raw_message(sys, static_cast<uint16_t>(port), crash.substr(1)));
  EXPECT_TRUE(wait_until(
    [&] {
      return refused_count(http) == 1;
    },
    std::chrono::seconds(20)))
    << refused_count(http) << n1.log();
  EXPECT_NE(n1.log().find(": message with type config_value, which CAF 0.17 "
                          "cannot decode safely"),
            std::string::npos)
    << n1.log();
  EXPECT_TRUE(n1.running());
  auto res = shoalctl(port, "status");
  EXPECT_EQ(res.exit_code, 0) << res.output << n1.log();
  EXPECT_NE(res.output.find("members (1):"), std::string::npos) << res.output;
}

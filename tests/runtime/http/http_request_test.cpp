// answer_bytes and answer_read without sockets: a request read whole is
// routed, one over the limits gets 413, a malformed one 400, and one cut off
// by the client's close gets nothing; bytes the fuzz target found stay here.

#include <gtest/gtest.h>
#include <string>

#include "runtime/http/http_request.hpp"
#include "tests/support/sample_status.hpp"

using namespace shoal;
using namespace shoal::test_support;

namespace {

request_answer answer(const std::string& bytes, request_limits limits = {}) {
  status_provider provider = [] {
    return sample_status(1, 3);
  };
  return answer_bytes(bytes, limits, provider);
}

} // namespace

TEST(HttpRequest, RoutesARequestReadWhole) {
  auto health = answer("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_TRUE(health.send);
  EXPECT_FALSE(health.close_after);
  EXPECT_EQ(health.reply.status, 200u);
  EXPECT_EQ(health.reply.body, "ok\n");
  auto metrics = answer("GET /metrics?x=1 HTTP/1.0\r\n\r\n");
  EXPECT_EQ(metrics.reply.status, 200u);
  auto post = answer("POST /status HTTP/1.1\r\nContent-Length: 2\r\n\r\nhi");
  EXPECT_EQ(post.reply.status, 405u);
  EXPECT_EQ(post.reply.allow, "GET, HEAD");
  auto chunked = answer("GET /nope HTTP/1.1\r\nTransfer-Encoding: chunked"
                        "\r\n\r\n2\r\nhi\r\n0\r\n\r\n");
  EXPECT_EQ(chunked.reply.status, 404u);
}

TEST(HttpRequest, RefusesRequestsOverTheLimits) {
  request_limits small{64, 4};
  auto head = answer(
    "GET / HTTP/1.1\r\nX: " + std::string(100, 'x') + "\r\n\r\n", small);
  EXPECT_TRUE(head.send);
  EXPECT_TRUE(head.close_after);
  EXPECT_EQ(head.reply.status, 413u);
  auto body
    = answer("POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello", small);
  EXPECT_EQ(body.reply.status, 413u);
}

TEST(HttpRequest, AnswersMalformedRequestsWith400) {
  auto bad = answer("GET  HTTP/9\r\n\r\n");
  EXPECT_TRUE(bad.send);
  EXPECT_TRUE(bad.close_after);
  EXPECT_EQ(bad.reply.status, 400u);
  EXPECT_EQ(bad.reply.body.rfind("bad request: ", 0), 0u);
}

TEST(HttpRequest, AnswersNothingToAClientThatClosedMidRequest) {
  EXPECT_FALSE(answer("").send);
  EXPECT_FALSE(answer("GET /metr").send);
  EXPECT_FALSE(answer("GET / HTTP/1.1\r\nContent-Length: 5\r\n\r\nhe").send);
}

// Found by the http fuzz target: a chunked request cut off after its last
// chunk's size line. Offering the parser the same bytes again after it asked
// for more broke its contract (an assertion in Beast); the client has closed,
// so the request is cut off and gets no answer.
TEST(HttpRequest, AnswersNothingToAChunkedRequestCutAfterItsLastChunk) {
  auto cut = answer("PUT /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                    "0\r\nh");
  EXPECT_FALSE(cut.send);
  auto trailer = answer("GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                        "0\r\nX-Trailer: 1");
  EXPECT_FALSE(trailer.send);
}

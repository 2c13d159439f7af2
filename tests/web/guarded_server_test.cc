// The connection limits of web/internal/guarded_server.h against hostile
// clients over real sockets on loopback (issue 12, finding 1 and 2).
#include "web/internal/guarded_server.h"

#include <atomic>
#include <chrono>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tests/web/raw_client.h"

namespace web::internal {
namespace {

using kura_test::Connect;
using kura_test::ReadAll;
using kura_test::SendAll;
using kura_test::StatusOf;
using std::chrono::milliseconds;

// This process's resident set in KiB (the server runs in it).
long RssKiB() {
  std::ifstream f("/proc/self/status");
  std::string line;
  while (std::getline(f, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

class GuardedServerTest : public ::testing::Test {
 protected:
  void Start(ConnectionLimits limits) {
    server_ = std::make_unique<GuardedServer>(std::move(limits));
    server_->Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
      res.set_content("ok\n", "text/plain");
    });
    server_->Post("/echo-size", [](const httplib::Request& req, httplib::Response& res) {
      res.set_content(std::to_string(req.body.size()), "text/plain");
    });
    server_->Get("/whoami", [](const httplib::Request& req, httplib::Response& res) {
      res.set_content("[" + req.remote_addr + "]", "text/plain");
    });
    server_->SetTrustedProxies(*TrustedProxies::Parse({"127.0.0.9"}));
    port_ = server_->bind_to_any_port("127.0.0.1");
    ASSERT_GT(port_, 0);
    server_->RaiseBacklog();
    thread_ = std::thread([this] { server_->listen_after_bind(); });
    while (!server_->is_running()) std::this_thread::sleep_for(milliseconds(1));
  }
  void TearDown() override {
    if (server_) server_->stop();
    if (thread_.joinable()) thread_.join();
  }
  // GET /healthz on a fresh connection from 127.0.0.1: the status, or 0.
  int Health(int timeout_ms = 2000) {
    const int fd = Connect(port_);
    if (fd < 0) return 0;
    SendAll(fd, "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    const int status = StatusOf(ReadAll(fd, timeout_ms));
    ::close(fd);
    return status;
  }

  std::unique_ptr<GuardedServer> server_;
  std::thread thread_;
  int port_ = 0;
};

TEST(ExamineHeaderTest, FindsTheRequestAndItsLengthOrSaysWhatIsWrong) {
  const auto h = ExamineHeader(
      "POST /api/v1/documents?x=1 HTTP/1.1\r\nHost: a\r\ncontent-LENGTH:  42\r\n\r\nbody", 1024,
      10);
  EXPECT_EQ(h.state, PeekedHeader::State::kComplete);
  EXPECT_EQ(h.method, "POST");
  EXPECT_EQ(h.path, "/api/v1/documents");
  EXPECT_TRUE(h.has_length);
  EXPECT_EQ(h.content_length, 42u);
  EXPECT_EQ(h.header_bytes, 69u);
  EXPECT_EQ(ExamineHeader("GET / HTTP/1.1\r\nHost: a\r\n", 1024, 10).state,
            PeekedHeader::State::kIncomplete);
  EXPECT_EQ(ExamineHeader(std::string(2000, 'a'), 1024, 10).state, PeekedHeader::State::kTooLarge);
  std::string many = "GET / HTTP/1.1\r\n";
  for (int i = 0; i < 20; ++i) many += "X: y\r\n";
  EXPECT_EQ(ExamineHeader(many, 1024, 10).state, PeekedHeader::State::kTooLarge);
  EXPECT_EQ(ExamineHeader("GET / HTTP/1.1\r\nContent-Length: 1x\r\n\r\n", 1024, 10).state,
            PeekedHeader::State::kMalformed);
  EXPECT_EQ(ExamineHeader("GARBAGE\r\n\r\n", 1024, 10).state, PeekedHeader::State::kMalformed);
}

// A body of unknown length makes its connection serve one request only.
TEST(ExamineHeaderTest, NotesATransferEncoding) {
  EXPECT_FALSE(ExamineHeader("POST / HTTP/1.1\r\nContent-Length: 3\r\n\r\n", 1024, 10)
                   .chunked);
  const auto h =
      ExamineHeader("POST / HTTP/1.1\r\nHost: a\r\nTRANSFER-encoding: chunked\r\n\r\n", 1024, 10);
  EXPECT_EQ(h.state, PeekedHeader::State::kComplete);
  EXPECT_TRUE(h.chunked);
  EXPECT_FALSE(h.has_length);
}

// Finding 1: chunked bodies were read whole before any limit.
TEST_F(GuardedServerTest, ParallelHugeChunkedBodiesAreCutOffWithoutBeingBuffered) {
  Start(ConnectionLimits{});
  ASSERT_EQ(Health(), 200);
  const long before = RssKiB();
  std::vector<std::thread> clients;
  std::atomic<int> refused{0};
  for (int c = 0; c < 4; ++c) {
    clients.emplace_back([&] {
      const int fd = Connect(port_);
      SendAll(fd,
              "POST /echo-size HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
              "Content-Type: application/json\r\n\r\n");
      const std::string chunk = "10000\r\n" + std::string(0x10000, ' ') + "\r\n";
      // Up to 1 GiB, until the server stops reading.
      for (int i = 0; i < (1 << 14) && SendAll(fd, chunk); ++i) {
      }
      if (StatusOf(ReadAll(fd)) == 413) ++refused;
      ::close(fd);
    });
  }
  for (auto& t : clients) t.join();
  EXPECT_EQ(refused.load(), 4);
  EXPECT_LT(RssKiB() - before, 64 * 1024) << "KiB more resident than before";
  EXPECT_EQ(Health(), 200);
}

TEST_F(GuardedServerTest, ALengthOverTheLimitIsRefusedBeforeTheBodyIsSent) {
  ConnectionLimits limits;
  limits.body_limit = [](std::string_view, std::string_view path) -> uint64_t {
    return path == "/echo-size" ? 100 : 10;
  };
  Start(std::move(limits));
  int fd = Connect(port_);
  SendAll(fd, "POST /echo-size HTTP/1.1\r\nHost: x\r\nContent-Length: 101\r\n\r\n");
  const std::string refused = ReadAll(fd);
  EXPECT_EQ(StatusOf(refused), 413);
  EXPECT_NE(refused.find("大きすぎます"), std::string::npos);
  ::close(fd);
  fd = Connect(port_);
  SendAll(fd,
          "POST /echo-size HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 100\r\n"
          "\r\n" +
              std::string(100, 'a'));
  const std::string ok = ReadAll(fd);
  EXPECT_EQ(StatusOf(ok), 200);
  EXPECT_NE(ok.find("\r\n\r\n100"), std::string::npos);
  ::close(fd);
}

// Finding 1: three million headers were accepted.
TEST_F(GuardedServerTest, TooManyOrTooLongHeadersAre431) {
  Start(ConnectionLimits{});
  int fd = Connect(port_);
  std::string many = "GET /healthz HTTP/1.1\r\n";
  for (int i = 0; i < 200; ++i) many += "X-A: b\r\n";
  SendAll(fd, many);
  EXPECT_EQ(StatusOf(ReadAll(fd)), 431);
  ::close(fd);
  fd = Connect(port_);
  SendAll(fd, "GET /healthz HTTP/1.1\r\nX-Long: " + std::string(20000, 'a'));
  EXPECT_EQ(StatusOf(ReadAll(fd)), 431);
  ::close(fd);
  EXPECT_EQ(Health(), 200);
}

// Finding 2: sixteen slow connections froze the server for everyone.
TEST_F(GuardedServerTest, SlowClientsAreCutOffAndDoNotStarveOthers) {
  ConnectionLimits limits;
  limits.header_deadline = milliseconds(1500);
  Start(std::move(limits));
  // 64 connections from another address, each sending its header a line at
  // a time, slowly.
  std::vector<int> slow;
  for (int i = 0; i < 64; ++i) {
    const int fd = Connect(port_, "127.0.0.2");
    ASSERT_GE(fd, 0);
    SendAll(fd, "GET /healthz HTTP/1.1\r\n");
    slow.push_back(fd);
  }
  std::this_thread::sleep_for(milliseconds(300));
  for (int fd : slow) SendAll(fd, "X-Slow: 1\r\n");
  const auto t0 = std::chrono::steady_clock::now();
  EXPECT_EQ(Health(), 200);  // another address is served at once
  EXPECT_LT(std::chrono::steady_clock::now() - t0, milliseconds(1000));
  int timed_out = 0, too_many = 0;
  for (int fd : slow) {
    const int status = StatusOf(ReadAll(fd, 5000));
    timed_out += status == 408;
    too_many += status == 503;
    ::close(fd);
  }
  EXPECT_EQ(timed_out, 16);  // max_per_address held, then cut off at the deadline
  EXPECT_EQ(too_many, 48);   // the rest refused at once
}

// A client that sends half a header and shuts down its side must not keep a
// worker spinning until the header deadline.
TEST_F(GuardedServerTest, AHalfHeaderThenShutdownIsClosedAtOnce) {
  ConnectionLimits limits;
  limits.header_deadline = milliseconds(5000);
  Start(std::move(limits));
  const int fd = Connect(port_);
  SendAll(fd, "GET /healthz HTTP/1.1\r\nHost: x\r\n");
  std::this_thread::sleep_for(milliseconds(100));
  ::shutdown(fd, SHUT_WR);
  const auto t0 = std::chrono::steady_clock::now();
  ReadAll(fd, 4000);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, milliseconds(1000));
  ::close(fd);
}

TEST_F(GuardedServerTest, ABodySlowerThanTheMinimumRateIsCutOff) {
  ConnectionLimits limits;
  limits.body_grace = milliseconds(300);
  limits.min_body_rate = 100'000;
  Start(std::move(limits));
  const int fd = Connect(port_);
  SendAll(fd, "POST /echo-size HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n");
  std::string got;
  for (int i = 0; i < 30; ++i) {
    if (!SendAll(fd, std::string(10, 'a'))) break;
    std::this_thread::sleep_for(milliseconds(50));
  }
  EXPECT_EQ(StatusOf(ReadAll(fd)), 408);
  ::close(fd);
}

// The header is read ahead and replayed to httplib: bytes of a pipelined
// second request read with the first are kept for the next round.
TEST_F(GuardedServerTest, PipelinedRequestsAreAllAnswered) {
  Start(ConnectionLimits{});
  const int fd = Connect(port_);
  SendAll(fd,
          "POST /echo-size HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"
          "GET /whoami HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  const std::string both = ReadAll(fd);
  ::close(fd);
  EXPECT_EQ(StatusOf(both), 200);
  EXPECT_NE(both.find("\r\n\r\n3HTTP/1.1 200"), std::string::npos) << both;
  EXPECT_NE(both.find("[127.0.0.1]"), std::string::npos) << both;
}

// Issue 12, item 6: behind a reverse proxy the client address comes from
// X-Forwarded-For, but only when the proxy is the one that sent it.
TEST_F(GuardedServerTest, OnlyATrustedProxyNamesTheClient) {
  Start(ConnectionLimits{});
  auto whoami = [&](const char* from) {
    const int fd = Connect(port_, from);
    SendAll(fd,
            "GET /whoami HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
            "X-Forwarded-For: 198.51.100.1\r\nX-Forwarded-For: 203.0.113.9\r\n\r\n");
    const std::string response = ReadAll(fd);
    ::close(fd);
    return response.substr(response.find("\r\n\r\n") + 4);
  };
  EXPECT_EQ(whoami("127.0.0.9"), "[203.0.113.9]");  // the right-most entry
  EXPECT_EQ(whoami("127.0.0.1"), "[127.0.0.1]");    // anyone else's header is ignored
}

// A proxy carries many clients' connections: it has its own, larger cap
// instead of the per-address one.
TEST_F(GuardedServerTest, ATrustedProxyHasItsOwnLargerConnectionCap) {
  ConnectionLimits limits;
  limits.max_per_address = 4;
  limits.max_per_proxy = 8;
  Start(std::move(limits));
  auto refused_of = [&](const char* from, int connections, std::vector<int>* open) {
    for (int i = 0; i < connections; ++i) {
      const int fd = Connect(port_, from);
      SendAll(fd, "GET /healthz HTTP/1.1\r\n");  // holds its worker
      open->push_back(fd);
    }
    std::this_thread::sleep_for(milliseconds(300));  // answered by now, if at all
    int refused = 0;
    for (size_t i = open->size() - static_cast<size_t>(connections); i < open->size(); ++i) {
      refused += StatusOf(ReadAll((*open)[i], 50)) == 503;
    }
    return refused;
  };
  std::vector<int> open;
  EXPECT_EQ(refused_of("127.0.0.9", 10, &open), 2);  // the proxy: 8 held
  EXPECT_EQ(refused_of("127.0.0.3", 6, &open), 2);   // anyone else: 4
  EXPECT_EQ(Health(), 200);
  for (int fd : open) ::close(fd);
}

}  // namespace
}  // namespace web::internal

// HttpTsaTransport over real HTTP: loopback cpp-httplib servers, on their
// own threads, answer with the real `openssl ts -reply` (CA and TSA made
// with the openssl command line, tests/signing/openssl_cli.h), with kura's
// built-in signing::Tsa, or misbehave on purpose.
#include "web/http_tsa_transport.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "signing/tsa.h"
#include "signing/tsa_client.h"
#include "signing/tsa_identity.h"
#include "tests/fakes/test_util.h"
#include "tests/signing/openssl_cli.h"

namespace web {
namespace {

using Code = base::Status::Code;

constexpr char kQueryType[] = "application/timestamp-query";
constexpr char kReplyType[] = "application/timestamp-reply";

bool Contains(const base::Status& s, const std::string& text) {
  return s.message().find(text) != std::string::npos;
}

// An HTTP (or, given an SSLServer, HTTPS) server on 127.0.0.1 and a free
// port, serving POST /tsa with `handler` on a background thread until the
// object is destroyed. A handler may call WaitUntilReleased() to hang until
// then: the destructor releases it before stopping the server.
class LoopbackServer {
 public:
  using Handler = std::function<void(const httplib::Request&, httplib::Response&)>;

  explicit LoopbackServer(Handler handler, std::unique_ptr<httplib::Server> server = nullptr)
      : server_(server ? std::move(server) : std::make_unique<httplib::Server>()) {
    server_->Post("/tsa", [this, handler](const httplib::Request& req, httplib::Response& res) {
      {
        std::lock_guard<std::mutex> lock(mu_);
        ++requests_;
        last_content_type_ = req.get_header_value("Content-Type");
      }
      handler(req, res);
    });
    // bind_to_any_port() also listens, so clients may connect at once;
    // their connections wait in the backlog until the thread accepts them.
    port_ = server_->bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_->listen_after_bind(); });
  }

  ~LoopbackServer() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      released_ = true;
    }
    released_cv_.notify_all();
    // stop() is a no-op until the accept loop runs; it starts right away.
    while (!server_->is_running()) std::this_thread::yield();
    server_->stop();
    thread_.join();
  }

  void WaitUntilReleased() {
    std::unique_lock<std::mutex> lock(mu_);
    released_cv_.wait(lock, [this] { return released_; });
  }

  bool bound() const { return port_ > 0; }
  std::string Url(const std::string& scheme = "http") const {
    return scheme + "://127.0.0.1:" + std::to_string(port_) + "/tsa";
  }
  int requests() {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_;
  }
  std::string last_content_type() {
    std::lock_guard<std::mutex> lock(mu_);
    return last_content_type_;
  }

 private:
  std::unique_ptr<httplib::Server> server_;
  int port_ = -1;
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable released_cv_;
  bool released_ = false;
  int requests_ = 0;
  std::string last_content_type_;
};

class HttpTsaTransportTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new kura_test::TempDir();
    openssl_ = new kura_test::OpensslTsa();
    std::string error;
    setup_ok_ = kura_test::MakeOpensslTsa(dir_->path(), openssl_, &error);
    if (!setup_ok_) setup_error_ = new std::string(error);
  }
  static void TearDownTestSuite() {
    delete openssl_;
    delete dir_;
    delete setup_error_;
  }
  void SetUp() override { ASSERT_TRUE(setup_ok_) << *setup_error_; }

  static signing::TsaClientOptions ClientOptions(const std::string& url) {
    signing::TsaClientOptions o;
    o.url = url;
    o.trusted_pem = kura_test::ReadFileOrDie(openssl_->ca_pem);
    return o;
  }

  // The real clock: `openssl ts -reply` stamps with it.
  static base::Time RealNow() { return base::SystemClock().Now(); }

  // The handler of a real TSA: the query goes to a file, `openssl ts
  // -reply -config ts.cnf -queryfile req.tsq -out resp.tsr` answers.
  static void OpensslHandler(const httplib::Request& req, httplib::Response& res) {
    const std::string reply = kura_test::OpensslReply(*openssl_, openssl_->config, req.body);
    if (reply.empty()) {
      res.status = 500;
      return;
    }
    res.set_content(reply, kReplyType);
  }

  // `openssl ts -verify -data FILE -in TOKEN -CAfile CA`; its output.
  static std::string OpensslVerify(const std::string& data, const std::string& response_der,
                                   const std::string& ca_file) {
    kura_test::WriteFileOrDie(dir_->Join("data"), data);
    kura_test::WriteFileOrDie(dir_->Join("token.tsr"), response_der);
    std::string out;
    kura_test::Sh("openssl ts -verify -data " + dir_->Join("data") + " -in " +
                      dir_->Join("token.tsr") + " -CAfile " + ca_file,
                  &out);
    return out;
  }

  static kura_test::TempDir* dir_;
  static kura_test::OpensslTsa* openssl_;
  static bool setup_ok_;
  static std::string* setup_error_;
};
kura_test::TempDir* HttpTsaTransportTest::dir_ = nullptr;
kura_test::OpensslTsa* HttpTsaTransportTest::openssl_ = nullptr;
bool HttpTsaTransportTest::setup_ok_ = false;
std::string* HttpTsaTransportTest::setup_error_ = nullptr;

TEST_F(HttpTsaTransportTest, TokenFromARealOpensslTsaIsVerified) {
  LoopbackServer server(&OpensslHandler);
  ASSERT_TRUE(server.bound());
  HttpTsaTransport transport;
  const signing::TsaClient client(&transport, ClientOptions(server.Url()));
  const std::string data = "請求書 No. 2026-1122 (invoice bytes)";
  const signing::Digest digest = signing::Sha256(data);

  base::Result<signing::VerifiedTimestamp> ts = client.Timestamp(digest, RealNow());
  ASSERT_OK(ts);
  EXPECT_EQ(server.requests(), 1);
  EXPECT_EQ(server.last_content_type(), kQueryType);
  EXPECT_EQ(ts->info.imprint, digest);
  EXPECT_EQ(ts->info.policy_oid, "1.2.3.4.1");
  EXPECT_EQ(ts->info.tsa_subject, "CN=Test TSA,O=Test");

  // An independent check of what came over the wire.
  const std::string out = OpensslVerify(data, ts->response_der, openssl_->ca_pem);
  EXPECT_NE(out.find("Verification: OK"), std::string::npos) << out;
}

// kura can be a TSA endpoint: signing::Tsa::Respond() behind an HTTP handler.
TEST_F(HttpTsaTransportTest, BuiltInTsaServedOverHttpIsConsumedByTheClient) {
  signing::TsaIdentityOptions io;
  io.not_before = base::ParseRfc3339("2025-04-01T00:00:00Z").value();
  const signing::TsaIdentity id = signing::GenerateTsaIdentity(io).value();
  const std::unique_ptr<signing::Tsa> tsa =
      signing::Tsa::Create(id.tsa_key_pem, id.tsa_cert_pem).value();
  const base::Time now = base::ParseRfc3339("2026-11-22T09:15:00Z").value();
  LoopbackServer server([&](const httplib::Request& req, httplib::Response& res) {
    base::Result<std::string> reply = tsa->Respond(req.body, now);
    if (!reply.ok()) {
      res.status = 500;
      return;
    }
    res.set_content(*reply, kReplyType);
  });
  ASSERT_TRUE(server.bound());
  HttpTsaTransport transport;
  signing::TsaClientOptions o = ClientOptions(server.Url());
  o.trusted_pem = id.ca_cert_pem;
  const std::string data = "built-in";

  base::Result<signing::VerifiedTimestamp> ts =
      signing::TsaClient(&transport, o).Timestamp(signing::Sha256(data), now);
  ASSERT_OK(ts);
  EXPECT_EQ(ts->info.gen_time, now);
  EXPECT_EQ(ts->info.policy_oid, signing::kKuraTsaPolicyOid);

  kura_test::WriteFileOrDie(dir_->Join("chain.pem"), id.ChainPem());
  const std::string out = OpensslVerify(data, ts->response_der, dir_->Join("chain.pem"));
  EXPECT_NE(out.find("Verification: OK"), std::string::npos) << out;
}

TEST_F(HttpTsaTransportTest, ConcurrentPostsEachGetTheirOwnVerifiedToken) {
  signing::TsaIdentityOptions io;
  io.not_before = base::ParseRfc3339("2025-04-01T00:00:00Z").value();
  const signing::TsaIdentity id = signing::GenerateTsaIdentity(io).value();
  const std::unique_ptr<signing::Tsa> tsa =
      signing::Tsa::Create(id.tsa_key_pem, id.tsa_cert_pem).value();
  const base::Time now = base::ParseRfc3339("2026-11-22T09:15:00Z").value();
  LoopbackServer server([&](const httplib::Request& req, httplib::Response& res) {
    res.set_content(tsa->Respond(req.body, now).value(), kReplyType);
  });
  ASSERT_TRUE(server.bound());
  HttpTsaTransport transport;  // one transport shared by all threads
  signing::TsaClientOptions o = ClientOptions(server.Url());
  o.trusted_pem = id.ca_cert_pem;
  const signing::TsaClient client(&transport, o);

  constexpr int kThreads = 4;
  constexpr int kEach = 5;
  std::vector<std::vector<std::string>> serials(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        const std::string data = std::to_string(t) + "/" + std::to_string(i);
        base::Result<signing::VerifiedTimestamp> ts = client.Timestamp(signing::Sha256(data), now);
        EXPECT_OK(ts);
        if (ts.ok()) serials[t].push_back(ts->info.serial_hex);
      }
    });
  }
  for (std::thread& t : threads) t.join();
  std::set<std::string> distinct;
  for (const auto& s : serials) distinct.insert(s.begin(), s.end());
  EXPECT_EQ(distinct.size(), static_cast<size_t>(kThreads * kEach));
  EXPECT_EQ(server.requests(), kThreads * kEach);
}

TEST_F(HttpTsaTransportTest, GarbageReplyIsRefusedByTheClient) {
  LoopbackServer server([](const httplib::Request&, httplib::Response& res) {
    res.set_content("<html>502 Bad Gateway</html>", kReplyType);
  });
  ASSERT_TRUE(server.bound());
  HttpTsaTransport transport;
  const base::Result<signing::VerifiedTimestamp> r =
      signing::TsaClient(&transport, ClientOptions(server.Url()))
          .Timestamp(signing::Sha256("a"), RealNow());
  EXPECT_EQ(r.status().code(), Code::kCorruption);
  EXPECT_TRUE(Contains(r.status(), "DER 形式の TimeStampResp ではありません")) << r.status().ToString();
  EXPECT_TRUE(Contains(r.status(), server.Url())) << r.status().ToString();
}

TEST_F(HttpTsaTransportTest, HttpErrorStatusIsUnavailable) {
  std::atomic<int> status{500};
  LoopbackServer server([&](const httplib::Request&, httplib::Response& res) {
    res.status = status;
    res.set_content("down for maintenance", "text/plain");
  });
  ASSERT_TRUE(server.bound());
  HttpTsaTransport transport;
  const base::Result<signing::VerifiedTimestamp> r =
      signing::TsaClient(&transport, ClientOptions(server.Url()))
          .Timestamp(signing::Sha256("a"), RealNow());
  EXPECT_EQ(r.status().code(), Code::kUnavailable);
  // The transport's own words (TsaClient, in signing/, adds the URL).
  EXPECT_TRUE(Contains(r.status(), "TSA が HTTP 500 Internal Server Error を返しました"))
      << r.status().ToString();
  EXPECT_TRUE(Contains(r.status(), server.Url())) << r.status().ToString();

  for (const int s : {503, 404, 302}) {
    status = s;
    const base::Result<std::string> p = transport.Post(server.Url(), kQueryType, "q");
    EXPECT_EQ(p.status().code(), Code::kUnavailable) << s;
    EXPECT_TRUE(Contains(p.status(), "HTTP " + std::to_string(s))) << p.status().ToString();
  }
}

TEST_F(HttpTsaTransportTest, SilentServerIsUnavailableAfterTheReadTimeout) {
  HttpTsaTransportOptions options;
  options.read_timeout = std::chrono::milliseconds(300);
  HttpTsaTransport transport(options);
  std::atomic<LoopbackServer*> self{nullptr};
  LoopbackServer silent([&](const httplib::Request&, httplib::Response& res) {
    self.load()->WaitUntilReleased();  // until the end of the test
    res.set_content("too late", kReplyType);
  });
  self = &silent;
  ASSERT_TRUE(silent.bound());

  const auto start = std::chrono::steady_clock::now();
  const base::Result<std::string> r = transport.Post(silent.Url(), kQueryType, "q");
  const auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(r.status().code(), Code::kUnavailable);
  EXPECT_TRUE(Contains(r.status(), "読み取りの制限時間 300 ミリ秒")) << r.status().ToString();
  EXPECT_GE(waited, std::chrono::milliseconds(250));
  EXPECT_LT(waited, std::chrono::seconds(5));  // not the 10 s default
  EXPECT_EQ(silent.requests(), 1);
}

TEST_F(HttpTsaTransportTest, WrongContentTypeIsCorruption) {
  // A genuine reply, labelled as something else.
  LoopbackServer server([](const httplib::Request& req, httplib::Response& res) {
    res.set_content(kura_test::OpensslReply(*openssl_, openssl_->config, req.body), "text/html");
  });
  ASSERT_TRUE(server.bound());
  HttpTsaTransport transport;
  const base::Result<signing::VerifiedTimestamp> r =
      signing::TsaClient(&transport, ClientOptions(server.Url()))
          .Timestamp(signing::Sha256("a"), RealNow());
  EXPECT_EQ(r.status().code(), Code::kCorruption);
  EXPECT_TRUE(Contains(r.status(), "Content-Type が \"text/html\"")) << r.status().ToString();
}

TEST_F(HttpTsaTransportTest, MissingOrDuplicateContentTypeIsCorruption) {
  std::atomic<int> headers{0};
  LoopbackServer server([&](const httplib::Request&, httplib::Response& res) {
    res.body = "reply";
    for (int i = 0; i < headers; ++i) res.set_header("Content-Type", kReplyType);
  });
  ASSERT_TRUE(server.bound());
  HttpTsaTransport transport;
  for (const int n : {0, 2}) {
    headers = n;
    const base::Result<std::string> r = transport.Post(server.Url(), kQueryType, "q");
    EXPECT_EQ(r.status().code(), Code::kCorruption) << n << ": " << r.status().ToString();
  }
}

TEST_F(HttpTsaTransportTest, ContentTypeIsComparedWithoutCaseOrParameters) {
  LoopbackServer server([](const httplib::Request&, httplib::Response& res) {
    res.set_content("reply", "Application/TimeStamp-Reply; foo=bar");
  });
  ASSERT_TRUE(server.bound());
  HttpTsaTransport transport;
  const base::Result<std::string> r = transport.Post(server.Url(), kQueryType, "q");
  ASSERT_OK(r);
  EXPECT_EQ(*r, "reply");
}

TEST_F(HttpTsaTransportTest, OversizedReplyIsCorruption) {
  HttpTsaTransportOptions options;
  options.max_response_bytes = 1024;
  HttpTsaTransport transport(options);
  const std::string big(4096, 'x');
  {  // announced by Content-Length
    LoopbackServer server(
        [&](const httplib::Request&, httplib::Response& res) { res.set_content(big, kReplyType); });
    ASSERT_TRUE(server.bound());
    const base::Result<std::string> r = transport.Post(server.Url(), kQueryType, "q");
    EXPECT_EQ(r.status().code(), Code::kCorruption);
    EXPECT_TRUE(Contains(r.status(), "上限の 1024 バイトを超えています")) << r.status().ToString();
  }
  {  // chunked, no length known in advance
    LoopbackServer server([&](const httplib::Request&, httplib::Response& res) {
      res.set_chunked_content_provider(kReplyType, [&](size_t, httplib::DataSink& sink) {
        for (int i = 0; i < 4; ++i) sink.write(big.data(), 512);
        sink.done();
        return true;
      });
    });
    ASSERT_TRUE(server.bound());
    const base::Result<std::string> r = transport.Post(server.Url(), kQueryType, "q");
    EXPECT_EQ(r.status().code(), Code::kCorruption);
    EXPECT_TRUE(Contains(r.status(), "上限の 1024 バイトを超えています")) << r.status().ToString();
  }
  {  // exactly at the limit is fine
    LoopbackServer server([&](const httplib::Request&, httplib::Response& res) {
      res.set_content(big.substr(0, 1024), kReplyType);
    });
    ASSERT_TRUE(server.bound());
    const base::Result<std::string> r = transport.Post(server.Url(), kQueryType, "q");
    ASSERT_OK(r);
    EXPECT_EQ(r->size(), 1024u);
  }
}

TEST_F(HttpTsaTransportTest, ConnectionRefusedIsUnavailable) {
  // A port bound but not listening: the kernel answers SYN with RST. Held
  // for the whole test, so nothing else can take it.
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  const std::string url = "http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port)) + "/tsa";

  HttpTsaTransport transport;
  const base::Result<signing::VerifiedTimestamp> r =
      signing::TsaClient(&transport, ClientOptions(url)).Timestamp(signing::Sha256("a"), RealNow());
  ::close(fd);
  EXPECT_EQ(r.status().code(), Code::kUnavailable);
  EXPECT_TRUE(Contains(r.status(), url)) << r.status().ToString();
  EXPECT_TRUE(Contains(r.status(), "TSA（127.0.0.1:")) << r.status().ToString();
  EXPECT_TRUE(Contains(r.status(), "以内に接続できません")) << r.status().ToString();
}

TEST_F(HttpTsaTransportTest, MalformedUrlIsInvalidArgument) {
  HttpTsaTransport transport;
  for (const char* url :
       {"", "tsa.example.jp/tsa", "ftp://tsa.example.jp/", "http://", "http:///tsa",
        "http://host:/", "http://host:0/", "http://host:65536/", "http://host:8o/",
        "http://user:pw@host/", "http://[::1/", "http://[::1]x/", "http://ho st/"}) {
    const base::Result<std::string> r = transport.Post(url, kQueryType, "q");
    EXPECT_EQ(r.status().code(), Code::kInvalidArgument) << url << ": " << r.status().ToString();
  }
}

// https:// with a server certificate from the test CA: trusted through
// ca_cert_path, refused with the system's trust store alone.
TEST_F(HttpTsaTransportTest, HttpsVerifiesTheServerCertificate) {
  const std::string d = dir_->path();
  kura_test::WriteFileOrDie(d + "/tls.ext",
                            "basicConstraints=critical,CA:FALSE\n"
                            "keyUsage=critical,digitalSignature\n"
                            "extendedKeyUsage=serverAuth\n"
                            "subjectAltName=IP:127.0.0.1\n");
  const std::string commands[] = {
      "openssl ecparam -name prime256v1 -genkey -noout -out " + d + "/tls.key",
      "openssl req -new -key " + d + "/tls.key -subj '/CN=127.0.0.1' -out " + d + "/tls.csr",
      "openssl x509 -req -in " + d + "/tls.csr -CA " + openssl_->ca_pem + " -CAkey " + d +
          "/ca.key -CAcreateserial -days 30 -sha256 -extfile " + d + "/tls.ext -out " + d +
          "/tls.pem",
  };
  for (const std::string& c : commands) {
    std::string out;
    ASSERT_EQ(kura_test::Sh(c, &out), 0) << c << ": " << out;
  }
  LoopbackServer server(&OpensslHandler, std::make_unique<httplib::SSLServer>(
                                             (d + "/tls.pem").c_str(), (d + "/tls.key").c_str()));
  ASSERT_TRUE(server.bound());

  HttpTsaTransportOptions options;
  options.ca_cert_path = openssl_->ca_pem;
  HttpTsaTransport trusting(options);
  ASSERT_OK(signing::TsaClient(&trusting, ClientOptions(server.Url("https")))
                .Timestamp(signing::Sha256("tls"), RealNow()));

  HttpTsaTransport system_roots;
  const base::Result<std::string> r = system_roots.Post(server.Url("https"), kQueryType, "q");
  EXPECT_EQ(r.status().code(), Code::kUnavailable);
  EXPECT_TRUE(Contains(r.status(), "TLS サーバー証明書が信頼できない")) << r.status().ToString();
}

}  // namespace
}  // namespace web

// HTTPS (issue 12, item 6). A throwaway CA and a server certificate for
// 127.0.0.1 are made with the openssl command; the server is checked with
// the standard tools (openssl s_client, curl) and with hostile clients
// against the guarded server's deadlines and limits, all on loopback.
#include "web/internal/tls.h"

#include <cctype>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include <gtest/gtest.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "archive/archive.h"
#include "ledger/data_dir.h"
#include "tests/fakes/test_util.h"
#include "tests/signing/openssl_cli.h"
#include "tests/web/raw_client.h"
#include "web/internal/guarded_server.h"
#include "web/server.h"
#include "workflow/workflow.h"

namespace web {
namespace {

using kura_test::Connect;
using kura_test::ReadAll;
using kura_test::SendAll;
using kura_test::Sh;
using kura_test::StatusOf;
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

constexpr char kPassword[] = "correct horse battery";

// ca.pem (a CA) and server.pem/server.key (a leaf for IP 127.0.0.1 it
// signed); other-ca.pem (a CA that signed nothing here) and other.key (a
// key of no certificate here).
struct Pki {
  std::string ca, cert, key, other_ca, other_key;
};

const Pki& TestPki() {
  static kura_test::TempDir dir;
  static const Pki pki = [] {
    const std::string d = dir.path();
    Pki p{d + "/ca.pem", d + "/server.pem", d + "/server.key", d + "/other-ca.pem",
          d + "/other.key"};
    kura_test::WriteFileOrDie(d + "/leaf.ext",
                              "subjectAltName = IP:127.0.0.1\n"
                              "basicConstraints = critical, CA:FALSE\n"
                              "keyUsage = critical, digitalSignature\n"
                              "extendedKeyUsage = serverAuth\n");
    const std::string ec = " -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes";
    const std::string ca_ext =
        " -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign";
    std::string out;
    const int rc = Sh("cd " + d + " && openssl req -x509" + ec + ca_ext +
                          " -keyout ca.key -out ca.pem -days 2 -subj '/CN=kura test CA'"
                          " && openssl req -x509" +
                          ec + ca_ext +
                          " -keyout other-ca.key -out other-ca.pem -days 2 -subj '/CN=other CA'"
                          " && openssl req" +
                          ec +
                          " -keyout server.key -out server.csr -subj '/CN=127.0.0.1'"
                          " && openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key"
                          " -set_serial 2 -days 2 -extfile leaf.ext -out server.pem"
                          " && openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256"
                          " -out other.key",
                      &out);
    EXPECT_EQ(rc, 0) << out;
    return p;
  }();
  return pki;
}

std::string Curl(const std::string& args, int* rc = nullptr) {
  std::string out;
  const int status = Sh("curl -sS --noproxy '*' --max-time 10 " + args, &out);
  if (rc != nullptr) *rc = status;
  return out;
}

// A TLS client that verifies the server against ca (as a browser would,
// for IP 127.0.0.1), sends `request` and reads until the server closes.
// "" if the handshake or the verification fails.
std::string TlsExchange(int port, const std::string& ca, const std::string& request,
                        int timeout_ms = 5000) {
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  SSL_CTX_load_verify_locations(ctx, ca.c_str(), nullptr);
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
  SSL* ssl = SSL_new(ctx);
  X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), "127.0.0.1");
  const int fd = Connect(port);
  SSL_set_fd(ssl, fd);
  std::string out;
  if (SSL_connect(ssl) == 1 && SSL_write(ssl, request.data(), static_cast<int>(request.size())) ==
                                   static_cast<int>(request.size())) {
    char buf[4096];
    pollfd p{fd, POLLIN, 0};
    while (SSL_pending(ssl) > 0 || ::poll(&p, 1, timeout_ms) > 0) {
      const int n = SSL_read(ssl, buf, sizeof buf);
      if (n <= 0) break;
      out.append(buf, static_cast<size_t>(n));
    }
  }
  ERR_clear_error();
  SSL_free(ssl);
  SSL_CTX_free(ctx);
  ::close(fd);
  return out;
}

// The value of header `name` (case-insensitive) in curl -D output.
std::string HeaderOf(const std::string& response, std::string name) {
  std::string lower = response;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const size_t at = lower.find("\n" + name + ": ");
  if (at == std::string::npos) return "";
  const size_t start = at + name.size() + 3;
  return response.substr(start, response.find('\r', start) - start);
}

// web::Server with the JSON API over a real archive and workflow, served
// over HTTPS with the test PKI (or plain HTTP, to compare).
class TlsServerTest : public ::testing::Test {
 protected:
  void Start(bool tls) {
    archive::ArchiveOptions ao;
    ao.data_dir = dir_.Join("kura-data");
    ASSERT_OK(ledger::InitDataDir(fs_.get(), ledger::DataDirLayout{ao.data_dir}, ""));
    auto a = archive::Archive::Open(ao, fs_.get(), &clock_);
    ASSERT_OK(a);
    archive_ = std::move(*a);
    workflow::WorkflowOptions wo;
    wo.password = workflow::PasswordParams{64, 1, 1};  // cheap for tests
    auto w = workflow::Workflow::Open(archive_.get(), &clock_, wo);
    ASSERT_OK(w);
    wf_ = std::move(*w);
    const workflow::User root = workflow::Workflow::SystemUser("test");
    ASSERT_OK(wf_->CreateDepartment({"somu", "総務課"}, root));
    workflow::User u{"kato", "加藤", "somu", {workflow::Role::kClerk}, "", true};
    ASSERT_OK(wf_->AddUser(u, kPassword, root));
    ServerOptions so;
    so.port = 0;
    if (tls) {
      so.tls_cert_pem = kura_test::ReadFileOrDie(TestPki().cert);
      so.tls_key_pem = kura_test::ReadFileOrDie(TestPki().key);
    }
    server_ = std::make_unique<Server>(so, archive_.get(), wf_.get(), &clock_);
    auto port = server_->Bind();
    ASSERT_OK(port);
    port_ = *port;
    thread_ = std::thread([this] { server_->Run().IgnoreError(); });
    url_ = std::string(tls ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_);
    // The accept loop runs once a connection is answered.
    for (int i = 0; i < 100 && StatusOf(Ping()) == 0; ++i) {
      std::this_thread::sleep_for(milliseconds(20));
    }
  }
  void TearDown() override {
    if (server_) server_->Stop();
    if (thread_.joinable()) thread_.join();
  }
  std::string Ping() { return Curl("-i --cacert " + TestPki().ca + " " + url_ + "/healthz"); }
  std::string LogIn() {
    return Curl("-D - -o /dev/null --cacert " + TestPki().ca +
                " -H 'Content-Type: application/json' --data-binary "
                "'{\"login\":\"kato\",\"password\":\"" +
                kPassword + "\"}' " + url_ + "/api/v1/session");
  }

  kura_test::TempDir dir_;
  std::unique_ptr<base::FileSystem> fs_ = base::NewPosixFileSystem();
  base::SystemClock clock_;
  std::unique_ptr<archive::Archive> archive_;
  std::unique_ptr<workflow::Workflow> wf_;
  std::unique_ptr<Server> server_;
  std::thread thread_;
  int port_ = 0;
  std::string url_;
};

TEST_F(TlsServerTest, OpensslSClientVerifiesTheCertificateAndAnotherCaDoesNot) {
  Start(true);
  const std::string s_client =
      "timeout 10 openssl s_client -brief -connect 127.0.0.1:" + std::to_string(port_) +
      " -verify_return_error -verify_ip 127.0.0.1 -CAfile ";
  std::string out;
  EXPECT_EQ(Sh(s_client + TestPki().ca + " </dev/null", &out), 0) << out;
  EXPECT_NE(out.find("Verification: OK"), std::string::npos) << out;
  EXPECT_NE(Sh(s_client + TestPki().other_ca + " </dev/null", &out), 0) << out;
  EXPECT_NE(out.find("verify error"), std::string::npos) << out;
  // TLS 1.2 is accepted too; it is the minimum (the settings in tls.h).
  EXPECT_EQ(Sh(s_client + TestPki().ca + " -tls1_2 </dev/null", &out), 0) << out;
}

TEST_F(TlsServerTest, CurlWithTheCaGetsHealthzAndWithAnotherCaNothing) {
  Start(true);
  int rc = -1;
  EXPECT_EQ(Curl("--cacert " + TestPki().ca + " " + url_ + "/healthz", &rc), "ok\n");
  EXPECT_EQ(rc, 0);
  const std::string refused = Curl("--cacert " + TestPki().other_ca + " " + url_ + "/healthz", &rc);
  EXPECT_EQ(rc, 60) << refused;  // curl: peer certificate cannot be authenticated
  EXPECT_EQ(refused.find("ok"), std::string::npos);
}

TEST_F(TlsServerTest, LoginOverTlsSetsASecureCookieAndEveryResponseCarriesHsts) {
  Start(true);
  const std::string login = LogIn();
  ASSERT_EQ(login.rfind("HTTP/1.1 200", 0), 0u) << login;
  const std::string cookie = HeaderOf(login, "Set-Cookie");
  EXPECT_NE(cookie.find("kura_session="), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("; Secure"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos) << cookie;
  EXPECT_EQ(HeaderOf(login, "Strict-Transport-Security"), "max-age=31536000");
  for (const char* path : {"/healthz", "/", "/no/such/page", "/api/v1/inbox"}) {
    const std::string r = Curl("-D - -o /dev/null --cacert " + TestPki().ca + " " + url_ + path);
    EXPECT_EQ(HeaderOf(r, "Strict-Transport-Security"), "max-age=31536000") << path << r;
  }
}

TEST_F(TlsServerTest, PlainHttpHasNeitherSecureCookiesNorHsts) {
  Start(false);
  const std::string login = LogIn();
  ASSERT_EQ(login.rfind("HTTP/1.1 200", 0), 0u) << login;
  EXPECT_EQ(HeaderOf(login, "Set-Cookie").find("Secure"), std::string::npos);
  EXPECT_EQ(HeaderOf(login, "Strict-Transport-Security"), "");
}

TEST_F(TlsServerTest, PlainHttpToTheTlsPortIsAnsweredAndClosedAtOnce) {
  Start(true);
  const int fd = Connect(port_);
  ASSERT_GE(fd, 0);
  const auto t0 = Clock::now();
  SendAll(fd, "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  const std::string answer = ReadAll(fd, 3000);
  ::close(fd);
  EXPECT_LT(Clock::now() - t0, milliseconds(1500));
  EXPECT_EQ(StatusOf(answer), 400) << answer;
  EXPECT_NE(answer.find("HTTPS"), std::string::npos) << answer;
  EXPECT_NE(answer.find("Connection: close"), std::string::npos);
  int rc = -1;
  const std::string via_curl = Curl("http://127.0.0.1:" + std::to_string(port_) + "/healthz", &rc);
  EXPECT_EQ(rc, 0) << via_curl;
  EXPECT_NE(via_curl.find("https_required"), std::string::npos) << via_curl;
  EXPECT_EQ(Curl("--cacert " + TestPki().ca + " " + url_ + "/healthz"), "ok\n");
}

TEST_F(TlsServerTest, HeaderLimitsStillGive431OverTls) {
  Start(true);
  std::string many = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  for (int i = 0; i < 200; ++i) many += "X-A: b\r\n";
  const std::string answer = TlsExchange(port_, TestPki().ca, many + "\r\n");
  EXPECT_EQ(StatusOf(answer), 431) << answer;
  EXPECT_NE(answer.find("Strict-Transport-Security: max-age=31536000"), std::string::npos);
  const std::string lengthy = TlsExchange(
      port_, TestPki().ca, "GET /healthz HTTP/1.1\r\nX-Long: " + std::string(20000, 'a'));
  EXPECT_EQ(StatusOf(lengthy), 431) << lengthy;
  // The same exchange with a sane request is answered: the client works.
  EXPECT_EQ(StatusOf(TlsExchange(port_, TestPki().ca,
                                 "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")),
            200);
}

TEST(TlsSetupTest, AKeyOfAnotherCertificateOrNoPemIsAClearError) {
  const std::string cert = kura_test::ReadFileOrDie(TestPki().cert);
  const std::string key = kura_test::ReadFileOrDie(TestPki().key);
  ASSERT_OK(internal::TlsContext::Create(cert, key));
  auto mismatch = internal::TlsContext::Create(cert, kura_test::ReadFileOrDie(TestPki().other_key));
  ASSERT_FALSE(mismatch.ok());
  EXPECT_NE(mismatch.status().message().find("一致しません"), std::string::npos);
  auto no_cert = internal::TlsContext::Create(key, key);
  ASSERT_FALSE(no_cert.ok());
  EXPECT_NE(no_cert.status().message().find("証明書"), std::string::npos);
  auto no_key = internal::TlsContext::Create(cert, cert);
  ASSERT_FALSE(no_key.ok());
  EXPECT_NE(no_key.status().message().find("秘密鍵"), std::string::npos);
  // Through web::Server: Bind refuses before listening.
  kura_test::TempDir dir;
  auto fs = base::NewPosixFileSystem();
  base::SystemClock clock;
  archive::ArchiveOptions ao;
  ao.data_dir = dir.Join("kura-data");
  ASSERT_OK(ledger::InitDataDir(fs.get(), ledger::DataDirLayout{ao.data_dir}, ""));
  auto arc = archive::Archive::Open(ao, fs.get(), &clock);
  ASSERT_OK(arc);
  ServerOptions only_cert;
  only_cert.port = 0;
  only_cert.tls_cert_pem = cert;
  auto bound = Server(only_cert, arc->get()).Bind();
  ASSERT_FALSE(bound.ok());
  EXPECT_NE(bound.status().message().find("両方"), std::string::npos);
}

// The guarded server's deadlines over TLS, shortened for the test.
class TlsDeadlineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    internal::ConnectionLimits limits;
    limits.header_deadline = milliseconds(1500);
    server_ = std::make_unique<internal::GuardedServer>(std::move(limits));
    server_->Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
      res.set_content("ok\n", "text/plain");
    });
    auto tls = internal::TlsContext::Create(kura_test::ReadFileOrDie(TestPki().cert),
                                            kura_test::ReadFileOrDie(TestPki().key));
    ASSERT_OK(tls);
    server_->UseTls(*tls);
    port_ = server_->bind_to_any_port("127.0.0.1");
    ASSERT_GT(port_, 0);
    thread_ = std::thread([this] { server_->listen_after_bind(); });
    while (!server_->is_running()) std::this_thread::sleep_for(milliseconds(1));
  }
  void TearDown() override {
    if (server_) server_->stop();
    if (thread_.joinable()) thread_.join();
  }
  std::string Health() {
    return Curl("--cacert " + TestPki().ca + " https://127.0.0.1:" + std::to_string(port_) +
                "/healthz");
  }

  std::unique_ptr<internal::GuardedServer> server_;
  std::thread thread_;
  int port_ = 0;
};

// How long until the server closes fd, while `feed` (called every 100 ms)
// may send more; 10 s if it never does.
milliseconds TimeToClose(int fd, Clock::time_point since, const std::function<void()>& feed) {
  char buf[256];
  while (Clock::now() - since < milliseconds(10'000)) {
    feed();
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 100) > 0 && ::recv(fd, buf, sizeof buf, 0) <= 0) break;
  }
  return std::chrono::duration_cast<milliseconds>(Clock::now() - since);
}

TEST_F(TlsDeadlineTest, ASilentConnectionAndASlowHandshakeAreClosedAtTheDeadline) {
  const auto t0 = Clock::now();
  const int silent = Connect(port_);
  const int slow = Connect(port_);
  ASSERT_GE(silent, 0);
  ASSERT_GE(slow, 0);
  // A ClientHello announced as 512 bytes, trickled a byte at a time: every
  // read makes progress, only a deadline for the whole handshake ends it.
  std::string hello = std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11);
  hello += std::string(64, '\x2a');
  size_t sent = 0;
  SendAll(slow, hello.substr(sent++, 1));
  // Others are served meanwhile.
  EXPECT_EQ(Health(), "ok\n");
  const milliseconds slow_closed = TimeToClose(slow, t0, [&] {
    if (sent < hello.size()) SendAll(slow, hello.substr(sent++, 1));
  });
  const milliseconds silent_closed = TimeToClose(silent, t0, [] {});
  EXPECT_GT(sent, 10u);  // it was still sending when cut off
  for (milliseconds closed : {slow_closed, silent_closed}) {
    EXPECT_GE(closed, milliseconds(1200));
    EXPECT_LT(closed, milliseconds(3000));
  }
  ::close(silent);
  ::close(slow);
  EXPECT_EQ(Health(), "ok\n");
}

TEST_F(TlsDeadlineTest, AHeaderUnfinishedAfterTheHandshakeIs408AtTheDeadline) {
  const auto t0 = Clock::now();
  const std::string answer =
      TlsExchange(port_, TestPki().ca, "GET /healthz HTTP/1.1\r\nHost: x\r\n", 5000);
  EXPECT_EQ(StatusOf(answer), 408) << answer;
  EXPECT_LT(Clock::now() - t0, milliseconds(3000));
  EXPECT_EQ(Health(), "ok\n");
}

}  // namespace
}  // namespace web

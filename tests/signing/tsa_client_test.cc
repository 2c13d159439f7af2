#include "signing/tsa_client.h"

#include <functional>
#include <memory>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "signing/tsa.h"
#include "signing/tsa_identity.h"
#include "tests/fakes/japanese_message.h"
#include "tests/fakes/test_util.h"
#include "tests/signing/openssl_cli.h"

namespace signing {
namespace {

using Code = base::Status::Code;

constexpr char kUrl[] = "https://tsa.test/tsa";

bool Contains(const base::Status& s, const std::string& text) {
  return s.message().find(text) != std::string::npos;
}

// A transport whose reply is computed by a function of the request.
class FakeTransport final : public TsaTransport {
 public:
  using Handler =
      std::function<base::Result<std::string>(const std::string& body)>;
  explicit FakeTransport(Handler handler) : handler_(std::move(handler)) {}

  base::Result<std::string> Post(const std::string& url,
                                 const std::string& content_type,
                                 const std::string& body) override {
    ++calls;
    last_url = url;
    last_content_type = content_type;
    return handler_(body);
  }

  int calls = 0;
  std::string last_url;
  std::string last_content_type;

 private:
  Handler handler_;
};

class TsaClientTest : public ::testing::Test {
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
  void SetUp() override {
    ASSERT_TRUE(setup_ok_) << *setup_error_;
    trusted_ = kura_test::ReadFileOrDie(openssl_->ca_pem);
  }

  TsaClientOptions Options() const {
    TsaClientOptions o;
    o.url = kUrl;
    o.trusted_pem = trusted_;
    return o;
  }

  // The real clock: `openssl ts -reply` stamps with it, so the client must
  // compare and validate against it too.
  static base::Time RealNow() { return base::SystemClock().Now(); }

  // Replies to whatever query the test hands it with `openssl ts -reply`.
  static base::Result<std::string> OpensslReply(const std::string& query) {
    return kura_test::OpensslReply(*openssl_, openssl_->config, query);
  }

  // A reply built with `openssl cms -sign -cades` that echoes the request's
  // nonce, signed with the given certificate (and the TSA key).
  static base::Result<std::string> CraftedReply(
      const std::string& query, const Digest& digest, const std::string& cert,
      const std::string& policy = "1.2.3.4.1") {
    const std::string nonce = kura_test::QueryNonceHex(dir_->path(), query);
    const std::string token = kura_test::CraftToken(
        dir_->path(), cert, openssl_->tsa_key, digest.Hex(), nonce, policy);
    return kura_test::WrapTokenInResponse(token);
  }

  static kura_test::TempDir* dir_;
  static kura_test::OpensslTsa* openssl_;
  static bool setup_ok_;
  static std::string* setup_error_;
  std::string trusted_;
};
kura_test::TempDir* TsaClientTest::dir_ = nullptr;
kura_test::OpensslTsa* TsaClientTest::openssl_ = nullptr;
bool TsaClientTest::setup_ok_ = false;
std::string* TsaClientTest::setup_error_ = nullptr;

TEST_F(TsaClientTest, TokenFromARealOpensslTsaIsVerifiedAndReturned) {
  FakeTransport transport(&OpensslReply);
  const TsaClient client(&transport, Options());
  const Digest digest = Sha256("invoice bytes");
  base::Result<VerifiedTimestamp> ts = client.Timestamp(digest, RealNow());
  ASSERT_OK(ts);
  EXPECT_EQ(transport.last_url, kUrl);
  EXPECT_EQ(transport.last_content_type, "application/timestamp-query");
  EXPECT_EQ(ts->info.imprint, digest);
  EXPECT_EQ(ts->info.policy_oid, "1.2.3.4.1");
  EXPECT_TRUE(ts->info.nonce.has_value());
  EXPECT_EQ(ts->info.tsa_subject, "CN=Test TSA,O=Test");
  EXPECT_EQ(ts->info.accuracy, std::chrono::microseconds(1500100));

  // What the client returns is what `openssl ts -verify` accepts.
  kura_test::WriteFileOrDie(dir_->Join("data"), "invoice bytes");
  kura_test::WriteFileOrDie(dir_->Join("got.tsr"), ts->response_der);
  std::string out;
  EXPECT_EQ(
      kura_test::Sh("openssl ts -verify -data " + dir_->Join("data") + " -in " +
                        dir_->Join("got.tsr") + " -CAfile " + openssl_->ca_pem,
                    &out),
      0)
      << out;
}

// Root → intermediate → TSA, the token carrying the intermediate: trusting
// the root alone is enough, as with `openssl ts -verify -untrusted`.
TEST_F(TsaClientTest, IntermediateCertificatesInTheTokenCompleteTheChain) {
  const std::string d = dir_->path();
  kura_test::WriteFileOrDie(d + "/int.ext",
                            "basicConstraints=critical,CA:TRUE,pathlen:0\n"
                            "keyUsage=critical,keyCertSign,cRLSign\n");
  const std::string commands[] = {
      "openssl ecparam -name prime256v1 -genkey -noout -out " + d + "/int.key",
      "openssl req -new -key " + d +
          "/int.key -subj '/O=Test/CN=Test Issuing CA' -out " + d + "/int.csr",
      "openssl x509 -req -in " + d + "/int.csr -CA " + openssl_->ca_pem +
          " -CAkey " + d +
          "/ca.key -CAcreateserial -days 4000 -sha256 -extfile " + d +
          "/int.ext -out " + d + "/int.pem",
      "openssl ecparam -name prime256v1 -genkey -noout -out " + d + "/tsa2.key",
      "openssl req -new -key " + d +
          "/tsa2.key -subj '/O=Test/CN=Test TSA 2' -out " + d + "/tsa2.csr",
      "openssl x509 -req -in " + d + "/tsa2.csr -CA " + d + "/int.pem -CAkey " +
          d + "/int.key -CAcreateserial -days 4000 -sha256 -extfile " + d +
          "/tsa.ext -out " + d + "/tsa2.pem",
  };
  for (const std::string& c : commands) {
    std::string out;
    ASSERT_EQ(kura_test::Sh(c, &out), 0) << c << ": " << out;
  }
  const std::string with = d + "/ts_int.cnf";
  const std::string without = d + "/ts_noint.cnf";
  kura_test::WriteFileOrDie(
      with, kura_test::TsConfig(d, d + "/tsa2.pem", d + "/tsa2.key",
                                d + "/int.pem", "sha256"));
  kura_test::WriteFileOrDie(
      without,
      kura_test::TsConfig(d, d + "/tsa2.pem", d + "/tsa2.key", "", "sha256"));
  FakeTransport transport([&](const std::string& q) {
    return kura_test::OpensslReply(*openssl_, with, q);
  });
  base::Result<VerifiedTimestamp> ts =
      TsaClient(&transport, Options()).Timestamp(Sha256("i"), RealNow());
  ASSERT_OK(ts);
  EXPECT_EQ(ts->info.tsa_subject, "CN=Test TSA 2,O=Test");

  FakeTransport bare([&](const std::string& q) {
    return kura_test::OpensslReply(*openssl_, without, q);
  });
  const base::Result<VerifiedTimestamp> r =
      TsaClient(&bare, Options()).Timestamp(Sha256("i"), RealNow());
  EXPECT_TRUE(Contains(r.status(), "証明書チェーンを信頼できません")) << r.status().ToString();
}

TEST_F(TsaClientTest, RequestedPolicyIsSentAndEnforced) {
  FakeTransport transport(&OpensslReply);
  TsaClientOptions o = Options();
  o.policy_oid = "1.2.3.4.5";  // one of the TSA's other_policies
  base::Result<VerifiedTimestamp> ts =
      TsaClient(&transport, o).Timestamp(Sha256("p"), RealNow());
  ASSERT_OK(ts);
  EXPECT_EQ(ts->info.policy_oid, "1.2.3.4.5");

  // A reply under another policy is refused.
  const Digest digest = Sha256("p2");
  FakeTransport other([&](const std::string& q) {
    return CraftedReply(q, digest, openssl_->tsa_pem, "1.2.3.4.1");
  });
  o.max_clock_skew.reset();
  const base::Result<VerifiedTimestamp> r =
      TsaClient(&other, o).Timestamp(digest, RealNow());
  EXPECT_EQ(r.status().code(), Code::kCorruption);
  EXPECT_TRUE(Contains(r.status(), "要求したポリシー 1.2.3.4.5 と一致しません"))
      << r.status().ToString();
}

TEST_F(TsaClientTest, CraftedTokenFromACorrectCertificateIsAccepted) {
  // The control for the EKU tests below: same construction, proper cert.
  const Digest digest = Sha256("crafted");
  FakeTransport transport([&](const std::string& q) {
    return CraftedReply(q, digest, openssl_->tsa_pem);
  });
  TsaClientOptions o = Options();
  o.max_clock_skew.reset();  // the crafted genTime is fixed
  EXPECT_OK(TsaClient(&transport, o).Timestamp(digest, RealNow()));
}

TEST_F(TsaClientTest, GarbageIsRefused) {
  FakeTransport transport([](const std::string&) -> base::Result<std::string> {
    return std::string("<html>502 Bad Gateway</html>");
  });
  const base::Result<VerifiedTimestamp> r =
      TsaClient(&transport, Options()).Timestamp(Sha256("a"), RealNow());
  EXPECT_EQ(r.status().code(), Code::kCorruption);
  EXPECT_TRUE(Contains(r.status(), "タイムスタンプ応答として読めません")) << r.status().ToString();
  EXPECT_TRUE(Contains(r.status(), kUrl)) << r.status().ToString();
  EXPECT_TRUE(kura_test::IsJapaneseError(r));
}

TEST_F(TsaClientTest, ReplyForAnotherImprintIsRefused) {
  FakeTransport transport([](const std::string&) -> base::Result<std::string> {
    // A genuine reply, to somebody else's query.
    std::string out;
    kura_test::WriteFileOrDie(dir_->Join("other"), "other data");
    if (kura_test::Sh("openssl ts -query -data " + dir_->Join("other") +
                      " -sha256 -cert -out " + dir_->Join("other.tsq")) != 0) {
      return base::Status::Internal("openssl ts -query failed");
    }
    return OpensslReply(kura_test::ReadFileOrDie(dir_->Join("other.tsq")));
  });
  const base::Result<VerifiedTimestamp> r =
      TsaClient(&transport, Options()).Timestamp(Sha256("mine"), RealNow());
  EXPECT_EQ(r.status().code(), Code::kCorruption);
  EXPECT_TRUE(Contains(r.status(), "ハッシュが対象のデータと一致しません"))
      << r.status().ToString();
}

TEST_F(TsaClientTest, ReplyWithAnotherNonceIsRefused) {
  const Digest digest = Sha256("mine");
  FakeTransport transport([&](const std::string&) -> base::Result<std::string> {
    // Same imprint, but a fresh query (and so a fresh nonce): a replay.
    if (kura_test::Sh("openssl ts -query -digest " + digest.Hex() +
                      " -sha256 -cert -out " + dir_->Join("replay.tsq")) != 0) {
      return base::Status::Internal("openssl ts -query failed");
    }
    return OpensslReply(kura_test::ReadFileOrDie(dir_->Join("replay.tsq")));
  });
  const base::Result<VerifiedTimestamp> r =
      TsaClient(&transport, Options()).Timestamp(digest, RealNow());
  EXPECT_EQ(r.status().code(), Code::kCorruption);
  EXPECT_TRUE(Contains(r.status(), "ナンス（nonce）が要求と一致しません")) << r.status().ToString();
}

TEST_F(TsaClientTest, ReplyFromACertificateWithoutTheEkuIsRefused) {
  const Digest digest = Sha256("mine");
  FakeTransport transport([&](const std::string& q) {
    return CraftedReply(q, digest, openssl_->no_eku_pem);
  });
  TsaClientOptions o = Options();
  o.max_clock_skew.reset();
  const base::Result<VerifiedTimestamp> r =
      TsaClient(&transport, o).Timestamp(digest, RealNow());
  EXPECT_EQ(r.status().code(), Code::kCorruption);
  EXPECT_TRUE(Contains(r.status(), "拡張鍵用途 (extendedKeyUsage) がありません"))
      << r.status().ToString();
}

TEST_F(TsaClientTest, ReplyFromACertificateWithANonCriticalEkuIsRefused) {
  const Digest digest = Sha256("mine");
  FakeTransport transport([&](const std::string& q) {
    return CraftedReply(q, digest, openssl_->noncrit_pem);
  });
  TsaClientOptions o = Options();
  o.max_clock_skew.reset();
  const base::Result<VerifiedTimestamp> r =
      TsaClient(&transport, o).Timestamp(digest, RealNow());
  EXPECT_EQ(r.status().code(), Code::kCorruption);
  EXPECT_TRUE(Contains(r.status(), "timeStamping が critical ではありません"))
      << r.status().ToString();
}

TEST_F(TsaClientTest, UntrustedTsaIsRefused) {
  FakeTransport transport(&OpensslReply);
  TsaClientOptions o = Options();
  TsaIdentityOptions io;
  io.not_before = base::ParseRfc3339("2025-04-01T00:00:00Z").value();
  o.trusted_pem = GenerateTsaIdentity(io)->ca_cert_pem;
  const base::Result<VerifiedTimestamp> r =
      TsaClient(&transport, o).Timestamp(Sha256("a"), RealNow());
  EXPECT_EQ(r.status().code(), Code::kCorruption);
  EXPECT_TRUE(Contains(r.status(), "証明書チェーンを信頼できません")) << r.status().ToString();
}

TEST_F(TsaClientTest, RefusalByTheTsaIsUnavailable) {
  FakeTransport transport([](const std::string& q) {
    return kura_test::OpensslReply(*openssl_, openssl_->sha512_config, q);
  });
  const base::Result<VerifiedTimestamp> r =
      TsaClient(&transport, Options()).Timestamp(Sha256("a"), RealNow());
  EXPECT_EQ(r.status().code(), Code::kUnavailable);
  EXPECT_TRUE(Contains(r.status(),
                       "タイムスタンプ局が要求を受け付けませんでした: 拒否 "
                       "(rejection)、対応していないハッシュ方式 (badAlg)"))
      << r.status().ToString();
}

TEST_F(TsaClientTest, TransportErrorsArePassedOnWithContext) {
  FakeTransport transport([](const std::string&) -> base::Result<std::string> {
    return base::Status::Unavailable("connection refused");
  });
  const base::Result<VerifiedTimestamp> r =
      TsaClient(&transport, Options()).Timestamp(Sha256("a"), RealNow());
  EXPECT_EQ(r.status().code(), Code::kUnavailable);
  EXPECT_EQ(r.status().message(), std::string("タイムスタンプ局 ") + kUrl + ": connection refused");
}

// Against the built-in TSA with a fake clock on both sides.
TEST_F(TsaClientTest, GenTimeFarFromTheLocalClockIsRefused) {
  TsaIdentityOptions io;
  io.not_before = base::ParseRfc3339("2025-04-01T00:00:00Z").value();
  const TsaIdentity id = GenerateTsaIdentity(io).value();
  const std::unique_ptr<Tsa> tsa =
      Tsa::Create(id.tsa_key_pem, id.tsa_cert_pem).value();
  const base::Time local = base::ParseRfc3339("2026-11-22T09:00:00Z").value();
  base::Time tsa_time = local + std::chrono::minutes(4);
  FakeTransport transport(
      [&](const std::string& q) { return tsa->Respond(q, tsa_time); });
  TsaClientOptions o = Options();
  o.trusted_pem = id.ca_cert_pem;
  const TsaClient client(&transport, o);
  ASSERT_OK(client.Timestamp(Sha256("a"), local));
  tsa_time = local - std::chrono::minutes(6);
  const base::Result<VerifiedTimestamp> r =
      client.Timestamp(Sha256("a"), local);
  EXPECT_EQ(r.status().code(), Code::kFailedPrecondition);
  EXPECT_TRUE(Contains(r.status(), "がこのサーバーの時計")) << r.status().ToString();
}

TEST_F(TsaClientTest, EachRequestHasAFreshNonce) {
  std::set<std::string> nonces;
  FakeTransport transport([&](const std::string& q) {
    nonces.insert(kura_test::QueryNonceHex(dir_->path(), q));
    return OpensslReply(q);
  });
  const TsaClient client(&transport, Options());
  for (int i = 0; i < 5; ++i)
    ASSERT_OK(client.Timestamp(Sha256("a"), RealNow()));
  EXPECT_EQ(nonces.size(), 5u);
  EXPECT_EQ(nonces.count(""), 0u);
}

}  // namespace
}  // namespace signing

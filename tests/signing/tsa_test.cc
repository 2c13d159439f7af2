#include "signing/tsa.h"

#include <chrono>
#include <cstdio>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "signing/tsa_identity.h"
#include "signing/tsa_verify.h"
#include "tests/fakes/test_util.h"
#include "tests/signing/openssl_cli.h"

namespace signing {
namespace {

using Code = base::Status::Code;

const base::Time kNotBefore =
    base::ParseRfc3339("2025-04-01T00:00:00Z").value();
const base::Time kNow =
    base::ParseRfc3339("2026-11-22T09:15:00.123456Z").value();

bool Contains(const base::Status& s, const std::string& text) {
  return s.message().find(text) != std::string::npos;
}

class TsaTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    TsaIdentityOptions o;
    o.not_before = kNotBefore;
    identity_ = new TsaIdentity(GenerateTsaIdentity(o).value());
    stranger_ = new TsaIdentity(GenerateTsaIdentity(o).value());
  }
  static void TearDownTestSuite() {
    delete identity_;
    delete stranger_;
  }
  void SetUp() override {
    tsa_ = Tsa::Create(identity_->tsa_key_pem, identity_->tsa_cert_pem).value();
  }

  // Writes data, the response and the chain into dir_ and runs
  // `openssl ts -verify`; returns the exit status, *out gets the text.
  int OpensslVerify(const std::string& data, const std::string& response,
                    std::string* out) {
    kura_test::WriteFileOrDie(dir_.Join("data"), data);
    kura_test::WriteFileOrDie(dir_.Join("token.tsr"), response);
    kura_test::WriteFileOrDie(dir_.Join("chain.pem"), identity_->ChainPem());
    return kura_test::Sh("openssl ts -verify -data " + dir_.Join("data") +
                             " -in " + dir_.Join("token.tsr") + " -CAfile " +
                             dir_.Join("chain.pem"),
                         out);
  }

  static TsaIdentity* identity_;
  static TsaIdentity* stranger_;
  std::unique_ptr<Tsa> tsa_;
  kura_test::TempDir dir_;
};
TsaIdentity* TsaTest::identity_ = nullptr;
TsaIdentity* TsaTest::stranger_ = nullptr;

TEST_F(TsaTest, TokenVerifiesWithOpensslAndFailsForChangedData) {
  const std::string invoice = "%PDF-1.7 invoice 請求書 No. 42\n";
  base::Result<std::string> resp =
      tsa_->Timestamp(Sha256(invoice), std::nullopt, kNow);
  ASSERT_OK(resp);
  std::string out;
  EXPECT_EQ(OpensslVerify(invoice, *resp, &out), 0) << out;
  EXPECT_NE(out.find("Verification: OK"), std::string::npos) << out;

  std::string changed = invoice;
  changed[10] ^= 0x01;
  EXPECT_NE(OpensslVerify(changed, *resp, &out), 0);
  EXPECT_EQ(out.find("Verification: OK"), std::string::npos) << out;
  EXPECT_NE(out.find("Verification: FAILED"), std::string::npos) << out;
}

TEST_F(TsaTest, TokenContentsAsOpensslPrintsThem) {
  const Digest digest = Sha256("x");
  const std::string resp =
      tsa_->Timestamp(digest, 0x0123456789abcdefu, kNow).value();
  kura_test::WriteFileOrDie(dir_.Join("r.tsr"), resp);
  std::string text;
  ASSERT_EQ(
      kura_test::Sh("openssl ts -reply -text -in " + dir_.Join("r.tsr"), &text),
      0);
  EXPECT_NE(text.find("Status: Granted."), std::string::npos) << text;
  EXPECT_NE(text.find(std::string("Policy OID: ") + kKuraTsaPolicyOid),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("Hash Algorithm: sha256"), std::string::npos);
  EXPECT_NE(text.find("Time stamp: Nov 22 09:15:00.123456 2026 GMT"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("Accuracy: 0x01 seconds"), std::string::npos) << text;
  EXPECT_NE(text.find("Nonce: 0x0123456789ABCDEF"), std::string::npos) << text;
  EXPECT_NE(
      text.find(
          "TSA: DirName:/O=kura/CN=kura built-in time-stamping authority"),
      std::string::npos)
      << text;

  // The token carries the TSA certificate and signingCertificateV2.
  std::string cms;
  ASSERT_EQ(
      kura_test::Sh("openssl ts -reply -in " + dir_.Join("r.tsr") +
                        " -token_out -out " + dir_.Join("t.der") +
                        " && openssl cms -cmsout -print -inform DER -in " +
                        dir_.Join("t.der"),
                    &cms),
      0);
  EXPECT_NE(cms.find("id-smime-aa-signingCertificateV2"), std::string::npos);
  EXPECT_NE(cms.find("CN=kura built-in time-stamping authority"),
            std::string::npos);
}

TEST_F(TsaTest, VerifierReturnsWhatTheTokenSays) {
  const Digest digest = Sha256("document");
  const std::string resp = tsa_->Timestamp(digest, 77, kNow).value();
  TimestampVerifyOptions opts;
  opts.expected_nonce = 77;
  base::Result<TimestampInfo> info =
      VerifyTimestampResponse(resp, digest, identity_->ca_cert_pem, opts);
  ASSERT_OK(info);
  EXPECT_EQ(info->gen_time, kNow);
  EXPECT_EQ(info->policy_oid, kKuraTsaPolicyOid);
  EXPECT_EQ(info->imprint, digest);
  EXPECT_EQ(info->nonce, 77u);
  EXPECT_EQ(info->accuracy, std::chrono::seconds(1));
  EXPECT_EQ(info->tsa_subject,
            "CN=kura built-in time-stamping authority,O=kura");
  EXPECT_EQ(info->serial_hex.size(), 32u) << info->serial_hex;
  EXPECT_GE(info->serial_hex[0], '8');
  // The full chain works as the trust input too.
  EXPECT_OK(VerifyTimestampResponse(resp, digest, identity_->ChainPem()));
}

TEST_F(TsaTest, GenTimeIsTheInjectedTimeWithItsPrecision) {
  for (const char* t : {"2026-11-22T09:15:00Z", "2027-03-31T15:30:00.5Z",
                        "2035-12-31T23:59:59.999999Z"}) {
    const base::Time now = base::ParseRfc3339(t).value();
    const std::string resp =
        tsa_->Timestamp(Sha256(t), std::nullopt, now).value();
    base::Result<TimestampInfo> info =
        VerifyTimestampResponse(resp, Sha256(t), identity_->ca_cert_pem);
    ASSERT_OK(info);
    EXPECT_EQ(info->gen_time, now) << t;
  }
}

TEST_F(TsaTest, SerialNumbersAreUnique) {
  std::set<std::string> serials;
  for (int i = 0; i < 300; ++i) {
    const std::string resp =
        tsa_->Timestamp(Sha256("same"), std::nullopt, kNow).value();
    serials.insert(
        VerifyTimestampResponse(resp, Sha256("same"), identity_->ca_cert_pem)
            ->serial_hex);
  }
  EXPECT_EQ(serials.size(), 300u);
}

TEST_F(TsaTest, ConcurrentTimestampsAllVerify) {
  std::vector<std::thread> threads;
  std::vector<base::Status> results(4 * 25);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        const std::string data = std::to_string(t) + "/" + std::to_string(i);
        base::Result<std::string> resp = tsa_->Timestamp(Sha256(data), i, kNow);
        results[t * 25 + i] =
            resp.ok() ? kura_test::ToStatus(VerifyTimestampResponse(
                            *resp, Sha256(data), identity_->ca_cert_pem))
                      : resp.status();
      }
    });
  }
  for (std::thread& th : threads) th.join();
  for (const base::Status& s : results) EXPECT_OK(s);
}

TEST_F(TsaTest, ImprintMismatch) {
  const std::string resp =
      tsa_->Timestamp(Sha256("a"), std::nullopt, kNow).value();
  const base::Result<TimestampInfo> r =
      VerifyTimestampResponse(resp, Sha256("b"), identity_->ca_cert_pem);
  EXPECT_EQ(r.status().code(), Code::kCorruption);
  EXPECT_TRUE(Contains(r.status(), "ハッシュが対象のデータと一致しません"))
      << r.status().ToString();
}

TEST_F(TsaTest, NonceMismatchOrMissing) {
  TimestampVerifyOptions opts;
  opts.expected_nonce = 1;
  const std::string with = tsa_->Timestamp(Sha256("a"), 2, kNow).value();
  base::Result<TimestampInfo> r =
      VerifyTimestampResponse(with, Sha256("a"), identity_->ca_cert_pem, opts);
  EXPECT_TRUE(Contains(r.status(), "ナンス（nonce）が要求と一致しません")) << r.status().ToString();
  const std::string without =
      tsa_->Timestamp(Sha256("a"), std::nullopt, kNow).value();
  r = VerifyTimestampResponse(without, Sha256("a"), identity_->ca_cert_pem,
                              opts);
  EXPECT_TRUE(Contains(r.status(), "ナンス（nonce）がありません")) << r.status().ToString();
}

TEST_F(TsaTest, UntrustedChain) {
  const std::string resp =
      tsa_->Timestamp(Sha256("a"), std::nullopt, kNow).value();
  const base::Result<TimestampInfo> r =
      VerifyTimestampResponse(resp, Sha256("a"), stranger_->ca_cert_pem);
  EXPECT_EQ(r.status().code(), Code::kCorruption);
  EXPECT_TRUE(Contains(r.status(), "証明書チェーンを信頼できません")) << r.status().ToString();
}

TEST_F(TsaTest, ChainIsCheckedAtTheValidationTime) {
  const std::string resp =
      tsa_->Timestamp(Sha256("a"), std::nullopt, kNow).value();
  TimestampVerifyOptions opts;
  opts.validation_time =
      base::ParseRfc3339("2036-04-02T00:00:00Z").value();  // expired
  base::Result<TimestampInfo> r =
      VerifyTimestampResponse(resp, Sha256("a"), identity_->ca_cert_pem, opts);
  EXPECT_TRUE(Contains(r.status(), "証明書チェーンを信頼できません")) << r.status().ToString();
  EXPECT_TRUE(Contains(r.status(), "expired")) << r.status().ToString();
  // By default the chain is checked at genTime, which was within validity.
  EXPECT_OK(VerifyTimestampResponse(resp, Sha256("a"), identity_->ca_cert_pem));
}

TEST_F(TsaTest, ChangedSignatureOrContentIsSignatureInvalid) {
  const std::string resp =
      tsa_->Timestamp(Sha256("a"), std::nullopt, kNow).value();
  // The ECDSA signature value sits at the very end of the DER.
  std::string bad_sig = resp;
  bad_sig[bad_sig.size() - 3] ^= 0x20;
  base::Result<TimestampInfo> r =
      VerifyTimestampResponse(bad_sig, Sha256("a"), identity_->ca_cert_pem);
  EXPECT_EQ(r.status().code(), Code::kCorruption);
  EXPECT_TRUE(Contains(r.status(), "タイムスタンプの署名が正しくありません"))
      << r.status().ToString();

  // Move genTime by one second inside the signed TSTInfo.
  std::string moved = resp;
  const size_t at = moved.find("20261122091500");
  ASSERT_NE(at, std::string::npos);
  moved[at + 13] = '1';
  r = VerifyTimestampResponse(moved, Sha256("a"), identity_->ca_cert_pem);
  EXPECT_TRUE(Contains(r.status(), "タイムスタンプの署名が正しくありません"))
      << r.status().ToString();
}

TEST_F(TsaTest, GarbageIsNotATimeStampResp) {
  const std::string resp =
      tsa_->Timestamp(Sha256("a"), std::nullopt, kNow).value();
  for (const std::string& bad : {std::string("not DER at all"), std::string(),
                                 resp + "x", resp.substr(0, resp.size() - 1)}) {
    const base::Result<TimestampInfo> r =
        VerifyTimestampResponse(bad, Sha256("a"), identity_->ca_cert_pem);
    EXPECT_EQ(r.status().code(), Code::kCorruption);
    EXPECT_TRUE(Contains(r.status(), "タイムスタンプ応答として読めません"))
        << r.status().ToString();
  }
  EXPECT_EQ(VerifyTimestampResponse(resp, Sha256("a"), "").status().code(),
            Code::kInvalidArgument);
}

TEST_F(TsaTest, RespondAnswersOpensslQueriesAndRejectsBadOnes) {
  kura_test::WriteFileOrDie(dir_.Join("data"), "payload");
  ASSERT_EQ(kura_test::Sh("openssl ts -query -data " + dir_.Join("data") +
                          " -sha256 -cert -out " + dir_.Join("q.tsq")),
            0);
  base::Result<std::string> resp =
      tsa_->Respond(kura_test::ReadFileOrDie(dir_.Join("q.tsq")), kNow);
  ASSERT_OK(resp);
  kura_test::WriteFileOrDie(dir_.Join("r.tsr"), *resp);
  kura_test::WriteFileOrDie(dir_.Join("chain.pem"), identity_->ChainPem());
  std::string out;
  EXPECT_EQ(
      kura_test::Sh("openssl ts -verify -queryfile " + dir_.Join("q.tsq") +
                        " -in " + dir_.Join("r.tsr") + " -CAfile " +
                        dir_.Join("chain.pem"),
                    &out),
      0)
      << out;

  // SHA-1 is not accepted: a rejection response, which the verifier reports.
  ASSERT_EQ(kura_test::Sh("openssl ts -query -data " + dir_.Join("data") +
                          " -sha1 -out " + dir_.Join("q1.tsq")),
            0);
  resp = tsa_->Respond(kura_test::ReadFileOrDie(dir_.Join("q1.tsq")), kNow);
  ASSERT_OK(resp);
  base::Result<TimestampInfo> r =
      VerifyTimestampResponse(*resp, Sha256("payload"), identity_->ca_cert_pem);
  EXPECT_EQ(r.status().code(), Code::kFailedPrecondition);
  EXPECT_TRUE(Contains(r.status(),
                       "タイムスタンプ局が要求を受け付けませんでした: 拒否 "
                       "(rejection)、対応していないハッシュ方式 (badAlg)"))
      << r.status().ToString();

  resp = tsa_->Respond("garbage", kNow);
  ASSERT_OK(resp);
  r = VerifyTimestampResponse(*resp, Sha256("payload"), identity_->ca_cert_pem);
  EXPECT_TRUE(Contains(r.status(), "拒否 (rejection)、データ形式の誤り (badDataFormat)"))
      << r.status().ToString();
}

TEST_F(TsaTest, TimeOutsideTheCertificateIsRefused) {
  EXPECT_EQ(tsa_->Timestamp(Sha256("a"), std::nullopt,
                            base::ParseRfc3339("2025-03-31T23:59:59Z").value())
                .status()
                .code(),
            Code::kFailedPrecondition);
  EXPECT_EQ(tsa_->Timestamp(Sha256("a"), std::nullopt,
                            base::ParseRfc3339("2036-04-01T00:00:01Z").value())
                .status()
                .code(),
            Code::kFailedPrecondition);
}

TEST_F(TsaTest, CreateChecksKeyCertificateAndPolicy) {
  EXPECT_EQ(Tsa::Create(stranger_->tsa_key_pem, identity_->tsa_cert_pem)
                .status()
                .code(),
            Code::kInvalidArgument);
  // The root CA is no TSA certificate.
  EXPECT_EQ(Tsa::Create(identity_->ca_key_pem, identity_->ca_cert_pem)
                .status()
                .code(),
            Code::kInvalidArgument);
  TsaOptions bad;
  bad.policy_oid = "not an oid";
  EXPECT_EQ(Tsa::Create(identity_->tsa_key_pem, identity_->tsa_cert_pem, bad)
                .status()
                .code(),
            Code::kInvalidArgument);
  EXPECT_EQ(Tsa::Create("", identity_->tsa_cert_pem).status().code(),
            Code::kInvalidArgument);

  TsaOptions custom;
  custom.policy_oid = "1.2.392.1.2.3";
  custom.accuracy = std::chrono::milliseconds(250);
  auto tsa =
      Tsa::Create(identity_->tsa_key_pem, identity_->tsa_cert_pem, custom)
          .value();
  const std::string resp =
      tsa->Timestamp(Sha256("a"), std::nullopt, kNow).value();
  base::Result<TimestampInfo> info =
      VerifyTimestampResponse(resp, Sha256("a"), identity_->ca_cert_pem);
  ASSERT_OK(info);
  EXPECT_EQ(info->policy_oid, "1.2.392.1.2.3");
  EXPECT_EQ(info->accuracy, std::chrono::milliseconds(250));
}

// Not a test: prints how many tokens per second the built-in TSA makes next
// to raw ECDSA P-256 signatures per second with the same key. Run with
//   signing_test --gtest_also_run_disabled_tests --gtest_filter='*Throughput*'
TEST_F(TsaTest, DISABLED_Throughput) {
  using Clock = std::chrono::steady_clock;
  const auto seconds = [](Clock::duration d) {
    return std::chrono::duration<double>(d).count();
  };
  constexpr int kTokens = 3000;
  auto t0 = Clock::now();
  for (int i = 0; i < kTokens; ++i) {
    ASSERT_OK(tsa_->Timestamp(Sha256(std::to_string(i)), i, kNow));
  }
  const double tokens_per_s = kTokens / seconds(Clock::now() - t0);

  BIO* bio = ::BIO_new_mem_buf(identity_->tsa_key_pem.data(),
                               static_cast<int>(identity_->tsa_key_pem.size()));
  EVP_PKEY* key = ::PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
  ::BIO_free(bio);
  ASSERT_NE(key, nullptr);
  constexpr int kSigs = 10000;
  unsigned char sig[128];
  t0 = Clock::now();
  for (int i = 0; i < kSigs; ++i) {
    EVP_MD_CTX* ctx = ::EVP_MD_CTX_new();
    size_t len = sizeof sig;
    const std::string msg = std::to_string(i);
    ASSERT_EQ(::EVP_DigestSignInit(ctx, nullptr, ::EVP_sha256(), nullptr, key),
              1);
    ASSERT_EQ(
        ::EVP_DigestSign(ctx, sig, &len,
                         reinterpret_cast<const unsigned char*>(msg.data()),
                         msg.size()),
        1);
    ::EVP_MD_CTX_free(ctx);
  }
  const double sigs_per_s = kSigs / seconds(Clock::now() - t0);
  ::EVP_PKEY_free(key);

  constexpr int kVerifies = 1000;
  const std::string resp =
      tsa_->Timestamp(Sha256("v"), std::nullopt, kNow).value();
  t0 = Clock::now();
  for (int i = 0; i < kVerifies; ++i) {
    ASSERT_OK(
        VerifyTimestampResponse(resp, Sha256("v"), identity_->ca_cert_pem));
  }
  const double verifies_per_s = kVerifies / seconds(Clock::now() - t0);

  const std::string big(64 << 20, 'k');
  t0 = Clock::now();
  const Digest d = Sha256(big);
  const double sha_mb_s = 64 / seconds(Clock::now() - t0);
  std::printf(
      "built-in TSA: %.0f tokens/s; raw ECDSA P-256 (same key): %.0f "
      "signatures/s; "
      "ratio %.2f; VerifyTimestampResponse: %.0f/s; SHA-256: %.0f MB/s "
      "(%s...)\n",
      tokens_per_s, sigs_per_s, tokens_per_s / sigs_per_s, verifies_per_s,
      sha_mb_s, d.Hex().substr(0, 8).c_str());
}

}  // namespace
}  // namespace signing

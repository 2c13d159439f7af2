// TimestampVerifier's memory of TSA certificates: once a token has passed
// the full check, later tokens carrying the same certificate skip decoding
// it and verifying its chain. These tests check that this never accepts
// what VerifyTimestampResponse (a fresh verifier, full check) refuses, and
// that the errors stay the same.
#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/ts.h>
#include <openssl/x509.h>

#include "signing/tsa.h"
#include "signing/tsa_identity.h"
#include "signing/tsa_verify.h"
#include "tests/fakes/test_util.h"
#include "tests/signing/openssl_cli.h"

namespace signing {
namespace {

const base::Time kNotBefore = base::ParseRfc3339("2025-04-01T00:00:00Z").value();
const base::Time kNow = base::ParseRfc3339("2026-11-22T09:15:00.123456Z").value();

bool Contains(const base::Status& s, const std::string& text) {
  return s.message().find(text) != std::string::npos;
}

// The token re-signed: the same TSTInfo, certificate and signed attributes
// (ESS signing-certificate-v2 included, so it still names the embedded
// certificate), with the signature value replaced by one from key_pem. With
// another key than the certificate's, a forgery that only the signature
// check itself can catch.
std::string Resign(const std::string& der, const std::string& key_pem) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  TS_RESP* resp = d2i_TS_RESP(nullptr, &p, static_cast<long>(der.size()));  // NOLINT
  EXPECT_NE(resp, nullptr);
  if (resp == nullptr) return "";
  PKCS7* token = TS_RESP_get_token(resp);
  PKCS7_SIGNER_INFO* si = sk_PKCS7_SIGNER_INFO_value(PKCS7_get_signer_info(token), 0);
  unsigned char* attrs = nullptr;
  const int attrs_len =
      ASN1_item_i2d(reinterpret_cast<ASN1_VALUE*>(si->auth_attr), &attrs,
                    ASN1_ITEM_rptr(PKCS7_ATTR_VERIFY));
  BIO* kb = BIO_new_mem_buf(key_pem.data(), static_cast<int>(key_pem.size()));
  EVP_PKEY* key = PEM_read_bio_PrivateKey(kb, nullptr, nullptr, nullptr);
  BIO_free(kb);
  EVP_MD_CTX* md = EVP_MD_CTX_new();
  size_t sig_len = 0;
  EXPECT_EQ(EVP_DigestSignInit(md, nullptr, EVP_sha256(), nullptr, key), 1);
  EXPECT_EQ(EVP_DigestSign(md, nullptr, &sig_len, attrs, static_cast<size_t>(attrs_len)), 1);
  std::string sig(sig_len, '\0');
  EXPECT_EQ(EVP_DigestSign(md, reinterpret_cast<unsigned char*>(sig.data()), &sig_len, attrs,
                           static_cast<size_t>(attrs_len)),
            1);
  sig.resize(sig_len);
  ASN1_OCTET_STRING_set(si->enc_digest, reinterpret_cast<const unsigned char*>(sig.data()),
                        static_cast<int>(sig.size()));
  unsigned char* out = nullptr;
  const int out_len = i2d_TS_RESP(resp, &out);
  std::string result(reinterpret_cast<char*>(out), static_cast<size_t>(out_len));
  OPENSSL_free(out);
  OPENSSL_free(attrs);
  EVP_MD_CTX_free(md);
  EVP_PKEY_free(key);
  TS_RESP_free(resp);
  return result;
}

class TsaVerifierTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    TsaIdentityOptions o;
    o.not_before = kNotBefore;
    identity_ = new TsaIdentity(GenerateTsaIdentity(o).value());
    // Same names, other keys: a look-alike TSA and CA.
    stranger_ = new TsaIdentity(GenerateTsaIdentity(o).value());
  }
  static void TearDownTestSuite() {
    delete identity_;
    delete stranger_;
  }
  void SetUp() override {
    tsa_ = Tsa::Create(identity_->tsa_key_pem, identity_->tsa_cert_pem).value();
    verifier_ = std::make_unique<TimestampVerifier>(
        TimestampVerifier::Create(identity_->ca_cert_pem).value());
  }

  std::string Stamp(const std::string& data) {
    return tsa_->Timestamp(Sha256(data), std::nullopt, kNow).value();
  }

  // A good token through the verifier, so that it remembers the certificate.
  void Prime() {
    ASSERT_OK(verifier_->Verify(Stamp("prime"), Sha256("prime")));
    ASSERT_EQ(verifier_->GetStats().signers, 1u);
  }

  static TsaIdentity* identity_;
  static TsaIdentity* stranger_;
  std::unique_ptr<Tsa> tsa_;
  std::unique_ptr<TimestampVerifier> verifier_;
};
TsaIdentity* TsaVerifierTest::identity_ = nullptr;
TsaIdentity* TsaVerifierTest::stranger_ = nullptr;

TEST_F(TsaVerifierTest, LaterTokensFromTheSameCertificateTakeTheFastPath) {
  Prime();
  for (int i = 0; i < 5; ++i) {
    const std::string data = "doc " + std::to_string(i);
    const base::Result<TimestampInfo> cached = verifier_->Verify(Stamp(data), Sha256(data));
    ASSERT_OK(cached);
    EXPECT_EQ(cached->imprint, Sha256(data));
    EXPECT_EQ(cached->gen_time, kNow);
    EXPECT_EQ(cached->tsa_subject, "CN=kura built-in time-stamping authority,O=kura");
  }
  const TimestampVerifier::Stats s = verifier_->GetStats();
  EXPECT_EQ(s.signers, 1u);
  EXPECT_EQ(s.fast, 5u);
  EXPECT_EQ(s.full, 1u);
  // What the fast path returns is what the full check returns.
  const std::string token = Stamp("same");
  const TimestampInfo fast = verifier_->Verify(token, Sha256("same")).value();
  const TimestampInfo full =
      VerifyTimestampResponse(token, Sha256("same"), identity_->ca_cert_pem).value();
  EXPECT_EQ(fast.serial_hex, full.serial_hex);
  EXPECT_EQ(fast.gen_time, full.gen_time);
  EXPECT_EQ(fast.policy_oid, full.policy_oid);
  EXPECT_EQ(fast.imprint, full.imprint);
  EXPECT_EQ(fast.nonce, full.nonce);
  EXPECT_EQ(fast.accuracy, full.accuracy);
  EXPECT_EQ(fast.tsa_subject, full.tsa_subject);
}

// Every single changed byte, anywhere in the response: the verifier that
// remembers the certificate gives exactly the verdict and error of a fresh
// one.
TEST_F(TsaVerifierTest, EveryChangedByteGetsTheVerdictOfAFreshVerifier) {
  Prime();
  const std::string good = Stamp("a");
  ASSERT_OK(verifier_->Verify(good, Sha256("a")));
  size_t refused = 0;
  for (size_t i = 0; i < good.size(); ++i) {
    std::string bad = good;
    bad[i] = static_cast<char>(bad[i] ^ 0x01);
    const base::Result<TimestampInfo> cached = verifier_->Verify(bad, Sha256("a"));
    const base::Result<TimestampInfo> fresh =
        VerifyTimestampResponse(bad, Sha256("a"), identity_->ca_cert_pem);
    ASSERT_EQ(cached.ok(), fresh.ok()) << "byte " << i << ": " << cached.status().ToString()
                                       << " vs " << fresh.status().ToString();
    EXPECT_EQ(cached.status().ToString(), fresh.status().ToString()) << "byte " << i;
    refused += !cached.ok();
  }
  // Only a handful of bytes are covered neither by the signature nor by the
  // chain and still decode; OpenSSL accepts them either way (status granted
  // → grantedWithMods, the SignedData and SignerInfo versions, the NULL
  // digest parameters, the SignerInfo's signature algorithm OID).
  EXPECT_GT(refused, good.size() - 16);
  EXPECT_GT(verifier_->GetStats().fast, 0u);
}

TEST_F(TsaVerifierTest, WrongImprintAndNonceStillFail) {
  Prime();
  base::Result<TimestampInfo> r = verifier_->Verify(Stamp("a"), Sha256("b"));
  EXPECT_EQ(r.status().code(), base::Status::Code::kCorruption);
  EXPECT_TRUE(Contains(r.status(), "ハッシュが対象のデータと一致しません"))
      << r.status().ToString();
  TimestampVerifyOptions opts;
  opts.expected_nonce = 7;
  r = verifier_->Verify(tsa_->Timestamp(Sha256("a"), 8, kNow).value(), Sha256("a"), opts);
  EXPECT_TRUE(Contains(r.status(), "ナンス（nonce）が要求と一致しません")) << r.status().ToString();
  r = verifier_->Verify(Stamp("a"), Sha256("a"), opts);
  EXPECT_TRUE(Contains(r.status(), "ナンス（nonce）がありません")) << r.status().ToString();
  opts.expected_nonce = 8;
  EXPECT_OK(verifier_->Verify(tsa_->Timestamp(Sha256("a"), 8, kNow).value(), Sha256("a"), opts));
}

// A look-alike TSA (same subject names, its own CA) after a good token.
TEST_F(TsaVerifierTest, UntrustedCertificateWithTheSameSubjectFailsAfterAGoodToken) {
  Prime();
  const std::unique_ptr<Tsa> other =
      Tsa::Create(stranger_->tsa_key_pem, stranger_->tsa_cert_pem).value();
  const base::Result<TimestampInfo> r =
      verifier_->Verify(other->Timestamp(Sha256("a"), std::nullopt, kNow).value(), Sha256("a"));
  EXPECT_EQ(r.status().code(), base::Status::Code::kCorruption);
  EXPECT_TRUE(Contains(r.status(), "証明書チェーンを信頼できません")) << r.status().ToString();
  EXPECT_EQ(verifier_->GetStats().signers, 1u);
}

// The remembered certificate, embedded and bound by the ESS attribute, but
// the signature made with another key: the fast path's own signature check
// must refuse it.
TEST_F(TsaVerifierTest, TrustedCertificateSignedByAnotherKeyFails) {
  Prime();
  const std::string forged = Resign(Stamp("a"), stranger_->tsa_key_pem);
  ASSERT_FALSE(forged.empty());
  const uint64_t fast_before = verifier_->GetStats().fast;
  const base::Result<TimestampInfo> r = verifier_->Verify(forged, Sha256("a"));
  EXPECT_EQ(r.status().code(), base::Status::Code::kCorruption);
  EXPECT_TRUE(Contains(r.status(), "タイムスタンプの署名が正しくありません"))
      << r.status().ToString();
  EXPECT_EQ(verifier_->GetStats().fast, fast_before);
  // The control: the same construction with the right key passes, through
  // the fast path.
  EXPECT_OK(verifier_->Verify(Resign(Stamp("a"), identity_->tsa_key_pem), Sha256("a")));
  EXPECT_EQ(verifier_->GetStats().fast, fast_before + 1);
}

TEST_F(TsaVerifierTest, ValidationTimeOutsideTheCertificateFailsAfterAGoodToken) {
  Prime();
  const std::string token = Stamp("a");
  TimestampVerifyOptions opts;
  opts.validation_time = base::ParseRfc3339("2036-04-02T00:00:00Z").value();  // expired
  const base::Result<TimestampInfo> r = verifier_->Verify(token, Sha256("a"), opts);
  EXPECT_TRUE(Contains(r.status(), "証明書チェーンを信頼できません")) << r.status().ToString();
  EXPECT_TRUE(Contains(r.status(), "expired")) << r.status().ToString();
  opts.validation_time = base::ParseRfc3339("2025-03-01T00:00:00Z").value();  // not yet valid
  EXPECT_FALSE(verifier_->Verify(token, Sha256("a"), opts).ok());
  EXPECT_OK(verifier_->Verify(token, Sha256("a")));
}

// The boundaries of the certificates' validity, where OpenSSL's "<=" in
// X509_cmp_time decides: valid from notBefore (inclusive) to notAfter
// (exclusive). The fast path must agree with a fresh verifier there.
TEST_F(TsaVerifierTest, ValidityBoundariesAgreeWithAFreshVerifier) {
  Prime();
  const std::string token = Stamp("a");
  for (const char* at : {"2025-03-31T23:59:59Z", "2025-04-01T00:00:00Z", "2025-04-01T00:00:01Z",
                         "2036-03-31T23:59:59Z", "2036-04-01T00:00:00Z", "2036-04-01T00:00:01Z",
                         "2045-03-31T23:59:59Z", "2045-04-01T00:00:00Z"}) {
    TimestampVerifyOptions opts;
    opts.validation_time = base::ParseRfc3339(at).value();
    const base::Result<TimestampInfo> cached = verifier_->Verify(token, Sha256("a"), opts);
    const base::Result<TimestampInfo> fresh =
        VerifyTimestampResponse(token, Sha256("a"), identity_->ca_cert_pem, opts);
    EXPECT_EQ(cached.ok(), fresh.ok()) << at;
    EXPECT_EQ(cached.status().ToString(), fresh.status().ToString()) << at;
  }
}

// Tokens from an OpenSSL TSA: the same key and subject, once with the
// proper certificate, then with one lacking the EKU or its criticality.
TEST_F(TsaVerifierTest, CertificateWithoutCriticalEkuFailsAfterAGoodToken) {
  kura_test::TempDir dir;
  kura_test::OpensslTsa openssl;
  std::string error;
  ASSERT_TRUE(kura_test::MakeOpensslTsa(dir.path(), &openssl, &error)) << error;
  const TimestampVerifier v =
      TimestampVerifier::Create(kura_test::ReadFileOrDie(openssl.ca_pem)).value();
  const Digest digest = Sha256("crafted");
  // The crafted genTime is fixed and the certificates were made just now:
  // validate now (a little later, in case the clock's second turns).
  TimestampVerifyOptions now;
  now.validation_time = base::SystemClock().Now() + std::chrono::seconds(5);
  const auto crafted = [&](const std::string& cert) {
    return kura_test::WrapTokenInResponse(kura_test::CraftToken(
        dir.path(), cert, openssl.tsa_key, digest.Hex(), "", "1.2.3.4.1"));
  };
  ASSERT_OK(v.Verify(crafted(openssl.tsa_pem), digest, now));
  ASSERT_OK(v.Verify(crafted(openssl.tsa_pem), digest, now));
  EXPECT_EQ(v.GetStats().signers, 1u);
  EXPECT_EQ(v.GetStats().fast, 1u);
  base::Result<TimestampInfo> r = v.Verify(crafted(openssl.no_eku_pem), digest, now);
  EXPECT_TRUE(Contains(r.status(), "拡張鍵用途 (extendedKeyUsage) がありません"))
      << r.status().ToString();
  r = v.Verify(crafted(openssl.noncrit_pem), digest, now);
  EXPECT_TRUE(Contains(r.status(), "timeStamping が critical ではありません"))
      << r.status().ToString();
  EXPECT_EQ(v.GetStats().signers, 1u);
}

TEST_F(TsaVerifierTest, ManyThreadsShareTheMemory) {
  std::vector<std::string> tokens;
  for (int i = 0; i < 64; ++i) tokens.push_back(Stamp("doc " + std::to_string(i)));
  std::atomic<size_t> next{0}, good{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (size_t i; (i = next.fetch_add(1)) < tokens.size();) {
        good += verifier_->Verify(tokens[i], Sha256("doc " + std::to_string(i))).ok();
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(good.load(), tokens.size());
  const TimestampVerifier::Stats s = verifier_->GetStats();
  EXPECT_EQ(s.signers, 1u);
  EXPECT_EQ(s.fast + s.full, tokens.size());
  EXPECT_GE(s.fast, tokens.size() - 4);
}

}  // namespace
}  // namespace signing

// Differential libFuzzer target: TimestampVerifier's fast path against the
// full check (signing/tsa_verify.h).
//
// A TimestampVerifier that has already accepted a good token remembers that
// token's TSA certificate and checks later tokens carrying the same
// certificate on a fast path: its own DER walker cuts the certificate out of
// the TimeStampResp and OpenSSL decodes only the rest. The header promises
// that Verify is "exactly VerifyTimestampResponse(...), errors included".
// This target holds it to that, the way transparency-dev/merkle fuzzes its
// compact ranges against a reference tree: for every input, a warmed-up
// verifier (asked twice, so that a certificate the first call learnt is
// used by the second) must give the verdict of a fresh
// VerifyTimestampResponse with the same trust, digest and options: the same
// acceptance and TimestampInfo, or the same error. Any difference aborts,
// printing both answers and the input.
//
// Input: one options byte, then the DER response.
//   bit 0     trust: the root CA only, or the TSA certificate and the root
//   bits 1-2  expected nonce: none / the token's / the token's ^ 1 / zero
//   bits 3-5  validation time: genTime (0) or one of seven instants at the
//             edges of the fixture certificates' validity
//   bit 6     digest: the token's own imprint (read with
//             InspectTimestampResponse), or another
// Inputs are made by the structure-aware mutator of tsa_mutator.h, which
// changes nodes inside the DER and mostly signs the result again with the
// fixture's keys, so that they get past the signature.
//
// The fixture (tests/fuzz/data/tsa: a test-only root CA and TSA, keys
// included) is found through $KURA_FUZZ_TSA_FIXTURE, else the source path
// compiled in. Seeds: tests/fuzz/corpus/tsa_verify, written by
// make_tsa_seeds. With $KURA_FUZZ_VERBOSE set, every verdict is printed
// (to look at single inputs: `KURA_FUZZ_VERBOSE=1 tsa_verify_fuzzer
// FILE...`). Run (docs/BENCHMARKS.md has the recorded runs):
//   mkdir -p /tmp/tsa-corpus
//   build-fuzz/tests/fuzz/tsa_verify_fuzzer /tmp/tsa-corpus \
//     tests/fuzz/corpus/tsa_verify -max_total_time=1800 -max_len=8192 \
//     -timeout=10 -rss_limit_mb=2048
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "base/hex.h"
#include "base/time.h"
#include "signing/sha256.h"
#include "signing/tsa.h"
#include "signing/tsa_verify.h"
#include "tests/fuzz/der_tree.h"
#include "tests/fuzz/tsa_mutator.h"

#ifndef KURA_FUZZ_TSA_FIXTURE
#define KURA_FUZZ_TSA_FIXTURE "tests/fuzz/data/tsa"
#endif

namespace {

using kura_fuzz::DerNode;
using signing::Digest;
using signing::TimestampInfo;
using signing::TimestampVerifier;
using signing::TimestampVerifyOptions;

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { ::EVP_PKEY_free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "tsa_verify_fuzzer: %s\n", what.c_str());
  std::abort();
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) Die("cannot read " + path + " (set KURA_FUZZ_TSA_FIXTURE)");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

PkeyPtr KeyFromPem(const std::string& pem) {
  BIO* b = ::BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  PkeyPtr key(::PEM_read_bio_PrivateKey(b, nullptr, nullptr, nullptr));
  ::BIO_free(b);
  if (!key) Die("unreadable private key");
  return key;
}

// The DER of the first certificate in pem, and its validity as time_t.
struct CertInfo {
  std::string der;
  time_t not_before = 0, not_after = 0;
};

CertInfo ReadCert(const std::string& pem) {
  BIO* b = ::BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  X509* x = ::PEM_read_bio_X509(b, nullptr, nullptr, nullptr);
  ::BIO_free(b);
  if (x == nullptr) Die("unreadable certificate");
  CertInfo info;
  unsigned char* der = nullptr;
  const int len = ::i2d_X509(x, &der);
  info.der.assign(reinterpret_cast<char*>(der), static_cast<size_t>(len));
  ::OPENSSL_free(der);
  struct tm nb {
  }, na{};
  ::ASN1_TIME_to_tm(::X509_get0_notBefore(x), &nb);
  ::ASN1_TIME_to_tm(::X509_get0_notAfter(x), &na);
  info.not_before = ::timegm(&nb);
  info.not_after = ::timegm(&na);
  ::X509_free(x);
  return info;
}

// ---------------------------------------------------------------------------
// The fixture and the two warmed-up verifiers.

struct Fixture {
  std::string trust_pem[2];  // root only; TSA certificate + root
  PkeyPtr tsa_key, ca_key;
  kura_fuzz::TsaMutatorContext mutator;  // good tokens, their subtrees, the keys
  std::unique_ptr<signing::Tsa> tsa;
  std::string warm_token;
  Digest warm_digest;
  std::vector<base::Time> instants;  // validation times, options bits 3-5
  std::unique_ptr<TimestampVerifier> warm[2];

  // Counters, printed now and then.
  uint64_t inputs = 0, accepted = 0, fast_accepts = 0, second_fast = 0, rewarms = 0;
  bool verbose = false;  // $KURA_FUZZ_VERBOSE: print every verdict
};

Fixture* fixture = nullptr;

void Warm(int trust) {
  auto v = TimestampVerifier::Create(fixture->trust_pem[trust]);
  if (!v.ok()) Die("verifier: " + v.status().ToString());
  fixture->warm[trust] = std::make_unique<TimestampVerifier>(std::move(*v));
  const auto r = fixture->warm[trust]->Verify(fixture->warm_token, fixture->warm_digest);
  if (!r.ok()) Die("warm-up token refused: " + r.status().ToString());
  if (fixture->warm[trust]->GetStats().signers != 1) Die("warm-up remembered no certificate");
}

void AddToPool(const std::string& der) {
  std::optional<DerNode> tree = kura_fuzz::ParseDer(der);
  if (!tree) Die("pool token does not parse");
  std::vector<DerNode*> nodes;
  kura_fuzz::CollectNodes(&*tree, &nodes);
  for (DerNode* n : nodes) fixture->mutator.pool.push_back(*n);
}

void Init() {
  const char* env = std::getenv("KURA_FUZZ_TSA_FIXTURE");
  const std::string dir = env != nullptr ? env : KURA_FUZZ_TSA_FIXTURE;
  fixture = new Fixture;
  fixture->verbose = std::getenv("KURA_FUZZ_VERBOSE") != nullptr;
  const std::string ca_cert = ReadFile(dir + "/ca_cert.pem");
  const std::string tsa_cert = ReadFile(dir + "/tsa_cert.pem");
  const std::string tsa_key = ReadFile(dir + "/tsa_key.pem");
  fixture->trust_pem[0] = ca_cert;
  fixture->trust_pem[1] = tsa_cert + ca_cert;
  fixture->tsa_key = KeyFromPem(tsa_key);
  fixture->ca_key = KeyFromPem(ReadFile(dir + "/ca_key.pem"));
  auto tsa = signing::Tsa::Create(tsa_key, tsa_cert);
  if (!tsa.ok()) Die("tsa: " + tsa.status().ToString());
  fixture->tsa = std::move(*tsa);
  const base::Time now = base::ParseRfc3339("2026-11-22T09:15:00.123456Z").value();
  fixture->warm_digest = signing::Sha256("warm-up");
  auto token = fixture->tsa->Timestamp(fixture->warm_digest, std::nullopt, now);
  if (!token.ok()) Die("token: " + token.status().ToString());
  fixture->warm_token = *token;

  const CertInfo ca = ReadCert(ca_cert), leaf = ReadCert(tsa_cert);
  const auto at = [](time_t t, int delta_s) {
    return base::Time(std::chrono::seconds(t + delta_s));
  };
  fixture->instants = {at(leaf.not_before, -1),
                       at(leaf.not_before, 0),
                       at(leaf.not_after, -1),
                       at(leaf.not_after, 0),
                       at(ca.not_after, -1),
                       at(ca.not_after, 0),
                       at(leaf.not_before, 0) + std::chrono::microseconds(999999)};

  fixture->mutator.good.push_back(fixture->warm_token);
  fixture->mutator.good.push_back(
      *fixture->tsa->Timestamp(fixture->warm_digest, 0x0102030405060708u, now));
  signing::TsaOptions other;
  other.accuracy = std::chrono::microseconds(1500);
  other.policy_oid = "1.2.3.4.5";
  auto other_tsa = signing::Tsa::Create(tsa_key, tsa_cert, other);
  if (!other_tsa.ok()) Die("tsa: " + other_tsa.status().ToString());
  fixture->mutator.good.push_back(*(*other_tsa)->Timestamp(signing::Sha256("other"), 0u, now));
  for (const std::string& t : fixture->mutator.good) AddToPool(t);
  AddToPool(ca.der);
  AddToPool(leaf.der);
  fixture->mutator.tsa_key = fixture->tsa_key.get();
  fixture->mutator.ca_key = fixture->ca_key.get();
  Warm(0);
  Warm(1);
}

// ---------------------------------------------------------------------------
// The differential check.

std::string Describe(const base::Result<TimestampInfo>& r) {
  if (!r.ok()) return "REJECT " + r.status().ToString();
  const TimestampInfo& i = *r;
  std::string s = "ACCEPT serial=" + i.serial_hex + " gen_time=" + base::FormatRfc3339(i.gen_time) +
                  " policy=" + i.policy_oid + " imprint=" + i.imprint.Hex() +
                  " nonce=" + (i.nonce ? std::to_string(*i.nonce) : "none") +
                  " accuracy_us=" + (i.accuracy ? std::to_string(i.accuracy->count()) : "none") +
                  " tsa_subject=" + i.tsa_subject;
  return s;
}

bool Same(const base::Result<TimestampInfo>& a, const base::Result<TimestampInfo>& b) {
  if (a.ok() != b.ok()) return false;
  if (!a.ok()) {
    return a.status().code() == b.status().code() && a.status().message() == b.status().message();
  }
  return a->serial_hex == b->serial_hex && a->gen_time == b->gen_time &&
         a->policy_oid == b->policy_oid && a->imprint == b->imprint && a->nonce == b->nonce &&
         a->accuracy == b->accuracy && a->tsa_subject == b->tsa_subject;
}

// Coverage feedback from OpenSSL, which is not instrumented: each distinct
// verdict (the reference's error with numbers and hex blanked out, which
// path of the warmed-up verifier answered, the options) lights one of
// libFuzzer's extra counters, so that an input reaching a new check inside
// OpenSSL counts as new coverage and stays in the corpus.
__attribute__((section("__libfuzzer_extra_counters"))) uint8_t verdict_counters[1 << 14];

void NoteVerdict(const base::Result<TimestampInfo>& reference, uint64_t fast_first,
                 uint64_t fast_second, uint8_t opts) {
  std::string key = reference.ok() ? "ok" : reference.status().message();
  for (char& c : key) {
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')) c = '#';
  }
  key += static_cast<char>('0' + fast_first) + std::string(1, static_cast<char>('0' + fast_second));
  // The options only as far as they change what is checked.
  key += static_cast<char>((opts & 0x41) | (((opts >> 1) & 3) != 0 ? 2 : 0) |
                           (((opts >> 3) & 7) != 0 ? 4 : 0));
  uint32_t h = 2166136261u;  // FNV-1a
  for (char c : key) h = (h ^ static_cast<uint8_t>(c)) * 16777619u;
  uint8_t& counter = verdict_counters[h % sizeof verdict_counters];
  if (counter < 255) ++counter;
}

void MaybePrintCounters() {
  const uint64_t n = fixture->inputs;
  if ((n & (n - 1)) != 0 || n < 1024) return;
  std::fprintf(stderr,
               "tsa_verify_fuzzer: %llu inputs: %llu accepted by the reference, %llu accepted on "
               "the fast path (first call), %llu fast on the second call only, %llu re-warmed\n",
               static_cast<unsigned long long>(n),  // NOLINT
               static_cast<unsigned long long>(fixture->accepted),
               static_cast<unsigned long long>(fixture->fast_accepts),
               static_cast<unsigned long long>(fixture->second_fast),
               static_cast<unsigned long long>(fixture->rewarms));
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  Init();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const uint8_t opts = data[0];
  const std::string_view der(reinterpret_cast<const char*>(data) + 1, size - 1);
  const int trust = opts & 1;

  // What the token says, to make the digest and nonce it is checked against.
  const base::Result<TimestampInfo> said = signing::InspectTimestampResponse(der);
  Digest digest = signing::Sha256("another document");
  if ((opts & 0x40) == 0 && said.ok()) digest = said->imprint;
  TimestampVerifyOptions vo;
  const std::optional<uint64_t> nonce = said.ok() ? said->nonce : std::nullopt;
  switch ((opts >> 1) & 3) {
    case 0:
      break;
    case 1:
      vo.expected_nonce = nonce.value_or(12345);
      break;
    case 2:
      vo.expected_nonce = nonce.value_or(0) ^ 1;
      break;
    default:
      vo.expected_nonce = 0;
      break;
  }
  if (const int t = (opts >> 3) & 7; t != 0) vo.validation_time = fixture->instants[t - 1];

  const base::Result<TimestampInfo> reference =
      signing::VerifyTimestampResponse(der, digest, fixture->trust_pem[trust], vo);
  TimestampVerifier& warm = *fixture->warm[trust];
  const TimestampVerifier::Stats s0 = warm.GetStats();
  const base::Result<TimestampInfo> first = warm.Verify(der, digest, vo);
  const TimestampVerifier::Stats s1 = warm.GetStats();
  const base::Result<TimestampInfo> second = warm.Verify(der, digest, vo);
  const TimestampVerifier::Stats s2 = warm.GetStats();
  ++fixture->inputs;
  fixture->accepted += reference.ok();
  fixture->fast_accepts += s1.fast - s0.fast;
  fixture->second_fast += (s2.fast - s1.fast) > (s1.fast - s0.fast);

  NoteVerdict(reference, s1.fast - s0.fast, s2.fast - s1.fast, opts);
  if (fixture->verbose) {
    std::fprintf(stderr, "options 0x%02x: reference %s; warmed-up: fast path %s, then %s\n", opts,
                 Describe(reference).c_str(), s1.fast > s0.fast ? "accepted" : "not taken",
                 s2.fast > s1.fast ? "accepted" : "not taken");
  }

  for (const auto* got : {&first, &second}) {
    if (!Same(*got, reference)) {
      std::fprintf(
          stderr,
          "\n=== DIFFERENCE (%s call of the warmed-up verifier) ===\n"
          "options: 0x%02x (trust %s, nonce %s, validation time %s, digest %s)\n"
          "response (hex): %s\n"
          "warmed-up verifier: %s\n  (stats before: fast %llu full %llu signers %llu;"
          " after first: fast %llu full %llu; after second: fast %llu full %llu)\n"
          "reference VerifyTimestampResponse: %s\n",
          got == &first ? "first" : "second", opts, trust ? "TSA+root" : "root",
          vo.expected_nonce ? std::to_string(*vo.expected_nonce).c_str() : "none",
          vo.validation_time ? base::FormatRfc3339(*vo.validation_time).c_str() : "genTime",
          digest.Hex().c_str(), base::HexEncode(der).c_str(), Describe(*got).c_str(),
          static_cast<unsigned long long>(s0.fast),  // NOLINT
          static_cast<unsigned long long>(s0.full), static_cast<unsigned long long>(s0.signers),
          static_cast<unsigned long long>(s1.fast), static_cast<unsigned long long>(s1.full),
          static_cast<unsigned long long>(s2.fast), static_cast<unsigned long long>(s2.full),
          Describe(reference).c_str());
      std::abort();
    }
  }
  // A token with another certificate that the full check accepted was
  // remembered: start from the one warm-up certificate again, so that every
  // input is judged from the same state (and crashes reproduce).
  if (s2.signers != 1) {
    Warm(trust);
    ++fixture->rewarms;
  }
  ::ERR_clear_error();
  MaybePrintCounters();
  return 0;
}

extern "C" size_t LLVMFuzzerCustomMutator(uint8_t* data, size_t size, size_t max_size,
                                          unsigned int seed) {
  return kura_fuzz::MutateTsaInput(fixture->mutator, data, size, max_size, seed);
}

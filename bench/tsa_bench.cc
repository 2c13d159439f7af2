// Built-in RFC 3161 TSA throughput beside its limit.
//
//   build/bench/tsa_bench [--seconds S]
//
// With one key from signing::GenerateTsaIdentity (ECDSA P-256), measures in
// the same run, single-threaded, about S seconds each (default 2):
//   limit: raw ECDSA P-256 signatures over a 32-byte digest with that key
//          (OpenSSL EVP_PKEY_sign: no hashing, no encoding), and raw verifies
//   kura:  signing::Tsa::Timestamp over random digests (a complete DER
//          TimeStampResp: TSTInfo, CMS SignedData, ESS attribute, 128-bit
//          random serial), and signing::VerifyTimestampResponse of such
//          tokens (full check including the chain)
//   peer:  `openssl speed -seconds S ecdsap256`, if openssl is on the PATH
// and prints ops/s with kura's ratio to the raw operation.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>

#include "base/time.h"
#include "bench/bench_util.h"
#include "signing/sha256.h"
#include "signing/tsa.h"
#include "signing/tsa_identity.h"
#include "signing/tsa_verify.h"

namespace {

struct Rate {
  long ops = 0;
  double seconds = 0;
  double PerSecond() const { return seconds > 0 ? ops / seconds : 0; }
};

// Calls op() (which returns false on failure) until `seconds` have passed.
template <class Op>
Rate Measure(double seconds, Op op) {
  Rate r;
  bench::Stopwatch w;
  do {
    if (!op(r.ops)) {
      std::fprintf(stderr, "operation failed\n");
      std::exit(1);
    }
    ++r.ops;
  } while ((r.seconds = w.Seconds()) < seconds);
  return r;
}

struct PkeyDeleter {
  void operator()(EVP_PKEY* p) const { ::EVP_PKEY_free(p); }
  void operator()(EVP_PKEY_CTX* p) const { ::EVP_PKEY_CTX_free(p); }
  void operator()(BIO* p) const { ::BIO_free(p); }
};

// `openssl speed -seconds S ecdsap256`: {sign/s, verify/s}, or nullopt.
std::optional<std::pair<double, double>> OpensslSpeed(double seconds) {
  const std::string cmd = "openssl speed -seconds " + std::to_string(static_cast<int>(seconds)) +
                          " ecdsap256 2>/dev/null";
  FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) return std::nullopt;
  std::string out;
  char buf[4096];
  for (size_t n; (n = std::fread(buf, 1, sizeof(buf), p)) > 0;) out.append(buf, n);
  if (::pclose(p) != 0) return std::nullopt;
  // The summary line: " 256 bits ecdsa (nistp256)   0.0000s   0.0001s  43170.6  14281.4"
  std::istringstream lines(out);
  for (std::string line; std::getline(lines, line);) {
    if (line.find("(nistp256)") == std::string::npos) continue;
    std::istringstream words(line);
    std::vector<std::string> w;
    for (std::string s; words >> s;) w.push_back(s);
    if (w.size() >= 2) {
      return std::make_pair(std::atof(w[w.size() - 2].c_str()), std::atof(w.back().c_str()));
    }
  }
  return std::nullopt;
}

void Row(const char* name, const Rate& r) {
  std::printf("  %-48s %10.0f  %8.1f  %8ld\n", name, r.PerSecond(), 1e6 / r.PerSecond(), r.ops);
}

}  // namespace

int main(int argc, char** argv) {
  double seconds = 2;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--seconds")) seconds = std::atof(argv[i + 1]);
  }
  // A benchmark is a program, not business logic: it may read the clock.
  const base::Time now = base::SystemClock().Now();
  signing::TsaIdentityOptions io;
  io.not_before = now - std::chrono::minutes(1);
  const base::Result<signing::TsaIdentity> id = signing::GenerateTsaIdentity(io);
  if (!id.ok()) {
    std::fprintf(stderr, "%s\n", id.status().ToString().c_str());
    return 1;
  }
  base::Result<std::unique_ptr<signing::Tsa>> tsa =
      signing::Tsa::Create(id->tsa_key_pem, id->tsa_cert_pem);
  if (!tsa.ok()) {
    std::fprintf(stderr, "%s\n", tsa.status().ToString().c_str());
    return 1;
  }

  // The same private key, for the raw signatures.
  std::unique_ptr<BIO, PkeyDeleter> bio(
      ::BIO_new_mem_buf(id->tsa_key_pem.data(), static_cast<int>(id->tsa_key_pem.size())));
  std::unique_ptr<EVP_PKEY, PkeyDeleter> key(
      ::PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  std::unique_ptr<EVP_PKEY_CTX, PkeyDeleter> sign_ctx(::EVP_PKEY_CTX_new(key.get(), nullptr));
  std::unique_ptr<EVP_PKEY_CTX, PkeyDeleter> verify_ctx(::EVP_PKEY_CTX_new(key.get(), nullptr));
  if (!key || !sign_ctx || !verify_ctx || ::EVP_PKEY_sign_init(sign_ctx.get()) != 1 ||
      ::EVP_PKEY_CTX_set_signature_md(sign_ctx.get(), ::EVP_sha256()) != 1 ||
      ::EVP_PKEY_verify_init(verify_ctx.get()) != 1 ||
      ::EVP_PKEY_CTX_set_signature_md(verify_ctx.get(), ::EVP_sha256()) != 1) {
    std::fprintf(stderr, "OpenSSL: cannot load the TSA key\n");
    return 1;
  }

  // Random digests, drawn before timing.
  std::vector<signing::Digest> digests(1024);
  for (signing::Digest& d : digests) {
    if (::RAND_bytes(d.bytes.data(), static_cast<int>(d.bytes.size())) != 1) return 1;
  }
  const auto digest = [&](long i) -> const signing::Digest& {
    return digests[static_cast<size_t>(i) % digests.size()];
  };

  unsigned char sig[128];
  size_t sig_len = 0;
  const Rate raw_sign = Measure(seconds, [&](long i) {
    sig_len = sizeof(sig);
    return ::EVP_PKEY_sign(sign_ctx.get(), sig, &sig_len, digest(i).bytes.data(),
                           signing::Digest::kSize) == 1;
  });
  const Rate raw_verify = Measure(seconds, [&](long) {  // the last signature, over digest(last)
    return ::EVP_PKEY_verify(verify_ctx.get(), sig, sig_len, digest(raw_sign.ops - 1).bytes.data(),
                             signing::Digest::kSize) == 1;
  });

  std::vector<std::string> tokens;  // the first tokens, kept for verification
  const Rate stamp = Measure(seconds, [&](long i) {
    base::Result<std::string> r = (*tsa)->Timestamp(digest(i), static_cast<uint64_t>(i), now);
    if (!r.ok()) return false;
    if (tokens.size() < digests.size()) tokens.push_back(std::move(r).value());
    return true;
  });

  const std::string trusted = id->ca_cert_pem;
  const Rate verify = Measure(seconds, [&](long i) {
    const size_t k = static_cast<size_t>(i) % tokens.size();
    return signing::VerifyTimestampResponse(tokens[k], digests[k], trusted).ok();
  });

  std::printf(
      "tsa_bench: single thread, ~%.0f s per row, ECDSA P-256 key from "
      "GenerateTsaIdentity\n",
      seconds);
  std::printf("  %-48s %10s  %8s  %8s\n", "", "ops/s", "us/op", "ops");
  Row("limit: raw ECDSA P-256 sign (EVP_PKEY_sign)", raw_sign);
  Row("kura:  Tsa::Timestamp (DER TimeStampResp)", stamp);
  std::printf("  %-48s %10.2f\n", "ratio Timestamp / raw sign",
              stamp.PerSecond() / raw_sign.PerSecond());
  Row("limit: raw ECDSA P-256 verify (EVP_PKEY_verify)", raw_verify);
  Row("kura:  VerifyTimestampResponse (with chain)", verify);
  std::printf("  %-48s %10.2f\n", "ratio Verify / raw verify",
              verify.PerSecond() / raw_verify.PerSecond());
  const auto speed = OpensslSpeed(seconds);
  if (speed) {
    std::printf("  peer: openssl speed -seconds %.0f ecdsap256: %.0f sign/s, %.0f verify/s\n",
                seconds, speed->first, speed->second);
  } else {
    std::printf("  peer: openssl speed not available\n");
  }
  return 0;
}

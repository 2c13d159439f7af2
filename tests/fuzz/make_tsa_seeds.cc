// Writes the fixture and the seed corpus of tsa_verify_fuzzer:
//
//   make_tsa_seeds FIXTURE_DIR OUT_DIR
//
// FIXTURE_DIR holds the fuzzer's TSA identity (ca_key.pem, ca_cert.pem,
// tsa_key.pem, tsa_cert.pem). If it holds none yet, a fresh identity is
// generated there first (valid from 2025-04-01: the TSA certificate for 11
// years, the root for 20). The checked-in fixture is test-only key material
// with no other use; the fuzzer must trust exactly the certificates its
// seeds were made with, so keep the two together.
//
// OUT_DIR receives one file per seed: an options byte (see
// tsa_verify_fuzzer.cc) followed by a DER TimeStampResp. Tokens from
// kura's Tsa (Timestamp and Respond: nonces, no accuracy, another policy,
// SHA-512 imprints, no certificate, a rejection) and, if the openssl
// command is on PATH, from `openssl ts -reply` with the same key (ESS v1
// and v2, the chain embedded, a TSA name).
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>

#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/ts.h>
#include <openssl/x509.h>

#include "base/hex.h"
#include "base/time.h"
#include "signing/sha256.h"
#include "signing/tsa.h"
#include "signing/tsa_identity.h"

namespace {

namespace fs = std::filesystem;

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void WriteFile(const fs::path& p, const std::string& bytes) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << bytes;
  if (!out) {
    std::cerr << "cannot write " << p << "\n";
    std::exit(1);
  }
}

[[noreturn]] void Die(const std::string& what) {
  std::cerr << "make_tsa_seeds: " << what << "\n";
  std::exit(1);
}

template <class T>
T Must(base::Result<T> r, const std::string& what) {
  if (!r.ok()) Die(what + ": " + r.status().ToString());
  return std::move(*r);
}

// A DER TimeStampReq for `digest` under the named hash (sha256, sha512).
std::string Request(const std::string& digest, const EVP_MD* md, bool cert_req,
                    std::optional<uint64_t> nonce) {
  TS_REQ* req = ::TS_REQ_new();
  TS_MSG_IMPRINT* mi = ::TS_MSG_IMPRINT_new();
  X509_ALGOR* alg = ::X509_ALGOR_new();
  ::X509_ALGOR_set0(alg, ::OBJ_nid2obj(::EVP_MD_get_type(md)), V_ASN1_NULL, nullptr);
  ::TS_MSG_IMPRINT_set_algo(mi, alg);
  ::TS_MSG_IMPRINT_set_msg(mi, reinterpret_cast<unsigned char*>(const_cast<char*>(digest.data())),
                           static_cast<int>(digest.size()));
  ::TS_REQ_set_version(req, 1);
  ::TS_REQ_set_msg_imprint(req, mi);
  ::TS_REQ_set_cert_req(req, cert_req ? 1 : 0);
  if (nonce) {
    ASN1_INTEGER* n = ::ASN1_INTEGER_new();
    ::ASN1_INTEGER_set_uint64(n, *nonce);
    ::TS_REQ_set_nonce(req, n);
    ::ASN1_INTEGER_free(n);
  }
  unsigned char* der = nullptr;
  const int len = ::i2d_TS_REQ(req, &der);
  std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(len));
  ::OPENSSL_free(der);
  ::X509_ALGOR_free(alg);
  ::TS_MSG_IMPRINT_free(mi);
  ::TS_REQ_free(req);
  return out;
}

std::string Hash(const EVP_MD* md, const std::string& data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  ::EVP_Digest(data.data(), data.size(), out, &n, md, nullptr);
  return std::string(reinterpret_cast<char*>(out), n);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) Die("usage: make_tsa_seeds FIXTURE_DIR OUT_DIR");
  const fs::path fixture = argv[1], out = argv[2];
  fs::create_directories(fixture);
  fs::create_directories(out);
  const base::Time not_before = base::ParseRfc3339("2025-04-01T00:00:00Z").value();
  if (!fs::exists(fixture / "tsa_key.pem")) {
    signing::TsaIdentityOptions o;
    o.not_before = not_before;
    o.organization = "kura fuzz";
    const signing::TsaIdentity id = Must(signing::GenerateTsaIdentity(o), "identity");
    WriteFile(fixture / "ca_key.pem", id.ca_key_pem);
    WriteFile(fixture / "ca_cert.pem", id.ca_cert_pem);
    WriteFile(fixture / "tsa_key.pem", id.tsa_key_pem);
    WriteFile(fixture / "tsa_cert.pem", id.tsa_cert_pem);
  }
  const std::string key = ReadFile(fixture / "tsa_key.pem");
  const std::string cert = ReadFile(fixture / "tsa_cert.pem");

  const base::Time now = base::ParseRfc3339("2026-11-22T09:15:00.123456Z").value();
  int count = 0;
  const auto seed = [&](const std::string& name, uint8_t options, const std::string& der) {
    WriteFile(out / (name + ".bin"), std::string(1, static_cast<char>(options)) + der);
    ++count;
  };

  const auto tsa = Must(signing::Tsa::Create(key, cert), "tsa");
  const signing::Digest d0 = signing::Sha256("kura fuzz 0");
  seed("kura-plain", 0x00, Must(tsa->Timestamp(d0, std::nullopt, now), "token"));
  seed("kura-plain-chain-trust", 0x01, Must(tsa->Timestamp(d0, std::nullopt, now), "token"));
  seed("kura-nonce", 0x02, Must(tsa->Timestamp(d0, 0x1122334455667788u, now), "token"));
  seed("kura-nonce-zero", 0x02, Must(tsa->Timestamp(d0, 0u, now), "token"));
  seed("kura-nonce-max", 0x04, Must(tsa->Timestamp(d0, UINT64_MAX, now), "token"));
  // genTime at the very start of the certificates' validity, and one
  // second before the TSA certificate expires; validation at the
  // boundaries (options bits 3-5).
  seed("kura-at-not-before", 0x00, Must(tsa->Timestamp(d0, std::nullopt, not_before), "token"));
  seed("kura-validate-at-end", 0x20,
       Must(tsa->Timestamp(d0, std::nullopt,
                           base::ParseRfc3339("2036-03-31T23:59:59.999999Z").value()),
            "token"));
  for (uint8_t vt = 1; vt < 8; ++vt) {
    seed("kura-validation-time-" + std::to_string(vt), static_cast<uint8_t>(vt << 3),
         Must(tsa->Timestamp(d0, std::nullopt, now), "token"));
  }
  seed("kura-wrong-digest", 0x40, Must(tsa->Timestamp(d0, std::nullopt, now), "token"));
  {
    signing::TsaOptions o;
    o.accuracy = std::chrono::microseconds(0);
    o.policy_oid = "1.2.3.4.5";
    const auto t = Must(signing::Tsa::Create(key, cert, o), "tsa");
    seed("kura-no-accuracy-other-policy", 0x00, Must(t->Timestamp(d0, 42u, now), "token"));
    o.accuracy = std::chrono::microseconds(1500);
    const auto t2 = Must(signing::Tsa::Create(key, cert, o), "tsa");
    seed("kura-accuracy-millis-micros", 0x00, Must(t2->Timestamp(d0, std::nullopt, now), "token"));
  }
  // A batch of tokens over consecutive documents, as kura verify sees them.
  for (int i = 1; i <= 4; ++i) {
    seed("kura-batch-" + std::to_string(i), 0x00,
         Must(tsa->Timestamp(signing::Sha256("kura fuzz " + std::to_string(i)), std::nullopt,
                             now + std::chrono::seconds(i)),
              "token"));
  }
  // Through Respond, as the HTTP TSA answers.
  const std::string raw0(d0.AsStringView());
  seed("respond-cert", 0x00, Must(tsa->Respond(Request(raw0, ::EVP_sha256(), true, 7u), now), "r"));
  seed("respond-no-cert", 0x00,
       Must(tsa->Respond(Request(raw0, ::EVP_sha256(), false, std::nullopt), now), "r"));
  seed("respond-no-cert-chain-trust", 0x01,
       Must(tsa->Respond(Request(raw0, ::EVP_sha256(), false, std::nullopt), now), "r"));
  seed("respond-sha512", 0x00,
       Must(tsa->Respond(
                Request(Hash(::EVP_sha512(), "kura fuzz 0"), ::EVP_sha512(), true, std::nullopt),
                now),
            "r"));
  seed("respond-rejection", 0x00, Must(tsa->Respond("\x30\x03\x02\x01\x01", now), "r"));

  // openssl ts -reply with the same key and certificate.
  if (std::system("openssl version >/dev/null 2>&1") == 0) {
    const fs::path work = fs::temp_directory_path() / "kura-make-tsa-seeds";
    fs::remove_all(work);
    fs::create_directories(work);
    WriteFile(work / "serial", "01\n");
    WriteFile(work / "chain.pem", ReadFile(fixture / "ca_cert.pem"));
    struct Variant {
      const char* name;
      const char* ess_alg;
      bool chain;
      bool nonce;
      uint8_t options;
    };
    for (const Variant& v : {Variant{"openssl-ess-sha1", "sha1", false, false, 0x00},
                             Variant{"openssl-ess-sha256-nonce", "sha256", false, true, 0x02},
                             Variant{"openssl-chain-embedded", "sha256", true, false, 0x00},
                             Variant{"openssl-chain-embedded-sha1", "sha1", true, false, 0x01}}) {
      std::string conf =
          "[ tsa ]\ndefault_tsa = tsa1\n[ tsa1 ]\n"
          "dir = " +
          work.string() +
          "\nserial = $dir/serial\ncrypto_device = builtin\n"
          "signer_cert = " +
          (fixture / "tsa_cert.pem").string() +
          "\n"
          "signer_key = " +
          (fixture / "tsa_key.pem").string() +
          "\n"
          "signer_digest = sha256\ndefault_policy = 1.2.3.4.1\ndigests = sha256\n"
          "accuracy = secs:1, millisecs:500, microsecs:100\nclock_precision_digits = 3\n"
          "ordering = yes\ntsa_name = yes\n"
          "ess_cert_id_chain = " +
          std::string(v.chain ? "yes" : "no") +
          "\n"
          "ess_cert_id_alg = " +
          v.ess_alg + "\n";
      if (v.chain) conf += "certs = $dir/chain.pem\n";
      WriteFile(work / "ts.cnf", conf);
      WriteFile(work / "query.der", Request(raw0, ::EVP_sha256(), true,
                                            v.nonce ? std::optional<uint64_t>(99) : std::nullopt));
      const std::string cmd = "openssl ts -reply -config " + (work / "ts.cnf").string() +
                              " -queryfile " + (work / "query.der").string() + " -out " +
                              (work / "reply.der").string() + " >/dev/null 2>&1";
      if (std::system(cmd.c_str()) != 0) Die("openssl ts -reply failed: " + cmd);
      seed(v.name, v.options, ReadFile(work / "reply.der"));
    }
    fs::remove_all(work);
  }
  std::cout << "wrote " << count << " seeds to " << out.string() << "\n";
  return 0;
}

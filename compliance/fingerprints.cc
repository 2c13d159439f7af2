// compliance/fingerprints.h. Botan parses the certificates; its exceptions
// stay in this file.
#include "compliance/fingerprints.h"

#include <set>

#include <botan/data_src.h>
#include <botan/pkix_types.h>
#include <botan/x509cert.h>

namespace compliance {

using base::Result;
using base::Status;
using nlohmann::json;

namespace {

constexpr std::string_view kBegin = "-----BEGIN CERTIFICATE-----";
constexpr std::string_view kEnd = "-----END CERTIFICATE-----";

// Each PEM certificate block of the bundle (text around them is ignored).
std::vector<std::string> PemBlocks(std::string_view pem) {
  std::vector<std::string> blocks;
  size_t at = 0;
  while ((at = pem.find(kBegin, at)) != std::string_view::npos) {
    const size_t end = pem.find(kEnd, at);
    if (end == std::string_view::npos) break;
    blocks.emplace_back(pem.substr(at, end + kEnd.size() - at));
    at = end + kEnd.size();
  }
  return blocks;
}

std::string Text(const Botan::X509_DN& dn) { return dn.to_string(); }

}  // namespace

Result<std::vector<CertificateFingerprint>> RootFingerprints(std::string_view pem) {
  std::vector<Botan::X509_Certificate> certs;
  try {
    for (const std::string& block : PemBlocks(pem)) {
      Botan::DataSource_Memory source(block);
      certs.emplace_back(source);
    }
  } catch (const std::exception& e) {
    return Status::InvalidArgument(std::string("TSA の証明書を読めません: ") + e.what());
  }
  if (certs.empty()) return Status::InvalidArgument("TSA の証明書がありません");
  std::set<std::vector<uint8_t>> subjects;
  for (const auto& c : certs) subjects.insert(c.raw_subject_dn());
  std::vector<CertificateFingerprint> roots;
  std::set<std::string> seen;
  for (const auto& c : certs) {
    const bool anchor = c.is_self_signed() || subjects.count(c.raw_issuer_dn()) == 0;
    if (!anchor) continue;
    CertificateFingerprint f{Text(c.subject_dn()), c.fingerprint("SHA-256"),
                             c.not_after().readable_string().substr(0, 10)};
    for (char& ch : f.not_after) ch = ch == '/' ? '-' : ch;
    if (seen.insert(f.sha256).second) roots.push_back(std::move(f));
  }
  return roots;
}

Result<PinnedKeys> ReadPinnedKeys(const ledger::Ledger& ledger) {
  PinnedKeys keys;
  keys.verifier_key = ledger.VerifierKey();
  keys.log_origin = keys.verifier_key.substr(0, keys.verifier_key.find('+'));
  ASSIGN_OR_RETURN(keys.tsa_roots, RootFingerprints(ledger.TrustedTsaPem()));
  return keys;
}

json ToJson(const PinnedKeys& keys) {
  json roots = json::array();
  for (const auto& r : keys.tsa_roots) {
    roots.push_back(json{{"subject", r.subject}, {"sha256", r.sha256}, {"not_after", r.not_after}});
  }
  return json{{"verifier_key", keys.verifier_key},
              {"log_origin", keys.log_origin},
              {"tsa_roots", roots}};
}

std::string PinningText(const PinnedKeys& keys) {
  std::string out = "ログの検証鍵（チェックポイントの署名を確かめる鍵）:\n  " + keys.verifier_key + "\n";
  for (const auto& r : keys.tsa_roots) {
    out += "TSA ルート証明書の SHA-256 フィンガープリント（" + r.subject + "、有効期限 " +
           r.not_after + "）:\n  " + r.sha256 + "\n";
  }
  out +=
      "この検証鍵とフィンガープリントを、紙の記録や市のウェブサイトなど kura とは別の経路で"
      "保管・公開してください。監査人や税務署は、証跡パッケージや kura が示す値をこの控えと"
      "照合して確かめます（kura keys fingerprints でいつでも再表示できます）。\n";
  return out;
}

}  // namespace compliance

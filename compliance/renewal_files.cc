#include "compliance/internal/renewal_files.h"

#include <map>
#include <memory>
#include <set>

#include <nlohmann/json.hpp>

#include "retention/renewal.h"
#include "signing/tsa_cert_info.h"

namespace compliance::internal {

using base::Result;
using base::Status;
using nlohmann::json;

Result<std::vector<std::pair<std::string, std::string>>> RenewalFiles(
    const archive::Archive& archive, const base::Clock& clock,
    const std::vector<std::string>& ids, const std::set<std::string>& token_signers) {
  // Renewal::Open only opens rt_renewals (which a writer has created
  // already, or the open creates empty); it changes nothing else.
  auto* writable = const_cast<archive::Archive*>(&archive);  // NOLINT
  ASSIGN_OR_RETURN(const std::unique_ptr<retention::Renewal> renewal,
                   retention::Renewal::Open(writable, &clock));
  std::vector<std::pair<std::string, std::string>> files;
  std::map<std::string, std::string> tokens;  // renewal id → DER
  std::set<std::string> certificates = token_signers;  // PEM of each signer
  // Without any renewal every chain is its document's token alone (link 0):
  // nothing to read per document.
  ASSIGN_OR_RETURN(const std::vector<retention::RenewalRecord> renewals, renewal->List());
  for (const std::string& id : renewals.empty() ? std::vector<std::string>() : ids) {
    auto chain = renewal->ChainOf(id);
    if (!chain.ok() && chain.status().code() == Status::Code::kFailedPrecondition) continue;
    RETURN_IF_ERROR(chain.status());
    for (size_t i = 1; i < chain->links.size(); ++i) {
      auto signer = signing::TokenSignerValidity(chain->links[i].token_der);
      if (signer.ok()) certificates.insert(signer->pem);
    }
    if (chain->links.size() < 2) continue;
    json j = retention::ToJson(*chain);
    for (size_t i = 0; i < chain->links.size(); ++i) {
      const retention::ChainLink& l = chain->links[i];
      j["links"][i]["token"] = i == 0 ? "data/timestamps/" + id + ".tsr"
                                      : "data/timestamps/renewals/" + l.renewal_id + ".tsr";
      if (i > 0) tokens.emplace(l.renewal_id, l.token_der);
    }
    files.emplace_back("data/timestamps/renewals/" + id + ".chain.json", j.dump(2) + "\n");
  }
  for (const auto& [rid, der] : tokens) {
    files.emplace_back("data/timestamps/renewals/" + rid + ".tsr", der);
  }
  std::string pem;
  for (const std::string& c : certificates) pem += c;
  files.emplace_back("data/timestamps/tsa-certificates.pem",
                     pem + archive.ledger().TrustedTsaPem());
  return files;
}

}  // namespace compliance::internal

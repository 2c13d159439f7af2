// VerifyBag: checks an evidence bag (compliance/export.h) as an outside
// auditor would, and names each file that is wrong: the BagIt structure
// (bagit.txt, every manifest entry and every file of data/ against
// manifest-sha256.txt and manifest-sha512.txt, the tag files against
// tagmanifest-sha256.txt, Payload-Oxum), every inclusion proof against its
// checkpoint, the checkpoints' signatures and consistency proofs, every
// time-stamp token (documents and checkpoints) against the bag's TSA
// chain, and each original's SHA-256 against metadata.json and its token.
//
// Thread safety: a pure function of the files.
#ifndef COMPLIANCE_VERIFY_EXPORT_H_
#define COMPLIANCE_VERIFY_EXPORT_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace compliance {

struct BagProblem {
  std::string file;     ///< relative to the bag's root
  std::string message;  ///< Japanese, for people
};

struct BagCheck {
  uint64_t files = 0, documents = 0, inclusion_proofs = 0, consistency_proofs = 0, tokens = 0;
  std::string verifier_key;  ///< the key the checkpoints were checked with
  std::vector<BagProblem> problems;
  bool ok() const { return problems.empty(); }
};

/// Checks the bag at path (a folder, or a ZIP file). trusted_vkey, if not
/// empty, is the log's verifier key obtained out of band: the checkpoints
/// must verify with it (else with the bag's data/checkpoints/verifier-key.txt).
/// An error only if the bag cannot be read at all.
base::Result<BagCheck> VerifyBag(const std::string& path, std::string_view trusted_vkey = "");

}  // namespace compliance

#endif  // COMPLIANCE_VERIFY_EXPORT_H_

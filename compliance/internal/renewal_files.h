// The time-stamp renewal evidence of an export (retention/renewal.h), as
// the bag's files:
//   data/timestamps/renewals/<id>.chain.json   a document's chain, each
//       link naming its token file (link 0: data/timestamps/<id>.tsr)
//   data/timestamps/renewals/T00000001.tsr     each renewal token, once
//   data/timestamps/tsa-certificates.pem       every TSA certificate that
//       signed an exported token or renewal token (retired ones too), then
//       the trusted roots
// Documents without a renewal link get no chain file. Not for use outside
// compliance/.
#ifndef COMPLIANCE_INTERNAL_RENEWAL_FILES_H_
#define COMPLIANCE_INTERNAL_RENEWAL_FILES_H_

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "archive/archive.h"
#include "base/result.h"

namespace compliance::internal {

/// (path in the bag, bytes) for the documents ids, in a stable order.
/// token_signers: the PEM certificates that signed the documents' own
/// tokens (link 0 of each chain), found by the exporter while it copied
/// them (on both cores), so that they are not parsed a second time here.
base::Result<std::vector<std::pair<std::string, std::string>>> RenewalFiles(
    const archive::Archive& archive, const base::Clock& clock,
    const std::vector<std::string>& ids, const std::set<std::string>& token_signers);

}  // namespace compliance::internal

#endif  // COMPLIANCE_INTERNAL_RENEWAL_FILES_H_

// DocumentEvents: which events of the log belong to which document — its
// receipts, corrections and time-stamp events ("document.*" with its id), and
// the steps of the payment orders drafted from it ("workflow.order.*" of an
// order whose "document" is it, and the vendor update an order's bank
// account confirmation writes beside its step). One pass over the log; the
// log itself stays the only record.
//
// Thread safety: a pure function of the ledger's log.
#ifndef COMPLIANCE_DOCUMENT_EVENTS_H_
#define COMPLIANCE_DOCUMENT_EVENTS_H_

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "base/result.h"
#include "ledger/ledger.h"

namespace compliance {

struct EventRef {
  uint64_t index = 0;
  std::string type;
  std::string bytes;  ///< canonical JSON, as in the log
};

/// The events of the documents in ids (all documents if ids is empty), in
/// log order, by document id. A document without events is absent.
base::Result<std::map<std::string, std::vector<EventRef>>> CollectDocumentEvents(
    const ledger::Ledger& ledger, const std::set<std::string>& ids);

/// The leaf rules, as the proofs and the docs state them.
inline constexpr const char* kEventLeafRule =
    "leaf_hash = SHA-256(0x00 || event bytes), event bytes = the canonical JSON as UTF-8 "
    "(RFC 9162 2.1.1)";
inline constexpr const char* kBatchLeafRule =
    "leaf_hash = SHA-256(0x00 || SHA-256(original bytes)) (32-byte digest, not hex); "
    "the token's imprint is the RFC 9162 root over the batch's leaves";

}  // namespace compliance

#endif  // COMPLIANCE_DOCUMENT_EVENTS_H_

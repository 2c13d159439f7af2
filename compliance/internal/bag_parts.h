// The pieces of an evidence bag that are not the documents themselves: the
// fixed texts (VERIFY.txt, verify_proofs.py, bagit.txt), bag-info.txt and
// the readable report (PoDoFo, never in a public header).
//
// Thread safety: pure functions (RenderReport serialises PoDoFo's document
// creation).
#ifndef COMPLIANCE_INTERNAL_BAG_PARTS_H_
#define COMPLIANCE_INTERNAL_BAG_PARTS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "base/result.h"

namespace compliance::internal {

std::string BagitTxt();
std::string VerifyTxt();
std::string VerifyProofsPy();

/// One document line of the report.
struct ReportRow {
  std::string id, file_name, issue_date, counterparty, total, sha256, timestamp_time, state;
  bool operator==(const ReportRow&) const = default;
};
struct ReportData {
  std::string organization, bagging_time, query, checkpoint, verifier_key;
  std::string received_from, received_to;  ///< the period the documents were received in
  /// SHA-256 fingerprints ("AB:CD:…") of the TSA roots, to compare with the
  /// values the city published out of band (compliance/fingerprints.h).
  std::vector<std::string> tsa_root_fingerprints;
  uint64_t documents = 0, missing = 0, events = 0, checkpoints = 0, original_bytes = 0;
  std::vector<ReportRow> rows;
  bool operator==(const ReportData&) const = default;
};
/// report.pdf; NotFound if the font is missing.
base::Result<std::string> RenderReport(const ReportData& data, const std::string& font_file);

}  // namespace compliance::internal

#endif  // COMPLIANCE_INTERNAL_BAG_PARTS_H_

// The compliance report: the requirement table (requirements.h) with the
// live state of this archive — how many documents, how many of them are
// time-stamped, the latest signed checkpoint and its time, holds and
// disposals — and the fingerprints to pin (fingerprints.h). `kura
// compliance report [--format text|json]` prints it; GET
// /api/v1/compliance/report answers it.
//
// Thread safety: BuildReport reads through read snapshots and may run
// while the archive is written.
#ifndef COMPLIANCE_REPORT_H_
#define COMPLIANCE_REPORT_H_

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "archive/archive.h"
#include "base/result.h"
#include "base/time.h"
#include "compliance/fingerprints.h"
#include "retention/retention.h"
#include "workflow/organization.h"

namespace compliance {

/// What the archive holds now.
struct ArchiveState {
  base::Time as_of;
  uint64_t documents = 0;          ///< every document ever received (disposed ones too)
  uint64_t needs_metadata = 0;     ///< search keys still to be entered by a person
  uint64_t timestamp_pending = 0;  ///< waiting for a token (TSA not reached yet)
  uint64_t timestamped = 0;        ///< documents − timestamp_pending
  uint64_t events = 0;             ///< events in the log
  uint64_t checkpoints = 0;        ///< signed checkpoints stored
  struct Checkpoint {
    uint64_t size = 0;
    base::Time created_at;
    bool timestamped = false;  ///< its token is attached
  };
  std::optional<Checkpoint> last_checkpoint;
  uint64_t holds_active = 0;
  uint64_t disposal_requests_open = 0;
  uint64_t disposed = 0;  ///< documents disposed of (tombstones)
};

struct ComplianceReport {
  ArchiveState state;
  PinnedKeys keys;
};

/// Reads the state and keys. PermissionDenied unless reader may read
/// retention records (workflow::MayReadRetention: compliance officers and
/// auditors); errors of the reads.
base::Result<ComplianceReport> BuildReport(const archive::Archive& archive,
                                           const retention::Retention& retention,
                                           const workflow::User& reader, base::Time now);

/// {"title", "as_of", "state": {...}, "keys": {...}, "requirements": [...]}.
nlohmann::json ToJson(const ComplianceReport& report);

/// The same as Japanese text for people (a printed report).
std::string ReportText(const ComplianceReport& report);

}  // namespace compliance

#endif  // COMPLIANCE_REPORT_H_

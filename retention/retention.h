// Retention: how long each archived document is kept, legal holds that
// keep documents whatever their schedule says, and disposal after the
// retention period, decided by two different compliance officers.
//
//   retain-until  schedule.h: the end of the fiscal year of the transaction
//                 date plus the class's years; Extend moves it later with a
//                 reason (an event), never earlier (refused, like S3 Object
//                 Lock's compliance mode).
//   holds         by document ids or by a search query (archive/search.h
//                 parameters, evaluated whenever a disposal is decided, so a
//                 document received later that matches is held too), with
//                 a kind (監査, 住民監査請求, 情報公開請求, 訴訟) and free text;
//                 released with a reason.
//   disposal      RequestDisposal by one compliance officer; ApproveDisposal
//                 by another (the requester cannot approve: PermissionDenied)
//                 runs Archive::Dispose, whose hook re-checks expiry, holds
//                 and the request inside the same write transaction; the
//                 tombstone is the archive's, forever.
//
// Tables (recorded: every change is listed in its event's write set and
// replayed by `kura verify`):
//   rt_extensions  document id → {id, until, reason, actor, at, previous}
//   rt_holds       hold id "H00000001" → Hold
//   rt_disposals   request id "R00000001" → DisposalRequest
//   rt_meta        "seq/hold", "seq/request" → last number used;
//                  "schedule" → the schedule's promises (see Open)
// Events: ledger/event_types.h, "retention.*".
//
// Permissions: workflow/access.h (MayManageRetention: compliance officers;
// MayReadRetention: compliance officers and auditors).
//
// Thread safety: a Retention is safe for concurrent use; every change is
// one Ledger::Write, so any number of processes may use one data directory.
#ifndef RETENTION_RETENTION_H_
#define RETENTION_RETENTION_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "archive/archive.h"
#include "base/date.h"
#include "base/result.h"
#include "base/time.h"
#include "retention/schedule.h"
#include "workflow/organization.h"

namespace retention {

/// A legal hold (法的保存).
struct Hold {
  std::string id;  ///< "H00000001"
  std::string kind;  ///< audit | resident_audit | disclosure | litigation
  std::string reason;
  std::vector<std::string> documents;  ///< by document; or
  /// by query: archive::SearchQueryFromParams parameters (non-empty).
  std::vector<std::pair<std::string, std::string>> query;
  std::string placed_by;
  base::Time placed_at;
  bool active = true;
  std::string released_by, release_reason;
  std::optional<base::Time> released_at;
};
/// {"id", "kind", "kind_label", "reason", "documents", "query", "placed_by",
///  "placed_at", "state" ("active"|"released"), "state_label" (法的保存中|解除済み),
///  "released_by", "released_at", "release_reason"}
nlohmann::json ToJson(const Hold& h);

/// What placing a hold takes: documents or query (not both, not neither).
struct HoldRequest {
  std::string kind;  ///< key or Japanese label (ParseHoldKind)
  std::string reason;
  std::vector<std::string> documents;
  std::vector<std::pair<std::string, std::string>> query;
};

/// A request to dispose of a document, and its approval.
struct DisposalRequest {
  std::string id;  ///< "R00000001"
  std::string document;
  std::string reason;
  std::string requested_by;
  base::Time requested_at;
  std::string state = "requested";  ///< requested | disposed
  std::string approved_by;
  std::optional<base::Time> approved_at;
  std::string retain_until;  ///< as when requested, YYYY-MM-DD
  std::string document_class;
};
/// {"id", "document", "reason", "requested_by", "requested_at", "state",
///  "state_label" (承認待ち|廃棄済み), "approved_by", "approved_at",
///  "retain_until", "class"}
nlohmann::json ToJson(const DisposalRequest& r);

/// Where a document stands.
struct DocumentRetention {
  std::string id;
  std::string document_class, class_label;
  int years = 0;
  base::Date transaction_date{1970, 1, 1};
  /// "issue_date" (取引年月日) or "received" (the first receipt's date,
  /// used when the issue date is unknown).
  std::string date_source;
  base::Date scheduled_until{1970, 1, 1};  ///< by the schedule alone
  base::Date retain_until{1970, 1, 1};     ///< with any extension
  std::optional<nlohmann::json> extension;  ///< rt_extensions record
  std::vector<std::string> holds;  ///< active holds covering it
  bool expired = false;            ///< retain_until is past (today)
  bool disposed = false;
  std::optional<archive::Tombstone> tombstone;
  std::optional<DisposalRequest> request;  ///< an open (requested) one
};
/// {"id", "class", "class_label", "years", "transaction_date", "date_source",
///  "scheduled_until", "retain_until", "extension", "holds", "expired",
///  "due" (expired, not held, not disposed), "state" (保存中 | 法的保存中 |
///  廃棄可能 | 廃棄済み), "disposal_request", "tombstone"}
nlohmann::json ToJson(const DocumentRetention& d);

class Retention {
 public:
  /// Opens the retention tables in archive's ledger (creating them unless
  /// read-only; a read-only open before any writer created them reads as
  /// empty). archive and clock must outlive it. InvalidArgument for a bad
  /// schedule. The schedule may never shorten what one opened before
  /// promised (a class's years, the years of a document type's class, the
  /// default class's): FailedPrecondition (Japanese) if it does; a writer
  /// records a schedule that adds or raises any (event
  /// "retention.schedule.recorded").
  static base::Result<std::unique_ptr<Retention>> Open(archive::Archive* archive,
                                                       const base::Clock* clock,
                                                       Schedule schedule = {});
  ~Retention();

  const Schedule& schedule() const;

  /// Where document id stands today. MayReadRetention; NotFound.
  base::Result<DocumentRetention> Show(std::string_view id, const workflow::User& actor) const;

  /// Moves document id's retain-until to `until` with a reason (event
  /// "retention.extended"). FailedPrecondition (Japanese: 短縮はできません)
  /// unless until is later than its retain-until now; FailedPrecondition
  /// for a disposed document; InvalidArgument without a reason;
  /// MayManageRetention.
  base::Result<DocumentRetention> Extend(std::string_view id, base::Date until,
                                         const std::string& reason, const workflow::User& actor);

  /// Places a hold (event "retention.hold.placed"). InvalidArgument: kind,
  /// no reason, neither or both of documents and query, a bad query;
  /// NotFound: an unknown document; MayManageRetention.
  base::Result<Hold> PlaceHold(const HoldRequest& request, const workflow::User& actor);
  /// Releases an active hold with a reason (event "retention.hold.released").
  /// NotFound; FailedPrecondition if released already; MayManageRetention.
  base::Result<Hold> ReleaseHold(std::string_view hold_id, const std::string& reason,
                                 const workflow::User& actor);
  /// Holds, active ones only unless include_released. MayReadRetention.
  base::Result<std::vector<Hold>> ListHolds(bool include_released,
                                            const workflow::User& actor) const;

  /// The documents whose retain-until is past, not held and not disposed,
  /// in id order (at most limit; 0: all). MayReadRetention.
  base::Result<std::vector<DocumentRetention>> Due(const workflow::User& actor,
                                                   size_t limit = 0) const;

  /// Asks for document id to be disposed of (event
  /// "retention.disposal.requested"). FailedPrecondition: still within its
  /// retention period, held, disposed already; AlreadyExists: a request is
  /// open; InvalidArgument without a reason; MayManageRetention.
  base::Result<DisposalRequest> RequestDisposal(std::string_view id, const std::string& reason,
                                                const workflow::User& actor);
  /// Approves request_id and disposes of its document (Archive::Dispose,
  /// then the event "retention.disposal.approved", one write).
  /// PermissionDenied for the requester themself (two people are needed)
  /// or without MayManageRetention; FailedPrecondition: not open any more,
  /// or the document became held or its retain-until was extended
  /// meanwhile; NotFound. *bytes_removed as Archive::Dispose.
  base::Result<DisposalRequest> ApproveDisposal(std::string_view request_id,
                                                const workflow::User& actor,
                                                bool* bytes_removed = nullptr);
  /// Disposal requests, open ones only unless include_done.
  /// MayReadRetention.
  base::Result<std::vector<DisposalRequest>> ListDisposals(bool include_done,
                                                           const workflow::User& actor) const;

  struct Rep;

 private:
  explicit Retention(std::unique_ptr<Rep> rep);
  std::unique_ptr<Rep> rep_;
};

}  // namespace retention

#endif  // RETENTION_RETENTION_H_

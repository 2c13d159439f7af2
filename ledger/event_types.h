// Every type of event kura writes to its log, in one place: what an auditor
// replaying the log (or a verifier written without kura) will find. Each
// event is a canonical JSON object with at least "type"; the writer of each
// family is named, with the members its events carry. A writer whose events
// change recorded tables also carries "writes" (ledger/internal/
// write_set.h) in its last event.
//
// The ledger only requires a non-empty type; the owners check the rest
// (archive/verify.cc replays "document.*", write sets cover "workflow.*").
//
// Thread safety: constants.
#ifndef LEDGER_EVENT_TYPES_H_
#define LEDGER_EVENT_TYPES_H_

#include <string_view>

namespace ledger::event {

// archive/: the received documents ("document." is an owner prefix: only
// the archive may append these).
inline constexpr std::string_view kDocumentPrefix = "document.";
/// id, sha256, size, media_type, receipt, version, timestamp (token or
/// "pending"), search_row.
inline constexpr std::string_view kDocumentReceived = "document.received";
/// id, sha256, receipt: the same bytes received again.
inline constexpr std::string_view kDocumentReceivedAgain = "document.received_again";
/// id, changes, version, search_row: a new version of the fields.
inline constexpr std::string_view kDocumentCorrected = "document.corrected";
/// id, timestamp: a pending time-stamp granted later.
inline constexpr std::string_view kDocumentTimestamped = "document.timestamped";
/// at, error, next_attempt {id: time}: a retry round in which the TSA failed.
inline constexpr std::string_view kDocumentTimestampRetry = "document.timestamp_retry";
/// from, documents: documents of an older kura put into the search index.
inline constexpr std::string_view kDocumentIndexBackfilled = "document.index_backfilled";

/// id, sha256, tombstone {sha256, size, media_type, disposed_at,
/// requested_by, approved_by, reason, details}: the original's bytes were
/// removed after its retention period (retention/ decides, in the same
/// write, with its own "retention.disposal.approved" event after this one).
inline constexpr std::string_view kDocumentDisposed = "document.disposed";

// archive/ocr_store.h: OCR proposals of a scanned document (data, not a
// version). id, proposal (the fields as `kura ocr` prints them), actor,
// time; the write set covers ar_ocr.
inline constexpr std::string_view kOcrProposed = "ocr.proposed";
/// id, error (Japanese), actor, time: OCR of a scan failed (the background
/// worker records it once and does not try again); write set: ar_ocr_failed.
inline constexpr std::string_view kOcrFailed = "ocr.failed";

// retention/: schedules, legal holds and disposal (retention/retention.h).
// Each carries actor (login) and time; the last of a write carries its
// write set over the rt_* tables.
/// from, to: the schedule's promises ("class:<c>", "type:<t>", "default" →
/// years) as kura.toml raised or added them; none may ever go down
/// (retention::Retention::Open refuses such a kura.toml).
inline constexpr std::string_view kRetentionScheduleRecorded = "retention.schedule.recorded";
/// id, from, to, reason: a document's retain-until moved later.
inline constexpr std::string_view kRetentionExtended = "retention.extended";
/// hold {id, kind, reason, documents | query, ...}.
inline constexpr std::string_view kRetentionHoldPlaced = "retention.hold.placed";
/// hold, reason: a legal hold released.
inline constexpr std::string_view kRetentionHoldReleased = "retention.hold.released";
/// request {id, document, reason, retain_until, class, ...}.
inline constexpr std::string_view kRetentionDisposalRequested = "retention.disposal.requested";
/// request, document: approved by a second compliance officer; follows
/// the document.disposed event of the same write.
inline constexpr std::string_view kRetentionDisposalApproved = "retention.disposal.approved";
/// renewal {id, reason, tree_size, root, token_sha256, gen_time, serial,
/// tsa, previous, documents}: one new token over the Merkle tree of the
/// tokens that needed covering (retention/renewal.h).
inline constexpr std::string_view kRetentionTimestampsRenewed = "retention.timestamps.renewed";

// workflow/: organisation, vendor master, commitments and payment orders.
// Each carries actor (login) and time.
inline constexpr std::string_view kDepartmentCreated = "workflow.department.created";
inline constexpr std::string_view kUserAdded = "workflow.user.added";
/// Accounts: login, and from/to of what changed (never a password or hash).
/// password_changed: the user's own change; password_reset: an
/// administrator's temporary password; updated: name, department, roles,
/// title; unlocked: the login throttle lifted (unlocked_at).
inline constexpr std::string_view kUserPasswordChanged = "workflow.user.password_changed";
inline constexpr std::string_view kUserPasswordReset = "workflow.user.password_reset";
inline constexpr std::string_view kUserEnabled = "workflow.user.enabled";
inline constexpr std::string_view kUserDisabled = "workflow.user.disabled";
/// token {id, name, department, scopes, ...} (never the secret or its hash).
inline constexpr std::string_view kApiTokenCreated = "workflow.api_token.created";
/// id: the token no longer authenticates.
inline constexpr std::string_view kApiTokenRevoked = "workflow.api_token.revoked";
inline constexpr std::string_view kUserUpdated = "workflow.user.updated";
inline constexpr std::string_view kUserUnlocked = "workflow.user.unlocked";
/// scope ("pair" or "address"), login, address, failures, until, unlogged:
/// a login throttle began (web/login_throttle.h); actor
/// "system:login-throttle".
inline constexpr std::string_view kLoginThrottled = "workflow.login.throttled";
inline constexpr std::string_view kVendorCreated = "workflow.vendor.created";
inline constexpr std::string_view kVendorUpdated = "workflow.vendor.updated";
/// Legacy creditor numbers (workflow/legacy_creditors.h): import {id,
/// file, sha256, encoding, rows, chunks, skipped: [{line, number,
/// message}]}; the rows themselves are in wf_legacy_rows (write set).
inline constexpr std::string_view kLegacyCreditorsImported = "workflow.legacy_creditors.imported";
/// import {id, seq, kind ("full" | "diff"), diff_date, files [{name,
/// sha256, rows, errors}], rows, errors}: a snapshot of the 国税庁 公表サイト
/// registry (workflow/nta_registry.h, outside the catalog) was imported.
inline constexpr std::string_view kRegistryImported = "workflow.registry.imported";
/// survivor, numbers: legacy numbers now resolve to survivor.
inline constexpr std::string_view kVendorMerged = "workflow.vendor.merged";
/// merges [{number, survivor}]: those merges undone (the records stay,
/// marked undone).
inline constexpr std::string_view kVendorUnmerged = "workflow.vendor.unmerged";
inline constexpr std::string_view kCommitmentCreated = "workflow.commitment.created";
inline constexpr std::string_view kOrderDrafted = "workflow.order.drafted";
/// An action on a payment order: "workflow.order." + one of submitted,
/// approved, returned, withdrawn, accepted, paid, resumed,
/// vendor_overridden, bank_account_confirmed; order, version, from, to,
/// reason, and step / substitute_for (代決) / defect where they apply;
/// vendor_overridden and bank_account_confirmed carry field,
/// invoice_value and expected_value (what the accounting office settled;
/// bank_account_confirmed follows a workflow.vendor.updated event of the
/// same write, which also carries order and reason). And
/// "workflow.order.document_corrected": a draft followed a correction of
/// its invoice (order, version, document, reason, amount {from, to},
/// route, match).
inline constexpr std::string_view kOrderPrefix = "workflow.order.";

}  // namespace ledger::event

#endif  // LEDGER_EVENT_TYPES_H_

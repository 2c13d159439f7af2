// Workflow's internal state, shared by workflow.cc (organisation and
// commitments) and workflow_orders.cc (orders and inbox).
#ifndef WORKFLOW_INTERNAL_WORKFLOW_REP_H_
#define WORKFLOW_INTERNAL_WORKFLOW_REP_H_

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "archive/archive.h"
#include "base/date.h"
#include "base/money.h"
#include "invoice/invoice_fields.h"
#include "storage/decoded_cache.h"
#include "workflow/internal/store.h"
#include "workflow/workflow.h"

namespace workflow {

namespace internal {
struct InvoiceData;
}  // namespace internal

struct Workflow::Rep {
  archive::Archive* archive = nullptr;  // the invoices
  ledger::Ledger* ledger = nullptr;     // the one write path (the archive's)
  const base::Clock* clock = nullptr;
  WorkflowOptions options;
  internal::Tables tables;
  /// A hash of a random password, checked when a login is unknown so that
  /// unknown logins and wrong passwords take about the same time.
  std::string dummy_hash;
  /// Decoded records (storage/decoded_cache.h): the inbox and the lists
  /// read the same orders, commitments and vendors on every request.
  struct Caches {
    storage::DecodedCache<PaymentOrder> orders{32 << 20};
    storage::DecodedCache<Commitment> commitments{8 << 20};
    storage::DecodedCache<Vendor> vendors{8 << 20};
  };
  std::shared_ptr<Caches> caches = std::make_shared<Caches>();

  /// The actor as the users table knows them now (or the system user);
  /// PermissionDenied if unknown or disabled.
  base::Result<User> CurrentUser(const storage::ReadTxn& txn, const User& actor) const;
  /// An event with type, actor and time (now, or the clock's now) filled in.
  nlohmann::json Event(std::string_view type, const User& actor) const;
  nlohmann::json Event(std::string_view type, const User& actor, base::Time now) const;
  base::Result<Commitment> LoadCommitment(const storage::ReadTxn& txn, std::string_view id) const;
  base::Result<PaymentOrder> LoadOrder(const storage::ReadTxn& txn, std::string_view id) const;
  base::Result<Vendor> LoadVendor(const storage::ReadTxn& txn, std::string_view id) const;
  /// id itself if it is in the vendor master or not merged; else the
  /// survivor its active merge names (workflow_legacy.cc).
  base::Result<std::string> ResolveVendorId(const storage::ReadTxn& txn,
                                            std::string_view id) const;
  /// The archived document as txn sees it; NotFound("書類がありません: id").
  base::Result<archive::DocumentView> LoadDocument(const storage::ReadTxn& txn,
                                                   std::string_view id) const;
  /// Replaces o->match and o->bank_account with what the order's invoice,
  /// as its current version states it, gives against the current
  /// commitment and vendor master (so that every view and decision sees
  /// the current match). Paid and withdrawn orders keep the match they
  /// ended with.
  base::Status RefreshMatch(const storage::ReadTxn& txn, PaymentOrder* o) const;
  /// LoadOrder, then RefreshMatch.
  base::Result<PaymentOrder> LoadRefreshedOrder(const storage::ReadTxn& txn,
                                                std::string_view id) const;
  /// Performs req on the order order_id inside the caller's write, as
  /// Workflow::Act decides and records it (current match, Decide, Apply,
  /// the commitment and indexes, the order's event with the members of
  /// `extra` added). *order_out and *commitment_out: as written.
  base::Status ActInWrite(storage::WriteTxn& txn, const ledger::AppendEvent& append,
                          const User& me, const ApplyContext& apply, std::string_view order_id,
                          const ActionRequest& req, const nlohmann::json& extra,
                          PaymentOrder* order_out, Commitment* commitment_out) const;
  /// The recorded payment run order_id is in, or "" (wf_run_orders).
  base::Result<std::string> RunOf(const storage::ReadTxn& txn, std::string_view order_id) const;
  /// Aborted naming the run if order_id is in a recorded payment run.
  base::Status CheckNotInRun(const storage::ReadTxn& txn, std::string_view order_id) const;
  /// FailedPrecondition (DuplicateMessage) if the order looks like another
  /// order's invoice (double_payment.h).
  base::Status CheckNoDuplicate(const storage::ReadTxn& txn, std::string_view order_id) const;
  /// The registration number the order's invoice states now ("" if none).
  base::Result<std::string> RegistrationOf(const storage::ReadTxn& txn,
                                           const PaymentOrder& o) const;
  /// The identity of an order's invoice (double_payment.h).
  base::Result<InvoiceIdentity> IdentityOf(const storage::ReadTxn& txn,
                                           const PaymentOrder& o) const;
  /// The other orders that are not withdrawn and look like the invoice id.
  base::Result<std::vector<DuplicatePayment>> FindDuplicatePayments(
      const storage::ReadTxn& txn, const InvoiceIdentity& id) const;
  /// The identity of the invoice a new order for vendor_id would pay.
  static InvoiceIdentity IdentityOfInvoice(const internal::InvoiceData& invoice,
                                           const std::string& vendor_id,
                                           const std::string& document_id);
  /// Puts v into the vendor master and appends the event PutVendor
  /// records (vendor; from: the previous record or null; to), with the
  /// members of `extra` added.
  base::Status PutVendorRecord(storage::WriteTxn& txn, const ledger::AppendEvent& append,
                               const User& me, base::Time now, const Vendor& v,
                               const nlohmann::json& extra) const;
  /// What a correction of the document `corrected` does to its payment
  /// order, inside the correction's write: nothing if it has none (or a
  /// paid or withdrawn one); Aborted naming the order once it is submitted;
  /// a draft follows its invoice (amount, counterparty, invoice number,
  /// issue date, route, reservation, match) with a
  /// "workflow.order.document_corrected" event.
  base::Status FollowCorrection(storage::WriteTxn& txn, const ledger::AppendEvent& append,
                                const User& me, base::Time now,
                                const archive::DocumentView& corrected,
                                const std::string& reason) const;
};

namespace internal {
/// True for SystemUser logins ("system:...").
bool IsSystemLogin(std::string_view login);

/// What a payment order takes from its invoice's current version.
struct InvoiceData {
  invoice::InvoiceFields fields;
  std::string receipt_department;
  base::Date received_on{2000, 1, 1};
  base::Decimal amount;
  std::string currency;
};
/// The invoice data of a document; FailedPrecondition if no order can pay
/// it (a credit note, not in yen, no readable positive whole total).
base::Result<InvoiceData> InvoiceFrom(const archive::DocumentView& view);
/// OK if the document of order o may be corrected as far as o goes: o is
/// a draft, paid or withdrawn. Aborted naming the order while it is under
/// way ("支出命令 P2026-0003 が手続き中（決裁待ち）のため訂正できません。…").
base::Status OrderAllowsCorrection(const PaymentOrder& o);
/// "総務課（somu）" from the departments table, or the code alone.
std::string DepartmentLabel(const storage::ReadTxn& txn, const Tables& t, const std::string& code);
/// PermissionDenied("管理者だけが行えます") unless actor is an admin.
base::Status RequireAdmin(const User& actor);
/// The stored user record: ToJson(u), the hash, and the bookkeeping
/// members (session_generation, unlocked_at) when set.
nlohmann::json UserRecord(const User& u, const std::string& hash);
}  // namespace internal

}  // namespace workflow

#endif  // WORKFLOW_INTERNAL_WORKFLOW_REP_H_

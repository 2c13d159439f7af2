// Workflow's internal state, shared by workflow.cc (organisation and
// commitments) and workflow_orders.cc (orders and inbox).
#ifndef WORKFLOW_INTERNAL_WORKFLOW_REP_H_
#define WORKFLOW_INTERNAL_WORKFLOW_REP_H_

#include <string>

#include <nlohmann/json.hpp>

#include "workflow/internal/store.h"
#include "workflow/workflow.h"

namespace workflow {

struct Workflow::Rep {
  archive::Archive* archive = nullptr;  // the invoices
  ledger::Ledger* ledger = nullptr;     // the one write path (the archive's)
  const base::Clock* clock = nullptr;
  WorkflowOptions options;
  internal::Tables tables;
  /// A hash of a random password, checked when a login is unknown so that
  /// unknown logins and wrong passwords take about the same time.
  std::string dummy_hash;

  /// The actor as the users table knows them now (or the system user);
  /// PermissionDenied if unknown or disabled.
  base::Result<User> CurrentUser(const storage::ReadTxn& txn, const User& actor) const;
  /// An event with type, actor and time (now, or the clock's now) filled in.
  nlohmann::json Event(std::string_view type, const User& actor) const;
  nlohmann::json Event(std::string_view type, const User& actor, base::Time now) const;
  base::Result<Commitment> LoadCommitment(const storage::ReadTxn& txn, std::string_view id) const;
  base::Result<PaymentOrder> LoadOrder(const storage::ReadTxn& txn, std::string_view id) const;
  base::Result<Vendor> LoadVendor(const storage::ReadTxn& txn, std::string_view id) const;
};

namespace internal {
/// True for SystemUser logins ("system:...").
bool IsSystemLogin(std::string_view login);
/// PermissionDenied("管理者だけが行えます") unless actor is an admin.
base::Status RequireAdmin(const User& actor);
/// The stored user record: ToJson(u), the hash, and the bookkeeping
/// members (session_generation, unlocked_at) when set.
nlohmann::json UserRecord(const User& u, const std::string& hash);
}  // namespace internal

}  // namespace workflow

#endif  // WORKFLOW_INTERNAL_WORKFLOW_REP_H_

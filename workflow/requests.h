// Parsing of API request bodies into the workflow's inputs, so that the web
// layer only maps JSON to calls and Status to HTTP. Every malformed body is
// InvalidArgument (400) with a message for people; nothing throws.
//
// Thread safety: pure functions.
#ifndef WORKFLOW_REQUESTS_H_
#define WORKFLOW_REQUESTS_H_

#include <nlohmann/json.hpp>

#include "base/result.h"
#include "workflow/commitment.h"
#include "workflow/organization.h"
#include "workflow/state_machine.h"

namespace workflow {

/// POST /api/v1/payment-orders/{id}/actions:
///   {"action": "submit"|"approve"|"return"|"withdraw"|"accept"|"pay"|"resume"
///              |"override_vendor"|"confirm_bank_account",
///    "version": N, "comment": "...", "acknowledge": ["field", ...],
///    "checklist": {"fiscal_year": true, ...}
///               | [{"item": "fiscal_year", "confirmed": true, "note": "..."}, ...],
///    "defect": false, "document_id": "D00000042"}
/// action and version are required; the rest are optional.
base::Result<ActionRequest> ActionRequestFromJson(const nlohmann::json& body);

/// POST /api/v1/commitments:
///   {"department", "vendor_id", "budget_line", "fiscal_year": 2026,
///    "description", "amount": "1320000" (a string or an integer),
///    "contract_from": "2026-04-01", "contract_to": "2027-03-31",
///    "expense_type": "goods"|"services"|"works"}
/// Shape only; Workflow::CreateCommitment validates the values.
base::Result<Commitment> CommitmentFromRequest(const nlohmann::json& body);

/// POST /api/v1/vendors, a vendor master entry: {"id","name",
/// "registration_number","bank_account","address","account_holder",
/// "corporate_number","kana_name"}; name required, id
/// optional (Workflow::CreateVendor assigns one when it is empty). Shape
/// only; the workflow validates the values.
base::Result<Vendor> VendorFromRequest(const nlohmann::json& body);

/// POST /api/v1/vendors/{id}: any of {"name", "registration_number",
/// "bank_account", "address", "account_holder", "corporate_number",
/// "kana_name"} (strings; "" clears all but the name), at
/// least one, and optionally "expected": the entry as the caller read it
/// (GET's members; a different "id" there is refused). Any other member is
/// refused: the id is the path's.
base::Result<VendorChange> VendorChangeFromRequest(const nlohmann::json& body);

/// POST /api/v1/users:
///   {"login", "name", "department", "roles": ["clerk", ...], "title",
///    "password", "must_change_password": true}
/// login, name, department, roles and password required; title for an
/// approver; must_change_password defaults to true (the administrator
/// knows the password). Shape only; Workflow::AddUser validates the values.
struct NewUserRequest {
  User user;
  std::string password;
};
base::Result<NewUserRequest> NewUserFromRequest(const nlohmann::json& body);

/// POST /api/v1/users/{login}: any of {"name", "department", "roles": [...],
/// "title", "active": true|false}, at least one; any other member is
/// refused (a password is reset with POST /api/v1/users/{login}/password).
base::Result<UserChange> UserChangeFromRequest(const nlohmann::json& body);

}  // namespace workflow

#endif  // WORKFLOW_REQUESTS_H_

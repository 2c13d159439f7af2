// Access: who may do what with the archive's documents through the API —
// the permission decisions outside the payment orders, as pure functions of
// the user and the department concerned, so that web/ only turns their
// Status into an HTTP status.
//
// The other decisions live beside the records they guard: the state machine
// (state_machine.h) decides every action on a payment order; Workflow
// (workflow.h) decides on the organisation, the vendor master and
// commitments inside its write transactions; the inbox keeps to each
// user's scope (InScope, inbox.h). Every active user may read documents,
// the organisation, commitments and orders.
//
// Every refusal is PermissionDenied with a Japanese message for the user.
//
// Thread safety: pure functions.
#ifndef WORKFLOW_ACCESS_H_
#define WORKFLOW_ACCESS_H_

#include <string>
#include <string_view>

#include "archive/archive.h"
#include "base/status.h"
#include "workflow/organization.h"

namespace workflow {

/// OK if user may go on using a login session: PermissionDenied
/// ("このアカウントは無効です") for a disabled account. The web layer
/// re-reads the user on every request and asks this, so a disabled account
/// is locked out at once.
base::Status MayUseSession(const User& user);

/// The department a document belongs to for the decisions below: that of
/// its first receipt (receipts never change), or "" if it was received for
/// no department.
std::string ReceivingDepartment(const archive::DocumentView& document);

/// The department a document user uploads is received for when the upload
/// names none: the user's own.
std::string DefaultUploadDepartment(const User& user);

/// OK if user may archive a document received for `department`: their own
/// department, or any department for accountants (会計室) and
/// administrators. PermissionDenied ("自分の課（somu）の書類だけを登録
/// できます") otherwise. Whether the department exists is
/// Workflow::CheckUpload's concern.
base::Status MayUpload(const User& user, std::string_view department);

/// OK if user may enter or correct the metadata of a document received by
/// `receiving_department` (a scanned paper invoice has none until someone
/// types it): clerks of that department, accountants and administrators.
/// Approvers, auditors and compliance officers only read; a document
/// received for no department ("") is corrected by accountants or
/// administrators only. PermissionDenied otherwise. (Whether the
/// document's payment order lets it be corrected now is
/// Workflow::CorrectDocument's concern, which asks this too.)
base::Status MayCorrectDocument(const User& user, std::string_view receiving_department);

/// OK if user may read a document received by `receiving_department` (its
/// record and its original). Today always OK: every active user reads every
/// document. This is the hook for department scoping of reads, which a
/// later issue decides; the search (and its CSV export) will then need the
/// same rule as a query condition.
base::Status MayReadDocument(const User& user, std::string_view receiving_department);

/// The department the archive search behind user's inbox may be narrowed
/// to, or "" for all departments: a user with none of the roles approver,
/// accountant, auditor, compliance or admin (that is, a clerk) only ever
/// sees the own department's documents, so their search asks for those
/// alone. Narrowing only saves work: BuildInbox applies InScope either way.
std::string InboxSearchDepartment(const User& user);

}  // namespace workflow

#endif  // WORKFLOW_ACCESS_H_

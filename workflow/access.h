// Access: who may do what with the archive's documents through the API —
// the permission decisions outside the payment orders, as pure functions of
// the user and the department concerned, so that web/ only turns their
// Status into an HTTP status.
//
// The other decisions live beside the records they guard: the state machine
// (state_machine.h) decides every action on a payment order; Workflow
// (workflow.h) decides on the organisation, the vendor master and
// commitments inside its write transactions.
//
// Reads are scoped by department (docs/API.md has the table): clerks and
// approvers read their own department's documents, originals, search hits,
// commitments and orders; approvers with an any-department title (副市長),
// accountants (会計室), auditors, compliance officers and admins read every
// department's. Everyone reads the organisation (departments, vendors).
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
#include "workflow/route.h"

namespace workflow {

/// OK if user may go on using a login session: PermissionDenied
/// ("このアカウントは無効です") for a disabled account. The web layer
/// re-reads the user on every request and asks this, so a disabled account
/// is locked out at once.
base::Status MayUseSession(const User& user);

/// OK if user may list and manage the accounts of others (GET and POST
/// /api/v1/users...): administrators only. PermissionDenied
/// ("利用者の管理は管理者だけが行えます") otherwise. Everyone changes their
/// own password (Workflow::ChangePassword).
base::Status MayManageUsers(const User& user);

/// OK if user may add to and change the vendor master (債権者マスタ: names,
/// registration numbers, the bank accounts the city pays to): the
/// accounting office and administrators. PermissionDenied
/// ("債権者マスタは会計室または管理者だけが変更できます") otherwise. Everyone
/// logged in reads it.
base::Status MayManageVendors(const User& user);

/// OK if user may read the legacy creditor numbers, their proposed
/// clusters and merges (the consolidation, workflow.h): those who manage
/// vendors (MayManageVendors) and auditors (監査). PermissionDenied
/// ("旧債権者番号の統合は会計室・管理者・監査だけが見られます") otherwise.
base::Status MayReviewCreditors(const User& user);

/// The department a document belongs to for the decisions below: that of
/// its first receipt (receipts never change), or "" if it was received for
/// no department.
std::string ReceivingDepartment(const archive::DocumentView& document);

/// The department a document user uploads is received for when the upload
/// names none: the user's own.
std::string DefaultUploadDepartment(const User& user);

/// OK if user may archive a document received for `department`: clerks for
/// their own department, accountants (会計室) and administrators for any.
/// Approvers, auditors and compliance officers only read the archive.
/// PermissionDenied ("自分の課（somu）の書類だけを登録できます", or
/// "書類を登録できるのは…") otherwise. Whether the department exists is
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

/// OK if user may draft payment orders from the invoices received by
/// `receiving_department`: its clerks (Workflow::Draft also checks the
/// commitment's department). PermissionDenied otherwise.
base::Status MayDraftFrom(const User& user, std::string_view receiving_department);

/// True if user reads every department's records: accountants, auditors,
/// compliance officers, admins, and approvers whose title is one of
/// routes.any_department_titles (副市長).
bool SeesAllDepartments(const User& user, const RouteConfig& routes);

/// OK if user may read the records of `department` (documents received
/// for it, their originals, its commitments and payment orders): their own
/// department, or any if SeesAllDepartments. Records of no department ("")
/// only for those who see all. PermissionDenied ("他の課（doboku）の情報は
/// 見られません。…") otherwise.
base::Status MayRead(const User& user, std::string_view department, const RouteConfig& routes);

/// The department user's reads are confined to — every search, list and
/// inbox query asks for it alone, so counts and pages stay right — or ""
/// if the user SeesAllDepartments.
std::string ReadScope(const User& user, const RouteConfig& routes);

/// OK if user may see the figures of 効果の見える化 (figures.h): approvers
/// with a title (課長, 部長, 副市長), accountants and administrators — the
/// screens' menu shows the page by the same rule. Clerks, auditors and
/// compliance officers: PermissionDenied. What they cover is ReadScope's.
base::Status MayViewFigures(const User& user);

/// OK if user may decide on retention (retention/): extend a document's
/// retain-until, place and release legal holds, request and approve
/// disposal — compliance officers (文書管理) only, active. PermissionDenied
/// ("保存期間・法的保存・廃棄は文書管理担当者だけが行えます") otherwise.
/// (That a disposal needs two different compliance officers is
/// retention::Retention's rule.)
base::Status MayManageRetention(const User& user);

/// OK if user may read retention records (schedules, holds, due documents,
/// disposal requests): compliance officers and auditors (監査).
/// PermissionDenied otherwise.
base::Status MayReadRetention(const User& user);

/// OK if user may make an evidence export (証跡出力, a BagIt package of
/// every document a search finds, compliance/export_jobs.h): compliance
/// officers only, active — the role that exists to hand evidence to a tax
/// officer, 監査委員 or a court. Auditors read every document, original and
/// history on the screens, but an export is a package of the whole archive
/// made to leave the city's hands and costs the server minutes of disk
/// and CPU, so it stays with the one role whose job it is.
/// PermissionDenied ("証跡出力は文書管理担当者だけが行えます") otherwise.
base::Status MayExportEvidence(const User& user);
/// OK if user may run payments (prepare, record, confirm, cancel a payment
/// run): the accounting office (会計室). PermissionDenied otherwise.
base::Status MayRunPayments(const User& user);
/// OK if user may read payment runs and their files: the accounting office
/// and auditors (監査). PermissionDenied otherwise.
base::Status MayReadPaymentRuns(const User& user);

}  // namespace workflow

#endif  // WORKFLOW_ACCESS_H_

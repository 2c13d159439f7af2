// Workflow: the facade the web API and the CLI call for everything of the
// payment-order workflow — organisation, commitments (支出負担行為), payment
// orders (支出命令) with automatic matching, and the inbox.
//
// Storage: tables in the archive's LMDB environment (workflow/internal/
// store.h). Every change is ONE Archive::Write that updates the tables and
// appends its "workflow.*" event (actor, time, from, to, reason/comment) to
// the archive's Merkle-tree event log, so a change and its audit record
// commit together or not at all, and `kura verify` covers them. Slow work
// (password hashing, reading the archived document) happens before the
// write transaction opens. Passwords are never stored, logged or put in an
// event; only their Argon2id hash is stored.
//
// Who may do what: the state machine (state_machine.h) for orders; admins
// manage departments and users; admins and accountants manage the vendor
// master (MayManageVendors); clerks of the department, accountants and
// admins create commitments; workflow/access.h decides uploads, corrections of document
// metadata, reads and session use for the web layer. The acting user is
// re-read from the users table inside the transaction, so a disabled user
// or a removed role takes effect at once even for a session that is still
// open. SystemUser() stands for the CLI bootstrap (`kura user add`) and may
// only manage the organisation.
//
// Errors, and their HTTP status in the API:
//   InvalidArgument     malformed input (400)
//   PermissionDenied    not allowed (403); from Authenticate: bad login or
//                       password — base::Status has no Unauthenticated code,
//                       so the session endpoint maps Authenticate's
//                       PermissionDenied to 401
//   NotFound            no such order, commitment, document, user (404)
//   Aborted             stale version, illegal transition, or the document
//                       already has an order (409)
//   AlreadyExists       a department, user or vendor id taken (409)
//   FailedPrecondition  the request cannot be carried out as things stand:
//                       disabled account, unacknowledged ×, balance,
//                       checklist, fiscal year, unreadable invoice (422)
// Messages meant for people are Japanese.
//
// Thread safety: a Workflow is safe for concurrent use; writes are
// serialised by the archive, and every decision is taken inside the write
// transaction on the current records.
#ifndef WORKFLOW_WORKFLOW_H_
#define WORKFLOW_WORKFLOW_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "archive/archive.h"
#include "base/date.h"
#include "base/result.h"
#include "base/time.h"
#include "workflow/api_token.h"
#include "workflow/commitment.h"
#include "workflow/document_standing.h"
#include "workflow/double_payment.h"
#include "workflow/figures.h"
#include "workflow/inbox.h"
#include "workflow/input_deadline.h"
#include "workflow/legacy_creditors.h"
#include "workflow/nta_registry.h"
#include "workflow/organization.h"
#include "workflow/payment_order.h"
#include "workflow/payments.h"
#include "workflow/route.h"
#include "workflow/state_machine.h"
#include "workflow/vendor_clusters.h"
#include "workflow/zengin.h"

namespace workflow {

/// An order with what a viewer needs beside it.
struct OrderView {
  PaymentOrder order;
  Commitment commitment;  ///< with its current balance
  DeadlineStatus deadline = DeadlineStatus::kOnTime;
  std::vector<Action> actions;  ///< what the viewer may do (AvailableActions)
  /// Other orders for what looks like the same invoice (double_payment.h);
  /// GetOrder fills it for an order that is not withdrawn.
  std::vector<DuplicatePayment> duplicates;
  /// The recorded (not yet confirmed or cancelled) payment run the order
  /// is in, else "" (GetOrder).
  std::string payment_run;
};
/// ToJson(order) plus {"commitment": {...}, "deadline": "due_soon",
/// "available_actions": ["approve", "return"], "duplicates": [...],
/// "payment_run": "R2026-0001" | null}.
nlohmann::json ToJson(const OrderView& view);

/// A commitment an order for an invoice may be drafted from, with the
/// match a draft from it would show now (Workflow::DraftCandidatesFor).
struct DraftCandidate {
  Commitment commitment;
  std::vector<FieldMatch> match;
};

/// What the drafting screen offers for one invoice.
struct DraftCandidates {
  std::string document_id;
  std::string department;  ///< the receiving department ("" if none)
  /// The invoice's payment order if it has one (then nothing is drafted
  /// from it again), else "".
  std::string order_id;
  /// Why no order can pay the invoice as it stands (a credit note, not in
  /// yen, no readable total: the Draft refusal), else "".
  std::string blocked_reason;
  /// The vendor-master entries that are the invoice's vendor (SameVendor).
  std::vector<Vendor> vendors;
  /// The receiving department's commitments of those vendors, newest
  /// fiscal year first, then by id.
  std::vector<DraftCandidate> items;
  /// Orders of other invoices that look like this one (double_payment.h)
  /// for any of `vendors`: a draft would be refused.
  std::vector<DuplicatePayment> duplicates;
};
/// {"document_id","department","order_id" (or null),"blocked_reason" (or
/// null),"vendors":[...],"items":[{commitment members..., "match":[...]}]}.
nlohmann::json ToJson(const DraftCandidates& candidates);

struct CommitmentFilter {
  std::string department;  ///< empty: all
  int fiscal_year = 0;     ///< 0: all
  std::string vendor_id;   ///< empty: all
};

/// A correction of an archived document's fields (Archive::Correct).
struct DocumentCorrection {
  std::string document_id;
  invoice::FieldPatch patch;  ///< a person's input through archive::NormalizeCorrection
  std::string reason;
  uint32_t expected_version = 0;  ///< the version corrected; 0: whichever is current
};

/// The onset of a login throttle, as the web server reports it
/// (Workflow::RecordLoginThrottled).
struct LoginThrottled {
  std::string scope;    ///< "pair" (a login name from one address) or "address" (every name)
  std::string login;    ///< "" for scope "address"
  std::string address;  ///< the client address (an IPv6 address as its /64)
  int failures = 0;     ///< failed attempts that led to it
  base::Time until;     ///< when the first wait ends
  /// Onsets since the previous event that were not logged (the server logs
  /// a bounded number per minute; this counts the rest).
  uint64_t unlogged = 0;
};

struct WorkflowOptions {
  RouteConfig routes;
  PasswordParams password;
  int due_soon_days = 7;
  /// The input deadline of scans (kura.toml [scan]).
  InputDeadlineRule input_deadline;
  /// The city as its bank knows it, for payment runs (kura.toml [payments]);
  /// none: no payment run can be prepared.
  std::optional<zengin::Remitter> remitter;
};

class Workflow {
 public:
  /// Opens the workflow's tables in archive (creating them). archive and
  /// clock must outlive the Workflow. InvalidArgument for a bad route
  /// configuration.
  static base::Result<std::unique_ptr<Workflow>> Open(archive::Archive* archive,
                                                      const base::Clock* clock,
                                                      WorkflowOptions options = {});
  ~Workflow();

  /// An in-process administrator for bootstrapping from the CLI
  /// ("system:<name>"); never stored, cannot log in or act on orders.
  static User SystemUser(std::string_view name);

  // --- Organisation -------------------------------------------------------

  /// Admin only. AlreadyExists if the code is taken.
  base::Status CreateDepartment(const Department& department, const User& actor);
  base::Result<std::vector<Department>> ListDepartments() const;
  /// Admin only. The department must exist (InvalidArgument otherwise);
  /// the password must follow CheckNewPassword (organization.h) and is
  /// hashed with Argon2id before the transaction. user.must_change_password
  /// is kept as given (the API sets it: the administrator knows the
  /// password).
  base::Status AddUser(const User& user, std::string_view password, const User& actor);

  // --- Accounts (workflow_users.cc) ---------------------------------------
  // Each is one write with its "workflow.user.*" event: actor, the user
  // (login) and the values before and after (never a password or its
  // hash). Those that end the user's sessions raise session_generation.

  /// Admin only: changes what is set in change (UpdateUser). Validated like
  /// AddUser: the department must exist, an approver needs a title. An
  /// administrator cannot disable themself or take away their own admin
  /// role (PermissionDenied: another administrator or the CLI must). A
  /// change of roles, department or title, or disabling, ends the user's
  /// sessions. Events: "workflow.user.updated" (from/to of the changed
  /// profile members), "workflow.user.disabled"/"enabled" (from/to). No
  /// change, no write. Returns the user as stored.
  base::Result<User> UpdateUser(std::string_view login, const UserChange& change,
                                const User& actor);
  /// UpdateUser with only active.
  base::Status SetUserActive(std::string_view login, bool active, const User& actor);
  /// The user changes their own password: actor must be login, and current
  /// its current password. PermissionDenied for another actor or a wrong
  /// current password ("現在のパスワードが違います"); InvalidArgument if new
  /// breaks CheckNewPassword; FailedPrecondition if it equals the current
  /// one; Aborted if the password was changed meanwhile. Clears
  /// must_change_password and ends the user's sessions. Event
  /// "workflow.user.password_changed".
  base::Result<User> ChangePassword(std::string_view login, std::string_view current,
                                    std::string_view new_password, const User& actor);
  /// Admin only: sets a temporary password (CheckNewPassword) that the user
  /// must change at their next login (must_change_password), ends their
  /// sessions and lifts their login throttle like UnlockLogin. Event
  /// "workflow.user.password_reset".
  base::Result<User> ResetPassword(std::string_view login, std::string_view temporary_password,
                                   const User& actor);
  /// Admin only: lifts the login throttle of login in every server process
  /// (web/login_throttle.h): sets the user's unlocked_at to now, which a
  /// server reads when it would refuse the name. Event
  /// "workflow.user.unlocked". Returns the user as stored.
  base::Result<User> UnlockLogin(std::string_view login, const User& actor);
  /// Logs that a login throttle began (web/login_throttle.h), as
  /// "workflow.login.throttled". No table changes; no actor but
  /// "system:login-throttle".
  base::Status RecordLoginThrottled(const LoginThrottled& event);

  base::Result<User> GetUser(std::string_view login) const;
  base::Result<std::vector<User>> ListUsers() const;
  /// The user, if login and password match an active user.
  /// PermissionDenied("ログインIDまたはパスワードが違います") for an unknown
  /// login or a wrong password (the same message and about the same time
  /// for both); FailedPrecondition for a disabled account.
  base::Result<User> Authenticate(std::string_view login, std::string_view password) const;
  /// Creates or replaces a vendor master entry (admin or accountant). The
  /// event records the previous and new values, so a changed bank account
  /// stays visible in the log.
  /// Validated and made canonical first (Validate, CanonicalVendor):
  /// InvalidArgument for a malformed registration number or bank account.
  base::Status PutVendor(const Vendor& vendor, const User& actor);
  /// A new vendor-master entry (workflow_vendors.cc), by the accounting
  /// office or an admin (MayManageVendors, access.h: PermissionDenied
  /// otherwise). An empty id is assigned: "V" + five digits, one above the
  /// highest such number in the master. AlreadyExists for an id that is
  /// taken; InvalidArgument as Validate says. Event
  /// "workflow.vendor.created". Returns the entry as stored.
  base::Result<Vendor> CreateVendor(const Vendor& vendor, const User& actor);
  /// Changes the members change sets of the entry id (same actors as
  /// CreateVendor). NotFound for an unknown id; Aborted, with nothing
  /// written, if change.expected is set and the stored entry differs from
  /// it (changed since the caller read it, e.g. an account the accounting
  /// office confirmed for an order); InvalidArgument as Validate says of the
  /// result. Event "workflow.vendor.updated" with the entry before and
  /// after; no change, no write. Returns the entry as stored.
  base::Result<Vendor> UpdateVendor(std::string_view id, const VendorChange& change,
                                    const User& actor);
  base::Result<Vendor> GetVendor(std::string_view id) const;
  base::Result<std::vector<Vendor>> ListVendors() const;

  /// A department that uses a vendor: derived from what the city recorded,
  /// never typed in (VendorDepartments).
  struct VendorDepartment {
    std::string code;
    std::string name;  ///< "総務課"; the code if the department is unknown
    /// Archived invoices (current versions) the department received that
    /// state the vendor's registration number.
    uint64_t invoices = 0;
    /// Commitments of the department (each payment order is drafted
    /// against one) naming the vendor or a legacy number merged into it.
    uint64_t commitments = 0;
    /// Legacy creditor numbers merged into the vendor (active merges) that
    /// the old system lists under the department (所管課).
    std::vector<std::string> legacy_numbers;
  };
  /// The departments that use vendor id, by code, read in one snapshot
  /// (workflow_legacy.cc). NotFound for an id that is not in the master.
  /// Reads every commitment and merge, the legacy rows of the merged
  /// numbers, and the archive's registration-number index: a look-up for
  /// one vendor's page, not for a list.
  base::Result<std::vector<VendorDepartment>> VendorDepartments(std::string_view id) const;

  // --- Legacy creditor numbers (workflow_legacy.cc) ------------------------
  // The old finance system's numbers (legacy_creditors.h), their clusters
  // (vendor_clusters.h) and the merges the accounting office decides.
  // Import, merge and unmerge: MayManageVendors (会計室, admin); reading
  // the numbers, clusters and merges: MayReviewCreditors (also 監査).

  /// Records an import of the 国税庁 registry (nta_registry.h) as one
  /// "workflow.registry.imported" event carrying import (no table of the
  /// catalog changes: the registry lives in its own environment). Who may:
  /// MayManageVendors.
  base::Status RecordRegistryImport(const nlohmann::json& import, const User& actor);
  /// The registry's current snapshot (seq 0: nothing imported; registry
  /// may be nullptr). Who may: MayReviewCreditors (会計室, admin, 監査).
  base::Result<RegistrySnapshot> RegistryStatus(const NtaRegistry* registry,
                                                const User& viewer) const;
  /// The registration number of the archived invoice view (its current
  /// version) checked against registry as of the invoice's issue date
  /// (CheckRegistration, today in Japan), the registered name compared with
  /// the vendor master's entry of that number, else with the name the
  /// invoice gives. For whoever may read the document: the caller has
  /// checked that (CheckRead of its receiving department), as the order
  /// view shows the same check to its readers. nullptr or nothing
  /// imported: status "no_registry".
  base::Result<RegistryCheck> CheckDocumentRegistration(const NtaRegistry* registry,
                                                        const archive::DocumentView& view) const;
  /// Every archived invoice whose registration was valid on its date and
  /// lapsed (取消/失効) after it, on or before today (Japan), in document
  /// order, checked against registry (nullptr or nothing imported: an
  /// empty list). Who may: as RegistryStatus.
  base::Result<LapsedList> LapsedRegistrations(const NtaRegistry* registry,
                                               const User& viewer) const;
  /// Stores the rows of a parsed export (ParseLegacyCreditors, before this
  /// call) as import "L" + six digits, in chunks of 1,000 rows, with one
  /// "workflow.legacy_creditors.imported" event (file name, SHA-256 of the
  /// bytes, encoding, rows, the rows left out with their lines). A number
  /// imported again takes the later row. InvalidArgument if parse has no
  /// rows. Returns the import id.
  base::Result<std::string> ImportLegacyCreditors(const LegacyParse& parse,
                                                  std::string_view file_name,
                                                  std::string_view sha256_hex, const User& actor);
  /// Every legacy number (the latest row of each), by number.
  base::Result<std::vector<LegacyCreditor>> ListLegacyCreditors(const User& viewer) const;
  /// The clusters still to decide (FindVendorClusters over the legacy
  /// numbers, the vendor master and the active merges, read in one
  /// snapshot; the clustering runs after the read).
  base::Result<std::vector<VendorCluster>> FindDuplicateCreditors(const User& viewer) const;

  /// A merge of a legacy number into its survivor.
  struct CreditorMerge {
    std::string number, survivor, merged_by, merged_at;
    std::string reason;  ///< why, as the person gave it ("" from the CLI)
  };
  /// The active merges, by number.
  base::Result<std::vector<CreditorMerge>> ListCreditorMerges(const User& viewer) const;
  /// Records that numbers are the vendor survivor: one
  /// "workflow.vendor.merged" event; from then on GetVendor, commitments
  /// and orders resolve each number to survivor (ResolveCreditor).
  /// survivor: a vendor-master id or an imported legacy number that is not
  /// itself merged (FailedPrecondition naming where it went). Each number:
  /// an imported legacy number (NotFound otherwise), not the survivor
  /// (InvalidArgument), not a survivor of others (FailedPrecondition),
  /// not merged into another survivor (Aborted: undo that first). Numbers
  /// already merged into survivor are left as they are. reason (why the
  /// numbers are one vendor; required, InvalidArgument when blank — from
  /// the CLI, the API and the screen alike) is kept in the merge record and
  /// the event.
  base::Status MergeCreditors(std::string_view survivor, const std::vector<std::string>& numbers,
                              const User& actor, std::string_view reason);
  /// Undoes the active merges of numbers: one "workflow.vendor.unmerged"
  /// event (with reason, optional); the merge records stay, marked undone.
  /// NotFound for a number that is not merged now.
  base::Status UnmergeCreditors(const std::vector<std::string>& numbers, const User& actor,
                                std::string_view reason = {});
  /// The survivor a number is merged into, or the number itself.
  base::Result<std::string> ResolveCreditor(std::string_view number) const;

  // --- Commitments --------------------------------------------------------

  /// Creates a commitment; id, reserved, paid, created_by/at are assigned.
  /// A clerk of its department, an accountant or an admin. The department
  /// and vendor must exist (InvalidArgument).
  base::Result<Commitment> CreateCommitment(const Commitment& commitment, const User& actor);
  base::Result<Commitment> GetCommitment(std::string_view id) const;
  /// Sorted by id.
  base::Result<std::vector<Commitment>> ListCommitments(const CommitmentFilter& filter) const;

  // --- Payment orders -----------------------------------------------------

  /// Drafts a payment order for an archived invoice against a commitment:
  /// fills it from the invoice fields, matches every field (matching.h),
  /// chooses the route, starts the payment clock at the invoice's receipt
  /// and reserves the amount from the commitment. The actor must be a clerk
  /// of the commitment's department, and the invoice received by that
  /// department (ReceivingDepartment, access.h): PermissionDenied naming
  /// both departments otherwise. Aborted if the document already has a
  /// live order; FailedPrecondition if the invoice has no readable total in
  /// yen or is a credit note, or the vendor is not in the master.
  base::Result<OrderView> Draft(std::string_view document_id, std::string_view commitment_id,
                                const User& actor);
  /// Performs an action (state_machine.h) as one transaction with its
  /// event, decided on the order's current match (GetOrder). A
  /// confirm_bank_account also puts the invoice's account into the vendor
  /// master, with the workflow.vendor.updated event PutVendor would write,
  /// in the same transaction.
  base::Result<OrderView> Act(std::string_view order_id, const ActionRequest& request,
                              const User& actor);
  /// The order with its match, route, history, commitment and what the
  /// viewer may do. The match (and the bank account paid to) is always the
  /// current one: the invoice's current version against the commitment
  /// and the vendor master as they are now (Draft, Act and GetInbox see
  /// the same); a paid or withdrawn order shows the match it ended with.
  base::Result<OrderView> GetOrder(std::string_view order_id, const User& viewer) const;

  /// The commitments an order for the invoice document_id may be drafted
  /// from (DraftCandidates): those of the department that received it
  /// whose vendor is the invoice's, as the match decides it, each with the
  /// match a draft would show now. For every reader of the document
  /// (CheckRead of its receiving department: PermissionDenied otherwise);
  /// whether the reader may draft is Draft's decision. NotFound for an
  /// unknown document.
  base::Result<DraftCandidates> DraftCandidatesFor(std::string_view document_id,
                                                   const User& viewer) const;

  // --- Payments (payments.h) ---------------------------------------------

  /// The accounting office's payment run for `date` (振込指定日): every
  /// accepted order the caller may pay now, the 全銀 file and the CSV for
  /// 財務会計, and the orders left out with the reason. Changes nothing.
  /// PermissionDenied unless the caller is of the accounting office;
  /// FailedPrecondition without a remitter (WorkflowOptions).
  base::Result<PaymentRun> PreparePaymentRun(const User& actor, base::Date date) const;
  /// Records a prepared run as one "workflow.payment_run.recorded" event
  /// (date, orders and amounts, total, SHA-256 of the 全銀 file): what was
  /// handed to the bank. Aborted if an order is no longer accepted.
  /// Stores the run (a new id, "R" + fiscal year + "-" + 4 digits), its two
  /// files and which orders it holds, and returns it. Aborted if an order is
  /// no longer accepted or is in another recorded run; FailedPrecondition
  /// if an order now looks like another order's invoice
  /// (double_payment.h). InvalidArgument for a run without lines.
  base::Result<PaymentRunRecord> RecordPaymentRun(const PaymentRun& run, const User& actor);
  /// The bank accepted the run's file: every order of the run is paid (the
  /// pay action's rules, one "workflow.order.paid" event each with
  /// "payment_run"), then "workflow.payment_run.confirmed" — all in one
  /// write. Accounting office only (PermissionDenied); NotFound for an
  /// unknown run; Aborted for a run already confirmed or cancelled; an
  /// order the pay action refuses fails the whole confirmation with its
  /// message (nothing is written).
  base::Result<PaymentRunRecord> ConfirmPaymentRun(std::string_view id, const User& actor);
  /// Cancels a recorded run before confirmation (the file was not sent or
  /// the bank refused it): its orders may go into another run. reason is
  /// required (InvalidArgument). Aborted once confirmed or cancelled.
  /// Event "workflow.payment_run.cancelled".
  base::Result<PaymentRunRecord> CancelPaymentRun(std::string_view id, std::string_view reason,
                                                  const User& actor);
  /// Every run, newest first (the accounting office and auditors:
  /// MayReadPaymentRuns; PermissionDenied otherwise).
  base::Result<std::vector<PaymentRunRecord>> ListPaymentRuns(const User& viewer) const;
  base::Result<PaymentRunRecord> GetPaymentRun(std::string_view id, const User& viewer) const;
  /// The stored bytes of a run's file: kind "zengin" (Shift_JIS) or "csv"
  /// (UTF-8 with BOM). NotFound for an unknown run or kind.
  base::Result<std::string> PaymentRunFile(std::string_view id, std::string_view kind,
                                           const User& viewer) const;

  // --- Inbox --------------------------------------------------------------

  /// The user's home screen (inbox.h): every list counted in full and its
  /// first page_size items (at most 500; 0: the counts alone), read in one
  /// snapshot from the work lists.
  base::Result<Inbox> GetInbox(const User& user, size_t page_size = 50) const;
  /// One list of the inbox, limit items (1..500) after `after` (the `next`
  /// of the page before; "" for the first page). InvalidArgument for a
  /// malformed cursor.
  base::Result<InboxPage> GetInboxList(const User& user, InboxList list, std::string_view after,
                                       size_t limit) const;

  // --- Documents ----------------------------------------------------------

  /// OK if uploader may archive a document for department (MayUpload,
  /// access.h) and the department is registered: PermissionDenied, or
  /// InvalidArgument ("登録されていない課です: ...") for an unknown one.
  base::Status CheckUpload(const User& uploader, std::string_view department) const;

  /// Corrects a document's fields (Archive::Correct: a new version with
  /// reason and author) and, in the same write transaction, what that
  /// means for the payment order drafted from it:
  ///   none, or a paid or withdrawn one — the correction alone;
  ///   a draft — the draft follows its invoice: amount, counterparty,
  ///     invoice number, issue date, route and the commitment's
  ///     reservation from the new version, the match recomputed (an
  ///     acknowledgement of values that changed no longer counts), version
  ///     + 1, "document_corrected" in its history and a
  ///     "workflow.order.document_corrected" event;
  ///   submitted (pending approval, accounting review, accepted) — refused,
  ///     Aborted naming the order ("支出命令 P2026-0003 が手続き中（決裁待ち）
  ///     のため訂正できません。…"): it must be returned to draft first.
  /// Who may: MayCorrectDocument (access.h) for the user as the
  /// transaction sees them. A SystemUser (the CLI) is recorded as
  /// "cli:<name>". Errors: NotFound (document), PermissionDenied, Aborted
  /// (another expected_version, or an order under way), FailedPrecondition
  /// (the correction would leave a draft's invoice unpayable: no total, a
  /// credit note, not in yen), InvalidArgument (no change or no reason).
  base::Result<archive::Version> CorrectDocument(const DocumentCorrection& correction,
                                                 const User& actor);

  /// Where document_id stands for viewer (document_standing.h): its
  /// live order and what the viewer may do. NotFound for an unknown
  /// document, PermissionDenied if the viewer may not read it (MayRead).
  base::Result<DocumentStanding> GetDocumentStanding(std::string_view document_id,
                                                     const User& viewer) const;
  /// The archive's search with each document's state: state ("" for any,
  /// else one of kDocumentStates; InvalidArgument otherwise) is a
  /// condition inside the query, so count and pages include it. The
  /// caller narrows q to the reader's scope (ReadScope) first.
  base::Result<DocumentList> SearchDocuments(archive::SearchQuery q, std::string_view state) const;
  /// Adds that state condition to q (its filter; for the CSV of the same
  /// search). InvalidArgument for an unknown state.
  base::Status NarrowToState(archive::SearchQuery* q, std::string_view state) const;

  /// OK if reader may read the records of department (documents received
  /// for it, originals, commitments, payment orders): MayRead (access.h)
  /// with this workflow's routes. PermissionDenied otherwise.
  base::Status CheckRead(const User& reader, std::string_view department) const;
  /// The department reader's searches and lists are confined to, or "" for
  /// all departments (ReadScope, access.h).
  std::string ReadScope(const User& reader) const;

  // --- Figures (figures.h, figures.cc) -----------------------------------

  /// The figures of 効果の見える化 for viewer over q's period (default: the
  /// current fiscal year up to today), in q.department or, if "", every
  /// department viewer reads (ReadScope). PermissionDenied unless
  /// MayViewFigures, or for a department viewer may not read (MayRead);
  /// InvalidArgument for from after to or a period over kFiguresMaxDays.
  /// Scans the period's search rows and orders: for a few people now and
  /// then, not for the home screen (figures.cc says what it costs).
  base::Result<Figures> GetFigures(FiguresQuery q, const User& viewer) const;

  // --- API tokens (api_token.h) ------------------------------------------

  /// A new token and its secret, which is shown once and never stored.
  struct CreatedToken {
    ApiToken token;
    std::string secret;
  };
  /// Admin only: a token that uploads documents for department (which must
  /// be registered: InvalidArgument otherwise), with its event.
  base::Result<CreatedToken> CreateApiToken(std::string_view name, std::string_view department,
                                            const User& actor);
  /// Admin only: every token, revoked ones too, oldest first.
  base::Result<std::vector<ApiToken>> ListApiTokens(const User& actor) const;
  /// Admin only: the token stops authenticating at once, with its event.
  /// NotFound for an unknown id; revoking a revoked token changes nothing.
  base::Status RevokeApiToken(std::string_view id, const User& actor);
  /// The active token whose secret this is; PermissionDenied
  /// ("APIトークンが無効です…") for anything else.
  base::Result<ApiToken> AuthenticateToken(std::string_view secret) const;

 private:
  struct Rep;
  explicit Workflow(std::unique_ptr<Rep> rep);
  std::unique_ptr<Rep> rep_;
};

}  // namespace workflow

#endif  // WORKFLOW_WORKFLOW_H_

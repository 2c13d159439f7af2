#include "workflow/access.h"

#include <initializer_list>

namespace workflow {

using base::Status;

namespace {

bool HasAnyRole(const User& user, std::initializer_list<Role> roles) {
  for (Role r : roles) {
    if (user.HasRole(r)) return true;
  }
  return false;
}

}  // namespace

Status MayUseSession(const User& user) {
  if (!user.active) return Status::PermissionDenied("このアカウントは無効です");
  return Status::OK();
}

std::string ReceivingDepartment(const archive::DocumentView& document) {
  return document.receipts.empty() ? std::string() : document.receipts.front().department;
}

std::string DefaultUploadDepartment(const User& user) { return user.department; }

Status MayUpload(const User& user, std::string_view department) {
  if (department == user.department || HasAnyRole(user, {Role::kAccountant, Role::kAdmin})) {
    return Status::OK();
  }
  return Status::PermissionDenied("自分の課（" + user.department + "）の書類だけを登録できます");
}

Status MayCorrectDocument(const User& user, std::string_view receiving_department) {
  const bool clerk_here = user.HasRole(Role::kClerk) && !receiving_department.empty() &&
                          user.department == receiving_department;
  if (clerk_here || HasAnyRole(user, {Role::kAccountant, Role::kAdmin})) return Status::OK();
  return Status::PermissionDenied(
      "この書類の項目は、受け付けた課の担当者か会計室だけが入力・訂正できます");
}

Status MayReadDocument(const User&, std::string_view) {
  // No department scoping of reads yet (see the header).
  return Status::OK();
}

std::string InboxSearchDepartment(const User& user) {
  if (HasAnyRole(user, {Role::kApprover, Role::kAccountant, Role::kAuditor, Role::kCompliance,
                        Role::kAdmin})) {
    return "";
  }
  return user.department;
}

}  // namespace workflow

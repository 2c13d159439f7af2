#include "workflow/access.h"

#include <initializer_list>

#include "workflow/internal/json_util.h"

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

Status MayManageUsers(const User& user) {
  if (!user.HasRole(Role::kAdmin)) {
    return Status::PermissionDenied("利用者の管理は管理者だけが行えます");
  }
  return Status::OK();
}

Status MayManageVendors(const User& user) {
  if (!user.HasRole(Role::kAdmin) && !user.HasRole(Role::kAccountant)) {
    return Status::PermissionDenied("債権者マスタは会計室または管理者だけが変更できます");
  }
  return Status::OK();
}

Status MayReviewCreditors(const User& user) {
  if (!MayManageVendors(user).ok() && !user.HasRole(Role::kAuditor)) {
    return Status::PermissionDenied("旧債権者番号の統合は会計室・管理者・監査だけが見られます");
  }
  return Status::OK();
}

std::string ReceivingDepartment(const archive::DocumentView& document) {
  return document.receipts.empty() ? std::string() : document.receipts.front().department;
}

std::string DefaultUploadDepartment(const User& user) { return user.department; }

Status MayUpload(const User& user, std::string_view department) {
  if (HasAnyRole(user, {Role::kAccountant, Role::kAdmin})) return Status::OK();
  if (!user.HasRole(Role::kClerk)) {
    return Status::PermissionDenied(
        "書類を登録できるのは各課の会計担当と会計室です（この役割では閲覧だけができます）");
  }
  if (department == user.department) return Status::OK();
  return Status::PermissionDenied("自分の課（" + user.department + "）の書類だけを登録できます");
}

Status MayCorrectDocument(const User& user, std::string_view receiving_department) {
  const bool clerk_here = user.HasRole(Role::kClerk) && !receiving_department.empty() &&
                          user.department == receiving_department;
  if (clerk_here || HasAnyRole(user, {Role::kAccountant, Role::kAdmin})) return Status::OK();
  return Status::PermissionDenied(
      "この書類の項目は、受け付けた課の担当者か会計室だけが入力・訂正できます");
}

Status MayDraftFrom(const User& user, std::string_view receiving_department) {
  if (user.HasRole(Role::kClerk) && !receiving_department.empty() &&
      user.department == receiving_department) {
    return Status::OK();
  }
  return Status::PermissionDenied("支出命令は、請求書を受け付けた課の会計担当者が起票します");
}

bool SeesAllDepartments(const User& user, const RouteConfig& routes) {
  if (HasAnyRole(user, {Role::kAccountant, Role::kAuditor, Role::kCompliance, Role::kAdmin})) {
    return true;
  }
  return user.HasRole(Role::kApprover) && routes.IsAnyDepartmentTitle(user.title);
}

Status MayRead(const User& user, std::string_view department, const RouteConfig& routes) {
  if (SeesAllDepartments(user, routes)) return Status::OK();
  if (!department.empty() && department == user.department) return Status::OK();
  const std::string whose = department.empty() ? std::string("どの課にも属さない")
                                               : "他の課（" + internal::Shown(department) + "）の";
  return Status::PermissionDenied(whose + "書類・支出命令は見られません。自分の課（" +
                                  user.department + "）のものだけを見られます");
}

std::string ReadScope(const User& user, const RouteConfig& routes) {
  return SeesAllDepartments(user, routes) ? std::string() : user.department;
}

Status MayViewFigures(const User& user) {
  const bool manager = user.HasRole(Role::kApprover) && !user.title.empty();
  if (manager || HasAnyRole(user, {Role::kAccountant, Role::kAdmin})) return Status::OK();
  return Status::PermissionDenied(
      "効果の見える化は、課長・部長・副市長などの決裁者、会計室と管理者が見られます");
}

Status MayManageRetention(const User& user) {
  if (!user.active || !user.HasRole(Role::kCompliance)) {
    return Status::PermissionDenied("保存期間・法的保存・廃棄は文書管理担当者だけが行えます");
  }
  return Status::OK();
}

Status MayReadRetention(const User& user) {
  if (!user.active || (!user.HasRole(Role::kCompliance) && !user.HasRole(Role::kAuditor))) {
    return Status::PermissionDenied("保存期間・法的保存の記録は文書管理担当者と監査だけが見られます");
  }
  return Status::OK();
}

Status MayExportEvidence(const User& user) {
  if (!user.active || !user.HasRole(Role::kCompliance)) {
    return Status::PermissionDenied("証跡出力は文書管理担当者だけが行えます");
  }
  return Status::OK();
}

Status MayRunPayments(const User& user) {
  if (!user.active || !user.HasRole(Role::kAccountant)) {
    return Status::PermissionDenied("支払処理は会計室だけが行えます");
  }
  return Status::OK();
}

Status MayReadPaymentRuns(const User& user) {
  if (!user.active || (!user.HasRole(Role::kAccountant) && !user.HasRole(Role::kAuditor))) {
    return Status::PermissionDenied("支払処理の記録は会計室と監査だけが見られます");
  }
  return Status::OK();
}

}  // namespace workflow

#include "workflow/access.h"

#include <gtest/gtest.h>

#include "tests/fakes/test_util.h"

namespace workflow {
namespace {

using Code = base::Status::Code;

// One user per role, most of them in 総務課 (somu).
const User kClerk{"kato", "加藤", "somu", {Role::kClerk}, "", true};
const User kOtherClerk{"mori", "森", "doboku", {Role::kClerk}, "", true};
const User kApprover{"kacho", "課長", "somu", {Role::kApprover}, "課長", true};
const User kDeputyMayor{"fuku", "副市長", "hisho", {Role::kApprover}, "副市長", true};
const User kAccountant{"kaikei", "会計", "kaikei", {Role::kAccountant}, "", true};
const User kAuditor{"kansa", "監査", "somu", {Role::kAuditor}, "", true};
const User kCompliance{"hokan", "保管", "somu", {Role::kCompliance}, "", true};
const User kAdmin{"admin", "管理", "hisho", {Role::kAdmin}, "", true};
const User kClerkAndApprover{"sato", "佐藤", "somu", {Role::kClerk, Role::kApprover}, "係長", true};

Code CodeOf(const base::Status& s) { return s.code(); }

TEST(AccessTest, OnlyActiveAccountsMayUseASession) {
  EXPECT_OK(MayUseSession(kClerk));
  User disabled = kClerk;
  disabled.active = false;
  EXPECT_EQ(CodeOf(MayUseSession(disabled)), Code::kPermissionDenied);
}

TEST(AccessTest, ReceivingDepartmentIsThatOfTheFirstReceipt) {
  archive::DocumentView view;
  EXPECT_EQ(ReceivingDepartment(view), "");
  view.receipts.resize(2);
  view.receipts[0].department = "somu";
  view.receipts[1].department = "doboku";
  EXPECT_EQ(ReceivingDepartment(view), "somu");
}

TEST(AccessTest, ClerksUploadForTheOwnDepartment) {
  EXPECT_EQ(DefaultUploadDepartment(kClerk), "somu");
  EXPECT_EQ(DefaultUploadDepartment(kAccountant), "kaikei");
  for (const User* u : {&kClerk, &kOtherClerk, &kAccountant, &kAdmin, &kClerkAndApprover}) {
    EXPECT_OK(MayUpload(*u, u->department)) << u->login;
  }
}

TEST(AccessTest, ApproversAuditorsAndComplianceDoNotUpload) {
  // The archive is permanent: those who only read it put nothing in it,
  // not even for their own department.
  for (const User* u : {&kApprover, &kDeputyMayor, &kAuditor, &kCompliance}) {
    EXPECT_EQ(CodeOf(MayUpload(*u, u->department)), Code::kPermissionDenied) << u->login;
  }
  EXPECT_EQ(MayUpload(kAuditor, "somu").message(),
            "書類を登録できるのは各課の会計担当と会計室です（この役割では閲覧だけができます）");
}

TEST(AccessTest, OnlyAccountantsAndAdminsUploadForAnotherDepartment) {
  EXPECT_OK(MayUpload(kAccountant, "somu"));
  EXPECT_OK(MayUpload(kAdmin, "doboku"));
  for (const User* u :
       {&kClerk, &kApprover, &kDeputyMayor, &kAuditor, &kCompliance, &kClerkAndApprover}) {
    EXPECT_EQ(CodeOf(MayUpload(*u, "doboku")), Code::kPermissionDenied) << u->login;
  }
  // The refusal names the department the user may upload for.
  EXPECT_EQ(MayUpload(kClerk, "doboku").message(), "自分の課（somu）の書類だけを登録できます");
  EXPECT_EQ(CodeOf(MayUpload(kClerk, "")), Code::kPermissionDenied);
}

TEST(AccessTest, ClerksOfTheReceivingDepartmentCorrectDocuments) {
  EXPECT_OK(MayCorrectDocument(kClerk, "somu"));
  EXPECT_OK(MayCorrectDocument(kClerkAndApprover, "somu"));
  EXPECT_EQ(CodeOf(MayCorrectDocument(kClerk, "doboku")), Code::kPermissionDenied);
  EXPECT_EQ(CodeOf(MayCorrectDocument(kOtherClerk, "somu")), Code::kPermissionDenied);
  // A document received for no department is not any clerk's, even one
  // whose own department is empty.
  User no_department = kClerk;
  no_department.department = "";
  EXPECT_EQ(CodeOf(MayCorrectDocument(no_department, "")), Code::kPermissionDenied);
}

TEST(AccessTest, OnlyClerksOfTheReceivingDepartmentDraftFromItsInvoices) {
  EXPECT_OK(MayDraftFrom(kClerk, "somu"));
  EXPECT_OK(MayDraftFrom(kClerkAndApprover, "somu"));
  EXPECT_EQ(CodeOf(MayDraftFrom(kClerk, "doboku")), Code::kPermissionDenied);
  EXPECT_EQ(CodeOf(MayDraftFrom(kOtherClerk, "somu")), Code::kPermissionDenied);
  // The accounting office corrects any invoice but drafts none.
  EXPECT_EQ(CodeOf(MayDraftFrom(kAccountant, "somu")), Code::kPermissionDenied);
  EXPECT_EQ(CodeOf(MayDraftFrom(kAdmin, "somu")), Code::kPermissionDenied);
  User no_department = kClerk;
  no_department.department = "";
  EXPECT_EQ(CodeOf(MayDraftFrom(no_department, "")), Code::kPermissionDenied);
}

TEST(AccessTest, AccountantsAndAdminsCorrectAnyDocument) {
  for (const std::string_view department : {"somu", "doboku", ""}) {
    EXPECT_OK(MayCorrectDocument(kAccountant, department)) << department;
    EXPECT_OK(MayCorrectDocument(kAdmin, department)) << department;
  }
}

TEST(AccessTest, ApproversAuditorsAndComplianceOnlyReadDocuments) {
  for (const User* u : {&kApprover, &kDeputyMayor, &kAuditor, &kCompliance}) {
    EXPECT_EQ(CodeOf(MayCorrectDocument(*u, u->department)), Code::kPermissionDenied) << u->login;
    EXPECT_OK(MayRead(*u, u->department, RouteConfig{})) << u->login;
  }
  EXPECT_EQ(MayCorrectDocument(kAuditor, "somu").message(),
            "この書類の項目は、受け付けた課の担当者か会計室だけが入力・訂正できます");
}

TEST(AccessTest, ClerksAndApproversReadTheirOwnDepartmentOnly) {
  const RouteConfig routes;
  for (const User* u : {&kClerk, &kApprover, &kClerkAndApprover}) {
    EXPECT_OK(MayRead(*u, "somu", routes)) << u->login;
    EXPECT_EQ(CodeOf(MayRead(*u, "doboku", routes)), Code::kPermissionDenied) << u->login;
    // Nothing received for no department is any department's to read.
    EXPECT_EQ(CodeOf(MayRead(*u, "", routes)), Code::kPermissionDenied) << u->login;
    EXPECT_FALSE(SeesAllDepartments(*u, routes)) << u->login;
    EXPECT_EQ(ReadScope(*u, routes), "somu") << u->login;
  }
  EXPECT_EQ(MayRead(kClerk, "doboku", routes).message(),
            "他の課（doboku）の書類・支出命令は見られません。自分の課（somu）のものだけを見られます");
}

TEST(AccessTest, AnyDepartmentTitlesAndOfficeRolesReadEveryDepartment) {
  const RouteConfig routes;  // 副市長 approves for every department
  for (const User* u : {&kDeputyMayor, &kAccountant, &kAuditor, &kCompliance, &kAdmin}) {
    for (const std::string_view department : {"somu", "doboku", ""}) {
      EXPECT_OK(MayRead(*u, department, routes)) << u->login << " " << department;
    }
    EXPECT_TRUE(SeesAllDepartments(*u, routes)) << u->login;
    EXPECT_EQ(ReadScope(*u, routes), "") << u->login;
  }
  // The title decides, as configured: without it 副市長 reads hisho only.
  RouteConfig no_titles;
  no_titles.any_department_titles.clear();
  EXPECT_EQ(ReadScope(kDeputyMayor, no_titles), "hisho");
  EXPECT_EQ(CodeOf(MayRead(kDeputyMayor, "somu", no_titles)), Code::kPermissionDenied);
}

}  // namespace
}  // namespace workflow

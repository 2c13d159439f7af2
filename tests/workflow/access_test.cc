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

TEST(AccessTest, EveryoneUploadsForTheOwnDepartment) {
  EXPECT_EQ(DefaultUploadDepartment(kClerk), "somu");
  EXPECT_EQ(DefaultUploadDepartment(kAccountant), "kaikei");
  for (const User* u : {&kClerk, &kOtherClerk, &kApprover, &kDeputyMayor, &kAccountant, &kAuditor,
                        &kCompliance, &kAdmin}) {
    EXPECT_OK(MayUpload(*u, u->department)) << u->login;
  }
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

TEST(AccessTest, AccountantsAndAdminsCorrectAnyDocument) {
  for (const std::string_view department : {"somu", "doboku", ""}) {
    EXPECT_OK(MayCorrectDocument(kAccountant, department)) << department;
    EXPECT_OK(MayCorrectDocument(kAdmin, department)) << department;
  }
}

TEST(AccessTest, ApproversAuditorsAndComplianceOnlyReadDocuments) {
  for (const User* u : {&kApprover, &kDeputyMayor, &kAuditor, &kCompliance}) {
    EXPECT_EQ(CodeOf(MayCorrectDocument(*u, u->department)), Code::kPermissionDenied) << u->login;
    EXPECT_OK(MayReadDocument(*u, u->department)) << u->login;
  }
  EXPECT_EQ(MayCorrectDocument(kAuditor, "somu").message(),
            "この書類の項目は、受け付けた課の担当者か会計室だけが入力・訂正できます");
}

TEST(AccessTest, EveryoneReadsEveryDocumentUntilReadsAreScoped) {
  for (const User* u : {&kClerk, &kOtherClerk, &kApprover, &kAccountant, &kAuditor, &kAdmin}) {
    for (const std::string_view department : {"somu", "doboku", ""}) {
      EXPECT_OK(MayReadDocument(*u, department)) << u->login << " " << department;
    }
  }
}

TEST(AccessTest, OnlyAClerksInboxSearchIsNarrowedToTheDepartment) {
  EXPECT_EQ(InboxSearchDepartment(kClerk), "somu");
  EXPECT_EQ(InboxSearchDepartment(kOtherClerk), "doboku");
  for (const User* u : {&kApprover, &kDeputyMayor, &kAccountant, &kAuditor, &kCompliance, &kAdmin,
                        &kClerkAndApprover}) {
    EXPECT_EQ(InboxSearchDepartment(*u), "") << u->login;
  }
}

}  // namespace
}  // namespace workflow

// The organisation the workflow runs in: departments, users with their
// roles, and the vendor master (債権者). Values and pure rules only; the
// Workflow facade (workflow/workflow.h) stores them.
//
// Thread safety: values and pure functions.
#ifndef WORKFLOW_ORGANIZATION_H_
#define WORKFLOW_ORGANIZATION_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/result.h"
#include "base/status.h"
#include "base/time.h"

namespace workflow {

/// What a user may do. A user may hold several roles.
enum class Role {
  kClerk,       ///< 会計担当: drafts and submits the department's payment orders
  kApprover,    ///< 決裁者 with a title (課長, 部長, 副市長): approves a route step
  kAccountant,  ///< 会計室: 会計審査 (accept or return) and payment
  kAuditor,     ///< 監査: reads everything
  kCompliance,  ///< exports evidence
  kAdmin,       ///< manages departments, users and the vendor master
};

/// "clerk", "approver", "accountant", "auditor", "compliance", "admin".
std::string_view RoleName(Role role);
/// The inverse; InvalidArgument for anything else.
base::Result<Role> ParseRole(std::string_view name);

struct Department {
  std::string code;  ///< "somu": [a-z0-9_-]{1,32}
  std::string name;  ///< "総務課"
};

struct User {
  std::string login;       ///< [a-z0-9._-]{1,64}
  std::string name;        ///< for people
  std::string department;  ///< a department code
  std::vector<Role> roles;
  /// The approver's title (課長, 部長, 副市長) that route steps name; empty
  /// unless the user is an approver.
  std::string title;
  /// A disabled user cannot log in or act.
  bool active = true;
  /// The password was set by an administrator (a reset, or a new account
  /// made through the API): the user must choose their own before anything
  /// else (the API refuses other requests until then).
  bool must_change_password = false;

  // Bookkeeping of the stored record, not part of ToJson:
  /// Raised by every change that must end the user's open sessions (a
  /// password change or reset, disabling, a change of roles, department or
  /// title). A session remembers the generation it began under and ends
  /// when it differs, in every server process.
  uint64_t session_generation = 0;
  /// When an administrator last lifted the user's login throttle (an
  /// unlock, or a password reset); the epoch if never. A server forgives
  /// the failed logins of this name before that moment.
  base::Time unlocked_at{};

  bool HasRole(Role role) const;
};

/// What an administrator changes of a user (Workflow::UpdateUser); members
/// left empty stay as they are.
struct UserChange {
  std::optional<std::string> name;
  std::optional<std::string> department;
  std::optional<std::vector<Role>> roles;
  std::optional<std::string> title;
  std::optional<bool> active;
};

/// A creditor in the vendor master. The bank account is what the city pays
/// to; an invoice naming another account is the classic fraud signal.
struct Vendor {
  std::string id;                   ///< creditor number, e.g. "V00001"
  std::string name;                 ///< registered name
  std::string registration_number;  ///< "T" + 13 digits, or empty
  std::string bank_account;         ///< "bank:branch:type:number" (JP PINT IBT-084)
  std::string address;
  /// 口座名義 in kana as the bank knows it (受取人名 of the 全銀 transfer,
  /// e.g. "カ）オオスミシヨウジ"); empty until the accounting office enters it.
  std::string account_holder;
  /// 法人番号: 13 digits, the first a check digit over the other twelve
  /// (base/registration_number.h), or empty (an individual has none). For a
  /// 法人 that is a registered issuer, its registration number is "T" + this
  /// number: when both are given they must agree (Validate). Neither is
  /// derived from the other: a 法人番号 does not make a vendor a registered
  /// issuer, and an individual's T-number is no 法人番号.
  std::string corporate_number;
  /// フリガナ of the name in full-width katakana ("ヤマダショウジ"), or
  /// empty; hiragana and half-width kana are stored as full-width katakana
  /// (CanonicalVendor). Unlike account_holder it is how the name is read,
  /// not what the bank holds.
  std::string kana_name;
};

/// What Workflow::UpdateVendor changes of a vendor-master entry; members
/// left empty stay as they are ("" clears an optional member). The id
/// never changes.
struct VendorChange {
  std::optional<std::string> name;
  std::optional<std::string> registration_number;
  std::optional<std::string> bank_account;
  std::optional<std::string> address;
  std::optional<std::string> account_holder;
  std::optional<std::string> corporate_number;
  std::optional<std::string> kana_name;
  /// The entry as the caller read it (ToJson's members): if given and the
  /// stored entry differs, someone changed it meanwhile and the update is
  /// refused (Aborted) rather than silently undoing their change — a bank
  /// account the accounting office confirmed, say.
  std::optional<Vendor> expected;
};

/// The bank-account types of "bank:branch:type:number" (全銀 預金種目).
inline constexpr char kBankAccountTypes[] = "1249";  // 普通, 当座, 貯蓄, その他

/// InvalidArgument (with a message for people) unless the record is well
/// formed: codes and logins in their character sets, names non-empty, at
/// least one role, an approver with a title; a vendor's registration
/// number empty or "T" + 13 digits whose check digit holds
/// (base/registration_number.h), its bank account empty or
/// "bank:branch:type:number" — 4-digit 金融機関コード, 3-digit 支店コード,
/// type one of kBankAccountTypes, 7-digit 口座番号; its account holder
/// empty or in the 全銀 character set once made half width (zengin.h); its
/// 法人番号 empty or 13 digits whose check digit holds, and equal to the
/// registration number's digits when both are given; its kana name empty
/// or full-width katakana (ー, ・ and spaces allowed).
base::Status Validate(const Department& d);
base::Status Validate(const User& u);
base::Status Validate(const Vendor& v);

/// The vendor as it is stored: invalid UTF-8 replaced, and the
/// registration number and bank account as people type them made
/// canonical — full-width digits and letters to ASCII (NFKC), spaces and
/// hyphens removed, a lower-case "t" upper case ("ｔ７０１０-７０５０-００７２５"
/// → "T7010705000725"); the 法人番号 likewise; the kana name through ICU
/// (NFKC: half-width kana to full width; Hiragana-Katakana: ひらがな to
/// カタカナ; runs of spaces made one). Validate judges the result.
Vendor CanonicalVendor(const Vendor& v);

/// {"code","name"}
nlohmann::json ToJson(const Department& d);
/// {"login","name","department","roles":[...],"title","active",
/// "must_change_password"}; never a password or its hash.
nlohmann::json ToJson(const User& u);
/// {"id","name","registration_number","bank_account","address",
/// "account_holder","corporate_number","kana_name"}: also the stored record
/// (records written before the last two were added read as "").
nlohmann::json ToJson(const Vendor& v);
/// The inverses; Corruption for a malformed record. UserFromJson also
/// reads the stored record's session_generation and unlocked_at (absent:
/// 0 and the epoch).
base::Result<Department> DepartmentFromJson(const nlohmann::json& j);
base::Result<User> UserFromJson(const nlohmann::json& j);
base::Result<Vendor> VendorFromJson(const nlohmann::json& j);

/// Argon2id cost. The defaults follow OWASP's recommendation (19 MiB,
/// 2 passes, 1 lane); tests may pass cheaper ones.
struct PasswordParams {
  size_t memory_kib = 19456;
  size_t iterations = 2;
  size_t parallelism = 1;
};

/// The rules a new password must follow when a person chooses or sets one
/// (a new user, a change, a reset), after OWASP ASVS 4.0 V2.1 and without
/// composition rules: at least kMinPasswordChars and at most
/// kMaxPasswordChars characters (Unicode code points of valid UTF-8), and
/// not the login ID itself (compared ignoring ASCII case).
/// InvalidArgument with the rule in Japanese otherwise.
inline constexpr size_t kMinPasswordChars = 12;
inline constexpr size_t kMaxPasswordChars = 128;
base::Status CheckNewPassword(std::string_view password, std::string_view login);

/// An Argon2id hash of password with a fresh random salt, as a PHC string
/// ("$argon2id$v=19$m=...,t=...,p=...$salt$hash"). InvalidArgument for an
/// empty password or one shorter than 8 bytes; Internal if Botan fails.
base::Result<std::string> HashPassword(std::string_view password, const PasswordParams& params);
/// True if password matches the hash. A malformed hash is false.
bool CheckPassword(std::string_view password, const std::string& hash);

}  // namespace workflow

#endif  // WORKFLOW_ORGANIZATION_H_

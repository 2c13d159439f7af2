#include "workflow/organization.h"
#include "workflow/zengin.h"

#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <array>
#include <memory>
#include <utility>

#include "base/registration_number.h"
#include "base/text.h"
#include "base/utf8.h"
#include "workflow/internal/json_util.h"

namespace workflow {

using base::Result;
using base::Status;
using nlohmann::json;

namespace {

constexpr std::array<std::pair<Role, std::string_view>, 6> kRoleNames = {{
    {Role::kClerk, "clerk"},
    {Role::kApprover, "approver"},
    {Role::kAccountant, "accountant"},
    {Role::kAuditor, "auditor"},
    {Role::kCompliance, "compliance"},
    {Role::kAdmin, "admin"},
}};

bool InCharset(std::string_view s, size_t max_len, std::string_view extra) {
  if (s.empty() || s.size() > max_len) return false;
  return std::all_of(s.begin(), s.end(), [&](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           extra.find(c) != std::string_view::npos;
  });
}

bool Digits(std::string_view s, size_t n) {
  return s.size() == n &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// "0005:123:1:1234567": 金融機関コード, 支店コード, 預金種目, 口座番号.
bool IsBankAccount(std::string_view s) {
  if (s.size() != 4 + 1 + 3 + 1 + 1 + 1 + 7) return false;
  return Digits(s.substr(0, 4), 4) && s[4] == ':' && Digits(s.substr(5, 3), 3) && s[8] == ':' &&
         std::string_view(kBankAccountTypes).find(s[9]) != std::string_view::npos && s[10] == ':' &&
         Digits(s.substr(11), 7);
}

// A number as people type it, canonical: NFKC (full width to ASCII), white
// space and dashes (hyphens, minus signs, the long vowel mark ー that an
// IME gives for "-") left out.
std::string CanonicalNumber(std::string_view raw) {
  const std::string folded = base::NormalizeText(raw);  // NFKC, case folded
  std::string out;
  base::ForEachCodePoint(folded, [&](char32_t cp) {
    const bool dash = cp == U'-' || (cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212 ||
                      cp == 0x30FC || cp == 0xFF70;
    if (!dash && cp != U' ' && cp != U'\t' && cp != 0x3000) base::AppendCodePoint(cp, &out);
    return true;
  });
  return out;
}

// ひらがな → カタカナ. ICU transliterators are not thread-safe: one shared,
// cloned per call (as zengin.cc does).
const icu::Transliterator* HiraganaKatakana() {
  static const icu::Transliterator* t = [] {
    UErrorCode status = U_ZERO_ERROR;
    return icu::Transliterator::createInstance("Hiragana-Katakana", UTRANS_FORWARD, status);
  }();
  return t;
}

// A kana name as people type it, as stored: NFKC (half-width ｶﾀｶﾅ to full
// width, full-width spaces to ASCII), ひらがな to カタカナ, runs of spaces
// one, none at either end. Text ICU cannot take is returned cleaned only
// (Validate then names what is wrong).
std::string CanonicalKana(std::string_view raw) {
  const std::string cleaned = internal::Clean(raw);
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(status);
  const icu::Transliterator* shared = HiraganaKatakana();
  if (U_FAILURE(status) || shared == nullptr) return cleaned;
  icu::UnicodeString u = nfkc->normalize(icu::UnicodeString::fromUTF8(cleaned), status);
  if (U_FAILURE(status)) return cleaned;
  std::unique_ptr<icu::Transliterator> t(shared->clone());
  t->transliterate(u);
  std::string utf8;
  u.toUTF8String(utf8);
  std::string out;
  bool space = false;
  base::ForEachCodePoint(utf8, [&](char32_t cp) {
    if (cp == U' ' || cp == U'\t') {
      space = !out.empty();
      return true;
    }
    if (space) out += ' ';
    space = false;
    base::AppendCodePoint(cp, &out);
    return true;
  });
  return out;
}

// The first character of a canonical kana name that is not full-width
// katakana (ァ..ヺ, ・, ー, ヽ, ヾ) or a space; "" if none.
std::string NotKatakana(std::string_view kana) {
  std::string bad;
  base::ForEachCodePoint(kana, [&](char32_t cp) {
    if (cp == U' ' || (cp >= 0x30A1 && cp <= 0x30FA) || (cp >= 0x30FB && cp <= 0x30FE)) {
      return true;
    }
    base::AppendCodePoint(cp, &bad);
    return false;
  });
  return bad;
}

Status ValidateCorporateNumber(const Vendor& v) {
  const std::string& corp = v.corporate_number;
  if (corp.empty()) return Status::OK();
  if (!Digits(corp, 13)) {
    return Status::InvalidArgument("法人番号は13桁の数字です（例: 7010705000725）: " +
                                   internal::Shown(corp));
  }
  if (!base::IsValidCorporateNumber(corp)) {
    return Status::InvalidArgument(
        "法人番号の検査用数字（先頭の1桁）が合いません。番号を国税庁の法人番号公表サイトで"
        "確かめてください: " +
        corp);
  }
  const std::string& reg = v.registration_number;
  if (!reg.empty() && reg.substr(1) != corp) {
    return Status::InvalidArgument("法人番号 " + corp + " と登録番号 " + reg +
                                   " が一致しません。法人の登録番号は T と法人番号です。"
                                   "どちらが正しいか確かめてください（個人事業者には法人番号がありません）");
  }
  return Status::OK();
}

}  // namespace

std::string_view RoleName(Role role) {
  for (const auto& [r, name] : kRoleNames) {
    if (r == role) return name;
  }
  return "unknown";
}

Result<Role> ParseRole(std::string_view name) {
  for (const auto& [r, n] : kRoleNames) {
    if (n == name) return r;
  }
  return Status::InvalidArgument("不明な役割です: " + internal::Shown(name) +
                                 " (clerk, approver, accountant, auditor, compliance, admin)");
}

bool User::HasRole(Role role) const {
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

Status Validate(const Department& d) {
  if (!InCharset(d.code, 32, "_-")) {
    return Status::InvalidArgument("課コードは半角英小文字・数字・_- の32文字以内です: " +
                                   internal::Shown(d.code));
  }
  if (d.name.empty()) return Status::InvalidArgument("課の名称がありません");
  return Status::OK();
}

Status Validate(const User& u) {
  if (!InCharset(u.login, 64, "._-")) {
    return Status::InvalidArgument("ログインIDは半角英小文字・数字・._- の64文字以内です: " +
                                   internal::Shown(u.login));
  }
  if (u.name.empty()) return Status::InvalidArgument("氏名がありません");
  if (u.department.empty()) return Status::InvalidArgument("所属課がありません");
  if (u.roles.empty()) return Status::InvalidArgument("役割が一つもありません");
  if (u.HasRole(Role::kApprover) && u.title.empty()) {
    return Status::InvalidArgument("決裁者には職名（課長・部長・副市長など）が必要です");
  }
  return Status::OK();
}

Status Validate(const Vendor& v) {
  if (!InCharset(v.id, 32, "_-ABCDEFGHIJKLMNOPQRSTUVWXYZ")) {
    return Status::InvalidArgument("債権者番号は半角英数字・_- の32文字以内です: " +
                                   internal::Shown(v.id));
  }
  if (v.name.empty()) return Status::InvalidArgument("債権者名がありません");
  const std::string& reg = v.registration_number;
  if (!reg.empty() && !base::LooksLikeRegistrationNumber(reg)) {
    return Status::InvalidArgument("登録番号は T と13桁の数字です（例: T7010705000725）: " +
                                   internal::Shown(reg));
  }
  if (!reg.empty() && !base::IsValidRegistrationNumber(reg)) {
    return Status::InvalidArgument(
        "登録番号の検査用数字（T の次の1桁）が合いません。番号を請求書や国税庁の公表サイトで"
        "確かめてください: " +
        reg);
  }
  if (!v.bank_account.empty() && !IsBankAccount(v.bank_account)) {
    return Status::InvalidArgument(
        "振込先口座は 金融機関コード4桁:支店コード3桁:種別（1 普通・2 当座・4 貯蓄・9 その他）:"
        "口座番号7桁 です（例: 0005:123:1:1234567）: " +
        internal::Shown(v.bank_account));
  }
  if (!v.account_holder.empty()) {
    auto kana = zengin::ToZenginText(v.account_holder);
    if (!kana.ok()) {
      return Status::InvalidArgument("口座名義は銀行に届けたカナで入力してください（例: カ）クラマエインサツ）。" +
                                     kana.status().message());
    }
  }
  RETURN_IF_ERROR(ValidateCorporateNumber(v));
  if (const std::string bad = NotKatakana(v.kana_name); !bad.empty()) {
    return Status::InvalidArgument("フリガナはカタカナで入力してください（ひらがな・半角カナは"
                                   "カタカナにして登録します）。「" +
                                   bad + "」は使えません");
  }
  return Status::OK();
}

Vendor CanonicalVendor(const Vendor& v) {
  Vendor out{internal::Clean(v.id), internal::Clean(v.name), CanonicalNumber(v.registration_number),
             CanonicalNumber(v.bank_account), internal::Clean(v.address),
             internal::Clean(v.account_holder), CanonicalNumber(v.corporate_number),
             CanonicalKana(v.kana_name)};
  if (!out.registration_number.empty() && out.registration_number[0] == 't') {
    out.registration_number[0] = 'T';
  }
  return out;
}

Status CheckNewPassword(std::string_view password, std::string_view login) {
  size_t chars = 0;
  if (!base::ForEachCodePoint(password, [&](char32_t) { return ++chars <= kMaxPasswordChars; })) {
    if (chars > kMaxPasswordChars) {
      return Status::InvalidArgument("パスワードは" + std::to_string(kMaxPasswordChars) +
                                     "文字以内にしてください");
    }
    return Status::InvalidArgument("パスワードに使えないバイト列が含まれています（UTF-8 ではありません）");
  }
  if (chars < kMinPasswordChars) {
    return Status::InvalidArgument("パスワードは" + std::to_string(kMinPasswordChars) +
                                   "文字以上にしてください");
  }
  const auto lower = [](std::string_view s) {
    std::string out(s);
    for (char& c : out) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    return out;
  };
  if (lower(password) == lower(login)) {
    return Status::InvalidArgument("ログインIDと同じパスワードは使えません");
  }
  return Status::OK();
}

json ToJson(const Department& d) { return {{"code", d.code}, {"name", d.name}}; }

json ToJson(const User& u) {
  json roles = json::array();
  for (Role r : u.roles) roles.push_back(std::string(RoleName(r)));
  return {{"login", u.login},
          {"name", u.name},
          {"department", u.department},
          {"roles", roles},
          {"title", u.title},
          {"active", u.active},
          {"must_change_password", u.must_change_password}};
}

json ToJson(const Vendor& v) {
  return {{"id", v.id},
          {"name", v.name},
          {"registration_number", v.registration_number},
          {"bank_account", v.bank_account},
          {"address", v.address},
          {"account_holder", v.account_holder},
          {"corporate_number", v.corporate_number},
          {"kana_name", v.kana_name}};
}

Result<Department> DepartmentFromJson(const json& j) {
  Department d;
  RETURN_IF_ERROR(internal::Decode("課の記録", [&] {
    d.code = j.at("code").get<std::string>();
    d.name = j.at("name").get<std::string>();
  }));
  return d;
}

Result<User> UserFromJson(const json& j) {
  User u;
  Status role_status;
  RETURN_IF_ERROR(internal::Decode("ユーザーの記録", [&] {
    u.login = j.at("login").get<std::string>();
    u.name = j.at("name").get<std::string>();
    u.department = j.at("department").get<std::string>();
    u.title = internal::StringOr(j, "title");
    u.active = j.value("active", true);
    u.must_change_password = j.value("must_change_password", false);
    u.session_generation = j.value("session_generation", uint64_t{0});
    if (j.contains("unlocked_at")) u.unlocked_at = internal::TimeAt(j, "unlocked_at");
    for (const auto& r : j.at("roles")) {
      auto role = ParseRole(r.get<std::string>());
      if (!role.ok()) {
        role_status =
            Status::Corruption("ユーザーの記録が壊れています: " + role.status().message());
        return;
      }
      u.roles.push_back(*role);
    }
  }));
  RETURN_IF_ERROR(role_status);
  return u;
}

Result<Vendor> VendorFromJson(const json& j) {
  Vendor v;
  RETURN_IF_ERROR(internal::Decode("債権者の記録", [&] {
    v.id = j.at("id").get<std::string>();
    v.name = j.at("name").get<std::string>();
    v.registration_number = internal::StringOr(j, "registration_number");
    v.bank_account = internal::StringOr(j, "bank_account");
    v.address = internal::StringOr(j, "address");
    v.account_holder = internal::StringOr(j, "account_holder");
    v.corporate_number = internal::StringOr(j, "corporate_number");
    v.kana_name = internal::StringOr(j, "kana_name");
  }));
  return v;
}

}  // namespace workflow

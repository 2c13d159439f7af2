#include "workflow/organization.h"

#include <algorithm>
#include <array>
#include <utility>

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
  return Status::OK();
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
          {"address", v.address}};
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
  }));
  return v;
}

}  // namespace workflow

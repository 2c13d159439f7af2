#include "workflow/requests.h"

#include <algorithm>
#include <string>
#include <utility>

#include "workflow/internal/json_util.h"

namespace workflow {

using base::Result;
using base::Status;
using nlohmann::json;

namespace {

Status Bad(const std::string& what) { return Status::InvalidArgument(what); }

// An optional string member; InvalidArgument if present and not a string.
Status OptionalString(const json& body, const char* key, std::string* out) {
  auto it = body.find(key);
  if (it == body.end() || it->is_null()) return Status::OK();
  if (!it->is_string()) return Bad(std::string(key) + " は文字列で指定してください");
  *out = internal::Clean(it->get<std::string>());
  return Status::OK();
}

Status RequiredString(const json& body, const char* key, std::string* out) {
  RETURN_IF_ERROR(OptionalString(body, key, out));
  if (out->empty()) return Bad(std::string(key) + " を指定してください");
  return Status::OK();
}

Status RequiredDate(const json& body, const char* key, base::Date* out) {
  std::string text;
  RETURN_IF_ERROR(RequiredString(body, key, &text));
  auto d = base::Date::Parse(text);
  if (!d.ok()) return Bad(std::string(key) + " は YYYY-MM-DD の日付で指定してください");
  *out = *d;
  return Status::OK();
}

Status ParseChecklist(const json& j, std::vector<ChecklistAnswer>* out) {
  if (j.is_object()) {
    for (const auto& [item, value] : j.items()) {
      ChecklistAnswer a{internal::Clean(item), false, ""};
      if (value.is_boolean()) {
        a.confirmed = value.get<bool>();
      } else if (value.is_object()) {
        auto c = value.find("confirmed");
        if (c == value.end() || !c->is_boolean()) {
          return Bad("checklist の " + a.item + " の confirmed は true/false です");
        }
        a.confirmed = c->get<bool>();
        RETURN_IF_ERROR(OptionalString(value, "note", &a.note));
      } else {
        return Bad("checklist の " + a.item + " は true/false で指定してください");
      }
      out->push_back(std::move(a));
    }
    return Status::OK();
  }
  if (j.is_array()) {
    for (const json& e : j) {
      if (!e.is_object()) return Bad("checklist の要素は {\"item\", \"confirmed\"} です");
      ChecklistAnswer a;
      RETURN_IF_ERROR(RequiredString(e, "item", &a.item));
      auto c = e.find("confirmed");
      if (c == e.end() || !c->is_boolean()) return Bad("checklist の confirmed は true/false です");
      a.confirmed = c->get<bool>();
      RETURN_IF_ERROR(OptionalString(e, "note", &a.note));
      out->push_back(std::move(a));
    }
    return Status::OK();
  }
  return Bad("checklist はオブジェクトか配列で指定してください");
}

}  // namespace

Result<ActionRequest> ActionRequestFromJson(const json& body) {
  if (!body.is_object()) return Bad("リクエストは JSON オブジェクトで送ってください");
  ActionRequest r;
  std::string action;
  RETURN_IF_ERROR(RequiredString(body, "action", &action));
  ASSIGN_OR_RETURN(r.action, ParseAction(action));
  auto version = body.find("version");
  if (version == body.end() || !version->is_number_unsigned()) {
    return Bad("version（表示していた支出命令の版）を指定してください");
  }
  const uint64_t v = version->get<uint64_t>();
  if (v > UINT32_MAX) return Bad("version が大きすぎます");
  r.version = static_cast<uint32_t>(v);
  RETURN_IF_ERROR(OptionalString(body, "comment", &r.comment));
  RETURN_IF_ERROR(OptionalString(body, "document_id", &r.document_id));
  if (auto it = body.find("acknowledge"); it != body.end() && !it->is_null()) {
    if (!it->is_array()) return Bad("acknowledge は項目名の配列で指定してください");
    for (const json& f : *it) {
      if (!f.is_string()) return Bad("acknowledge は項目名の配列で指定してください");
      r.acknowledge.push_back(internal::Clean(f.get<std::string>()));
    }
  }
  if (auto it = body.find("checklist"); it != body.end() && !it->is_null()) {
    RETURN_IF_ERROR(ParseChecklist(*it, &r.checklist));
  }
  if (auto it = body.find("defect"); it != body.end() && !it->is_null()) {
    if (!it->is_boolean()) return Bad("defect は true/false で指定してください");
    r.defect = it->get<bool>();
  }
  return r;
}

Result<Commitment> CommitmentFromRequest(const json& body) {
  if (!body.is_object()) return Bad("リクエストは JSON オブジェクトで送ってください");
  Commitment c;
  RETURN_IF_ERROR(RequiredString(body, "department", &c.department));
  RETURN_IF_ERROR(RequiredString(body, "vendor_id", &c.vendor_id));
  RETURN_IF_ERROR(RequiredString(body, "budget_line", &c.budget_line));
  RETURN_IF_ERROR(RequiredString(body, "description", &c.description));
  RETURN_IF_ERROR(RequiredString(body, "expense_type", &c.expense_type));
  auto fy = body.find("fiscal_year");
  if (fy == body.end() || !fy->is_number_integer())
    return Bad("fiscal_year（会計年度）を整数で指定してください");
  c.fiscal_year = fy->get<int>();
  auto amount = body.find("amount");
  std::string amount_text;
  if (amount != body.end() && amount->is_string()) {
    amount_text = amount->get<std::string>();
  } else if (amount != body.end() && amount->is_number_integer()) {
    amount_text = std::to_string(amount->get<int64_t>());
  } else {
    return Bad("amount（金額）を整数の文字列で指定してください");
  }
  auto d = base::Decimal::Parse(amount_text);
  if (!d.ok()) return Bad("amount（金額）が数値ではありません");
  c.amount = *d;
  RETURN_IF_ERROR(RequiredDate(body, "contract_from", &c.contract_from));
  RETURN_IF_ERROR(RequiredDate(body, "contract_to", &c.contract_to));
  return c;
}

Result<Vendor> VendorFromRequest(const json& body) {
  if (!body.is_object()) return Bad("リクエストは JSON オブジェクトで送ってください");
  Vendor v;
  RETURN_IF_ERROR(OptionalString(body, "id", &v.id));
  RETURN_IF_ERROR(RequiredString(body, "name", &v.name));
  RETURN_IF_ERROR(OptionalString(body, "registration_number", &v.registration_number));
  RETURN_IF_ERROR(OptionalString(body, "bank_account", &v.bank_account));
  RETURN_IF_ERROR(OptionalString(body, "address", &v.address));
  RETURN_IF_ERROR(OptionalString(body, "account_holder", &v.account_holder));
  RETURN_IF_ERROR(OptionalString(body, "corporate_number", &v.corporate_number));
  RETURN_IF_ERROR(OptionalString(body, "kana_name", &v.kana_name));
  return v;
}

namespace {

Status RolesFrom(const json& body, std::vector<Role>* out) {
  auto it = body.find("roles");
  if (it == body.end() || !it->is_array()) {
    return Bad("roles は役割の配列で指定してください（clerk, approver, accountant, auditor, "
               "compliance, admin）");
  }
  out->clear();
  for (const json& r : *it) {
    if (!r.is_string()) return Bad("roles の要素は文字列で指定してください");
    ASSIGN_OR_RETURN(const Role role, ParseRole(r.get<std::string>()));
    if (std::find(out->begin(), out->end(), role) == out->end()) out->push_back(role);
  }
  return Status::OK();
}

}  // namespace

Result<NewUserRequest> NewUserFromRequest(const json& body) {
  NewUserRequest r;
  RETURN_IF_ERROR(RequiredString(body, "login", &r.user.login));
  RETURN_IF_ERROR(RequiredString(body, "name", &r.user.name));
  RETURN_IF_ERROR(RequiredString(body, "department", &r.user.department));
  RETURN_IF_ERROR(OptionalString(body, "title", &r.user.title));
  RETURN_IF_ERROR(RolesFrom(body, &r.user.roles));
  auto pw = body.find("password");
  if (pw == body.end() || !pw->is_string() || pw->get<std::string>().empty()) {
    return Bad("password（最初のパスワード）を指定してください");
  }
  r.password = pw->get<std::string>();  // as typed: never cleaned or logged
  r.user.must_change_password = true;
  if (auto m = body.find("must_change_password"); m != body.end() && !m->is_null()) {
    if (!m->is_boolean()) return Bad("must_change_password は true/false で指定してください");
    r.user.must_change_password = m->get<bool>();
  }
  return r;
}

Result<VendorChange> VendorChangeFromRequest(const json& body) {
  if (!body.is_object()) return Bad("リクエストは JSON オブジェクトで送ってください");
  VendorChange c;
  for (const auto& [key, value] : body.items()) {
    if (key == "expected") {
      if (!value.is_object()) return Bad("expected は読み込んだときの債権者（オブジェクト）です");
      Vendor v;
      const std::pair<const char*, std::string*> members[] = {
          {"id", &v.id},
          {"name", &v.name},
          {"registration_number", &v.registration_number},
          {"bank_account", &v.bank_account},
          {"address", &v.address},
          {"account_holder", &v.account_holder},
          {"corporate_number", &v.corporate_number},
          {"kana_name", &v.kana_name}};
      for (const auto& [member, out] : members) {
        RETURN_IF_ERROR(OptionalString(value, member, out));
      }
      c.expected = std::move(v);
      continue;
    }
    std::optional<std::string>* field = key == "name"                  ? &c.name
                                        : key == "registration_number" ? &c.registration_number
                                        : key == "bank_account"        ? &c.bank_account
                                        : key == "address"             ? &c.address
                                        : key == "account_holder"      ? &c.account_holder
                                        : key == "corporate_number"    ? &c.corporate_number
                                        : key == "kana_name"           ? &c.kana_name
                                                                       : nullptr;
    if (field == nullptr) {
      return Bad("変更できない項目です: " + internal::Shown(key) +
                 "（name, registration_number, bank_account, address, account_holder, "
                 "corporate_number, kana_name, expected のいずれか）");
    }
    if (!value.is_string()) return Bad(key + " は文字列で指定してください");
    *field = internal::Clean(value.get<std::string>());
  }
  if (!c.name && !c.registration_number && !c.bank_account && !c.address && !c.account_holder &&
      !c.corporate_number && !c.kana_name) {
    return Bad(
        "変更する項目（name, registration_number, bank_account, address, account_holder, "
        "corporate_number, kana_name）を指定してください");
  }
  return c;
}

Result<UserChange> UserChangeFromRequest(const json& body) {
  UserChange c;
  for (const auto& [key, value] : body.items()) {
    if (key == "name" || key == "department" || key == "title") {
      if (!value.is_string()) return Bad(key + " は文字列で指定してください");
      std::optional<std::string>& field =
          key == "name" ? c.name : key == "department" ? c.department : c.title;
      field = internal::Clean(value.get<std::string>());
    } else if (key == "roles") {
      c.roles.emplace();
      RETURN_IF_ERROR(RolesFrom(body, &*c.roles));
    } else if (key == "active") {
      if (!value.is_boolean()) return Bad("active は true/false で指定してください");
      c.active = value.get<bool>();
    } else {
      return Bad("変更できない項目です: " + internal::Shown(key) +
                 "（name, department, roles, title, active のいずれか）");
    }
  }
  if (!c.name && !c.department && !c.roles && !c.title && !c.active) {
    return Bad("変更する項目（name, department, roles, title, active）を指定してください");
  }
  return c;
}

}  // namespace workflow

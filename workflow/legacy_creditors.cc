#include "workflow/legacy_creditors.h"

#include <cctype>
#include <map>
#include <optional>

#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include "base/date.h"
#include "base/registration_number.h"
#include "base/text.h"
#include "workflow/internal/legacy_csv.h"

namespace workflow {

using base::Result;
using base::Status;
using nlohmann::json;

const std::array<LegacyColumn, 14> kLegacyColumns = {{
    {"number", "債権者番号", {"債権者コード", "相手方番号", "相手方コード", "旧債権者番号"}, true},
    {"name", "債権者名", {"債権者名称", "相手方名", "名称", "氏名又は名称"}, true},
    {"name_kana", "債権者名カナ", {"債権者カナ", "カナ名", "フリガナ", "名称カナ"}},
    {"registration_number", "登録番号", {"適格請求書発行事業者登録番号", "インボイス登録番号", "", ""}},
    {"corporate_number", "法人番号", {"", "", "", ""}},
    {"address", "住所", {"所在地", "本店所在地", "", ""}},
    {"bank_code", "銀行コード", {"金融機関コード", "", "", ""}},
    {"branch_code", "支店コード", {"店舗コード", "", "", ""}},
    {"account_type", "預金種目", {"預金種別", "口座種別", "", ""}},
    {"account_number", "口座番号", {"", "", "", ""}},
    {"account_holder", "口座名義", {"口座名義人", "口座名義カナ", "受取人名", ""}},
    {"use_count", "利用回数", {"使用回数", "支払回数", "", ""}},
    {"last_used", "最終利用日", {"最終使用日", "最終支払日", "", ""}},
    {"department", "所管課", {"登録課", "担当課", "", ""}},
}};

namespace {

std::string* Member(LegacyCreditor& c, size_t column) {
  std::string* members[] = {&c.number,         &c.name,          &c.name_kana,
                            &c.registration_number, &c.corporate_number, &c.address,
                            &c.bank_code,      &c.branch_code,   &c.account_type,
                            &c.account_number, &c.account_holder, nullptr,
                            &c.last_used,      &c.department};
  return members[column];
}
constexpr size_t kUseCountColumn = 11;

// s in Unicode NFKC (full-width digits and letters to ASCII), without
// white space; with case folding for headers and words, without for codes.
std::string Squeezed(std::string_view s, bool fold = true) {
  std::string folded;
  if (fold) {
    folded = base::NormalizeText(s);
  } else {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(status);
    const icu::UnicodeString in = icu::UnicodeString::fromUTF8(
        icu::StringPiece(s.data(), static_cast<int32_t>(s.size())));
    if (U_SUCCESS(status)) nfkc->normalize(in, status).toUTF8String(folded);
    if (U_FAILURE(status)) folded = std::string(s);
  }
  std::string out;
  for (char ch : folded) {
    if (ch != ' ' && ch != '\t' && ch != '\r' && ch != '\n') out.push_back(ch);
  }
  return out;
}

// Leading and trailing ASCII and ideographic spaces removed.
std::string Trimmed(std::string_view s) {
  auto is_space = [&](size_t i, size_t* n) {
    if (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n') return (*n = 1), true;
    if (s.compare(i, 3, "\xE3\x80\x80") == 0) return (*n = 3), true;
    return false;
  };
  size_t n = 0;
  while (!s.empty() && is_space(0, &n)) s.remove_prefix(n);
  while (!s.empty()) {
    const size_t back3 = s.size() >= 3 ? s.size() - 3 : 0;
    if (is_space(s.size() - 1, &n) && n == 1) {
      s.remove_suffix(1);
    } else if (s.size() >= 3 && is_space(back3, &n) && n == 3) {
      s.remove_suffix(3);
    } else {
      break;
    }
  }
  return std::string(s);
}

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char ch : s) {
    if (ch < '0' || ch > '9') return false;
  }
  return true;
}

// Digits as people type them ("０１２３", "0123-456", "1,234") → "0123456".
std::string Digits(std::string_view s) {
  std::string out;
  for (char ch : Squeezed(s)) {
    if (ch != '-' && ch != ',') out.push_back(ch);
  }
  return out;
}

// A code of at most width digits, zero padded; nullopt if not digits.
std::optional<std::string> Code(std::string_view s, size_t width) {
  std::string d = Digits(s);
  if (!AllDigits(d) || d.size() > width) return std::nullopt;
  return std::string(width - d.size(), '0') + d;
}

std::optional<std::string> AccountType(std::string_view s) {
  const std::string t = Squeezed(s);
  if (t == "1" || t == "普通" || t == "普通預金" || t == "総合") return "1";
  if (t == "2" || t == "当座" || t == "当座預金") return "2";
  if (t == "4" || t == "貯蓄" || t == "貯蓄預金") return "4";
  if (t == "9" || t == "その他" || t == "別段") return "9";
  return std::nullopt;
}

// "2024-03-31", "2024/3/31", "20240331" → "2024-03-31".
std::optional<std::string> DateText(std::string_view s) {
  std::string t = Squeezed(s);
  int y = 0, m = 0, d = 0;
  if (AllDigits(t) && t.size() == 8) {
    y = std::stoi(t.substr(0, 4));
    m = std::stoi(t.substr(4, 2));
    d = std::stoi(t.substr(6, 2));
  } else {
    for (char& ch : t) {
      if (ch == '/' || ch == '.') ch = '-';
    }
    const size_t a = t.find('-'), b = a == std::string::npos ? a : t.find('-', a + 1);
    if (b == std::string::npos) return std::nullopt;
    const std::string ys = t.substr(0, a), ms = t.substr(a + 1, b - a - 1), ds = t.substr(b + 1);
    if (ys.size() != 4 || !AllDigits(ys) || !AllDigits(ms) || !AllDigits(ds) || ms.size() > 2 ||
        ds.size() > 2) {
      return std::nullopt;
    }
    y = std::stoi(ys), m = std::stoi(ms), d = std::stoi(ds);
  }
  auto date = base::Date::FromYmd(y, m, d);
  if (!date.ok()) return std::nullopt;
  return date->ToString();
}

}  // namespace

json ToJson(const LegacyCreditor& c) {
  json a = json::array();
  LegacyCreditor copy = c;
  for (size_t i = 0; i < kLegacyColumns.size(); ++i) {
    if (i == kUseCountColumn) {
      a.push_back(c.use_count);
    } else {
      a.push_back(*Member(copy, i));
    }
  }
  return a;
}

Result<LegacyCreditor> LegacyCreditorFromJson(const json& j) {
  if (!j.is_array() || j.size() != kLegacyColumns.size()) {
    return Status::Corruption("旧債権者番号の記録の形が正しくありません");
  }
  LegacyCreditor c;
  for (size_t i = 0; i < kLegacyColumns.size(); ++i) {
    if (i == kUseCountColumn) {
      if (!j[i].is_number_integer()) return Status::Corruption("旧債権者番号の利用回数が壊れています");
      c.use_count = j[i].get<int64_t>();
    } else {
      if (!j[i].is_string()) return Status::Corruption("旧債権者番号の記録が壊れています");
      *Member(c, i) = j[i].get<std::string>();
    }
  }
  return c;
}

json ToApiJson(const LegacyCreditor& c) {
  json o = json::object();
  LegacyCreditor copy = c;
  for (size_t i = 0; i < kLegacyColumns.size(); ++i) {
    const std::string key(kLegacyColumns[i].key);
    if (i == kUseCountColumn) {
      o[key] = c.use_count;
    } else {
      o[key] = *Member(copy, i);
    }
  }
  return o;
}

Result<LegacyEncoding> ParseLegacyEncoding(std::string_view name) {
  const std::string n = Squeezed(name);
  if (n == "auto") return LegacyEncoding::kAuto;
  if (n == "utf-8" || n == "utf8") return LegacyEncoding::kUtf8;
  if (n == "cp932" || n == "shift_jis" || n == "sjis" || n == "windows-31j") {
    return LegacyEncoding::kCp932;
  }
  return Status::InvalidArgument("文字コードは auto、utf-8、cp932 のいずれかです: " +
                                 std::string(name));
}

namespace {

// header index → column index (kLegacyColumns), or -1 for a column kura
// does not read.
Result<std::vector<int>> MapHeader(const std::vector<std::string>& header,
                                   std::vector<std::string>* ignored) {
  std::vector<int> map(header.size(), -1);
  std::vector<int> seen(kLegacyColumns.size(), -1);
  for (size_t h = 0; h < header.size(); ++h) {
    const std::string name = Squeezed(header[h]);
    for (size_t k = 0; k < kLegacyColumns.size() && map[h] < 0; ++k) {
      bool match = name == Squeezed(kLegacyColumns[k].header);
      for (std::string_view alias : kLegacyColumns[k].aliases) {
        match = match || (!alias.empty() && name == Squeezed(alias));
      }
      if (!match) continue;
      if (seen[k] >= 0) {
        return Status::InvalidArgument("見出しに「" + std::string(kLegacyColumns[k].header) +
                                       "」にあたる列が二つあります（" + header[seen[k]] + "、" +
                                       header[h] + "）");
      }
      seen[k] = static_cast<int>(h);
      map[h] = static_cast<int>(k);
    }
    if (map[h] < 0) ignored->push_back(Trimmed(header[h]));
  }
  for (size_t k = 0; k < kLegacyColumns.size(); ++k) {
    if (kLegacyColumns[k].required && seen[k] < 0) {
      return Status::InvalidArgument("見出しに「" + std::string(kLegacyColumns[k].header) +
                                     "」の列がありません（1 行目は列の名前の行です）");
    }
  }
  return map;
}

// The codes of c made canonical; "" or a Japanese reason.
std::string Canonicalize(LegacyCreditor* c, std::string_view use_count) {
  c->number = Squeezed(c->number, false);
  if (c->number.empty()) return "債権者番号がありません";
  if (c->number.size() > 32) return "債権者番号が長すぎます（32 文字まで）";
  for (char ch : c->number) {
    if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '-') {
      return "債権者番号には英数字とハイフンだけが使えます: " + c->number;
    }
  }
  if (c->name.empty()) return "債権者名がありません";
  if (!c->registration_number.empty()) {
    std::string t = Digits(c->registration_number);
    if (!t.empty() && (t[0] == 't')) t[0] = 'T';
    if (!base::IsValidRegistrationNumber(t)) {
      return "登録番号が正しくありません（T と 13 桁の数字、検査数字も確かめます）: " +
             c->registration_number;
    }
    c->registration_number = t;
  }
  if (!c->corporate_number.empty()) {
    const std::string d = Digits(c->corporate_number);
    if (!base::IsValidCorporateNumber(d)) {
      return "法人番号が正しくありません（13 桁、検査数字も確かめます）: " + c->corporate_number;
    }
    c->corporate_number = d;
  }
  const bool any_bank = !c->bank_code.empty() || !c->branch_code.empty() ||
                        !c->account_number.empty() || !c->account_type.empty();
  if (any_bank) {
    auto bank = Code(c->bank_code, 4), branch = Code(c->branch_code, 3),
         account = Code(c->account_number, 7);
    if (!bank || !branch || !account || c->bank_code.empty() || c->branch_code.empty() ||
        c->account_number.empty()) {
      return "口座が正しくありません（銀行コード 4 桁・支店コード 3 桁・口座番号 7 桁まで、"
             "三つともそろえて書きます）";
    }
    c->bank_code = *bank, c->branch_code = *branch, c->account_number = *account;
    if (!c->account_type.empty()) {
      auto type = AccountType(c->account_type);
      if (!type) return "預金種目は 普通・当座・貯蓄・その他（または 1・2・4・9）です: " + c->account_type;
      c->account_type = *type;
    }
  }
  const std::string count = Digits(use_count);
  if (!count.empty()) {
    if (!AllDigits(count) || count.size() > 12) return "利用回数は 0 以上の整数です: " + std::string(use_count);
    c->use_count = std::stoll(count);
  }
  if (!c->last_used.empty()) {
    auto d = DateText(c->last_used);
    if (!d) return "最終利用日が日付として読めません（例 2024-03-31）: " + c->last_used;
    c->last_used = *d;
  }
  return "";
}

}  // namespace

Result<LegacyParse> ParseLegacyCreditors(std::string_view bytes, LegacyEncoding encoding) {
  const char* forced = encoding == LegacyEncoding::kUtf8    ? "utf-8"
                       : encoding == LegacyEncoding::kCp932 ? "cp932"
                                                            : "";
  ASSIGN_OR_RETURN(internal::CsvFile file, internal::ReadCsv(bytes, forced));
  if (file.records.empty()) return Status::InvalidArgument("ファイルが空です");
  LegacyParse out;
  out.encoding = file.encoding;
  const internal::CsvRecord& head = file.records.front();
  if (!head.error.empty()) {
    return Status::InvalidArgument("1 行目（列の名前の行）が読めません: " + head.error);
  }
  ASSIGN_OR_RETURN(const std::vector<int> map, MapHeader(head.fields, &out.ignored_columns));
  std::map<std::string, int> first_line;
  for (size_t r = 1; r < file.records.size(); ++r) {
    const internal::CsvRecord& rec = file.records[r];
    LegacyCreditor c;
    std::string use_count;
    for (size_t f = 0; f < rec.fields.size() && f < map.size(); ++f) {
      if (map[f] < 0) continue;
      std::string v = Trimmed(rec.fields[f]);
      if (static_cast<size_t>(map[f]) == kUseCountColumn) {
        use_count = std::move(v);
      } else {
        *Member(c, map[f]) = std::move(v);
      }
    }
    std::string error = rec.error;
    if (error.empty() && rec.fields.size() != map.size()) {
      error = "列の数が見出しと違います（見出し " + std::to_string(map.size()) + " 列、この行 " +
              std::to_string(rec.fields.size()) + " 列）";
    }
    if (error.empty()) error = Canonicalize(&c, use_count);
    if (error.empty()) {
      auto [it, fresh] = first_line.emplace(c.number, rec.line);
      if (!fresh) {
        error = "債権者番号 " + c.number + " は " + std::to_string(it->second) + " 行目にもあります";
      }
    }
    if (!error.empty()) {
      out.errors.push_back({rec.line, Squeezed(c.number, false), std::move(error)});
      continue;
    }
    out.rows.push_back(std::move(c));
    out.lines.push_back(rec.line);
  }
  return out;
}

}  // namespace workflow

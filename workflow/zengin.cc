#include "workflow/zengin.h"

#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/unistr.h>

#include <memory>
#include <mutex>

#include "base/text.h"

namespace workflow::zengin {

using base::Result;
using base::Status;

namespace {

constexpr size_t kRecord = 120;

// Hiragana to katakana, then full width to half width (ガ → ｶﾞ, ー → ｰ).
// ICU transliterators are not thread-safe: one per call of ToZenginText
// would be slow, so one, cloned per call.
const icu::Transliterator* HalfwidthKatakana() {
  static const icu::Transliterator* t = [] {
    UErrorCode status = U_ZERO_ERROR;
    return icu::Transliterator::createInstance("Hiragana-Katakana; Fullwidth-Halfwidth",
                                               UTRANS_FORWARD, status);
  }();
  return t;
}

// The 全銀協 character set has no small kana and no long-vowel mark: the
// full-size kana and a hyphen stand for them.
UChar32 FullSize(UChar32 c) {
  switch (c) {
    case 0xFF67: return 0xFF71;  // ｧ → ｱ
    case 0xFF68: return 0xFF72;  // ｨ → ｲ
    case 0xFF69: return 0xFF73;  // ｩ → ｳ
    case 0xFF6A: return 0xFF74;  // ｪ → ｴ
    case 0xFF6B: return 0xFF75;  // ｫ → ｵ
    case 0xFF6C: return 0xFF94;  // ｬ → ﾔ
    case 0xFF6D: return 0xFF95;  // ｭ → ﾕ
    case 0xFF6E: return 0xFF96;  // ｮ → ﾖ
    case 0xFF6F: return 0xFF82;  // ｯ → ﾂ
    case 0xFF70: return u'-';    // ｰ
    default: return c;
  }
}

bool InCharacterSet(UChar32 c) {
  if ((c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9')) return true;
  if (c == u' ' || c == u'(' || c == u')' || c == u'-' || c == u'.' || c == u'/' || c == u',') {
    return true;
  }
  return c == 0xFF62 || c == 0xFF63 || c == 0xFF66 || (c >= 0xFF71 && c <= 0xFF9F);
}

std::string ToUtf8(const icu::UnicodeString& s) {
  std::string out;
  s.toUTF8String(out);
  return out;
}

// A C field: the text in the character set, Shift_JIS, cut or padded with
// spaces to width bytes.
Result<std::string> CField(std::string_view text, size_t width, const std::string& field) {
  auto zengin = ToZenginText(text);
  if (!zengin.ok()) return Status::InvalidArgument(field + ": " + zengin.status().message());
  const icu::UnicodeString u = icu::UnicodeString::fromUTF8(*zengin);
  std::string sjis(static_cast<size_t>(u.length()) * 2 + 1, '\0');
  const int32_t n = u.extract(0, u.length(), sjis.data(), static_cast<uint32_t>(sjis.size()),
                              "Shift_JIS");
  if (n < 0 || static_cast<size_t>(n) >= sjis.size()) {
    return Status::Internal(field + ": Shift_JIS に変換できませんでした");
  }
  sjis.resize(static_cast<size_t>(n));
  if (sjis.size() > width) sjis.resize(width);  // one byte per character
  sjis.append(width - sjis.size(), ' ');
  return sjis;
}

// An N field: digits only, at most width of them, zero-filled on the left.
Result<std::string> NField(std::string_view digits, size_t width, const std::string& field) {
  if (digits.size() > width || digits.find_first_not_of("0123456789") != std::string_view::npos) {
    return Status::InvalidArgument(field + " は " + std::to_string(width) +
                                   " 桁以内の数字で指定してください: " +
                                   base::PrintableText(digits));
  }
  return std::string(width - digits.size(), '0') + std::string(digits);
}

Result<std::string> ExactDigits(std::string_view digits, size_t width, const std::string& field) {
  if (digits.size() != width) {
    return Status::InvalidArgument(field + " は " + std::to_string(width) +
                                   " 桁の数字で指定してください: " +
                                   base::PrintableText(digits));
  }
  return NField(digits, width, field);
}

Result<std::string> AccountType(char type, const std::string& field) {
  if (type != '1' && type != '2' && type != '4' && type != '9') {
    return Status::InvalidArgument(field + " の預金種目は 1（普通）, 2（当座）, 4（貯蓄）, 9（その他）"
                                   "のいずれかです");
  }
  return std::string(1, type);
}

// Bank N4 + C15, branch N3 + C15: the part of a record naming an account's bank.
Result<std::string> BankAndBranch(const Account& a, const std::string& who) {
  std::string out;
  ASSIGN_OR_RETURN(std::string bank, ExactDigits(a.bank_code, 4, who + "の金融機関コード"));
  ASSIGN_OR_RETURN(std::string bank_name, CField(a.bank_name, 15, who + "の金融機関名"));
  ASSIGN_OR_RETURN(std::string branch, ExactDigits(a.branch_code, 3, who + "の支店コード"));
  ASSIGN_OR_RETURN(std::string branch_name, CField(a.branch_name, 15, who + "の支店名"));
  return bank + bank_name + branch + branch_name;
}

Result<std::string> Header(const Remitter& r, base::Date date) {
  ASSIGN_OR_RETURN(std::string code, NField(r.code, 10, "委託者コード"));
  ASSIGN_OR_RETURN(std::string name, CField(r.name, 40, "委託者名"));
  ASSIGN_OR_RETURN(std::string bank, BankAndBranch(r.account, "振込元"));
  ASSIGN_OR_RETURN(std::string type, AccountType(r.account.type, "振込元"));
  ASSIGN_OR_RETURN(std::string number, NField(r.account.number, 7, "振込元の口座番号"));
  const std::string ymd = date.ToString();  // YYYY-MM-DD
  const std::string mmdd = ymd.substr(5, 2) + ymd.substr(8, 2);
  return "1" "21" "0" + code + name + mmdd + bank + type + number + std::string(17, ' ');
}

Result<std::string> Data(const Transfer& t, size_t n) {
  const std::string who = "振込 " + std::to_string(n) + " 件目";
  if (t.amount == 0 || t.amount > 9'999'999'999ULL) {
    return Status::InvalidArgument(who + "の金額は 1 円から 9,999,999,999 円までです");
  }
  ASSIGN_OR_RETURN(std::string bank, BankAndBranch(t.to, who));
  ASSIGN_OR_RETURN(std::string type, AccountType(t.to.type, who));
  ASSIGN_OR_RETURN(std::string number, NField(t.to.number, 7, who + "の口座番号"));
  if (t.payee.empty()) return Status::InvalidArgument(who + "の受取人名がありません");
  ASSIGN_OR_RETURN(std::string payee, CField(t.payee, 30, who + "の受取人名"));
  ASSIGN_OR_RETURN(std::string amount, NField(std::to_string(t.amount), 10, who + "の金額"));
  ASSIGN_OR_RETURN(std::string code1, NField(t.customer_code1, 10, who + "の顧客コード1"));
  ASSIGN_OR_RETURN(std::string code2, NField(t.customer_code2, 10, who + "の顧客コード2"));
  // 手形交換所番号 unused (0000); 新規コード 0; 振込指定区分 7 (テレ為替);
  // 識別表示 space (顧客コード, not EDI).
  return "2" + bank + "0000" + type + number + payee + amount + "0" + code1 + code2 + "7" + " " +
         std::string(7, ' ');
}

}  // namespace

Result<std::string> ToZenginText(std::string_view text) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(status);
  const icu::Transliterator* shared = HalfwidthKatakana();
  if (U_FAILURE(status) || shared == nullptr) {
    return Status::Internal("ICU の変換（NFKC, Fullwidth-Halfwidth）を用意できませんでした");
  }
  icu::UnicodeString u = nfkc->normalize(icu::UnicodeString::fromUTF8(text), status);
  if (U_FAILURE(status)) return Status::InvalidArgument("文字列を正規化できませんでした");
  u.toUpper(icu::Locale::getRoot());
  std::unique_ptr<icu::Transliterator> t(shared->clone());
  t->transliterate(u);
  icu::UnicodeString out;
  for (int32_t i = 0; i < u.length(); i = u.moveIndex32(i, 1)) {
    const UChar32 c = FullSize(u.char32At(i));
    if (!InCharacterSet(c)) {
      return Status::InvalidArgument("「" + ToUtf8(icu::UnicodeString(c)) +
                                     "」は全銀の文字（半角カナ・英大文字・数字）にできません");
    }
    out.append(c);
  }
  return ToUtf8(out);
}

Result<std::string> EncodeTransfers(const Remitter& remitter, base::Date transfer_date,
                                    const std::vector<Transfer>& transfers) {
  if (transfers.empty()) return Status::InvalidArgument("振込が 1 件もありません");
  if (transfers.size() > 999'999) return Status::InvalidArgument("振込は 999,999 件までです");
  std::string out;
  ASSIGN_OR_RETURN(const std::string header, Header(remitter, transfer_date));
  out += header + "\r\n";
  uint64_t total = 0;
  for (size_t i = 0; i < transfers.size(); ++i) {
    ASSIGN_OR_RETURN(const std::string data, Data(transfers[i], i + 1));
    out += data + "\r\n";
    total += transfers[i].amount;
  }
  ASSIGN_OR_RETURN(const std::string count, NField(std::to_string(transfers.size()), 6, "合計件数"));
  ASSIGN_OR_RETURN(const std::string sum, NField(std::to_string(total), 12, "合計金額"));
  out += "8" + count + sum + std::string(101, ' ') + "\r\n";
  out += "9" + std::string(119, ' ') + "\r\n";
  for (size_t at = 0; at < out.size(); at += kRecord + 2) {
    if (out.compare(at + kRecord, 2, "\r\n") != 0) {
      return Status::Internal("全銀レコードが 120 バイトになりませんでした");
    }
  }
  return out;
}

}  // namespace workflow::zengin

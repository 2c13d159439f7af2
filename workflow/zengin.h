// The 全銀協 総合振込 file (transfer data a bank takes from its customers):
// what a payment run hands to the city's bank.
//
// Fixed records of 120 bytes, each followed by CRLF, in Shift_JIS (JIS X
// 0201: half-width katakana, upper-case letters, digits, a few symbols):
//
//   1 header   データ区分 1, 種別コード 21 (総合振込), コード区分 0 (JIS),
//              委託者コード N10, 委託者名 C40, 振込指定日 MMDD, 仕向銀行
//              N4 + name C15, 仕向支店 N3 + name C15, 預金種目 N1, 口座番号 N7,
//              ダミー C17
//   2 data     one per payee: 被仕向銀行 N4 + C15, 被仕向支店 N3 + C15,
//              手形交換所番号 N4 (0000), 預金種目 N1, 口座番号 N7, 受取人名 C30,
//              振込金額 N10, 新規コード N1 (0), 顧客コード1 N10, 顧客コード2 N10,
//              振込指定区分 N1 (7: テレ為替), 識別表示 C1, ダミー C7
//   8 trailer  合計件数 N6, 合計金額 N12, ダミー C101
//   9 end      ダミー C119
//
// N fields are right-aligned and zero-filled, C fields left-aligned and
// space-filled (names longer than their field are cut, as banks do).
// Names become the 全銀 character set through ICU (NFKC, Hiragana-Katakana,
// upper case, Fullwidth-Halfwidth) and Shift_JIS through ICU's converter;
// small kana become their full-size forms (ｮ → ﾖ) and the long-vowel mark a
// hyphen, as the 全銀協 character set has neither. A character outside it
// (a kanji, say: the vendor master's kana name is what is used) is refused,
// named, never dropped.
#ifndef WORKFLOW_ZENGIN_H_
#define WORKFLOW_ZENGIN_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/date.h"
#include "base/result.h"

namespace workflow::zengin {

struct Account {
  std::string bank_code;    ///< 金融機関コード, 4 digits
  std::string bank_name;    ///< kana (any width), may be empty
  std::string branch_code;  ///< 支店コード, 3 digits
  std::string branch_name;  ///< kana, may be empty
  char type = '1';          ///< 預金種目: 1 普通, 2 当座, 4 貯蓄, 9 その他
  std::string number;       ///< 口座番号, up to 7 digits
};

/// The city as the bank knows it (kura.toml [payments]).
struct Remitter {
  std::string code;  ///< 委託者コード, up to 10 digits, from the bank
  std::string name;  ///< 委託者名, kana
  Account account;   ///< the account paid from
};

struct Transfer {
  Account to;
  std::string payee;           ///< 受取人名: the account holder's name in kana
  uint64_t amount = 0;         ///< yen, 1 .. 9,999,999,999
  std::string customer_code1;  ///< up to 10 digits (e.g. the creditor number), or empty
  std::string customer_code2;  ///< up to 10 digits (e.g. the order's number), or empty
};

/// text in the 全銀 character set, as UTF-8 (half-width katakana, A–Z, 0–9,
/// space and ( ) - . / , ｢ ｣). InvalidArgument naming the first character
/// that has no such form.
base::Result<std::string> ToZenginText(std::string_view text);

/// The whole file, Shift_JIS bytes with CRLF after every record.
/// InvalidArgument naming the field (and the transfer, counted from 1) for
/// a code that is not digits of the right length, an amount out of range,
/// no transfer, or a name with a character outside the character set.
base::Result<std::string> EncodeTransfers(const Remitter& remitter, base::Date transfer_date,
                                          const std::vector<Transfer>& transfers);

}  // namespace workflow::zengin

#endif  // WORKFLOW_ZENGIN_H_

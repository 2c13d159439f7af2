// Text normalisation for matching Japanese names, on ICU.
//
// People write the same company in many ways: full-width or half-width
// letters and digits, half-width katakana, 株式会社 / (株) / ㈱ / （株）, with or
// without spaces. NormalizeName maps all of them to one key, so that search
// (substring match) and the workflow's vendor matching agree on what "the
// same name" means.
//
// Thread safety: pure functions.
#ifndef BASE_TEXT_H_
#define BASE_TEXT_H_

#include <string>
#include <string_view>

namespace base {

/// The matching key of a name: Unicode NFKC with case folding (full/half
/// width, ㈱ → (株), Ｋａｂｕ → kabu), then without white space, middle dots
/// and the legal-entity designators (株式会社, 有限会社, 合同会社, 一般社団法人, …,
/// and their abbreviations (株), (有), (同), …). Invalid UTF-8 becomes U+FFFD.
/// "株式会社　山田商事" and "(株)ﾔﾏﾀﾞ" are not equal, but "㈱山田商事" and
/// "山田商事 株式会社" are: both give "山田商事".
std::string NormalizeName(std::string_view utf8);

/// NFKC with case folding only (no removals), for free-text search.
std::string NormalizeText(std::string_view utf8);

/// A name someone else chose (an uploaded file's), fit to show a person:
/// valid UTF-8 (U+FFFD for bad bytes), without control and format
/// characters (NUL, line breaks, escape sequences, bidirectional overrides
/// that make "exe.pdf" look like "fdp.exe", zero-width characters), at most
/// max_code_points code points. Markup stays: screens escape it.
std::string DisplayName(std::string_view raw, size_t max_code_points = 255);

/// s as one RFC 4180 CSV field: quoted if it holds a quote, comma or line
/// break, and with a leading = + or @ (a spreadsheet formula) quoted and
/// prefixed with an apostrophe.
std::string CsvField(std::string_view s);

/// Input someone typed or sent (an amount, a date, a key, a path), fit to
/// echo inside a message a person reads: valid UTF-8 (U+FFFD for bad
/// bytes); each C0 control character and DEL shown as its visible Control
/// Picture (NUL "␀", line feed "␊", escape "␛", ...), so that nothing
/// reaches a terminal raw and the person still sees that it was there;
/// other control and format characters (C1 controls, bidirectional
/// overrides, zero-width characters, U+2028/U+2029) as U+FFFD. Everything
/// else is kept verbatim. Longer than max_code_points code points, it is
/// cut there and ends with "…".
std::string PrintableText(std::string_view raw, size_t max_code_points = 64);

}  // namespace base

#endif  // BASE_TEXT_H_

// Small string helpers shared by the readers: ASCII trimming and case
// folding, and UTF-8 repair for text taken from untrusted documents.
//
// Thread safety: pure functions.
#ifndef INVOICE_INTERNAL_TEXT_UTIL_H_
#define INVOICE_INTERNAL_TEXT_UTIL_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace invoice::internal {

/// s without leading and trailing ASCII whitespace (space, tab, CR, LF).
std::string_view TrimAscii(std::string_view s);

/// s with A-Z mapped to a-z; other bytes unchanged.
std::string ToLowerAscii(std::string_view s);

/// True if needle occurs in haystack, ASCII case-insensitively.
bool ContainsIgnoreCase(std::string_view haystack, std::string_view needle);

/// True if a equals b, ASCII case-insensitively.
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

/// s with every byte sequence that is not well-formed UTF-8 replaced by
/// U+FFFD, and NUL bytes removed, so that the text can go into JSON.
std::string SanitizeUtf8(std::string_view s);

/// s cut to at most max_bytes without splitting a UTF-8 sequence.
/// REQUIRES: s is valid UTF-8.
std::string TruncateUtf8(std::string_view s, size_t max_bytes);

}  // namespace invoice::internal

#endif  // INVOICE_INTERNAL_TEXT_UTIL_H_

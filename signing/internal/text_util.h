// Small text helpers for the note formats: strict base64 and UTF-8 checks.
// Internal to signing/. Thread safety: stateless.
#ifndef SIGNING_INTERNAL_TEXT_UTIL_H_
#define SIGNING_INTERNAL_TEXT_UTIL_H_

#include <optional>
#include <string>
#include <string_view>

namespace signing::internal {

/// Standard base64 (RFC 4648 §4) with padding.
std::string Base64Encode(std::string_view data);
/// Strict decoding: only the canonical encoding of some byte string is
/// accepted (no whitespace, correct padding, zero pad bits).
std::optional<std::string> Base64Decode(std::string_view text);

/// True if s is valid UTF-8 without ASCII control characters other than
/// newline (the signed-note rule).
bool IsValidNoteText(std::string_view s);
/// A key name: non-empty valid UTF-8 without '+', control characters or
/// Unicode white space.
bool IsValidKeyName(std::string_view name);

}  // namespace signing::internal

#endif  // SIGNING_INTERNAL_TEXT_UTIL_H_

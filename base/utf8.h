// UTF-8 for all of kura, on ICU (unicode/utf8.h): validation, repair,
// code point reading and writing, and cutting without splitting a character.
// No other module decodes or encodes UTF-8 by hand.
//
// Well-formed means Unicode's definition (D92, RFC 3629): no overlong
// forms, no surrogates (U+D800..U+DFFF), nothing above U+10FFFF, no
// truncated sequence. ICU's U8_NEXT decides it.
//
// Replacement policy: one U+FFFD for each byte that does not start a
// well-formed sequence ("\xE3\x82" + "A" gives two U+FFFD, then "A").
// This is the policy of the walkers kura had before this file, and names
// already stored (Shift_JIS file names from Windows shares, say) were
// repaired with it, so it stays. ICU's own substitution (U8_NEXT's
// advance, u_strFromUTF8WithSub, UnicodeString::fromUTF8) and nlohmann-json's
// dump(error_handler_t::replace) give one U+FFFD per *maximal ill-formed
// subpart* instead ("\xE3\x82" + "A" gives one); the two agree on lone
// bytes, overlongs, surrogates and values above U+10FFFF, and differ only
// on a sequence that starts well and is cut short.
//
// Thread safety: pure functions.
#ifndef BASE_UTF8_H_
#define BASE_UTF8_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace base {

/// U+FFFD REPLACEMENT CHARACTER, encoded.
inline constexpr std::string_view kReplacementCharacter = "\xEF\xBF\xBD";

/// What NextCodePoint returns for a byte that starts no well-formed sequence.
inline constexpr int32_t kIllFormedUtf8 = -1;

/// True if s is well-formed UTF-8 (the empty string is).
bool IsValidUtf8(std::string_view s);

/// s with each byte that does not start a well-formed sequence replaced by
/// kReplacementCharacter; well-formed sequences are copied unchanged, so
/// valid input comes back byte for byte. The result is always valid UTF-8.
std::string ToValidUtf8(std::string_view s);

/// Decodes the code point that starts at s[*pos] and moves *pos past it.
/// If no well-formed sequence starts there, returns kIllFormedUtf8 and
/// moves *pos on by one byte (the policy of ToValidUtf8).
/// REQUIRES: *pos < s.size().
int32_t NextCodePoint(std::string_view s, size_t* pos);

/// Calls fn(char32_t) for each code point of s in order while fn returns
/// true. Returns true if it got to the end: s is well-formed and fn never
/// returned false. Stops, returning false, at the first ill-formed byte.
template <typename Fn>
bool ForEachCodePoint(std::string_view s, Fn&& fn) {
  for (size_t pos = 0; pos < s.size();) {
    int32_t cp = static_cast<unsigned char>(s[pos]);
    if (cp < 0x80) {  // ASCII, without the call
      ++pos;
    } else if ((cp = NextCodePoint(s, &pos)) == kIllFormedUtf8) {
      return false;
    }
    if (!fn(static_cast<char32_t>(cp))) return false;
  }
  return true;
}

/// Appends the UTF-8 form of cp to *out. A value that is not a Unicode
/// scalar value (a surrogate, or above U+10FFFF) appends U+FFFD instead,
/// so *out stays valid.
void AppendCodePoint(char32_t cp, std::string* out);

/// s if it has at most max_bytes bytes; otherwise its first max_bytes bytes
/// without the sequence the cut falls in: if they end with a sequence that
/// is well-formed so far but incomplete, it is dropped (ICU's
/// U8_TRUNCATE_IF_INCOMPLETE). Ill-formed bytes before the cut are kept, so
/// the result is valid UTF-8 if s is.
std::string_view TruncateUtf8(std::string_view s, size_t max_bytes);

}  // namespace base

#endif  // BASE_UTF8_H_

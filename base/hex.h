// Lower-case hexadecimal encoding, for digests and identifiers.
#ifndef BASE_HEX_H_
#define BASE_HEX_H_

#include <string>
#include <string_view>

#include "base/result.h"

namespace base {

std::string HexEncode(std::string_view bytes);
/// Accepts upper and lower case; odd length or a non-hex digit is
/// InvalidArgument.
Result<std::string> HexDecode(std::string_view hex);
/// True if s is exactly n lower-case hex digits.
bool IsLowerHex(std::string_view s, size_t n);

}  // namespace base

#endif  // BASE_HEX_H_

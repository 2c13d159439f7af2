// Japanese text for errno values, for the messages people read: the CLI
// prints them and the API returns them, so strerror's English must not
// reach a clerk ("No space left on device" becomes
// "ディスクの空き容量が不足しています (ENOSPC)").
//
// Thread safety: pure function over constant strings (the fallback calls
// strerror, which glibc makes thread-safe for the values it knows).
#ifndef BASE_ERRNO_TEXT_H_
#define BASE_ERRNO_TEXT_H_

#include <string>

namespace base {

/// A Japanese phrase for err_no followed by its symbolic name in
/// parentheses: "ファイルまたはディレクトリが見つかりません (ENOENT)". A value
/// outside the table of common file-system and network errors gives
/// strerror's text and the number instead: "Unknown error 999 (errno 999)".
std::string ErrnoText(int err_no);

}  // namespace base

#endif  // BASE_ERRNO_TEXT_H_

// Status text for people: ONE short Japanese phrase per base::Status::Code,
// shared by the CLI, which prints it before the precise detail
// ("kura: 見つかりません: no document D00000042"), and the JSON API, which
// shows it when an error has no message of its own (statuses cpp-httplib
// sets itself) or must not show its detail (500 and 503, whose detail goes
// to the log). Mapping a Status to an HTTP status is web's
// (web::HttpStatusFor).
//
// Thread safety: a pure function over constant strings.
#ifndef BASE_STATUS_TEXT_H_
#define BASE_STATUS_TEXT_H_

#include <string_view>

#include "base/status.h"

namespace base {

/// A short Japanese phrase naming the kind of outcome code is, for people:
/// "見つかりません" for kNotFound, "内部エラーが発生しました" for kInternal,
/// and so on; one distinct phrase per code. The view refers to a string
/// literal (static storage, NUL-terminated).
std::string_view JapaneseSummary(Status::Code code);

}  // namespace base

#endif  // BASE_STATUS_TEXT_H_

#include "base/status_text.h"

namespace base {

std::string_view JapaneseSummary(Status::Code code) {
  // No default: -Wswitch names a new code that has no phrase yet.
  switch (code) {
    case Status::Code::kOk:
      return "成功しました";
    case Status::Code::kNotFound:
      return "見つかりません";
    case Status::Code::kCorruption:
      return "データが壊れています";
    case Status::Code::kInvalidArgument:
      return "入力が正しくありません";
    case Status::Code::kIOError:
      return "読み書きに失敗しました";
    case Status::Code::kFailedPrecondition:
      return "実行できません";
    case Status::Code::kPermissionDenied:
      return "権限がありません";
    case Status::Code::kAlreadyExists:
      return "既に存在します";
    case Status::Code::kResourceExhausted:
      return "サイズの上限を超えています";
    case Status::Code::kUnavailable:
      return "一時的に処理できません。しばらくしてから再度お試しください";
    case Status::Code::kAborted:
      return "他の更新と競合しました";
    case Status::Code::kInternal:
      return "内部エラーが発生しました";
  }
  return "エラーが発生しました";  // not a Code (a cast of an invalid value)
}

}  // namespace base

#include "base/errno_text.h"

#include <cerrno>
#include <cstring>

namespace base {
namespace {

struct ErrnoEntry {
  int value;
  const char* name;
  const char* text;
};

// A table, not a switch: EAGAIN and EWOULDBLOCK may be one value, and the
// first entry that matches wins.
constexpr ErrnoEntry kErrnoTable[] = {
    {ENOENT, "ENOENT", "ファイルまたはディレクトリが見つかりません"},
    {EACCES, "EACCES", "アクセス権がありません（ファイルやディレクトリの権限を確認してください）"},
    {EPERM, "EPERM", "この操作は許可されていません"},
    {ENOSPC, "ENOSPC", "ディスクの空き容量が不足しています"},
    {EDQUOT, "EDQUOT", "ディスク使用量の割り当て（クォータ）を超えています"},
    {EEXIST, "EEXIST", "既に存在します"},
    {EISDIR, "EISDIR", "ディレクトリです（ファイルではありません）"},
    {ENOTDIR, "ENOTDIR", "パスの途中にディレクトリでないものがあります"},
    {EROFS, "EROFS", "読み取り専用のファイルシステムには書き込めません"},
    {EIO, "EIO", "入出力エラーが発生しました（ディスクの障害の可能性があります）"},
    {EMFILE, "EMFILE", "このプロセスで開いているファイルが多すぎます"},
    {ENFILE, "ENFILE", "システム全体で開いているファイルが多すぎます"},
    {ENAMETOOLONG, "ENAMETOOLONG", "ファイル名またはパスが長すぎます"},
    {EBUSY, "EBUSY", "使用中のため操作できません"},
    {ELOOP, "ELOOP", "シンボリックリンクが多すぎるか、循環しています"},
    {EXDEV, "EXDEV", "別のファイルシステムへは名前の変更で移動できません"},
    {ENOTEMPTY, "ENOTEMPTY", "ディレクトリが空ではありません"},
    {EINVAL, "EINVAL", "引数が正しくありません"},
    {ENOMEM, "ENOMEM", "メモリが不足しています"},
    {EAGAIN, "EAGAIN", "一時的に利用できません。しばらくしてから再度お試しください"},
    {EINTR, "EINTR", "割り込みにより中断されました"},
    {EBADF, "EBADF", "ファイル記述子が正しくありません"},
    {EFBIG, "EFBIG", "ファイルが大きすぎます"},
    {ETXTBSY, "ETXTBSY", "実行中のファイルのため変更できません"},
    {ECONNREFUSED, "ECONNREFUSED",
     "接続を拒否されました（相手のサーバーが動いているか確認してください）"},
    {ETIMEDOUT, "ETIMEDOUT", "接続がタイムアウトしました"},
    {EHOSTUNREACH, "EHOSTUNREACH", "ホストに到達できません"},
    {ENETUNREACH, "ENETUNREACH", "ネットワークに到達できません"},
    {ECONNRESET, "ECONNRESET", "接続が相手側から切断されました"},
    {EPIPE, "EPIPE", "書き込み先の接続またはパイプが閉じられています"},
};

}  // namespace

std::string ErrnoText(int err_no) {
  for (const ErrnoEntry& e : kErrnoTable) {
    if (e.value == err_no) return std::string(e.text) + " (" + e.name + ")";
  }
  return std::string(std::strerror(err_no)) + " (errno " + std::to_string(err_no) + ")";
}

}  // namespace base

#include "ledger/data_dir.h"

#include <string_view>

#include "base/text.h"

namespace ledger {

using base::Status;

namespace {
constexpr std::string_view kFormatPrefix = "kura-data-format ";

std::string FormatLine() {
  return std::string(kFormatPrefix) + std::to_string(kDataFormatVersion) + "\n";
}
}  // namespace

Status CheckDataDir(base::FileSystem* fs, const DataDirLayout& layout) {
  auto text = fs->ReadFile(layout.format(), 4096);
  if (!text.ok()) {
    if (text.status().IsNotFound()) {
      return Status::FailedPrecondition(
          layout.root +
          " は kura のデータディレクトリではありません（先に kura init を実行してください）");
    }
    return text.status();
  }
  std::string_view t = *text;
  while (!t.empty() && (t.back() == '\n' || t.back() == '\r' || t.back() == ' ')) {
    t.remove_suffix(1);
  }
  if (t.substr(0, kFormatPrefix.size()) != kFormatPrefix) {
    return Status::FailedPrecondition(layout.format() + ": 形式「" + base::PrintableText(t) +
                                      "」が分かりません。kura のデータディレクトリではありません");
  }
  const std::string_view number = t.substr(kFormatPrefix.size());
  int version = 0;
  for (char c : number) {
    if (c < '0' || c > '9' || version > 100000) {
      return Status::FailedPrecondition(layout.format() + ": 形式の版「" +
                                        base::PrintableText(number) + "」が読めません");
    }
    version = version * 10 + (c - '0');
  }
  if (version != kDataFormatVersion) {
    return Status::FailedPrecondition(
        layout.root + " は" + (version > kDataFormatVersion ? "新しい" : "不明な") +
        "版の kura で作成されています（形式 " + std::to_string(version) +
        "。この kura が読めるのは形式 " + std::to_string(kDataFormatVersion) +
        "）。作成した版の kura を使ってください");
  }
  return Status::OK();
}

Status InitDataDir(base::FileSystem* fs, const DataDirLayout& layout,
                   const std::string& default_config) {
  RETURN_IF_ERROR(fs->CreateDirs(layout.root));
  if (fs->Stat(layout.format()).ok()) {
    RETURN_IF_ERROR(CheckDataDir(fs, layout));
  } else {
    // A non-empty directory that is not ours is not taken over silently.
    ASSIGN_OR_RETURN(const auto names, fs->ListDir(layout.root));
    for (const auto& n : names) {
      if (n != "catalog" && n != "objects" && n != "keys" && n != "kura.toml" && n != "LOCK") {
        return Status::FailedPrecondition(
            layout.root + " は空ではなく、kura のデータディレクトリでもありません（" +
            base::PrintableText(n) + " があります）。空のディレクトリを指定してください");
      }
    }
  }
  RETURN_IF_ERROR(fs->CreateDirs(layout.catalog()));
  RETURN_IF_ERROR(fs->CreateDirs(layout.objects()));
  RETURN_IF_ERROR(fs->CreateDirs(layout.keys(), 0700));
  if (!fs->Stat(layout.config()).ok()) {
    RETURN_IF_ERROR(base::WriteFileDurably(fs, layout.config(), default_config));
  }
  if (!fs->Stat(layout.format()).ok()) {
    RETURN_IF_ERROR(base::WriteFileDurably(fs, layout.format(), FormatLine()));
  }
  return Status::OK();
}

}  // namespace ledger

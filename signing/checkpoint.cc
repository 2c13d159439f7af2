#include "signing/checkpoint.h"

#include <charconv>

#include "base/text.h"
#include "signing/internal/text_util.h"

namespace signing {
namespace {

bool IsValidLine(std::string_view line) {
  return !line.empty() && line.find('\n') == std::string_view::npos &&
         internal::IsValidNoteText(line);
}

}  // namespace

base::Result<std::string> FormatCheckpoint(const Checkpoint& checkpoint) {
  if (!IsValidLine(checkpoint.origin)) {
    return base::Status::InvalidArgument(
        "チェックポイント: 発行元（origin）は空でない 1 行にしてください");
  }
  std::string text =
      checkpoint.origin + "\n" + std::to_string(checkpoint.size) + "\n" +
      internal::Base64Encode(checkpoint.root.AsStringView()) + "\n";
  for (const std::string& line : checkpoint.extensions) {
    if (!IsValidLine(line)) {
      return base::Status::InvalidArgument("チェックポイント: 拡張行は空でない 1 行にしてください");
    }
    text += line;
    text += "\n";
  }
  return text;
}

base::Result<Checkpoint> ParseCheckpoint(std::string_view text) {
  if (text.empty() || text.back() != '\n') {
    return base::Status::Corruption("チェックポイント: 本文が改行で終わっていません");
  }
  std::vector<std::string_view> lines;
  for (std::string_view rest = text; !rest.empty();) {
    const size_t eol = rest.find('\n');
    lines.push_back(rest.substr(0, eol));
    rest.remove_prefix(eol + 1);
  }
  if (lines.size() < 3) {
    return base::Status::Corruption("チェックポイント: 本文が 3 行に足りません");
  }
  Checkpoint cp;
  if (!IsValidLine(lines[0])) {
    return base::Status::Corruption("チェックポイント: 発行元（origin）の行が空か不正です");
  }
  cp.origin = std::string(lines[0]);

  const std::string_view size = lines[1];
  const auto [end, ec] =
      std::from_chars(size.data(), size.data() + size.size(), cp.size);
  if (size.empty() || ec != std::errc() || end != size.data() + size.size() ||
      (size.size() > 1 && size[0] == '0')) {
    return base::Status::Corruption("チェックポイント: 木のサイズ「" + base::PrintableText(size) +
                                    "」が正しくありません");
  }

  const std::optional<std::string> root = internal::Base64Decode(lines[2]);
  if (!root || root->size() != Digest::kSize) {
    return base::Status::Corruption(
        "チェックポイント: ルートハッシュが 32 バイトの base64 ではありません");
  }
  cp.root = Digest::FromBytes(*root).value();

  for (size_t i = 3; i < lines.size(); ++i) {
    if (!IsValidLine(lines[i])) {
      return base::Status::Corruption("チェックポイント: 拡張行が空か不正です");
    }
    cp.extensions.emplace_back(lines[i]);
  }
  return cp;
}

base::Result<std::string> SignCheckpoint(const Checkpoint& checkpoint,
                                         const NoteSigner& signer) {
  ASSIGN_OR_RETURN(const std::string text, FormatCheckpoint(checkpoint));
  return signer.Sign(text);
}

base::Result<Checkpoint> VerifyCheckpoint(std::string_view signed_note,
                                          const NoteVerifier& verifier,
                                          std::string_view expected_origin) {
  ASSIGN_OR_RETURN(const std::string text, OpenNote(signed_note, verifier));
  ASSIGN_OR_RETURN(Checkpoint cp, ParseCheckpoint(text));
  if (!expected_origin.empty() && cp.origin != expected_origin) {
    return base::Status::FailedPrecondition("チェックポイント: 発行元（origin）「" + cp.origin +
                                            "」が期待した「" + std::string(expected_origin) +
                                            "」ではありません（別の台帳のチェックポイントです）");
  }
  return cp;
}

}  // namespace signing

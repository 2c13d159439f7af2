// WriteCorpus: the numbered files of a corpus, through base::FileSystem.

#include <string>
#include <utility>

#include "corpus/corpus.h"

namespace corpus {
namespace {

base::Status WriteOne(base::FileSystem* fs, const std::string& path,
                      const std::string& data) {
  ASSIGN_OR_RETURN(auto file, fs->NewWritableFile(path));
  RETURN_IF_ERROR(file->Append(data));
  return file->Close();
}

}  // namespace

base::Status WriteCorpus(const Options& options, base::FileSystem* fs,
                         const std::string& dir,
                         const std::function<void(int, int)>& progress,
                         const PdfOptions& pdf_options) {
  if (options.count < 0) {
    return base::Status::InvalidArgument("デモ用請求書の件数 (--count) が負の値です");
  }
  if (options.to < options.from) {
    return base::Status::InvalidArgument("デモ用請求書の期間の終わりが始まりより前です");
  }
  if (!(options.pdf_share >= 0.0 && options.pdf_share <= 1.0)) {
    return base::Status::InvalidArgument(
        "デモ用請求書の PDF の割合 (--pdf-share) は 0 以上 1 以下にしてください");
  }
  RETURN_IF_ERROR(fs->CreateDirs(dir).WithContext("デモ用請求書の出力先フォルダを作成できません"));
  Generator generator(options);
  for (int n = 1; n <= options.count; ++n) {
    const Invoice invoice = generator.Next();
    const std::string name = CorpusFileName(n, invoice.format);
    std::string data;
    if (invoice.format == Format::kPdf) {
      base::Result<std::string> pdf = RenderPdf(invoice, pdf_options);
      if (!pdf.ok()) return pdf.status().WithContext(name);
      data = std::move(pdf).value();
    } else {
      data = RenderJpPint(invoice);
    }
    RETURN_IF_ERROR(
        WriteOne(fs, base::JoinPath(dir, name), data).WithContext(name));
    if (progress) progress(n, options.count);
  }
  return fs->SyncFileSystem(dir).WithContext("デモ用請求書をディスクに書き込み終えられません");
}

}  // namespace corpus

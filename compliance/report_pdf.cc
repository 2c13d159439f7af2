// report.pdf of an evidence bag: an A4 summary in Japanese (PoDoFo 0.9.8,
// a subset of a Japanese TrueType font, Identity-H), as corpus/pdf_writer.cc
// draws invoices. PoDoFo throws PdfError; every call into it happens inside
// the try block of RenderReport.
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <podofo/podofo.h>
#include <sys/stat.h>

#include "compliance/internal/bag_parts.h"

namespace compliance::internal {
namespace {

namespace pdf = PoDoFo;

constexpr double kPageWidth = 595.0;
constexpr double kLeft = 40.0;
constexpr double kRight = 555.0;
constexpr double kTop = 800.0;
constexpr double kBottom = 50.0;

pdf::PdfString Utf8(std::string_view s) {
  return pdf::PdfString(reinterpret_cast<const pdf::pdf_utf8*>(s.data()),
                        static_cast<pdf::pdf_long>(s.size()));
}

class Canvas {
 public:
  Canvas(pdf::PdfMemDocument* doc, pdf::PdfFont* font) : doc_(doc), font_(font) {}
  void NewPage() {
    if (page_ != nullptr) painter_.FinishPage();
    page_ = doc_->CreatePage(pdf::PdfPage::CreateStandardPageSize(pdf::ePdfPageSize_A4));
    painter_.SetPage(page_);
    ++pages_;
    Text(kPageWidth / 2 - 10, 25, 8, "- " + std::to_string(pages_) + " -");
    y_ = kTop;
  }
  void Finish() { painter_.FinishPage(); }
  void Text(double x, double y, double size, std::string_view s) {
    font_->SetFontSize(static_cast<float>(size));
    painter_.SetFont(font_);
    painter_.DrawText(x, y, Utf8(s));
  }
  double Width(std::string_view s, double size) {
    font_->SetFontSize(static_cast<float>(size));
    return font_->GetFontMetrics()->StringWidth(Utf8(s));
  }
  // Shrinks (down to 5 pt) until s fits.
  void TextFit(double x, double y, double size, double width, std::string_view s) {
    while (size > 5 && Width(s, size) > width) size -= 0.5;
    Text(x, y, size, s);
  }
  void Line(double y) {
    painter_.SetStrokeWidth(0.3);
    painter_.SetStrokingGray(0.6);
    painter_.DrawLine(kLeft, y, kRight, y);
  }
  // The next line's baseline, opening a page (with header) if needed.
  double Next(double height, const std::function<void()>& header = nullptr) {
    if (y_ - height < kBottom) {
      NewPage();
      if (header) header();
    }
    y_ -= height;
    return y_;
  }

 private:
  pdf::PdfMemDocument* doc_;
  pdf::PdfFont* font_;
  pdf::PdfPage* page_ = nullptr;
  pdf::PdfPainter painter_;
  int pages_ = 0;
  double y_ = kTop;
};

std::string Count(uint64_t n) { return std::to_string(n); }

void Summary(Canvas& c, const ReportData& d) {
  c.Text(kLeft, c.Next(10), 18, "証跡出力 報告書（電子取引データ・請求書）");
  c.Next(14);
  std::vector<std::pair<std::string, std::string>> rows = {
      {"作成者（Source-Organization）", d.organization},
      {"作成日時", d.bagging_time},
      {"検索条件", d.query},
      {"受領期間",
       d.received_from.empty() ? "（該当なし）" : d.received_from + " 〜 " + d.received_to},
      {"文書数", Count(d.documents) + " 件（原本なし " + Count(d.missing) + " 件）"},
      {"原本の合計", Count(d.original_bytes) + " バイト"},
      {"イベント数", Count(d.events) + " 件（受領・訂正・支出命令の各段階）"},
      {"チェックポイント", Count(d.checkpoints) + " 件、証明の基準: 木の大きさ " + d.checkpoint},
      {"ログの検証鍵", d.verifier_key},
  };
  for (const std::string& f : d.tsa_root_fingerprints) {
    rows.emplace_back("TSA ルート証明書 SHA-256", f);
  }
  for (const auto& [label, value] : rows) {
    const double y = c.Next(15);
    c.Text(kLeft, y, 9, label);
    c.TextFit(kLeft + 150, y, 9, kRight - kLeft - 150, value);
  }
  c.Next(8);
  c.TextFit(kLeft, c.Next(12), 8, kRight - kLeft,
            "検証方法は VERIFY.txt を参照（sha256sum・openssl・python3 で kura なしに確認できます）。");
  c.TextFit(kLeft, c.Next(12), 8, kRight - kLeft,
            "ログの検証鍵と TSA ルート証明書のフィンガープリントは、市が別の経路（紙・ウェブサイト）で"
            "公開した控えと照合してください。");
}

void Header(Canvas& c) {
  const double y = c.Next(14);
  c.Text(kLeft, y, 8, "文書ID");
  c.Text(kLeft + 60, y, 8, "取引年月日");
  c.Text(kLeft + 115, y, 8, "取引先");
  c.Text(kLeft + 280, y, 8, "取引金額");
  c.Text(kLeft + 345, y, 8, "タイムスタンプ時刻 / ファイル名");
  c.Line(y - 3);
}

void Rows(Canvas& c, const ReportData& d) {
  c.Next(10);
  Header(c);
  const auto header = [&c] { Header(c); };
  for (const ReportRow& r : d.rows) {
    double y = c.Next(13, header);
    c.Text(kLeft, y, 8, r.id);
    c.Text(kLeft + 60, y, 8, r.issue_date);
    c.TextFit(kLeft + 115, y, 8, 160, r.counterparty);
    c.TextFit(kLeft + 280, y, 8, 60, r.total);
    c.TextFit(kLeft + 345, y, 8, kRight - kLeft - 345,
              r.timestamp_time.empty() ? "（タイムスタンプなし）" : r.timestamp_time);
    y = c.Next(10, header);
    c.TextFit(kLeft + 10, y, 6.5, 330, "SHA-256 " + r.sha256);
    c.TextFit(kLeft + 345, y, 7, kRight - kLeft - 345,
              r.state.empty() ? r.file_name : r.state + " " + r.file_name);
    c.Line(y - 3);
  }
}

std::mutex& DocumentCreationMutex() {
  static std::mutex mu;
  return mu;
}

}  // namespace

base::Result<std::string> RenderReport(const ReportData& data, const std::string& font_file) {
  struct stat st;
  if (::stat(font_file.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
    return base::Status::NotFound("報告書（report.pdf）を作るためのフォント " + font_file +
                                  " が見つかりません（fonts-ipaexfont-gothic "
                                  "などの日本語フォントをインストールしてください）");
  }
  try {
    std::unique_ptr<pdf::PdfMemDocument> doc;
    {
      // PoDoFo stamps the local time with localtime(3): not thread-safe.
      std::lock_guard<std::mutex> lock(DocumentCreationMutex());
      doc = std::make_unique<pdf::PdfMemDocument>();
    }
    auto encoding = std::make_unique<pdf::PdfIdentityEncoding>(0, 0xffff, true);
    pdf::PdfFont* font = doc->CreateFontSubset("kura-report-font", false, false, false,
                                               encoding.get(), font_file.c_str());
    if (font == nullptr) {
      return base::Status::Internal("報告書のフォント " + font_file + " を読み込めません");
    }
    encoding.release();  // owned by the font now
    Canvas canvas(doc.get(), font);
    canvas.NewPage();
    Summary(canvas, data);
    Rows(canvas, data);
    canvas.Finish();
    pdf::PdfInfo* info = doc->GetInfo();
    info->SetTitle(Utf8("証跡出力 報告書"));
    info->SetAuthor(Utf8(data.organization));
    info->SetCreator(pdf::PdfString("kura compliance/export"));
    pdf::PdfRefCountedBuffer buffer;
    pdf::PdfOutputDevice device(&buffer);
    doc->Write(&device);
    return std::string(buffer.GetBuffer(), device.GetLength());
  } catch (const pdf::PdfError& e) {
    return base::Status::Internal(std::string("報告書（report.pdf）を作成できません（PoDoFo: ") +
                                  e.what() + "）");
  } catch (const std::exception& e) {
    return base::Status::Internal(std::string("報告書（report.pdf）を作成できません（") + e.what() +
                                  "）");
  }
}

}  // namespace compliance::internal

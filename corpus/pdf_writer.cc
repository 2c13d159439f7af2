// RenderPdf: a one-or-more-page A4 請求書 drawn with PoDoFo 0.9.8 and a
// subset of a Japanese TrueType font (CID, Identity-H). PoDoFo throws
// PdfError; every call into it happens inside the try block of RenderPdf.
//
// Determinism: PoDoFo stamps the creation time into the document info and
// derives the trailer /ID from (only) that dictionary. RenderPdf overwrites
// CreationDate (and sets ModDate) from the issue date and puts the amount in
// Keywords, so the /ID, and with it the whole file, depends only on the
// invoice and the font file. The subset tag is always "AAAAAA+" (the first
// subset of a document) in PoDoFo 0.9.8.

#include <cstdio>
#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include <podofo/podofo.h>
#include <sys/stat.h>

#include "corpus/corpus.h"

namespace corpus {
namespace {

namespace pdf = PoDoFo;

constexpr double kPageWidth = 595.0;  // A4, points
constexpr double kLeft = 50.0;
constexpr double kRight = 545.0;
constexpr double kBottom = 60.0;
constexpr double kRowHeight = 15.0;

// Table columns: right edges of the numeric ones.
constexpr double kColNo = 55.0;
constexpr double kColName = 74.0;
constexpr double kColNameEnd = 282.0;
constexpr double kColQtyRight = 335.0;
constexpr double kColUnit = 340.0;
constexpr double kColPriceRight = 425.0;
constexpr double kColRateRight = 465.0;
constexpr double kColAmountRight = 540.0;

// "1234567.5" → "1,234,567.5".
std::string Grouped(const base::Decimal& d) {
  const std::string s = d.ToString();
  size_t start = s[0] == '-' ? 1 : 0;
  size_t dot = s.find('.');
  if (dot == std::string::npos) dot = s.size();
  std::string out = s.substr(0, start);
  for (size_t i = start; i < dot; ++i) {
    if (i > start && (dot - i) % 3 == 0) out.push_back(',');
    out.push_back(s[i]);
  }
  out.append(s, dot, std::string::npos);
  return out;
}

std::string Yen(const base::Decimal& d) { return "¥" + Grouped(d); }

std::string JapaneseDate(base::Date d) {
  return std::to_string(d.year()) + "年" + std::to_string(d.month()) + "月" +
         std::to_string(d.day()) + "日";
}

pdf::PdfString Utf8(std::string_view s) {
  return pdf::PdfString(reinterpret_cast<const pdf::pdf_utf8*>(s.data()),
                        static_cast<pdf::pdf_long>(s.size()));
}

// Draws text on the pages of one document, opening pages as needed.
class Canvas {
 public:
  Canvas(pdf::PdfMemDocument* doc, pdf::PdfFont* font)
      : doc_(doc), font_(font) {}

  void NewPage() {
    if (page_ != nullptr) painter_.FinishPage();
    page_ = doc_->CreatePage(
        pdf::PdfPage::CreateStandardPageSize(pdf::ePdfPageSize_A4));
    painter_.SetPage(page_);
    painter_.SetFont(font_);
    ++page_number_;
    Text(kPageWidth / 2 - 10, 30, 8,
         "- " + std::to_string(page_number_) + " -");
  }
  void Finish() { painter_.FinishPage(); }
  int page_number() const { return page_number_; }

  double Width(std::string_view s, double size) {
    font_->SetFontSize(static_cast<float>(size));
    return font_->GetFontMetrics()->StringWidth(Utf8(s));
  }
  void Text(double x, double y, double size, std::string_view s) {
    font_->SetFontSize(static_cast<float>(size));
    painter_.SetFont(font_);
    painter_.DrawText(x, y, Utf8(s));
  }
  void TextRight(double right, double y, double size, std::string_view s) {
    Text(right - Width(s, size), y, size, s);
  }
  void TextCentered(double y, double size, std::string_view s) {
    Text((kPageWidth - Width(s, size)) / 2, y, size, s);
  }
  // Shrinks the font (down to 6 pt) until s fits in width.
  void TextFit(double x, double y, double size, double width,
               std::string_view s) {
    while (size > 6 && Width(s, size) > width) size -= 0.5;
    Text(x, y, size, s);
  }
  void Line(double x1, double y1, double x2, double y2, double width,
            double gray) {
    painter_.SetStrokeWidth(width);
    painter_.SetStrokingGray(gray);
    painter_.DrawLine(x1, y1, x2, y2);
  }
  void FillRect(double x, double y, double w, double h, double gray) {
    painter_.SetGray(gray);
    painter_.Rectangle(x, y, w, h);
    painter_.Fill();
    painter_.SetGray(0.0);
  }
  void StrokeRect(double x, double y, double w, double h, double width) {
    painter_.SetStrokeWidth(width);
    painter_.SetStrokingGray(0.0);
    painter_.Rectangle(x, y, w, h);
    painter_.Stroke();
  }

 private:
  pdf::PdfMemDocument* doc_;
  pdf::PdfFont* font_;
  pdf::PdfPage* page_ = nullptr;
  pdf::PdfPainter painter_;
  int page_number_ = 0;
};

void TableHeader(Canvas& c, double y) {
  c.FillRect(kLeft, y - 4, kRight - kLeft, kRowHeight, 0.85);
  c.Text(kColNo, y, 8.5, "No.");
  c.Text(kColName + 2, y, 8.5, "品名");
  c.TextRight(kColQtyRight, y, 8.5, "数量");
  c.Text(kColUnit, y, 8.5, "単位");
  c.TextRight(kColPriceRight, y, 8.5, "単価");
  c.TextRight(kColRateRight, y, 8.5, "税率");
  c.TextRight(kColAmountRight, y, 8.5, "金額");
}

void FirstPageHeader(Canvas& c, const Invoice& inv) {
  const Vendor& v = inv.vendor;
  c.TextCentered(782, 22, "請求書");
  c.Line(250, 776, 345, 776, 1.0, 0.0);

  c.Text(390, 748, 9, "請求番号: " + inv.id);
  c.Text(390, 734, 9, "請求日: " + JapaneseDate(inv.issue_date));
  c.Text(390, 720, 9, "お支払期限: " + JapaneseDate(inv.due_date));

  c.Text(kLeft, 740, 14, inv.buyer + "　御中");
  c.Line(kLeft, 735, 280, 735, 0.8, 0.0);
  if (!inv.department_name.empty()) {
    c.Text(kLeft, 720, 9, "（" + inv.department_name + "）");
  }

  c.TextFit(330, 692, 11, kRight - 330, v.name_on_invoice);
  const std::string postal =
      v.postal_code.size() == 7
          ? v.postal_code.substr(0, 3) + "-" + v.postal_code.substr(3)
          : v.postal_code;
  c.Text(330, 678, 8.5, "〒" + postal);
  c.TextFit(330, 666, 8.5, kRight - 330, v.address);
  c.Text(330, 652, 9, "登録番号: " + v.registration_number);

  c.Text(kLeft, 640, 10, "下記のとおりご請求申し上げます。");
  c.StrokeRect(kLeft, 603, 300, 28, 1.0);
  c.Text(kLeft + 8, 612, 11, "ご請求金額（税込）");
  c.TextRight(kLeft + 290, 611, 16, Yen(inv.payable_amount) + "-");
}

// "令和7年4月1日" (令和元年 for 2019).
std::string WarekiDate(base::Date d) {
  const int reiwa = d.year() - 2018;
  return "令和" + (reiwa == 1 ? std::string("元") : std::to_string(reiwa)) + "年" +
         std::to_string(d.month()) + "月" + std::to_string(d.day()) + "日";
}

std::string SlashDate(base::Date d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d/%02d/%02d", d.year(), d.month(), d.day());
  return buf;
}

// Layout 2: title and vendor on the left, buyer and dates on the right.
void FirstPageHeader2(Canvas& c, const Invoice& inv) {
  const Vendor& v = inv.vendor;
  c.Text(kLeft, 780, 20, "御請求書");
  c.TextRight(kRight, 786, 9, "発行日 " + WarekiDate(inv.issue_date));
  c.TextRight(kRight, 772, 9, "請求書番号 " + inv.id);
  c.TextRight(kRight, 758, 9, "お支払期日 " + SlashDate(inv.due_date));

  c.TextFit(kLeft, 740, 11, 260, v.name_on_invoice);
  c.TextFit(kLeft, 726, 8.5, 260, "〒" + v.postal_code.substr(0, 3) + "-" +
                                      (v.postal_code.size() > 3 ? v.postal_code.substr(3) : "") +
                                      " " + v.address);
  c.Text(kLeft, 712, 8.5, "適格請求書発行事業者登録番号 " + v.registration_number);

  c.Text(340, 700, 13, inv.buyer + " 御中");
  c.Line(340, 695, kRight, 695, 0.8, 0.0);
  if (!inv.department_name.empty()) c.Text(340, 681, 9, inv.department_name + " ご担当者様");
  c.Text(kLeft, 640, 10, "毎度ありがとうございます。下記のとおりご請求いたします。");
}

// Layout 2's summary: the rates first, the 合計金額 last and largest.
void Summary2(Canvas& c, const Invoice& inv, double y) {
  constexpr double kLabel = 270;
  c.Line(kLeft, y + 11, kRight, y + 11, 0.8, 0.0);
  y -= 4;
  for (const TaxSubtotal& t : inv.tax_subtotals) {
    const std::string rate = std::to_string(t.rate) + "%";
    c.Text(kLabel, y, 9, (t.reduced ? "軽減税率" : "") + rate + "対象 " + Yen(t.taxable));
    c.TextRight(kColAmountRight, y, 9, "消費税 " + Yen(t.tax));
    y -= kRowHeight;
  }
  y -= 6;
  c.StrokeRect(kLabel - 6, y - 7, kRight - kLabel + 6, kRowHeight + 8, 1.0);
  c.Text(kLabel, y, 12, "合計金額");
  c.TextRight(kColAmountRight, y, 12, Yen(inv.tax_inclusive_amount) + "-");
  y -= 2 * kRowHeight;
  const Vendor& v = inv.vendor;
  c.Text(kLeft, y, 9, "お振込先 " + v.bank_name + " " + v.branch_name);
}

// Per-rate totals, the grand total, the reduced-rate note and the bank.
void Summary(Canvas& c, const Invoice& inv, double y) {
  constexpr double kLabel = 250, kTaxable = 405, kTaxLabel = 415;
  c.Line(kLeft, y + 11, kRight, y + 11, 0.8, 0.0);
  y -= 4;
  c.Text(kLabel, y, 9, "小計（税抜）");
  c.TextRight(kColAmountRight, y, 9, Yen(inv.tax_exclusive_amount));
  bool any_reduced = false;
  for (const TaxSubtotal& t : inv.tax_subtotals) {
    y -= kRowHeight;
    const std::string rate = std::to_string(t.rate) + "%";
    any_reduced = any_reduced || t.reduced;
    c.Text(kLabel, y, 9, rate + "対象" + (t.reduced ? " ※軽減税率" : ""));
    c.TextRight(kTaxable, y, 9, Yen(t.taxable));
    c.Text(kTaxLabel, y, 9, "消費税");
    c.TextRight(kColAmountRight, y, 9, Yen(t.tax));
  }
  y -= kRowHeight;
  c.Text(kLabel, y, 9, "消費税合計");
  c.TextRight(kColAmountRight, y, 9, Yen(inv.tax_amount));
  y -= kRowHeight + 4;
  c.FillRect(kLabel - 4, y - 5, kRight - kLabel + 4, kRowHeight + 2, 0.9);
  c.Text(kLabel, y, 11, "合計（税込）");
  c.TextRight(kColAmountRight, y, 11, Yen(inv.tax_inclusive_amount));

  y -= 2 * kRowHeight;
  if (any_reduced) {
    c.Text(kLeft, y, 8.5, "※印は軽減税率（8%）対象品目です。");
    y -= kRowHeight;
  }
  const Vendor& v = inv.vendor;
  const bool current = v.bank_account.find(":2:") != std::string::npos;
  const size_t last_colon = v.bank_account.rfind(':');
  const std::string number = last_colon == std::string::npos
                                 ? v.bank_account
                                 : v.bank_account.substr(last_colon + 1);
  c.Text(kLeft, y, 9,
         "お振込先: " + v.bank_name + " " + v.branch_name + " " +
             (current ? "当座" : "普通") + " " + number + " " + v.account_name);
}

void Draw(Canvas& c, const Invoice& inv, int layout) {
  c.NewPage();
  if (layout == 2) {
    FirstPageHeader2(c, inv);
  } else {
    FirstPageHeader(c, inv);
  }
  double y = 575;
  TableHeader(c, y);
  y -= kRowHeight + 2;
  const double summary_height = (inv.tax_subtotals.size() + 6) * kRowHeight;
  for (size_t i = 0; i < inv.lines.size(); ++i) {
    if (y < kBottom) {
      c.NewPage();
      c.Text(kLeft, 790, 10, "請求書（続き）  請求番号: " + inv.id);
      y = 760;
      TableHeader(c, y);
      y -= kRowHeight + 2;
    }
    const LineItem& line = inv.lines[i];
    c.Text(kColNo, y, 8.5, std::to_string(i + 1));
    c.TextFit(kColName + 2, y, 8.5, kColNameEnd - kColName - 2,
              line.reduced ? line.description + " ※" : line.description);
    c.TextRight(kColQtyRight, y, 8.5, Grouped(line.quantity));
    c.Text(kColUnit, y, 8.5, line.unit_name);
    c.TextRight(kColPriceRight, y, 8.5, Grouped(line.unit_price));
    c.TextRight(kColRateRight, y, 8.5, std::to_string(line.tax_rate) + "%");
    c.TextRight(kColAmountRight, y, 8.5, Grouped(line.amount));
    c.Line(kLeft, y - 4.5, kRight, y - 4.5, 0.3, 0.7);
    y -= kRowHeight;
  }
  if (y - summary_height < kBottom) {
    c.NewPage();
    c.Text(kLeft, 790, 10, "請求書（続き）  請求番号: " + inv.id);
    y = 760;
  }
  if (layout == 2) {
    Summary2(c, inv, y - 6);
  } else {
    Summary(c, inv, y - 6);
  }
  c.Finish();
}

// PoDoFo 0.9.8 stamps every new document with the current local time via
// PdfDate, which calls localtime(3) and tzset(3): not thread-safe
// (ThreadSanitizer flags two concurrent RenderPdf calls). Construction is
// serialized; the rest of a rendering touches only its own document.
std::mutex& DocumentCreationMutex() {
  static std::mutex mu;
  return mu;
}

// "D:20250401090000+09'00'": 09:00 JST on the issue date.
std::string PdfDateOf(base::Date d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "D:%04d%02d%02d090000+09'00'", d.year(),
                d.month(), d.day());
  return buf;
}

}  // namespace

base::Result<std::string> RenderPdf(const Invoice& inv,
                                    const PdfOptions& options) {
  struct stat st;
  if (::stat(options.font_file.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
    return base::Status::NotFound("PDF の請求書を作るためのフォント " + options.font_file +
                                  " が見つかりません（fonts-ipaexfont-gothic "
                                  "などの日本語フォントをインストールしてください）");
  }
  try {
    std::unique_ptr<pdf::PdfMemDocument> owned;
    {
      std::lock_guard<std::mutex> lock(DocumentCreationMutex());
      owned = std::make_unique<pdf::PdfMemDocument>();
    }
    pdf::PdfMemDocument& doc = *owned;
    // A font made from it deletes the encoding (auto-delete = true); until
    // then it is ours, also when PoDoFo throws (a file that is not a font).
    auto encoding = std::make_unique<pdf::PdfIdentityEncoding>(0, 0xffff, true);
    pdf::PdfFont* font =
        doc.CreateFontSubset("kura-corpus-font", false, false, false,
                             encoding.get(), options.font_file.c_str());
    if (font == nullptr) {
      return base::Status::Internal("PDF の請求書を作るためのフォント " + options.font_file +
                                    " を読み込めません");
    }
    encoding.release();  // owned by the font now
    Canvas canvas(&doc, font);
    Draw(canvas, inv, options.layout);

    pdf::PdfInfo* info = doc.GetInfo();
    info->SetTitle(Utf8(inv.id));
    info->SetAuthor(Utf8(inv.vendor.name_on_invoice));
    info->SetSubject(Utf8("請求書"));
    // The /ID hashes the info dictionary: the keywords make it differ for
    // invoices that share number, vendor and date but not the amount.
    info->SetKeywords(Utf8(inv.vendor.registration_number + " " +
                           inv.payable_amount.ToString() + " " + inv.currency +
                           " " + std::to_string(inv.lines.size())));
    info->SetCreator(pdf::PdfString("kura archive/corpus"));
    info->SetProducer(pdf::PdfString("kura archive/corpus (PoDoFo)"));
    const pdf::PdfString date(PdfDateOf(inv.issue_date));
    info->SetCustomKey(pdf::PdfName("CreationDate"), date);
    info->SetCustomKey(pdf::PdfName("ModDate"), date);

    pdf::PdfRefCountedBuffer buffer;
    pdf::PdfOutputDevice device(&buffer);
    doc.Write(&device);
    return std::string(buffer.GetBuffer(), device.GetLength());
  } catch (const pdf::PdfError& e) {
    const char* detail = pdf::PdfError::ErrorMessage(e.GetError());
    return base::Status::Internal(std::string("PDF の請求書を作成できません（PoDoFo: ") + e.what() +
                                  (detail ? std::string(" (") + detail + ")" : "") + "）");
  } catch (const std::exception& e) {
    return base::Status::Internal(std::string("PDF の請求書を作成できません（") + e.what() + "）");
  }
}

}  // namespace corpus

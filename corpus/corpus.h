// The synthetic invoice corpus: made-up but realistic invoices that a
// Japanese city receives, for the demo, the benchmarks and the search tests.
//
// A Generator draws invoices from a fixed table of ~50 vendors (valid
// registration numbers, addresses, bank accounts, some names written
// differently on their invoices than in the city's vendor master) and a dozen
// departments. Amounts are exact (base::Decimal, never floating point); tax is
// rounded down once per rate per invoice, as qualified invoices require.
// RenderJpPint writes an invoice as JP PINT (UBL 2.1) XML, RenderPdf as a
// Japanese PDF; WriteCorpus writes a numbered set of both.
//
// Determinism: everything is a pure function of Options (and, for PDFs, of
// the font file's bytes). The same seed yields the same invoices and
// byte-identical files on every platform: integer arithmetic only, no clock,
// no locale, no hash-order dependence.
//
// Thread safety: a Generator is not thread-safe (one per thread; two
// generators never share state). The free functions may be called
// concurrently on different invoices. RenderPdf serializes the one step of
// PoDoFo 0.9.8 that is not thread-safe (creating a document reads the local
// time through localtime(3)); that lock does not cover PoDoFo documents
// created elsewhere in the process at the same moment.
#ifndef CORPUS_CORPUS_H_
#define CORPUS_CORPUS_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "base/date.h"
#include "base/file_system.h"
#include "base/money.h"
#include "base/random.h"
#include "base/result.h"
#include "base/status.h"

namespace corpus {

/// A supplier, as the city's vendor master knows it.
struct Vendor {
  /// Registered name, e.g. "株式会社山田建設".
  std::string name;
  /// The name as the vendor prints it on its invoices. Usually equal to
  /// `name`; for some vendors a variant that a matcher must normalise:
  /// "(株)", "㈱", full-width/half-width letters or katakana, an extra space,
  /// 髙/高.
  std::string name_on_invoice;
  /// Reading in full-width katakana without the legal form ("ヤマダケンセツ").
  std::string name_kana;
  /// "T" + 13 digits with a valid check digit.
  std::string registration_number;
  std::string postal_code;  ///< 7 digits, no hyphen
  std::string prefecture;   ///< "埼玉県"
  std::string city;         ///< "草加市", "さいたま市浦和区"
  std::string street;       ///< "栄町3丁目2番8号"
  std::string address;      ///< prefecture + city + street
  /// "bank:branch:type:number" as in the JP PINT samples (IBT-084), e.g.
  /// "0005:123:1:1234567"; type 1 = 普通 (ordinary), 2 = 当座 (current).
  std::string bank_account;
  std::string bank_name;    ///< "みずほ銀行"
  std::string branch_name;  ///< "駅前支店"
  /// Account holder in half-width katakana as banks spell it ("ｶ)ﾔﾏﾀﾞｹﾝｾﾂ").
  std::string account_name;
  /// Budget item (節) the city books this vendor under: 委託料, 工事請負費,
  /// 需用費, 使用料及び賃借料, 備品購入費.
  std::string expense_type;
};

/// A department of the city that orders and receives invoices.
struct Department {
  std::string code;  ///< "somu"
  std::string name;  ///< "総務課"
};

/// One invoice line. JPY prices are whole yen; quantities may have a
/// fraction (12.5 kg).
struct LineItem {
  std::string description;  ///< "給食用食材（精米）"; no reduced-rate mark
  base::Decimal quantity;
  std::string unit_code;  ///< UN/ECE Rec 20: H87, KGM, LTR, MON, LS, ...
  std::string unit_name;  ///< for people: 本, kg, 式, 月, ...
  base::Decimal unit_price;
  int tax_rate = 10;     ///< percent: 10 or 8
  bool reduced = false;  ///< 8% 軽減税率 item (food, newspapers)
  /// Computed by ComputeTotals: quantity × unit_price, rounded down to the
  /// currency's minor unit.
  base::Decimal amount;
};

/// Taxable amount and tax of one rate (one rounding per rate per invoice).
struct TaxSubtotal {
  int rate = 10;  ///< percent
  bool reduced = false;
  base::Decimal taxable;  ///< sum of the line amounts at this rate
  base::Decimal tax;      ///< taxable × rate / 100, rounded down
};

enum class Format { kJpPint, kPdf };

struct Invoice {
  /// Invoice number in one of the vendor's styles, unique in a corpus:
  /// "KAM-202505-00788", "2507000123", "INV-2025-KAO3820",
  /// "KAP20250415-4742".
  std::string id;
  base::Date issue_date{2025, 4, 1};
  base::Date due_date{2025, 4, 1};
  int vendor_index = 0;  ///< into Generator::vendors()
  Vendor vendor;
  std::string buyer;                   ///< "蔵前市"
  std::string buyer_corporate_number;  ///< 13 digits, valid check digit
  std::string buyer_address;
  std::string department_code;
  std::string department_name;
  std::string currency = "JPY";
  /// How WriteCorpus renders this invoice.
  Format format = Format::kJpPint;
  std::vector<LineItem> lines;

  // Computed by ComputeTotals.
  /// One per rate present, the standard rate first.
  std::vector<TaxSubtotal> tax_subtotals;
  base::Decimal line_extension_amount;  ///< Σ line amounts
  base::Decimal tax_exclusive_amount;   ///< = line_extension_amount
  base::Decimal tax_amount;             ///< Σ subtotal taxes
  base::Decimal tax_inclusive_amount;   ///< exclusive + tax
  base::Decimal payable_amount;         ///< = inclusive (nothing prepaid)
};

/// Fills the computed fields of *invoice from its lines: line amounts, one
/// subtotal per rate with the tax rounded down once, and the totals.
/// Overflow is ResourceExhausted; a rate outside 0..100 InvalidArgument.
base::Status ComputeTotals(Invoice* invoice);

struct Options {
  uint64_t seed = 1;
  /// Invoices WriteCorpus writes. The Generator itself is unbounded.
  int count = 100;
  /// Issue dates are uniform over [from, to]; the default is fiscal year 2025.
  base::Date from{2025, 4, 1};
  base::Date to{2026, 3, 31};
  /// Fraction of invoices whose format is kPdf, in [0, 1].
  double pdf_share = 0.3;
  /// Lines are added until the estimated JP PINT XML reaches about this many
  /// bytes (±10% on average; at least one line). 0: a natural 1–8 lines,
  /// which keeps Next() cheapest (for in-memory benchmarks).
  size_t target_xml_bytes = 20000;
  /// The city the invoices are addressed to.
  std::string buyer = "蔵前市";
};

/// An endless, deterministic stream of invoices.
class Generator {
 public:
  /// REQUIRES: options.from <= options.to (checked by assert; in release
  /// builds `to` is raised to `from`). pdf_share is clamped to [0, 1].
  explicit Generator(const Options& options);

  /// The next invoice, totals computed. No rendering: about 2 µs with
  /// target_xml_bytes = 0 and 10 µs for ~20 KB invoices (~21 lines).
  Invoice Next();

  /// The vendor master: the same for every seed and options.
  const std::vector<Vendor>& vendors() const { return vendors_; }
  const std::vector<Department>& departments() const { return departments_; }

 private:
  struct VendorState {
    int category;
    uint32_t next_seq;
  };
  // Appends lines (description, unit, rate) from the category's items, only
  // of rate only_rate unless it is 0, and records the items in line_items_.
  void AddLines(int category, int only_rate, Invoice* invoice);
  // Sets quantity and unit price of every line so that the line amounts add
  // up to `taxable`: exactly if `exact`, else up to a few yen less.
  void AssignAmounts(int category, int64_t taxable, bool exact,
                     Invoice* invoice);

  Options options_;
  base::Random rng_;
  std::vector<Vendor> vendors_;
  std::vector<Department> departments_;
  std::vector<VendorState> state_;
  std::vector<int> vendor_pick_;  // vendor indices, repeated by weight
  std::vector<int> line_items_;   // scratch: item index of each line
};

/// JP PINT (UBL 2.1 Invoice, CustomizationID urn:peppol:pint:billing-1@jp-1)
/// XML in UTF-8, indented. Text is escaped; characters XML 1.0 forbids are
/// dropped and invalid UTF-8 becomes U+FFFD, so the result is always
/// well-formed. REQUIRES: ComputeTotals has run on the invoice.
std::string RenderJpPint(const Invoice& invoice);

struct PdfOptions {
  /// A TrueType font with Japanese glyphs; embedded as a subset.
  std::string font_file =
      "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf";
  /// 1: the standard layout (title centred, dates in 西暦, the amount
  /// billed in a box at the top). 2: a second vendor's layout for the OCR
  /// tests: title 御請求書 on the left, vendor block top left, 発行日 in
  /// 和暦 (令和), due date with slashes, 請求書番号, 適格請求書発行事業者登録番号
  /// and the 合計金額 only at the bottom.
  int layout = 1;
};

/// An A4 PDF 請求書 in Japanese: number, dates, buyer, vendor with address
/// and registration number, lines (reduced-rate items marked ※), taxable
/// amount and tax per rate (10%対象 / 8%対象 ※軽減税率), total, bank account;
/// more pages when the lines need them. Document info: Title = invoice
/// number, Author = vendor, CreationDate = issue date 09:00 JST; the file
/// /ID derives from the info, so the bytes depend only on the invoice and
/// the font file. A missing font file is NotFound; a PoDoFo failure
/// Internal. REQUIRES: ComputeTotals has run on the invoice.
base::Result<std::string> RenderPdf(const Invoice& invoice,
                                    const PdfOptions& pdf_options = {});

/// "invoice-000042.xml" / ".pdf" for the n-th invoice (1-based).
std::string CorpusFileName(int n, Format format);

/// Writes options.count files into dir (created if missing) through fs:
/// file n is the n-th invoice of Generator(options) rendered in its format
/// and named CorpusFileName(n, format), so a test can regenerate the ground
/// truth. Calls progress(done, total) after each file when progress is set.
/// Files are written plainly (no per-file fsync) and the file system is
/// synced once at the end. Errors: InvalidArgument for bad options (count <
/// 0, to < from, pdf_share outside [0, 1]); otherwise the first error of fs
/// or RenderPdf, with the file name as context. Files written before an
/// error stay.
base::Status WriteCorpus(const Options& options, base::FileSystem* fs,
                         const std::string& dir,
                         const std::function<void(int, int)>& progress,
                         const PdfOptions& pdf_options = {});

}  // namespace corpus

#endif  // CORPUS_CORPUS_H_

#include "workflow/internal/legacy_csv.h"

#include <csv.h>

#include <memory>

#include <unicode/ucnv.h>
#include <unicode/unistr.h>

#include "base/status.h"
#include "base/utf8.h"

namespace workflow::internal {
namespace {

using base::Result;
using base::Status;

constexpr std::string_view kBom = "\xEF\xBB\xBF";
constexpr char kBadBytes[] =
    "文字コードとして読めないバイトがあります（ファイルの文字コードが UTF-8 か "
    "Shift_JIS か確かめ、--encoding で指定してください）";
constexpr char kBadQuote[] =
    "引用符（\"）の使い方が CSV の規則に合いません（値の中の \" は \"\" と二つ重ねます）";

struct ConverterCloser {
  void operator()(UConverter* c) const { ::ucnv_close(c); }
};
using Converter = std::unique_ptr<UConverter, ConverterCloser>;

// One line of the file as UTF-8, and whether every byte decoded.
struct Line {
  std::string text;
  bool ok = true;
};

class Decoder {
 public:
  static Result<Decoder> Open(std::string_view encoding) {
    Decoder d;
    if (encoding == "utf-8") return d;
    UErrorCode status = U_ZERO_ERROR;
    d.strict_.reset(::ucnv_open("windows-31j", &status));
    if (U_SUCCESS(status)) {
      ::ucnv_setToUCallBack(d.strict_.get(), UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr,
                            &status);
    }
    if (U_SUCCESS(status)) d.lenient_.reset(::ucnv_open("windows-31j", &status));
    if (U_FAILURE(status)) {
      return Status::Internal(std::string("ICU の文字コード変換器（windows-31j）を開けません: ") +
                              ::u_errorName(status));
    }
    return d;
  }

  Line Decode(std::string_view bytes) const {
    if (!strict_) {
      if (base::IsValidUtf8(bytes)) return {std::string(bytes), true};
      return {base::ToValidUtf8(bytes), false};
    }
    Line line;
    line.ok = Convert(strict_.get(), bytes, &line.text);
    if (!line.ok) Convert(lenient_.get(), bytes, &line.text);  // U+FFFD / U+001A for the rest
    return line;
  }

 private:
  static bool Convert(UConverter* cnv, std::string_view bytes, std::string* out) {
    ::ucnv_resetToUnicode(cnv);
    UErrorCode status = U_ZERO_ERROR;
    // A CP932 character is one or two bytes and one UTF-16 unit.
    icu::UnicodeString u;
    UChar* buffer = u.getBuffer(static_cast<int32_t>(bytes.size()) + 1);
    const int32_t n = ::ucnv_toUChars(cnv, buffer, static_cast<int32_t>(bytes.size()) + 1,
                                      bytes.data(), static_cast<int32_t>(bytes.size()), &status);
    u.releaseBuffer(U_SUCCESS(status) ? n : 0);
    out->clear();
    u.toUTF8String(*out);
    return U_SUCCESS(status);
  }

  Converter strict_, lenient_;
};

// libcsv's callbacks collect records; the caller tracks lines.
struct Collector {
  std::vector<CsvRecord> records;
  CsvRecord current;
  bool at_boundary = true;  // between records

  static void Field(void* s, size_t len, void* data) {
    auto* c = static_cast<Collector*>(data);
    c->current.fields.emplace_back(static_cast<const char*>(s), len);
  }
  static void End(int, void* data) {
    auto* c = static_cast<Collector*>(data);
    c->records.push_back(std::move(c->current));
    c->current = CsvRecord{};
    c->at_boundary = true;
  }
  void Fail(std::string message) {
    current.error = std::move(message);
    End(0, this);
  }
};

class Parser {
 public:
  Parser() { Init(); }
  ~Parser() { ::csv_free(&p_); }
  Parser(const Parser&) = delete;
  Parser& operator=(const Parser&) = delete;

  // Feeds one line (with its '\n'); false on a quoting error, after which
  // the parser starts afresh.
  bool Feed(std::string_view line, Collector* c) {
    const size_t n = ::csv_parse(&p_, line.data(), line.size(), &Collector::Field,
                                 &Collector::End, c);
    if (n == line.size()) return true;
    Restart();
    return false;
  }
  // False if the file ends inside a quoted field.
  bool Finish(Collector* c) {
    return ::csv_fini(&p_, &Collector::Field, &Collector::End, c) == 0;
  }

 private:
  void Init() {
    ::csv_init(&p_, CSV_STRICT | CSV_STRICT_FINI);
  }
  void Restart() {
    ::csv_free(&p_);
    Init();
  }
  struct csv_parser p_;
};

std::string_view Detect(std::string_view bytes) {
  if (bytes.substr(0, kBom.size()) == kBom || base::IsValidUtf8(bytes)) return "utf-8";
  return "cp932";
}

}  // namespace

Result<CsvFile> ReadCsv(std::string_view bytes, std::string_view encoding) {
  CsvFile file;
  file.encoding = encoding.empty() ? std::string(Detect(bytes)) : std::string(encoding);
  if (file.encoding == "utf-8" && bytes.substr(0, kBom.size()) == kBom) {
    bytes.remove_prefix(kBom.size());
  }
  ASSIGN_OR_RETURN(const Decoder decoder, Decoder::Open(file.encoding));
  Collector c;
  Parser parser;
  // A CP932 trail byte is never '\n' (0x40..0xFC), so lines split safely.
  int line_no = 0;
  for (size_t pos = 0; pos < bytes.size();) {
    size_t end = bytes.find('\n', pos);
    if (end == std::string_view::npos) end = bytes.size();
    std::string_view raw = bytes.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (c.at_boundary && (raw.empty() || raw == "\r")) continue;
    Line line = decoder.Decode(raw);
    if (c.at_boundary) {
      c.current.line = line_no;
      c.at_boundary = false;
    }
    if (!line.ok && c.current.error.empty()) c.current.error = kBadBytes;
    line.text.push_back('\n');
    if (!parser.Feed(line.text, &c)) c.Fail(kBadQuote);
  }
  if (!parser.Finish(&c)) {
    c.Fail("引用符（\"）が閉じられないままファイルが終わっています");
  }
  file.records = std::move(c.records);
  return file;
}

}  // namespace workflow::internal

#include "invoice/internal/pdf_prescan.h"

#include <algorithm>
#include <climits>
#include <cstdint>
#include <optional>
#include <vector>

#include <zlib.h>

#include "base/text.h"

namespace invoice::internal {
namespace {

constexpr size_t kHeaderWindow = 1024;
// How far before a "stream" keyword its dictionary may start.
constexpr size_t kDictWindow = 64 * 1024;
constexpr size_t kChunk = 64 * 1024;

bool IsPdfSpace(char c) {
  return c == '\0' || c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' ';
}
bool IsPdfDelimiter(char c) {
  return c == '(' || c == ')' || c == '<' || c == '>' || c == '[' || c == ']' || c == '{' ||
         c == '}' || c == '/' || c == '%';
}
bool IsRegular(char c) { return !IsPdfSpace(c) && !IsPdfDelimiter(c); }

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Names may spell characters as #xx (/Obj#53tm is /ObjStm); PoDoFo decodes
// them, so compare after decoding.
std::string UnescapeNames(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '#' && i + 2 < s.size() && HexValue(s[i + 1]) >= 0 && HexValue(s[i + 2]) >= 0) {
      out += static_cast<char>(HexValue(s[i + 1]) * 16 + HexValue(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

// Position of the name token (e.g. "/Encrypt", not "/EncryptMetadata") at or
// after from, or npos.
size_t FindName(std::string_view text, std::string_view name, size_t from = 0) {
  for (size_t pos = text.find(name, from); pos != std::string_view::npos;
       pos = text.find(name, pos + 1)) {
    const size_t end = pos + name.size();
    if (end == text.size() || !IsRegular(text[end])) return pos;
  }
  return std::string_view::npos;
}

// A non-negative integer after pos (skipping white space), capped.
std::optional<uint64_t> NumberAt(std::string_view text, size_t pos) {
  while (pos < text.size() && IsPdfSpace(text[pos])) ++pos;
  if (pos >= text.size() || text[pos] < '0' || text[pos] > '9') return std::nullopt;
  uint64_t v = 0;
  for (; pos < text.size() && text[pos] >= '0' && text[pos] <= '9'; ++pos) {
    v = std::min<uint64_t>(v * 10 + static_cast<uint64_t>(text[pos] - '0'), uint64_t{1} << 40);
  }
  return v;
}

struct StreamRef {
  size_t dict_begin;
  size_t dict_end;  // the "stream" keyword
  size_t body;      // first byte of data
};

// Every "stream" keyword followed by an end of line, with the text before
// it back to its "obj" keyword as dictionary.
std::vector<StreamRef> FindStreams(std::string_view pdf) {
  std::vector<StreamRef> out;
  constexpr std::string_view kKeyword = "stream";
  size_t previous_end = 0;  // dictionaries never reach back into a stream
  for (size_t pos = pdf.find(kKeyword); pos != std::string_view::npos;
       pos = pdf.find(kKeyword, pos + 1)) {
    if (pos >= 3 && pdf.substr(pos - 3, 3) == "end") continue;
    size_t body = pos + kKeyword.size();
    if (body < pdf.size() && pdf[body] == '\r') ++body;
    if (body < pdf.size() && pdf[body] == '\n') ++body;
    if (body == pos + kKeyword.size()) continue;  // no end of line: not a keyword
    const size_t window_begin = std::max(pos > kDictWindow ? pos - kDictWindow : 0, previous_end);
    previous_end = body;
    size_t dict_begin = window_begin;
    const std::string_view window = pdf.substr(window_begin, pos - window_begin);
    for (size_t o = window.rfind("obj"); o != std::string_view::npos && o > 0;
         o = window.rfind("obj", o - 1)) {
      if (IsPdfSpace(window[o - 1])) {
        dict_begin = window_begin + o + 3;
        break;
      }
    }
    out.push_back({dict_begin, pos, body});
  }
  return out;
}

std::vector<std::string> FiltersOf(std::string_view dict, bool* indirect) {
  std::vector<std::string> names;
  *indirect = false;
  const size_t at = FindName(dict, "/Filter");
  if (at == std::string_view::npos) return names;
  size_t p = at + 7;
  while (p < dict.size() && IsPdfSpace(dict[p])) ++p;
  const auto read_name = [&] {
    size_t e = p + 1;
    while (e < dict.size() && IsRegular(dict[e])) ++e;
    names.emplace_back(dict.substr(p + 1, e - p - 1));
    p = e;
  };
  if (p < dict.size() && dict[p] == '/') {
    read_name();
  } else if (p < dict.size() && dict[p] == '[') {
    ++p;
    while (p < dict.size() && dict[p] != ']') {
      if (dict[p] == '/') {
        read_name();
      } else if (IsPdfSpace(dict[p])) {
        ++p;
      } else {
        *indirect = true;  // a reference or junk inside the array
        break;
      }
    }
  } else {
    *indirect = true;
  }
  return names;
}

enum class InflateEnd { kDone, kOverBudget, kTimedOut };

// Inflates a zlib stream from input, counting output against *budget
// (decremented). Output is appended to keep when keep is non-null.
InflateEnd Inflate(std::string_view input, size_t* budget, std::string* keep,
                   const Deadline& deadline, size_t* produced_total) {
  z_stream z{};
  if (::inflateInit(&z) != Z_OK) return InflateEnd::kDone;
  std::vector<unsigned char> out(kChunk);
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data()));
  z.avail_in = static_cast<uInt>(std::min<size_t>(input.size(), UINT_MAX));
  InflateEnd end = InflateEnd::kDone;
  for (unsigned rounds = 1;; ++rounds) {
    z.next_out = out.data();
    z.avail_out = static_cast<uInt>(out.size());
    const int rc = ::inflate(&z, Z_NO_FLUSH);
    const size_t n = out.size() - z.avail_out;
    *produced_total += n;
    if (n > *budget) {
      end = InflateEnd::kOverBudget;
      break;
    }
    *budget -= n;
    if (keep != nullptr) keep->append(reinterpret_cast<const char*>(out.data()), n);
    if (rc != Z_OK || (n == 0 && z.avail_in == 0)) break;  // end, error, or starved
    if ((rounds & 0xFF) == 0 && deadline.Expired()) {
      end = InflateEnd::kTimedOut;
      break;
    }
  }
  ::inflateEnd(&z);
  return end;
}

bool IsImageCodec(std::string_view f) {
  return f == "DCTDecode" || f == "DCT" || f == "JPXDecode" || f == "JBIG2Decode" ||
         f == "CCITTFaxDecode" || f == "CCF";
}
bool IsFlate(std::string_view f) { return f == "FlateDecode" || f == "Fl"; }

class Prescanner {
 public:
  Prescanner(std::string_view pdf, const ReadLimits& limits, const Deadline& deadline)
      : pdf_(pdf), limits_(limits), deadline_(deadline), budget_(limits.max_pdf_decoded_bytes) {}

  PdfPrescan Run() {
    CheckObjectCounts();
    if (result_.too_complex) return result_;
    const std::vector<StreamRef> streams = FindStreams(pdf_);
    bool has_xref_streams = false;
    for (const StreamRef& s : streams) {
      const std::string dict = UnescapeNames(pdf_.substr(s.dict_begin, s.dict_end - s.dict_begin));
      if (FindName(dict, "/XRef") != std::string::npos) {
        has_xref_streams = true;
        if (FindName(dict, "/Encrypt") != std::string::npos) result_.encrypted = true;
      }
    }
    CheckTrailers();
    if (result_.encrypted) return result_;
    // Without cross-reference streams no object lives in an object stream,
    // and PoDoFo decodes nothing while loading.
    if (!has_xref_streams) return result_;
    for (size_t i = 0; i < streams.size() && !Stopped(); ++i) {
      if ((i & 0xF) == 0 && deadline_.Expired()) {
        result_.timed_out = true;
        break;
      }
      CheckStream(streams[i]);
    }
    result_.decoded_bytes = limits_.max_pdf_decoded_bytes - budget_;
    return result_;
  }

 private:
  bool Stopped() const { return result_.too_complex || result_.timed_out; }

  void TooComplex(std::string reason) {
    if (!result_.too_complex) result_.reason = std::move(reason);
    result_.too_complex = true;
  }

  void CheckObjectCounts() {
    const uint64_t max = static_cast<uint64_t>(std::max(limits_.max_pdf_objects, 0));
    for (size_t p = FindName(pdf_, "/Size"); p != std::string_view::npos;
         p = FindName(pdf_, "/Size", p + 1)) {
      const auto n = NumberAt(pdf_, p + 5);
      if (n && *n > max) {
        TooComplex("オブジェクト数が " + std::to_string(*n) + " と宣言されています");
        return;
      }
    }
    uint64_t objects = 0;
    for (size_t p = pdf_.find("obj"); p != std::string_view::npos; p = pdf_.find("obj", p + 3)) {
      const bool starts = p > 0 && IsPdfSpace(pdf_[p - 1]);
      const bool ends = p + 3 == pdf_.size() || !IsRegular(pdf_[p + 3]);
      if (starts && ends && ++objects > max) {
        TooComplex("オブジェクトが " + std::to_string(max) + " 個を超えています");
        return;
      }
    }
  }

  // Classic trailers ("trailer << ... >>") may name /Encrypt, possibly with
  // #xx escapes.
  void CheckTrailers() {
    for (size_t p = pdf_.find("trailer"); p != std::string_view::npos;
         p = pdf_.find("trailer", p + 1)) {
      const std::string dict = UnescapeNames(pdf_.substr(p, kDictWindow));
      const size_t end = dict.find("startxref");
      if (FindName(std::string_view(dict).substr(0, end), "/Encrypt") != std::string::npos) {
        result_.encrypted = true;
        return;
      }
    }
    if (FindName(pdf_, "/Encrypt") != std::string_view::npos) result_.encrypted = true;
  }

  void CheckStream(const StreamRef& s) {
    const std::string dict = UnescapeNames(pdf_.substr(s.dict_begin, s.dict_end - s.dict_begin));
    bool indirect = false;
    const std::vector<std::string> filters = FiltersOf(dict, &indirect);
    if (indirect) {
      TooComplex("ストリームのフィルターが間接参照で指定されています");
      return;
    }
    if (filters.empty()) return;  // stored: no larger than the file
    if (filters.size() == 1 && IsImageCodec(filters[0])) return;
    for (const std::string& f : filters) {
      if (!IsFlate(f)) {
        TooComplex("オブジェクトストリームを含むファイルでフィルター " + base::PrintableText(f) +
                   " が使われています");
        return;
      }
    }
    // Inflate each stage; keep the output only when another stage follows.
    std::string current, next;
    std::string_view input = pdf_.substr(s.body);
    for (size_t stage = 0; stage < filters.size(); ++stage) {
      const bool last = stage + 1 == filters.size();
      next.clear();
      size_t produced = 0;
      const InflateEnd end = Inflate(input, &budget_, last ? nullptr : &next, deadline_, &produced);
      if (end == InflateEnd::kOverBudget) {
        TooComplex("ストリームの展開後のサイズが " + std::to_string(limits_.max_pdf_decoded_bytes) +
                   " バイトを超えます");
        return;
      }
      if (end == InflateEnd::kTimedOut) {
        result_.timed_out = true;
        return;
      }
      current.swap(next);
      input = current;
    }
  }

  std::string_view pdf_;
  const ReadLimits& limits_;
  const Deadline& deadline_;
  size_t budget_;
  PdfPrescan result_;
};

}  // namespace

size_t FindPdfHeader(std::string_view bytes) {
  const size_t pos = bytes.substr(0, kHeaderWindow + 5).find("%PDF-");
  return pos == std::string_view::npos || pos > kHeaderWindow ? std::string_view::npos : pos;
}

PdfPrescan PrescanPdf(std::string_view pdf, const ReadLimits& limits, const Deadline& deadline) {
  return Prescanner(pdf, limits, deadline).Run();
}

}  // namespace invoice::internal

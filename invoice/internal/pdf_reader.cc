#include "invoice/internal/pdf_reader.h"

#include <algorithm>
#include <exception>
#include <limits>
#include <mutex>
#include <new>
#include <set>
#include <utility>

#include <podofo/podofo.h>

#include "base/text.h"
#include "invoice/internal/formats.h"
#include "invoice/internal/text_util.h"

namespace invoice::internal {
namespace {

using PoDoFo::PdfArray;
using PoDoFo::PdfError;
using PoDoFo::PdfName;
using PoDoFo::PdfObject;
using PoDoFo::PdfReference;
using PoDoFo::PdfVecObjects;

// Hard ceilings for PoDoFo's process-wide settings. The per-call limits are
// enforced by the prescan before PoDoFo sees a file.
constexpr long kPodofoMaxObjects = 1'000'000;
constexpr int kPodofoMaxRecursion = 256;

constexpr size_t kMaxXmpBytes = 4 << 20;
constexpr size_t kMaxInfoValueBytes = 4096;
constexpr int kMaxNameTreeNodes = 10'000;
constexpr size_t kMaxAttachments = 1'000;
constexpr int kMaxReferenceHops = 16;

void InitPodofoOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    PdfError::EnableLogging(false);  // PoDoFo would print to stderr
    PdfError::EnableDebug(false);
    PoDoFo::PdfParser::SetMaxObjectCount(kPodofoMaxObjects);
    PoDoFo::PdfTokenizer::RecursionGuard::SetMaxRecursionDepth(kPodofoMaxRecursion);
  });
}

std::string Describe(const PdfError& e) {
  std::string s =
      PdfError::ErrorName(e.GetError()) ? PdfError::ErrorName(e.GetError()) : "PdfError";
  const auto& stack = e.GetCallstack();
  if (!stack.empty() && !stack.front().GetInformation().empty()) {
    s += ": " + stack.front().GetInformation();
  }
  return base::PrintableText(s, 300);
}

// Thrown by CappedOutputStream through PoDoFo's filter code; PoDoFo cleans
// up on PdfError, so the stop is a PdfError too.
class CappedOutputStream final : public PoDoFo::PdfOutputStream {
 public:
  CappedOutputStream(size_t cap, const Deadline& deadline) : cap_(cap), deadline_(deadline) {}

  PoDoFo::pdf_long Write(const char* buffer, PoDoFo::pdf_long len) override {
    if (len < 0) return -1;
    const size_t n = static_cast<size_t>(len);
    if (n > cap_ - data_.size()) {
      over_budget_ = true;
      PODOFO_RAISE_ERROR_INFO(PoDoFo::ePdfError_OutOfMemory, "展開後のサイズが上限を超えました");
    }
    if (deadline_.Expired()) {
      timed_out_ = true;
      PODOFO_RAISE_ERROR_INFO(PoDoFo::ePdfError_OutOfMemory, "制限時間を超えました");
    }
    data_.append(buffer, n);
    return len;
  }
  void Close() override {}

  std::string Take() { return std::move(data_); }
  bool over_budget() const { return over_budget_; }
  bool timed_out() const { return timed_out_; }

 private:
  size_t cap_;
  const Deadline& deadline_;
  std::string data_;
  bool over_budget_ = false;
  bool timed_out_ = false;
};

// Walks PDF objects by value, following references through the document's
// object list (objects taken out of arrays may have no owner, so
// PdfObject::GetIndirectKey cannot be used on them).
class ObjectWalker {
 public:
  explicit ObjectWalker(PdfVecObjects* objects) : objects_(objects) {}

  const PdfObject* Resolve(const PdfObject* o) const {
    for (int hops = 0; o != nullptr && o->IsReference(); ++hops) {
      if (hops == kMaxReferenceHops) return nullptr;
      o = objects_->GetObject(o->GetReference());
    }
    return o;
  }
  const PdfObject* Key(const PdfObject* dict, const char* key) const {
    dict = Resolve(dict);
    if (dict == nullptr || !dict->IsDictionary()) return nullptr;
    return Resolve(dict->GetDictionary().GetKey(PdfName(key)));
  }
  std::optional<std::string> StringKey(const PdfObject* dict, const char* key) const {
    const PdfObject* o = Key(dict, key);
    if (o == nullptr || !o->IsString() || !o->GetString().IsValid()) return std::nullopt;
    return SanitizeUtf8(o->GetString().GetStringUtf8());
  }

 private:
  PdfVecObjects* objects_;
};

struct FileSpec {
  std::string name;
  const PdfObject* spec;
};

// Collects the (name, filespec) pairs of the EmbeddedFiles name tree and the
// catalog's /AF array (PDF/A-3 associated files), without duplicates.
class AttachmentFinder {
 public:
  explicit AttachmentFinder(const ObjectWalker& walker) : w_(walker) {}

  std::vector<FileSpec> Find(const PdfObject* catalog) {
    WalkNameTree(w_.Key(w_.Key(catalog, "Names"), "EmbeddedFiles"));
    const PdfObject* af = w_.Key(catalog, "AF");
    if (af != nullptr && af->IsArray()) {
      for (const PdfObject& item : af->GetArray()) Add("", &item);
    }
    return std::move(found_);
  }

 private:
  void Add(std::string key, const PdfObject* spec_ref) {
    const PdfObject* spec = w_.Resolve(spec_ref);
    if (spec == nullptr || !spec->IsDictionary() || found_.size() >= kMaxAttachments) return;
    if (!seen_specs_.insert(spec).second) return;
    std::optional<std::string> name = w_.StringKey(spec, "UF");
    if (!name || name->empty()) name = w_.StringKey(spec, "F");
    if (!name || name->empty()) name = SanitizeUtf8(key);
    found_.push_back({std::move(*name), spec});
  }

  void WalkNameTree(const PdfObject* root) {
    std::vector<const PdfObject*> stack;
    std::set<const PdfObject*> visited;
    if (root != nullptr) stack.push_back(root);
    int budget = kMaxNameTreeNodes;
    while (!stack.empty() && budget-- > 0) {
      const PdfObject* node = w_.Resolve(stack.back());
      stack.pop_back();
      if (node == nullptr || !node->IsDictionary() || !visited.insert(node).second) continue;
      const PdfObject* names = w_.Key(node, "Names");
      if (names != nullptr && names->IsArray()) {
        const PdfArray& a = names->GetArray();
        for (size_t i = 0; i + 1 < a.size(); i += 2) {
          const PdfObject* key = w_.Resolve(&a[i]);
          std::string key_text;
          if (key != nullptr && key->IsString() && key->GetString().IsValid()) {
            key_text = key->GetString().GetStringUtf8();
          }
          Add(std::move(key_text), &a[i + 1]);
        }
      }
      const PdfObject* kids = w_.Key(node, "Kids");
      if (kids != nullptr && kids->IsArray()) {
        for (const PdfObject& kid : kids->GetArray()) stack.push_back(&kid);
      }
    }
  }

  const ObjectWalker& w_;
  std::vector<FileSpec> found_;
  std::set<const PdfObject*> seen_specs_;
};

// Decodes a stream object into memory through the cap.
base::Result<std::string> DecodeStream(const PdfObject* obj, size_t cap, const Deadline& deadline) {
  if (obj == nullptr || !obj->HasStream()) return base::Status::NotFound("ストリームがありません");
  CappedOutputStream out(cap, deadline);
  try {
    obj->GetStream()->GetFilteredCopy(&out);
  } catch (const PdfError& e) {
    if (out.over_budget()) {
      return base::Status::ResourceExhausted("展開後のサイズが上限を超えました");
    }
    if (out.timed_out()) return base::Status::ResourceExhausted("制限時間を超えました");
    return base::Status::Corruption(Describe(e));
  } catch (const std::bad_alloc&) {
    return base::Status::ResourceExhausted("メモリが不足しました");
  } catch (const std::exception& e) {
    return base::Status::Corruption(base::PrintableText(e.what(), 300));
  }
  return out.Take();
}

// "D:20221026163439+02'00'" → "2022-10-26T16:34:39+02:00"; the text as
// written if it does not have that shape.
std::string PdfDateToIso(const std::string& raw) {
  std::string_view s = raw;
  if (s.substr(0, 2) == "D:") s.remove_prefix(2);
  size_t digits = 0;
  while (digits < s.size() && digits < 14 && s[digits] >= '0' && s[digits] <= '9') ++digits;
  if (digits < 8 || digits % 2 != 0) return raw;
  std::string iso = std::string(s.substr(0, 4)) + "-" + std::string(s.substr(4, 2)) + "-" +
                    std::string(s.substr(6, 2));
  if (digits >= 12) {
    iso += "T" + std::string(s.substr(8, 2)) + ":" + std::string(s.substr(10, 2));
    iso += ":" + (digits == 14 ? std::string(s.substr(12, 2)) : std::string("00"));
    std::string_view tz = s.substr(digits);
    if (!tz.empty() && tz[0] == 'Z') {
      iso += "Z";
    } else if (tz.size() >= 3 && (tz[0] == '+' || tz[0] == '-')) {
      iso += std::string(tz.substr(0, 3)) + ":";
      iso += (tz.size() >= 6 && tz[3] == '\'') ? std::string(tz.substr(4, 2)) : "00";
    }
  }
  return iso;
}

void ReadInfo(const ObjectWalker& w, const PdfObject* trailer, PdfContents* out) {
  const PdfObject* info = w.Key(trailer, "Info");
  static constexpr const char* kKeys[] = {"Title",   "Author",   "Subject",     "Keywords",
                                          "Creator", "Producer", "CreationDate"};
  // ModDate is left out: PoDoFo rewrites it to "now" while loading.
  for (const char* key : kKeys) {
    std::optional<std::string> v = w.StringKey(info, key);
    if (!v || TrimAscii(*v).empty()) continue;
    std::string value = TruncateUtf8(*v, kMaxInfoValueBytes);
    if (std::string_view(key) == "CreationDate") value = PdfDateToIso(value);
    out->info[key] = std::move(value);
  }
}

}  // namespace

base::Result<PdfContents> ReadPdfContents(std::string_view pdf, size_t decode_budget,
                                          const Deadline& deadline) {
  InitPodofoOnce();
  if (pdf.size() > static_cast<size_t>(std::numeric_limits<long>::max())) {
    return base::Status::ResourceExhausted("PDF が大きすぎます");
  }
  PdfContents out;
  try {
    PoDoFo::PdfMemDocument doc;
    try {
      doc.LoadFromBuffer(pdf.data(), static_cast<long>(pdf.size()));
    } catch (const PdfError& e) {
      if (e.GetError() == PoDoFo::ePdfError_InvalidPassword) {
        return base::Status::PermissionDenied("PDF が暗号化されています");
      }
      return base::Status::Corruption(Describe(e));
    }
    if (doc.GetEncrypted()) return base::Status::PermissionDenied("PDF が暗号化されています");
    ObjectWalker walker(&doc.GetObjects());

    // Each part on its own, so one broken part does not hide the others.
    try {
      const int pages = doc.GetPageCount();
      if (pages >= 0) out.page_count = pages;
    } catch (const PdfError&) {
      // Page tree unreadable: page_count stays absent.
    }
    try {
      ReadInfo(walker, doc.GetTrailer(), &out);
    } catch (const PdfError&) {
      // Document information unreadable: leave it empty.
    }

    std::vector<FileSpec> specs;
    try {
      specs = AttachmentFinder(walker).Find(doc.GetCatalog());
    } catch (const PdfError&) {
      // Name tree unreadable: treat as no attachments.
    }
    for (const FileSpec& spec : specs) {
      out.attachment_names.push_back(spec.name);
      if (out.invoice_xml || !IsInvoiceAttachmentName(spec.name)) continue;
      PdfAttachment a;
      a.name = spec.name;
      try {
        const PdfObject* file = walker.Key(walker.Key(spec.spec, "EF"), "F");
        if (file == nullptr) file = walker.Key(walker.Key(spec.spec, "EF"), "UF");
        auto data = DecodeStream(file, decode_budget, deadline);
        if (data.ok()) {
          a.data = std::move(*data);
          decode_budget -= std::min(decode_budget, a.data.size());
        } else {
          a.status = data.status();
        }
      } catch (const PdfError& e) {
        a.status = base::Status::Corruption(Describe(e));
      }
      out.invoice_xml = std::move(a);
    }

    try {
      auto xmp = DecodeStream(walker.Key(doc.GetCatalog(), "Metadata"),
                              std::min(kMaxXmpBytes, decode_budget), deadline);
      if (xmp.ok()) out.xmp = std::move(*xmp);
    } catch (const PdfError&) {
      // No usable XMP.
    }
  } catch (const PdfError& e) {
    return base::Status::Corruption(Describe(e));
  } catch (const std::bad_alloc&) {
    return base::Status::ResourceExhausted("メモリが不足しました");
  } catch (const std::exception& e) {
    return base::Status::Corruption(base::PrintableText(e.what(), 300));
  }
  return out;
}

}  // namespace invoice::internal

#include "ocr/engine.h"

#include <tesseract/baseapi.h>
#include <tesseract/ocrclass.h>
#include <tesseract/resultiterator.h>

#include <algorithm>
#include <exception>

#include "ocr/propose.h"

namespace ocr {

Box Union(const Box& a, const Box& b) {
  if (a.width <= 0 || a.height <= 0) return b;
  if (b.width <= 0 || b.height <= 0) return a;
  const int x0 = std::min(a.x, b.x), y0 = std::min(a.y, b.y);
  const int x1 = std::max(a.x + a.width, b.x + b.width);
  const int y1 = std::max(a.y + a.height, b.y + b.height);
  return Box{a.page, x0, y0, x1 - x0, y1 - y0};
}

struct Engine::Impl {
  tesseract::TessBaseAPI api;
  int page_time_limit_ms = 0;
  const std::atomic<bool>* cancel = nullptr;
};

Engine::Engine(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Engine::~Engine() {
  if (impl_ != nullptr) impl_->api.End();
}

base::Result<std::unique_ptr<Engine>> Engine::Open(const EngineOptions& options) {
  auto impl = std::make_unique<Impl>();
  impl->page_time_limit_ms = options.page_time_limit_ms;
  impl->cancel = options.cancel;
  // Tesseract writes its debug and warning output to this file.
  impl->api.SetVariable("debug_file", "/dev/null");
  if (impl->api.Init(options.data_path.c_str(), options.languages.c_str(),
                     tesseract::OEM_LSTM_ONLY) != 0) {
    return base::Status::FailedPrecondition("OCR エンジン（Tesseract）を初期化できません（" +
                                            options.data_path + " の " + options.languages +
                                            " の学習データ）");
  }
  impl->api.SetPageSegMode(tesseract::PSM_AUTO);
  // Japanese has no spaces between words: keep Tesseract from inventing them.
  impl->api.SetVariable("preserve_interword_spaces", "1");
  return std::unique_ptr<Engine>(new Engine(std::move(impl)));
}

namespace {

Box BoxOf(const tesseract::ResultIterator& it, tesseract::PageIteratorLevel level, int page) {
  int left = 0, top = 0, right = 0, bottom = 0;
  if (!it.BoundingBox(level, &left, &top, &right, &bottom)) return Box{page, 0, 0, 0, 0};
  return Box{page, left, top, right - left, bottom - top};
}

// Tesseract's cancel callback: the flag of EngineOptions::cancel.
bool Cancelled(void* flag, int /*words*/) {
  return flag != nullptr && static_cast<const std::atomic<bool>*>(flag)->load();
}

std::string TextOf(const tesseract::ResultIterator& it, tesseract::PageIteratorLevel level) {
  std::unique_ptr<char[]> text(it.GetUTF8Text(level));
  return text == nullptr ? std::string() : std::string(text.get());
}

}  // namespace

base::Result<PageText> Engine::Read(const ScanPage& page, int page_number) {
  if (page.pixels.empty() || page.width <= 0 || page.height <= 0) {
    return base::Status::InvalidArgument("OCR する画像がありません");
  }
  tesseract::TessBaseAPI& api = impl_->api;
  try {
    api.SetImage(page.pixels.data(), page.width, page.height, page.channels,
                 page.width * page.channels);
    api.SetSourceResolution(page.dpi() > 0 ? page.dpi() : 300);
    tesseract::ETEXT_DESC monitor;
    monitor.set_deadline_msecs(impl_->page_time_limit_ms);
    monitor.cancel = &Cancelled;
    monitor.cancel_this = const_cast<std::atomic<bool>*>(impl_->cancel);
    if (api.Recognize(&monitor) != 0 || monitor.deadline_exceeded() ||
        Cancelled(monitor.cancel_this, 0)) {
      api.Clear();
      const std::string page_text = std::to_string(page_number) + " ページ目";
      if (Cancelled(monitor.cancel_this, 0)) {
        return base::Status::Aborted("OCR を中断しました（" + page_text + "）");
      }
      if (monitor.deadline_exceeded()) {
        return base::Status::ResourceExhausted(
            "OCR が 1 ページの時間の上限（" + std::to_string(impl_->page_time_limit_ms / 1000) +
            " 秒）を超えました（" + page_text + "）");
      }
      return base::Status::Internal("OCR に失敗しました（" + page_text + "）");
    }
    PageText out;
    out.page = page_number;
    out.width = page.width;
    out.height = page.height;
    std::unique_ptr<tesseract::ResultIterator> it(api.GetIterator());
    if (it != nullptr) {
      do {
        if (it->IsAtBeginningOf(tesseract::RIL_TEXTLINE)) {
          Line line;
          line.confidence = it->Confidence(tesseract::RIL_TEXTLINE);
          line.box = BoxOf(*it, tesseract::RIL_TEXTLINE, page_number);
          out.lines.push_back(std::move(line));
        }
        if (out.lines.empty()) continue;
        Word word{TextOf(*it, tesseract::RIL_WORD), it->Confidence(tesseract::RIL_WORD),
                  BoxOf(*it, tesseract::RIL_WORD, page_number)};
        if (!word.text.empty()) out.lines.back().words.push_back(std::move(word));
      } while (it->Next(tesseract::RIL_WORD));
    }
    api.Clear();
    return out;
  } catch (const std::exception& e) {
    api.Clear();
    return base::Status::Internal(std::string("OCR に失敗しました（") + e.what() + "）");
  }
}

namespace {

// The region with a margin of half its height, in grey, enlarged `scale`
// times (bilinear).
std::vector<uint8_t> CropGrey(const ScanPage& page, const Box& box, int scale, int* w, int* h) {
  const int margin = box.height / 2 + 2;
  const int x0 = std::max(0, box.x - margin), y0 = std::max(0, box.y - margin);
  const int x1 = std::min(page.width, box.x + box.width + margin);
  const int y1 = std::min(page.height, box.y + box.height + margin);
  *w = (x1 - x0) * scale;
  *h = (y1 - y0) * scale;
  std::vector<uint8_t> out(static_cast<size_t>(*w) * *h);
  auto grey = [&](int x, int y) -> int {
    const uint8_t* p = &page.pixels[(static_cast<size_t>(y) * page.width + x) * page.channels];
    return page.channels == 3 ? (299 * p[0] + 587 * p[1] + 114 * p[2]) / 1000 : p[0];
  };
  for (int y = 0; y < *h; ++y) {
    const int sy = y0 + y / scale, sy1 = std::min(sy + 1, y1 - 1), fy = y % scale;
    for (int x = 0; x < *w; ++x) {
      const int sx = x0 + x / scale, sx1 = std::min(sx + 1, x1 - 1), fx = x % scale;
      const int top = grey(sx, sy) * (scale - fx) + grey(sx1, sy) * fx;
      const int bottom = grey(sx, sy1) * (scale - fx) + grey(sx1, sy1) * fx;
      out[static_cast<size_t>(y) * *w + x] =
          static_cast<uint8_t>((top * (scale - fy) + bottom * fy) / (scale * scale));
    }
  }
  return out;
}

}  // namespace

base::Result<std::string> Engine::ReadRegion(const ScanPage& page, const Box& box, int scale) {
  if (page.pixels.empty() || box.width <= 0 || box.height <= 0 || box.x < 0 || box.y < 0 ||
      box.x + box.width > page.width || box.y + box.height > page.height || scale < 1 ||
      scale > 4) {
    return base::Status::InvalidArgument("読み直す範囲がページの外です");
  }
  int w = 0, h = 0;
  const std::vector<uint8_t> crop = CropGrey(page, box, scale, &w, &h);
  tesseract::TessBaseAPI& api = impl_->api;
  try {
    api.SetPageSegMode(tesseract::PSM_SINGLE_LINE);
    api.SetImage(crop.data(), w, h, 1, w);
    api.SetSourceResolution((page.dpi() > 0 ? page.dpi() : 300) * scale);
    std::unique_ptr<char[]> text(api.GetUTF8Text());
    api.Clear();
    api.SetPageSegMode(tesseract::PSM_AUTO);
    return text == nullptr ? std::string() : std::string(text.get());
  } catch (const std::exception& e) {
    api.Clear();
    api.SetPageSegMode(tesseract::PSM_AUTO);
    return base::Status::Internal(std::string("OCR に失敗しました（") + e.what() + "）");
  }
}

base::Result<Proposal> ReadInvoice(Engine& engine, const std::vector<ScanPage>& pages,
                                   const std::vector<KnownVendor>& vendors) {
  std::vector<PageText> texts;
  for (size_t i = 0; i < pages.size(); ++i) {
    ASSIGN_OR_RETURN(PageText text, engine.Read(pages[i], static_cast<int>(i + 1)));
    texts.push_back(std::move(text));
  }
  Proposal p = Propose(texts, vendors);
  if (p.issue_date && p.issue_date->box.page >= 1 &&
      p.issue_date->box.page <= static_cast<int>(pages.size())) {
    // Tesseract drops digits far more often than it invents them: of the
    // first reading and two enlarged ones, keep the date with the most
    // digits in month and day (ties: the first enlarged reading).
    const ScanPage& page = pages[static_cast<size_t>(p.issue_date->box.page - 1)];
    auto digits = [](const std::string& iso) {
      return std::to_string(std::stoi(iso.substr(5, 2))).size() +
             std::to_string(std::stoi(iso.substr(8, 2))).size();
    };
    std::string best = p.issue_date->value;
    size_t best_digits = 0;
    for (int scale : {2, 3}) {
      auto again = engine.ReadRegion(page, p.issue_date->box, scale);
      if (!again.ok()) continue;
      std::string compact;
      for (char c : internal::Nfkc(*again)) {
        if (c != ' ' && c != '\n') compact.push_back(c);
      }
      auto date = internal::ParseDate(compact);
      if (date && digits(*date) > best_digits) {
        best = *date;
        best_digits = digits(*date);
      }
    }
    if (digits(p.issue_date->value) > best_digits) best = p.issue_date->value;
    p.issue_date->value = best;
  }
  return p;
}

}  // namespace ocr

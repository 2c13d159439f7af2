#include "ocr/engine.h"

#include <tesseract/baseapi.h>
#include <tesseract/resultiterator.h>

#include <algorithm>
#include <exception>

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
};

Engine::Engine(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Engine::~Engine() {
  if (impl_ != nullptr) impl_->api.End();
}

base::Result<std::unique_ptr<Engine>> Engine::Open(const EngineOptions& options) {
  auto impl = std::make_unique<Impl>();
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
    if (api.Recognize(nullptr) != 0) {
      api.Clear();
      return base::Status::Internal("OCR に失敗しました（" + std::to_string(page_number) +
                                    " ページ目）");
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

}  // namespace ocr

// Tesseract behind a small interface: an Engine reads a ScanPage into lines
// of words, each with its bounding box (pixels of the page, origin top left)
// and Tesseract's confidence (0..100).
//
// Thread safety: an Engine is NOT thread-safe: Open one per worker thread
// (Open loads the trained data, ~0.3 s for jpn+eng; Read reuses it).
// Different engines run concurrently.
#ifndef OCR_ENGINE_H_
#define OCR_ENGINE_H_

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "base/result.h"
#include "ocr/scan.h"

namespace ocr {

struct Proposal;
struct KnownVendor;

/// A rectangle on a page, in the page's pixels; page counts from 1.
struct Box {
  int page = 0;
  int x = 0;
  int y = 0;
  int width = 0;
  int height = 0;
};

/// The smallest box holding both (a box with width 0 is empty). REQUIRES:
/// same page, or one of them empty.
Box Union(const Box& a, const Box& b);

struct Word {
  std::string text;  ///< UTF-8 as Tesseract read it
  float confidence = 0;
  Box box;
};

struct Line {
  std::vector<Word> words;
  float confidence = 0;
  Box box;
};

/// What Tesseract read on one page.
struct PageText {
  int page = 0;  ///< from 1
  int width = 0;
  int height = 0;
  std::vector<Line> lines;
};

struct EngineOptions {
  /// Tesseract's tessdata folder (holding jpn.traineddata, eng.traineddata).
  std::string data_path = "/usr/share/tesseract-ocr/5/tessdata";
  std::string languages = "jpn+eng";
  /// The longest one page's recognition may take (0: no limit); Read then
  /// fails with ResourceExhausted. Tesseract checks it between words, so
  /// layout analysis before the first word is not bounded by it.
  int page_time_limit_ms = 0;
  /// When set and true, Read stops at the next word with Aborted (a server
  /// shutting down). Must outlive the Engine.
  const std::atomic<bool>* cancel = nullptr;
};

class Engine {
 public:
  /// Loads the trained data. FailedPrecondition (Japanese, naming the
  /// folder and the languages) if Tesseract cannot initialise.
  static base::Result<std::unique_ptr<Engine>> Open(const EngineOptions& options = {});
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  /// Reads one page. REQUIRES: page.pixels is not empty (ReadScan with
  /// keep_pixels). `page_number` (from 1) goes into the boxes. Internal if
  /// Tesseract fails on the page; ResourceExhausted past
  /// EngineOptions::page_time_limit_ms; Aborted when EngineOptions::cancel.
  base::Result<PageText> Read(const ScanPage& page, int page_number);

  /// Reads one region of the page again as a single line, enlarged `scale`
  /// times (Tesseract misreads small digits next to kanji less often when
  /// they are larger): the UTF-8 text. InvalidArgument for a region outside
  /// the page.
  base::Result<std::string> ReadRegion(const ScanPage& page, const Box& box, int scale = 2);

 private:
  struct Impl;
  explicit Engine(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

/// Reads every page of a scan and proposes the fields, re-reading the
/// issue date's region enlarged two and three times (Engine::ReadRegion)
/// and keeping the reading with the most digits in month and day. REQUIRES: pages decoded with keep_pixels.
/// Errors: those of Engine::Read.
base::Result<Proposal> ReadInvoice(Engine& engine, const std::vector<ScanPage>& pages,
                                   const std::vector<KnownVendor>& vendors);

}  // namespace ocr

#endif  // OCR_ENGINE_H_

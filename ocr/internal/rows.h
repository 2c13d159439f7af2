// Visual rows of a page for field extraction: Tesseract puts a label and
// the amount right of it in different lines when a column gap separates
// them, so a Row is one Tesseract line plus the words of other lines that
// sit on the same height to its right, in reading order. Row text is NFKC
// with white space removed; every byte maps back to the word it came from,
// so a match gives its box and the words' confidence.
#ifndef OCR_INTERNAL_ROWS_H_
#define OCR_INTERNAL_ROWS_H_

#include <string>
#include <vector>

#include "ocr/engine.h"

namespace ocr::internal {

struct Piece {
  size_t begin = 0;  ///< byte range in Row::text
  size_t end = 0;
  float confidence = 0;
  Box box;
};

struct Row {
  std::string text;  ///< NFKC, no white space
  std::vector<Piece> pieces;
  Box box;  ///< of the row's own line
  int order = 0;  ///< reading order over all pages (page, then line)
};

/// The rows of all pages.
std::vector<Row> BuildRows(const std::vector<PageText>& pages);

/// The box and mean confidence (0..1) of the bytes [begin, end) of a row.
struct Span {
  Box box;
  double confidence = 0;
};
Span SpanOf(const Row& row, size_t begin, size_t end);

}  // namespace ocr::internal

#endif  // OCR_INTERNAL_ROWS_H_

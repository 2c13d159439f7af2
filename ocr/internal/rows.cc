#include "ocr/internal/rows.h"

#include <algorithm>

#include "ocr/propose.h"

namespace ocr::internal {
namespace {

std::string WithoutSpaces(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') continue;
    // U+3000 IDEOGRAPHIC SPACE (NFKC makes it U+0020, but be sure).
    if (c == 0xe3 && i + 2 < s.size() && s[i + 1] == '\x80' && s[i + 2] == '\x80') {
      i += 2;
      continue;
    }
    out.push_back(s[i]);
  }
  return out;
}

void Append(Row* row, const Word& w) {
  const std::string t = WithoutSpaces(Nfkc(w.text));
  if (t.empty()) return;
  Piece p;
  p.begin = row->text.size();
  row->text += t;
  p.end = row->text.size();
  p.confidence = w.confidence;
  p.box = w.box;
  row->pieces.push_back(p);
}

int CentreY(const Box& b) { return b.y + b.height / 2; }

}  // namespace

std::vector<Row> BuildRows(const std::vector<PageText>& pages) {
  std::vector<Row> rows;
  int order = 0;
  for (const PageText& page : pages) {
    for (size_t i = 0; i < page.lines.size(); ++i) {
      const Line& line = page.lines[i];
      if (line.words.empty()) continue;
      Row row;
      row.box = line.box;
      row.order = order++;
      for (const Word& w : line.words) Append(&row, w);
      // Words of other lines on the same height to the right, left to right.
      std::vector<const Word*> right;
      const int right_edge = line.box.x + line.box.width;
      for (size_t j = 0; j < page.lines.size(); ++j) {
        if (j == i) continue;
        for (const Word& w : page.lines[j].words) {
          const int cy = CentreY(w.box);
          if (w.box.x >= right_edge - 2 && cy >= line.box.y && cy <= line.box.y + line.box.height) {
            right.push_back(&w);
          }
        }
      }
      std::sort(right.begin(), right.end(),
                [](const Word* a, const Word* b) { return a->box.x < b->box.x; });
      for (const Word* w : right) Append(&row, *w);
      if (!row.text.empty()) rows.push_back(std::move(row));
    }
  }
  return rows;
}

Span SpanOf(const Row& row, size_t begin, size_t end) {
  Span s;
  double sum = 0;
  int n = 0;
  for (const Piece& p : row.pieces) {
    if (p.end <= begin || p.begin >= end) continue;
    s.box = Union(s.box, p.box);
    sum += p.confidence;
    ++n;
  }
  s.confidence = n > 0 ? std::clamp(sum / n / 100.0, 0.0, 1.0) : 0.0;
  return s;
}

}  // namespace ocr::internal

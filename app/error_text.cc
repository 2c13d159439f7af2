#include "app/error_text.h"

#include "base/status_text.h"
#include "base/text.h"

namespace app {

std::string ForDisplay(std::string_view text, size_t max_chars) {
  return base::DisplayName(text, max_chars);
}

std::string ErrorText(const base::Status& s) {
  return std::string(base::JapaneseSummary(s.code())) + ": " + ForDisplay(s.message());
}

void PrintError(std::FILE* err, const base::Status& s) {
  const std::string line = "kura: " + ErrorText(s) + "\n";
  std::fputs(line.c_str(), err);
}

}  // namespace app

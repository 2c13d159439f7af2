// Media-type sniffing from content, never from the file name: a PDF renamed
// .xml is still a PDF. Recognises what an accounting office receives:
// invoices as PDF or XML, scans as TIFF/JPEG/PNG, zip containers, and text.
//
// Thread safety: pure functions.
#ifndef ARCHIVE_SNIFF_H_
#define ARCHIVE_SNIFF_H_

#include <string>
#include <string_view>

namespace archive {

/// "application/pdf", "application/xml", "image/tiff", "image/jpeg",
/// "image/png", "application/zip", "text/plain" or
/// "application/octet-stream".
std::string SniffMediaType(std::string_view bytes);

}  // namespace archive

#endif  // ARCHIVE_SNIFF_H_

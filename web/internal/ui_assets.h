// The screens' files (web/ui/), compiled into the binary by
// web/embed_ui.cmake, and the one lookup the server needs.
//
// Thread safety: constant data; safe for concurrent use.
#ifndef WEB_INTERNAL_UI_ASSETS_H_
#define WEB_INTERNAL_UI_ASSETS_H_

#include <cstddef>
#include <string_view>

namespace web::internal {

struct UiAsset {
  std::string_view path;          ///< "/ui/js/app.js"
  std::string_view content_type;  ///< "text/javascript; charset=utf-8"
  std::string_view body;
  std::string_view etag;          ///< quoted, from the file's SHA-256
};

extern const UiAsset kUiAssets[];
extern const size_t kUiAssetCount;

/// The asset served at path, or nullptr.
const UiAsset* FindUiAsset(std::string_view path);

}  // namespace web::internal

#endif  // WEB_INTERNAL_UI_ASSETS_H_

#pragma once
// The web apps (booth page, agent console) served from a folder: GET and HEAD only, never a file
// outside the folder.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "http/Request.hpp"
#include "http/Response.hpp"

namespace vg::http {

class StaticFiles {
  public:
    // Throws std::invalid_argument when root is not a directory. hidden: top-level folders
    // that are not served ("dev": the test pages, only for development).
    // camera_pages: top-level folders whose pages may use the camera and microphone.
    explicit StaticFiles(const std::string& root, std::vector<std::string> hidden = {},
                         std::vector<std::string> camera_pages = {});

    // The answer for request.path: the file, a directory's index.html ("/booth" ->
    // booth/index.html), 304 when If-None-Match holds its ETag, 400 for a path no file may have.
    // Nullopt when there is no such file (the caller answers 404).
    std::optional<Response> serve(const Request& request) const;

  private:
    std::filesystem::path root_;  // canonical
    std::vector<std::string> hidden_;
    std::vector<std::string> camera_pages_;
};

}  // namespace vg::http

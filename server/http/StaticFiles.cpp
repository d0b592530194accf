#include "http/StaticFiles.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string_view>

#include "http/ErrorMapper.hpp"

namespace vg::http {

namespace fs = std::filesystem;

namespace {

// The web apps are small; a bigger file is a mistake, not something to hold in memory.
constexpr std::uintmax_t kMaxFileSize = 16 * 1024 * 1024;

std::string content_type_of(const fs::path& file) {
    const std::string ext = file.extension().string();
    if (ext == ".html") return "text/html; charset=utf-8";
    if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
    if (ext == ".css") return "text/css; charset=utf-8";
    if (ext == ".json") return "application/json";
    if (ext == ".webmanifest") return "application/manifest+json";
    if (ext == ".svg") return "image/svg+xml";
    if (ext == ".png") return "image/png";
    if (ext == ".jpg" || ext == ".jpeg") return "image/jpeg";
    if (ext == ".ico") return "image/vnd.microsoft.icon";
    if (ext == ".woff2") return "font/woff2";
    if (ext == ".txt") return "text/plain; charset=utf-8";
    if (ext == ".wasm") return "application/wasm";
    return "application/octet-stream";
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

// If-None-Match is a list of entity tags, weak ones compared weakly (RFC 9110 13.1.2).
bool etag_matches(std::string_view if_none_match, std::string_view etag) {
    while (!if_none_match.empty()) {
        auto comma = if_none_match.find(',');
        std::string_view tag = trim(if_none_match.substr(0, comma));
        if_none_match =
            comma == std::string_view::npos ? std::string_view{} : if_none_match.substr(comma + 1);
        if (tag == "*") return true;
        if (tag.substr(0, 2) == "W/") tag.remove_prefix(2);
        if (tag == etag) return true;
    }
    return false;
}

// FNV-1a, 64 bits: a cache validator, not a defence (nobody gains by forging a collision).
std::uint64_t content_hash(std::string_view bytes) {
    std::uint64_t hash = 0xcbf29ce484222325ULL;
    for (unsigned char c : bytes) {
        hash ^= c;
        hash *= 0x100000001b3ULL;
    }
    return hash;
}

bool within(const fs::path& root, const fs::path& file) {
    auto relative = file.lexically_relative(root);
    return !relative.empty() && *relative.begin() != ".." && relative.is_relative();
}

}  // namespace

StaticFiles::StaticFiles(const std::string& root, std::vector<std::string> hidden,
                         std::vector<std::string> camera_pages)
    : hidden_(std::move(hidden)), camera_pages_(std::move(camera_pages)) {
    std::error_code ec;
    root_ = fs::canonical(root, ec);
    if (ec || !fs::is_directory(root_)) {
        throw std::invalid_argument("static root is not a directory: " + root);
    }
}

std::optional<Response> StaticFiles::serve(const Request& request) const {
    const std::string& path = request.path;
    if (path.empty() || path.front() != '/' || path.find('\\') != std::string::npos ||
        path.find('\0') != std::string::npos) {
        return ErrorMapper::problem(400, "This path cannot name a file.");
    }
    fs::path file = root_;
    std::string_view rest = path;
    std::string folder;  // the first segment
    while (!rest.empty()) {
        auto slash = rest.find('/');
        std::string_view segment = rest.substr(0, slash);
        rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash + 1);
        if (segment.empty()) continue;
        // Also refuses "..", "." and hidden files such as .git or .env.
        if (segment.front() == '.') return std::nullopt;
        if (folder.empty()) {
            folder = segment;
            if (std::find(hidden_.begin(), hidden_.end(), folder) != hidden_.end()) {
                return std::nullopt;
            }
        }
        file /= std::string(segment);
    }
    std::error_code ec;
    if (fs::is_directory(file, ec)) file /= "index.html";
    // Symbolic links are followed, but only to files that are still inside the root.
    fs::path real = fs::canonical(file, ec);
    if (ec || !within(root_, real) || !fs::is_regular_file(real, ec)) return std::nullopt;
    const auto size = fs::file_size(real, ec);
    if (ec || size > kMaxFileSize) return std::nullopt;
    std::ifstream in(real, std::ios::binary);
    if (!in) return std::nullopt;
    std::string body(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>{});

    // The tag comes from the content, not the file's date: an upgrade that keeps sizes and dates
    // (a copy with preserved times, an image layer) still changes it.
    char etag_text[48];
    std::snprintf(etag_text, sizeof etag_text, "\"%zx-%016llx\"", body.size(),
                  static_cast<unsigned long long>(content_hash(body)));
    const std::string etag = etag_text;

    Response response;
    response.content_type = content_type_of(real);
    response.headers.emplace_back("ETag", etag);
    // Every file, scripts included, is revalidated on each load (a 304 when unchanged): a kiosk
    // that runs for months never keeps a script of the previous release next to the new page.
    response.headers.emplace_back("Cache-Control", "no-cache");
    if (real.extension() == ".html" &&
        std::find(camera_pages_.begin(), camera_pages_.end(), folder) != camera_pages_.end()) {
        response.headers.emplace_back("Permissions-Policy",
                                      "camera=(self), microphone=(self), display-capture=(), "
                                      "geolocation=(), payment=(), usb=()");
    }
    if (etag_matches(request.header("If-None-Match"), etag)) {
        response.status = 304;
        return response;
    }
    response.body = std::move(body);
    return response;
}

}  // namespace vg::http

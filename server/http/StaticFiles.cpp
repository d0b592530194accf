#include "http/StaticFiles.hpp"

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

bool within(const fs::path& root, const fs::path& file) {
    auto relative = file.lexically_relative(root);
    return !relative.empty() && *relative.begin() != ".." && relative.is_relative();
}

}  // namespace

StaticFiles::StaticFiles(const std::string& root) {
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
    while (!rest.empty()) {
        auto slash = rest.find('/');
        std::string_view segment = rest.substr(0, slash);
        rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash + 1);
        if (segment.empty()) continue;
        // Also refuses "..", "." and hidden files such as .git or .env.
        if (segment.front() == '.') return std::nullopt;
        file /= std::string(segment);
    }
    std::error_code ec;
    if (fs::is_directory(file, ec)) file /= "index.html";
    // Symbolic links are followed, but only to files that are still inside the root.
    fs::path real = fs::canonical(file, ec);
    if (ec || !within(root_, real) || !fs::is_regular_file(real, ec)) return std::nullopt;
    const auto size = fs::file_size(real, ec);
    if (ec || size > kMaxFileSize) return std::nullopt;
    const auto modified = fs::last_write_time(real, ec);
    if (ec) return std::nullopt;

    char etag_text[64];
    std::snprintf(etag_text, sizeof etag_text, "\"%jx-%llx\"", static_cast<std::uintmax_t>(size),
                  static_cast<unsigned long long>(modified.time_since_epoch().count()));
    const std::string etag = etag_text;
    const bool html = real.extension() == ".html";

    Response response;
    response.content_type = content_type_of(real);
    response.headers.emplace_back("ETag", etag);
    // HTML always revalidates so a new release is picked up; its assets may be cached a while.
    response.headers.emplace_back("Cache-Control", html ? "no-cache" : "public, max-age=3600");
    if (etag_matches(request.header("If-None-Match"), etag)) {
        response.status = 304;
        return response;
    }
    std::ifstream in(real, std::ios::binary);
    if (!in) return std::nullopt;
    response.body.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    return response;
}

}  // namespace vg::http

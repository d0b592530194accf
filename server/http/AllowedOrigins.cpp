#include "http/AllowedOrigins.hpp"

#include <algorithm>
#include <cctype>

namespace vg::http {
namespace {

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

std::vector<std::string> normalized(const std::vector<std::string>& urls) {
    std::vector<std::string> origins;
    for (const auto& url : urls) {
        auto origin = AllowedOrigins::origin_of(url);
        if (!origin.empty() && std::find(origins.begin(), origins.end(), origin) == origins.end())
            origins.push_back(std::move(origin));
    }
    return origins;
}

// A page may connect to its own origin (which covers its ws:/wss:) and to these, whose
// WebSockets need a ws:/wss: source of their own (CSP's http: source does not cover ws:).
std::string make_content_security_policy(const std::vector<std::string>& origins) {
    std::string connect = "'self'";
    for (const auto& origin : origins) {
        connect += " " + origin;
        if (origin.rfind("https://", 0) == 0)
            connect += " wss://" + origin.substr(8);
        else
            connect += " ws://" + origin.substr(7);
    }
    return "default-src 'self'; connect-src " + connect +
           "; img-src 'self' data:; media-src 'self' blob:; object-src 'none'; "
           "frame-ancestors 'none'; base-uri 'self'; form-action 'self'";
}

}  // namespace

AllowedOrigins::AllowedOrigins(const std::vector<std::string>& configured)
    : configured_(normalized(configured)), snapshot_(make_snapshot({})) {}

std::string AllowedOrigins::origin_of(std::string_view url) {
    const auto scheme_end = url.find("://");
    if (scheme_end == std::string_view::npos) return "";
    const std::string scheme = lower(url.substr(0, scheme_end));
    if (scheme != "https" && scheme != "http") return "";
    const auto rest = url.substr(scheme_end + 3);
    std::string authority = lower(rest.substr(0, rest.find_first_of("/?#")));
    if (authority.empty()) return "";
    // Browsers leave the scheme's own port out of Origin.
    const std::string default_port = scheme == "https" ? ":443" : ":80";
    if (authority.size() > default_port.size() &&
        authority.compare(authority.size() - default_port.size(), default_port.size(),
                          default_port) == 0)
        authority.resize(authority.size() - default_port.size());
    return scheme + "://" + authority;
}

std::shared_ptr<const AllowedOrigins::Snapshot> AllowedOrigins::make_snapshot(
    std::vector<std::string> node_urls) const {
    auto made = std::make_shared<Snapshot>();
    made->origins = configured_;
    for (auto& origin : normalized(node_urls))
        if (std::find(made->origins.begin(), made->origins.end(), origin) == made->origins.end())
            made->origins.push_back(std::move(origin));
    made->content_security_policy = make_content_security_policy(made->origins);
    made->node_urls = std::move(node_urls);
    return made;
}

void AllowedOrigins::set_node_urls(const std::vector<std::string>& public_urls) {
    if (snapshot()->node_urls == public_urls) return;
    auto made = make_snapshot(public_urls);
    std::lock_guard lock(mutex_);
    snapshot_ = std::move(made);
}

std::shared_ptr<const AllowedOrigins::Snapshot> AllowedOrigins::snapshot() const {
    std::lock_guard lock(mutex_);
    return snapshot_;
}

bool AllowedOrigins::allows(std::string_view origin) const {
    // Only the case is folded: an Origin never carries a path or the scheme's own port.
    const std::string wanted = lower(origin);
    const auto current = snapshot();
    return std::find(current->origins.begin(), current->origins.end(), wanted) !=
           current->origins.end();
}

std::shared_ptr<const std::string> AllowedOrigins::content_security_policy() const {
    auto current = snapshot();
    return {current, &current->content_security_policy};
}

}  // namespace vg::http

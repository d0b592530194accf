#include "messaging/Templates.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace vg::messaging {

namespace {

constexpr std::size_t kMaxTemplateBytes = 64 * 1024;

std::string escape_html(std::string_view text) {
    std::string out;
    for (char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&#39;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

bool is_kind(std::string_view kind) {
    return kind == "confirmation" || kind == "reminder" || kind == "moved" || kind == "cancelled";
}

}  // namespace

Templates::Templates(std::string directory) : directory_(std::move(directory)) {}

std::string Templates::fill(std::string_view text, const Values& values, bool html,
                            const std::string& origin) {
    std::string out;
    std::size_t at = 0;
    for (;;) {
        auto open = text.find("{{", at);
        if (open == std::string_view::npos) break;
        auto close = text.find("}}", open + 2);
        if (close == std::string_view::npos) throw std::runtime_error(origin + ": '{{' not closed");
        out.append(text.substr(at, open - at));
        auto name = text.substr(open + 2, close - open - 2);
        auto value = values.find(name);
        if (value == values.end())
            throw std::runtime_error(origin + ": no value named {{" + std::string(name) + "}}");
        out += html ? escape_html(value->second) : value->second;
        at = close + 2;
    }
    out.append(text.substr(at));
    return out;
}

std::string Templates::folder(std::string_view language) const {
    // The language comes from the database's checked column ([a-z]{2,3}): no path tricks.
    for (char c : language)
        if (c < 'a' || c > 'z') return directory_ + "/fr";
    auto own = directory_ + "/" + std::string(language);
    return std::filesystem::is_directory(own) ? own : directory_ + "/fr";
}

std::string Templates::read(const std::string& path) const {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("message template " + path + " cannot be read");
    std::ostringstream content;
    content << in.rdbuf();
    auto text = content.str();
    if (text.size() > kMaxTemplateBytes)
        throw std::runtime_error("message template " + path + " is larger than 64 KiB");
    return text;
}

Templates::Rendered Templates::render(std::string_view kind, std::string_view language,
                                      const Values& values) const {
    if (!is_kind(kind)) throw std::runtime_error("no message kind " + std::string(kind));
    auto base = folder(language) + "/" + std::string(kind);
    Rendered rendered;
    rendered.language = base.substr(directory_.size() + 1, base.rfind('/') - directory_.size() - 1);
    auto subject = fill(read(base + ".subject"), values, false, base + ".subject");
    while (!subject.empty() && (subject.back() == '\n' || subject.back() == '\r'))
        subject.pop_back();
    if (subject.find_first_of("\r\n") != std::string::npos)
        throw std::runtime_error(base + ".subject: a subject is one line");
    rendered.subject = std::move(subject);
    rendered.text = fill(read(base + ".txt"), values, false, base + ".txt");
    rendered.html = fill(read(base + ".html"), values, true, base + ".html");
    return rendered;
}

std::string Templates::render_sms(std::string_view kind, std::string_view language,
                                  const Values& values) const {
    if (!is_kind(kind)) throw std::runtime_error("no message kind " + std::string(kind));
    auto path = folder(language) + "/" + std::string(kind) + ".sms";
    auto text = fill(read(path), values, false, path);
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
    return text;
}

}  // namespace vg::messaging

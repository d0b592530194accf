#include "api/OpenApiSpec.hpp"

#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "domain/TimeFormat.hpp"
#include "domain/Validation.hpp"
#include "support/Environment.hpp"

namespace vg::test {

using nlohmann::json;

namespace {

struct Line {
    int indent;
    std::string text;  // without the indent
};

json scalar(std::string s) {
    while (!s.empty() && s.back() == ' ') s.pop_back();
    if (s.size() >= 2 && s.front() == '\'' && s.back() == '\'') {
        std::string out;
        for (std::size_t i = 1; i + 1 < s.size(); ++i) {
            out += s[i];
            if (s[i] == '\'' && s[i + 1] == '\'') ++i;
        }
        return out;
    }
    if (s.size() >= 2 && s.front() == '"' && s.back() == '"') return s.substr(1, s.size() - 2);
    if (s == "true") return true;
    if (s == "false") return false;
    if (s == "null" || s == "~") return nullptr;
    if (!s.empty() && s.find_first_not_of("-0123456789") == std::string::npos &&
        s.find('-', 1) == std::string::npos)
        return std::stoll(s);
    return s;
}

// Flow values: {a: b, c: [d, e]}.
class Flow {
  public:
    explicit Flow(const std::string& text) : s_(text) {}
    json value() {
        skip();
        if (peek() == '{') return mapping();
        if (peek() == '[') return sequence();
        return plain(true);
    }
    bool done() {
        skip();
        return i_ >= s_.size();
    }

  private:
    char peek() const { return i_ < s_.size() ? s_[i_] : '\0'; }
    void skip() {
        while (i_ < s_.size() && s_[i_] == ' ') ++i_;
    }
    void expect(char c) {
        skip();
        if (peek() != c) throw std::runtime_error(std::string("YAML: expected ") + c + " in " + s_);
        ++i_;
    }
    json plain(bool stop_at_colon) {
        skip();
        std::string token;
        if (peek() == '\'' || peek() == '"') {
            char q = s_[i_];
            token += s_[i_++];
            while (i_ < s_.size()) {
                token += s_[i_];
                if (s_[i_++] == q) {
                    if (q == '\'' && peek() == '\'') {
                        token += s_[i_++];
                        continue;
                    }
                    break;
                }
            }
            return scalar(token);
        }
        while (i_ < s_.size()) {
            char c = s_[i_];
            if (c == ',' || c == '}' || c == ']') break;
            if (stop_at_colon && c == ':' && (i_ + 1 >= s_.size() || s_[i_ + 1] == ' ')) break;
            token += c;
            ++i_;
        }
        return scalar(token);
    }
    json mapping() {
        expect('{');
        json out = json::object();
        skip();
        if (peek() == '}') {
            ++i_;
            return out;
        }
        for (;;) {
            auto key = plain(true);
            expect(':');
            out[key.is_string() ? key.get<std::string>() : key.dump()] = value();
            skip();
            if (peek() == ',') {
                ++i_;
                continue;
            }
            expect('}');
            return out;
        }
    }
    json sequence() {
        expect('[');
        json out = json::array();
        skip();
        if (peek() == ']') {
            ++i_;
            return out;
        }
        for (;;) {
            out.push_back(value());
            skip();
            if (peek() == ',') {
                ++i_;
                continue;
            }
            expect(']');
            return out;
        }
    }
    const std::string& s_;
    std::size_t i_ = 0;
};

json inline_value(const std::string& text) {
    Flow flow(text);
    auto v = flow.value();
    if (!flow.done()) throw std::runtime_error("YAML: trailing text in " + text);
    return v;
}

// "key: rest" -> key, rest; the key may be quoted.
std::pair<std::string, std::string> split_key(const std::string& text) {
    std::size_t colon;
    if (text.front() == '\'' || text.front() == '"') {
        auto close = text.find(text.front(), 1);
        colon = text.find(':', close);
    } else {
        colon = text.find(": ");
        if (colon == std::string::npos && text.back() == ':') colon = text.size() - 1;
    }
    if (colon == std::string::npos) throw std::runtime_error("YAML: no key in " + text);
    auto key = scalar(text.substr(0, colon));
    std::string rest = colon + 1 < text.size() ? text.substr(colon + 1) : "";
    while (!rest.empty() && rest.front() == ' ') rest.erase(0, 1);
    return {key.is_string() ? key.get<std::string>() : key.dump(), rest};
}

class Block {
  public:
    explicit Block(std::vector<Line> lines) : lines_(std::move(lines)) {}
    json parse() { return node(0); }

  private:
    json node(int indent) {
        if (i_ >= lines_.size()) return nullptr;
        if (lines_[i_].text.rfind("- ", 0) == 0) return sequence(lines_[i_].indent);
        return mapping(lines_[i_].indent);
        (void)indent;
    }
    json value_after_key(const std::string& rest, int indent) {
        if (rest == "|") {
            std::string text;
            while (i_ < lines_.size() && lines_[i_].indent > indent)
                text += lines_[i_++].text + "\n";
            return text;
        }
        if (!rest.empty())
            return rest.front() == '{' || rest.front() == '[' ? inline_value(rest) : scalar(rest);
        if (i_ < lines_.size() &&
            (lines_[i_].indent > indent ||
             (lines_[i_].indent == indent && lines_[i_].text.rfind("- ", 0) == 0)))
            return node(lines_[i_].indent);
        return nullptr;
    }
    json mapping(int indent) {
        json out = json::object();
        while (i_ < lines_.size() && lines_[i_].indent == indent &&
               lines_[i_].text.rfind("- ", 0) != 0) {
            auto [key, rest] = split_key(lines_[i_++].text);
            out[key] = value_after_key(rest, indent);
        }
        return out;
    }
    json sequence(int indent) {
        json out = json::array();
        while (i_ < lines_.size() && lines_[i_].indent == indent &&
               lines_[i_].text.rfind("- ", 0) == 0) {
            std::string item = lines_[i_++].text.substr(2);
            if (item.front() == '{' || item.front() == '[' || item.find(": ") == std::string::npos)
                out.push_back(inline_value(item));
            else {
                auto [key, rest] = split_key(item);
                json m = json::object();
                m[key] = value_after_key(rest, indent + 2);
                // Further keys of the same item sit at indent + 2.
                if (i_ < lines_.size() && lines_[i_].indent == indent + 2)
                    m.update(mapping(indent + 2));
                out.push_back(m);
            }
        }
        return out;
    }
    std::vector<Line> lines_;
    std::size_t i_ = 0;
};

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

}  // namespace

json parse_yaml_subset(const std::string& text) {
    std::vector<Line> lines;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        auto first = line.find_first_not_of(' ');
        if (first == std::string::npos || line[first] == '#') continue;
        while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.pop_back();
        lines.push_back({static_cast<int>(first), line.substr(first)});
    }
    return Block(std::move(lines)).parse();
}

const OpenApiSpec& OpenApiSpec::get() {
    static const OpenApiSpec spec([] {
        std::ifstream file(source_dir() + "/proto/openapi.yaml");
        std::stringstream text;
        text << file.rdbuf();
        return text.str();
    }());
    return spec;
}

OpenApiSpec::OpenApiSpec(const std::string& yaml) : document_(parse_yaml_subset(yaml)) {}

std::set<std::pair<std::string, std::string>> OpenApiSpec::routes() const {
    std::set<std::pair<std::string, std::string>> out;
    std::string base = document_["servers"][0]["url"];
    for (const auto& [path, item] : document_["paths"].items())
        for (const auto& [method, operation] : item.items()) {
            std::string upper = method;
            for (auto& c : upper)
                c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
            out.insert({upper, base + path});
        }
    return out;
}

const json& OpenApiSpec::resolve(const json& schema) const {
    if (!schema.is_object() || !schema.contains("$ref")) return schema;
    std::string ref = schema["$ref"];
    const json* node = &document_;
    std::size_t start = 2;  // after "#/"
    while (start <= ref.size()) {
        auto slash = ref.find('/', start);
        if (slash == std::string::npos) slash = ref.size();
        node = &node->at(ref.substr(start, slash - start));
        start = slash + 1;
    }
    return resolve(*node);
}

std::string OpenApiSpec::check(const std::string& method, const std::string& pattern, int status,
                               const std::string& content_type, const json& body) const {
    std::string base = document_["servers"][0]["url"];
    if (pattern.rfind(base, 0) != 0) return "route outside " + base;
    const auto& paths = document_["paths"];
    auto path = paths.find(pattern.substr(base.size()));
    if (path == paths.end()) return "route not in the spec";
    auto operation = path->find(lower(method));
    if (operation == path->end()) return "method not in the spec";
    const auto& responses = (*operation)["responses"];
    auto response = responses.find(std::to_string(status));
    if (response == responses.end()) return "status " + std::to_string(status) + " not in the spec";
    const auto& resolved = resolve(*response);
    if (!resolved.contains("content")) return body.is_null() ? "" : "a body the spec does not have";
    auto media = resolved["content"].find(content_type);
    if (media == resolved["content"].end()) return "content type " + content_type + " not in spec";
    return validate(body, (*media)["schema"], "body");
}

std::string OpenApiSpec::validate(const json& value, const json& raw_schema,
                                  const std::string& where) const {
    const json& schema = resolve(raw_schema);
    std::string problems;
    auto fail = [&](const std::string& what) { problems += where + ": " + what + "; "; };
    if (schema.contains("allOf"))
        for (const auto& part : schema["allOf"]) problems += validate(value, part, where);
    if (schema.contains("enum")) {
        bool found = false;
        for (const auto& e : schema["enum"]) found = found || e == value;
        if (!found) fail("not one of " + schema["enum"].dump());
    }
    if (schema.contains("type")) {
        auto types = schema["type"].is_array() ? schema["type"] : json::array({schema["type"]});
        bool ok = false;
        for (const auto& t : types) {
            ok = ok || (t == "string" && value.is_string()) ||
                 (t == "integer" && value.is_number_integer()) ||
                 (t == "number" && value.is_number()) || (t == "boolean" && value.is_boolean()) ||
                 (t == "object" && value.is_object()) || (t == "array" && value.is_array()) ||
                 (t == "null" && value.is_null());
        }
        if (!ok) {
            fail("is " + std::string(value.type_name()) + ", not " + types.dump());
            return problems;
        }
    }
    if (value.is_string()) {
        const auto& s = value.get_ref<const std::string&>();
        auto format = schema.value("format", "");
        if (format == "uuid" && !domain::Validation::is_uuid(s)) fail("not a uuid");
        if (format == "date-time" && !domain::TimeFormat::parse_instant(s)) fail("not a date-time");
        if (format == "date" && !domain::TimeFormat::parse_date(s)) fail("not a date");
        if (schema.contains("pattern") &&
            !std::regex_search(s, std::regex(schema["pattern"].get<std::string>())))
            fail("does not match " + schema["pattern"].get<std::string>());
        if (schema.contains("maxLength") &&
            domain::Validation::code_points(s) > schema["maxLength"].get<std::size_t>())
            fail("too long");
    }
    if (value.is_number()) {
        if (schema.contains("minimum") && value.get<double>() < schema["minimum"].get<double>())
            fail("below minimum");
        if (schema.contains("maximum") && value.get<double>() > schema["maximum"].get<double>())
            fail("above maximum");
    }
    if (value.is_object()) {
        for (const auto& name : schema.value("required", json::array()))
            if (!value.contains(name.get<std::string>())) fail("lacks " + name.get<std::string>());
        const auto properties = schema.value("properties", json::object());
        for (const auto& [key, item] : value.items()) {
            if (properties.contains(key))
                problems += validate(item, properties[key], where + "." + key);
            else if (schema.value("additionalProperties", true) == false)
                fail("has unknown " + key);
        }
    }
    if (value.is_array() && schema.contains("items"))
        for (std::size_t i = 0; i < value.size(); ++i)
            problems += validate(value[i], schema["items"], where + "[" + std::to_string(i) + "]");
    return problems;
}

}  // namespace vg::test

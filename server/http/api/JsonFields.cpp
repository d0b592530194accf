#include "http/api/JsonFields.hpp"

#include <algorithm>
#include <cctype>

#include "domain/Validation.hpp"
#include "http/RequireJson.hpp"

namespace vg::http::api {

using domain::Validation;
using nlohmann::json;

json JsonFields::parse_object(const Request& request) {
    if (request.body.size() > kMaxBody) throw Problem(413, "The body is too large.");
    require_json(request);
    if (request.body.empty()) return json::object();
    json body;
    try {
        body = json::parse(request.body);
    } catch (const json::exception&) {
        throw Problem(400, "The body is not valid JSON.");
    }
    if (!body.is_object()) throw Problem(400, "The body must be a JSON object.");
    return body;
}

JsonFields::JsonFields(const json& object, std::initializer_list<std::string_view> known)
    : object_(object), errors_(std::make_shared<std::vector<FieldError>>()) {
    for (const auto& item : object_.items()) {
        if (std::find(known.begin(), known.end(), item.key()) == known.end())
            add_error(item.key(), "unknown field");
    }
}

JsonFields::JsonFields(JsonFields& parent, std::string_view name, const json& object,
                       std::initializer_list<std::string_view> known)
    : object_(object), prefix_(parent.field_name(name) + "."), errors_(parent.errors_) {
    for (const auto& item : object_.items()) {
        if (std::find(known.begin(), known.end(), item.key()) == known.end())
            add_error(field_name(item.key()), "unknown field");
    }
}

std::string JsonFields::field_name(std::string_view name) const {
    return prefix_ + std::string(name);
}

void JsonFields::add_error(std::string field, std::string message) {
    // An unknown field's name comes from the client: keep what we echo short.
    if (field.size() > 100) field = field.substr(0, 100) + "...";
    errors_->push_back(FieldError{std::move(field), std::move(message)});
}

void JsonFields::finish() const {
    if (!errors_->empty()) throw Problem(422, "Some fields are invalid.", *errors_);
}

const json* JsonFields::find(std::string_view name, bool required) {
    auto it = object_.find(name);
    if (it == object_.end() || it->is_null()) {
        if (required) add_error(field_name(name), "is required");
        return nullptr;
    }
    return &*it;
}

std::optional<std::string> JsonFields::text(std::string_view name, bool required,
                                            std::size_t max_chars, std::size_t min_chars) {
    const json* value = find(name, required);
    if (!value) return std::nullopt;
    if (!value->is_string()) {
        add_error(field_name(name), "must be a string");
        return std::nullopt;
    }
    const auto& s = value->get_ref<const std::string&>();
    if (!Validation::is_single_line(s)) {
        add_error(field_name(name), "must be one line of text without control characters");
        return std::nullopt;
    }
    auto length = Validation::code_points(s);
    if (length < min_chars || length > max_chars) {
        add_error(field_name(name), "must have " + std::to_string(min_chars) + " to " +
                                        std::to_string(max_chars) + " characters");
        return std::nullopt;
    }
    return s;
}

std::optional<std::string> JsonFields::long_text(std::string_view name, bool required,
                                                 std::size_t max_chars) {
    const json* value = find(name, required);
    if (!value) return std::nullopt;
    if (!value->is_string()) {
        add_error(field_name(name), "must be a string");
        return std::nullopt;
    }
    const auto& s = value->get_ref<const std::string&>();
    if (!Validation::is_utf8(s) || s.find('\0') != std::string::npos) {
        add_error(field_name(name), "must be text");
        return std::nullopt;
    }
    if (Validation::code_points(s) > max_chars) {
        add_error(field_name(name),
                  "must have at most " + std::to_string(max_chars) + " characters");
        return std::nullopt;
    }
    return s;
}

std::optional<std::string> JsonFields::uuid(std::string_view name, bool required) {
    const json* value = find(name, required);
    if (!value) return std::nullopt;
    if (!value->is_string() || !Validation::is_uuid(value->get_ref<const std::string&>())) {
        add_error(field_name(name), "must be a UUID");
        return std::nullopt;
    }
    auto id = value->get<std::string>();
    for (auto& c : id) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return id;
}

std::optional<std::int64_t> JsonFields::integer(std::string_view name, bool required,
                                                std::int64_t min, std::int64_t max) {
    const json* value = find(name, required);
    if (!value) return std::nullopt;
    if (!value->is_number_integer()) {
        add_error(field_name(name), "must be an integer");
        return std::nullopt;
    }
    std::int64_t n = 0;
    if (value->is_number_unsigned()) {
        auto u = value->get<std::uint64_t>();
        n = u > static_cast<std::uint64_t>(max) ? max + 1 : static_cast<std::int64_t>(u);
    } else {
        n = value->get<std::int64_t>();
    }
    if (n < min || n > max) {
        add_error(field_name(name),
                  "must be between " + std::to_string(min) + " and " + std::to_string(max));
        return std::nullopt;
    }
    return n;
}

std::optional<bool> JsonFields::boolean(std::string_view name, bool required) {
    const json* value = find(name, required);
    if (!value) return std::nullopt;
    if (!value->is_boolean()) {
        add_error(field_name(name), "must be true or false");
        return std::nullopt;
    }
    return value->get<bool>();
}

std::optional<std::string> JsonFields::one_of(std::string_view name, bool required,
                                              std::initializer_list<std::string_view> choices) {
    const json* value = find(name, required);
    if (!value) return std::nullopt;
    if (value->is_string()) {
        const auto& s = value->get_ref<const std::string&>();
        if (std::find(choices.begin(), choices.end(), s) != choices.end()) return s;
    }
    std::string list;
    for (auto c : choices) list += (list.empty() ? "" : ", ") + std::string(c);
    add_error(field_name(name), "must be one of " + list);
    return std::nullopt;
}

const json* JsonFields::array(std::string_view name, bool required, std::size_t max_items) {
    const json* value = find(name, required);
    if (!value) return nullptr;
    if (!value->is_array()) {
        add_error(field_name(name), "must be an array");
        return nullptr;
    }
    if (value->size() > max_items) {
        add_error(field_name(name), "must have at most " + std::to_string(max_items) + " items");
        return nullptr;
    }
    return value;
}

const json* JsonFields::object(std::string_view name, bool required) {
    const json* value = find(name, required);
    if (!value) return nullptr;
    if (!value->is_object()) {
        add_error(field_name(name), "must be an object");
        return nullptr;
    }
    return value;
}

}  // namespace vg::http::api

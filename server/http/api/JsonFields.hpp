#pragma once
// Reads a JSON request body field by field, collecting every problem so one 422 answer names
// them all. Unknown fields are refused (a typo must not be silently ignored), strings are checked
// for UTF-8, control characters and length.
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/Problem.hpp"
#include "http/Request.hpp"

namespace vg::http::api {

class JsonFields {
  public:
    static constexpr std::size_t kMaxBody = 64 * 1024;

    // The body as one JSON object: 415 unless it is application/json, 413 beyond kMaxBody, 400
    // when malformed (invalid UTF-8 included) or not an object. An empty body is an empty object.
    static nlohmann::json parse_object(const Request& request);

    JsonFields(const nlohmann::json& object, std::initializer_list<std::string_view> known);
    // The fields of a nested object, named "prefix.name" in errors, sharing the parent's errors.
    JsonFields(JsonFields& parent, std::string_view name, const nlohmann::json& object,
               std::initializer_list<std::string_view> known);

    // Single-line text of min..max code points.
    std::optional<std::string> text(std::string_view name, bool required, std::size_t max_chars,
                                    std::size_t min_chars = 1);
    // Multi-line text (notes): UTF-8 without NUL, up to max_chars code points.
    std::optional<std::string> long_text(std::string_view name, bool required,
                                         std::size_t max_chars);
    std::optional<std::string> uuid(std::string_view name, bool required);
    std::optional<std::int64_t> integer(std::string_view name, bool required, std::int64_t min,
                                        std::int64_t max);
    std::optional<bool> boolean(std::string_view name, bool required);
    std::optional<std::string> one_of(std::string_view name, bool required,
                                      std::initializer_list<std::string_view> choices);
    // An array of at most max_items; nullptr when absent or wrong (the error is recorded).
    const nlohmann::json* array(std::string_view name, bool required, std::size_t max_items);
    const nlohmann::json* object(std::string_view name, bool required);

    void add_error(std::string field, std::string message);
    std::string field_name(std::string_view name) const;
    bool ok() const { return errors_->empty(); }
    // Throws Problem 422 with every error recorded so far, if any.
    void finish() const;

  private:
    const nlohmann::json* find(std::string_view name, bool required);
    const nlohmann::json& object_;
    std::string prefix_;
    std::shared_ptr<std::vector<FieldError>> errors_;
};

}  // namespace vg::http::api

#pragma once
// proto/openapi.yaml as the tests use it: read with a small reader for the YAML the file is
// written in (block and flow mappings and sequences, quoted and plain scalars, "|" blocks), and a
// JSON Schema check of answers against the schemas it names ($ref, allOf, type, enum, required,
// properties, additionalProperties, items, format, pattern, bounds).
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <utility>

namespace vg::test {

class OpenApiSpec {
  public:
    static const OpenApiSpec& get();  // read once from the source tree
    explicit OpenApiSpec(const std::string& yaml);

    // Every (METHOD, "/api/v1/path/{id}") the spec lists.
    std::set<std::pair<std::string, std::string>> routes() const;
    // Problems of one answer ("" when it conforms): the status must be listed for the route and
    // the body must match the schema of its content type.
    std::string check(const std::string& method, const std::string& pattern, int status,
                      const std::string& content_type, const nlohmann::json& body) const;
    // Problems of value against schema, "" when none.
    std::string validate(const nlohmann::json& value, const nlohmann::json& schema,
                         const std::string& where) const;

    const nlohmann::json& document() const { return document_; }

  private:
    const nlohmann::json& resolve(const nlohmann::json& schema) const;
    nlohmann::json document_;
};

// The YAML reader, exposed for its own test.
nlohmann::json parse_yaml_subset(const std::string& text);

}  // namespace vg::test

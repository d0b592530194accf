// proto/openapi.yaml against the server: the same routes, and (see ApiFixture::call) every answer
// of every API test checked against the spec's schema for its route and status.
#include "api/ApiFixture.hpp"
#include "api/OpenApiSpec.hpp"

namespace vg::test {

using nlohmann::json;

TEST(OpenApiYaml, ReadsTheSubsetTheSpecUses) {
    auto doc = parse_yaml_subset(
        "a: 1\n"
        "b:\n"
        "  c: 'it''s'\n"
        "  d: {e: [x, 'y', 3], f: {}}\n"
        "  '200': {description: Text with spaces, g: true}\n"
        "list:\n"
        "  - name: one\n"
        "  - {name: two}\n"
        "text: |\n"
        "  line one\n"
        "  line two\n"
        "after: null\n");
    EXPECT_EQ(doc["a"], 1);
    EXPECT_EQ(doc["b"]["c"], "it's");
    EXPECT_EQ(doc["b"]["d"], (json{{"e", {"x", "y", 3}}, {"f", json::object()}}));
    EXPECT_EQ(doc["b"]["200"]["description"], "Text with spaces");
    EXPECT_EQ(doc["b"]["200"]["g"], true);
    EXPECT_EQ(doc["list"], (json{{{"name", "one"}}, {{"name", "two"}}}));
    EXPECT_EQ(doc["text"], "line one\nline two\n");
    EXPECT_TRUE(doc["after"].is_null());
}

TEST(OpenApiYaml, SchemaCheckCatchesMismatches) {
    OpenApiSpec spec(
        "components:\n"
        "  schemas:\n"
        "    T:\n"
        "      type: object\n"
        "      additionalProperties: false\n"
        "      required: [id, n]\n"
        "      properties: {id: {type: string, format: uuid}, n: {type: integer, "
        "minimum: 1}, s: {enum: [a, b]}}\n");
    json schema = {{"$ref", "#/components/schemas/T"}};
    EXPECT_EQ(
        spec.validate(json{{"id", "0f8fad5b-d9cb-469f-a165-70867728950e"}, {"n", 2}}, schema, "x"),
        "");
    EXPECT_NE(spec.validate(json{{"id", "nope"}, {"n", 2}}, schema, "x"), "");
    EXPECT_NE(spec.validate(json{{"id", "0f8fad5b-d9cb-469f-a165-70867728950e"}}, schema, "x"), "");
    EXPECT_NE(
        spec.validate(json{{"id", "0f8fad5b-d9cb-469f-a165-70867728950e"}, {"n", 0}}, schema, "x"),
        "");
    EXPECT_NE(
        spec.validate(json{{"id", "0f8fad5b-d9cb-469f-a165-70867728950e"}, {"n", 1}, {"s", "c"}},
                      schema, "x"),
        "");
    EXPECT_NE(
        spec.validate(json{{"id", "0f8fad5b-d9cb-469f-a165-70867728950e"}, {"n", 1}, {"extra", 1}},
                      schema, "x"),
        "");
}

TEST_F(ApiTest, TheSpecListsExactlyTheRoutesServed) {
    std::set<std::pair<std::string, std::string>> served;
    for (const auto& route : router_.routes()) served.insert(route);
    EXPECT_EQ(OpenApiSpec::get().routes(), served);
}

}  // namespace vg::test

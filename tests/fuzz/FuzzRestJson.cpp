// A JSON body of the REST API as every route reads it (JsonFields): parsed as one object, then
// read field by field. A bad body is a 400, 413, 415 or 422 problem, never anything else.
#include <cstddef>
#include <cstdint>
#include <string>

#include "http/Problem.hpp"
#include "http/api/JsonFields.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using vg::http::api::JsonFields;
    vg::http::Request request;
    request.method = "POST";
    request.headers.emplace("Content-Type", "application/json; charset=utf-8");
    request.body.assign(reinterpret_cast<const char*>(data), size);
    try {
        const auto body = JsonFields::parse_object(request);
        if (!body.is_object()) __builtin_trap();
        // The kinds of fields the routes read (an appointment, an agent, a booth).
        JsonFields fields(body, {"name", "notes", "site_id", "duration_minutes", "active", "role",
                                 "languages", "address"});
        (void)fields.text("name", true, 120);
        (void)fields.long_text("notes", false, 2000);
        (void)fields.uuid("site_id", false);
        (void)fields.integer("duration_minutes", false, 5, 240);
        (void)fields.boolean("active", false);
        (void)fields.one_of("role", false, {"admin", "scheduler", "supervisor", "agent"});
        if (const auto* languages = fields.array("languages", false, 10)) {
            for (const auto& language : *languages) (void)language.is_string();
        }
        if (const auto* address = fields.object("address", false)) {
            JsonFields nested(fields, "address", *address, {"street", "city"});
            (void)nested.text("street", false, 200);
            (void)nested.text("city", false, 100);
        }
        fields.finish();
    } catch (const vg::http::Problem& problem) {
        const int status = problem.status();
        if (status != 400 && status != 413 && status != 415 && status != 422) __builtin_trap();
        if (status == 422 && problem.errors().empty()) __builtin_trap();
    }
    return 0;
}

// A citizen's rights under Law 25, for the privacy officer (admin): export what is held about
// them, erase it. Both audited; docs/privacy.md.
#include <nlohmann/json.hpp>

#include "desk/CitizenRecords.hpp"
#include "desk/LeastData.hpp"
#include "domain/Validation.hpp"
#include "http/Problem.hpp"
#include "http/api/Endpoint.hpp"
#include "http/api/JsonFields.hpp"
#include "http/api/Routes.hpp"

namespace vg::http::api {

namespace {

using nlohmann::json;

// Exactly one of email and phone; the phone kept as its digits (7 to 15, E.164's length).
desk::CitizenKey citizen_key(const std::optional<std::string>& email,
                             const std::optional<std::string>& phone) {
    std::vector<FieldError> errors;
    desk::CitizenKey key;
    if (email.has_value() == phone.has_value()) {
        errors.push_back({"email", "give either email or phone"});
    } else if (email) {
        if (email->size() > 254 || !domain::Validation::is_email(*email))
            errors.push_back({"email", "must be an address"});
        key.email = *email;
    } else {
        std::string digits;
        bool valid = phone->size() <= 32;
        for (char c : *phone) {
            if (c >= '0' && c <= '9') digits += c;
            else if (std::string_view("+-() .").find(c) == std::string_view::npos) valid = false;
        }
        if (!valid || digits.size() < 7 || digits.size() > 15)
            errors.push_back({"phone", "must be a telephone number"});
        key.phone_digits = digits;
    }
    if (!errors.empty()) throw Problem(422, "Some parameters are invalid.", errors);
    return key;
}

// The audit row's details: how the citizen was found (not the address itself) and what it named.
std::string audit_details(const desk::CitizenKey& key, const std::vector<std::string>& ids) {
    return json{{"by", key.email ? "email" : "phone"}, {"appointment_ids", ids}}.dump();
}

Response export_citizen(ApiRequest& request) {
    auto key =
        citizen_key(request.http.query_param("email"), request.http.query_param("phone"));
    std::vector<std::string> ids;
    auto body = json::parse(desk::CitizenRecords::export_json(request.db, key, ids));
    body["exported_at"] = request.now;
    request.db.transaction([&](db::Connection&) {
        request.audit("citizen.export", "citizen", "",
                   audit_details(key, ids));
        desk::LeastData::audit_reads(request.db, request.now, request.principal,
                                     request.http.client_address, "GET /citizens/export", ids);
    });
    return json_response(200, body.dump());
}

Response erase_citizen(ApiRequest& request) {
    auto body = JsonFields::parse_object(request.http);
    JsonFields fields(body, {"email", "phone"});
    auto email = fields.text("email", false, 254);
    auto phone = fields.text("phone", false, 32);
    fields.finish();
    auto key = citizen_key(email, phone);
    return request.db.transaction([&](db::Connection& db) {
        std::vector<std::string> ids;
        auto erasure = desk::CitizenRecords::erase(db, key, request.now, ids);
        if (erasure.live > 0)
            throw Problem(409, std::to_string(erasure.live) +
                                   " appointment(s) of this citizen are booked or in progress: "
                                   "cancel them first.");
        request.audit("citizen.erase", "citizen", "",
                   audit_details(key, ids));
        return json_response(200, json{{"appointments_anonymized", erasure.anonymized}}.dump());
    });
}

}  // namespace

void add_citizen_routes(Router& router, ApiContext& ctx) {
    serve(router, ctx, "GET", "/citizens/export", Role::Admin, export_citizen);
    serve(router, ctx, "POST", "/citizens/erasure", Role::Admin, erase_citizen);
}

}  // namespace vg::http::api

// Agents: accounts, weekly availability, and their own presence.
#include <algorithm>
#include <set>

#include "desk/AgentAccounts.hpp"
#include "desk/AgentDirectory.hpp"
#include "desk/AgentPresence.hpp"
#include "desk/Availability.hpp"
#include "desk/PasswordHash.hpp"
#include "domain/Presence.hpp"
#include "domain/TimeFormat.hpp"
#include "domain/Validation.hpp"
#include "http/Problem.hpp"
#include "http/api/Auth.hpp"
#include "http/api/Endpoint.hpp"
#include "http/api/JsonFields.hpp"
#include "http/api/Paging.hpp"
#include "http/api/Preconditions.hpp"
#include "http/api/Routes.hpp"

namespace vg::http::api {

namespace {

using desk::AgentDirectory;
using domain::TimeFormat;
using domain::Validation;
using nlohmann::json;

// A list of distinct strings, each checked by is_valid.
std::vector<std::string> string_list(JsonFields& fields, std::string_view name,
                                     std::size_t max_items, bool (*is_valid)(std::string_view),
                                     const char* what) {
    std::vector<std::string> out;
    const json* list = fields.array(name, true, max_items);
    if (!list) return out;
    for (const auto& item : *list) {
        if (!item.is_string() || !is_valid(item.get_ref<const std::string&>())) {
            fields.add_error(fields.field_name(name), std::string("must hold only ") + what);
            return {};
        }
        auto value = item.get<std::string>();
        for (auto& c : value) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (std::find(out.begin(), out.end(), value) == out.end()) out.push_back(value);
    }
    return out;
}

bool is_role(std::string_view s) {
    return s == "agent" || s == "supervisor" || s == "admin";
}

// Every id of ids names one of what; else a field error.
void check_exist(ApiRequest& request, JsonFields& fields, AgentDirectory::Listed what,
                 std::string_view field, const std::vector<std::string>& ids) {
    if (!AgentDirectory::all_exist(request.db, what, ids))
        fields.add_error(std::string(field), "names something that does not exist");
}

std::string agent_json(db::Connection& db, const std::string& agent_id) {
    auto agent = AgentDirectory::view_json(db, agent_id);
    if (!agent) throw Problem(404, "There is no such agent.");
    return *agent;
}

// The body of POST /agents, checked (422 for what is wrong), and its password in the clear.
struct AgentBody {
    desk::NewAgent agent;
    std::string password;
};

AgentBody read_new_agent(ApiRequest& request) {
    auto body = JsonFields::parse_object(request.http);
    JsonFields fields(body, {"email", "display_name", "password", "roles", "site_ids",
                             "service_ids", "languages"});
    auto email = fields.text("email", true, 254, 3);
    if (email && !Validation::is_email(*email)) fields.add_error("email", "must be an address");
    auto display_name = fields.text("display_name", true, 200);
    auto password = fields.text("password", true, 200, 10);
    auto roles = string_list(fields, "roles", 3, is_role, "agent, supervisor or admin");
    if (fields.ok() && roles.empty()) fields.add_error("roles", "must hold at least one role");
    auto site_ids = string_list(fields, "site_ids", 200, Validation::is_uuid, "site ids");
    auto service_ids = string_list(fields, "service_ids", 200, Validation::is_uuid, "service ids");
    auto languages = string_list(fields, "languages", 20, Validation::is_language,
                                 "language codes such as \"fr\"");
    check_exist(request, fields, AgentDirectory::Listed::Sites, "site_ids", site_ids);
    check_exist(request, fields, AgentDirectory::Listed::Services, "service_ids", service_ids);
    fields.finish();
    return {{*email, *display_name, {}, roles, site_ids, service_ids, languages}, *password};
}

json hash_new_password(const json& prepared) {
    return {{"hash", desk::PasswordHash::make(prepared["password"].get<std::string>(),
                                              hashing_parameters(prepared["parameters"]))}};
}

json prepare_agent(ApiRequest& request) {
    return {{"password", read_new_agent(request).password},
            {"parameters", hashing_parameters(request)}};
}

Response create_agent(ApiRequest& request, const json&, const json& hashed) {
    auto agent = read_new_agent(request).agent;
    agent.password_hash = hashed["hash"].get<std::string>();
    auto id = AgentDirectory::create(request.db, request.now, request.principal,
                                     request.http.client_address, agent);
    if (!id) throw Problem(409, "An agent with this email exists already.");
    auto response = json_response(201, agent_json(request.db, *id));
    response.headers.emplace_back("Location", "/api/v1/agents/" + *id);
    return response;
}

// PATCH /agents/{id}: the fields given change, under If-Match; active false takes back every
// session of the agent at once.
Response patch_agent(ApiRequest& request) {
    auto id = request.id("id");
    auto version = desk::AgentAccounts::version(request.db, id);
    if (!version) throw Problem(404, "There is no such agent.");
    Preconditions::check_if_match(request.http, std::to_string(*version), true, "agent");
    auto body = JsonFields::parse_object(request.http);
    JsonFields fields(body,
                      {"active", "display_name", "roles", "site_ids", "service_ids", "languages"});
    desk::AgentChanges changes;
    changes.active = fields.boolean("active", false);
    changes.display_name = fields.text("display_name", false, 200);
    if (body.contains("roles")) {
        changes.roles = string_list(fields, "roles", 3, is_role, "agent, supervisor or admin");
        if (fields.ok() && changes.roles->empty())
            fields.add_error("roles", "must hold at least one role");
    }
    if (body.contains("site_ids")) {
        changes.site_ids = string_list(fields, "site_ids", 200, Validation::is_uuid, "site ids");
        check_exist(request, fields, AgentDirectory::Listed::Sites, "site_ids", *changes.site_ids);
    }
    if (body.contains("service_ids")) {
        changes.service_ids =
            string_list(fields, "service_ids", 200, Validation::is_uuid, "service ids");
        check_exist(request, fields, AgentDirectory::Listed::Services, "service_ids",
                    *changes.service_ids);
    }
    if (body.contains("languages"))
        changes.languages = string_list(fields, "languages", 20, Validation::is_language,
                                        "language codes such as \"fr\"");
    fields.finish();
    if (changes.active == false && request.principal.kind == desk::Principal::Kind::Agent &&
        request.principal.id == id)
        throw Problem(409, "An administrator does not deactivate their own account.");
    switch (desk::AgentAccounts::update(request.db, request.now, request.principal,
                                        client_of(request.http), id, version, changes)) {
        case desk::AgentWrite::NotFound:
            throw Problem(404, "There is no such agent.");
        case desk::AgentWrite::Stale:
            throw Problem(412, "The agent changed since it was read; read it again.");
        case desk::AgentWrite::Done:
            break;
    }
    auto response = json_response(200, agent_json(request.db, id));
    response.headers.emplace_back(
        "ETag", Preconditions::etag(*desk::AgentAccounts::version(request.db, id)));
    return response;
}

Response list_agents(ApiRequest& request) {
    auto page = Paging::read(request.http, Validation::is_uuid);
    // A supervisor sees the agents of the sites they cover.
    auto rows = AgentDirectory::list(request.db, page.after, Paging::site_scope(request.principal),
                                     page.limit + 1);
    return json_response(200, Paging::answer("agents", rows, page, 1));
}

// Problem 403 unless the caller reaches every site or one of the agent's.
void require_shared_site(const ApiRequest& request, const json& agent) {
    if (request.principal.all_sites()) return;
    bool shared = false;
    for (const auto& site : agent["site_ids"])
        shared = shared || request.principal.covers(site.get<std::string>());
    if (!shared) throw Problem(403, "This agent works at none of the caller's sites.");
}

Response get_agent(ApiRequest& request) {
    auto id = request.id("id");
    auto body = json::parse(agent_json(request.db, id));
    require_shared_site(request, body);
    auto response = json_response(200, body.dump());
    if (auto version = desk::AgentAccounts::version(request.db, id))
        response.headers.emplace_back("ETag", Preconditions::etag(*version));
    return response;
}

Response put_availability(ApiRequest& request) {
    auto agent_id = request.id("id");
    agent_json(request.db, agent_id);
    auto body = JsonFields::parse_object(request.http);
    JsonFields fields(body, {"rules"});
    std::vector<desk::AvailabilityRule> rules;
    if (const json* list = fields.array("rules", true, 200)) {
        auto sites = desk::Availability::covered_sites(request.db, agent_id);
        for (std::size_t i = 0; i < list->size(); ++i) {
            const auto& item = (*list)[i];
            std::string name = "rules[" + std::to_string(i) + "]";
            if (!item.is_object()) {
                fields.add_error(name, "must be an object");
                continue;
            }
            JsonFields rule(fields, name, item, {"weekday", "start", "end", "site_id"});
            auto weekday = rule.integer("weekday", true, 1, 7);
            auto start_text = rule.text("start", true, 5);
            auto end_text = rule.text("end", true, 5);
            auto site_id = rule.uuid("site_id", true);
            std::optional<int> start, end;
            if (start_text && !(start = TimeFormat::parse_time_of_day(*start_text, false)))
                rule.add_error(name + ".start", "must be a time HH:MM");
            if (end_text && !(end = TimeFormat::parse_time_of_day(*end_text, true)))
                rule.add_error(name + ".end", "must be a time HH:MM (24:00 for midnight)");
            if (start && end && *start >= *end) rule.add_error(name + ".end", "must follow start");
            if (site_id && std::find(sites.begin(), sites.end(), *site_id) == sites.end())
                rule.add_error(name + ".site_id", "is not a site this agent covers");
            if (weekday && start && end && site_id && *start < *end)
                rules.push_back({static_cast<int>(*weekday), *start, *end, *site_id});
        }
        for (std::size_t i = 0; i < rules.size(); ++i)
            for (std::size_t j = i + 1; j < rules.size(); ++j)
                if (rules[i].weekday == rules[j].weekday && rules[i].start < rules[j].end &&
                    rules[j].start < rules[i].end)
                    fields.add_error("rules", "two rules of the same day overlap");
    }
    fields.finish();
    return json_response(200,
                         desk::Availability::replace(request.db, request.now, request.principal,
                                                     request.http.client_address, agent_id, rules));
}

Response get_availability(ApiRequest& request) {
    auto agent_id = request.id("id");
    require_shared_site(request, json::parse(agent_json(request.db, agent_id)));
    auto answer = json::parse(desk::Availability::rules_json(request.db, agent_id));
    // A supervisor of some sites sees the agent's hours at those sites only.
    auto& rules = answer["rules"];
    rules.erase(
        std::remove_if(rules.begin(), rules.end(),
                       [&](const json& rule) {
                           return !request.principal.covers(rule["site_id"].get<std::string>());
                       }),
        rules.end());
    return json_response(200, answer.dump());
}

desk::Principal::Kind require_agent(const ApiRequest& request) {
    if (request.principal.kind != desk::Principal::Kind::Agent)
        throw Problem(403, "Only an agent has a presence.");
    return request.principal.kind;
}

Response put_presence(ApiRequest& request) {
    require_agent(request);
    auto body = JsonFields::parse_object(request.http);
    JsonFields fields(body, {"state"});
    auto wanted = fields.one_of("state", true, {"available", "away", "offline"});
    fields.finish();
    auto change =
        desk::AgentPresence::set(request.db, request.now, request.principal,
                                 request.http.client_address, *domain::Presence::parse(*wanted));
    if (change.refused_from)
        throw Problem(409, "The agent's current state (" +
                               std::string(domain::Presence::name(*change.refused_from)) +
                               ") does not allow this.");
    return json_response(200, change.json);
}

Response get_me(ApiRequest& request) {
    require_agent(request);
    auto agent = json::parse(agent_json(request.db, request.principal.id));
    agent["presence"] =
        json::parse(desk::AgentPresence::presence_json(request.db, request.principal.id));
    return json_response(200, agent.dump());
}

}  // namespace

void add_agent_routes(Router& router, ApiContext& ctx) {
    const desk::Roles any_agent = Role::Agent | Role::Supervisor | Role::Admin;
    serve_hashing(router, ctx, "POST", "/agents", Role::Admin,
                  {prepare_agent, hash_new_password, create_agent});
    serve(router, ctx, "GET", "/agents", Role::Admin | Role::Supervisor, list_agents);
    serve(router, ctx, "GET", "/agents/me", any_agent, get_me);
    serve(router, ctx, "PUT", "/agents/me/presence", any_agent, put_presence);
    serve(router, ctx, "GET", "/agents/{id}", Role::Admin | Role::Supervisor, get_agent);
    serve(router, ctx, "PATCH", "/agents/{id}", Role::Admin, patch_agent);
    serve(router, ctx, "PUT", "/agents/{id}/availability", Role::Admin, put_availability);
    serve(router, ctx, "GET", "/agents/{id}/availability", Role::Admin | Role::Supervisor,
          get_availability);
}

}  // namespace vg::http::api

// Agents: accounts, weekly availability, and their own presence.
#include <algorithm>
#include <set>

#include "common/Secret.hpp"
#include "desk/Queue.hpp"
#include "domain/Presence.hpp"
#include "domain/TimeFormat.hpp"
#include "domain/Validation.hpp"
#include "http/Problem.hpp"
#include "http/api/Auth.hpp"
#include "http/api/Endpoint.hpp"
#include "http/api/JsonFields.hpp"
#include "http/api/Paging.hpp"
#include "http/api/Routes.hpp"

namespace vg::http::api {

namespace {

using domain::TimeFormat;
using domain::Validation;
using nlohmann::json;

// A PostgreSQL array literal of values already checked to hold no quote, comma or brace.
std::string array_literal(const std::vector<std::string>& items) {
    std::string out = "{";
    for (const auto& item : items) out += (out.size() > 1 ? "," : "") + item;
    return out + "}";
}

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

// Every id of ids exists in table (a fixed name of ours); else a field error.
void check_exist(ApiRequest& request, JsonFields& fields, const char* table, std::string_view field,
                 const std::vector<std::string>& ids) {
    if (ids.empty()) return;
    auto rows = request.db.exec(
        std::string("SELECT count(*) FROM ") + table + " WHERE id = ANY($1::uuid[])",
        {array_literal(ids)});
    if (std::stoul(std::string(rows.get(0, 0))) != ids.size())
        fields.add_error(std::string(field), "names something that does not exist");
}

std::string agent_json(db::Connection& db, const std::string& agent_id) {
    auto rows = db.exec("SELECT vg_agent_json(a)::text FROM agents a WHERE a.id = $1", {agent_id});
    if (rows.rows() == 0) throw Problem(404, "There is no such agent.");
    return std::string(rows.get(0, 0));
}

Response create_agent(ApiRequest& request) {
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
    check_exist(request, fields, "sites", "site_ids", site_ids);
    check_exist(request, fields, "services", "service_ids", service_ids);
    fields.finish();
    auto password_hash =
        common::secret::hash_password(*password, request.ctx.options.password_iterations);
    return request.db.transaction([&](db::Connection& db) {
        auto rows = db.exec(
            "INSERT INTO agents (email, display_name, password_hash, roles, created_at, "
            "updated_at) VALUES ($1, $2, $3, $4::text[], $5, $5) "
            "ON CONFLICT (lower(email)) DO NOTHING RETURNING id::text",
            {*email, *display_name, password_hash, array_literal(roles), request.now});
        if (rows.rows() == 0) throw Problem(409, "An agent with this email exists already.");
        std::string id(rows.get(0, 0));
        db.exec("INSERT INTO agent_sites SELECT $1, unnest($2::uuid[])",
                {id, array_literal(site_ids)});
        db.exec("INSERT INTO agent_services SELECT $1, unnest($2::uuid[])",
                {id, array_literal(service_ids)});
        db.exec("INSERT INTO agent_languages SELECT $1, unnest($2::text[])",
                {id, array_literal(languages)});
        db.exec(
            "INSERT INTO agent_presence (agent_id, state, since, last_seen_at) "
            "VALUES ($1, 'offline', $2, $2)",
            {id, request.now});
        request.audit("agent.create", "agent", id,
                      json{{"email", *email}, {"roles", roles}}.dump());
        auto response = json_response(201, agent_json(db, id));
        response.headers.emplace_back("Location", "/api/v1/agents/" + id);
        return response;
    });
}

Response list_agents(ApiRequest& request) {
    auto page = Paging::read(request.http, Validation::is_uuid);
    // A supervisor sees the agents of the sites they cover.
    auto rows = request.db.exec(
        "SELECT vg_agent_json(a)::text, a.id::text FROM agents a "
        "WHERE ($1::uuid IS NULL OR a.id > $1::uuid) AND ($2::uuid[] IS NULL OR EXISTS "
        "(SELECT 1 FROM agent_sites s WHERE s.agent_id = a.id AND s.site_id = ANY($2))) "
        "ORDER BY a.id LIMIT $3",
        {page.after, Paging::site_scope(request.principal), std::to_string(page.limit + 1)});
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
    return json_response(200, body.dump());
}

std::string rules_json(db::Connection& db, const std::string& agent_id) {
    auto rows = db.exec(
        "SELECT coalesce(jsonb_agg(jsonb_build_object('weekday', weekday, 'start', "
        "to_char(start_time, 'HH24:MI'), 'end', CASE WHEN end_time = '24:00' THEN '24:00' ELSE "
        "to_char(end_time, 'HH24:MI') END, 'site_id', site_id) ORDER BY weekday, start_time, "
        "site_id), '[]')::text FROM availability_rules WHERE agent_id = $1",
        {agent_id});
    return "{\"agent_id\":\"" + agent_id + "\",\"rules\":" + std::string(rows.get(0, 0)) + "}";
}

Response put_availability(ApiRequest& request) {
    auto agent_id = request.id("id");
    agent_json(request.db, agent_id);
    auto body = JsonFields::parse_object(request.http);
    JsonFields fields(body, {"rules"});
    struct Rule {
        int weekday, start, end;
        std::string site_id;
    };
    std::vector<Rule> rules;
    if (const json* list = fields.array("rules", true, 200)) {
        auto covered = request.db.exec(
            "SELECT coalesce(string_agg(site_id::text, ','), '') FROM agent_sites "
            "WHERE agent_id = $1",
            {agent_id});
        std::string sites(covered.get(0, 0));
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
            if (site_id && sites.find(*site_id) == std::string::npos)
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
    return request.db.transaction([&](db::Connection& db) {
        db.exec("SELECT 1 FROM agents WHERE id = $1 FOR UPDATE", {agent_id});
        auto before = rules_json(db, agent_id);
        db.exec("DELETE FROM availability_rules WHERE agent_id = $1", {agent_id});
        for (const auto& r : rules) {
            db.exec(
                "INSERT INTO availability_rules (agent_id, site_id, weekday, start_time, "
                "end_time) VALUES ($1, $2, $3, $4::time, $5::time)",
                {agent_id, r.site_id, std::to_string(r.weekday),
                 TimeFormat::format_time_of_day(r.start), TimeFormat::format_time_of_day(r.end)});
        }
        auto after = rules_json(db, agent_id);
        request.audit(
            "agent.availability", "agent", agent_id,
            json{{"before", json::parse(before)["rules"]}, {"after", json::parse(after)["rules"]}}
                .dump());
        return json_response(200, after);
    });
}

Response get_availability(ApiRequest& request) {
    auto agent_id = request.id("id");
    require_shared_site(request, json::parse(agent_json(request.db, agent_id)));
    auto answer = json::parse(rules_json(request.db, agent_id));
    // A supervisor of some sites sees the agent's hours at those sites only.
    auto& rules = answer["rules"];
    rules.erase(std::remove_if(rules.begin(), rules.end(),
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

std::string presence_json(db::Connection& db, const std::string& agent_id) {
    auto rows = db.exec(
        "SELECT jsonb_build_object('state', state, 'since', vg_time(since))::text "
        "FROM agent_presence WHERE agent_id = $1",
        {agent_id});
    if (rows.rows() == 0) return R"({"state":"offline","since":null})";
    return std::string(rows.get(0, 0));
}

Response put_presence(ApiRequest& request) {
    require_agent(request);
    auto body = JsonFields::parse_object(request.http);
    JsonFields fields(body, {"state"});
    auto wanted = fields.one_of("state", true, {"available", "away", "offline"});
    fields.finish();
    const auto& agent_id = request.principal.id;
    return request.db.transaction([&](db::Connection& db) {
        db.exec(
            "INSERT INTO agent_presence (agent_id, state, since, last_seen_at) VALUES "
            "($1, 'offline', $2, $2) ON CONFLICT (agent_id) DO NOTHING",
            {agent_id, request.now});
        auto rows = db.exec("SELECT state::text FROM agent_presence WHERE agent_id = $1 FOR UPDATE",
                            {agent_id});
        auto from = *domain::Presence::parse(rows.get(0, 0));
        auto to = *domain::Presence::parse(*wanted);
        if (!domain::Presence::agent_may_set(from, to))
            throw Problem(409, "The agent's current state (" +
                                   std::string(domain::Presence::name(from)) +
                                   ") does not allow this.");
        if (from == domain::PresenceState::Offered)
            desk::Queue::return_offers_of(db, request.now, agent_id);
        if (from != to) {
            db.exec(
                "UPDATE agent_presence SET state = $2::presence_state, since = $3, "
                "last_seen_at = $3 WHERE agent_id = $1",
                {agent_id, *wanted, request.now});
            request.audit("agent.presence", "agent", agent_id,
                          json{{"from", domain::Presence::name(from)}, {"to", *wanted}}.dump());
            request.event("presence.changed", std::nullopt, agent_id, std::nullopt, agent_id);
        } else {
            db.exec("UPDATE agent_presence SET last_seen_at = $2 WHERE agent_id = $1",
                    {agent_id, request.now});
        }
        return json_response(200, presence_json(db, agent_id));
    });
}

Response get_me(ApiRequest& request) {
    require_agent(request);
    auto agent = json::parse(agent_json(request.db, request.principal.id));
    agent["presence"] = json::parse(presence_json(request.db, request.principal.id));
    return json_response(200, agent.dump());
}

}  // namespace

void add_agent_routes(Router& router, ApiContext& ctx) {
    const desk::Roles any_agent = Role::Agent | Role::Supervisor | Role::Admin;
    serve(router, ctx, "POST", "/agents", Role::Admin, create_agent);
    serve(router, ctx, "GET", "/agents", Role::Admin | Role::Supervisor, list_agents);
    serve(router, ctx, "GET", "/agents/me", any_agent, get_me);
    serve(router, ctx, "PUT", "/agents/me/presence", any_agent, put_presence);
    serve(router, ctx, "GET", "/agents/{id}", Role::Admin | Role::Supervisor, get_agent);
    serve(router, ctx, "PUT", "/agents/{id}/availability", Role::Admin, put_availability);
    serve(router, ctx, "GET", "/agents/{id}/availability", Role::Admin | Role::Supervisor,
          get_availability);
}

}  // namespace vg::http::api

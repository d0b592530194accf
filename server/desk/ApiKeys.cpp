#include "desk/ApiKeys.hpp"

#include <stdexcept>

#include "common/Secret.hpp"
#include "domain/Validation.hpp"

namespace vg::desk {

namespace {

// What an API key looks like to an administrator: never its secret, not even its hash.
constexpr const char* kApiKeyJson =
    "jsonb_build_object('id', id, 'name', name, 'role', role, 'created_at', "
    "vg_time(created_at), 'created_by', created_by, 'expires_at', vg_time(expires_at), "
    "'revoked_at', vg_time(revoked_at))::text";

void check(const std::string& name, const std::string& role) {
    if (role != "admin" && role != "scheduler" && role != "supervisor")
        throw std::invalid_argument("role must be admin, scheduler or supervisor");
    auto length = domain::Validation::code_points(name);
    if (!domain::Validation::is_single_line(name) || length < 1 || length > 200)
        throw std::invalid_argument("name must be one line of 1 to 200 characters");
}

}  // namespace

std::string create_api_key(db::Connection& db, const std::string& name, const std::string& role) {
    return create_api_key(db, name, role, std::nullopt, "cli").token;
}

NewApiKey create_api_key(db::Connection& db, const std::string& name, const std::string& role,
                         const std::optional<std::string>& expires_at,
                         const std::string& created_by) {
    check(name, role);
    NewApiKey key;
    key.token = common::secret::random_token();
    auto rows = db.exec(
        "INSERT INTO api_keys (name, role, key_hash, expires_at, created_by) "
        "VALUES ($1, $2::api_role, $3, $4, $5) RETURNING id::text, " +
            std::string(kApiKeyJson),
        {name, role, common::secret::token_hash(key.token), expires_at, created_by});
    key.id = std::string(rows.get(0, 0));
    key.json = std::string(rows.get(0, 1));
    return key;
}

db::Result list_api_keys(db::Connection& db, const std::optional<std::string>& after_id,
                         int limit) {
    return db.exec(std::string("SELECT ") + kApiKeyJson +
                       ", id::text FROM api_keys WHERE ($1::uuid IS NULL OR id > $1::uuid) "
                       "ORDER BY id LIMIT $2",
                   {after_id, std::to_string(limit)});
}

KeyRevocation revoke_api_key(db::Connection& db, const std::string& now, const std::string& id,
                             const std::string& revoked_by) {
    auto rows = db.exec(
        "UPDATE api_keys SET revoked_at = $2, revoked_by = $3 WHERE id = $1 "
        "AND revoked_at IS NULL RETURNING id",
        {id, now, revoked_by});
    if (rows.rows() == 0)
        return db.exec("SELECT 1 FROM api_keys WHERE id = $1", {id}).rows() == 0
                   ? KeyRevocation::NoSuchKey
                   : KeyRevocation::AlreadyRevoked;
    // Every node closes the key's live-events connections as this commits.
    db.exec("INSERT INTO domain_events (type, object_id, at) VALUES ('api_key.revoked', $1, $2)",
            {id, now});
    return KeyRevocation::Revoked;
}

void ensure_api_key(db::Connection& db, const std::string& token, const std::string& role,
                    const std::string& name) {
    check(name, role);
    if (token.size() < 16 || token.size() > 256)
        throw std::invalid_argument("the key must have 16 to 256 characters");
    db.exec(
        "INSERT INTO api_keys (name, role, key_hash, created_by) VALUES ($1, $2::api_role, $3, "
        "'bootstrap') ON CONFLICT (key_hash) DO NOTHING",
        {name, role, common::secret::token_hash(token)});
}

std::string load_join_token_key(db::Connection& db) {
    auto rows = db.exec("SELECT value FROM server_settings WHERE name = 'join_token_key'");
    if (rows.rows() != 1) throw std::runtime_error("server_settings has no join_token_key");
    return std::string(rows.get(0, 0));
}

}  // namespace vg::desk

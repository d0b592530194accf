#pragma once
// API keys for the command line (`visioguichet create-api-key`) and the bootstrap admin key
// (VISIOGUICHET_BOOTSTRAP_ADMIN_KEY), and the join-token key every node shares.
#include <optional>
#include <string>

#include "db/Connection.hpp"

namespace vg::desk {

// Makes a new key; returns the token (shown once, stored only as its hash). role: "admin",
// "scheduler" or "supervisor"; name: 1-200 characters. Throws std::invalid_argument otherwise.
std::string create_api_key(db::Connection& db, const std::string& name, const std::string& role);

struct NewApiKey {
    std::string id;
    std::string token;  // shown once
    std::string json;   // as api_key_json() shows it
};

// The same, through the REST API: an optional expiry (RFC 3339, checked by the caller), and who
// made it ("api_key:<id>", "agent:<id>").
NewApiKey create_api_key(db::Connection& db, const std::string& name, const std::string& role,
                         const std::optional<std::string>& expires_at,
                         const std::string& created_by);

// The SQL expression (over a row of api_keys) of a key as GET /api-keys shows it: no secret.
std::string api_key_json();

// Revokes the key now (false when there is none, or it was revoked already); its live-events
// connections close on every node (event api_key.revoked).
bool revoke_api_key(db::Connection& db, const std::string& now, const std::string& id,
                    const std::string& revoked_by);

// The bootstrap key: after it, a key with exactly this token exists with this role, unless it
// was revoked, which is for good (a restart never revives it). At least 16 characters.
void ensure_api_key(db::Connection& db, const std::string& token, const std::string& role,
                    const std::string& name);

// The HMAC key of call-session join tokens (domain/JoinToken.hpp), made by the migrations.
std::string load_join_token_key(db::Connection& db);

}  // namespace vg::desk

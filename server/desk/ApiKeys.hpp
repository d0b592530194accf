#pragma once
// API keys for the command line (`visioguichet create-api-key`) and the bootstrap admin key
// (VISIOGUICHET_BOOTSTRAP_ADMIN_KEY), and the join-token key every node shares.
#include <optional>
#include <string>

#include "db/Connection.hpp"
#include "db/Result.hpp"

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

// Rows (the key as GET /api-keys shows it, without its secret; id) of the keys after after_id in
// id order, at most limit.
db::Result list_api_keys(db::Connection& db, const std::optional<std::string>& after_id, int limit);

enum class KeyRevocation { Revoked, AlreadyRevoked, NoSuchKey };

// Revokes the key now; its live-events connections close on every node (event api_key.revoked).
KeyRevocation revoke_api_key(db::Connection& db, const std::string& now, const std::string& id,
                             const std::string& revoked_by);

// The bootstrap key: after it, a key with exactly this token exists with this role, unless it
// was revoked, which is for good (a restart never revives it). At least 16 characters.
void ensure_api_key(db::Connection& db, const std::string& token, const std::string& role,
                    const std::string& name);

// The HMAC key of call-session join tokens (domain/JoinToken.hpp), made by the migrations.
std::string load_join_token_key(db::Connection& db);

}  // namespace vg::desk

#pragma once
// API keys for the command line (`visioguichet create-api-key`) and the bootstrap admin key
// (VISIOGUICHET_BOOTSTRAP_ADMIN_KEY), and the join-token key every node shares.
#include <string>

#include "db/Connection.hpp"

namespace vg::desk {

// Makes a new key; returns the token (shown once, stored only as its hash). role: "admin",
// "scheduler" or "supervisor"; name: 1-200 characters. Throws std::invalid_argument otherwise.
std::string create_api_key(db::Connection& db, const std::string& name, const std::string& role);

// After it, a key with exactly this token exists with this role and is not revoked (the token
// must have at least 16 characters).
void ensure_api_key(db::Connection& db, const std::string& token, const std::string& role,
                    const std::string& name);

// The HMAC key of call-session join tokens (domain/JoinToken.hpp), made by the migrations.
std::string load_join_token_key(db::Connection& db);

}  // namespace vg::desk

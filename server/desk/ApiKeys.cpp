#include "desk/ApiKeys.hpp"

#include <stdexcept>

#include "common/Secret.hpp"
#include "domain/Validation.hpp"

namespace vg::desk {

namespace {

void check(const std::string& name, const std::string& role) {
    if (role != "admin" && role != "scheduler" && role != "supervisor")
        throw std::invalid_argument("role must be admin, scheduler or supervisor");
    auto length = domain::Validation::code_points(name);
    if (!domain::Validation::is_single_line(name) || length < 1 || length > 200)
        throw std::invalid_argument("name must be one line of 1 to 200 characters");
}

}  // namespace

std::string create_api_key(db::Connection& db, const std::string& name, const std::string& role) {
    check(name, role);
    auto token = common::secret::random_token();
    db.exec("INSERT INTO api_keys (name, role, key_hash) VALUES ($1, $2::api_role, $3)",
            {name, role, common::secret::token_hash(token)});
    return token;
}

void ensure_api_key(db::Connection& db, const std::string& token, const std::string& role,
                    const std::string& name) {
    check(name, role);
    if (token.size() < 16 || token.size() > 256)
        throw std::invalid_argument("the key must have 16 to 256 characters");
    db.exec(
        "INSERT INTO api_keys (name, role, key_hash, created_by) VALUES ($1, $2::api_role, $3, "
        "'bootstrap') ON CONFLICT (key_hash) DO UPDATE SET role = EXCLUDED.role, "
        "revoked_at = NULL, revoked_by = NULL",
        {name, role, common::secret::token_hash(token)});
}

std::string load_join_token_key(db::Connection& db) {
    auto rows = db.exec("SELECT value FROM server_settings WHERE name = 'join_token_key'");
    if (rows.rows() != 1) throw std::runtime_error("server_settings has no join_token_key");
    return std::string(rows.get(0, 0));
}

}  // namespace vg::desk

#include "desk/BoothCredentials.hpp"

#include "common/Secret.hpp"
#include "desk/DomainEvents.hpp"

namespace vg::desk {

std::optional<std::string> BoothCredentials::rotate(db::Connection& db, const std::string& now,
                                                    const Principal& booth,
                                                    const std::string& address) {
    auto token = common::secret::random_token();
    return db.transaction([&](db::Connection& tx) -> std::optional<std::string> {
        auto rotated =
            tx.exec("UPDATE booths SET device_token_hash = $2 WHERE id = $1 AND revoked_at IS NULL",
                    {booth.id, common::secret::token_hash(token)});
        if (rotated.affected_rows() == 0) return std::nullopt;
        DomainEvents::audit(tx, now, booth, address, "booth.rotate_credential", "booth", booth.id);
        return token;
    });
}

}  // namespace vg::desk

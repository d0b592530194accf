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

std::optional<Enrolment> BoothCredentials::enroll(db::Connection& db, const std::string& now,
                                                  const std::string& enrollment_token,
                                                  const std::string& address) {
    auto booth_token = common::secret::random_token();
    return db.transaction([&](db::Connection& tx) -> std::optional<Enrolment> {
        auto rows = tx.exec(
            "UPDATE booths SET enrolled_at = $2, device_token_hash = $3, "
            "enrollment_token_hash = NULL WHERE enrollment_token_hash = $1 "
            "AND enrolled_at IS NULL AND revoked_at IS NULL AND enrollment_expires_at > $2 "
            "RETURNING id::text, vg_booth_json(booths)::text, "
            "(SELECT vg_site_json(s)::text FROM sites s WHERE s.id = booths.site_id)",
            {common::secret::token_hash(enrollment_token), now,
             common::secret::token_hash(booth_token)});
        if (rows.rows() == 0) return std::nullopt;
        Enrolment enrolment{booth_token, std::string(rows.get(0, 0)), std::string(rows.get(0, 1)),
                            std::string(rows.get(0, 2))};
        Principal booth;
        booth.kind = Principal::Kind::Booth;
        booth.id = enrolment.booth_id;
        DomainEvents::audit(tx, now, booth, address, "booth.enroll", "booth", booth.id);
        return enrolment;
    });
}

}  // namespace vg::desk

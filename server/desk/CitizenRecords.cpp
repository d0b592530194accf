#include "desk/CitizenRecords.hpp"

namespace vg::desk {
namespace {

// The WHERE clause over appointments a, $1 the e-mail, $2 the phone's digits.
constexpr const char* kMatches =
    " (($1::text IS NOT NULL AND lower(a.citizen_email) = lower($1::text)) OR "
    "($2::text IS NOT NULL AND regexp_replace(a.citizen_phone, '[^0-9]', '', 'g') = $2::text)) ";

std::vector<std::string> split_ids(std::string_view list) {
    std::vector<std::string> ids;
    while (!list.empty()) {
        auto comma = list.find(',');
        ids.emplace_back(list.substr(0, comma));
        if (comma == std::string_view::npos) break;
        list.remove_prefix(comma + 1);
    }
    return ids;
}

}  // namespace

std::string CitizenRecords::export_json(db::Connection& db, const CitizenKey& key,
                                        std::vector<std::string>& appointment_ids) {
    auto rows = db.exec(
        std::string(
            "SELECT jsonb_build_object('appointments', coalesce(jsonb_agg("
            "  vg_appointment_json(a) || jsonb_build_object("
            "    'history', (SELECT coalesce(jsonb_agg(jsonb_build_object('action', h.action, "
            "      'at', vg_time(h.at), 'actor', h.actor, 'details', h.details) ORDER BY h.id), "
            "      '[]') FROM appointment_history h WHERE h.appointment_id = a.id), "
            "    'call_sessions', (SELECT coalesce(jsonb_agg(jsonb_build_object('id', c.id, "
            "      'started_at', vg_time(c.started_at), 'ended_at', vg_time(c.ended_at), "
            "      'outcome', c.outcome, 'notes', c.notes) ORDER BY c.started_at), '[]') "
            "      FROM call_sessions c WHERE c.appointment_id = a.id), "
            "    'audit', (SELECT coalesce(jsonb_agg(jsonb_build_object('at', vg_time(e.at), "
            "      'action', e.action, 'actor_kind', e.actor_kind, 'actor_id', e.actor_id) "
            "      ORDER BY e.id), '[]') FROM audit_events e "
            "      WHERE e.object_type = 'appointment' AND e.object_id = a.id::text)) "
            "  ORDER BY a.starts_at, a.id), '[]'))::text, "
            "coalesce(string_agg(a.id::text, ','), '') FROM appointments a WHERE") +
            kMatches,
        {key.email, key.phone_digits});
    appointment_ids = split_ids(rows.get(0, 1));
    return std::string(rows.get(0, 0));
}

Erasure CitizenRecords::erase(db::Connection& db, const CitizenKey& key, const std::string& now,
                              std::vector<std::string>& appointment_ids) {
    // Locked, so that a check-in cannot make one live meanwhile.
    auto rows = db.exec(std::string("SELECT a.id::text, a.status IN ('booked', 'checked_in', "
                                    "'in_call') FROM appointments a WHERE") +
                            kMatches + "AND a.anonymized_at IS NULL ORDER BY a.id FOR UPDATE",
                        {key.email, key.phone_digits});
    Erasure erasure;
    std::string ids = "{";
    appointment_ids.clear();
    for (int i = 0; i < rows.rows(); ++i) {
        if (rows.get(i, 1) == "t") ++erasure.live;
        appointment_ids.emplace_back(rows.get(i, 0));
        ids += (i > 0 ? "," : "") + appointment_ids.back();
    }
    ids += '}';
    if (erasure.live > 0 || appointment_ids.empty()) return erasure;
    auto done = db.exec("SELECT vg_anonymize_appointments($1::uuid[], $2::timestamptz)",
                        {ids, now});
    erasure.anonymized = std::stoi(std::string(done.get(0, 0)));
    return erasure;
}

}  // namespace vg::desk

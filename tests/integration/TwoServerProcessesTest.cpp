// Two real `visioguichet serve` processes on one database: a change made through one process's
// REST API reaches the live-events clients of both (LISTEN/NOTIFY carries it between them).
#include <gtest/gtest.h>

#include <functional>
#include <nlohmann/json.hpp>

#include "integration/ServerProcess.hpp"
#include "support/HttpClient.hpp"
#include "support/TestDatabase.hpp"
#include "support/WebSocketClient.hpp"

namespace vg::test {
namespace {

using nlohmann::json;

const std::string kAdminKey = "bootstrap-key-for-two-servers-0123456789";

// POST or PUT with a JSON body; the answer's JSON (null when it has none). Fails the test on an
// unexpected status.
json send(const ServerProcess& server, const std::string& method, const std::string& path,
          const std::string& token, const json& body, int expected_status) {
    auto response = http_request(
        method, "127.0.0.1", server.http_port(), "/api/v1" + path,
        {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}}, body.dump());
    EXPECT_EQ(response.status, expected_status) << method << " " << path << ": " << response.body;
    return response.body.empty() ? json() : json::parse(response.body, nullptr, false);
}

// A console connected to one process's /api/v1/events, past its hello and snapshot.
class Console {
  public:
    Console(const ServerProcess& server, const std::string& token)
        : ws_("127.0.0.1", server.http_port(), "/api/v1/events") {
        ws_.send_text(json{{"type", "hello"}, {"token", token}}.dump());
        EXPECT_EQ(next_message().value("type", ""), "hello");
        EXPECT_EQ(next_message().value("type", ""), "snapshot");
    }

    // The next message of this type that satisfies wanted, skipping others (bounded).
    json next(const std::string& type, const std::function<bool(const json&)>& wanted) {
        for (int i = 0; i < 100; ++i) {
            auto message = next_message();
            if (message.value("type", "") == type && wanted(message)) return message;
        }
        ADD_FAILURE() << "no such " << type << " message";
        return nullptr;
    }

  private:
    json next_message() {
        auto text = ws_.receive_text();
        auto message = json::parse(text, nullptr, false);
        EXPECT_FALSE(message.is_discarded()) << text;
        return message;
    }

    WebSocketClient ws_;
};

// The entry of a queue.changed message with this id, else null.
json entry_in(const json& queue_changed, const std::string& entry_id) {
    for (const auto& entry : queue_changed.value("entries", json::array()))
        if (entry.value("id", "") == entry_id) return entry;
    return nullptr;
}

std::function<bool(const json&)> lists(const std::string& entry_id) {
    return [entry_id](const json& message) { return !entry_in(message, entry_id).is_null(); };
}

std::function<bool(const json&)> offers(const std::string& entry_id) {
    return
        [entry_id](const json& message) { return message.value("queue_entry_id", "") == entry_id; };
}

TEST(TwoServerProcesses, BothPushTheEventsOfChangesMadeThroughEither) {
    TestDatabase database(TestDatabase::Schema::Empty);
    ServerProcess a(database.url(), {{"VISIOGUICHET_BOOTSTRAP_ADMIN_KEY", kAdminKey}});
    ServerProcess b(database.url());

    // Set up through A: a site with a walk-in service, an enrolled booth, an agent.
    auto site = send(a, "POST", "/sites", kAdminKey,
                     {{"code", "NIC"}, {"name_fr", "Nicolet"}, {"name_en", "Nicolet"}}, 201)["id"];
    auto service = send(a, "POST", "/services", kAdminKey,
                        {{"code", "EMP"},
                         {"name_fr", "Emploi"},
                         {"name_en", "Employment"},
                         {"duration_minutes", 20},
                         {"walk_in_allowed", true}},
                        201)["id"];
    auto enrollment = send(a, "POST", "/sites/" + site.get<std::string>() + "/booths", kAdminKey,
                           {{"label", "Cabine 1"}}, 201)["enrollment_token"];
    auto booth_token =
        send(a, "POST", "/booth/enroll", "", {{"enrollment_token", enrollment}}, 200)["booth_token"]
            .get<std::string>();
    send(a, "POST", "/agents", kAdminKey,
         {{"email", "marie@example.org"},
          {"display_name", "Marie"},
          {"password", "correct horse battery staple"},
          {"roles", {"agent"}},
          {"site_ids", {site}},
          {"service_ids", {service}},
          {"languages", {"fr"}}},
         201);
    // The agent logs in and becomes available through B.
    auto agent_token =
        send(b, "POST", "/auth/login", "",
             {{"email", "marie@example.org"}, {"password", "correct horse battery staple"}},
             200)["token"]
            .get<std::string>();
    send(b, "PUT", "/agents/me/presence", agent_token, {{"state", "available"}}, 200);

    // The agent's console is open on both processes.
    Console on_a(a, agent_token);
    Console on_b(b, agent_token);

    // A citizen walks in through A: both consoles see the queue with the new entry, alike.
    auto entry = send(a, "POST", "/booth/walk-in", booth_token,
                      {{"service_id", service}, {"language", "fr"}}, 201)["queue_entry_id"]
                     .get<std::string>();
    auto seen_on_a = on_a.next("queue.changed", lists(entry));
    auto seen_on_b = on_b.next("queue.changed", lists(entry));
    ASSERT_FALSE(seen_on_a.is_null());
    EXPECT_EQ(seen_on_a, seen_on_b);
    EXPECT_EQ(entry_in(seen_on_b, entry)["state"], "waiting");

    // The agent claims it through B: the offer reaches the console on A too.
    auto claimed = send(b, "POST", "/queue/claim-next", agent_token, json::object(), 200);
    EXPECT_EQ(claimed["id"], entry);
    auto offer_on_a = on_a.next("offer", offers(entry));
    auto offer_on_b = on_b.next("offer", offers(entry));
    EXPECT_EQ(offer_on_a, offer_on_b);
    EXPECT_EQ(offer_on_a["queue_entry_id"], entry);
}

}  // namespace
}  // namespace vg::test

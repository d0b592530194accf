// Credentials after creation (CONTRACT.md; issue 14 item 3): agents edited and deactivated under
// If-Match, passwords changed and reset, API keys that expire and are revoked at once, the
// bootstrap key never revived, agent sessions that end when idle.
#include "api/ApiFixture.hpp"
#include "desk/ApiKeys.hpp"

namespace vg::test {
namespace {

using nlohmann::json;

class CredentialLifecycle : public ApiTest {
  protected:
    void SetUp() override {
        ApiTest::SetUp();
        site_ = make_site("CRD")["id"];
        agent_ = make_agent(kEmail, {"agent"}, {site_}, json::array())["id"];
    }

    std::string etag_of_agent() {
        auto r = call("GET", "/api/v1/agents/" + agent_, admin_);
        EXPECT_EQ(r.status, 200) << r.raw;
        return r.header("ETag");
    }
    Reply patch_agent(const json& body, const std::string& etag) {
        Headers headers;
        if (!etag.empty()) headers["If-Match"] = etag;
        return call("PATCH", "/api/v1/agents/" + agent_, admin_, body, headers);
    }
    Reply login_with(const std::string& password) {
        return call("POST", "/api/v1/auth/login", "",
                    json{{"email", kEmail}, {"password", password}});
    }
    void advance(std::chrono::seconds by) { now_us_ += std::chrono::microseconds(by).count(); }

    static constexpr const char* kEmail = "agent@example.org";
    std::string site_;
    std::string agent_;
};

TEST_F(CredentialLifecycle, AgentEditsNeedTheCurrentETag) {
    auto etag = etag_of_agent();
    EXPECT_EQ(etag, "\"1\"");
    auto before = snapshot();
    EXPECT_EQ(patch_agent({{"display_name", "New name"}}, "").status, 428);
    EXPECT_EQ(patch_agent({{"display_name", "New name"}}, "\"7\"").status, 412);
    EXPECT_EQ(patch_agent({{"roles", json::array()}}, etag).status, 422);
    EXPECT_EQ(patch_agent({{"site_ids", {"0f8fad5b-d9cb-469f-a165-70867728950e"}}}, etag).status,
              422);
    EXPECT_EQ(patch_agent({{"password", "not here"}}, etag).status, 422);
    EXPECT_EQ(snapshot(), before);

    auto other = make_site("CR2")["id"].get<std::string>();
    auto r = patch_agent(
        {{"display_name", "New name"}, {"roles", {"agent", "supervisor"}}, {"site_ids", {other}}},
        etag);
    ASSERT_EQ(r.status, 200) << r.raw;
    EXPECT_EQ(r.header("ETag"), "\"2\"");
    EXPECT_EQ(r.body["display_name"], "New name");
    EXPECT_EQ(r.body["roles"], json({"agent", "supervisor"}));
    EXPECT_EQ(r.body["site_ids"], json({other}));
    // The old ETag is stale now.
    EXPECT_EQ(patch_agent({{"display_name", "Again"}}, etag).status, 412);
    EXPECT_EQ(count("audit_events WHERE action = 'agent.update'"), 1);
    // The new roles and sites hold from the next request.
    auto token = login(kEmail);
    auto me = call("GET", "/api/v1/agents/me", token);
    EXPECT_EQ(me.body["roles"], json({"agent", "supervisor"}));
    EXPECT_EQ(call("GET", "/api/v1/sites/" + site_ + "/queue", token).status, 403);
}

TEST_F(CredentialLifecycle, DeactivationRevokesEverySessionAtOnce) {
    auto first = login(kEmail);
    auto second = login(kEmail);
    ASSERT_EQ(call("GET", "/api/v1/agents/me", first).status, 200);
    auto r = patch_agent({{"active", false}}, etag_of_agent());
    ASSERT_EQ(r.status, 200) << r.raw;
    EXPECT_EQ(r.body["active"], false);
    EXPECT_EQ(call("GET", "/api/v1/agents/me", first).status, 401);
    EXPECT_EQ(call("GET", "/api/v1/agents/me", second).status, 401);
    EXPECT_EQ(count("agent_sessions WHERE revoked_at IS NULL"), 0);
    EXPECT_EQ(count("domain_events WHERE type = 'agent.revoked'"), 1);
    EXPECT_EQ(count("audit_events WHERE action = 'agent.deactivate'"), 1);
    // Its password no longer opens anything, with the answer of a wrong one.
    EXPECT_EQ(login_with(kPassword).status, 401);
    // Active again: the same password works, the old tokens stay dead.
    ASSERT_EQ(patch_agent({{"active", true}}, etag_of_agent()).status, 200);
    EXPECT_EQ(login_with(kPassword).status, 200);
    EXPECT_EQ(call("GET", "/api/v1/agents/me", first).status, 401);
}

TEST_F(CredentialLifecycle, AnAgentChangesTheirPasswordAndOtherSessionsEnd) {
    auto here = login(kEmail);
    auto elsewhere = login(kEmail);
    auto change = [&](const std::string& current, const std::string& next) {
        return call("PUT", "/api/v1/agents/me/password", here,
                    json{{"current_password", current}, {"new_password", next}});
    };
    EXPECT_EQ(change("wrong password", "a brand new password").status, 403);
    EXPECT_EQ(change(kPassword, "short").status, 422);
    EXPECT_EQ(call("PUT", "/api/v1/agents/me/password", admin_,
                   json{{"current_password", kPassword}, {"new_password", "a brand new one"}})
                  .status,
              403);
    ASSERT_EQ(change(kPassword, "a brand new password").status, 204);
    EXPECT_EQ(call("GET", "/api/v1/agents/me", here).status, 200);
    EXPECT_EQ(call("GET", "/api/v1/agents/me", elsewhere).status, 401);
    EXPECT_EQ(login_with(kPassword).status, 401);
    EXPECT_EQ(login_with("a brand new password").status, 200);
    EXPECT_EQ(count("audit_events WHERE action = 'agent.password_change'"), 1);
}

TEST_F(CredentialLifecycle, AnAdminResetForcesANewPasswordBeforeAnythingElse) {
    auto old = login(kEmail);
    auto reset = [&](const json& body) {
        return call("PUT", "/api/v1/agents/" + agent_ + "/password", admin_, body);
    };
    EXPECT_EQ(reset({{"password", "short"}}).status, 422);
    EXPECT_EQ(call("PUT", "/api/v1/agents/" + agent_ + "/password", old,
                   json{{"password", "temporary password"}})
                  .status,
              403);
    ASSERT_EQ(reset({{"password", "temporary password"}}).status, 204);
    EXPECT_EQ(call("GET", "/api/v1/agents/me", old).status, 401);
    auto r = login_with("temporary password");
    ASSERT_EQ(r.status, 200) << r.raw;
    auto token = r.body["token"].get<std::string>();
    // Only choosing a new password (and reading itself, or leaving) is allowed now.
    EXPECT_EQ(call("GET", "/api/v1/agents/me", token).status, 200);
    auto blocked = call("PUT", "/api/v1/agents/me/presence", token, json{{"state", "available"}});
    EXPECT_EQ(blocked.status, 403);
    EXPECT_NE(blocked.body.value("detail", "").find("password"), std::string::npos);
    ASSERT_EQ(call("PUT", "/api/v1/agents/me/password", token,
                   json{{"current_password", "temporary password"},
                        {"new_password", "chosen by the agent"}})
                  .status,
              204);
    EXPECT_EQ(call("PUT", "/api/v1/agents/me/presence", token, json{{"state", "available"}}).status,
              200);
}

TEST_F(CredentialLifecycle, ApiKeysExpireAreListedWithoutSecretsAndRevokedAtOnce) {
    auto bad =
        call("POST", "/api/v1/api-keys", admin_,
             json{{"role", "scheduler"}, {"name", "past"}, {"expires_at", "2020-01-01T00:00:00Z"}});
    EXPECT_EQ(bad.status, 422);
    EXPECT_EQ(
        call("POST", "/api/v1/api-keys", admin_, json{{"role", "root"}, {"name", "x"}}).status,
        422);
    auto made = call("POST", "/api/v1/api-keys", admin_,
                     json{{"role", "scheduler"},
                          {"name", "Booking desk"},
                          {"expires_at", "2026-11-30T13:00:00Z"}});
    ASSERT_EQ(made.status, 201) << made.raw;
    auto key = made.body["key"].get<std::string>();
    auto id = made.body["id"].get<std::string>();
    EXPECT_EQ(made.body["expires_at"], "2026-11-30T13:00:00Z");
    EXPECT_EQ(call("GET", "/api/v1/services", key).status, 200);
    auto list = call("GET", "/api/v1/api-keys", admin_);
    ASSERT_EQ(list.status, 200);
    EXPECT_EQ(list.body["api_keys"].size(), 2u);
    EXPECT_EQ(list.raw.find(key), std::string::npos);
    for (const auto& item : list.body["api_keys"]) EXPECT_FALSE(item.contains("key"));
    // Expiry: refused from that instant, by the same check as a revoked key.
    advance(std::chrono::hours(1));
    EXPECT_EQ(call("GET", "/api/v1/services", key).status, 401);
    EXPECT_EQ(call("GET", "/api/v1/api-keys", key).status, 401);

    auto other = call("POST", "/api/v1/api-keys", admin_, json{{"role", "admin"}, {"name", "B"}});
    ASSERT_EQ(other.status, 201);
    auto other_key = other.body["key"].get<std::string>();
    EXPECT_EQ(call("GET", "/api/v1/api-keys", other_key).status, 200);
    EXPECT_EQ(call("GET", "/api/v1/api-keys", key).status, 401);  // expired
    EXPECT_EQ(
        call("DELETE", "/api/v1/api-keys/" + other.body["id"].get<std::string>(), admin_).status,
        204);
    EXPECT_EQ(call("GET", "/api/v1/api-keys", other_key).status, 401);
    EXPECT_EQ(
        call("DELETE", "/api/v1/api-keys/" + other.body["id"].get<std::string>(), admin_).status,
        204);
    EXPECT_EQ(
        call("DELETE", "/api/v1/api-keys/0f8fad5b-d9cb-469f-a165-70867728950e", admin_).status,
        404);
    EXPECT_EQ(count("domain_events WHERE type = 'api_key.revoked'"), 1);
    EXPECT_EQ(count("audit_events WHERE action = 'api_key.revoke'"), 1);
    EXPECT_EQ(call("POST", "/api/v1/api-keys", key, json{{"role", "admin"}, {"name", "C"}}).status,
              401);
    (void)id;
}

TEST_F(CredentialLifecycle, ARevokedBootstrapKeyIsNotRevivedByARestart) {
    const std::string bootstrap = "bootstrap-key-of-the-lifecycle-test-0123456789";
    desk::ensure_api_key(sql(), bootstrap, "admin", "bootstrap");
    auto list = call("GET", "/api/v1/api-keys", bootstrap);
    ASSERT_EQ(list.status, 200);
    std::string id;
    for (const auto& item : list.body["api_keys"])
        if (item["created_by"] == "bootstrap") id = item["id"].get<std::string>();
    ASSERT_FALSE(id.empty());
    ASSERT_EQ(call("DELETE", "/api/v1/api-keys/" + id, admin_).status, 204);
    EXPECT_EQ(call("GET", "/api/v1/api-keys", bootstrap).status, 401);
    // What `serve` does at each start with VISIOGUICHET_BOOTSTRAP_ADMIN_KEY still set.
    desk::ensure_api_key(sql(), bootstrap, "admin", "bootstrap");
    EXPECT_EQ(call("GET", "/api/v1/api-keys", bootstrap).status, 401);
    EXPECT_EQ(count("api_keys WHERE created_by = 'bootstrap'"), 1);
}

TEST_F(CredentialLifecycle, AnAgentSessionEndsWhenIdleBesidesItsLifetime) {
    auto token = login(kEmail);
    // Used every 20 minutes, it lives past 30.
    for (int i = 0; i < 4; ++i) {
        advance(std::chrono::minutes(20));
        ASSERT_EQ(call("GET", "/api/v1/agents/me", token).status, 200) << i;
    }
    advance(std::chrono::minutes(31));
    EXPECT_EQ(call("GET", "/api/v1/agents/me", token).status, 401);
    // The setting moves it.
    ctx_->options.agent_session_idle = std::chrono::minutes(90);
    auto longer = login(kEmail);
    advance(std::chrono::minutes(80));
    EXPECT_EQ(call("GET", "/api/v1/agents/me", longer).status, 200);
}

}  // namespace
}  // namespace vg::test

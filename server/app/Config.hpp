#pragma once
// The server's configuration: built-in defaults, then a `key = value` file (--config), then
// VISIOGUICHET_* environment variables (the environment wins). Validated once, at start, with
// messages that name the setting and where it came from.
#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "app/InstallLayout.hpp"

namespace vg::app {

struct HostPort {
    std::string host;
    std::uint16_t port = 0;
    std::string to_string() const;
};

class ConfigError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

struct Config {
    std::string database_url;
    HostPort http_addr{"127.0.0.1", 8080};
    HostPort rtc_addr{"127.0.0.1", 40000};
    std::string public_addr;  // announced in ICE candidates; rtc_addr's host when empty
    std::string public_url;   // base of the links we hand out; http(s)://<http_addr> when empty
    // HTTPS on http_addr when both are set (PEM); SIGHUP reads them again.
    std::string tls_cert_file;
    std::string tls_key_file;
    // Plain HTTP on a non-loopback http_addr only behind a reverse proxy that does TLS; its
    // X-Forwarded-For / -Proto are believed from trusted_proxies (CIDR blocks) only.
    bool behind_proxy = false;
    std::string trusted_proxies;
    HostPort admin_addr{"127.0.0.1", 9090};  // /metrics, /healthz, /readyz; plain HTTP
    int database_wait_seconds = 60;          // serve: how long the first connection is retried
    bool dev_pages = false;                  // serve web/dev/ (test pages)
    // Origins of other nodes' (or sites') pages that may use this node's WebSockets and API from
    // the browser, besides public_url's: "https://node2.example.org, https://b.example.org:8443".
    std::vector<std::string> allowed_origins;
    std::string bootstrap_admin_key;
    std::string log_level = "info";
    std::string log_format = "text";  // text | json
    std::string web_root = installed_or_source_path("web", VG_DEFAULT_WEB_ROOT);
    std::string migrations_dir = installed_or_source_path("migrations", VG_DEFAULT_MIGRATIONS_DIR);
    int db_pool_size = 8;
    int http_threads = 2;
    int media_workers = 0;  // 0: one per core
    int shutdown_grace_seconds = 8;
    int checkin_before_minutes = 30;
    int checkin_after_minutes = 15;
    int offer_timeout_seconds = 20;
    int presence_grace_seconds = 30;
    int wrap_up_seconds = 30;
    int max_connections = 10000;            // on http_addr, every client together
    int max_connections_per_address = 256;  // docs/security.md: an office behind one NAT
    int websocket_messages_per_second = 20;
    int retention_citizen_days = 90;  // docs/privacy.md
    int retention_notes_days = 365;
    int retention_audit_details_days = 365;
    int retention_addresses_days = 90;
    int agent_session_idle_minutes = 30;  // an agent session unused this long stops working
    // TURN (coturn with use-auth-secret): "turn:turn.example.org:3478?transport=udp, turns:..."
    // and coturn's static-auth-secret; both or neither.
    std::vector<std::string> turn_uris;
    std::string turn_secret;
    int turn_credential_ttl_seconds = 3600;
    // Messages to citizens (server/messaging): the SMTP relay (smtp:// with STARTTLS, smtps://),
    // its password (or in the URL), a CA bundle for its certificate, the From header, the
    // template folder, and how the outbox retries.
    std::string smtp_url;
    std::string smtp_password_file;
    std::string smtp_ca_file;
    std::string mail_from;
    std::string message_templates_dir =
        installed_or_source_path("messages", VG_DEFAULT_MESSAGES_DIR);
    int message_retry_seconds = 30;
    int message_max_attempts = 10;
    // SMS: a signed POST to a gateway's adapter (CONTRACT.md); both or neither.
    std::string sms_webhook_url;
    std::string sms_webhook_secret;
    // "24h,2h": reminders this long before the start (units d, h, m); empty: none.
    std::vector<int> reminder_offsets_minutes{24 * 60, 2 * 60};
    // Several nodes on one database: this node's name among them (the host name when empty), how
    // long without a heartbeat before the others take it for lost, and how long SIGTERM waits
    // for its calls to move.
    std::string node_name;
    int node_lost_seconds = 6;
    int drain_seconds = 30;

    // settings: key -> value as written in a file ("http_addr") or the environment
    // ("VISIOGUICHET_HTTP_ADDR"). Throws ConfigError.
    static Config load(const std::optional<std::string>& file,
                       const std::map<std::string, std::string>& environment);
    // The VISIOGUICHET_* variables of this process.
    static std::map<std::string, std::string> process_environment();

    // Checks what the commands that talk to the database need; throws ConfigError.
    void require_database() const;
    bool tls() const { return !tls_cert_file.empty(); }

  private:
    // Settings that only make sense together; throws ConfigError naming the key to change.
    void check() const;
};

}  // namespace vg::app

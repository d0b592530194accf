#include "db/Connection.hpp"

#include <libpq-fe.h>
#include <poll.h>

#include "common/Log.hpp"

namespace vg::db {
namespace {

// Notices ("relation already exists, skipping", or the FATAL a restarting server sends to idle
// connections) go to the log instead of stderr.
void log_notice(void*, const PGresult* notice) {
    const char* severity = PQresultErrorField(notice, PG_DIAG_SEVERITY_NONLOCALIZED);
    const char* message = PQresultErrorField(notice, PG_DIAG_MESSAGE_PRIMARY);
    const std::string_view level = severity != nullptr ? severity : "";
    const bool warning = level == "WARNING" || level == "FATAL" || level == "PANIC";
    common::log::get("db")->log(warning ? spdlog::level::warn : spdlog::level::debug,
                                "postgresql {}: {}", level, message ? message : "");
}

std::string without_newline(const char* text) {
    std::string message = text != nullptr ? text : "";
    while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) {
        message.pop_back();
    }
    return message;
}

}  // namespace

void Connection::Deleter::operator()(pg_conn* c) const {
    PQfinish(c);
}

Connection::Connection(const std::string& conninfo, int connect_timeout_seconds) {
    const std::string timeout = std::to_string(connect_timeout_seconds);
    // The keywords after dbname override the URI's own; keepalives notice a peer that vanished
    // without closing the connection.
    const char* keywords[] = {"dbname",
                              "connect_timeout",
                              "keepalives_idle",
                              "keepalives_interval",
                              "keepalives_count",
                              "fallback_application_name",
                              nullptr};
    const char* values[] = {conninfo.c_str(), timeout.c_str(), "30", "10", "3",
                            "visioguichet",   nullptr};
    conn_.reset(PQconnectdbParams(keywords, values, 1));
    if (!conn_) throw Unavailable("database connection: out of memory");
    if (PQstatus(conn_.get()) != CONNECTION_OK) {
        throw Unavailable("database connection failed: " +
                          without_newline(PQerrorMessage(conn_.get())));
    }
    PQsetNoticeReceiver(conn_.get(), log_notice, nullptr);
}

Connection::~Connection() = default;

bool Connection::ok() const {
    return conn_ && PQstatus(conn_.get()) == CONNECTION_OK;
}

bool Connection::alive() {
    // An idle connection hears from the server only for a notification or a goodbye (a FATAL
    // message, then end of file): read until nothing is left, so that the end of file is seen.
    // Pool connections LISTEN to nothing, so bytes on an idle one are a goodbye whose end of file
    // may still be on its way: once something was read, wait a little for the rest.
    int wait_ms = 0;
    for (int round = 0; round < 8 && ok(); ++round) {
        pollfd descriptor{PQsocket(conn_.get()), POLLIN, 0};
        if (::poll(&descriptor, 1, wait_ms) <= 0 || PQconsumeInput(conn_.get()) == 0) break;
        wait_ms = 50;
    }
    return ok();
}

Result Connection::exec(std::string_view sql, const std::vector<Param>& params) {
    if (!ok()) throw Unavailable("database connection is closed");
    if (params.size() > 65535) throw Error("54000", "too many statement parameters");
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const auto& param : params) values.push_back(param ? param->c_str() : nullptr);
    return check(PQexecParams(conn_.get(), std::string(sql).c_str(),
                              static_cast<int>(params.size()), nullptr, values.data(), nullptr,
                              nullptr, 0));
}

void Connection::exec_script(std::string_view sql) {
    if (!ok()) throw Unavailable("database connection is closed");
    check(PQexec(conn_.get(), std::string(sql).c_str()));
}

Result Connection::check(pg_result* raw) {
    Result result(raw);
    if (raw == nullptr) {
        throw Unavailable("database connection lost: " +
                          without_newline(PQerrorMessage(conn_.get())));
    }
    switch (PQresultStatus(raw)) {
        case PGRES_COMMAND_OK:
        case PGRES_TUPLES_OK:
        case PGRES_EMPTY_QUERY:
            return result;
        default:
            break;
    }
    const char* state = PQresultErrorField(raw, PG_DIAG_SQLSTATE);
    const std::string sqlstate = state != nullptr ? state : "";
    const char* primary = PQresultErrorField(raw, PG_DIAG_MESSAGE_PRIMARY);
    const std::string message =
        primary != nullptr ? std::string(primary) : without_newline(PQresultErrorMessage(raw));
    // Class 08 is a connection exception; 57P01..57P03 are the server shutting down or starting.
    if (PQstatus(conn_.get()) != CONNECTION_OK || sqlstate.starts_with("08") ||
        sqlstate.starts_with("57P0")) {
        throw Unavailable("database unavailable: " + message);
    }
    const char* constraint = PQresultErrorField(raw, PG_DIAG_CONSTRAINT_NAME);
    throw Error(sqlstate, message, constraint != nullptr ? constraint : "");
}

}  // namespace vg::db

#include "http/Metrics.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace vg::http {

namespace {

constexpr std::array<std::string_view, 9> kMethods = {
    "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "CONNECT", "TRACE"};

std::string escape_label(std::string_view value) {
    std::string out;
    out.reserve(value.size());
    for (char c : value) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '"')
            out += "\\\"";
        else if (c == '\n')
            out += "\\n";
        else
            out.push_back(c);
    }
    return out;
}

std::string escape_help(std::string_view value) {
    std::string out;
    for (char c : value) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '\n')
            out += "\\n";
        else
            out.push_back(c);
    }
    return out;
}

std::string format_labels(const Metrics::Labels& labels) {
    if (labels.empty()) return {};
    std::string out = "{";
    for (const auto& [name, value] : labels) {
        if (out.size() > 1) out += ',';
        out += name + "=\"" + escape_label(value) + "\"";
    }
    return out + "}";
}

std::string format_value(double value) {
    if (std::isnan(value)) return "NaN";
    if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
    // The shortest text that reads back as the same double: bucket bounds print as written
    // (le="0.1", not 0.10000000000000001).
    char text[32];
    auto [end, ec] = std::to_chars(text, text + sizeof text, value);
    return ec == std::errc() ? std::string(text, end) : "NaN";
}

bool valid_name(std::string_view name) {
    if (name.empty() || (name.front() >= '0' && name.front() <= '9')) return false;
    for (char c : name) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '_' || c == ':';
        if (!ok) return false;
    }
    return true;
}

}  // namespace

void Metrics::observe_request(std::string_view method, std::string_view route, int status,
                              double seconds) {
    // Methods come from clients: anything unusual shares one label value.
    std::string method_label = "OTHER";
    for (auto known : kMethods) {
        if (method == known) method_label = std::string(known);
    }
    std::lock_guard lock(mutex_);
    auto& series = requests_[{std::move(method_label), std::string(route), status}];
    ++series.count;
    series.sum += seconds;
    for (std::size_t i = 0; i < kBuckets.size(); ++i) {
        if (seconds <= kBuckets[i]) {
            ++series.buckets[i];
            break;
        }
    }
}

void Metrics::add(std::string name, std::string type, std::string help, Reader read,
                  Labels labels) {
    if (!valid_name(name) || !read) throw std::invalid_argument("bad metric: " + name);
    std::lock_guard lock(mutex_);
    auto& family = families_[name];
    if (!family.type.empty() && family.type != type) {
        throw std::invalid_argument("metric registered with two types: " + name);
    }
    family.type = std::move(type);
    family.help = std::move(help);
    family.series.push_back(Series{std::move(labels), std::move(read)});
}

void Metrics::add_gauge(std::string name, std::string help, Reader read, Labels labels) {
    add(std::move(name), "gauge", std::move(help), std::move(read), std::move(labels));
}

void Metrics::add_counter(std::string name, std::string help, Reader read, Labels labels) {
    add(std::move(name), "counter", std::move(help), std::move(read), std::move(labels));
}

void Metrics::remove(const std::string& name) {
    std::lock_guard lock(mutex_);
    families_.erase(name);
}

void Metrics::set_build_info(std::string version, std::string revision) {
    std::lock_guard lock(mutex_);
    build_info_ = {{"version", std::move(version)}, {"revision", std::move(revision)}};
}

std::string Metrics::render() const {
    std::string out;
    std::lock_guard lock(mutex_);
    out += "# HELP vg_build_info Version of the running server.\n# TYPE vg_build_info gauge\n";
    out += "vg_build_info" + format_labels(build_info_) + " 1\n";

    out +=
        "# HELP vg_http_requests_total HTTP requests answered.\n"
        "# TYPE vg_http_requests_total counter\n";
    for (const auto& [key, series] : requests_) {
        const auto& [method, route, status] = key;
        out += "vg_http_requests_total" +
               format_labels(
                   {{"method", method}, {"route", route}, {"status", std::to_string(status)}}) +
               " " + std::to_string(series.count) + "\n";
    }
    out +=
        "# HELP vg_http_request_duration_seconds Time from a request's arrival to its answer.\n"
        "# TYPE vg_http_request_duration_seconds histogram\n";
    for (const auto& [key, series] : requests_) {
        const auto& [method, route, status] = key;
        Labels labels = {{"method", method}, {"route", route}, {"status", std::to_string(status)}};
        std::uint64_t cumulative = 0;
        for (std::size_t i = 0; i <= kBuckets.size(); ++i) {
            cumulative = i < kBuckets.size() ? cumulative + series.buckets[i] : series.count;
            Labels with_le = labels;
            with_le.emplace_back("le", i < kBuckets.size() ? format_value(kBuckets[i]) : "+Inf");
            out += "vg_http_request_duration_seconds_bucket" + format_labels(with_le) + " " +
                   std::to_string(cumulative) + "\n";
        }
        out += "vg_http_request_duration_seconds_sum" + format_labels(labels) + " " +
               format_value(series.sum) + "\n";
        out += "vg_http_request_duration_seconds_count" + format_labels(labels) + " " +
               std::to_string(series.count) + "\n";
    }
    for (const auto& [name, family] : families_) {
        out += "# HELP " + name + " " + escape_help(family.help) + "\n";
        out += "# TYPE " + name + " " + family.type + "\n";
        for (const auto& series : family.series) {
            double value = std::nan("");
            try {
                value = series.read();
            } catch (...) {
                // A failing reader must not break the scrape of every other metric.
            }
            out += name + format_labels(series.labels) + " " + format_value(value) + "\n";
        }
    }
    return out;
}

}  // namespace vg::http

#include "messaging/SmsWebhook.hpp"

#include <curl/curl.h>

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "common/Secret.hpp"
#include "messaging/Curl.hpp"

namespace vg::messaging {

namespace {

std::size_t discard(char*, std::size_t size, std::size_t count, void*) {
    return size * count;
}

template <typename Value>
void set(CURL* handle, CURLoption option, Value value) {
    if (curl_easy_setopt(handle, option, value) != CURLE_OK)
        throw std::runtime_error("libcurl refused a webhook option");
}

}  // namespace

SmsWebhook::SmsWebhook(std::string url, std::string secret, std::chrono::seconds timeout)
    : url_(std::move(url)), secret_(std::move(secret)), timeout_(timeout) {}

std::string SmsWebhook::signature(const std::string& secret, const std::string& body) {
    static constexpr char kHex[] = "0123456789abcdef";
    auto mac = common::secret::base64url_decode(common::secret::hmac_sha256(secret, body));
    std::string out = "sha256=";
    for (unsigned char b : *mac) {
        out += kHex[b >> 4];
        out += kHex[b & 15];
    }
    return out;
}

void SmsWebhook::send(const TextMessage& message) {
    auto body =
        nlohmann::json{{"to", message.to}, {"text", message.text}, {"language", message.language}}
            .dump();
    Curl curl(std::min<long>(10, timeout_.count()), timeout_.count());
    CURL* h = curl.handle();
    set(h, CURLOPT_URL, url_.c_str());
    set(h, CURLOPT_PROTOCOLS_STR, "http,https");
    set(h, CURLOPT_POSTFIELDS, body.c_str());
    set(h, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
    auto* headers = curl.append(nullptr, "Content-Type: application/json");
    curl.append(headers, "X-Visioguichet-Signature: " + signature(secret_, body));
    set(h, CURLOPT_HTTPHEADER, headers);
    set(h, CURLOPT_WRITEFUNCTION, discard);
    curl.perform();
    auto status = curl.response_code();
    if (status < 200 || status > 299)
        throw std::runtime_error("SMS webhook answered HTTP " + std::to_string(status));
}

}  // namespace vg::messaging

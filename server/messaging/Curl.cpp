#include "messaging/Curl.hpp"

#include <curl/curl.h>

#include <mutex>
#include <stdexcept>

namespace vg::messaging {

namespace {

// curl_global_init is not thread-safe on every build: once, before the first handle, kept for
// the life of the process.
void initialise_once() {
    static std::once_flag once;
    std::call_once(once, [] {
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
            throw std::runtime_error("libcurl could not be initialised");
    });
}

}  // namespace

Curl::Curl(long connect_timeout_seconds, long timeout_seconds)
    : error_(std::make_unique<char[]>(CURL_ERROR_SIZE)) {
    initialise_once();
    handle_ = curl_easy_init();
    if (!handle_) throw std::runtime_error("libcurl could not make a handle");
    error_[0] = '\0';
    bool ok =
        curl_easy_setopt(handle_, CURLOPT_ERRORBUFFER, error_.get()) == CURLE_OK &&
        curl_easy_setopt(handle_, CURLOPT_NOSIGNAL, 1L) == CURLE_OK &&
        curl_easy_setopt(handle_, CURLOPT_CONNECTTIMEOUT, connect_timeout_seconds) == CURLE_OK &&
        curl_easy_setopt(handle_, CURLOPT_TIMEOUT, timeout_seconds) == CURLE_OK;
    if (!ok) {
        curl_easy_cleanup(handle_);
        throw std::runtime_error("libcurl refused a basic option");
    }
}

Curl::~Curl() {
    curl_easy_cleanup(handle_);
    for (auto* list : lists_) curl_slist_free_all(list);
}

curl_slist* Curl::append(curl_slist* list, const std::string& line) {
    auto* longer = curl_slist_append(list, line.c_str());
    if (!longer) throw std::runtime_error("libcurl could not hold a list item");
    if (!list) lists_.push_back(longer);  // the head stays the same as items are added
    return longer;
}

long Curl::response_code() {
    long code = 0;
    curl_easy_getinfo(handle_, CURLINFO_RESPONSE_CODE, &code);
    return code;
}

void Curl::perform() {
    auto result = curl_easy_perform(handle_);
    if (result == CURLE_OK) return;
    std::string reason = error_[0] ? error_.get() : curl_easy_strerror(result);
    if (auto code = response_code(); code != 0) reason += " (status " + std::to_string(code) + ")";
    throw std::runtime_error(reason);
}

}  // namespace vg::messaging

#include "messaging/SmtpRelay.hpp"

#include <curl/curl.h>

#include <cstring>
#include <stdexcept>

#include "messaging/Curl.hpp"

namespace vg::messaging {

namespace {

struct Reader {
    const std::string& data;
    std::size_t offset = 0;
};

std::size_t read_message(char* buffer, std::size_t size, std::size_t count, void* user) {
    auto& reader = *static_cast<Reader*>(user);
    std::size_t n = std::min(size * count, reader.data.size() - reader.offset);
    std::memcpy(buffer, reader.data.data() + reader.offset, n);
    reader.offset += n;
    return n;
}

template <typename Value>
void set(CURL* handle, CURLoption option, Value value) {
    if (curl_easy_setopt(handle, option, value) != CURLE_OK)
        throw std::runtime_error("libcurl refused an SMTP option");
}

}  // namespace

SmtpRelay::SmtpRelay(SmtpOptions options) : options_(std::move(options)) {}

SmtpRelay::~SmtpRelay() = default;

bool SmtpRelay::is_loopback_url(const std::string& url) {
    auto scheme = url.find("://");
    auto rest = url.substr(scheme == std::string::npos ? 0 : scheme + 3);
    auto at = rest.find('@');
    if (at != std::string::npos) rest = rest.substr(at + 1);
    return rest.rfind("127.", 0) == 0 || rest.rfind("[::1]", 0) == 0 ||
           rest.rfind("localhost", 0) == 0;
}

void SmtpRelay::send(const Envelope& envelope) {
    Curl curl(options_.connect_timeout.count(), options_.timeout.count());
    CURL* h = curl.handle();
    set(h, CURLOPT_URL, options_.url.c_str());
    set(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    if (options_.url.rfind("smtp://", 0) == 0) {
        set(h, CURLOPT_USE_SSL,
            is_loopback_url(options_.url) ? static_cast<long>(CURLUSESSL_TRY)
                                          : static_cast<long>(CURLUSESSL_ALL));
    }
    if (!options_.ca_file.empty()) set(h, CURLOPT_CAINFO, options_.ca_file.c_str());
    if (!options_.password.empty()) set(h, CURLOPT_PASSWORD, options_.password.c_str());
    auto from = "<" + envelope.from + ">";
    set(h, CURLOPT_MAIL_FROM, from.c_str());
    set(h, CURLOPT_MAIL_RCPT, curl.append(nullptr, "<" + envelope.to + ">"));
    Reader reader{envelope.data};
    set(h, CURLOPT_READFUNCTION, read_message);
    set(h, CURLOPT_READDATA, &reader);
    set(h, CURLOPT_UPLOAD, 1L);
    set(h, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(envelope.data.size()));
    curl.perform();
}

}  // namespace vg::messaging

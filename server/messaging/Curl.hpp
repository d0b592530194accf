#pragma once
// libcurl, wrapped once: its process-wide setup (before the first handle, once) and the easy
// handle and header list as RAII types, for the SMTP relay and the SMS webhook.
#include <memory>
#include <string>
#include <vector>

typedef void CURL;
struct curl_slist;

namespace vg::messaging {

class Curl {
  public:
    // A new easy handle with what every transfer of ours sets: no signals (we run beside other
    // threads), the error buffer, the timeouts. Throws std::runtime_error.
    Curl(long connect_timeout_seconds, long timeout_seconds);
    ~Curl();
    Curl(const Curl&) = delete;
    Curl& operator=(const Curl&) = delete;

    CURL* handle() { return handle_; }
    // Adds a line to a list that lives as long as this object (recipients, headers).
    curl_slist* append(curl_slist* list, const std::string& line);
    // Runs the transfer; throws std::runtime_error with curl's reason and the server's status.
    void perform();
    long response_code();

  private:
    CURL* handle_ = nullptr;
    std::unique_ptr<char[]> error_;
    std::vector<curl_slist*> lists_;
};

}  // namespace vg::messaging

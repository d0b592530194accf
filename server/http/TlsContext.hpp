#pragma once
// The server side of TLS: one certificate chain and private key (PEM files), TLS 1.2 and 1.3
// only, forward-secret AEAD suites only. A context is never changed once made: a reload makes a
// new one for new connections while the open ones keep theirs (they hold a shared_ptr to it).
#include <memory>
#include <stdexcept>
#include <string>

namespace boost::asio::ssl {
class context;
}

namespace vg::http {

class TlsContext {
  public:
    // Thrown by load(); the message names the file that could not be used and why.
    class Error : public std::runtime_error {
      public:
        using std::runtime_error::runtime_error;
    };

    // cert_file may hold the chain (leaf first). Throws Error.
    static std::shared_ptr<TlsContext> load(const std::string& cert_file,
                                            const std::string& key_file);
    ~TlsContext();
    TlsContext(const TlsContext&) = delete;
    TlsContext& operator=(const TlsContext&) = delete;

    boost::asio::ssl::context& native() { return *context_; }
    // The leaf certificate's serial number in hexadecimal, for the log of a reload.
    const std::string& serial() const { return serial_; }

  private:
    TlsContext();
    std::unique_ptr<boost::asio::ssl::context> context_;
    std::string serial_;
};

}  // namespace vg::http

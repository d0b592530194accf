#include "domain/TurnCredentials.hpp"

#include "common/Secret.hpp"

namespace vg::domain {

TurnCredentials TurnCredentials::issue(std::string_view secret, std::string_view id,
                                       std::int64_t expires_at) {
    TurnCredentials result;
    result.username = std::to_string(expires_at) + ":" + std::string(id);
    result.credential = common::secret::hmac_sha1_base64(secret, result.username);
    return result;
}

}  // namespace vg::domain

#pragma once
// The short code a citizen types at the booth. Its alphabet leaves out characters people confuse
// (0/O, 1/I/L) so it can be read aloud or from a letter; 6 characters of 31 give ~887 million
// codes, plenty among one site's active appointments (the database keeps them unique there).
#include <optional>
#include <string>
#include <string_view>

namespace vg::domain {

class CheckInCode {
  public:
    static constexpr std::string_view kAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    static constexpr std::size_t kLength = 6;

    // A fresh code from the CSPRNG.
    static std::string generate();
    // What the citizen typed, made canonical: upper case, spaces and hyphens dropped. nullopt when
    // it cannot be a code (wrong length or a character outside the alphabet).
    static std::optional<std::string> normalize(std::string_view typed);
};

}  // namespace vg::domain

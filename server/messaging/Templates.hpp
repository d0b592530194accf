#pragma once
// The words of each message, from files an operator may change (the defaults ship in messages/
// of the source tree and the install): DIR/<language>/<kind>.subject, .txt and .html, where
// {{name}} stands for a value. Read at every message, so an edited file counts from the next one
// without a restart. A language without its folder is written in French (French first).
#include <map>
#include <string>
#include <string_view>

namespace vg::messaging {

class Templates {
  public:
    using Values = std::map<std::string, std::string, std::less<>>;
    struct Rendered {
        std::string language;  // the one the files came from
        std::string subject;
        std::string text;
        std::string html;
    };

    explicit Templates(std::string directory);

    // kind: confirmation, reminder, moved, cancelled. Throws std::runtime_error naming the file
    // when one is missing or names a value that does not exist (a typo is seen, not sent).
    Rendered render(std::string_view kind, std::string_view language, const Values& values) const;
    // The SMS text: DIR/<language>/<kind>.sms.
    std::string render_sms(std::string_view kind, std::string_view language,
                           const Values& values) const;

    // {{name}} replaced by values[name], HTML-escaped when html.
    static std::string fill(std::string_view text, const Values& values, bool html,
                            const std::string& origin);

  private:
    std::string folder(std::string_view language) const;
    std::string read(const std::string& path) const;
    std::string directory_;
};

}  // namespace vg::messaging

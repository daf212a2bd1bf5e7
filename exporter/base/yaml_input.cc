#include "base/yaml_input.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <sstream>

#include "base/duration.h"

namespace vitals::yaml_input {

std::string Located(const std::string& name, const YAML::Mark& mark, const std::string& message) {
  // yaml-cpp counts from 0; editors count from 1. A mark of -1 means "no position".
  const int line = mark.line >= 0 ? mark.line + 1 : 1;
  const int column = mark.column >= 0 ? mark.column + 1 : 1;
  return name + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + message;
}

std::string Describe(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map:
      return "a mapping";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Null:
      return "nothing";
    default:
      return Quote(node.Scalar());
  }
}

std::string Quote(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "'";
  for (size_t i = 0; i < text.size(); ++i) {
    if (i == kMaxQuoted) {
      out += "...";
      break;
    }
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\\') {
      out += "\\\\";
    } else if (c < 0x20 || c >= 0x7f) {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "'";
}

namespace {

// YAML allows no C0 control character but tab, newline and carriage return; yaml-cpp
// stops reading at a NUL (silently dropping the rest of the file) and its LoadAll()
// then never returns. Refuse such bytes with their position.
void CheckNoControlBytes(const std::string& text) {
  int line = 0;
  int column = 0;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte < 0x20 && c != '\t' && c != '\n' && c != '\r') || byte == 0x7f) {
      YAML::Mark mark;
      mark.line = line;
      mark.column = column;
      throw Error(
          mark, "control character " + Quote(std::string(1, c)) + " is not allowed in a YAML file");
    }
    if (c == '\n') {
      ++line;
      column = 0;
    } else {
      ++column;
    }
  }
}

// Counts documents without building them, and never asks for more than two: a
// second one is an error whatever follows.
class DocumentCounter : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark& mark) override {
    if (++documents_ == 2) second_ = mark;
  }
  void OnDocumentEnd() override {}
  // An empty document reports a null after its "---": the "---" is the better place.
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override { Content(mark); }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                const std::string&) override {
    Content(mark);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {
    Content(mark);
  }
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {
    Content(mark);
  }
  void OnMapEnd() override {}
  int documents() const { return documents_; }
  // Where the second document's content starts, or its "---" when it has none.
  const YAML::Mark& second() const { return second_; }

 private:
  void Content(const YAML::Mark& mark) {
    if (documents_ == 2 && !second_has_content_ && mark.line >= 0) {
      second_ = mark;
      second_has_content_ = true;
    }
  }

  int documents_ = 0;
  bool second_has_content_ = false;
  YAML::Mark second_;
};

}  // namespace

YAML::Node LoadOne(const std::string& text) {
  CheckNoControlBytes(text);
  std::istringstream stream(text);
  YAML::Parser parser(stream);
  DocumentCounter counter;
  for (int i = 0; i < 2 && parser.HandleNextDocument(counter); ++i) {
  }
  if (counter.documents() > 1) {
    throw Error(counter.second(),
                "a second YAML document (after ---) is not supported: the file must hold one");
  }
  return YAML::Load(text);
}

void ExpectMap(const YAML::Node& node, const std::string& what) {
  if (!node.IsMap() && !node.IsNull()) {
    throw Error(node.Mark(), what + " must be a mapping, got " + Describe(node));
  }
}

std::string AsString(const YAML::Node& node, const std::string& key) {
  if (!node.IsScalar()) {
    throw Error(node.Mark(), key + " must be a string, got " + Describe(node));
  }
  return node.Scalar();
}

bool AsBool(const YAML::Node& node, const std::string& key) {
  bool value = false;
  if (!node.IsScalar() || !YAML::convert<bool>::decode(node, value)) {
    throw Error(node.Mark(), key + " must be true or false, got " + Describe(node));
  }
  return value;
}

namespace {

int AsIntAtLeast(const YAML::Node& node, const std::string& key, int least, const char* what) {
  int value = 0;
  if (!node.IsScalar() || !YAML::convert<int>::decode(node, value) || value < least) {
    throw Error(node.Mark(), key + " must be " + what + ", got " + Describe(node));
  }
  return value;
}

}  // namespace

int AsPositiveInt(const YAML::Node& node, const std::string& key) {
  return AsIntAtLeast(node, key, 1, "a positive integer");
}

int AsNonNegativeInt(const YAML::Node& node, const std::string& key) {
  return AsIntAtLeast(node, key, 0, "0 or a positive integer");
}

std::chrono::milliseconds AsDuration(const YAML::Node& node, const std::string& key,
                                     std::chrono::milliseconds max) {
  const auto value = node.IsScalar() ? ParseDuration(node.Scalar()) : std::nullopt;
  if (!value || value->count() <= 0) {
    throw Error(node.Mark(),
                key + " must be a positive duration like 5s or 250ms, got " + Describe(node));
  }
  if (*value > max) {
    throw Error(node.Mark(),
                key + " must be at most " + FormatDuration(max) + ", got " + Describe(node));
  }
  return *value;
}

std::string FormatDuration(std::chrono::milliseconds duration) {
  const int64_t ms = duration.count();
  if (ms % 3'600'000 == 0) return std::to_string(ms / 3'600'000) + "h";
  if (ms % 60'000 == 0) return std::to_string(ms / 60'000) + "m";
  if (ms % 1000 == 0) return std::to_string(ms / 1000) + "s";
  return std::to_string(ms) + "ms";
}

std::vector<std::string> AsStringList(const YAML::Node& node, const std::string& key) {
  if (!node.IsSequence()) {
    throw Error(node.Mark(), key + " must be a list of strings, got " + Describe(node));
  }
  std::vector<std::string> items;
  for (const auto& item : node) items.push_back(AsString(item, key + " item"));
  return items;
}

std::string UniqueKey(const YAML::Node& key, const std::string& section,
                      std::set<std::string>& seen) {
  if (!key.IsScalar()) throw Error(key.Mark(), "keys in " + section + " must be plain names");
  if (!seen.insert(key.Scalar()).second) {
    throw Error(key.Mark(), "duplicate key " + Quote(key.Scalar()) + " in " + section);
  }
  return key.Scalar();
}

void CheckKeys(const YAML::Node& map, const std::string& section,
               std::span<const std::string_view> allowed, UnsupportedKey unsupported) {
  std::set<std::string> seen;
  for (const auto& item : map) {
    const std::string key = UniqueKey(item.first, section, seen);
    bool known = false;
    for (const auto& name : allowed) known = known || name == key;
    if (known) continue;
    if (const char* why = unsupported ? unsupported(key) : nullptr) {
      throw Error(item.first.Mark(), Quote(key) + " in " + section + " " + why);
    }
    std::string list;
    for (const auto& name : allowed) list += (list.empty() ? "" : ", ") + std::string(name);
    throw Error(item.first.Mark(),
                "unknown key " + Quote(key) + " in " + section + " (allowed: " + list + ")");
  }
}

Result<std::string> ReadFile(const std::string& path, const std::string& what) {
  auto fail = [&path](const std::string& why) { return vitals::Error{path + ":1:1: " + why}; };
  // O_NONBLOCK: opening a FIFO for reading must not wait for a writer (a reload that
  // hangs there keeps SIGTERM from being handled).
  const int fd = open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) return fail("cannot open " + what);
  struct Closer {
    int fd;
    ~Closer() { close(fd); }
  } closer{fd};
  struct stat info {};
  if (fstat(fd, &info) != 0) return fail("cannot read " + what + ": " + std::strerror(errno));
  if (S_ISDIR(info.st_mode)) return fail("is a directory, not a " + what);
  if (!S_ISREG(info.st_mode)) return fail("is not a regular file");
  if (static_cast<uint64_t>(info.st_size) > kMaxFileBytes) {
    return fail("is larger than 1 MiB, too big for a " + what);
  }
  std::string content;
  char buffer[16384];
  while (true) {
    const ssize_t got = read(fd, buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return fail("cannot read " + what + ": " + std::strerror(errno));
    if (got == 0) break;
    // A file that grows while read (or lies about its size) is still bounded.
    if (content.size() + static_cast<size_t>(got) > kMaxFileBytes) {
      return fail("is larger than 1 MiB, too big for a " + what);
    }
    content.append(buffer, static_cast<size_t>(got));
  }
  return content;
}

}  // namespace vitals::yaml_input

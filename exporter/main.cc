// vitals_exporter: flags -> config -> collectors -> HTTP server, then wait for a
// termination signal. Everything but this wiring lives in the libraries tests link.
#include <malloc.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <span>

#include "base/text.h"
#include "server/config.h"
#include "server/flags.h"
#include "server/http_server.h"
#include "server/logging.h"
#include "server/reload.h"
#include "server/scraper.h"
#include "server/version.h"
#include "server/web_security.h"

namespace {

using vitals::Join;
using vitals::server::Config;
using vitals::server::Flags;

constexpr int kExitRuntime = 1;
constexpr int kExitUsage = 2;

// Returns the effective config, or prints the one-line error and returns nullopt.
std::optional<Config> LoadConfig(const Flags& flags) {
  Config config;
  if (flags.config_file) {
    auto loaded = vitals::server::LoadConfigFile(*flags.config_file);
    if (!loaded.ok()) {
      std::fprintf(stderr, "%s\n", loaded.error().c_str());
      return std::nullopt;
    }
    config = std::move(*loaded);
  }
  if (auto status = vitals::server::ApplyCollectorSettings(flags, config); !status.ok()) {
    std::fprintf(stderr, "vitals_exporter: %s\n", status.message().c_str());
    return std::nullopt;
  }
  return config;
}

int WaitForTermination(const sigset_t& signals, vitals::server::Reloader& reloader) {
  while (true) {
    int signal = 0;
    if (sigwait(&signals, &signal) != 0) continue;
    if (signal == SIGHUP) {
      spdlog::info("SIGHUP received, reloading the configuration");
      reloader.Reload();  // Logs and records the outcome itself.
      continue;
    }
    spdlog::info("received signal {}, shutting down", signal);
    return 0;
  }
}

// The --web.config.file, if any; false (after printing the error) when it is invalid.
bool LoadWebSecurity(const Flags& flags, std::unique_ptr<vitals::server::WebSecurity>& out) {
  if (!flags.web_config_file) return true;
  auto loaded = vitals::server::WebSecurity::Load(*flags.web_config_file);
  if (!loaded.ok()) {
    std::fprintf(stderr, "%s\n", loaded.error().c_str());
    return false;
  }
  out = std::move(*loaded);
  return true;
}

void LogStart(const Config& config, const std::vector<std::string>& enabled) {
  spdlog::info("starting vitals_exporter version={} revision={} config=\"{}\"",
               vitals::server::kVersion, vitals::server::kRevision, config.source);
  if (geteuid() == 0) {
    spdlog::warn(
        "running as root: vitals_exporter is designed to run as an unprivileged "
        "user, root is not required");
  }
  spdlog::info("enabled collectors: {}", Join(enabled));
}

// Serves until SIGINT or SIGTERM; SIGHUP reloads.
int Serve(const Flags& flags, const Config& config, const std::vector<std::string>& enabled,
          vitals::server::WebSecurity* web_security, const sigset_t& signals) {
  vitals::server::Scraper scraper(
      vitals::server::MakeCollectors(enabled, flags.paths, config.collector_options));
  vitals::server::HttpOptions http;
  http.listen_addresses = flags.listen_addresses;
  if (http.listen_addresses.empty())
    http.listen_addresses = {vitals::server::kDefaultListenAddress};
  http.telemetry_path = flags.telemetry_path;
  http.max_requests = flags.max_requests;
  http.probes = config.collector_options.Get<vitals::collectors::ProbesOptions>();
  vitals::server::Reloader reloader(flags, config, scraper);
  if (flags.enable_lifecycle) http.reload = [&reloader] { return reloader.Reload(); };
  http.web_security = web_security;
  if (web_security) {
    spdlog::info("web config {}: tls={} (re-read when it changes)", *flags.web_config_file,
                 web_security->tls());
  }
  auto server = vitals::server::HttpServer::Start(http, scraper);
  if (!server.ok()) {
    spdlog::error("{}", server.error());
    return kExitRuntime;
  }
  for (const auto& address : (*server)->BoundAddresses()) {
    spdlog::info("listening on {} (port {})", address, address.substr(address.rfind(':') + 1));
  }
  reloader.SetProbesSink([&server = **server](const vitals::collectors::ProbesOptions& probes) {
    server.SetProbes(probes);
  });
  return WaitForTermination(signals, reloader);
}

int Run(const Flags& flags) {
  // Block the signals before any thread starts, so only sigwait() sees them.
  sigset_t signals;
  sigemptyset(&signals);
  for (int s : {SIGINT, SIGTERM, SIGHUP}) sigaddset(&signals, s);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  vitals::server::SetupLogging(flags.log_level, flags.log_format);
  const auto config = LoadConfig(flags);
  if (!config) return kExitUsage;
  const auto enabled = vitals::server::EnabledCollectors(flags, *config);
  std::unique_ptr<vitals::server::WebSecurity> web_security;
  if (!LoadWebSecurity(flags, web_security)) return kExitUsage;
  if (flags.config_check) {
    std::printf("%s: configuration is valid; enabled collectors: %s\n", config->source.c_str(),
                Join(enabled).c_str());
    return 0;
  }
  LogStart(*config, enabled);
  return Serve(flags, *config, enabled, web_security.get(), signals);
}

// The soft RLIMIT_NOFILE up to the hard one, as every Go program does since Go 1.19
// (node_exporter and process-exporter among them): systemd starts services at 1024,
// which would let the processes collector keep files open for few processes (it keeps
// at most half the soft limit). Nothing here uses select(2).
void RaiseOpenFileLimit() {
  struct rlimit limit {};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

}  // namespace

int main(int argc, char** argv) try {
  // Scrapes are serialized, so per-thread malloc arenas only cost memory: one is enough
  // for dozens of HTTP worker threads.
  mallopt(M_ARENA_MAX, 1);
  RaiseOpenFileLimit();
  auto flags = vitals::server::ParseFlags(std::span<char* const>(argv + 1, argc - 1));
  if (!flags.ok()) {
    std::fprintf(stderr, "vitals_exporter: %s\n", flags.error().c_str());
    return kExitUsage;
  }
  if (flags->show_help) {
    std::fputs(vitals::server::Usage().c_str(), stdout);
    return 0;
  }
  if (flags->show_version) {
    std::printf("vitals_exporter, version %s (revision: %s)\n", vitals::server::kVersion,
                vitals::server::kRevision);
    return 0;
  }
  return Run(*flags);
} catch (const std::exception& e) {
  std::fprintf(stderr, "vitals_exporter: fatal: %s\n", e.what());
  return kExitRuntime;
}

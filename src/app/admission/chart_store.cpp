#include "app/admission/chart_store.hpp"

#include <algorithm>
#include <system_error>

#include "app/verify/decide.hpp"
#include "chart/archive_reader.hpp"
#include "infra/openssl/digest.hpp"
#include "util/clock.hpp"
#include "util/file.hpp"
#include "util/temp_dir.hpp"

namespace chartprov::app {
namespace {

namespace fs = std::filesystem;

Result<std::vector<fs::path>> charts_in(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return input_error(dir.string() + " is not a directory");
  std::vector<fs::path> out;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().extension() != ".tgz") continue;
    if (out.size() == kMaxStoredCharts) {
      return input_error(dir.string() + " holds more than " + std::to_string(kMaxStoredCharts) + " charts");
    }
    out.push_back(it->path());
  }
  if (ec) return input_error("cannot list " + dir.string() + ": " + ec.message());
  std::sort(out.begin(), out.end());
  return out;
}

std::string joined(const std::vector<std::string>& reasons) {
  std::string out;
  for (const auto& r : reasons) out += (out.empty() ? "" : "; ") + r;
  return out;
}

// The bytes the decision verified (its private copy), read as Helm loads a chart.
Result<release::VerifiedChart> read_verified(const fs::path& copy, const std::string& digest) {
  TRY(const Bytes bytes, read_file(copy, chart::kMaxChartArchive));
  if (crypto::sha256_digest(bytes) != digest) {
    return internal_error("the verified copy is not the bytes that were verified");
  }
  TRY(const chart::ChartContents contents, chart::read_chart_contents_bytes(bytes));
  return release::load_verified_chart(contents);
}

// Decides `request` and, when it is allowed, adds the verified bytes (saved
// in request.save_dir) to `store`; otherwise records why under `file`.
void store_decided(ChartStore& store, const DecideRequest& request, const std::string& file,
                   const policy::Policy& policy, const TrustMaterial& material) {
  const auto refuse = [&](std::string reason) { store.refused.push_back({file, std::move(reason)}); };
  auto decided = decide(policy, request, material);
  if (!decided) return refuse(decided.error().message);
  if (!decided->decision.allowed) return refuse(joined(decided->decision.reasons));
  if (!decided->saved_chart) return refuse("the verified bytes were not kept");
  auto chart = read_verified(*decided->saved_chart, decided->evidence.digest);
  if (!chart) return refuse(chart.error().message);
  const auto same = std::find_if(store.charts.begin(), store.charts.end(), [&](const release::VerifiedChart& c) {
    return c.metadata.name == chart->metadata.name && c.metadata.version == chart->metadata.version;
  });
  if (same != store.charts.end()) {
    return refuse("another chart of the source, " +
                  store.facts[static_cast<std::size_t>(same - store.charts.begin())].file + ", has the name " +
                  chart->metadata.name + " and version " + chart->metadata.version);
  }
  release::TemplateScan scan = release::scan_templates(*chart);
  store.facts.push_back(
      {file, decided->evidence.digest, decided->decision.signers, *decided->saved_chart, std::move(scan)});
  store.charts.push_back(std::move(*chart));
}

Status check_store_environment(const policy::Policy& policy, std::string_view environment) {
  TRY_STATUS(policy::check_requested_environment(policy, environment));
  const policy::Environment* env = policy::find_environment(policy, environment);
  if (env != nullptr && env->mode == policy::Mode::off) {
    return usage_error("environment " + std::string(environment) +
                       " is in mode off: no chart is verified there, so there is no store to build");
  }
  return ok_status();
}

Result<fs::path> make_save_dir(const TempDir& copies, const std::string& name) {
  const fs::path save = copies.path() / name;
  std::error_code ec;
  fs::create_directory(save, ec);
  if (ec) return input_error("cannot create " + save.string() + ": " + ec.message());
  return save;
}

}  // namespace

Result<ChartStore> load_chart_store(const fs::path& dir, const policy::Policy& policy, std::string_view environment,
                                    const TrustMaterial& material, std::int64_t now) {
  TRY_STATUS(check_store_environment(policy, environment));
  TRY(const std::vector<fs::path> files, charts_in(dir));
  TRY(TempDir made, TempDir::create("chartprov-chart-store"));
  const auto copies = std::make_shared<const TempDir>(std::move(made));
  ChartStore store;
  store.environment = std::string(environment);
  store.copies = {copies};
  for (std::size_t i = 0; i < files.size(); ++i) {
    DecideRequest request;
    request.chart = files[i].string();
    request.environment = std::string(environment);
    TRY(request.save_dir, make_save_dir(*copies, std::to_string(i)));
    request.now = now_or(now);
    store_decided(store, request, files[i].filename().string(), policy, material);
  }
  return store;
}

namespace {

// Decides `request` into `store` with a private directory of its own for the
// verified bytes: true when the chart was added.
Result<bool> add_decided(ChartStore& store, DecideRequest request, const std::string& label,
                         const policy::Policy& policy, const TrustMaterial& material) {
  TRY_STATUS(check_store_environment(policy, store.environment));
  if (store.charts.size() >= kMaxStoredCharts) {
    return input_error("the store of " + store.environment + " holds " + std::to_string(kMaxStoredCharts) +
                       " charts already");
  }
  TRY(TempDir made, TempDir::create("chartprov-chart-store"));
  const auto copies = std::make_shared<const TempDir>(std::move(made));
  request.environment = store.environment;
  TRY(request.save_dir, make_save_dir(*copies, "chart"));
  const std::size_t before = store.charts.size();
  store_decided(store, request, label, policy, material);
  if (store.charts.size() == before) return false;
  store.copies.push_back(copies);
  return true;
}

}  // namespace

Result<bool> add_chart_file(ChartStore& store, const fs::path& chart, const std::string& label,
                            const policy::Policy& policy, const TrustMaterial& material, std::int64_t now) {
  DecideRequest request;
  request.chart = chart.string();
  request.now = now_or(now);
  return add_decided(store, std::move(request), label, policy, material);
}

Result<bool> add_oci_chart(ChartStore& store, const OciChartRequest& chart, const policy::Policy& policy,
                           const TrustMaterial& material, std::int64_t now) {
  DecideRequest request;
  request.chart = chart.repository;
  request.version = chart.version;
  request.trust = material.source;
  request.connection.registry = chart.registry;
  request.connection.plain_http = chart.plain_http;
  request.now = now_or(now);
  return add_decided(store, std::move(request), chart.repository + ":" + chart.version, policy, material);
}

const StoredChartFacts* ChartStore::facts_of(const release::VerifiedChart* chart) const {
  for (std::size_t i = 0; i < charts.size() && i < facts.size(); ++i) {
    if (&charts[i] == chart) return &facts[i];
  }
  return nullptr;
}

}  // namespace chartprov::app

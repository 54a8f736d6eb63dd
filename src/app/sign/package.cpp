#include "app/sign/package.hpp"

#include <cstdlib>
#include <system_error>

#include "chart/package.hpp"
#include "util/file.hpp"
#include "util/temp_dir.hpp"

namespace chartprov::app {

Result<PackageResult> package_and_sign(const PackageRequest& req) {
  chart::PackageOptions opts;
  TRY(opts.mtime, chart::parse_source_date_epoch(std::getenv("SOURCE_DATE_EPOCH")));
  TRY(const chart::PackagedChart packaged, chart::package_chart(req.chart_dir, opts));
  std::error_code ec;
  std::filesystem::create_directories(req.destination, ec);  // as helm package -d does
  if (!std::filesystem::is_directory(req.destination, ec)) {
    return input_error("destination " + req.destination.string() + " is not a directory");
  }
  PackageResult out;
  out.archive = req.destination / packaged.file_name;
  out.digest = "sha256:" + packaged.sha256_hex;
  if (!req.sign) {
    TRY_STATUS(atomic_write(out.archive, ByteView(packaged.tgz), 0644));
    return out;
  }
  // Package and sign in a private staging directory beside the destination, then move both
  // into place: a failed signing (wrong passphrase, loose key file) must neither leave an
  // unsigned archive behind nor replace an existing signed pair.
  TRY(const TempDir stage, TempDir::create(".chartprov-stage", req.destination));
  const std::filesystem::path& staging = stage.path();
  SignRequest s = *req.sign;
  s.chart = staging / packaged.file_name;
  TRY_STATUS(atomic_write(s.chart, ByteView(packaged.tgz), 0644));
  TRY(out.signature, sign_chart(s));
  const std::filesystem::path prov = out.archive.string() + ".prov";
  std::filesystem::rename(s.chart, out.archive, ec);
  if (!ec) std::filesystem::rename(out.signature->prov, prov, ec);
  if (ec) return input_error("cannot move the signed chart into " + req.destination.string() + ": " + ec.message());
  out.signature->prov = prov;
  return out;
}

}  // namespace chartprov::app

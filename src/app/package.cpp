#include "app/package.hpp"

#include <cstdlib>

#include "chart/package.hpp"
#include "util/file.hpp"

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
  TRY_STATUS(atomic_write(out.archive, ByteView(packaged.tgz), 0644));
  if (req.sign) {
    SignRequest s = *req.sign;
    s.chart = out.archive;
    TRY(out.signature, sign_chart(s));
  }
  return out;
}

}  // namespace chartprov::app

#pragma once
// OCI image manifests and indexes (and Docker schema 2 ones), read strictly
// enough for verification: descriptors must carry a sha256 digest and a
// size, layers are found by media type and never by position.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.hpp"

namespace chartprov::oci {

inline constexpr std::size_t kMaxManifest = 4u << 20;
inline constexpr std::size_t kMaxLayers = 1000;

inline constexpr std::string_view kOciManifest = "application/vnd.oci.image.manifest.v1+json";
inline constexpr std::string_view kOciIndex = "application/vnd.oci.image.index.v1+json";
inline constexpr std::string_view kDockerManifest = "application/vnd.docker.distribution.manifest.v2+json";
inline constexpr std::string_view kHelmConfig = "application/vnd.cncf.helm.config.v1+json";
inline constexpr std::string_view kHelmChart = "application/vnd.cncf.helm.chart.content.v1.tar+gzip";
inline constexpr std::string_view kHelmProv = "application/vnd.cncf.helm.chart.provenance.v1.prov";
inline constexpr std::string_view kSimpleSigning = "application/vnd.dev.cosign.simplesigning.v1+json";
inline constexpr std::string_view kBundleV03 = "application/vnd.dev.sigstore.bundle.v0.3+json";
inline constexpr std::string_view kOciEmpty = "application/vnd.oci.empty.v1+json";
inline constexpr std::string_view kImageConfig = "application/vnd.oci.image.config.v1+json";

struct Descriptor {
  std::string media_type;
  std::string digest;  // sha256:<hex>
  std::int64_t size = 0;
  std::string artifact_type;
  std::map<std::string, std::string> annotations;
};

struct Manifest {
  std::string media_type;  // may be empty (helm writes none)
  std::string artifact_type;
  Descriptor config;
  std::vector<Descriptor> layers;
  std::optional<Descriptor> subject;
  std::map<std::string, std::string> annotations;

  // The one layer of this media type; an error if there are several.
  Result<const Descriptor*> layer(std::string_view wanted) const;
};

struct Index {
  std::vector<Descriptor> manifests;
};

Result<Manifest> parse_manifest(std::string_view text);
Result<Index> parse_index(std::string_view text);

}  // namespace chartprov::oci

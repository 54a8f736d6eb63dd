// The caching ManifestRenderer (manifest_renderer.hpp): a bounded LRU of
// renderings keyed by every input, with one rendering in flight per key.
#include <future>
#include <list>
#include <map>
#include <mutex>
#include <unordered_map>

#include "app/admission/manifest_renderer.hpp"
#include "infra/openssl/digest.hpp"
#include "util/encoding.hpp"

namespace chartprov::app {
namespace {

using Rendering = Result<RenderedManifest>;

// Every input of the rendering, unambiguously: fixed-form fields first, the
// free-form ones length-prefixed. The chart is its digest (the renderer checks
// the copy against it), not its path: a store loaded again keeps its renderings.
Result<std::string> cache_key(const RenderRequest& r) {
  std::string values;
  try {
    values = r.values.dump();
  } catch (const nlohmann::json::exception&) {
    return input_error("helm template: the values cannot be written as JSON");
  }
  std::string key = r.chart_digest;
  key += ' ';
  key += hex_encode(crypto::sha256(as_bytes(values)));
  key += r.is_upgrade ? " upgrade" : " install";
  key += r.hooks ? " hooks " : " no-hooks ";
  key += std::to_string(r.run);
  for (const std::string* s : {&r.release_name, &r.namespace_name}) {
    key += ' ' + std::to_string(s->size()) + ':' + *s;
  }
  return key;
}

class CachingRenderer final : public ManifestRenderer {
 public:
  CachingRenderer(std::unique_ptr<ManifestRenderer> inner, std::size_t entries, std::size_t bytes)
      : inner_(std::move(inner)), max_entries_(entries), max_bytes_(bytes) {}

  Result<RenderedManifest> render(const RenderRequest& request) const override {
    if (max_entries_ == 0) return inner_->render(request);
    TRY(const std::string key, cache_key(request));
    std::promise<Rendering> mine;
    std::shared_future<Rendering> pending;
    {
      const std::lock_guard lock(mutex_);
      if (const auto hit = index_.find(key); hit != index_.end()) {
        lru_.splice(lru_.begin(), lru_, hit->second);
        return RenderedManifest{hit->second->text};
      }
      if (const auto flight = in_flight_.find(key); flight != in_flight_.end()) {
        pending = flight->second;
      } else {
        in_flight_.emplace(key, mine.get_future().share());
      }
    }
    if (pending.valid()) return pending.get();
    Rendering rendered = render_once(request);
    {
      const std::lock_guard lock(mutex_);
      in_flight_.erase(key);
      if (rendered.ok()) keep(key, rendered->text);
    }
    mine.set_value(rendered);
    return rendered;
  }

  std::string describe() const override { return "cached " + inner_->describe(); }

 private:
  struct Entry {
    std::string key;
    std::string text;
  };

  // No exception of the inner renderer may leave a waiter without an answer.
  Rendering render_once(const RenderRequest& request) const {
    try {
      return inner_->render(request);
    } catch (const std::exception&) {
      return internal_error("helm template: the rendering failed unexpectedly");
    }
  }

  // Under mutex_: `text` becomes the most recent entry, and the least recent go until both bounds hold.
  void keep(const std::string& key, const std::string& text) const {
    if (text.size() > max_bytes_ || index_.contains(key)) return;
    lru_.push_front({key, text});
    index_.emplace(key, lru_.begin());
    bytes_ += text.size();
    while (lru_.size() > max_entries_ || bytes_ > max_bytes_) {
      bytes_ -= lru_.back().text.size();
      index_.erase(lru_.back().key);
      lru_.pop_back();
    }
  }

  std::unique_ptr<ManifestRenderer> inner_;
  std::size_t max_entries_;
  std::size_t max_bytes_;
  mutable std::mutex mutex_;
  mutable std::list<Entry> lru_;  // most recent first
  mutable std::unordered_map<std::string, std::list<Entry>::iterator> index_;
  mutable std::map<std::string, std::shared_future<Rendering>> in_flight_;
  mutable std::size_t bytes_ = 0;
};

}  // namespace

std::unique_ptr<ManifestRenderer> make_caching_renderer(std::unique_ptr<ManifestRenderer> inner, std::size_t entries,
                                                        std::size_t bytes) {
  return std::make_unique<CachingRenderer>(std::move(inner), entries, bytes);
}

}  // namespace chartprov::app

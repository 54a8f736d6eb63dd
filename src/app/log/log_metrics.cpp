#include "app/log/log_metrics.hpp"

#include "app/events/metrics_line.hpp"

namespace chartprov::app::log {
namespace {

void family(std::string& out, const char* name, const char* type, const char* help) {
  out.append("# HELP ").append(name).append(" ").append(help).append("\n");
  out.append("# TYPE ").append(name).append(" ").append(type).append("\n");
}

void sample(std::string& out, const char* name, const std::string& labels, std::uint64_t value) {
  out.append(name).append(labels.empty() ? "" : "{" + labels + "}").append(" ").append(std::to_string(value));
  out += '\n';
}

}  // namespace

std::string render_log_metrics(const LogMetrics& m) {
  std::string out;
  family(out, "chartprov_log_submissions_total", "counter",
         "Write requests to the log by result (logged, duplicate, refused, failed).");
  sample(out, "chartprov_log_submissions_total", "result=\"logged\"", m.logged);
  sample(out, "chartprov_log_submissions_total", "result=\"duplicate\"", m.duplicate);
  sample(out, "chartprov_log_submissions_total", "result=\"refused\"", m.refused);
  sample(out, "chartprov_log_submissions_total", "result=\"failed\"", m.failed);
  family(out, "chartprov_log_batches_total", "counter",
         "Batches the sequencer ran, by result (committed, failed and rolled back).");
  sample(out, "chartprov_log_batches_total", "result=\"committed\"", m.batches_committed);
  sample(out, "chartprov_log_batches_total", "result=\"failed\"", m.batches_failed);
  family(out, "chartprov_log_witness_failures_total", "counter",
         "Checkpoints a witness did not cosign, by the witness's key name.");
  for (const auto& [name, n] : m.witness_failures) {
    sample(out, "chartprov_log_witness_failures_total", "witness=\"" + escape_label_value(name) + "\"", n);
  }
  family(out, "chartprov_log_tree_size", "gauge", "Entries in the log's published tree.");
  sample(out, "chartprov_log_tree_size", "", m.tree_size);
  return out;
}

}  // namespace chartprov::app::log

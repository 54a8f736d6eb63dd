#include "app/keys/key_record.hpp"

#include "app/keys/key_history_file.hpp"

namespace chartprov::app {

Result<std::string> key_algorithm_name(const crypto::PKey& key) {
  switch (crypto::key_type(key)) {
    case crypto::KeyType::kRsa: return "rsa-" + std::to_string(crypto::key_bits(key));
    case crypto::KeyType::kEd25519: return std::string("ed25519");
    case crypto::KeyType::kEc: {
      TRY(const std::string group, crypto::ec_group_name(key));
      if (group == "prime256v1") return std::string("ecdsa-p256");
      if (group == "secp384r1") return std::string("ecdsa-p384");
      if (group == "secp521r1") return std::string("ecdsa-p521");
      return "ecdsa-" + group;
    }
    default: return input_error("unsupported key type");
  }
}

Result<keys::KeyRecord> record_new_key(const std::filesystem::path& history_path, keys::KeyRecord record) {
  TRY(keys::KeyHistory history, load_key_history_or_empty(history_path));
  if (history.find(record.id) != nullptr)
    return input_error("key " + record.id + " is already in " + history_path.string());
  history.keys.push_back(record);
  TRY_STATUS(save_key_history(history_path, history));
  return record;
}

}  // namespace chartprov::app

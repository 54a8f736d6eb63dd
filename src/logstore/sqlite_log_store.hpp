#pragma once
// The log store in one SQLite file (app/log/log_store.hpp): the embedded
// default, for one log process. WAL journal, synchronous=FULL (a commit is on
// disk before it returns), a 10 s busy timeout; sequencing is BEGIN IMMEDIATE
// on the write connection, reads go through a second connection so that they
// never wait for a sequencing transaction (WAL readers see the last commit).
//
// Schema (created when missing, in one transaction):
//   log_meta(key PRIMARY KEY, value)  ('schema_version', '1')
//   log_state(id = 1, size, checkpoint NULL until the first sequencing)
//   entries(idx PRIMARY KEY, dedupe UNIQUE, leaf, leaf_hash)
//
// Beyond the contract (both stores alike, logstore/store_checks.hpp): any
// error in a transaction (a refused call included) makes it usable only for
// rollback; begin_sequencing() waits while another transaction of the same
// store is open (so one thread must not hold two); a transaction must end
// before its store is destroyed.
#include <memory>
#include <string>

#include "app/log/log_store.hpp"
#include "util/result.hpp"

namespace chartprov::logstore {

// Opens (creating when missing, mode 0600) the log database at path.
// Refused: the file cannot be created or opened (or is a symlink), is not an
// SQLite database, its journal cannot be switched to WAL ("sqlite: <path>
// cannot use a WAL journal"), or its schema version is not 1 ("log store:
// <path> has schema version <v>, this chartprov reads 1").
Result<std::unique_ptr<app::log::LogStore>> open_sqlite_log_store(const std::string& path);

}  // namespace chartprov::logstore

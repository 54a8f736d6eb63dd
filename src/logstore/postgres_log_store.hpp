#pragma once
// The log store in PostgreSQL (app/log/log_store.hpp), for several log
// front-ends sharing one sequencer, and for teams that run PostgreSQL with
// replication and backups. libpq, one write connection (sequencing) and one
// read connection per store, each reconnected on the next call after a loss.
//
// Sequencing is one READ COMMITTED transaction that first takes
// `SELECT size FROM log_state WHERE id = 1 FOR UPDATE`: the row lock is the
// sequencing lock of every front-end on the database, and each statement after
// it sees what the previous holder committed. Commits are synchronous: when
// the session's synchronous_commit is off or local, it is set to on (a
// stronger setting such as remote_apply is kept). COMMIT must answer COMMIT.
// The write session has idle_in_transaction_session_timeout = 60 s, so that a
// hung front-end cannot hold the lock for ever.
//
// Schema (created when missing, under an advisory lock so that processes
// starting together do not race):
//   log_meta(key PRIMARY KEY, value)  ('schema_version', '1')
//   log_state(id = 1, size bigint, checkpoint text NULL until the first sequencing)
//   entries(idx bigint PRIMARY KEY, dedupe bytea UNIQUE, leaf bytea, leaf_hash bytea)
//
// Beyond the contract, as the SQLite store (logstore/sqlite_log_store.hpp):
// any error makes a transaction usable only for rollback; begin_sequencing()
// waits while another transaction of the same store is open; a transaction
// must end before its store is destroyed.
#include <memory>
#include <string>

#include "app/log/log_store.hpp"
#include "util/result.hpp"

namespace chartprov::logstore {

// Connects to a postgresql:// URL and creates the schema when missing.
// Refused: what PgConn::connect refuses (the URL's password never shown), a
// schema that cannot be created, or a schema version that is not 1 ("log
// store: the database has schema version <v>, this chartprov reads 1").
Result<std::unique_ptr<app::log::LogStore>> open_postgres_log_store(const std::string& url);

}  // namespace chartprov::logstore

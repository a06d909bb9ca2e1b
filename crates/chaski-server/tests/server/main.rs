//! The behavioural suite of the central server, run against BOTH backends: SQLite in a temp
//! directory and a real throwaway PostgreSQL started by the test itself. Every case talks
//! HTTP to a real server bound on 127.0.0.1:0. Also the server's HTTPS ([`tls`]).

mod cases;
mod http;
mod support;
mod tls;

use chaski_server::Storage;
use chaski_server::pg_harness::TempPostgres;
use support::Ctx;

macro_rules! suite {
    ($($case:ident),* $(,)?) => {
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn behaviour_on_sqlite() {
            $(
                let dir = tempfile::tempdir().expect("tempdir");
                let storage = Storage::open_sqlite(dir.path()).expect("open sqlite");
                let ctx = Ctx::start(storage, "sqlite").await;
                eprintln!("sqlite: {}", stringify!($case));
                cases::$case(&ctx).await;
                ctx.stop().await;
            )*
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn behaviour_on_postgres() {
            let pg = tokio::task::spawn_blocking(TempPostgres::start)
                .await
                .expect("join")
                .unwrap_or_else(|e| panic!("the PostgreSQL half of the suite cannot run: {e}"));
            $(
                let url = pg.create_database(stringify!($case)).expect("create database");
                let storage = tokio::task::spawn_blocking(move || Storage::open_postgres(&url, 4))
                    .await
                    .expect("join")
                    .expect("connect postgres");
                let ctx = Ctx::start(storage, "postgres").await;
                eprintln!("postgres: {}", stringify!($case));
                cases::$case(&ctx).await;
                ctx.stop().await;
            )*
            tokio::task::spawn_blocking(move || drop(pg)).await.expect("stop postgres");
        }
    };
}

suite!(
    migrations_are_idempotent,
    enrolment_and_hello,
    version_negotiation,
    push_is_idempotent_and_refuses_gaps_and_forks,
    pull_page_boundaries,
    concurrent_field_edits_are_decided_and_listed,
    number_blocks_are_enforced,
    signed_documents_never_change,
    revoked_devices_are_refused_at_once,
    restored_or_cloned_device_is_detected,
    cross_unit_access_is_refused,
    hostile_requests_get_json_4xx,
    openapi_matches_routes,
    concurrent_pushes_get_dense_unit_sequences,
    attention_numbers_and_pre_enrolment_numbers,
    conflicts_are_resolved_on_the_server,
    restamped_changes_of_a_reset_device_are_not_applied_twice,
    a_full_batch_is_written_completely,
    own_field_numbers_drafts_and_lifecycle_changes,
    data_of_a_newer_schema_refuses_older_clients,
    records_belong_to_their_unit,
    insert_only_and_signed_records_never_change,
    stamps_ahead_of_the_server_clock_are_refused,
    the_token_is_checked_before_the_body,
    pull_pages_are_bounded_in_bytes,
);
